package migrations

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"

	"chainstore/infra/postgres"
)

// Options say where to migrate and which app role to prepare.
type Options struct {
	OwnerURL        string // the schema owner's (or a superuser's) connection
	AppRole         string // created if missing, NOSUPERUSER NOBYPASSRLS
	AppRolePassword string
	Log             io.Writer // goose's progress output; nil discards
}

// Run applies a goose command ("up", "down", "status", "reset") as the owner.
// "up" first creates the database and the app role when they are missing,
// and grants the app role its table privileges afterwards.
func Run(ctx context.Context, command string, opt Options) error {
	if command == "up" {
		if err := postgres.EnsureDatabase(ctx, opt.OwnerURL); err != nil {
			return err
		}
	}
	cfg, err := pgx.ParseConfig(opt.OwnerURL)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	db := stdlib.OpenDB(*cfg)
	defer db.Close()
	if opt.AppRole != "" && command == "up" {
		if err := postgres.EnsureAppRole(ctx, db, opt.AppRole, opt.AppRolePassword); err != nil {
			return err
		}
	}
	if err := runGoose(ctx, db, opt.OwnerURL, command, opt.Log); err != nil {
		return err
	}
	if opt.AppRole != "" && command == "up" {
		// Again after the tables exist: GRANT ... ON ALL TABLES covers
		// tables made before the default privileges were in place.
		return postgres.EnsureAppRole(ctx, db, opt.AppRole, opt.AppRolePassword)
	}
	return nil
}

func runGoose(ctx context.Context, db *sql.DB, ownerURL, command string, w io.Writer) error {
	if w == nil {
		w = io.Discard
	}
	goose.SetLogger(gooseLogger{w})
	goose.SetBaseFS(FS)
	if err := goose.SetDialect("postgres"); err != nil {
		return err
	}
	// Serialise concurrent migrators (several test packages, several pods).
	// The lock lives on one dedicated connection, held until we are done.
	lockConn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer lockConn.Close()
	if _, err := lockConn.ExecContext(ctx, `SELECT pg_advisory_lock(7261001)`); err != nil {
		return err
	}
	defer lockConn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(7261001)`)
	switch command {
	case "up":
		if err := goose.UpContext(ctx, db, "."); err != nil {
			return err
		}
		return runRiver(ctx, ownerURL, rivermigrate.DirectionUp, w)
	case "down":
		return goose.DownContext(ctx, db, ".")
	case "reset":
		if err := runRiver(ctx, ownerURL, rivermigrate.DirectionDown, w); err != nil {
			return err
		}
		return goose.ResetContext(ctx, db, ".")
	case "status":
		return goose.StatusContext(ctx, db, ".")
	default:
		return fmt.Errorf("migrate: unknown command %q (want up, down, status or reset)", command)
	}
}

// RiverVersion names the job queue's schema (River versions it with its
// module), so test templates are rebuilt when River is upgraded.
func RiverVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "github.com/riverqueue/river" {
				return d.Path + "@" + d.Version
			}
		}
	}
	return "river"
}

// runRiver migrates the job queue's own tables (River's, platform tables:
// jobs carry a tenant id in their arguments and open that tenant's
// transaction to work). River versions its schema itself.
func runRiver(ctx context.Context, ownerURL string, dir rivermigrate.Direction, w io.Writer) error {
	pool, err := pgxpool.New(ctx, ownerURL)
	if err != nil {
		return fmt.Errorf("migrate river: %w", err)
	}
	defer pool.Close()
	m, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return fmt.Errorf("migrate river: %w", err)
	}
	opts := &rivermigrate.MigrateOpts{}
	if dir == rivermigrate.DirectionDown {
		opts.TargetVersion = -1
	}
	res, err := m.Migrate(ctx, dir, opts)
	if err != nil {
		return fmt.Errorf("migrate river: %w", err)
	}
	for _, v := range res.Versions {
		fmt.Fprintf(w, "river: migrated %s to version %d\n", dir, v.Version)
	}
	return nil
}

type gooseLogger struct{ w io.Writer }

func (l gooseLogger) Fatalf(format string, v ...any) {
	slog.Error(fmt.Sprintf(format, v...))
}
func (l gooseLogger) Printf(format string, v ...any) {
	msg := fmt.Sprintf(format, v...)
	if !strings.HasSuffix(msg, "\n") {
		msg += "\n"
	}
	fmt.Fprint(l.w, msg)
}
