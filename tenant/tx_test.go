package tenant_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/uuid"

	"chainstore/infra/postgres"
	"chainstore/migrations/testdb"
	"chainstore/tenant"
)

var db *testdb.DB

func TestMain(m *testing.M) {
	ctx := context.Background()
	var err error
	if db, err = testdb.Create(ctx, "tenant"); err != nil {
		println(err.Error())
		os.Exit(1)
	}
	code := m.Run()
	_ = db.Drop(ctx)
	os.Exit(code)
}

// newPool opens the app role's pool; maxConns 1 forces connection reuse.
func newPool(t *testing.T, maxConns int) *tenant.Pool {
	t.Helper()
	g, err := postgres.Open(context.Background(), db.AppURL, postgres.Options{MaxConns: maxConns})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { postgres.SQL(g).Close() })
	return tenant.NewPool(g)
}

// seedTenant creates a tenant with n stores through the app role.
func seedTenant(t *testing.T, pool *tenant.Pool, n int) uuid.UUID {
	t.Helper()
	id := uuid.Must(uuid.NewV7())
	err := pool.WithTx(context.Background(), id, func(ctx context.Context) error {
		d := tenant.DB(ctx)
		if err := d.Exec(`INSERT INTO tenants (id, name, slug) VALUES (?, 'T', ?)`, id, "t"+strings.ReplaceAll(id.String(), "-", "")[20:]).Error; err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			if err := d.Exec(`INSERT INTO stores (tenant_id, id, code, name, type, time_zone) VALUES (?, ?, ?, 'S', 'direct', 'Asia/Shanghai')`,
				id, uuid.Must(uuid.NewV7()), "S"+string(rune('A'+i))).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func countStores(ctx context.Context, t *testing.T, pool *tenant.Pool, tenantID uuid.UUID) (n int64) {
	t.Helper()
	err := pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		// Deliberately no WHERE tenant_id: row-level security must confine it.
		return tenant.DB(ctx).Raw(`SELECT count(*) FROM stores`).Scan(&n).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestQueryWithoutTenantFilterSeesOnlyItsTenant(t *testing.T) {
	pool := newPool(t, 4)
	a, b := seedTenant(t, pool, 3), seedTenant(t, pool, 2)
	ctx := context.Background()
	if n := countStores(ctx, t, pool, a); n != 3 {
		t.Errorf("tenant A sees %d stores, want 3", n)
	}
	if n := countStores(ctx, t, pool, b); n != 2 {
		t.Errorf("tenant B sees %d stores, want 2", n)
	}
}

func TestAppRoleOutsideTenantTxSeesNoTenantRows(t *testing.T) {
	pool := newPool(t, 1)
	a := seedTenant(t, pool, 2)
	// The only connection just ran SET LOCAL app.tenant_id; after commit the
	// setting reads '' on it, and NULLIF keeps the policy from erroring.
	var n int64
	if err := pool.Raw().Raw(`SELECT count(*) FROM stores`).Scan(&n).Error; err != nil {
		t.Fatalf("query on a reused pooled connection failed (NULLIF missing?): %v", err)
	}
	if n != 0 {
		t.Fatalf("app role outside a tenant transaction sees %d stores, want 0", n)
	}
	if err := pool.Raw().Exec(`UPDATE stores SET name = 'hijacked'`).Error; err != nil {
		t.Fatal(err)
	}
	if got := countStores(context.Background(), t, pool, a); got != 2 {
		t.Fatalf("stores changed: %d", got)
	}
	var hijacked int64
	_ = pool.WithTx(context.Background(), a, func(ctx context.Context) error {
		return tenant.DB(ctx).Raw(`SELECT count(*) FROM stores WHERE name = 'hijacked'`).Scan(&hijacked).Error
	})
	if hijacked != 0 {
		t.Fatal("an update outside a tenant transaction reached tenant rows")
	}
}

func TestWritingAnotherTenantsRowIsRefused(t *testing.T) {
	pool := newPool(t, 2)
	a, b := seedTenant(t, pool, 0), seedTenant(t, pool, 0)
	err := pool.WithTx(context.Background(), a, func(ctx context.Context) error {
		return tenant.DB(ctx).Exec(`INSERT INTO stores (tenant_id, id, code, name, type, time_zone) VALUES (?, ?, 'X', 'X', 'direct', 'UTC')`,
			b, uuid.Must(uuid.NewV7())).Error
	})
	if err == nil || !strings.Contains(err.Error(), "row-level security") {
		t.Fatalf("insert for another tenant: err = %v, want a row-level security violation", err)
	}
}

func TestCompositeForeignKeyRefusesCrossTenantLinks(t *testing.T) {
	pool := newPool(t, 2)
	a, b := seedTenant(t, pool, 0), seedTenant(t, pool, 0)
	fid := uuid.Must(uuid.NewV7())
	if err := pool.WithTx(context.Background(), b, func(ctx context.Context) error {
		return tenant.DB(ctx).Exec(`INSERT INTO franchisees (tenant_id, id, name) VALUES (?, ?, 'B franchisee')`, b, fid).Error
	}); err != nil {
		t.Fatal(err)
	}
	err := pool.WithTx(context.Background(), a, func(ctx context.Context) error {
		return tenant.DB(ctx).Exec(`INSERT INTO stores (tenant_id, id, code, name, type, franchisee_id, time_zone) VALUES (?, ?, 'F', 'F', 'franchise', ?, 'UTC')`,
			a, uuid.Must(uuid.NewV7()), fid).Error
	})
	if _, ok := postgres.IsForeignKeyViolation(err); !ok {
		t.Fatalf("linking tenant A's store to tenant B's franchisee: err = %v, want a foreign-key violation", err)
	}
}

func TestNestedWithTxJoinsAndRollsBackTogether(t *testing.T) {
	pool := newPool(t, 1) // a nested transaction that took a second connection would deadlock here
	a := seedTenant(t, pool, 0)
	boom := errors.New("boom")
	ctx := context.Background()
	err := pool.WithTx(ctx, a, func(ctx context.Context) error {
		if err := tenant.DB(ctx).Exec(`INSERT INTO stores (tenant_id, id, code, name, type, time_zone) VALUES (?, ?, 'N1', 'N', 'direct', 'UTC')`, a, uuid.Must(uuid.NewV7())).Error; err != nil {
			return err
		}
		return pool.WithTx(ctx, a, func(ctx context.Context) error {
			var n int64
			if err := tenant.DB(ctx).Raw(`SELECT count(*) FROM stores`).Scan(&n).Error; err != nil {
				return err
			}
			if n != 1 {
				t.Errorf("inner transaction sees %d stores, want the outer's 1", n)
			}
			return boom
		})
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if n := countStores(ctx, t, pool, a); n != 0 {
		t.Fatalf("%d stores committed after the inner error", n)
	}
	other := uuid.Must(uuid.NewV7())
	err = pool.WithTx(ctx, a, func(ctx context.Context) error {
		return pool.WithTx(ctx, other, func(context.Context) error { return nil })
	})
	if !errors.Is(err, tenant.ErrTenantMismatch) {
		t.Fatalf("nested transaction for another tenant: err = %v", err)
	}
}

func TestAfterCommitRunsOnlyAfterCommit(t *testing.T) {
	pool := newPool(t, 2)
	a := seedTenant(t, pool, 0)
	ran := 0
	_ = pool.WithTx(context.Background(), a, func(ctx context.Context) error {
		tenant.AfterCommit(ctx, func(context.Context) { ran++ })
		return errors.New("rollback")
	})
	if ran != 0 {
		t.Fatal("after-commit hook ran after a rollback")
	}
	_ = pool.WithTx(context.Background(), a, func(ctx context.Context) error {
		tenant.AfterCommit(ctx, func(context.Context) { ran++ })
		if ran != 0 {
			t.Error("hook ran before commit")
		}
		return nil
	})
	if ran != 1 {
		t.Fatalf("hook ran %d times after commit", ran)
	}
}

func TestDBOutsideTxPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("tenant.DB outside WithTx did not panic")
		}
	}()
	tenant.DB(context.Background())
}

func TestMemoLoadsOncePerTransaction(t *testing.T) {
	pool := newPool(t, 2)
	a := seedTenant(t, pool, 0)
	type key struct{ n int }
	loads := 0
	load := func() (int, error) { loads++; return loads * 10, nil }
	_ = pool.WithTx(context.Background(), a, func(ctx context.Context) error {
		first, _ := tenant.Memo(ctx, key{1}, load)
		again, _ := tenant.Memo(ctx, key{1}, load)
		if first != 10 || again != 10 || loads != 1 {
			t.Errorf("memo in one transaction: %d, %d after %d loads", first, again, loads)
		}
		if other, _ := tenant.Memo(ctx, key{2}, load); other != 20 {
			t.Errorf("another key shared the first's value: %d", other)
		}
		tenant.Forget(ctx, key{1})
		if v, _ := tenant.Memo(ctx, key{1}, load); v != 30 {
			t.Errorf("after Forget: %d, want a fresh load", v)
		}
		return nil
	})
	_ = pool.WithTx(context.Background(), a, func(ctx context.Context) error {
		if v, _ := tenant.Memo(ctx, key{1}, load); v != 40 {
			t.Errorf("a new transaction reused the last one's memo: %d", v)
		}
		return nil
	})
	failing := func() (int, error) { loads++; return 0, errors.New("down") }
	_ = pool.WithTx(context.Background(), a, func(ctx context.Context) error {
		_, err1 := tenant.Memo(ctx, key{3}, failing)
		_, err2 := tenant.Memo(ctx, key{3}, failing)
		if err1 == nil || err2 == nil {
			t.Error("an error was remembered as a value")
		}
		return nil
	})
	if v, _ := tenant.Memo(context.Background(), key{1}, load); v != 70 {
		t.Errorf("outside a transaction Memo must load every time: %d", v)
	}
}

// The transaction starts on first use: work that never asks for the
// database takes no connection, and a started one is still confined by RLS.
func TestTransactionStartsOnFirstUse(t *testing.T) {
	pool := newPool(t, 1)
	a := seedTenant(t, pool, 2)
	b := seedTenant(t, pool, 3)
	before := pool.Begun()
	err := pool.WithTx(context.Background(), a, func(ctx context.Context) error {
		if tenant.Started(ctx) {
			t.Error("started before anything asked for it")
		}
		return pool.WithTx(ctx, a, func(ctx context.Context) error { return nil })
	})
	if err != nil || pool.Begun() != before {
		t.Fatalf("an unused transaction began %d times (err %v)", pool.Begun()-before, err)
	}
	if n := countStores(context.Background(), t, pool, b); n != 3 {
		t.Fatalf("a lazily started transaction sees %d stores, want its tenant's 3", n)
	}
	if pool.Begun() != before+1 {
		t.Fatalf("Begun moved by %d for one used transaction", pool.Begun()-before)
	}
}

// A panic rolls back and the connection goes back clean: with a pool of
// one, the next transaction neither inherits the open transaction nor the
// earlier tenant.
func TestPanicRollsBackAndLeavesTheConnectionClean(t *testing.T) {
	pool := newPool(t, 1)
	a := seedTenant(t, pool, 0)
	b := seedTenant(t, pool, 1)
	func() {
		defer func() { _ = recover() }()
		_ = pool.WithTx(context.Background(), a, func(ctx context.Context) error {
			if err := tenant.DB(ctx).Exec(`INSERT INTO stores (tenant_id, id, code, name, type, time_zone) VALUES (?, ?, 'P1', 'P', 'direct', 'UTC')`, a, uuid.Must(uuid.NewV7())).Error; err != nil {
				t.Fatal(err)
			}
			panic("boom")
		})
	}()
	if n := countStores(context.Background(), t, pool, a); n != 0 {
		t.Fatalf("%d stores kept after a panic", n)
	}
	if n := countStores(context.Background(), t, pool, b); n != 1 {
		t.Fatalf("the next transaction sees %d of b's stores, want 1", n)
	}
}

// A statement error swallowed by the caller does not turn into success:
// PostgreSQL answers COMMIT of the failed transaction with ROLLBACK, and
// WithTx reports it.
func TestCommitOfAFailedTransactionIsAnError(t *testing.T) {
	pool := newPool(t, 1)
	a := seedTenant(t, pool, 0)
	err := pool.WithTx(context.Background(), a, func(ctx context.Context) error {
		_ = tenant.DB(ctx).Exec(`INSERT INTO stores (tenant_id, id, code, name, type, time_zone) VALUES (?, ?, 'F1', 'F', 'direct', 'UTC')`, a, uuid.Must(uuid.NewV7())).Error
		_ = tenant.DB(ctx).Exec(`SELECT 1/0`).Error // ignored on purpose
		return nil
	})
	if !errors.Is(err, tenant.ErrRolledBack) {
		t.Fatalf("err = %v, want ErrRolledBack", err)
	}
	if n := countStores(context.Background(), t, pool, a); n != 0 {
		t.Fatalf("%d stores committed from a failed transaction", n)
	}
}

// With PostgreSQL unreachable, the transaction does not start and every
// statement (and WithTx itself) reports why.
func TestUnreachableDatabaseFailsEveryStatement(t *testing.T) {
	g, err := postgres.Open(context.Background(), db.AppURL, postgres.Options{MaxConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	pool := tenant.NewPool(g)
	postgres.SQL(g).Close() // closed pool: every acquisition fails
	err = pool.WithTx(context.Background(), uuid.Must(uuid.NewV7()), func(ctx context.Context) error {
		var n int
		if err := tenant.DB(ctx).Raw(`SELECT 1`).Scan(&n).Error; err == nil {
			t.Error("a statement succeeded on a closed pool")
		}
		return nil
	})
	if err == nil {
		t.Fatal("WithTx succeeded although its transaction never started")
	}
}

// AfterEnd runs after a rollback too, with the connection back in the pool:
// with a pool of one, its own transaction can still write.
func TestAfterEndRunsAfterRollbackWithoutASecondConnection(t *testing.T) {
	pool := newPool(t, 1)
	a := seedTenant(t, pool, 0)
	err := pool.WithTx(context.Background(), a, func(ctx context.Context) error {
		var n int
		if err := tenant.DB(ctx).Raw(`SELECT 1`).Scan(&n).Error; err != nil { // hold the one connection
			return err
		}
		tenant.AfterEnd(ctx, func(ctx context.Context) {
			err := pool.WithTx(ctx, a, func(ctx context.Context) error {
				return tenant.DB(ctx).Exec(`INSERT INTO stores (tenant_id, id, code, name, type, time_zone) VALUES (?, ?, 'AE', 'A', 'direct', 'UTC')`, a, uuid.Must(uuid.NewV7())).Error
			})
			if err != nil {
				t.Errorf("after-end write: %v", err)
			}
		})
		return errors.New("the request fails")
	})
	if err == nil {
		t.Fatal("want the request's error")
	}
	if n := countStores(context.Background(), t, pool, a); n != 1 {
		t.Fatalf("%d stores, want the one AfterEnd wrote", n)
	}
}

// A deferred write goes out with the COMMIT, or before the next statement
// of its transaction (which reads it); a failed one rolls the whole
// transaction back with the caller's error, and the connection it failed
// on never returns to the pool with its transaction open.
func TestDeferredWritesCommitWithTheTransaction(t *testing.T) {
	pool := newPool(t, 1)
	a := seedTenant(t, pool, 1)
	ctx := context.Background()
	rename := func(ctx context.Context, name string) {
		tenant.Defer(ctx, nil, `UPDATE stores SET name = $1 WHERE tenant_id = $2`, name, a)
	}
	name := func() string {
		var n string
		if err := pool.WithTx(ctx, a, func(ctx context.Context) error {
			return tenant.DB(ctx).Raw(`SELECT name FROM stores WHERE tenant_id = ?`, a).Scan(&n).Error
		}); err != nil {
			t.Fatal(err)
		}
		return n
	}
	// With the commit.
	if err := pool.WithTx(ctx, a, func(ctx context.Context) error {
		if err := tenant.DB(ctx).Exec(`SELECT 1`).Error; err != nil {
			return err
		}
		rename(ctx, "deferred")
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got := name(); got != "deferred" {
		t.Fatalf("after commit: %q", got)
	}
	// Read by the next statement.
	if err := pool.WithTx(ctx, a, func(ctx context.Context) error {
		if err := tenant.DB(ctx).Exec(`SELECT 1`).Error; err != nil {
			return err
		}
		rename(ctx, "seen")
		var n string
		if err := tenant.DB(ctx).Raw(`SELECT name FROM stores WHERE tenant_id = ?`, a).Scan(&n).Error; err != nil || n != "seen" {
			t.Errorf("the next statement read %q (%v)", n, err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// Dropped by a rollback.
	boom := errors.New("boom")
	if err := pool.WithTx(ctx, a, func(ctx context.Context) error {
		if err := tenant.DB(ctx).Exec(`SELECT 1`).Error; err != nil {
			return err
		}
		rename(ctx, "rolled back")
		return boom
	}); !errors.Is(err, boom) {
		t.Fatalf("rollback: %v", err)
	}
	// A failing write: everything rolls back, with the caller's error.
	mine := errors.New("mine")
	err := pool.WithTx(ctx, a, func(ctx context.Context) error {
		if err := tenant.DB(ctx).Exec(`UPDATE stores SET name = 'written first' WHERE tenant_id = ?`, a).Error; err != nil {
			return err
		}
		tenant.Defer(ctx, func(err error) error { return errors.Join(mine, err) }, `UPDATE stores SET name = NULL WHERE tenant_id = $1`, a)
		return nil
	})
	if !errors.Is(err, mine) {
		t.Fatalf("failed deferred write: %v", err)
	}
	if got := name(); got != "seen" {
		t.Fatalf("after the failed transaction: %q", got)
	}
}
