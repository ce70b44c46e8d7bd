package catalog_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"chainstore/api/apitest"
	"chainstore/modules/catalog"
	"chainstore/tenant"
)

// countKey carries the counter of a context made by counting.
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

// TestPOSCallsCostFixedRoundTrips: the calls a checkout makes (the prices
// of a cart, its SKUs, look-ups) and the till's feed cost a fixed number of
// statements, the same for 1, 5 or 20 SKUs, inside a transaction that (as
// the POS's sale does) already holds the store's facts, and one more when
// it does not.
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
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/catalog/products", Token: tn.AdminToken, Body: map[string]any{
		"code": "RT-APPLE", "name": "苹果", "category_id": b.root, "unit_id": b.kg, "weighed": true,
		"skus": []any{map[string]any{"code": "RT-APPLE", "name": "苹果 散装", "plu": "4321", "prices": map[string]any{"list": 1290}}}}}); r.Status != 201 {
		t.Fatalf("weighed product: %d %s", r.Status, r.Body)
	}
	label := "2" + "004321" + "00875"
	label += string(catalog.CheckDigit(label))
	// A price change on every SKU, scheduled, so the look-ups and the feed
	// carry a schedule too.
	ctx := tenant.WithPrincipal(context.Background(), &tenant.Principal{TenantID: tn.ID, UserID: tn.AdminID})
	for _, id := range skus {
		at := time.Now().UTC().Add(time.Hour)
		if _, err := env.Server.Catalog.SetPrice(ctx, &tenant.Principal{TenantID: tn.ID, UserID: tn.AdminID}, id,
			catalog.SetPriceInput{Kind: catalog.PriceList, Amount: ptr(999), EffectiveFrom: &at}); err != nil {
			t.Fatal(err)
		}
	}
	svc := env.Server.Catalog
	// warm counts fn's statements in a transaction that already called it;
	// cold, in a fresh one (the store's facts are in the instance's cache
	// either way).
	measure := func(fn func(ctx context.Context) error) (cold, warm int64) {
		t.Helper()
		cold = inTx(t, tn.ID, fn)
		warm = inTx(t, tn.ID, func(ctx context.Context) error {
			if _, err := env.Server.Org.Store(ctx, tn.ID, st); err != nil {
				return err
			}
			n := ctx.Value(countKey{}).(*atomic.Int64)
			before := n.Load()
			err := fn(ctx)
			n.Add(-before)
			return err
		})
		return cold, warm
	}
	want := func(call string, n int, got, want int64) {
		t.Helper()
		if got != want {
			t.Errorf("%s for %d SKUs: %d statements, want %d", call, n, got, want)
		}
	}
	for _, n := range []int{1, 5, 20} {
		ids := skus[:n]
		cold, warm := measure(func(ctx context.Context) error {
			m, err := svc.PriceAt(ctx, tn.ID, &st, ids, time.Now().UTC())
			if err == nil && (len(m) != n || deref(m[ids[n-1]].List) != int64(100+n-1)) {
				err = fmt.Errorf("PriceAt answered %+v for %d SKUs", m, n)
			}
			return err
		})
		want("PriceAt", n, cold, 1)
		want("PriceAt", n, warm, 1)
		cold, _ = measure(func(ctx context.Context) error {
			m, err := svc.GetSKUs(ctx, tn.ID, ids)
			if err == nil && (len(m) != n || len(m[ids[n-1]].Barcodes) != 1) {
				err = fmt.Errorf("GetSKUs answered %+v for %d SKUs", m, n)
			}
			return err
		})
		want("GetSKUs", n, cold, 1)
		cold, warm = measure(func(ctx context.Context) error {
			res, err := svc.Lookup(ctx, tn.ID, st, catalog.LookupQuery{Query: "往返", Limit: n})
			if err == nil && (len(res.Data) != n || len(res.Data[0].Scheduled) != 1) {
				err = fmt.Errorf("name look-up found %+v, want %d items with a schedule", res.Data, n)
			}
			return err
		})
		want("Lookup by name", n, cold, 1) // the store's facts come from the instance's cache
		want("Lookup by name", n, warm, 1)
		cold, warm = measure(func(ctx context.Context) error {
			c, err := svc.Changes(ctx, tn.ID, st, 0, n)
			if err == nil && len(c.Data) != n {
				err = fmt.Errorf("feed page %+v, want %d items", c.Data, n)
			}
			return err
		})
		want("Changes", n, cold, 1)
		want("Changes", n, warm, 1)
	}
	// One scan: a registered barcode; a weighed-goods label (not registered,
	// so the chain's layouts are read and the SKU found by PLU); a code no
	// layout can read.
	for _, c := range []struct {
		what       string
		code       string
		cold, warm int64
		err        error
	}{
		{"registered barcode", codes[3], 1, 1, nil},
		{"scale label", label, 3, 3, nil},
		{"unknown in-store code", "NOPE42", 1, 1, catalog.ErrNotFoundInLookup},
	} {
		cold, warm := measure(func(ctx context.Context) error {
			res, err := svc.Lookup(ctx, tn.ID, st, catalog.LookupQuery{Barcode: c.code})
			if c.err != nil {
				if !errors.Is(err, c.err) {
					return fmt.Errorf("%s: %v, want %v", c.what, err, c.err)
				}
				return nil
			}
			if err == nil && len(res.Data) != 1 {
				err = fmt.Errorf("%s found %+v", c.what, res.Data)
			}
			return err
		})
		want("Lookup of a "+c.what, 1, cold, c.cold)
		want("Lookup of a "+c.what, 1, warm, c.warm)
	}
}
