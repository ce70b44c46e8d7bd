package bench

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/doc"
	"chainstore/modules/inventory"
	"chainstore/tenant"
	"chainstore/tenant/org"
)

// benchSpreadSKUs is how many SKUs the spread scenario sells from;
// benchBasketLines how many lines the basket scenario deducts at once.
const (
	benchSpreadSKUs  = 10_000
	benchBasketLines = 20
)

// benchInventory measures stock deduction through inventory.Apply, the
// call the POS makes inside its sale transaction: b.concurrency goroutines,
// each deduction in its own tenant transaction, with negative stock
// disallowed (so every sale takes the no-oversell path). Once on ONE hot
// SKU (every sale queues on the same row lock), once spread over 10,000 SKUs,
// and once as 20-line baskets over the same SKUs.
func benchInventory(ctx context.Context, b *benchEnv, out io.Writer) error {
	admin := &tenant.Principal{TenantID: b.tenantID}
	actx := tenant.WithPrincipal(ctx, admin)
	st, err := b.srv.Org.CreateStore(actx, admin, org.CreateStoreInput{Code: "BENCH-INV", Name: "Bench stock", Type: "direct"})
	if err != nil {
		return err
	}
	skus, err := benchInventorySKUs(ctx, b, benchSpreadSKUs+1)
	if err != nil {
		return fmt.Errorf("skus: %w", err)
	}
	inv := b.srv.Inventory
	no := false
	if _, err := inv.UpdateSettings(actx, admin, inventory.SettingsInput{AllowNegativeStock: &no}); err != nil {
		return err
	}
	hot, spread := skus[0], skus[1:]
	cost := int64(250)
	start := time.Now()
	receipt := func(lines []inventory.MoveLine) error {
		_, err := inv.Apply(ctx, b.tenantID, inventory.MoveInput{StoreID: st.ID, Kind: inventory.KindReceipt, Source: doc.Of("bench", uuid.Must(uuid.NewV7())), Lines: lines})
		return err
	}
	if err := receipt([]inventory.MoveLine{{SKUID: hot, Qty: inventory.MaxQty, UnitCost: &cost}}); err != nil {
		return err
	}
	for i := 0; i < len(spread); i += inventory.MaxLines {
		var lines []inventory.MoveLine
		for _, id := range spread[i:min(i+inventory.MaxLines, len(spread))] {
			lines = append(lines, inventory.MoveLine{SKUID: id, Qty: 10_000_000, UnitCost: &cost})
		}
		if err := receipt(lines); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "received stock for 1 hot + %d spread SKUs in %s\n", len(spread), time.Since(start).Round(time.Millisecond))

	sale := func(sku uuid.UUID) error {
		_, err := inv.Apply(ctx, b.tenantID, inventory.MoveInput{StoreID: st.ID, Kind: inventory.KindSale,
			Source: doc.Of("bench", uuid.Must(uuid.NewV7())), Lines: []inventory.MoveLine{{SKUID: sku, Qty: 1000}}})
		return err
	}
	hotRes := benchOps(ctx, b, "deduct 1 unit, ONE hot SKU", func(*rand.Rand) error { return sale(hot) })
	fmt.Fprintln(out, hotRes)
	spreadRes := benchOps(ctx, b, fmt.Sprintf("deduct 1 unit, %d spread SKUs", len(spread)), func(r *rand.Rand) error {
		return sale(spread[r.IntN(len(spread))])
	})
	fmt.Fprintln(out, spreadRes)
	// A basket: one deduction of 20 lines (distinct SKUs), as a checkout makes.
	basketRes := benchOps(ctx, b, fmt.Sprintf("deduct a %d-line basket, spread SKUs", benchBasketLines), func(r *rand.Rand) error {
		lines := make([]inventory.MoveLine, 0, benchBasketLines)
		for len(lines) < benchBasketLines {
			sku := spread[r.IntN(len(spread))]
			if !slices.ContainsFunc(lines, func(l inventory.MoveLine) bool { return l.SKUID == sku }) {
				lines = append(lines, inventory.MoveLine{SKUID: sku, Qty: 1000})
			}
		}
		_, err := inv.Apply(ctx, b.tenantID, inventory.MoveInput{StoreID: st.ID, Kind: inventory.KindSale,
			Source: doc.Of("bench", uuid.Must(uuid.NewV7())), Lines: lines})
		return err
	})
	fmt.Fprintln(out, basketRes)
	fmt.Fprintf(out, "ratio spread / hot: throughput %.1fx, p99 %.2fx; basket lines/s vs single-line deductions/s: %.1fx\n",
		spreadRes.rate()/hotRes.rate(), float64(hotRes.p99)/float64(max(spreadRes.p99, 1)),
		basketRes.rate()*benchBasketLines/spreadRes.rate())
	for _, r := range []opsResult{hotRes, spreadRes, basketRes} {
		if r.errors > 0 {
			return fmt.Errorf("%s: %d deductions failed (first: %v)", r.name, r.errors, r.firstErr)
		}
	}
	return nil
}

