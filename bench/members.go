package bench

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"chainstore/infra/load"
	"chainstore/infra/postgres"
	"chainstore/tenant"
	"chainstore/tenant/auth"
	"chainstore/tenant/authz"
	"chainstore/tenant/org"
	"chainstore/tenant/users"
)

// benchMembers: the POS member look-up by phone through the full HTTP stack
// (auth, tenant transaction, store-scope check, masked view for a cashier),
// with BENCH_MEMBERS (default 1,000,000) members in the bench chain and
// 1,000 chains in the database. "Cached" repeats phones that sit in Redis;
// "uncached" sets the service's BypassCache flag, so every request reads
// PostgreSQL (index on the blind index). The bench database is dropped at
// the start of every run, so nothing is cleaned up here.
func benchMembers(ctx context.Context, b *benchEnv, out io.Writer) error {
	n := envInt("BENCH_MEMBERS", 1_000_000)
	svc := b.srv.Members
	start := time.Now()
	if err := extraTenants(ctx, b, 1000); err != nil {
		return err
	}
	if err := copyMembers(ctx, b, n); err != nil {
		return err
	}
	fmt.Fprintf(out, "loaded %d members (COPY, encrypted in Go) and 999 other chains in %s\n", n, time.Since(start).Round(time.Millisecond))

	token, store, err := benchCashier(ctx, b)
	if err != nil {
		return err
	}
	url := func(i int) string {
		return b.api + "/api/v1/stores/" + store.String() + "/pos/members/lookup?phone=" + benchPhone(i)
	}
	hdr := map[string]string{"Authorization": "Bearer " + token}
	cached := b.run(ctx, load.Target{Name: "GET lookup?phone= (cached, Redis)", URL: url(n / 2), Headers: hdr, Expect: 200})
	fmt.Fprintln(out, cached)
	ratio(out, cached, b.base.Redis, 0.6)
	fmt.Fprintf(out, "  goal ≥ 15,000/s on a quiet machine: %s\n", map[bool]string{true: "met", false: "NOT met"}[cached.RPS() >= 15_000])
	svc.BypassCache = true
	uncached := b.run(ctx, load.Target{Name: "GET lookup?phone= (uncached, PostgreSQL)", URL: url(n / 3), Headers: hdr, Expect: 200})
	svc.BypassCache = false
	fmt.Fprintln(out, uncached)
	ratio(out, uncached, b.base.Postgres, 0.5)
	fmt.Fprintf(out, "  p99 goal ≤ 10ms at %d connections: %s\n", b.concurrency, map[bool]string{true: "met", false: "NOT met"}[uncached.P99 <= 10*time.Millisecond])
	fmt.Fprintf(out, "ratio cached / uncached: throughput %.2fx, p99 %.2fx (uncached p99 / cached p99)\n",
		cached.RPS()/uncached.RPS(), float64(uncached.P99)/float64(cached.P99))
	if cached.Errors > 0 || uncached.Errors > 0 {
		return fmt.Errorf("%d + %d look-ups failed", cached.Errors, uncached.Errors)
	}
	return nil
}

func benchPhone(i int) string { return fmt.Sprintf("1%02d%08d", 30+i/100_000_000, i%100_000_000) }

// benchCashier creates a store and a cashier in the bench chain and signs in.
func benchCashier(ctx context.Context, b *benchEnv) (string, uuid.UUID, error) {
	var row struct {
		UserID uuid.UUID
		Slug   string
	}
	if err := b.srv.Pool.WithTx(ctx, b.tenantID, func(ctx context.Context) error {
		return tenant.DB(ctx).Raw(`SELECT u.id AS user_id, t.slug FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.tenant_id = ? ORDER BY u.id LIMIT 1`, b.tenantID).Scan(&row).Error
	}); err != nil {
		return "", uuid.Nil, err
	}
	admin := &tenant.Principal{TenantID: b.tenantID, UserID: row.UserID}
	actx := tenant.WithPrincipal(ctx, admin)
	st, err := b.srv.Org.CreateStore(actx, admin, org.CreateStoreInput{Code: "BENCH-M", Name: "Bench store", Type: "direct"})
	if err != nil {
		return "", uuid.Nil, err
	}
	email := "cashier-" + uuid.NewString()[:8] + "@bench.test"
	if _, err := b.srv.Users.Create(actx, admin, users.CreateInput{Name: "Bench cashier", Email: email, Password: "Bench-Passw0rd!x",
		Assignments: []authz.AssignmentInput{{Role: "cashier", StoreID: &st.ID}}}); err != nil {
		return "", uuid.Nil, err
	}
	res, err := b.srv.Auth.Login(ctx, auth.LoginInput{Tenant: row.Slug, Login: email, Password: "Bench-Passw0rd!x"})
	if err != nil {
		return "", uuid.Nil, err
	}
	return res.AccessToken, st.ID, nil
}

