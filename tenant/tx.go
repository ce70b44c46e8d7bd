// Package tenant holds what every tenant-scoped request shares: the
// tenant-scoped transaction carried in the context and the request's
// Principal. Its subpackages hold identity (auth), roles (authz), the chain's
// organisation (org), users and the audit log.
package tenant

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"
)

// Pool is the app role's connection pool. Tenant work never uses it
// directly: it goes through WithTx and reads the transaction from the
// context with DB.
type Pool struct {
	db    *gorm.DB
	sql   *sql.DB
	begun atomic.Int64
	// OnDeferred, when set (tests counting statements), is told of every
	// statement Defer queues, with the context it was queued under.
	OnDeferred func(ctx context.Context, sql string)
}

// NewPool wraps the app role's GORM handle (opened by postgres.Open).
func NewPool(db *gorm.DB) *Pool {
	sqlDB, err := db.DB()
	if err != nil {
		panic(err) // only for a handle not opened over database/sql
	}
	p := &Pool{db: db, sql: sqlDB}
	// Deferred writes go out before any other statement of their
	// transaction, so it always reads its own writes.
	flush := func(tx *gorm.DB) {
		if st, ok := tx.Statement.Context.Value(txKey{}).(*txState); ok {
			if err := st.flush(); err != nil {
				_ = tx.AddError(err)
			}
		}
	}
	cb := db.Callback()
	for _, err := range []error{
		cb.Query().Before("*").Register("tenant:flush_deferred", flush),
		cb.Row().Before("*").Register("tenant:flush_deferred", flush),
		cb.Raw().Before("*").Register("tenant:flush_deferred", flush),
		cb.Create().Before("*").Register("tenant:flush_deferred", flush),
		cb.Update().Before("*").Register("tenant:flush_deferred", flush),
		cb.Delete().Before("*").Register("tenant:flush_deferred", flush),
	} {
		if err != nil {
			panic(err) // only when registered twice on one handle
		}
	}
	return p
}

type txKey struct{}

// txState is one tenant transaction. It starts on first use: a request
// answered from a cache, or from what the token and the cached policy say,
// never takes a connection.
type txState struct {
	pool     *Pool
	tenantID uuid.UUID
	ctx      context.Context // the outermost WithTx's: the connection lives as long as it

	mu   sync.Mutex
	conn *sql.Conn
	tx   *gorm.DB
	err  error // why the transaction could not start; every use reports it

	afterCommit []func(context.Context)
	afterEnd    []func(context.Context)
	deferred    []deferredWrite
	marks       map[string]bool
	memo        map[any]any
}

// ErrTenantMismatch is returned when a transaction for one tenant is asked to
// run work for another: a programming error that must never be papered over.
var ErrTenantMismatch = errors.New("tenant: nested transaction for a different tenant")

// WithTx runs fn in a transaction for tenantID, carried in the context passed
// to fn. The transaction starts when fn (or anything it calls) first asks
// for it with DB; its first statement is SET LOCAL app.tenant_id, sent with
// BEGIN in one round trip, so row-level security confines every statement
// to the tenant, even one that forgets its WHERE tenant_id. When nothing
// asks, no connection is taken. A nested call for the same tenant joins the
// outer transaction. fn's error (or panic) rolls everything back; functions
// registered with AfterCommit run only after the outermost commit.
func (p *Pool) WithTx(ctx context.Context, tenantID uuid.UUID, fn func(ctx context.Context) error) (err error) {
	if st, ok := ctx.Value(txKey{}).(*txState); ok {
		if st.tenantID != tenantID {
			return ErrTenantMismatch
		}
		return fn(ctx)
	}
	if tenantID == uuid.Nil {
		return errors.New("tenant: WithTx without a tenant id")
	}
	st := &txState{pool: p, tenantID: tenantID}
	st.ctx = context.WithValue(ctx, txKey{}, st)
	defer func() {
		if r := recover(); r != nil {
			st.end(false)
			panic(r)
		}
	}()
	defer func() {
		for _, f := range st.afterEnd {
			runAfterCommit(ctx, f)
		}
	}()
	if err := fn(st.ctx); err != nil {
		st.end(false)
		return err
	}
	if err := st.end(true); err != nil {
		return err
	}
	for _, f := range st.afterCommit {
		runAfterCommit(ctx, f)
	}
	return nil
}

