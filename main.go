// Command chainstore is the whole platform in one binary:
//
//	chainstore serve                 the HTTP API
//	chainstore migrate up|down|status  schema migrations, as the owner
//	chainstore seed-demo             a demo chain (idempotent)
//	chainstore bench                 the benchmarks `make bench` prints
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // store time zones resolve even on images without zoneinfo

	"chainstore/api"
	"chainstore/infra/config"
	"chainstore/infra/keys"
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
	cfg, err := config.Load(os.Getenv)
	if err != nil {
		return err
	}
	log := newLogger(cfg.LogLevel)
	slog.SetDefault(log)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	switch args[0] {
	case "serve":
		return serve(ctx, cfg, log)
	case "migrate":
		cmd := "up"
		if len(args) > 1 {
			cmd = args[1]
		}
		return migrations.Run(ctx, cmd, migrations.Options{
			OwnerURL: cfg.MigrationDatabaseURL, AppRole: cfg.AppRole, AppRolePassword: cfg.AppRolePassword, Log: os.Stdout,
		})
	case "seed-demo":
		srv, err := wire(ctx, cfg, log)
		if err != nil {
			return err
		}
		defer srv.Close()
		return seedDemo(ctx, srv, os.Stdout)
	case "bench":
		return bench(ctx, cfg, os.Stdout)
	case "platform-admin":
		return platformAdmin(ctx, cfg, log, args[1:], os.Stdout)
	case "help", "-h", "--help":
		fmt.Println(usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n%s", args[0], usage)
}

func newLogger(level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{Level: l}))
}

func wire(ctx context.Context, cfg *config.Config, log *slog.Logger) (*api.Server, error) {
	ks, err := keys.Load(cfg.JWTSigningKeys, cfg.PIIKeys, cfg.PIIIndexKey, cfg.DataDir, cfg.Env != "production")
	if err != nil {
		return nil, err
	}
	return api.Wire(ctx, cfg, ks, log)
}

// serve runs the API until SIGINT/SIGTERM, then stops accepting and lets
// in-flight requests finish within SHUTDOWN_TIMEOUT.
func serve(ctx context.Context, cfg *config.Config, log *slog.Logger) error {
	srv, err := wire(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer srv.Close()
	errc := make(chan error, 1)
	go func() { errc <- srv.App.Listen(cfg.HTTPAddr) }()
	if err := srv.Jobs.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	log.Info("chainstore serving", "addr", cfg.HTTPAddr, "env", cfg.Env, "version", version)
	fmt.Fprintf(os.Stderr, "\nChainStore API on %s (OpenAPI: %s/api/openapi.yaml; demo logins: chainstore seed-demo)\n\n",
		displayURL(cfg.HTTPAddr), displayURL(cfg.HTTPAddr))
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: draining in-flight requests", "timeout", cfg.ShutdownTimeout.String())
	if err := srv.App.ShutdownWithTimeout(cfg.ShutdownTimeout); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Jobs.Stop(stopCtx); err != nil {
		return fmt.Errorf("stop jobs: %w", err)
	}
	log.Info("stopped")
	return nil
}

func displayURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}
