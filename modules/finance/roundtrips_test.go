package finance_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"chainstore/infra/doc"
	"chainstore/modules/finance"
)

type countKey struct{}

var registerCounter sync.Once

// countStatements runs fn in a tenant transaction, as a checkout runs its
// sale, and returns how many SQL statements fn sent (the transaction's own
// BEGIN, SET LOCAL and COMMIT are the caller's). A GORM callback counts the
// statements whose context carries the counter, so tests running at the
// same time do not mix.
func countStatements(t *testing.T, tenantID uuid.UUID, fn func(ctx context.Context) error) int64 {
	t.Helper()
	registerCounter.Do(func() {
		count := func(tx *gorm.DB) {
			if n, ok := tx.Statement.Context.Value(countKey{}).(*atomic.Int64); ok {
				n.Add(1)
			}
		}
		cb := env.Server.Pool.Raw().Callback()
		for _, err := range []error{
			cb.Query().After("*").Register("test:count_query", count),
			cb.Row().After("*").Register("test:count_row", count),
			cb.Raw().After("*").Register("test:count_raw", count),
			cb.Create().After("*").Register("test:count_create", count),
			cb.Update().After("*").Register("test:count_update", count),
			cb.Delete().After("*").Register("test:count_delete", count),
		} {
			if err != nil {
				t.Fatal(err)
			}
		}
	})
	var n atomic.Int64
	err := env.Server.Pool.WithTx(context.Background(), tenantID, func(ctx context.Context) error {
		return fn(context.WithValue(ctx, countKey{}, &n))
	})
	if err != nil {
		t.Fatal(err)
	}
	return n.Load()
}

// basket is a sale at store of n revenue rates, n payments and n
// stored-value uses, each use loaded at one of loaded in turn (nil: HQ),
// with points of n/2 issuing stores.
func basket(store uuid.UUID, n int, loaded []*uuid.UUID) finance.SaleEvent {
	ev := finance.SaleEvent{Source: doc.Of(doc.Sale, uuid.Must(uuid.NewV7())), StoreID: store, BusinessDate: day(2025, 4, 7), COGS: int64(n) * 500}
	methods := []string{"cash", "wechat", "alipay", "card", "unionpay"}
	var gross int64
	for i := 0; i < n; i++ {
		g := int64(1000 + 113*i)
		gross += g
		ev.Revenue = append(ev.Revenue, finance.RevenueLine{Gross: g, VATRateBP: []int{1300, 900, 600, 0}[i%4]})
	}
	var paid int64
	for i := 0; i < n; i++ {
		ev.StoredValue = append(ev.StoredValue, finance.StoredValueUse{Principal: 90, Bonus: 10, LoadedStoreID: loaded[i%len(loaded)]})
		paid += 100
	}
	for i := 0; i < n/2; i++ {
		ev.Points = append(ev.Points, finance.PointsUse{Value: 50, IssuedStoreID: loaded[i%len(loaded)]})
		paid += 50
	}
	for i := 0; i < n; i++ {
		amt := (gross - paid) / int64(n)
		if i == n-1 {
			amt = gross - paid - amt*int64(n-1)
		}
		ev.Payments = append(ev.Payments, finance.Payment{Method: methods[i%len(methods)], Amount: amt})
	}
	return ev
}

// TestPostSaleRoundTrips: PostSale, which the checkout calls once per sale
// inside its transaction, sends the same statements for 1, 5 or 20 revenue
// rates, payments and stored-value uses (and half as many points), whether
// the value was loaded in the seller's books or in other entities' (an
// entry in each): one statement, the write of the entries, their lines and
// the roll-ups with the period and idempotency checks in it. The store's
// facts come from org's cache; the clearing ratios are read once per
// transaction, by its first posting. PostReturn, and a repeat that finds the sale posted,
// cost the same one statement.
func TestPostSaleRoundTrips(t *testing.T) {
	c := newChain(t)
	fin := env.Server.Finance
	hq := (*uuid.UUID)(nil)
	for _, tc := range []struct {
		name   string
		store  uuid.UUID
		loaded []*uuid.UUID
		first  int64 // the transaction's first posting: clearing, write
	}{
		{"one entity", c.direct, []*uuid.UUID{&c.direct2, hq}, 1},
		{"other entities", c.storeA, []*uuid.UUID{hq, &c.storeB, &c.storeA}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The month's periods exist once the chain has posted in it.
			if _, err := fin.PostSale(context.Background(), c.tn.ID, basket(tc.store, 5, tc.loaded)); err != nil {
				t.Fatal(err)
			}
			counts := map[int][4]int64{}
			for _, n := range []int{1, 5, 20} {
				var got [4]int64
				countStatements(t, c.tn.ID, func(ctx context.Context) error {
					counter := ctx.Value(countKey{}).(*atomic.Int64)
					step := func(i int, f func() error) error {
						before := counter.Load()
						err := f()
						got[i] = counter.Load() - before
						return err
					}
					ev := basket(tc.store, n, tc.loaded)
					var ps, again []finance.Posted
					for i, f := range []func() error{
						func() (err error) { _, err = fin.PostSale(ctx, c.tn.ID, basket(tc.store, n, tc.loaded)); return err },
						func() (err error) { ps, err = fin.PostSale(ctx, c.tn.ID, ev); return err },
						func() (err error) { _, err = fin.PostReturn(ctx, c.tn.ID, basket(tc.store, n, tc.loaded)); return err },
						func() (err error) { again, err = fin.PostSale(ctx, c.tn.ID, ev); return err },
					} {
						if err := step(i, f); err != nil {
							return err
						}
					}
					if len(again) != len(ps) {
						t.Fatalf("repeat posted %d entries, the sale %d", len(again), len(ps))
					}
					for i := range ps {
						if !again[i].Duplicate || again[i].EntryID != ps[i].EntryID || ps[i].Duplicate {
							t.Errorf("n=%d: the repeat %+v of %+v is not the first entry", n, again[i], ps[i])
						}
					}
					t.Logf("%s, n=%d: %d entries; statements: first sale %d, second %d, return %d, repeat %d", tc.name, n, len(ps), got[0], got[1], got[2], got[3])
					return nil
				})
				counts[n] = got
			}
			for _, n := range []int{1, 5, 20} {
				if want := [4]int64{tc.first, 1, 1, 1}; counts[n] != want {
					t.Errorf("n=%d: statements (first sale, second, return, repeat) = %v, want %v", n, counts[n], want)
				}
			}
			if counts[1] != counts[5] || counts[5] != counts[20] {
				t.Errorf("PostSale's statements grow with its lines: %v", counts)
			}
		})
	}
}
