package migrations

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

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
	if err := runGoose(ctx, db, command, opt.Log); err != nil {
		return err
	}
	if opt.AppRole != "" && command == "up" {
		// Again after the tables exist: GRANT ... ON ALL TABLES covers
		// tables made before the default privileges were in place.
		return postgres.EnsureAppRole(ctx, db, opt.AppRole, opt.AppRolePassword)
	}
	return nil
}

func runGoose(ctx context.Context, db *sql.DB, command string, w io.Writer) error {
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
		return goose.UpContext(ctx, db, ".")
	case "down":
		return goose.DownContext(ctx, db, ".")
	case "reset":
		return goose.ResetContext(ctx, db, ".")
	case "status":
		return goose.StatusContext(ctx, db, ".")
	default:
		return fmt.Errorf("migrate: unknown command %q (want up, down, status or reset)", command)
	}
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
