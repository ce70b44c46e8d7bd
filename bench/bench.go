// Package bench is `chainstore bench` (`make bench`): one scenario per file,
// each loading the real server over loopback and printing its figures and
// the ratios against a baseline measured in the same run.
package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"chainstore/api"
	"chainstore/infra/config"
	"chainstore/infra/load"
	"chainstore/infra/postgres"
	"chainstore/migrations"
	"chainstore/tenant/auth"
)

// Run runs, against its own database (…_bench), one scenario per part of
// the system (BENCH_ONLY picks some), each printing its figures and ratios.
func Run(ctx context.Context, cfg *config.Config, out io.Writer) error {
	concurrency := envInt("BENCH_CONCURRENCY", 16)
	duration := time.Duration(envInt("BENCH_SECONDS", 5)) * time.Second
	warmup := time.Second

	benchCfg := *cfg
	benchDB := postgres.DatabaseName(cfg.DatabaseURL) + "_bench"
	benchCfg.DatabaseURL = postgres.WithDatabase(cfg.DatabaseURL, benchDB)
	benchCfg.MigrationDatabaseURL = postgres.WithDatabase(cfg.MigrationDatabaseURL, benchDB)
	benchCfg.LoginLimitPerIP, benchCfg.LoginLimitPerAccount = 1_000_000, 1_000_000
	// Every run starts from an empty database: figures do not depend on
	// what earlier runs left, and the disk does not fill run after run.
	if err := postgres.DropDatabase(ctx, benchCfg.MigrationDatabaseURL); err != nil {
		return fmt.Errorf("bench: drop %s: %w", benchDB, err)
	}
	if err := migrations.Run(ctx, "up", migrations.Options{OwnerURL: benchCfg.MigrationDatabaseURL, AppRole: cfg.AppRole, AppRolePassword: cfg.AppRolePassword}); err != nil {
		return fmt.Errorf("bench: migrate: %w", err)
	}
	srv, err := api.Open(ctx, &benchCfg, slog.New(slog.NewJSONHandler(io.Discard, nil)))
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

	fmt.Fprintf(out, "chainstore bench — %d CPUs, GOMAXPROCS %d, %d connections, %s per target (load generator in the same process)\n",
		runtime.NumCPU(), runtime.GOMAXPROCS(0), concurrency, duration)
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
	b := &benchEnv{srv: srv, api: "http://" + apiAddr, tenantID: res.Tenant.ID, token: res.AccessToken,
		concurrency: concurrency, duration: duration, warmup: warmup}
	fmt.Fprintf(out, "\n── baselines ──\n")
	if b.base, err = measureBaselines(ctx, b, out); err != nil {
		return err
	}
	// BENCH_ONLY=me,catalog runs some scenarios; each prints its own figures.
	scenarios := []struct {
		name string
		run  func(context.Context, *benchEnv, io.Writer) error
	}{
		{"me", benchMe}, {"catalog", benchCatalog}, {"inventory", benchInventory}, {"members", benchMembers}, {"finance", benchFinance}, {"billing", benchBilling}, {"pos", benchPOS},
	}
	only := os.Getenv("BENCH_ONLY")
	for _, sc := range scenarios {
		if only != "" && !slices.Contains(strings.Split(only, ","), sc.name) {
			continue
		}
		fmt.Fprintf(out, "\n── %s ──\n", sc.name)
		if err := sc.run(ctx, b, out); err != nil {
			return fmt.Errorf("bench %s: %w", sc.name, err)
		}
	}
	return nil
}

// benchEnv is what every scenario gets: the wired server listening on api,
// and one signed-up chain with its HQ admin's token.
type benchEnv struct {
	srv         *api.Server
	api         string
	tenantID    uuid.UUID
	token       string
	concurrency int
	duration    time.Duration
	warmup      time.Duration
	base        *baselines // measured first, for every scenario's ratios
}

// run loads one target with the common settings.
func (b *benchEnv) run(ctx context.Context, t load.Target) load.Result {
	return load.Run(ctx, t, b.concurrency, b.warmup, b.duration)
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
