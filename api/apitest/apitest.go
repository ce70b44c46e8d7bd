// Package apitest runs the real Fiber app against a real per-package
// PostgreSQL database and Redis, with real tokens, and checks every
// response against the OpenAPI document.
package apitest

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"chainstore/api"
	"chainstore/infra/config"
	"chainstore/infra/keys"
	"chainstore/infra/redisx"
	"chainstore/migrations/testdb"
)

// Env is one test package's world: a database, the wired server, and a
// superuser connection for checks the app role must not be able to make.
type Env struct {
	DB      *testdb.DB
	Server  *api.Server
	Owner   *sql.DB
	Keys    *keys.Set
	Config  *config.Config
	router  routers.Router
	counter atomic.Int64
	// counting registers the statement counter's callbacks once.
	counting sync.Once
}

// Main is TestMain's body: it creates the database, runs the tests, and
// drops the database.
func Main(m *testing.M, label string, env **Env) {
	ctx := context.Background()
	redisx.QuietDriverLogs()
	db, err := testdb.Create(ctx, label)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	e, err := New(ctx, db, nil)
	if err != nil {
		_ = db.Drop(ctx)
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	*env = e
	code := m.Run()
	e.Close()
	if err := db.Drop(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "drop test database:", err)
	}
	os.Exit(code)
}

// New wires a server on db. overrides change configuration variables
// (REDIS_URL to a dead port, lower limits ...).
func New(ctx context.Context, db *testdb.DB, overrides map[string]string) (*Env, error) {
	sign, pii, idx := keys.Generate()
	vars := map[string]string{
		"APP_ENV": "test", "DATABASE_URL": db.AppURL, "MIGRATION_DATABASE_URL": db.OwnerURL,
		"REDIS_URL": testdb.RedisURL(), "LOGIN_LIMIT_PER_IP": "100000", "LOGIN_LIMIT_PER_ACCOUNT": "1000",
		"JWT_SIGNING_KEYS": sign, "PII_KEYS": pii, "PII_INDEX_KEY": idx, "LOG_LEVEL": "error", "DB_MAX_CONNS": "10",
	}
	for k, v := range overrides {
		vars[k] = v
	}
	cfg, err := config.Load(func(k string) string { return vars[k] })
	if err != nil {
		return nil, err
	}
	ks, err := keys.Load(cfg.JWTSigningKeys, cfg.PIIKeys, cfg.PIIIndexKey, "", false)
	if err != nil {
		return nil, err
	}
	quiet := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	srv, err := api.Wire(ctx, cfg, ks, quiet)
	if err != nil {
		return nil, err
	}
	ownerCfg, err := pgx.ParseConfig(db.OwnerURL)
	if err != nil {
		return nil, err
	}
	owner := stdlib.OpenDB(*ownerCfg)
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.OpenAPI)
	if err != nil {
		return nil, fmt.Errorf("apitest: openapi: %w", err)
	}
	doc.Servers = nil // match paths as they are
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("apitest: openapi router: %w", err)
	}
	return &Env{DB: db, Server: srv, Owner: owner, Keys: ks, Config: cfg, router: router}, nil
}

// Another wires a second instance of the deployment: the same database and
// key material (so each accepts the other's tokens), with overrides such as
// REDIS_URL pointed at a closed port. Close it when done.
func (e *Env) Another(t testing.TB, overrides map[string]string) *Env {
	t.Helper()
	vars := map[string]string{"JWT_SIGNING_KEYS": e.Config.JWTSigningKeys, "PII_KEYS": e.Config.PIIKeys, "PII_INDEX_KEY": e.Config.PIIIndexKey}
	for k, v := range overrides {
		vars[k] = v
	}
	other, err := New(context.Background(), e.DB, vars)
	if err != nil {
		t.Fatalf("another instance: %v", err)
	}
	t.Cleanup(other.Close)
	return other
}

// Close releases the server and connections.
func (e *Env) Close() {
	e.Server.Close()
	_ = e.Owner.Close()
}

// Unique returns a short string unique within the package run, for slugs,
// codes and e-mails.
func (e *Env) Unique(prefix string) string {
	return fmt.Sprintf("%s%d%s", prefix, e.counter.Add(1), strings.ReplaceAll(uuid.NewString()[:6], "-", ""))
}

// Response is what a request returned.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v, failing the test on error.
func (r *Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %d response %q: %v", r.Status, r.Body, err)
	}
}

// Map decodes the body into a map.
func (r *Response) Map(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	r.JSON(t, &m)
	return m
}

// Code is the problem code of an error response ("" if none).
func (r *Response) Code() string {
	var p struct {
		Code string `json:"code"`
	}
	_ = json.Unmarshal(r.Body, &p)
	return p.Code
}

// Req is one request.
type Req struct {
	Method  string
	Path    string
	Token   string
	Body    any    // marshalled as JSON unless RawBody is set
	RawBody []byte // sent as is
	Header  map[string]string
	// SkipSpec skips the OpenAPI check (for routes added by the test itself).
	SkipSpec bool
}

// Do sends a request through the real app and checks the response against
// the OpenAPI document (status, headers and body schema).
func (e *Env) Do(t testing.TB, r Req) *Response {
	t.Helper()
	var body []byte
	switch {
	case r.RawBody != nil:
		body = r.RawBody
	case r.Body != nil:
		b, err := json.Marshal(r.Body)
		if err != nil {
			t.Fatal(err)
		}
		body = b
	}
	req := httptest.NewRequest(r.Method, r.Path, bytes.NewReader(body))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.Token != "" {
		req.Header.Set("Authorization", "Bearer "+r.Token)
	}
	for k, v := range r.Header {
		req.Header.Set(k, v)
	}
	resp, err := e.Server.App.Test(req, -1)
	if err != nil {
		t.Fatalf("%s %s: %v", r.Method, r.Path, err)
	}
	defer resp.Body.Close()
	out := &Response{Status: resp.StatusCode, Header: resp.Header}
	out.Body, _ = io.ReadAll(resp.Body)
	if !r.SkipSpec {
		e.checkSpec(t, r, body, out)
	}
	return out
}

func (e *Env) checkSpec(t testing.TB, r Req, body []byte, resp *Response) {
	t.Helper()
	req := httptest.NewRequest(r.Method, r.Path, bytes.NewReader(body))
	route, params, err := e.router.FindRoute(req)
	if err != nil {
		if resp.Status == http.StatusNotFound || resp.Status == http.StatusMethodNotAllowed {
			return // an unrouted path: nothing to document
		}
		t.Errorf("OpenAPI: %s %s is not documented: %v", r.Method, r.Path, err)
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true},
		},
		Status:  resp.Status,
		Header:  resp.Header,
		Body:    io.NopCloser(bytes.NewReader(resp.Body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("OpenAPI: response of %s %s (%d) does not match the document: %v\nbody: %s", r.Method, r.Path, resp.Status, err, truncate(resp.Body))
	}
}

func truncate(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "..."
	}
	return string(b)
}