// handle returns the transaction, starting it on first use.
func (st *txState) handle() (*gorm.DB, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.tx != nil || st.err != nil {
		return st.tx, st.err
	}
	conn, err := st.pool.sql.Conn(st.ctx)
	if err != nil {
		st.err = fmt.Errorf("tenant: acquire a connection: %w", err)
		return nil, st.err
	}
	// SET takes no bind parameter; the value is a parsed uuid.UUID, whose
	// String() is 36 hex-and-dash characters, never raw input. Without
	// arguments pgx sends both statements in one simple-protocol message.
	if _, err := conn.ExecContext(st.ctx, "BEGIN; SET LOCAL app.tenant_id = '"+st.tenantID.String()+"'"); err != nil {
		discard(conn)
		st.err = fmt.Errorf("tenant: begin: %w", err)
		return nil, st.err
	}
	st.pool.begun.Add(1)
	tx := st.pool.db.Session(&gorm.Session{NewDB: true, Context: st.ctx})
	tx.Statement.ConnPool = conn
	st.conn, st.tx = conn, tx
	return tx, nil
}

// end commits (or rolls back) a started transaction and hands its
// connection back; a connection whose transaction could not be ended is
// closed, never returned to the pool with a transaction open.
func (st *txState) end(commit bool) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.conn == nil {
		if commit && st.err != nil {
			return st.err
		}
		return nil
	}
	conn := st.conn
	st.conn, st.tx = nil, nil
	// The commit must finish even if the request's context was cancelled
	// after the handler's last write: the answer already went out as success.
	ctx := context.WithoutCancel(st.ctx)
	stmt := "ROLLBACK"
	if commit {
		stmt = "COMMIT"
	}
	pending := st.deferred
	st.deferred = nil
	if !commit {
		pending = nil // what was never sent is simply dropped
	}
	var tag string
	err := conn.Raw(func(dc any) error {
		c, ok := dc.(interface{ Conn() *pgx.Conn })
		if !ok {
			return fmt.Errorf("tenant: the pool's driver is not pgx")
		}
		if len(pending) > 0 {
			t, err := sendDeferred(ctx, c.Conn(), pending, stmt)
			tag = t
			return err
		}
		t, err := c.Conn().Exec(ctx, stmt)
		tag = t.String()
		return err
	})
	if err != nil && len(pending) > 0 {
		// A deferred write failed, so the COMMIT after it never ran: the
		// connection, still in its failed transaction, is closed.
		discard(conn)
		return err
	}
	if err != nil {
		discard(conn)
		return fmt.Errorf("tenant: %s: %w", strings.ToLower(stmt), err)
	}
	_ = conn.Close()
	if commit && tag == "ROLLBACK" {
		// PostgreSQL answers COMMIT of a failed transaction with ROLLBACK.
		return ErrRolledBack
	}
	return nil
}

// deferredWrite is a statement queued by Defer.
type deferredWrite struct {
	sql    string
	args   []any
	mapErr func(error) error
}

