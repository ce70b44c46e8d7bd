// Package testdb gives each test package its own PostgreSQL database,
// cloned from a template migrated once per migration set, so packages run
// in parallel and leave nothing behind.
package testdb

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

	"chainstore/infra/postgres"
	"chainstore/migrations"
)

// AppRole is the role tests connect as, like the server: no superuser, no BYPASSRLS.
const AppRole, AppPassword = "chainstore_app", "chainstore_app"

// DB is one test database.
type DB struct {
	Name     string
	AppURL   string // as the app role (what the server uses)
	OwnerURL string // as the superuser that owns the schema
	adminURL string
}

// AdminURL is TEST_DATABASE_URL: a superuser connection to an existing
// database of the test server.
func AdminURL() string {
	if v := os.Getenv("TEST_DATABASE_URL"); v != "" {
		return v
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// RedisURL is TEST_REDIS_URL.
func RedisURL() string {
	if v := os.Getenv("TEST_REDIS_URL"); v != "" {
		return v
	}
	return "redis://127.0.0.1:6379/15"
}

// Create makes a fresh database for one test package.
func Create(ctx context.Context, label string) (*DB, error) {
	admin := AdminURL()
	tpl, err := ensureTemplate(ctx, admin)
	if err != nil {
		return nil, err
	}
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return nil, fmt.Errorf("testdb: connect %s: %w", redact(admin), err)
	}
	defer conn.Close(ctx)
	suffix := make([]byte, 4)
	_, _ = rand.Read(suffix)
	name := fmt.Sprintf("cs_test_%s_%s", label, hex.EncodeToString(suffix))
	// Clones of one template can collide on its lock; retry briefly.
	for attempt := 0; ; attempt++ {
		_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+" TEMPLATE "+pgx.Identifier{tpl}.Sanitize())
		if err == nil || attempt >= 20 {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	if err != nil {
		return nil, fmt.Errorf("testdb: create %s: %w", name, err)
	}
	return &DB{Name: name, AppURL: withUserDB(admin, AppRole, AppPassword, name), OwnerURL: withUserDB(admin, "", "", name), adminURL: admin}, nil
}

// Drop removes the database, disconnecting anyone still on it.
func (d *DB) Drop(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, d.adminURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{d.Name}.Sanitize()+" WITH (FORCE)")
	return err
}

// ensureTemplate migrates a template database named after the hash of the
// migrations, once; concurrent packages wait on an advisory lock.
func ensureTemplate(ctx context.Context, admin string) (string, error) {
	h := sha256.New()
	entries, _ := fs.ReadDir(migrations.FS, ".")
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	for _, n := range names {
		b, _ := fs.ReadFile(migrations.FS, n)
		h.Write([]byte(n))
		h.Write(b)
	}
	h.Write([]byte(migrations.RiverVersion()))
	tpl := "cs_tpl_" + hex.EncodeToString(h.Sum(nil))[:16]

	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return "", fmt.Errorf("testdb: connect %s (set TEST_DATABASE_URL): %w", redact(admin), err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(7261002)`); err != nil {
		return "", err
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(7261002)`)
	var ready bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate)`, tpl).Scan(&ready); err != nil {
		return "", err
	}
	if ready {
		return tpl, nil
	}
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{tpl}.Sanitize()+" WITH (FORCE)"); err != nil {
		return "", err
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{tpl}.Sanitize()); err != nil {
		return "", fmt.Errorf("testdb: create template: %w", err)
	}
	err = migrations.Run(ctx, "up", migrations.Options{OwnerURL: withUserDB(admin, "", "", tpl), AppRole: AppRole, AppRolePassword: AppPassword})
	if err != nil {
		_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{tpl}.Sanitize()+" WITH (FORCE)")
		return "", fmt.Errorf("testdb: migrate template: %w", err)
	}
	if _, err := conn.Exec(ctx, "ALTER DATABASE "+pgx.Identifier{tpl}.Sanitize()+" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"); err != nil {
		return "", err
	}
	dropStaleTemplates(ctx, conn, tpl)
	return tpl, nil
}

// withUserDB names another database and, when user is set, another user.
func withUserDB(raw, user, password, db string) string {
	u, err := url.Parse(postgres.WithDatabase(raw, db))
	if err != nil || user == "" {
		return postgres.WithDatabase(raw, db)
	}
	if password != "" {
		u.User = url.UserPassword(user, password)
	} else {
		u.User = url.User(user)
	}
	return u.String()
}

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "<bad url>"
	}
	return u.Redacted()
}

// dropStaleTemplates removes templates of earlier migration sets, so the
// server does not collect one per schema change. Best effort.
func dropStaleTemplates(ctx context.Context, conn *pgx.Conn, keep string) {
	rows, err := conn.Query(ctx, `SELECT datname FROM pg_database WHERE datname LIKE 'cs\_tpl\_%' AND datname <> $1`, keep)
	if err != nil {
		return
	}
	var stale []string
	for rows.Next() {
		var name string
		if rows.Scan(&name) == nil {
			stale = append(stale, name)
		}
	}
	rows.Close()
	for _, name := range stale {
		id := pgx.Identifier{name}.Sanitize()
		if _, err := conn.Exec(ctx, "ALTER DATABASE "+id+" WITH IS_TEMPLATE false"); err == nil {
			_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+id)
		}
	}
}
