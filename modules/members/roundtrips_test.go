package members_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"chainstore/infra/doc"
	"chainstore/modules/members"
)

// stmtCounter counts the SQL statements run with a context that carries it
// (one statement is one round trip to PostgreSQL).
type stmtCounter struct{ n atomic.Int64 }

type counterKey struct{}

var registerCounter sync.Once

// counting returns ctx carrying a fresh counter, registering (once) GORM
// callbacks on the server's pool that count every statement whose context
// carries one, whichever API ran it (Raw, Exec, the builder).
func counting(ctx context.Context) (context.Context, *stmtCounter) {
	registerCounter.Do(func() {
		db := env.Server.Pool.Raw()
		cb := func(tx *gorm.DB) {
			if c, ok := tx.Statement.Context.Value(counterKey{}).(*stmtCounter); ok {
				c.n.Add(1)
			}
		}
		must := func(err error) {
			if err != nil {
				panic(err)
			}
		}
		must(db.Callback().Raw().Before("gorm:raw").Register("test:count_raw", cb))
		must(db.Callback().Row().Before("gorm:row").Register("test:count_row", cb))
		must(db.Callback().Query().Before("gorm:query").Register("test:count_query", cb))
		must(db.Callback().Update().Before("gorm:update").Register("test:count_update", cb))
		must(db.Callback().Create().Before("gorm:create").Register("test:count_create", cb))
		must(db.Callback().Delete().Before("gorm:delete").Register("test:count_delete", cb))
	})
	c := &stmtCounter{}
	return context.WithValue(ctx, counterKey{}, c), c
}

// TestPOSCallsCostFixedRoundTrips counts the statements the POS-facing
// calls make inside one sale transaction (as the checkout will call them)
// for a member with N lots of points due to expire, N live lots and N
// stored-value lots, and an earn of N lines: the count must not grow with
// N (batched writes, no statement per line or lot).
func TestPOSCallsCostFixedRoundTrips(t *testing.T) {
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	cat := uuid.New()
	if _, err := svc().SetPointsRule(context.Background(), tn.ID, members.PointsRuleInput{PointsPerYuan: 1, ExcludedCategoryIDs: []uuid.UUID{cat},
		Expiry: "end_of_next_year", PointsPerYuanOff: 100}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ns := []int{1, 5, 20}
	var names []string
	counts := map[string][]int64{}
	for _, n := range ns {
		phone := newPhone()
		m := createMember(t, tn, phone, nil)
		past := time.Now().AddDate(-3, 0, 0)
		for i := 0; i < n; i++ {
			for _, at := range []time.Time{past, time.Now()} {
				if _, err := svc().EarnPoints(ctx, tn.ID, members.EarnInput{MemberID: m.ID, StoreID: store, Source: doc.Of(doc.Sale, uuid.New()),
					Lines: []members.EarnLine{{Amount: 100}}, At: at}); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := svc().TopUp(ctx, tn.ID, m.ID, &store, 100, "cash", doc.Of(doc.TopUp, uuid.New())); err != nil {
				t.Fatal(err)
			}
		}
		lines := make([]members.EarnLine, n)
		for i := range lines {
			lines[i] = members.EarnLine{Amount: 100}
			if i%2 == 1 {
				lines[i].CategoryID = &cat
			}
		}
		cctx, counter := counting(ctx)
		call := func(ctx context.Context, name string, f func(ctx context.Context) error) {
			t.Helper()
			before := counter.n.Load()
			if err := f(ctx); err != nil {
				t.Fatalf("N=%d %s: %v", n, name, err)
			}
			if _, ok := counts[name]; !ok {
				names = append(names, name)
			}
			counts[name] = append(counts[name], counter.n.Load()-before)
		}
		err := env.Server.Pool.WithTx(cctx, tn.ID, func(ctx context.Context) error {
			call(ctx, "Lookup", func(ctx context.Context) error {
				_, err := svc().Lookup(ctx, tn.ID, store, members.Lookup{Phone: phone}, false)
				return err
			})
			sale := doc.Of(doc.Sale, uuid.New())
			call(ctx, "EarnPoints", func(ctx context.Context) error {
				_, err := svc().EarnPoints(ctx, tn.ID, members.EarnInput{MemberID: m.ID, StoreID: store, Source: sale, Lines: lines})
				return err
			})
			var red members.PointsEntry
			call(ctx, "RedeemPoints", func(ctx context.Context) error {
				var err error
				red, err = svc().RedeemPoints(ctx, tn.ID, m.ID, store, int64(n), sale)
				if err == nil && (len(red.Uses) != 1 || red.Uses[0].Points != int64(n)) {
					err = fmt.Errorf("uses %+v", red.Uses)
				}
				return err
			})
			var pay members.ValueEntry
			call(ctx, "TenderStoredValue", func(ctx context.Context) error {
				var err error
				pay, err = svc().TenderStoredValue(ctx, tn.ID, m.ID, store, int64(100*n), sale)
				return err
			})
			call(ctx, "RefundTendered", func(ctx context.Context) error {
				_, err := svc().RefundTendered(ctx, tn.ID, m.ID, store, pay.ID, int64(100*n), doc.Of(doc.Return, uuid.New()))
				return err
			})
			call(ctx, "ReversePoints", func(ctx context.Context) error {
				_, err := svc().ReversePoints(ctx, tn.ID, red.ID, doc.Of(doc.Void, uuid.New()))
				return err
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// The batched writes kept the books: N lots expired, the rest spent
		// and given back.
		got, err := svc().Get(ctx, tn.ID, m.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		earned := int64((n + 1) / 2) // the odd lines are in the excluded category
		if got.Points != int64(n)+earned || got.Balance != int64(100*n) {
			t.Fatalf("N=%d: %d points (want %d), balance %d (want %d)", n, got.Points, int64(n)+earned, got.Balance, 100*n)
		}
		if c := env.Count(t, `SELECT count(*) FROM points_ledger WHERE member_id = $1 AND kind = 'expire'`, m.ID); c != n {
			t.Fatalf("N=%d: %d expire entries", n, c)
		}
		if c := env.Count(t, `SELECT coalesce(sum(points), 0) FROM points_ledger WHERE member_id = $1`, m.ID); int64(c) != got.Points {
			t.Fatalf("N=%d: the points ledger sums to %d, the balance is %d", n, c, got.Points)
		}
		if c := env.Count(t, `SELECT coalesce(sum(remaining), 0) FROM points_lots WHERE member_id = $1`, m.ID); int64(c) != got.Points {
			t.Fatalf("N=%d: the lots hold %d points, the balance is %d", n, c, got.Points)
		}
		if c := env.Count(t, `SELECT coalesce(sum(remaining_principal + remaining_bonus), 0) FROM stored_value_lots WHERE member_id = $1`, m.ID); int64(c) != got.Balance {
			t.Fatalf("N=%d: the stored-value lots hold %d, the balance is %d", n, c, got.Balance)
		}
		checkBooks(t, tn.ID, fmt.Sprintf("N=%d", n))
	}
	// The earn a sale makes is its hottest member call: the locked account
	// (with the source's replay check and the cache keys), then one write.
	most := map[string]int64{"EarnPoints": 2}
	for _, name := range names {
		c := counts[name]
		t.Logf("%-18s statements for N = %v: %v", name, ns, c)
		if m, ok := most[name]; ok && c[0] > m {
			t.Errorf("%s costs %d statements, want at most %d", name, c[0], m)
		}
		for i := range c {
			if c[i] != c[0] {
				t.Errorf("%s costs %v statements for N = %v: it grows with N", name, c, ns)
				break
			}
		}
	}
}
