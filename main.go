// Command chainstore is the whole platform in one binary:
//
//	chainstore serve                   the HTTP API and background jobs
//	chainstore migrate up|down|status  schema migrations, as the owner
//	chainstore seed-demo               a demo chain (idempotent)
//	chainstore bench                   the benchmarks `make bench` prints
//	chainstore platform-admin create   the platform operator chain
//
// It only dispatches: each command lives in its own package.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // store time zones resolve even on images without zoneinfo

	"chainstore/api"
	"chainstore/bench"
	"chainstore/demo"
	"chainstore/infra/config"
	"chainstore/infra/redisx"
	"chainstore/migrations"
)

// version is set at build time (-ldflags "-X main.version=...").
var version = "dev"

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "chainstore:", err)
		os.Exit(1)
	}
}

const usage = `usage: chainstore <command>

  serve                  serve the HTTP API on HTTP_ADDR
  migrate up|down|status apply schema migrations as the owner (MIGRATION_DATABASE_URL)
  seed-demo              create the demo chain (idempotent) and print its logins
  bench                  run the benchmarks and print their figures
  platform-admin create  open the platform operator chain (--email; PLATFORM_ADMIN_PASSWORD)`

func run(args []string) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	switch args[0] {
	case "help", "-h", "--help":
		fmt.Println(usage)
		return nil
	case "serve", "migrate", "seed-demo", "bench", "platform-admin":
	default:
		return fmt.Errorf("unknown command %q\n%s", args[0], usage)
	}
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return err
	}
	log := newLogger(cfg.LogLevel)
	slog.SetDefault(log)
	redisx.QuietDriverLogs()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	switch args[0] {
	case "migrate":
		cmd := "up"
		if len(args) > 1 {
			cmd = args[1]
		}
		return migrations.Run(ctx, cmd, migrations.Options{
			OwnerURL: cfg.MigrationDatabaseURL, AppRole: cfg.AppRole, AppRolePassword: cfg.AppRolePassword, Log: os.Stdout,
		})
	case "bench":
		return bench.Run(ctx, cfg, os.Stdout)
	}
	srv, err := api.Open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer srv.Close()
	switch args[0] {
	case "seed-demo":
		return demo.Seed(ctx, srv, os.Stdout)
	case "platform-admin":
		return srv.CreatePlatformAdmin(ctx, args[1:], os.Getenv("PLATFORM_ADMIN_PASSWORD"), os.Stdout)
	}
	return srv.Serve(ctx, version)
}

func newLogger(level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{Level: l}))
}
