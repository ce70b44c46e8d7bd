package catalog_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/infra/web"
	"chainstore/modules/catalog"
)

type pricedProduct struct {
	ID   uuid.UUID
	SKUs []catalog.SKU
}

type productPage struct {
	Data       []pricedProduct
	NextCursor *string `json:"next_cursor"`
}

func listPriced(t *testing.T, tok, query string) productPage {
	t.Helper()
	r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/products?" + query, Token: tok})
	if r.Status != 200 {
		t.Fatalf("GET /catalog/products?%s: %d %s", query, r.Status, r.Body)
	}
	var p productPage
	r.JSON(t, &p)
	return p
}

func asPriced(ps []catalog.Product) []pricedProduct {
	out := make([]pricedProduct, len(ps))
	for i, p := range ps {
		out[i] = pricedProduct{ID: p.ID, SKUs: p.SKUs}
	}
	return out
}

// skuOf finds the SKU with code in a page.
func skuOf(t *testing.T, p productPage, code string) catalog.SKU {
	t.Helper()
	for _, pr := range p.Data {
		for _, k := range pr.SKUs {
			if k.Code == code {
				return k
			}
		}
	}
	t.Fatalf("no SKU %s in %+v", code, p.Data)
	return catalog.SKU{}
}

// TestProductListWithPrices: with=prices embeds each SKU's HQ price in
// force now: not a scheduled one, not a store's override; cost only for
// price setters and finance; three statements a page however many
// products and SKUs it holds.
func TestProductListWithPrices(t *testing.T) {
	b := setup(t)
	tn := b.tn
	rice := b.product(t, "P-RICE", "大米", b.root,
		map[string]any{"code": "RICE-5", "name": "大米 5kg", "barcodes": []string{ean13("690123458001")}, "prices": map[string]any{"list": 4990, "member": 4590, "cost": 3800}},
		map[string]any{"code": "RICE-10", "name": "大米 10kg"})
	b.product(t, "P-SALT", "食盐", b.root, map[string]any{"code": "SALT-1", "name": "食盐 400g", "prices": map[string]any{"list": 250}})
	var riceSKU uuid.UUID
	for _, k := range rice.SKUs {
		if k.Code == "RICE-5" {
			riceSKU = k.ID
		}
	}
	store := env.CreateStore(t, tn, nil)
	for _, body := range []map[string]any{
		{"kind": "list", "amount": 5290, "effective_from": time.Now().UTC().Add(48 * time.Hour)}, // scheduled: not yet
		{"kind": "list", "amount": 4790, "store_id": store},                                      // a store's: not HQ's
		{"kind": "member", "amount": 4490, "store_id": store},
	} {
		if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/catalog/skus/" + riceSKU.String() + "/prices", Token: tn.AdminToken, Body: body}); r.Status != 201 {
			t.Fatalf("set price %v: %d %s", body, r.Status, r.Body)
		}
	}

	p := listPriced(t, tn.AdminToken, "with=prices")
	k := skuOf(t, p, "RICE-5")
	if k.Price == nil || deref(k.Price.List) != int64(4990) || k.Price.ListSource != "hq" || deref(k.Price.Member) != int64(4590) ||
		deref(k.Price.Cost) != int64(3800) || k.Price.SKUID != riceSKU || len(k.Barcodes) != 1 {
		t.Errorf("RICE-5 for HQ's admin: %+v price %+v", k, k.Price)
	}
	if k := skuOf(t, p, "RICE-10"); k.Price == nil || k.Price.List != nil || k.Price.Member != nil || k.Price.ListSource != "" {
		t.Errorf("RICE-10 (no price): %+v", k.Price)
	}
	if k := skuOf(t, p, "SALT-1"); k.Price == nil || deref(k.Price.List) != int64(250) || k.Price.Member != nil {
		t.Errorf("SALT-1: %+v", k.Price)
	}

	// Cost: price setters and finance only.
	mkt := env.CreateUser(t, tn, "hq_marketing", nil, nil)
	fin := env.CreateUser(t, tn, "hq_finance", nil, nil)
	cashier := env.CreateUser(t, tn, "cashier", &store, nil)
	for _, c := range []struct {
		who      string
		tok      string
		wantCost bool
	}{{"hq_marketing", mkt.Token, false}, {"cashier", cashier.Token, false}, {"hq_finance", fin.Token, true}} {
		k := skuOf(t, listPriced(t, c.tok, "with=prices"), "RICE-5")
		if k.Price == nil || deref(k.Price.List) != int64(4990) || (k.Price.Cost != nil) != c.wantCost {
			t.Errorf("%s sees %+v (cost shown: want %v)", c.who, k.Price, c.wantCost)
		}
	}

	// Without with=prices: no SKUs, as before.
	for _, pr := range listPriced(t, tn.AdminToken, "").Data {
		if len(pr.SKUs) != 0 {
			t.Errorf("plain list has SKUs: %+v", pr)
		}
	}
	// Paged: each page carries its own products' SKUs.
	p1 := listPriced(t, tn.AdminToken, "with=prices&limit=1")
	if len(p1.Data) != 1 || p1.NextCursor == nil || len(p1.Data[0].SKUs) != 2 || p1.Data[0].ID != rice.ID {
		t.Fatalf("page 1: %+v", p1)
	}
	p2 := listPriced(t, tn.AdminToken, "with=prices&limit=1&cursor="+*p1.NextCursor)
	if len(p2.Data) != 1 || p2.NextCursor != nil || len(p2.Data[0].SKUs) != 1 || p2.Data[0].SKUs[0].Code != "SALT-1" {
		t.Fatalf("page 2: %+v", p2)
	}
	// A filter still applies.
	if p := listPriced(t, tn.AdminToken, "with=prices&q="+url.QueryEscape("食盐")); len(p.Data) != 1 || len(p.Data[0].SKUs) != 1 {
		t.Errorf("filtered: %+v", p)
	}

	// Moving the clock past the scheduled change brings it into force here too.
	// (Through the service: the access token would have expired by then.)
	svc := env.Server.Catalog
	env.Server.Clock.Freeze(time.Now().UTC().Add(72 * time.Hour))
	t.Cleanup(func() { env.Server.Clock.Set(nil) })
	later, err := svc.ListProducts(context.Background(), tn.ID, catalog.ProductFilter{}, catalog.ProductWith{Prices: true}, web.Page{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if k := skuOf(t, productPage{Data: asPriced(later)}, "RICE-5"); deref(k.Price.List) != int64(5290) || k.Price.Cost != nil {
		t.Errorf("after the scheduled change (without cost): %+v", k.Price)
	}
	env.Server.Clock.Set(nil)

	// Three statements a page, for one product or many.
	for i := range 4 {
		b.product(t, "P-X"+string(rune('A'+i)), "杂货", b.daily, map[string]any{"code": "X-" + string(rune('A'+i)), "name": "杂货", "prices": map[string]any{"list": 100}},
			map[string]any{"code": "X-" + string(rune('A'+i)) + "2", "name": "杂货 2"})
	}
	for _, limit := range []int{1, 6} {
		st := env.CountStatements(t, tn.ID, func(ctx context.Context) error {
			_, err := svc.ListProducts(ctx, tn.ID, catalog.ProductFilter{}, catalog.ProductWith{Prices: true, Cost: true}, web.Page{Limit: limit})
			return err
		})
		if st.N() != 3 {
			t.Errorf("a priced page of %d: %d statements, want 3: %v", limit, st.N(), st.SQL())
		}
	}

	// A bad with: 400 naming it.
	r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/products?with=cost", Token: tn.AdminToken})
	if r.Status != 400 || r.Code() != "request.bad_query" || !strings.Contains(string(r.Body), `"field":"with"`) {
		t.Errorf("with=cost: %d %s", r.Status, r.Body)
	}
}

// TestProductListWithPricesOtherTenant: the other chain's priced list
// shows nothing of this chain's.
func TestProductListWithPricesOtherTenant(t *testing.T) {
	a, b := setup(t), setup(t)
	pb := b.product(t, "PB", "B的大米", b.root, map[string]any{"code": "RICE-B", "name": "B的大米", "prices": map[string]any{"list": 98765}})
	body := string(env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/products?with=prices&limit=200", Token: a.tn.AdminToken}).Body)
	for _, s := range []string{pb.ID.String(), pb.SKUs[0].ID.String(), "RICE-B", "98765"} {
		if strings.Contains(body, s) {
			t.Errorf("tenant A's priced list shows tenant B's %s", s)
		}
	}
}
