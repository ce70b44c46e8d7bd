// Package tenant holds what every tenant-scoped request shares: the
// tenant-scoped transaction carried in the context and the request's
// Principal. Its subpackages hold identity (auth), roles (authz), the chain's
// organisation (org), users and the audit log.
package tenant

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// Pool is the app role's connection pool. Tenant work never uses it
// directly: it goes through WithTx and reads the transaction from the
// context with DB.
type Pool struct{ db *gorm.DB }

// NewPool wraps the app role's GORM handle.
func NewPool(db *gorm.DB) *Pool { return &Pool{db: db} }

type txKey struct{}

type txState struct {
	tx          *gorm.DB
	tenantID    uuid.UUID
	afterCommit []func(context.Context)
	marks       map[string]bool
	memo        map[any]any
}

// ErrTenantMismatch is returned when a transaction for one tenant is asked to
// run work for another: a programming error that must never be papered over.
var ErrTenantMismatch = errors.New("tenant: nested transaction for a different tenant")

// WithTx runs fn in a transaction whose first statement is
// SET LOCAL app.tenant_id, with the transaction carried in the context passed
// to fn. Row-level security then confines every statement to the tenant,
// even one that forgets its WHERE tenant_id. A nested call for the same
// tenant joins the outer transaction. fn's error rolls everything back;
// functions registered with AfterCommit run only after the outermost commit.
func (p *Pool) WithTx(ctx context.Context, tenantID uuid.UUID, fn func(ctx context.Context) error) error {
	if st, ok := ctx.Value(txKey{}).(*txState); ok {
		if st.tenantID != tenantID {
			return ErrTenantMismatch
		}
		return fn(ctx)
	}
	if tenantID == uuid.Nil {
		return errors.New("tenant: WithTx without a tenant id")
	}
	st := &txState{tenantID: tenantID}
	err := p.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// SET takes no bind parameter; the value is a parsed uuid.UUID, whose
		// String() is 36 hex-and-dash characters, never raw input.
		if err := tx.Exec("SET LOCAL app.tenant_id = '" + tenantID.String() + "'").Error; err != nil {
			return fmt.Errorf("tenant: set app.tenant_id: %w", err)
		}
		st.tx = tx
		return fn(context.WithValue(ctx, txKey{}, st))
	})
	if err != nil {
		return err
	}
	for _, f := range st.afterCommit {
		runAfterCommit(ctx, f)
	}
	return nil
}

func runAfterCommit(ctx context.Context, f func(context.Context)) {
	defer func() {
		if r := recover(); r != nil {
			slog.ErrorContext(ctx, "after-commit hook panicked", "panic", fmt.Sprint(r))
		}
	}()
	f(context.WithoutCancel(ctx))
}

// DB returns the tenant transaction carried by ctx. Calling it outside
// WithTx is a programming error and panics (the API turns it into a 500).
func DB(ctx context.Context) *gorm.DB {
	st, ok := ctx.Value(txKey{}).(*txState)
	if !ok {
		panic("tenant.DB called outside tenant.WithTx")
	}
	return st.tx.WithContext(ctx)
}

// InTx reports whether ctx carries a tenant transaction, and for which tenant.
func InTx(ctx context.Context) (uuid.UUID, bool) {
	st, ok := ctx.Value(txKey{}).(*txState)
	if !ok {
		return uuid.Nil, false
	}
	return st.tenantID, true
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
	if st, ok := ctx.Value(txKey{}).(*txState); ok {
		return st.tx.WithContext(ctx)
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