// Defer queues a write whose result the caller does not need (its rows,
// its count), to be sent with the transaction's COMMIT in one round trip,
// or, if another statement of the transaction comes first, just before
// that statement: the transaction always reads its own writes. The SQL
// uses PostgreSQL's $1… placeholders and pgx's argument types. If the
// write fails, the transaction rolls back and the error, passed through
// mapErr (when not nil), is what the commit (or the next statement)
// returns. It is for the last writes of a hot transaction: the locks it
// took are then held for one round trip less per deferred write. Outside a
// transaction Defer is a programming error and panics, like DB.
//
// Deferred writes go through pgx under GORM (the tenant connection's
// driver connection): GORM sends one statement per round trip, and only
// pgx's batch puts several writes and the COMMIT in one.
func Defer(ctx context.Context, mapErr func(error) error, sql string, args ...any) {
	st, ok := ctx.Value(txKey{}).(*txState)
	if !ok {
		panic("tenant.Defer called outside tenant.WithTx")
	}
	if st.pool.OnDeferred != nil {
		st.pool.OnDeferred(ctx, sql)
	}
	st.mu.Lock()
	st.deferred = append(st.deferred, deferredWrite{sql: sql, args: args, mapErr: mapErr})
	st.mu.Unlock()
}

// flush sends the deferred writes now, in one round trip (another
// statement of the transaction is about to run).
func (st *txState) flush() error {
	st.mu.Lock()
	pending := st.deferred
	st.deferred = nil
	conn := st.conn
	st.mu.Unlock()
	if len(pending) == 0 || conn == nil {
		return nil
	}
	return conn.Raw(func(dc any) error {
		c, ok := dc.(interface{ Conn() *pgx.Conn })
		if !ok {
			return fmt.Errorf("tenant: the pool's driver is not pgx")
		}
		_, err := sendDeferred(st.ctx, c.Conn(), pending, "")
		return err
	})
}

// sendDeferred sends the writes, then last (COMMIT or nothing), as one
// batch, and returns last's command tag or the first write's error.
func sendDeferred(ctx context.Context, conn *pgx.Conn, pending []deferredWrite, last string) (string, error) {
	b := &pgx.Batch{}
	for _, w := range pending {
		b.Queue(w.sql, w.args...)
	}
	if last != "" {
		b.Queue(last)
	}
	res := conn.SendBatch(ctx, b)
	var tag string
	var failed error
	for i := 0; i < b.Len(); i++ {
		t, err := res.Exec()
		if err == nil {
			tag = t.String()
			continue
		}
		if failed == nil {
			failed = err
			if i < len(pending) && pending[i].mapErr != nil {
				failed = pending[i].mapErr(err)
			} else {
				failed = fmt.Errorf("tenant: deferred write: %w", err)
			}
		}
	}
	if err := res.Close(); err != nil && failed == nil {
		failed = fmt.Errorf("tenant: deferred writes: %w", err)
	}
	return tag, failed
}

// ErrRolledBack is returned when COMMIT found the transaction already
// failed (a statement's error was ignored): nothing of it was kept.
var ErrRolledBack = errors.New("tenant: the transaction had failed and was rolled back")

// discard closes a connection and keeps it out of the pool.
func discard(conn *sql.Conn) {
	_ = conn.Raw(func(any) error { return driver.ErrBadConn })
	_ = conn.Close()
}

// Begun is how many tenant transactions this pool has started (for tests
// and metrics: a request answered from a cache starts none).
func (p *Pool) Begun() int64 { return p.begun.Load() }

func runAfterCommit(ctx context.Context, f func(context.Context)) {
	defer func() {
		if r := recover(); r != nil {
			slog.ErrorContext(ctx, "after-commit hook panicked", "panic", fmt.Sprint(r))
		}
	}()
	f(context.WithoutCancel(ctx))
}

// AfterEnd registers f to run once the outermost transaction has ended,
// committed or rolled back, with its connection back in the pool: for a
// record that must outlive a failed request (a wrong PIN counted), written
// in a transaction of its own without holding a second connection.
// Outside a transaction f runs now.
func AfterEnd(ctx context.Context, f func(context.Context)) {
	if st, ok := ctx.Value(txKey{}).(*txState); ok {
		st.afterEnd = append(st.afterEnd, f)
		return
	}
	runAfterCommit(ctx, f)
}

