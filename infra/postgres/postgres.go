// Package postgres opens the GORM handle over pgx and holds the few
// operations that need the schema owner: creating the database and the
// app role the server connects as.
package postgres

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	gormpg "gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Options tune the pool.
type Options struct {
	MaxConns int
}

// Open connects GORM to dsn through pgx and checks the connection.
func Open(ctx context.Context, dsn string, opt Options) (*gorm.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse dsn: %w", err)
	}
	sqlDB := stdlib.OpenDB(*cfg)
	if opt.MaxConns <= 0 {
		opt.MaxConns = 10
	}
	sqlDB.SetMaxOpenConns(opt.MaxConns)
	sqlDB.SetMaxIdleConns(opt.MaxConns)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	sqlDB.SetConnMaxLifetime(time.Hour)
	db, err := gorm.Open(gormpg.New(gormpg.Config{Conn: sqlDB}), &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true, // our transactions are explicit (tenant.WithTx)
		TranslateError:         false,
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("postgres: connect %s: %w", Redact(dsn), err)
	}
	return db, nil
}

// SQL returns the *sql.DB under a GORM handle.
func SQL(db *gorm.DB) *sql.DB {
	s, err := db.DB()
	if err != nil {
		panic(err) // only for a handle not opened by Open
	}
	return s
}

// Redact hides the password of a connection URL for logs and messages.
func Redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "<unparseable url>"
	}
	return u.Redacted()
}

// IsUniqueViolation reports whether err is a unique-constraint violation,
// and on which constraint.
func IsUniqueViolation(err error) (constraint string, ok bool) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		return pe.ConstraintName, true
	}
	return "", false
}

// IsForeignKeyViolation reports whether err is a foreign-key violation.
func IsForeignKeyViolation(err error) (constraint string, ok bool) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23503" {
		return pe.ConstraintName, true
	}
	return "", false
}

// EnsureDatabase creates the database named in dsn when it does not exist,
// connecting to the server's `postgres` maintenance database as the same user.
func EnsureDatabase(ctx context.Context, dsn string) error {
	return onMaintenance(ctx, dsn, func(conn *pgx.Conn, name string) error {
		var exists bool
		if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
			return err
		}
		if exists {
			return nil
		}
		_, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
		if pe := (*pgconn.PgError)(nil); errors.As(err, &pe) && pe.Code == "42P04" {
			return nil // created concurrently
		}
		if err == nil {
			slog.Info("created database", "database", name)
		}
		return err
	})
}

// DropDatabase drops the database dsn names, disconnecting its sessions
// (the bench starts from an empty database every run).
func DropDatabase(ctx context.Context, dsn string) error {
	return onMaintenance(ctx, dsn, func(conn *pgx.Conn, name string) error {
		_, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
		return err
	})
}

// onMaintenance runs f on a connection to the server's postgres database
// with the name of the database dsn names.
func onMaintenance(ctx context.Context, dsn string, f func(conn *pgx.Conn, name string) error) error {
	u, err := url.Parse(dsn)
	if err != nil {
		return err
	}
	name := strings.TrimPrefix(u.Path, "/")
	if name == "" {
		return fmt.Errorf("postgres: %s names no database", Redact(dsn))
	}
	admin := *u
	admin.Path = "/postgres"
	conn, err := pgx.Connect(ctx, admin.String())
	if err != nil {
		return fmt.Errorf("postgres: connect to maintenance database: %w", err)
	}
	defer conn.Close(ctx)
	return f(conn, name)
}

