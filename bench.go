package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"chainstore/infra/config"
	"chainstore/infra/load"
	"chainstore/infra/postgres"
	"chainstore/migrations"
	"chainstore/tenant/auth"
)

// bench measures, in one run against its own database (…_bench), the cost
// of the platform spine: authenticated GET /api/v1/me (token check, session
// check, tenant transaction, Casbin, three queries) next to a bare Fiber
// route on the same machine, and prints the ratio.
func bench(ctx context.Context, cfg *config.Config, out io.Writer) error {
	concurrency := envInt("BENCH_CONCURRENCY", 16)
	duration := time.Duration(envInt("BENCH_SECONDS", 5)) * time.Second
	warmup := time.Second

	benchCfg := *cfg
	benchDB := postgres.DatabaseName(cfg.DatabaseURL) + "_bench"
	benchCfg.DatabaseURL = postgres.WithDatabase(cfg.DatabaseURL, benchDB)
	benchCfg.MigrationDatabaseURL = postgres.WithDatabase(cfg.MigrationDatabaseURL, benchDB)
	benchCfg.LoginLimitPerIP, benchCfg.LoginLimitPerAccount = 1_000_000, 1_000_000
	if err := migrations.Run(ctx, "up", migrations.Options{OwnerURL: benchCfg.MigrationDatabaseURL, AppRole: cfg.AppRole, AppRolePassword: cfg.AppRolePassword}); err != nil {
		return fmt.Errorf("bench: migrate: %w", err)
	}
	srv, err := wire(ctx, &benchCfg, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	if err != nil {
		return err
	}
	defer srv.Close()

	slug := "bench-" + uuid.NewString()[:8]
	res, err := srv.Auth.Signup(ctx, auth.SignupInput{ChainName: "Bench", Slug: slug, AdminName: "Bench",
		AdminEmail: slug + "@bench.test", AdminPassword: "Bench-Passw0rd!x"})
	if err != nil {
		return fmt.Errorf("bench: signup: %w", err)
	}

	apiAddr, stopAPI, err := listen(srv.App)
	if err != nil {
		return err
	}
	defer stopAPI()
	bare := fiber.New(fiber.Config{Immutable: true, DisableStartupMessage: true})
	bare.Get("/bare", func(c *fiber.Ctx) error { return c.JSON(fiber.Map{"ok": true}) })
	bareAddr, stopBare, err := listen(bare)
	if err != nil {
		return err
	}
	defer stopBare()

	fmt.Fprintf(out, "chainstore bench — %d CPUs, GOMAXPROCS %d, %d connections, %s per target (load generator in the same process)\n\n",
		runtime.NumCPU(), runtime.GOMAXPROCS(0), concurrency, duration)
	bareRes := load.Run(ctx, load.Target{Name: "GET /bare (bare Fiber route)", URL: "http://" + bareAddr + "/bare", Expect: 200}, concurrency, warmup, duration)
	fmt.Fprintln(out, bareRes)
	if path := os.Getenv("BENCH_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	meRes := load.Run(ctx, load.Target{Name: "GET /api/v1/me (auth + roles + tenant tx)", URL: "http://" + apiAddr + "/api/v1/me",
		Headers: map[string]string{"Authorization": "Bearer " + res.AccessToken}, Expect: 200}, concurrency, warmup, duration)
	fmt.Fprintln(out, meRes)
	fmt.Fprintf(out, "\nratio bare / me: throughput %.1fx, p50 %.1fx, p99 %.1fx\n",
		bareRes.RPS()/meRes.RPS(), float64(meRes.P50)/float64(bareRes.P50), float64(meRes.P99)/float64(bareRes.P99))
	if meRes.Errors > 0 || bareRes.Errors > 0 {
		return fmt.Errorf("bench: %d + %d requests failed", bareRes.Errors, meRes.Errors)
	}
	return nil
}

func listen(app *fiber.App) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	go func() { _ = app.Listener(ln) }()
	return ln.Addr().String(), func() { _ = app.ShutdownWithTimeout(5 * time.Second) }, nil
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}