// DB returns the tenant transaction carried by ctx, starting it on first
// use. If it cannot start (PostgreSQL is down), every statement on the
// returned handle fails with that error. Calling DB outside WithTx is a
// programming error and panics (the API turns it into a 500).
func DB(ctx context.Context) *gorm.DB {
	st, ok := ctx.Value(txKey{}).(*txState)
	if !ok {
		panic("tenant.DB called outside tenant.WithTx")
	}
	tx, err := st.handle()
	if err != nil {
		failed := st.pool.db.Session(&gorm.Session{NewDB: true, Context: ctx})
		_ = failed.AddError(err)
		return failed
	}
	return tx.WithContext(ctx)
}

// InTx reports whether ctx carries a tenant transaction, and for which tenant.
func InTx(ctx context.Context) (uuid.UUID, bool) {
	st, ok := ctx.Value(txKey{}).(*txState)
	if !ok {
		return uuid.Nil, false
	}
	return st.tenantID, true
}

// Started reports whether the transaction ctx carries has taken a
// connection (for tests of the lazy start).
func Started(ctx context.Context) bool {
	st, ok := ctx.Value(txKey{}).(*txState)
	if !ok {
		return false
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.tx != nil
}

// AfterCommit registers f to run once the outermost transaction commits
// (cache invalidation, pub/sub notices). Outside a transaction f runs now.
func AfterCommit(ctx context.Context, f func(context.Context)) {
	if st, ok := ctx.Value(txKey{}).(*txState); ok {
		st.afterCommit = append(st.afterCommit, f)
		return
	}
	runAfterCommit(ctx, f)
}

// Platform returns a handle for platform tables (tenants, signups): the
// tenant transaction when ctx carries one (using the pool from inside a
// transaction would deadlock a small pool), else the pool.
func (p *Pool) Platform(ctx context.Context) *gorm.DB {
	if _, ok := ctx.Value(txKey{}).(*txState); ok {
		return DB(ctx)
	}
	return p.db.WithContext(ctx)
}

// Raw exposes the pool's handle for health checks and metrics.
func (p *Pool) Raw() *gorm.DB { return p.db }

// Mark records a fact about the current transaction (for example "the
// policy changed here"), so later code in it can ask with Marked. Outside a
// transaction it does nothing.
func Mark(ctx context.Context, key string) {
	if st, ok := ctx.Value(txKey{}).(*txState); ok {
		if st.marks == nil {
			st.marks = map[string]bool{}
		}
		st.marks[key] = true
	}
}

// Marked reports whether Mark(ctx, key) was called in this transaction.
func Marked(ctx context.Context, key string) bool {
	st, ok := ctx.Value(txKey{}).(*txState)
	return ok && st.marks[key]
}

// Memo returns what load returns, calling it at most once per transaction
// for key (a comparable value of the caller's own type, so packages cannot
// collide): facts that do not change inside a request, such as a store's
// time zone, are read once however many modules ask. Errors are not
// remembered. Outside a transaction load runs every time. Code that changes
// the fact inside the transaction calls Forget.
func Memo[T any](ctx context.Context, key any, load func() (T, error)) (T, error) {
	if v, ok := Recall[T](ctx, key); ok {
		return v, nil
	}
	v, err := load()
	if err == nil {
		Remember(ctx, key, v)
	}
	return v, err
}

// Recall returns what the current transaction remembers under key.
func Recall[T any](ctx context.Context, key any) (T, bool) {
	st, ok := ctx.Value(txKey{}).(*txState)
	if !ok {
		var zero T
		return zero, false
	}
	v, ok := st.memo[key].(T)
	return v, ok
}

// Remember stores v under key until the current transaction ends; outside
// a transaction it does nothing.
func Remember(ctx context.Context, key, v any) {
	if st, ok := ctx.Value(txKey{}).(*txState); ok {
		if st.memo == nil {
			st.memo = map[any]any{}
		}
		st.memo[key] = v
	}
}

// Forget drops what the current transaction remembers under key.
func Forget(ctx context.Context, key any) {
	if st, ok := ctx.Value(txKey{}).(*txState); ok {
		delete(st.memo, key)
	}
}
