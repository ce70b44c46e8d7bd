package apitest

import (
	"context"
	"sync"
	"testing"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// Statements counts (and keeps the text of) the SQL statements sent under
// a context made by Counting.
type Statements struct {
	mu  sync.Mutex
	sql []string
}

// N is how many statements were sent.
func (s *Statements) N() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sql)
}

// SQL is their text, in order.
func (s *Statements) SQL() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.sql...)
}

// statementsKey carries the Statements of a context made by Counting.
type statementsKey struct{}

// Counting returns ctx with a statement counter: every SQL statement sent
// through the server's pool under it is counted (a GORM callback reads the
// counter from the statement's context, so tests running at the same time
// do not mix). The tenant transaction's own BEGIN, SET LOCAL and COMMIT
// are not counted.
func (e *Env) Counting(t testing.TB, ctx context.Context) (context.Context, *Statements) {
	t.Helper()
	e.counting.Do(func() {
		count := func(tx *gorm.DB) {
			if s, ok := tx.Statement.Context.Value(statementsKey{}).(*Statements); ok {
				s.mu.Lock()
				s.sql = append(s.sql, tx.Statement.SQL.String())
				s.mu.Unlock()
			}
		}
		e.Server.Pool.OnDeferred = func(ctx context.Context, sql string) {
			if s, ok := ctx.Value(statementsKey{}).(*Statements); ok {
				s.mu.Lock()
				s.sql = append(s.sql, sql)
				s.mu.Unlock()
			}
		}
		cb := e.Server.Pool.Raw().Callback()
		for _, err := range []error{
			cb.Query().After("*").Register("apitest:count_query", count),
			cb.Row().After("*").Register("apitest:count_row", count),
			cb.Raw().After("*").Register("apitest:count_raw", count),
			cb.Create().After("*").Register("apitest:count_create", count),
			cb.Update().After("*").Register("apitest:count_update", count),
			cb.Delete().After("*").Register("apitest:count_delete", count),
		} {
			if err != nil {
				t.Fatal(err)
			}
		}
	})
	s := &Statements{}
	return context.WithValue(ctx, statementsKey{}, s), s
}

// CountStatements runs fn in a tenant transaction and returns the
// statements fn sent.
func (e *Env) CountStatements(t testing.TB, tenantID uuid.UUID, fn func(ctx context.Context) error) *Statements {
	t.Helper()
	ctx, s := e.Counting(t, context.Background())
	if err := e.Server.Pool.WithTx(ctx, tenantID, fn); err != nil {
		t.Fatal(err)
	}
	return s
}
