package catalog_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/modules/catalog"
	"chainstore/tenant"
)

// ForSale resolves a whole cart — ids, registered barcodes (a UPC-A as its
// EAN-13), a weighed-goods label by PLU with its weight — in one
// statement however many lines (and one for the chain's scale layouts),
// with each SKU's category path from the root; unknown ids and codes are
// simply absent.
func TestForSaleResolvesACartInFixedStatements(t *testing.T) {
	b := setup(t)
	tn := b.tn
	st := env.CreateStore(t, tn, nil)
	var skus []uuid.UUID
	var codes []string
	for i := 0; i < 20; i++ {
		code := ean13(fmt.Sprintf("69088800%04d", i))
		p := b.product(t, fmt.Sprintf("FS-%d", i), fmt.Sprintf("结算%d", i), b.child, map[string]any{"code": fmt.Sprintf("FS-%d-A", i),
			"name": fmt.Sprintf("结算%d", i), "barcodes": []string{code}, "prices": map[string]any{"list": 100 + i, "member": 90 + i}})
		skus = append(skus, p.SKUs[0].ID)
		codes = append(codes, code)
	}
	upc := b.product(t, "FS-UPC", "进口", b.daily, map[string]any{"code": "FS-UPC-A", "name": "进口", "barcodes": []string{"036000291452"},
		"prices": map[string]any{"list": 999}}).SKUs[0].ID
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/catalog/products", Token: tn.AdminToken, Body: map[string]any{
		"code": "FS-APPLE", "name": "苹果", "category_id": b.root, "unit_id": b.kg, "weighed": true,
		"skus": []any{map[string]any{"code": "FS-APPLE", "name": "苹果 散装", "plu": "4322", "prices": map[string]any{"list": 1290}}}}}); r.Status != 201 {
		t.Fatalf("weighed product: %d %s", r.Status, r.Body)
	}
	label := "2" + "004322" + "00875"
	label += string(catalog.CheckDigit(label))
	// The store's facts come from the instance's cache once read.
	if _, err := env.Server.Org.Store(context.Background(), tn.ID, st); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 5, 20} {
		var items map[uuid.UUID]catalog.SaleItem
		var scans map[string]catalog.Scan
		stmts := inTx(t, tn.ID, func(ctx context.Context) error {
			if _, err := env.Server.Org.Store(ctx, tn.ID, st); err != nil {
				return err
			}
			var err error
			// half by id, half by code, plus the UPC, the label and strangers
			lookups := append(append([]string{}, codes[n/2:n]...), "0036000291452", label, "NOPE42")
			items, scans, err = env.Server.Catalog.ForSale(ctx, tn.ID, st, time.Now().UTC(), append(skus[:n/2:n/2], uuid.New()), lookups)
			return err
		})
		// The scale layouts (a label is among the codes), the items with
		// their categories' paths.
		if stmts != 2 {
			t.Errorf("ForSale of %d lines: %d statements, want 2", n, stmts)
		}
		if len(items) != n+2 {
			t.Errorf("%d lines: %d items, want %d", n, len(items), n+2)
		}
		for i := n / 2; i < n; i++ {
			sc, ok := scans[codes[i]]
			if !ok || sc.SKUID != skus[i] {
				t.Errorf("code %s resolved to %+v", codes[i], sc)
			}
		}
		if sc := scans["0036000291452"]; sc.SKUID != upc {
			t.Errorf("the UPC-A as EAN-13 resolved to %+v", sc)
		}
		sc, ok := scans[label]
		if !ok || !sc.Info.Weighed || sc.Info.Quantity == nil || *sc.Info.Quantity != 875 {
			t.Errorf("the scale label resolved to %+v", sc)
		}
		if _, ok := scans["NOPE42"]; ok {
			t.Error("an unknown code resolved")
		}
		it := items[skus[0]]
		if len(it.CategoryPath) != 2 || it.CategoryPath[0] != b.root || it.CategoryPath[1] != b.child {
			t.Errorf("category path %v, want [root child]", it.CategoryPath)
		}
		if it.ListPrice == nil || *it.ListPrice != 100 || it.MemberPrice == nil || *it.MemberPrice != 90 {
			t.Errorf("prices in force %+v", it.Item)
		}
	}
}

// A cart of SKUs by id is priced from the instance's cache, and the cache
// never answers an old price: a price change is seen at once here and by
// another instance (its Redis notice) well before the cache's bound, and a
// scheduled price takes over at its time.
func TestForSaleCacheFollowsPriceChanges(t *testing.T) {
	b := setup(t)
	tn := b.tn
	st := env.CreateStore(t, tn, nil)
	sku := b.product(t, "FSC-1", "缓存", b.child, map[string]any{"code": "FSC-1-A", "name": "缓存",
		"prices": map[string]any{"list": 500}}).SKUs[0].ID
	admin := &tenant.Principal{TenantID: tn.ID, UserID: tn.AdminID}
	other := env.Another(t, nil)
	list := func(e *apitest.Env, at time.Time) int64 {
		t.Helper()
		items, _, err := e.Server.Catalog.ForSale(context.Background(), tn.ID, st, at, []uuid.UUID{sku}, nil)
		if err != nil || items[sku].ListPrice == nil {
			t.Fatalf("ForSale: %+v %v", items, err)
		}
		return *items[sku].ListPrice
	}
	now := time.Now().UTC()
	if got := list(env, now); got != 500 {
		t.Fatalf("list %d, want 500", got)
	}
	if got := list(other, now); got != 500 {
		t.Fatalf("other instance: list %d, want 500", got)
	}
	// Warm: no statement.
	if n := inTx(t, tn.ID, func(ctx context.Context) error {
		_, _, err := env.Server.Catalog.ForSale(ctx, tn.ID, st, time.Now().UTC(), []uuid.UUID{sku}, nil)
		return err
	}); n != 0 {
		t.Errorf("a warm cart: %d statements, want 0", n)
	}
	soon := time.Now().UTC().Add(2 * time.Second)
	if _, err := env.Server.Catalog.SetPrice(tenant.WithPrincipal(context.Background(), admin), admin, sku,
		catalog.SetPriceInput{Kind: catalog.PriceList, Amount: ptr(600)}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Server.Catalog.SetPrice(tenant.WithPrincipal(context.Background(), admin), admin, sku,
		catalog.SetPriceInput{Kind: catalog.PriceList, Amount: ptr(700), EffectiveFrom: &soon}); err != nil {
		t.Fatal(err)
	}
	if got := list(env, time.Now().UTC()); got != 600 {
		t.Errorf("after the change: list %d, want 600", got)
	}
	deadline := time.Now().Add(5 * time.Second)
	for list(other, time.Now().UTC()) != 600 && time.Now().Before(soon) {
		if time.Now().After(deadline) {
			t.Fatal("another instance still answers the old price after 5s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Priced (and cached) before the scheduled change, asked after it.
	_ = list(env, time.Now().UTC())
	if got := list(env, soon); got != 700 {
		t.Errorf("at the scheduled time: list %d, want 700", got)
	}
	if got := list(env, soon.Add(-time.Millisecond)); got != 600 {
		t.Errorf("just before the scheduled time: list %d, want 600", got)
	}
}