type opsResult struct {
	name        string
	ops, errors int
	elapsed     time.Duration
	p50, p99    time.Duration
	firstErr    error
}

func (r opsResult) rate() float64 { return float64(r.ops) / r.elapsed.Seconds() }

func (r opsResult) String() string {
	return fmt.Sprintf("%-40s %8.0f deductions/s  p50 %-8s p99 %-8s (%d ok, %d errors)", r.name, r.rate(),
		r.p50.Round(10*time.Microsecond), r.p99.Round(10*time.Microsecond), r.ops, r.errors)
}

// benchOps runs fn from b.concurrency goroutines for the warm-up, then for
// the measured duration, and reports throughput and latency percentiles.
func benchOps(ctx context.Context, b *benchEnv, name string, fn func(*rand.Rand) error) opsResult {
	run := func(d time.Duration, record bool) opsResult {
		var mu sync.Mutex
		res := opsResult{name: name}
		var lat []time.Duration
		deadline := time.Now().Add(d)
		var wg sync.WaitGroup
		start := time.Now()
		for g := 0; g < b.concurrency; g++ {
			wg.Add(1)
			go func(seed uint64) {
				defer wg.Done()
				r := rand.New(rand.NewPCG(seed, 99))
				var mine []time.Duration
				var errs int
				var first error
				for time.Now().Before(deadline) && ctx.Err() == nil {
					t0 := time.Now()
					err := fn(r)
					mine = append(mine, time.Since(t0))
					if err != nil {
						errs++
						if first == nil {
							first = err
						}
					}
				}
				mu.Lock()
				lat = append(lat, mine...)
				res.errors += errs
				if res.firstErr == nil {
					res.firstErr = first
				}
				mu.Unlock()
			}(uint64(g))
		}
		wg.Wait()
		res.elapsed = time.Since(start)
		res.ops = len(lat) - res.errors
		if record && len(lat) > 0 {
			slices.Sort(lat)
			res.p50 = lat[len(lat)/2]
			res.p99 = lat[len(lat)*99/100]
		}
		return res
	}
	run(b.warmup, false)
	return run(b.duration, true)
}

// benchInventorySKUs creates n SKUs (one product each) in the bench chain.
func benchInventorySKUs(ctx context.Context, b *benchEnv, n int) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	err := b.srv.Pool.WithTx(ctx, b.tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		cat, unit := uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())
		if err := db.Exec(`INSERT INTO categories (tenant_id, id, code, name, path) VALUES (?, ?, 'INVB', '库存压测', ARRAY[?]::uuid[])`, b.tenantID, cat, cat).Error; err != nil {
			return err
		}
		if err := db.Exec(`INSERT INTO units (tenant_id, id, code, name, kind) VALUES (?, ?, 'invb', '件', 'count')`, b.tenantID, unit).Error; err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			ids = append(ids, uuid.Must(uuid.NewV7()))
		}
		prods := make([]uuid.UUID, n)
		for i := range prods {
			prods[i] = uuid.Must(uuid.NewV7())
		}
		if err := db.Exec(`INSERT INTO products (tenant_id, id, code, name, category_id, unit_id)
			SELECT ?, p, 'INVB-' || i, '压测商品 ' || i, ?, ? FROM unnest(?::uuid[]) WITH ORDINALITY AS t(p, i)`,
			b.tenantID, cat, unit, uuidList(prods)).Error; err != nil {
			return err
		}
		return db.Exec(`INSERT INTO skus (tenant_id, id, product_id, code, name)
			SELECT ?, s, p, 'INVB-' || i, '压测规格 ' || i FROM unnest(?::uuid[], ?::uuid[]) WITH ORDINALITY AS t(s, p, i)`,
			b.tenantID, uuidList(ids), uuidList(prods)).Error
	})
	return ids, err
}

func uuidList(ids []uuid.UUID) string {
	b := make([]byte, 0, len(ids)*37+2)
	b = append(b, '{')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, id.String()...)
	}
	return string(append(b, '}'))
}