// EnsureAppRole creates the server's login role when missing and makes sure
// it can never bypass row-level security: NOSUPERUSER NOBYPASSRLS, owning
// nothing. Grants on tables come from the migrations' default privileges.
func EnsureAppRole(ctx context.Context, db *sql.DB, role, password string) error {
	ident := pgx.Identifier{role}.Sanitize()
	var exists bool
	if err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)`, role).Scan(&exists); err != nil {
		return fmt.Errorf("postgres: look up role %s: %w", role, err)
	}
	if !exists {
		stmt := "CREATE ROLE " + ident + " LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE"
		if password != "" {
			stmt += " PASSWORD " + quoteLiteral(password)
		}
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			if pe := (*pgconn.PgError)(nil); !errors.As(err, &pe) || pe.Code != "42710" {
				return fmt.Errorf("postgres: create role %s: %w", role, err)
			}
		}
	}
	if _, err := db.ExecContext(ctx, "ALTER ROLE "+ident+" NOSUPERUSER NOBYPASSRLS"); err != nil {
		return fmt.Errorf("postgres: harden role %s: %w", role, err)
	}
	var dbName string
	if err := db.QueryRowContext(ctx, `SELECT current_database()`).Scan(&dbName); err != nil {
		return err
	}
	for _, stmt := range []string{
		"GRANT CONNECT ON DATABASE " + pgx.Identifier{dbName}.Sanitize() + " TO " + ident,
		"GRANT USAGE ON SCHEMA public TO " + ident,
		"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + ident,
		"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO " + ident,
		"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO " + ident,
		"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO " + ident,
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("postgres: %s: %w", stmt, err)
		}
	}
	return nil
}

// CheckAppRole refuses to serve as a role that would make row-level security
// meaningless: a superuser, a BYPASSRLS role, or the owner of a tenant table.
func CheckAppRole(ctx context.Context, db *sql.DB) error {
	var role string
	var super, bypass bool
	err := db.QueryRowContext(ctx, `SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user`).Scan(&role, &super, &bypass)
	if err != nil {
		return fmt.Errorf("postgres: inspect current role: %w", err)
	}
	if super || bypass {
		return fmt.Errorf("DATABASE_URL: the server must connect as a NOSUPERUSER NOBYPASSRLS role, but %q bypasses row-level security", role)
	}
	var owned int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user`).Scan(&owned); err != nil {
		return err
	}
	if owned > 0 {
		return fmt.Errorf("DATABASE_URL: role %q owns %d tables; the app role must own nothing (owners skip RLS unless forced)", role, owned)
	}
	return nil
}

func quoteLiteral(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// DatabaseName is the database a connection URL names ("" if none).
func DatabaseName(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(u.Path, "/")
}

// WithDatabase returns dsn naming another database on the same server.
func WithDatabase(dsn, name string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn
	}
	u.Path = "/" + name
	return u.String()
}

// EscapeLike escapes LIKE's wildcards in user input, so a search for "50%"
// matches the text "50%" (PostgreSQL's default escape character is \).
func EscapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// One runs q (with args) and returns its first row, or notFound when it
// selects none: the one way modules read a row by id. notFound comes back
// as given, so a problem error keeps its status.
func One[T any](db *gorm.DB, notFound error, q string, args ...any) (T, error) {
	var rows []T
	if err := db.Raw(q, args...).Scan(&rows).Error; err != nil {
		var zero T
		return zero, fmt.Errorf("postgres: read one row: %w", err)
	}
	if len(rows) == 0 {
		var zero T
		return zero, notFound
	}
	return rows[0], nil
}

// IsUnavailable reports whether err means PostgreSQL could not be reached
// or went away mid-request (connection refused, reset or closed, the
// server shutting down or starting, too many connections, a failover):
// a moment's outage the client should retry, not a fault of the request.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case strings.HasPrefix(pe.Code, "08"): // connection exception
			return true
		case pe.Code == "57P01", pe.Code == "57P02", pe.Code == "57P03": // admin/crash shutdown, cannot connect now
			return true
		case pe.Code == "53300": // too many connections
			return true
		}
		return false
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	switch {
	case errors.As(err, &ce), errors.As(err, &ne):
		return true
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNREFUSED),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return true
	}
	// database/sql's own closed-pool error is not exported.
	return strings.Contains(err.Error(), "sql: database is closed") || strings.Contains(err.Error(), "conn closed")
}
