package catalog_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"chainstore/api/apitest"
	"chainstore/modules/catalog"
)

// statements counts the SQL statements run with a context made by counting.
type countKey struct{}

var registerCounter sync.Once

// counting returns a context whose statements are counted into n. The
// counter is a GORM callback on the server's pool (every session and
// transaction of the pool shares it); statements of other contexts are
// not counted.
func counting(t *testing.T, ctx context.Context) (context.Context, *atomic.Int64) {
	t.Helper()
	registerCounter.Do(func() {
		db := env.Server.Pool.Raw()
		count := func(tx *gorm.DB) {
			if n, ok := tx.Statement.Context.Value(countKey{}).(*atomic.Int64); ok {
				n.Add(1)
			}
		}
		cb := db.Callback()
		for name, err := range map[string]error{
			"query":  cb.Query().After("gorm:query").Register("test:count_query", count),
			"row":    cb.Row().After("gorm:row").Register("test:count_row", count),
			"raw":    cb.Raw().After("gorm:raw").Register("test:count_raw", count),
			"create": cb.Create().After("gorm:create").Register("test:count_create", count),
			"update": cb.Update().After("gorm:update").Register("test:count_update", count),
			"delete": cb.Delete().After("gorm:delete").Register("test:count_delete", count),
		} {
			if err != nil {
				t.Fatalf("register %s counter: %v", name, err)
			}
		}
	})
	n := new(atomic.Int64)
	return context.WithValue(ctx, countKey{}, n), n
}

// inTx counts the statements fn makes inside a tenant transaction that
// already exists (as the POS's sale transaction does), so the transaction's
// own SET LOCAL is not counted.
func inTx(t *testing.T, tenantID uuid.UUID, fn func(ctx context.Context) error) int64 {
	t.Helper()
	var n *atomic.Int64
	err := env.Server.Pool.WithTx(context.Background(), tenantID, func(ctx context.Context) error {
		var cctx context.Context
		cctx, n = counting(t, ctx)
		return fn(cctx)
	})
	if err != nil {
		t.Fatal(err)
	}
	return n.Load()
}

// TestPOSCallsCostFixedRoundTrips: the calls a checkout makes (prices of the
// cart, its SKUs, a barcode look-up) cost the same number of statements for
// 1, 5 or 20 SKUs.
func TestPOSCallsCostFixedRoundTrips(t *testing.T) {
	b := setup(t)
	tn := b.tn
	st := env.CreateStore(t, tn, nil)
	var skus []uuid.UUID
	var codes []string
	for i := 0; i < 20; i++ {
		code := ean13(fmt.Sprintf("69077700%04d", i))
		p := b.product(t, fmt.Sprintf("RT-%d", i), fmt.Sprintf("往返%d", i), b.root, map[string]any{"code": fmt.Sprintf("RT-%d-A", i),
			"name": fmt.Sprintf("往返%d", i), "barcodes": []string{code}, "prices": map[string]any{"list": 100 + i, "member": 90 + i, "cost": 50}})
		skus = append(skus, p.SKUs[0].ID)
		codes = append(codes, code)
	}
	svc := env.Server.Catalog
	counts := map[string][]int64{}
	for _, n := range []int{1, 5, 20} {
		ids := skus[:n]
		counts["PriceAt"] = append(counts["PriceAt"], inTx(t, tn.ID, func(ctx context.Context) error {
			m, err := svc.PriceAt(ctx, tn.ID, &st, ids, time.Now().UTC())
			if err == nil && len(m) != n {
				err = fmt.Errorf("PriceAt answered %d of %d SKUs", len(m), n)
			}
			return err
		}))
		counts["GetSKUs"] = append(counts["GetSKUs"], inTx(t, tn.ID, func(ctx context.Context) error {
			m, err := svc.GetSKUs(ctx, tn.ID, ids)
			if err == nil && len(m) != n {
				err = fmt.Errorf("GetSKUs answered %d of %d SKUs", len(m), n)
			}
			return err
		}))
	}
	// A barcode look-up, the first in its transaction and a later one.
	var warm int64
	cold := inTx(t, tn.ID, func(ctx context.Context) error {
		if _, err := svc.Lookup(ctx, tn.ID, st, catalog.LookupQuery{Barcode: codes[0]}); err != nil {
			return err
		}
		n := ctx.Value(countKey{}).(*atomic.Int64).Load()
		_, err := svc.Lookup(ctx, tn.ID, st, catalog.LookupQuery{Barcode: codes[1]})
		warm = ctx.Value(countKey{}).(*atomic.Int64).Load() - n
		return err
	}) - warm
	counts["Lookup (first, later)"] = []int64{cold, warm}
	// A weighed-goods label: not a registered code, so the chain's scale
	// layouts are read and the SKU found by its PLU.
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/catalog/products", Token: tn.AdminToken, Body: map[string]any{
		"code": "RT-APPLE", "name": "苹果", "category_id": b.root, "unit_id": b.kg, "weighed": true,
		"skus": []any{map[string]any{"code": "RT-APPLE", "name": "苹果 散装", "plu": "4321", "prices": map[string]any{"list": 1290}}}}}); r.Status != 201 {
		t.Fatalf("weighed product: %d %s", r.Status, r.Body)
	}
	label := "2" + "004321" + "00875"
	label += string(catalog.CheckDigit(label))
	counts["Lookup scale label"] = []int64{inTx(t, tn.ID, func(ctx context.Context) error {
		res, err := svc.Lookup(ctx, tn.ID, st, catalog.LookupQuery{Barcode: label})
		if err == nil && (res.Scan == nil || !res.Scan.Weighed || len(res.Data) != 1) {
			err = fmt.Errorf("scale label found %+v", res)
		}
		return err
	})}
	for call, c := range counts {
		t.Logf("%s statements for N = 1, 5, 20: %v", call, c)
	}
}
