package inventory_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"chainstore/modules/inventory"
)

type countKey struct{}

var registerCounter sync.Once

// countStatements runs fn in a tenant transaction and returns how many SQL
// statements fn sent (the transaction's own BEGIN, SET LOCAL and COMMIT
// are not fn's), counted by a GORM callback that reads a counter from the
// statement's context, so tests running at the same time do not mix.
func countStatements(t *testing.T, tenantID uuid.UUID, fn func(ctx context.Context) error) int64 {
	t.Helper()
	registerCounter.Do(func() {
		db := env.Server.Pool.Raw()
		count := func(tx *gorm.DB) {
			if n, ok := tx.Statement.Context.Value(countKey{}).(*atomic.Int64); ok {
				n.Add(1)
			}
		}
		cb := db.Callback()
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

// TestApplyRoundTrips: Apply, the call a checkout makes inside its sale's
// transaction, sends the same number of statements for a document of 1,
// 5 or 20 lines (a sale, a sale that takes from expiry lots, one that
// crosses minimums and emits alerts, and the first receipt of new SKUs
// into dated lots), and never more than four: the store's facts (once per
// transaction), the lock that reads the levels, the lots when an issue
// takes from them, and the write.
func TestApplyRoundTrips(t *testing.T) {
	ctx := context.Background()
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	exp := time.Now().AddDate(0, 0, 30)
	apply := func(kind inventory.Kind, lines []inventory.MoveLine) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			_, err := svc().Apply(ctx, tn.ID, inventory.MoveInput{StoreID: store, Kind: kind, Source: src(string(kind)), Lines: lines})
			return err
		}
	}
	// stocked makes n SKUs with 100 units on hand, in expiry lots or not,
	// and a minimum of 99.5 units when min is set (a sale of one crosses it).
	stocked := func(n int, lots, min bool) []uuid.UUID {
		_, skus := catalog(t, tn, n, false)
		var lines []inventory.MoveLine
		for _, sku := range skus {
			l := inventory.MoveLine{SKUID: sku, Qty: 100_000, UnitCost: ptr(int64(100))}
			if lots {
				l.ExpiryDate = &exp
			}
			lines = append(lines, l)
			if min {
				if _, err := svc().SetThresholds(ctx, admin(tn), store, sku, inventory.ThresholdsInput{MinQty: ptr(int64(99_500))}); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := apply(inventory.KindReceipt, lines)(ctx); err != nil {
			t.Fatal(err)
		}
		return skus
	}
	for _, sc := range []struct {
		name string
		call func(n int) func(ctx context.Context) error
	}{
		{"sale", func(n int) func(ctx context.Context) error {
			return apply(inventory.KindSale, sale(stocked(n, false, false)))
		}},
		{"sale from lots", func(n int) func(ctx context.Context) error {
			return apply(inventory.KindSale, sale(stocked(n, true, false)))
		}},
		{"sale crossing min", func(n int) func(ctx context.Context) error {
			return apply(inventory.KindSale, sale(stocked(n, false, true)))
		}},
		{"first receipt, dated", func(n int) func(ctx context.Context) error {
			_, skus := catalog(t, tn, n, false)
			var lines []inventory.MoveLine
			for _, sku := range skus {
				lines = append(lines, inventory.MoveLine{SKUID: sku, Qty: 1000, UnitCost: ptr(int64(100)), ExpiryDate: &exp})
			}
			return apply(inventory.KindReceipt, lines)
		}},
	} {
		counts := map[int]int64{}
		for _, n := range []int{1, 5, 20} {
			counts[n] = countStatements(t, tn.ID, sc.call(n))
		}
		t.Logf("%s: %d, %d, %d statements for 1, 5, 20 lines", sc.name, counts[1], counts[5], counts[20])
		if counts[5] != counts[1] || counts[20] != counts[1] || counts[1] > 4 {
			t.Errorf("%s: %d, %d, %d statements for 1, 5, 20 lines; want one fixed number, at most 4", sc.name, counts[1], counts[5], counts[20])
		}
	}
	checkInvariants(t, tn)
}

func sale(skus []uuid.UUID) []inventory.MoveLine {
	lines := make([]inventory.MoveLine, len(skus))
	for i, sku := range skus {
		lines[i] = inventory.MoveLine{SKUID: sku, Qty: 1000}
	}
	return lines
}

// TestCountBatchRoundTrips: a scanner's batch of counts (up to 2,000
// lines) and a transfer request cost the same statements for 1, 5 or 20
// lines, and a batch that names a SKU twice counts it once, summed.
func TestCountBatchRoundTrips(t *testing.T) {
	ctx := context.Background()
	tn := env.Signup(t)
	store, other := env.CreateStore(t, tn, nil), env.CreateStore(t, tn, nil)
	_, skus := catalog(t, tn, 20, false)
	st, err := svc().OpenStocktake(ctx, admin(tn), inventory.OpenStocktakeInput{StoreID: store})
	if err != nil {
		t.Fatal(err)
	}
	// Both stores' facts in org's cache, as after any earlier request.
	if _, err := env.Server.Org.Stores(ctx, tn.ID, []uuid.UUID{store, other}); err != nil {
		t.Fatal(err)
	}
	counts, requests := map[int]int64{}, map[int]int64{}
	for _, n := range []int{1, 5, 20} {
		var lines []inventory.CountLine
		var want []inventory.TransferQtyInput
		for _, sku := range skus[:n] {
			lines = append(lines, inventory.CountLine{SKUID: sku, Qty: 1000})
			want = append(want, inventory.TransferQtyInput{SKUID: sku, Qty: 1000})
		}
		counts[n] = countStatements(t, tn.ID, func(ctx context.Context) error {
			_, err := svc().AddCounts(ctx, admin(tn), st.ID, inventory.CountBatchInput{BatchID: fmt.Sprint("b", n), Lines: lines})
			return err
		})
		requests[n] = countStatements(t, tn.ID, func(ctx context.Context) error {
			_, err := svc().CreateTransfer(ctx, admin(tn), inventory.CreateTransferInput{FromStoreID: other, ToStoreID: store, Lines: want})
			return err
		})
	}
	for name, c := range map[string]map[int]int64{"count batch": counts, "transfer request": requests} {
		if c[5] != c[1] || c[20] != c[1] {
			t.Errorf("%s: %d, %d, %d statements for 1, 5, 20 lines", name, c[1], c[5], c[20])
		}
	}
	if _, err := svc().AddCounts(ctx, admin(tn), st.ID, inventory.CountBatchInput{BatchID: "twice",
		Lines: []inventory.CountLine{{SKUID: skus[0], Qty: 500}, {SKUID: skus[0], Qty: 250}}}); err != nil {
		t.Fatal(err)
	}
	d, err := svc().StocktakeDetail(ctx, tn.ID, st.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range d.Lines {
		if l.SKUID == skus[0] && (l.CountedQty == nil || *l.CountedQty != 3000+750) {
			t.Fatalf("SKU counted in batches of 1, 5, 20 lines and twice in one: %v, want 3750", l.CountedQty)
		}
	}
}