// withConn runs fn on one pgx connection of the app pool.
func withConn(ctx context.Context, b *benchEnv, fn func(*pgx.Conn) error) error {
	conn, err := postgres.SQL(b.srv.Pool.Raw()).Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error { return fn(dc.(*stdlib.Conn).Conn()) })
}

// copyMembers bulk-loads n members into the bench chain with COPY inside a
// tenant transaction (so RLS applies exactly as for the app).
func copyMembers(ctx context.Context, b *benchEnv, n int) error {
	svc := b.srv.Members
	tid := b.tenantID
	return withConn(ctx, b, func(c *pgx.Conn) error {
		tx, err := c.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		// COPY refuses tables under row-level security, so rows are copied
		// into temporary tables and moved with INSERT ... SELECT (which RLS
		// checks like any insert).
		if _, err := tx.Exec(ctx, "SET LOCAL app.tenant_id = '"+tid.String()+"'"); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE bench_members (LIKE members INCLUDING DEFAULTS) ON COMMIT DROP;
			CREATE TEMP TABLE bench_accounts (LIKE member_accounts INCLUDING DEFAULTS) ON COMMIT DROP`); err != nil {
			return err
		}
		ids := make([]uuid.UUID, n)
		i := 0
		_, err = tx.CopyFrom(ctx, pgx.Identifier{"bench_members"},
			[]string{"tenant_id", "id", "name_enc", "phone_enc", "phone_index", "channel", "gender"},
			pgx.CopyFromFunc(func() ([]any, error) {
				if i == n {
					return nil, nil
				}
				id := uuid.Must(uuid.NewV7())
				ids[i] = id
				phone := benchPhone(i)
				row := []any{tid, id, svc.EncryptField(tid, id, "name", fmt.Sprintf("会员%d", i)), svc.EncryptField(tid, id, "phone", phone),
					svc.PhoneIndex(tid, phone), "import", "unknown"}
				i++
				return row, nil
			}))
		if err != nil {
			return fmt.Errorf("copy members: %w", err)
		}
		j := 0
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"bench_accounts"}, []string{"tenant_id", "member_id", "points"},
			pgx.CopyFromFunc(func() ([]any, error) {
				if j == n {
					return nil, nil
				}
				j++
				return []any{tid, ids[j-1], int64(j % 1000)}, nil
			})); err != nil {
			return fmt.Errorf("copy accounts: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO members SELECT * FROM bench_members`); err != nil {
			return fmt.Errorf("insert members: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO member_accounts SELECT * FROM bench_accounts`); err != nil {
			return fmt.Errorf("insert accounts: %w", err)
		}
		return tx.Commit(ctx)
	})
}

// extraTenants brings the database to `total` chains with plain SQL, each
// with a few members, unless it has that many already.
func extraTenants(ctx context.Context, b *benchEnv, total int) error {
	var have int64
	if err := b.srv.Pool.Raw().WithContext(ctx).Raw(`SELECT count(*) FROM tenants`).Scan(&have).Error; err != nil {
		return err
	}
	svc := b.srv.Members
	for k := int(have); k < total; k++ {
		tid := uuid.Must(uuid.NewV7())
		slug := "bench-x-" + tid.String()[24:]
		if err := b.srv.Pool.Raw().WithContext(ctx).Exec(`INSERT INTO tenants (id, name, slug) VALUES (?, ?, ?)`, tid, "Bench "+slug, slug).Error; err != nil {
			return fmt.Errorf("bench tenant: %w", err)
		}
		err := b.srv.Pool.WithTx(ctx, tid, func(ctx context.Context) error {
			for m := 0; m < 3; m++ {
				id := uuid.Must(uuid.NewV7())
				phone := benchPhone(m)
				if err := tenant.DB(ctx).Exec(`INSERT INTO members (tenant_id, id, name_enc, phone_enc, phone_index, channel) VALUES (?, ?, ?, ?, ?, 'import')`,
					tid, id, svc.EncryptField(tid, id, "name", "会员"), svc.EncryptField(tid, id, "phone", phone), svc.PhoneIndex(tid, phone)).Error; err != nil {
					return err
				}
				if err := tenant.DB(ctx).Exec(`INSERT INTO member_accounts (tenant_id, member_id) VALUES (?, ?)`, tid, id).Error; err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("bench tenant members: %w", err)
		}
	}
	return nil
}
