package catalog_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/infra/sheet"
	"chainstore/modules/catalog"
	"chainstore/tenant"
)

var env *apitest.Env

func TestMain(m *testing.M) { apitest.Main(m, "catalog", &env) }

// base is one chain's catalog skeleton: what signup gives a chain (the
// default units and root categories), the test's own count unit and a
// child category.
type base struct {
	tn          *apitest.Tenant
	pcs, kg     uuid.UUID
	root, child uuid.UUID // 食品 (a default root) > 饮料
	daily       uuid.UUID // 日用百货, the other default root
}

func setup(t *testing.T) *base {
	t.Helper()
	tn := env.Signup(t)
	b := &base{tn: tn}
	seedDefaults(t, tn)
	mk := func(path string, body map[string]any) uuid.UUID {
		t.Helper()
		r := env.Do(t, apitest.Req{Method: "POST", Path: path, Token: tn.AdminToken, Body: body})
		if r.Status != 201 {
			t.Fatalf("POST %s: %d %s", path, r.Status, r.Body)
		}
		var x struct{ ID uuid.UUID }
		r.JSON(t, &x)
		return x.ID
	}
	b.pcs = mk("/api/v1/catalog/units", map[string]any{"code": "pcs", "name": "个", "kind": "count"})
	b.kg = idOf(t, tn, "/api/v1/catalog/units", "kg")
	roots := "/api/v1/catalog/categories?roots=true"
	b.root, b.daily = idOf(t, tn, roots, "FOOD"), idOf(t, tn, roots, "DAILY")
	b.child = mk("/api/v1/catalog/categories", map[string]any{"code": "DRINK", "name": "饮料", "parent_id": b.root})
	return b
}

// seedDefaults gives a chain what signup gives it (idempotent, so it holds
// whether or not signup has run it already).
func seedDefaults(t *testing.T, tn *apitest.Tenant) {
	t.Helper()
	if err := env.Server.Catalog.SeedDefaults(context.Background(), tn.ID); err != nil {
		t.Fatal(err)
	}
}

// idOf is the id of the object with code in the list at path (units,
// categories).
func idOf(t *testing.T, tn *apitest.Tenant, path, code string) uuid.UUID {
	t.Helper()
	var list struct {
		Data []struct {
			ID   uuid.UUID
			Code string
		}
	}
	env.Do(t, apitest.Req{Method: "GET", Path: path, Token: tn.AdminToken}).JSON(t, &list)
	for _, x := range list.Data {
		if x.Code == code {
			return x.ID
		}
	}
	t.Fatalf("no %s in %s: %+v", code, path, list.Data)
	return uuid.Nil
}

// ean13 makes a valid EAN-13 from 12 digits.
func ean13(body string) string { return body + string(catalog.CheckDigit(body)) }

type product struct {
	ID   uuid.UUID
	SKUs []struct {
		ID   uuid.UUID
		Code string
	}
}

func (b *base) product(t *testing.T, code, name string, category uuid.UUID, skus ...map[string]any) product {
	t.Helper()
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/catalog/products", Token: b.tn.AdminToken, Body: map[string]any{
		"code": code, "name": name, "category_id": category, "unit_id": b.pcs, "skus": skus}})
	if r.Status != 201 {
		t.Fatalf("create product %s: %d %s", code, r.Status, r.Body)
	}
	var p product
	r.JSON(t, &p)
	return p
}

func count(t *testing.T, table string, tn *apitest.Tenant) int {
	return env.Count(t, `SELECT count(*) FROM `+table+` WHERE tenant_id = $1`, tn.ID)
}

func TestCatalogCRUD(t *testing.T) {
	b := setup(t)
	tn := b.tn
	brand := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/catalog/brands", Token: tn.AdminToken, Body: map[string]any{"name": "可口可乐"}})
	if brand.Status != 201 {
		t.Fatalf("brand: %d %s", brand.Status, brand.Body)
	}
	var br catalog.Brand
	brand.JSON(t, &br)
	code := ean13("690123456001")
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/catalog/products", Token: tn.AdminToken, Body: map[string]any{
		"code": "P-COLA", "name": "可口可乐", "category_id": b.child, "brand_id": br.ID, "unit_id": b.pcs, "shelf_life_days": 365,
		"skus": []any{
			map[string]any{"code": "COLA-330", "name": "可口可乐 330ml", "specs": map[string]string{"规格": "330ml"}, "barcodes": []string{code, "036000291452"},
				"prices": map[string]any{"list": 350, "member": 300, "cost": 200}},
			map[string]any{"code": "COLA-500", "name": "可口可乐 500ml", "specs": map[string]string{"规格": "500ml"}},
		}}})
	if r.Status != 201 {
		t.Fatalf("create product: %d %s", r.Status, r.Body)
	}
	var p catalog.Product
	r.JSON(t, &p)
	if len(p.SKUs) != 2 || p.TaxRateBP != 1300 || p.Status != "active" || p.BrandID == nil || *p.BrandID != br.ID {
		t.Fatalf("created %+v", p)
	}
	var cola catalog.SKU
	for _, k := range p.SKUs {
		if k.Code == "COLA-330" {
			cola = k
		}
	}
	if len(cola.Barcodes) != 2 || cola.Barcodes[0].Barcode != "0036000291452" || cola.Barcodes[0].Kind != "upca" || cola.Specs["规格"] != "330ml" {
		t.Fatalf("sku %+v", cola)
	}
	if n := env.Count(t, `SELECT count(*) FROM price_versions WHERE tenant_id = $1 AND sku_id = $2`, tn.ID, cola.ID); n != 3 {
		t.Fatalf("%d opening price versions, want 3", n)
	}

	// Bad barcodes and duplicates write nothing.
	before := count(t, "products", tn)
	r = env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/catalog/products", Token: tn.AdminToken, Body: map[string]any{
		"code": "P-BAD", "name": "坏条码", "category_id": b.root, "unit_id": b.pcs,
		"skus": []any{map[string]any{"code": "BAD-1", "name": "x", "barcodes": []string{"6901234567893"}}}}})
	if r.Status != 422 || !strings.Contains(string(r.Body), "skus[0].barcodes[0]") || !strings.Contains(string(r.Body), "check digit") {
		t.Fatalf("bad check digit: %d %s", r.Status, r.Body)
	}
	r = env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/catalog/products", Token: tn.AdminToken, Body: map[string]any{
		"code": "P-DUP", "name": "重复条码", "category_id": b.root, "unit_id": b.pcs,
		"skus": []any{map[string]any{"code": "DUP-1", "name": "x", "barcodes": []string{code}}}}})
	if r.Status != 409 || r.Code() != "barcodes.taken" {
		t.Fatalf("duplicate barcode: %d %s", r.Status, r.Body)
	}
	if after := count(t, "products", tn); after != before || count(t, "skus", tn) != 2 {
		t.Fatalf("a refused create wrote rows: %d → %d products", before, after)
	}
	r = env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/catalog/products", Token: tn.AdminToken, Body: map[string]any{
		"code": "P-COLA", "name": "again", "category_id": b.root, "unit_id": b.pcs, "skus": []any{map[string]any{"code": "Z1", "name": "z"}}}})
	if r.Status != 409 || r.Code() != "products.code_taken" {
		t.Fatalf("duplicate product code: %d %s", r.Status, r.Body)
	}
	r = env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/catalog/products", Token: tn.AdminToken, Body: map[string]any{
		"code": "", "name": "", "category_id": uuid.New(), "unit_id": b.pcs, "skus": []any{}}})
	if r.Status != 422 {
		t.Fatalf("empty product: %d %s", r.Status, r.Body)
	}

	// Barcodes on a SKU.
	sku := "/api/v1/catalog/skus/" + cola.ID.String()
	if r := env.Do(t, apitest.Req{Method: "POST", Path: sku + "/barcodes", Token: tn.AdminToken, Body: map[string]any{"barcode": "96385075"}}); r.Status != 422 {
		t.Fatalf("bad EAN-8: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: sku + "/barcodes", Token: tn.AdminToken, Body: map[string]any{"barcode": "96385074"}}); r.Status != 201 {
		t.Fatalf("EAN-8: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "DELETE", Path: sku + "/barcodes/96385074", Token: tn.AdminToken}); r.Status != 204 {
		t.Fatalf("remove barcode: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "DELETE", Path: sku + "/barcodes/96385074", Token: tn.AdminToken}); r.Status != 404 {
		t.Fatalf("remove barcode twice: %d %s", r.Status, r.Body)
	}

	// Lists and filters: the root category's subtree holds the product.
	var list struct{ Data []catalog.Product }
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/products?category_id=" + b.root.String(), Token: tn.AdminToken}).JSON(t, &list)
	if len(list.Data) != 1 || list.Data[0].ID != p.ID {
		t.Fatalf("subtree filter: %+v", list.Data)
	}
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/products?q=" + url.QueryEscape("可乐") + "&status=active", Token: tn.AdminToken}).JSON(t, &list)
	if len(list.Data) != 1 {
		t.Fatalf("q filter: %d", len(list.Data))
	}
	var cats struct{ Data []catalog.Category }
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/categories?parent_id=" + b.root.String(), Token: tn.AdminToken}).JSON(t, &cats)
	if len(cats.Data) != 1 || cats.Data[0].ID != b.child || cats.Data[0].Depth != 2 {
		t.Fatalf("children: %+v", cats.Data)
	}
	for _, q := range []string{"?status=gone", "?category_id=x", "?limit=0"} {
		if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/products" + q, Token: tn.AdminToken}); r.Status != 400 {
			t.Errorf("GET products%s: %d", q, r.Status)
		}
	}

	// Categories: a move under a descendant is refused; an in-use category cannot go.
	if r := env.Do(t, apitest.Req{Method: "PATCH", Path: "/api/v1/catalog/categories/" + b.root.String(), Token: tn.AdminToken,
		Body: map[string]any{"parent_id": b.child}}); r.Status != 422 {
		t.Fatalf("cycle: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "DELETE", Path: "/api/v1/catalog/categories/" + b.child.String(), Token: tn.AdminToken}); r.Status != 409 {
		t.Fatalf("delete used category: %d %s", r.Status, r.Body)
	}
	other := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/catalog/categories", Token: tn.AdminToken, Body: map[string]any{"code": "HOME", "name": "日用"}})
	var home catalog.Category
	other.JSON(t, &home)
	r = env.Do(t, apitest.Req{Method: "PATCH", Path: "/api/v1/catalog/categories/" + b.child.String(), Token: tn.AdminToken, Body: map[string]any{"parent_id": home.ID}})
	var moved catalog.Category
	r.JSON(t, &moved)
	if r.Status != 200 || moved.ParentID == nil || *moved.ParentID != home.ID || moved.Depth != 2 {
		t.Fatalf("move: %d %s", r.Status, r.Body)
	}
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/products?category_id=" + home.ID.String(), Token: tn.AdminToken}).JSON(t, &list)
	if len(list.Data) != 1 {
		t.Fatalf("after the move the new parent's subtree has %d products", len(list.Data))
	}

	// Updates.
	r = env.Do(t, apitest.Req{Method: "PATCH", Path: "/api/v1/catalog/products/" + p.ID.String(), Token: tn.AdminToken, Body: map[string]any{"tax_rate_bp": 900, "status": "discontinued"}})
	if r.Status != 200 {
		t.Fatalf("patch product: %d %s", r.Status, r.Body)
	}
	r = env.Do(t, apitest.Req{Method: "PATCH", Path: sku, Token: tn.AdminToken, Body: map[string]any{"name": "可口可乐 罐装", "plu": "000123"}})
	if r.Status != 200 {
		t.Fatalf("patch sku: %d %s", r.Status, r.Body)
	}
	r.JSON(t, &cola)
	if cola.PLU == nil || *cola.PLU != "123" || cola.Name != "可口可乐 罐装" {
		t.Fatalf("patched sku %+v", cola)
	}
	r = env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/catalog/products/" + p.ID.String() + "/skus", Token: tn.AdminToken,
		Body: map[string]any{"code": "COLA-2L", "name": "可口可乐 2L", "plu": "123"}})
	if r.Status != 409 || r.Code() != "skus.plu_taken" {
		t.Fatalf("duplicate PLU: %d %s", r.Status, r.Body)
	}
	if n := env.Count(t, `SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND action LIKE 'product.%'`, tn.ID); n != 2 {
		t.Errorf("%d product audit rows, want 2", n)
	}
	// A cashier reads the catalog but cannot write it.
	st := env.CreateStore(t, tn, nil)
	cashier := env.CreateUser(t, tn, "cashier", &st, nil)
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/products/" + p.ID.String(), Token: cashier.Token}); r.Status != 200 {
		t.Fatalf("cashier reading a product: %d", r.Status)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/catalog/brands", Token: cashier.Token, Body: map[string]any{"name": "x"}}); r.Status != 403 {
		t.Fatalf("cashier creating a brand: %d", r.Status)
	}
}

func TestPriceInForceAtPastTime(t *testing.T) {
	b := setup(t)
	tn := b.tn
	p := b.product(t, "P-RICE", "东北大米 5kg", b.root, map[string]any{"code": "RICE-5", "name": "东北大米 5kg"})
	skuID := p.SKUs[0].ID
	now := time.Now().UTC()
	t1, t2, t3 := now.Add(-72*time.Hour), now.Add(-24*time.Hour), now.Add(48*time.Hour)
	set := func(body map[string]any) *apitest.Response {
		return env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/catalog/skus/" + skuID.String() + "/prices", Token: tn.AdminToken, Body: body})
	}
	for _, v := range []struct {
		amount int64
		at     time.Time
	}{{4990, t1}, {5290, t2}, {5590, t3}} {
		if r := set(map[string]any{"kind": "list", "amount": v.amount, "effective_from": v.at}); r.Status != 201 {
			t.Fatalf("set price: %d %s", r.Status, r.Body)
		}
	}
	if r := set(map[string]any{"kind": "cost", "amount": 4000, "effective_from": t1}); r.Status != 201 {
		t.Fatalf("set cost: %d %s", r.Status, r.Body)
	}
	priceAt := func(at time.Time) catalog.Price {
		var pr catalog.Price
		r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/skus/" + skuID.String() + "/price?at=" + url.QueryEscape(at.Format(time.RFC3339Nano)), Token: tn.AdminToken})
		if r.Status != 200 {
			t.Fatalf("price at %s: %d %s", at, r.Status, r.Body)
		}
		r.JSON(t, &pr)
		return pr
	}
	cases := []struct {
		at   time.Time
		want *int64
	}{{t1.Add(-time.Hour), nil}, {t1, ptr(4990)}, {t1.Add(time.Hour), ptr(4990)}, {t2.Add(time.Minute), ptr(5290)}, {now, ptr(5290)}, {t3.Add(time.Second), ptr(5590)}}
	for _, c := range cases {
		got := priceAt(c.at)
		if (got.List == nil) != (c.want == nil) || (got.List != nil && *got.List != *c.want) {
			t.Errorf("list price at %s = %v, want %v", c.at, deref(got.List), deref(c.want))
		}
	}
	if pr := priceAt(now); pr.Cost == nil || *pr.Cost != 4000 || pr.ListSource != "hq" || pr.TaxRateBP != 1300 {
		t.Errorf("price now %+v", pr)
	}
	// The service answers many SKUs at once, as the POS asks.
	other := b.product(t, "P-OIL", "花生油", b.root, map[string]any{"code": "OIL-1", "name": "花生油 1L", "prices": map[string]any{"list": 2590}})
	ctx := tenant.WithPrincipal(context.Background(), &tenant.Principal{TenantID: tn.ID})
	m, err := env.Server.Catalog.PriceAt(ctx, tn.ID, nil, []uuid.UUID{skuID, other.SKUs[0].ID, uuid.New()}, time.Now().UTC())
	if err != nil {
		t.Fatal(err)
	}
	if len(m) != 2 || deref(m[skuID].List) != int64(5290) || deref(m[other.SKUs[0].ID].List) != int64(2590) {
		t.Fatalf("PriceAt now: %+v", m)
	}
	// Before the opening price of the second SKU, it had none.
	m, err = env.Server.Catalog.PriceAt(ctx, tn.ID, nil, []uuid.UUID{skuID, other.SKUs[0].ID}, t2.Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if deref(m[skuID].List) != int64(4990) || m[other.SKUs[0].ID].List != nil {
		t.Fatalf("PriceAt in the past: %+v", m)
	}
	// History, newest first; a cashier does not see cost.
	st := env.CreateStore(t, tn, nil)
	cashier := env.CreateUser(t, tn, "cashier", &st, nil)
	var hist struct{ Data []catalog.PriceVersion }
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/skus/" + skuID.String() + "/prices", Token: tn.AdminToken}).JSON(t, &hist)
	if len(hist.Data) != 4 || hist.Data[0].Kind != "cost" {
		t.Fatalf("admin history: %+v", hist.Data)
	}
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/skus/" + skuID.String() + "/prices?store_id=" + st.String(), Token: cashier.Token}).JSON(t, &hist)
	if len(hist.Data) != 3 {
		t.Fatalf("cashier history has %d rows, want 3 without cost", len(hist.Data))
	}
	var pr catalog.Price
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/skus/" + skuID.String() + "/price?store_id=" + st.String(), Token: cashier.Token}).JSON(t, &pr)
	if pr.Cost != nil || pr.List == nil {
		t.Fatalf("cashier price %+v", pr)
	}
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/skus/" + skuID.String() + "/price?at=yesterday", Token: tn.AdminToken}); r.Status != 400 {
		t.Fatalf("bad at: %d", r.Status)
	}
	if r := set(map[string]any{"kind": "list"}); r.Status != 422 {
		t.Fatalf("HQ price without amount: %d %s", r.Status, r.Body)
	}
	if r := set(map[string]any{"kind": "list", "amount": -1}); r.Status != 422 {
		t.Fatalf("negative price: %d %s", r.Status, r.Body)
	}
	if n := env.Count(t, `SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND action = 'price.set'`, tn.ID); n != 4 {
		t.Errorf("%d price audit rows, want 4", n)
	}
}

func ptr(v int64) *int64 { return &v }

func deref(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestFranchiseOverrideWithinBounds(t *testing.T) {
	b := setup(t)
	tn := b.tn
	fr := env.CreateFranchisee(t, tn)
	fstore := env.CreateStore(t, tn, &fr)
	direct := env.CreateStore(t, tn, nil)
	owner := env.CreateUser(t, tn, "franchisee", nil, &fr)
	manager := env.CreateUser(t, tn, "store_manager", &direct, nil)
	code := ean13("690123456100")
	p := b.product(t, "P-MILK", "纯牛奶", b.root, map[string]any{"code": "MILK-250", "name": "纯牛奶 250ml", "barcodes": []string{code},
		"prices": map[string]any{"list": 300, "member": 280}})
	sku := p.SKUs[0].ID
	path := "/api/v1/catalog/skus/" + sku.String() + "/prices"
	set := func(tok string, body map[string]any) *apitest.Response {
		return env.Do(t, apitest.Req{Method: "POST", Path: path, Token: tok, Body: body})
	}
	// No bounds yet: a franchisee may not price.
	if r := set(owner.Token, map[string]any{"kind": "list", "amount": 320, "store_id": fstore}); r.Status != 422 || r.Code() != "prices.out_of_bounds" {
		t.Fatalf("override without bounds: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "PUT", Path: "/api/v1/catalog/skus/" + sku.String() + "/price-bounds", Token: owner.Token,
		Body: map[string]any{"min_amount": 0, "max_amount": 99999}}); r.Status != 403 {
		t.Fatalf("franchisee setting bounds: %d", r.Status)
	}
	if r := env.Do(t, apitest.Req{Method: "PUT", Path: "/api/v1/catalog/skus/" + sku.String() + "/price-bounds", Token: tn.AdminToken,
		Body: map[string]any{"min_amount": 280, "max_amount": 350}}); r.Status != 200 {
		t.Fatalf("bounds: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "PUT", Path: "/api/v1/catalog/skus/" + sku.String() + "/price-bounds", Token: tn.AdminToken,
		Body: map[string]any{"min_amount": 400, "max_amount": 350}}); r.Status != 422 {
		t.Fatalf("inverted bounds: %d %s", r.Status, r.Body)
	}
	for _, amount := range []int64{279, 351} {
		if r := set(owner.Token, map[string]any{"kind": "list", "amount": amount, "store_id": fstore}); r.Status != 422 || r.Code() != "prices.out_of_bounds" {
			t.Fatalf("override %d: %d %s", amount, r.Status, r.Body)
		}
	}
	past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	if r := set(owner.Token, map[string]any{"kind": "list", "amount": 330, "store_id": fstore, "effective_from": past}); r.Status != 422 {
		t.Fatalf("franchisee backdating a store price: %d %s", r.Status, r.Body)
	}
	if r := set(owner.Token, map[string]any{"kind": "list", "amount": 330, "store_id": fstore}); r.Status != 201 {
		t.Fatalf("override in bounds: %d %s", r.Status, r.Body)
	}
	if r := set(owner.Token, map[string]any{"kind": "cost", "amount": 100, "store_id": fstore}); r.Status != 403 {
		t.Fatalf("franchisee setting cost: %d %s", r.Status, r.Body)
	}
	if r := set(owner.Token, map[string]any{"kind": "list", "amount": 330}); r.Status != 403 {
		t.Fatalf("franchisee setting HQ price: %d %s", r.Status, r.Body)
	}
	if r := set(owner.Token, map[string]any{"kind": "list", "amount": 330, "store_id": direct}); r.Status != 404 {
		t.Fatalf("franchisee pricing a direct store: %d %s", r.Status, r.Body)
	}
	if r := set(manager.Token, map[string]any{"kind": "list", "amount": 330, "store_id": direct}); r.Status != 403 {
		t.Fatalf("store manager pricing own store: %d %s", r.Status, r.Body)
	}
	// HQ overrides a direct store without bounds.
	if r := set(tn.AdminToken, map[string]any{"kind": "list", "amount": 999, "store_id": direct}); r.Status != 201 {
		t.Fatalf("HQ override: %d %s", r.Status, r.Body)
	}
	lookup := func(store uuid.UUID, tok string) catalog.Item {
		var res catalog.LookupResult
		r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/stores/" + store.String() + "/pos/lookup?barcode=" + code, Token: tok})
		if r.Status != 200 {
			t.Fatalf("lookup: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &res)
		return res.Data[0]
	}
	if it := lookup(fstore, owner.Token); *it.ListPrice != 330 || *it.MemberPrice != 280 {
		t.Fatalf("franchise store price %+v", it)
	}
	if it := lookup(direct, tn.AdminToken); *it.ListPrice != 999 {
		t.Fatalf("direct store price %+v", it)
	}
	other := env.CreateStore(t, tn, nil)
	if it := lookup(other, tn.AdminToken); *it.ListPrice != 300 {
		t.Fatalf("other store price %+v", it)
	}
	// Ending the override returns the store to HQ's price.
	if r := set(owner.Token, map[string]any{"kind": "list", "amount": nil, "store_id": fstore}); r.Status != 201 {
		t.Fatalf("end override: %d %s", r.Status, r.Body)
	}
	if it := lookup(fstore, owner.Token); *it.ListPrice != 300 {
		t.Fatalf("after ending the override %+v", it)
	}
	if n := env.Count(t, `SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND action = 'price.override'`, tn.ID); n != 3 {
		t.Errorf("%d override audit rows, want 3", n)
	}
}

func TestPOSLookup(t *testing.T) {
	b := setup(t)
	tn := b.tn
	s1, s2 := env.CreateStore(t, tn, nil), env.CreateStore(t, tn, nil)
	cashier := env.CreateUser(t, tn, "cashier", &s1, nil)
	code := ean13("690123456200")
	b.product(t, "P-CHIPS", "乐事薯片", b.root, map[string]any{"code": "CHIPS-70", "name": "乐事薯片 原味 70g", "barcodes": []string{code, "036000291452"},
		"prices": map[string]any{"list": 750}})
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/catalog/products", Token: tn.AdminToken, Body: map[string]any{
		"code": "P-APPLE", "name": "红富士苹果", "category_id": b.root, "unit_id": b.kg, "weighed": true,
		"skus": []any{map[string]any{"code": "APPLE", "name": "红富士苹果 散装", "plu": "1234", "prices": map[string]any{"list": 1290}}}}})
	if r.Status != 201 {
		t.Fatalf("weighed product: %d %s", r.Status, r.Body)
	}
	look := func(tok, query string) (*apitest.Response, catalog.LookupResult) {
		var res catalog.LookupResult
		r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/stores/" + s1.String() + "/pos/lookup?" + query, Token: tok})
		if r.Status == 200 {
			r.JSON(t, &res)
		}
		return r, res
	}
	if r, res := look(cashier.Token, "barcode="+code); r.Status != 200 || len(res.Data) != 1 || res.Data[0].Code != "CHIPS-70" || *res.Data[0].ListPrice != 750 || res.Scan.Kind != "ean13" {
		t.Fatalf("EAN-13 lookup: %d %s", r.Status, r.Body)
	}
	// UPC-A scanned as 12 digits finds the code stored as EAN-13.
	if r, res := look(cashier.Token, "barcode=036000291452"); r.Status != 200 || res.Data[0].Code != "CHIPS-70" {
		t.Fatalf("UPC-A lookup: %d %s", r.Status, r.Body)
	}
	// Weighed goods, default layout: 2 + PLU(6) + grams(5) + check.
	body := "2" + "001234" + "00875"
	scale := body + string(catalog.CheckDigit(body))
	r, res := look(cashier.Token, "barcode="+scale)
	if r.Status != 200 || res.Data[0].Code != "APPLE" || res.Scan == nil || !res.Scan.Weighed || *res.Scan.Quantity != 875 || res.Scan.QuantityDerived || res.Data[0].UnitKind != "weight" {
		t.Fatalf("scale lookup: %d %s", r.Status, r.Body)
	}
	// A price-embedding layout set by the chain.
	if r := env.Do(t, apitest.Req{Method: "PUT", Path: "/api/v1/catalog/scale-layouts", Token: tn.AdminToken, Body: map[string]any{"layouts": []any{
		map[string]any{"prefix": "28", "plu_length": 5, "value_kind": "price", "value_length": 5}}}}); r.Status != 200 {
		t.Fatalf("set layouts: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "PUT", Path: "/api/v1/catalog/scale-layouts", Token: tn.AdminToken, Body: map[string]any{"layouts": []any{
		map[string]any{"prefix": "2", "plu_length": 5, "value_kind": "price", "value_length": 5}}}}); r.Status != 422 {
		t.Fatalf("12-digit layout: %d %s", r.Status, r.Body)
	}
	body = "28" + "01234" + "01612"
	scale = body + string(catalog.CheckDigit(body))
	r, res = look(cashier.Token, "barcode="+scale)
	// 16.12 yuan of apples at 12.90 a kilogram: 1,249.6 g, so 1,250 g leave stock.
	if r.Status != 200 || res.Scan == nil || res.Scan.Amount == nil || *res.Scan.Amount != 1612 || res.Scan.Quantity == nil || *res.Scan.Quantity != 1250 || !res.Scan.QuantityDerived {
		t.Fatalf("price scale lookup: %d %s", r.Status, r.Body)
	}
	// By code, by name.
	if r, res := look(cashier.Token, "code=P-CHIPS"); r.Status != 200 || len(res.Data) != 1 {
		t.Fatalf("code lookup: %d %s", r.Status, r.Body)
	}
	if r, res := look(cashier.Token, "q="+url.QueryEscape("薯片")); r.Status != 200 || len(res.Data) != 1 || res.Data[0].Code != "CHIPS-70" {
		t.Fatalf("name lookup: %d %s", r.Status, r.Body)
	}
	if r, res := look(cashier.Token, "q=nothing-like-this"); r.Status != 200 || len(res.Data) != 0 {
		t.Fatalf("empty name lookup: %d %s", r.Status, r.Body)
	}
	if r, _ := look(cashier.Token, "barcode="+ean13("690000000000")); r.Status != 404 || r.Code() != "catalog.item_not_found" {
		t.Fatalf("unknown barcode: %d %s", r.Status, r.Body)
	}
	for _, q := range []string{"", "barcode=1&code=2", "q=x&limit=99", "limit=abc&q=x"} {
		if r, _ := look(cashier.Token, q); r.Status != 400 {
			t.Errorf("lookup ?%s: %d", q, r.Status)
		}
	}
	// Store scope: the cashier's other store is 404.
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/stores/" + s2.String() + "/pos/lookup?barcode=" + code, Token: cashier.Token}); r.Status != 404 {
		t.Fatalf("cashier in another store: %d", r.Status)
	}
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/stores/" + uuid.NewString() + "/pos/lookup?barcode=" + code, Token: tn.AdminToken}); r.Status != 404 {
		t.Fatalf("unknown store: %d", r.Status)
	}
}

type changes struct {
	Data      []catalog.Item
	NextSince int64 `json:"next_since"`
	HasMore   bool  `json:"has_more"`
}

func pull(t *testing.T, tok string, store uuid.UUID, since int64, limit int) changes {
	t.Helper()
	var c changes
	r := env.Do(t, apitest.Req{Method: "GET", Path: fmt.Sprintf("/api/v1/stores/%s/catalog/changes?since=%d&limit=%d", store, since, limit), Token: tok})
	if r.Status != 200 {
		t.Fatalf("changes: %d %s", r.Status, r.Body)
	}
	r.JSON(t, &c)
	return c
}

func TestChangesFeed(t *testing.T) {
	b := setup(t)
	tn := b.tn
	st := env.CreateStore(t, tn, nil)
	cashier := env.CreateUser(t, tn, "cashier", &st, nil)
	var skus []uuid.UUID
	for i := 0; i < 5; i++ {
		p := b.product(t, fmt.Sprintf("P%d", i), fmt.Sprintf("商品%d", i), b.root,
			map[string]any{"code": fmt.Sprintf("S%d", i), "name": fmt.Sprintf("商品%d", i), "barcodes": []string{ean13(fmt.Sprintf("69012345%04d", i))},
				"prices": map[string]any{"list": 100 + i}})
		skus = append(skus, p.SKUs[0].ID)
	}
	// A full snapshot, page by page.
	seen := map[uuid.UUID]bool{}
	var since int64
	for pages := 0; ; pages++ {
		c := pull(t, cashier.Token, st, since, 2)
		for _, it := range c.Data {
			if it.ChangeSeq <= since || seen[it.SKUID] {
				t.Fatalf("feed went backwards or repeated: %+v after %d", it, since)
			}
			seen[it.SKUID] = true
			if it.ListPrice == nil || len(it.Barcodes) != 1 {
				t.Fatalf("snapshot %+v", it)
			}
		}
		since = c.NextSince
		if !c.HasMore {
			break
		}
		if pages > 5 {
			t.Fatal("feed does not end")
		}
	}
	if len(seen) != 5 {
		t.Fatalf("snapshot has %d SKUs, want 5", len(seen))
	}
	if c := pull(t, cashier.Token, st, since, 100); len(c.Data) != 0 || c.HasMore || c.NextSince != since {
		t.Fatalf("caught-up feed %+v", c)
	}
	// A store override, a future HQ price, a discontinued product and a
	// removed barcode each bring their SKU back, and only those.
	adm := tn.AdminToken
	env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/catalog/skus/" + skus[0].String() + "/prices", Token: adm, Body: map[string]any{"kind": "list", "amount": 90, "store_id": st}})
	future := time.Now().UTC().Add(24 * time.Hour).Truncate(time.Second)
	env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/catalog/skus/" + skus[1].String() + "/prices", Token: adm, Body: map[string]any{"kind": "list", "amount": 150, "effective_from": future}})
	var p2 catalog.SKU
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/skus/" + skus[2].String(), Token: adm}).JSON(t, &p2)
	env.Do(t, apitest.Req{Method: "PATCH", Path: "/api/v1/catalog/products/" + p2.ProductID.String(), Token: adm, Body: map[string]any{"status": "discontinued"}})
	if r := env.Do(t, apitest.Req{Method: "DELETE", Path: "/api/v1/catalog/skus/" + skus[3].String() + "/barcodes/" + ean13("690123450003"), Token: adm}); r.Status != 204 {
		t.Fatalf("remove barcode: %d %s", r.Status, r.Body)
	}
	c := pull(t, cashier.Token, st, since, 100)
	got := map[uuid.UUID]catalog.Item{}
	for _, it := range c.Data {
		got[it.SKUID] = it
	}
	if len(got) != 4 {
		t.Fatalf("%d changed SKUs, want 4: %+v", len(got), c.Data)
	}
	if *got[skus[0]].ListPrice != 90 {
		t.Errorf("override not in the feed: %+v", got[skus[0]])
	}
	if it := got[skus[1]]; *it.ListPrice != 101 || len(it.Scheduled) != 1 || *it.Scheduled[0].Amount != 150 || !it.Scheduled[0].EffectiveFrom.Equal(future) {
		t.Errorf("scheduled price: %+v", it)
	}
	if got[skus[2]].Status != "discontinued" {
		t.Errorf("tombstone: %+v", got[skus[2]])
	}
	if len(got[skus[3]].Barcodes) != 0 {
		t.Errorf("removed barcode still sent: %+v", got[skus[3]])
	}
	// A till that accepts gzip gets the same page compressed.
	path := fmt.Sprintf("/api/v1/stores/%s/catalog/changes?since=0&limit=100", st)
	plain := env.Do(t, apitest.Req{Method: "GET", Path: path, Token: cashier.Token})
	zipped := env.Do(t, apitest.Req{Method: "GET", Path: path, Token: cashier.Token, Header: map[string]string{"Accept-Encoding": "gzip"}, SkipSpec: true})
	if plain.Header.Get("Content-Encoding") != "" || zipped.Status != 200 || zipped.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("feed encodings: plain %q, asked for gzip %d %q", plain.Header.Get("Content-Encoding"), zipped.Status, zipped.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(zipped.Body))
	if err != nil {
		t.Fatal(err)
	}
	if unzipped, err := io.ReadAll(zr); err != nil || !bytes.Equal(unzipped, plain.Body) {
		t.Fatalf("gunzipped feed differs from the plain one (err %v)", err)
	}
	for _, q := range []string{"since=-1", "since=x", "limit=5001", "limit=0"} {
		if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/stores/" + st.String() + "/catalog/changes?" + q, Token: cashier.Token}); r.Status != 400 {
			t.Errorf("changes ?%s: %d", q, r.Status)
		}
	}
	other := env.CreateStore(t, tn, nil)
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/stores/" + other.String() + "/catalog/changes", Token: cashier.Token}); r.Status != 404 {
		t.Fatalf("cashier pulling another store's feed: %d", r.Status)
	}
}

const importHeader = "product_code,product_name,category_code,brand,unit,weighed,tax_rate,shelf_life_days,status,sku_code,sku_name,specs,plu,barcodes,list_price,member_price,cost_price\n"

func upload(t *testing.T, tok, contentType string, data []byte) *apitest.Response {
	t.Helper()
	return env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/catalog/imports?filename=products", Token: tok, RawBody: data, Header: map[string]string{"Content-Type": contentType}})
}

func importFile(good1, good2 string) string {
	return importHeader +
		"IMP-1,康师傅红烧牛肉面,FOOD,康师傅,pcs,no,13%,180,,IMP-1-A,红烧牛肉面 袋装,规格=袋装,," + good1 + ",4.50,4.00,3.00\n" +
		"IMP-1,康师傅红烧牛肉面,FOOD,康师傅,pcs,no,13%,180,,IMP-1-B,红烧牛肉面 桶装,规格=桶装,," + good2 + ",5.50,,\n" +
		"IMP-2,坏行,NOPE,,pcs,no,13,,,IMP-2-A,,,,6901234567893,abc,,\n" + // bad category, barcode and price
		"IMP-3,散装香蕉,FOOD,,kg,yes,9%,7,,IMP-3-A,香蕉,,4321,,6.80,,\n"
}

func TestImportCSVWithBadRows(t *testing.T) {
	b := setup(t)
	tn := b.tn
	data := importFile(ean13("690123457001"), ean13("690123457002"))
	r := upload(t, tn.AdminToken, "text/csv", []byte(data))
	if r.Status != 201 {
		t.Fatalf("upload: %d %s", r.Status, r.Body)
	}
	var imp catalog.Import
	r.JSON(t, &imp)
	if imp.Status != "validated" || imp.Format != "csv" || imp.TotalRows != 4 || imp.ValidRows != 3 || imp.ErrorRows != 1 {
		t.Fatalf("report %+v", imp)
	}
	fields := map[string]bool{}
	for _, e := range imp.Errors {
		if e.Line != 4 {
			t.Errorf("error on line %d, want 4: %+v", e.Line, e)
		}
		fields[e.Field] = true
	}
	if !fields["category_code"] || !fields["barcodes"] || !fields["list_price"] {
		t.Fatalf("errors %+v", imp.Errors)
	}
	if count(t, "products", tn) != 0 || count(t, "skus", tn) != 0 {
		t.Fatal("a dry run wrote products")
	}
	path := "/api/v1/catalog/imports/" + imp.ID.String()
	// Without accepting the bad rows nothing is written.
	if r := env.Do(t, apitest.Req{Method: "POST", Path: path + "/commit", Token: tn.AdminToken, Body: map[string]any{}}); r.Status != 422 || r.Code() != "imports.has_errors" {
		t.Fatalf("commit without accepting: %d %s", r.Status, r.Body)
	}
	if count(t, "products", tn) != 0 || count(t, "skus", tn) != 0 || count(t, "brands", tn) != 0 {
		t.Fatal("a refused commit wrote rows")
	}
	var again catalog.Import
	env.Do(t, apitest.Req{Method: "GET", Path: path, Token: tn.AdminToken}).JSON(t, &again)
	if again.Status != "validated" {
		t.Fatalf("after a refused commit: %+v", again)
	}
	r = env.Do(t, apitest.Req{Method: "POST", Path: path + "/commit", Token: tn.AdminToken, Body: map[string]any{"accept_errors": true}})
	if r.Status != 200 {
		t.Fatalf("commit: %d %s", r.Status, r.Body)
	}
	r.JSON(t, &imp)
	if imp.Status != "committed" || imp.WrittenRows != 3 || imp.ProcessedRows != 4 || !imp.AcceptedErrors {
		t.Fatalf("committed %+v", imp)
	}
	if count(t, "products", tn) != 2 || count(t, "skus", tn) != 3 || count(t, "sku_barcodes", tn) != 2 || count(t, "brands", tn) != 1 {
		t.Fatalf("wrote %d products, %d skus, %d barcodes", count(t, "products", tn), count(t, "skus", tn), count(t, "sku_barcodes", tn))
	}
	if n := env.Count(t, `SELECT count(*) FROM skus WHERE tenant_id = $1 AND code = 'IMP-2-A'`, tn.ID); n != 0 {
		t.Fatal("the bad row was written")
	}
	if n := env.Count(t, `SELECT count(*) FROM price_versions v JOIN skus s ON s.tenant_id = v.tenant_id AND s.id = v.sku_id
		WHERE v.tenant_id = $1 AND s.code = 'IMP-1-A' AND v.kind = 'list' AND v.amount = 450`, tn.ID); n != 1 {
		t.Fatal("the list price 4.50 was not written as 450 fen")
	}
	if n := env.Count(t, `SELECT count(*) FROM skus s JOIN products p ON p.tenant_id = s.tenant_id AND p.id = s.product_id
		WHERE s.tenant_id = $1 AND s.plu = '4321' AND p.weighed AND p.tax_rate_bp = 900 AND p.shelf_life_days = 7`, tn.ID); n != 1 {
		t.Fatal("the weighed row was not written as given")
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: path + "/commit", Token: tn.AdminToken, Body: map[string]any{"accept_errors": true}}); r.Status != 409 {
		t.Fatalf("second commit: %d %s", r.Status, r.Body)
	}
	// Bad files.
	if r := upload(t, tn.AdminToken, "text/csv", []byte("a,b\n1,2\n")); r.Status != 422 || r.Code() != "imports.unreadable" {
		t.Fatalf("missing columns: %d %s", r.Status, r.Body)
	}
	if r := upload(t, tn.AdminToken, "application/json", []byte(`{}`)); r.Status != 415 {
		t.Fatalf("json upload: %d %s", r.Status, r.Body)
	}
	if r := upload(t, tn.AdminToken, "text/csv", []byte("  ")); r.Status != 422 {
		t.Fatalf("empty upload: %d %s", r.Status, r.Body)
	}
	st := env.CreateStore(t, tn, nil)
	mgr := env.CreateUser(t, tn, "store_manager", &st, nil)
	if r := upload(t, mgr.Token, "text/csv", []byte(data)); r.Status != 403 {
		t.Fatalf("store manager importing: %d", r.Status)
	}
}

func TestImportXLSXAndExportRoundTrip(t *testing.T) {
	b := setup(t)
	tn := b.tn
	tbl, err := sheet.Read([]byte(importFile(ean13("690123458001"), ean13("690123458002"))))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := sheet.Write(&buf, sheet.XLSX, "products", tbl.Header, tbl.Rows); err != nil {
		t.Fatal(err)
	}
	r := upload(t, tn.AdminToken, sheet.XLSX.ContentType(), buf.Bytes())
	if r.Status != 201 {
		t.Fatalf("xlsx upload: %d %s", r.Status, r.Body)
	}
	var imp catalog.Import
	r.JSON(t, &imp)
	if imp.Format != "xlsx" || imp.ValidRows != 3 || imp.ErrorRows != 1 || imp.Errors[0].Line != 4 {
		t.Fatalf("xlsx report %+v", imp)
	}
	if count(t, "skus", tn) != 0 {
		t.Fatal("an xlsx dry run wrote SKUs")
	}
	r = env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/catalog/imports/" + imp.ID.String() + "/commit", Token: tn.AdminToken, Body: map[string]any{"accept_errors": true}})
	if r.Status != 200 || count(t, "skus", tn) != 3 {
		t.Fatalf("xlsx commit: %d %s (%d skus)", r.Status, r.Body, count(t, "skus", tn))
	}
	// Export as CSV, then import the export: every row is good and nothing changes.
	r = env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/products/export?format=csv", Token: tn.AdminToken})
	if r.Status != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("export: %d %s", r.Status, r.Body)
	}
	if !strings.Contains(string(r.Body), "IMP-1-A") || !strings.Contains(string(r.Body), "4.50") {
		t.Fatalf("export body %s", r.Body)
	}
	versions := count(t, "price_versions", tn)
	r2 := upload(t, tn.AdminToken, "text/csv", r.Body)
	r2.JSON(t, &imp)
	if imp.ErrorRows != 0 || imp.ValidRows != 3 {
		t.Fatalf("re-import of the export: %+v", imp)
	}
	env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/catalog/imports/" + imp.ID.String() + "/commit", Token: tn.AdminToken, Body: map[string]any{}})
	if count(t, "skus", tn) != 3 || count(t, "price_versions", tn) != versions {
		t.Fatalf("re-import changed the catalog: %d skus, %d → %d price versions", count(t, "skus", tn), versions, count(t, "price_versions", tn))
	}
	x := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/products/export?format=xlsx", Token: tn.AdminToken})
	if x.Status != 200 || !bytes.HasPrefix(x.Body, []byte("PK")) {
		t.Fatalf("xlsx export: %d", x.Status)
	}
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/products/export?format=pdf", Token: tn.AdminToken}); r.Status != 400 {
		t.Fatalf("pdf export: %d", r.Status)
	}
}

func TestImportLargeFileCommitsInBackground(t *testing.T) {
	b := setup(t)
	tn := b.tn
	var sb strings.Builder
	sb.WriteString(importHeader)
	rows := catalog.SyncImportRows + 200
	for i := 0; i < rows; i++ {
		fmt.Fprintf(&sb, "BIG-%d,批量商品%d,FOOD,,pcs,no,13,,,BIG-%d-A,,,,%s,1.00,,\n", i/2, i/2, i, ean13(fmt.Sprintf("6950%08d", i)))
	}
	r := upload(t, tn.AdminToken, "text/csv", []byte(sb.String()))
	if r.Status != 201 {
		t.Fatalf("upload: %d %s", r.Status, r.Body)
	}
	var imp catalog.Import
	r.JSON(t, &imp)
	if imp.ValidRows != rows || imp.ErrorRows != 0 {
		t.Fatalf("report %+v", imp)
	}
	r = env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/catalog/imports/" + imp.ID.String() + "/commit", Token: tn.AdminToken, Body: map[string]any{}})
	if r.Status != 202 {
		t.Fatalf("large commit: %d %s", r.Status, r.Body)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/imports/" + imp.ID.String(), Token: tn.AdminToken}).JSON(t, &imp)
		if imp.Status != "committing" || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if imp.Status != "committed" || imp.WrittenRows != rows || imp.ProcessedRows != rows {
		t.Fatalf("background import ended %+v", imp)
	}
	if n := count(t, "skus", tn); n != rows {
		t.Fatalf("%d skus written, want %d", n, rows)
	}
}

// TestCatalog404OtherTenant: every catalog endpoint, with tenant A's token
// on tenant B's objects, answers 404 (lists: nothing of B).
func TestCatalog404OtherTenant(t *testing.T) {
	a, b := setup(t), setup(t)
	code := ean13("690123459001")
	pb := b.product(t, "PB", "B的商品", b.root, map[string]any{"code": "SKU-B", "name": "B的商品", "barcodes": []string{code}, "prices": map[string]any{"list": 100}})
	skuB := pb.SKUs[0].ID.String()
	storeB := env.CreateStore(t, b.tn, nil)
	var brB catalog.Brand
	env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/catalog/brands", Token: b.tn.AdminToken, Body: map[string]any{"name": "B牌"}}).JSON(t, &brB)
	var impB catalog.Import
	upload(t, b.tn.AdminToken, "text/csv", []byte(importHeader+"X1,x,FOOD,,pcs,,,,,X1-A,,,,,,,\n")).JSON(t, &impB)
	if r := env.Do(t, apitest.Req{Method: "PUT", Path: "/api/v1/catalog/scale-layouts", Token: b.tn.AdminToken, Body: map[string]any{"layouts": []any{
		map[string]any{"prefix": "28", "plu_length": 5, "value_kind": "price", "value_length": 5}}}}); r.Status != 200 {
		t.Fatalf("tenant B sets layouts: %d %s", r.Status, r.Body)
	}
	storeA := env.CreateStore(t, a.tn, nil)
	tok := a.tn.AdminToken
	for _, req := range []apitest.Req{
		{Method: "GET", Path: "/api/v1/catalog/categories/" + b.root.String()},
		{Method: "PATCH", Path: "/api/v1/catalog/categories/" + b.root.String(), Body: map[string]any{"name": "stolen"}},
		{Method: "DELETE", Path: "/api/v1/catalog/categories/" + b.child.String()},
		{Method: "PATCH", Path: "/api/v1/catalog/brands/" + brB.ID.String(), Body: map[string]any{"name": "stolen"}},
		{Method: "GET", Path: "/api/v1/catalog/products/" + pb.ID.String()},
		{Method: "PATCH", Path: "/api/v1/catalog/products/" + pb.ID.String(), Body: map[string]any{"name": "stolen"}},
		{Method: "POST", Path: "/api/v1/catalog/products/" + pb.ID.String() + "/skus", Body: map[string]any{"code": "STOLEN", "name": "x"}},
		{Method: "GET", Path: "/api/v1/catalog/skus/" + skuB},
		{Method: "PATCH", Path: "/api/v1/catalog/skus/" + skuB, Body: map[string]any{"name": "stolen"}},
		{Method: "POST", Path: "/api/v1/catalog/skus/" + skuB + "/barcodes", Body: map[string]any{"barcode": ean13("690123459002")}},
		{Method: "DELETE", Path: "/api/v1/catalog/skus/" + skuB + "/barcodes/" + code},
		{Method: "GET", Path: "/api/v1/catalog/skus/" + skuB + "/prices"},
		{Method: "POST", Path: "/api/v1/catalog/skus/" + skuB + "/prices", Body: map[string]any{"kind": "list", "amount": 1}},
		{Method: "POST", Path: "/api/v1/catalog/skus/" + pb.SKUs[0].ID.String() + "/prices", Body: map[string]any{"kind": "list", "amount": 1, "store_id": storeB}},
		{Method: "GET", Path: "/api/v1/catalog/skus/" + skuB + "/price"},
		{Method: "GET", Path: "/api/v1/catalog/skus/" + skuB + "/price-bounds"},
		{Method: "PUT", Path: "/api/v1/catalog/skus/" + skuB + "/price-bounds", Body: map[string]any{"min_amount": 1, "max_amount": 2}},
		{Method: "GET", Path: "/api/v1/catalog/imports/" + impB.ID.String()},
		{Method: "POST", Path: "/api/v1/catalog/imports/" + impB.ID.String() + "/commit", Body: map[string]any{"accept_errors": true}},
		{Method: "GET", Path: "/api/v1/stores/" + storeB.String() + "/pos/lookup?barcode=" + code},
		{Method: "GET", Path: "/api/v1/stores/" + storeB.String() + "/catalog/changes"},
		// A's own store cannot reach B's SKU either.
		{Method: "GET", Path: "/api/v1/stores/" + storeA.String() + "/pos/lookup?barcode=" + code},
		{Method: "GET", Path: "/api/v1/catalog/skus/" + skuB + "/price?store_id=" + storeA.String()},
	} {
		req.Token = tok
		if r := env.Do(t, req); r.Status != 404 {
			t.Errorf("%s %s with tenant A's token: %d %s", req.Method, req.Path, r.Status, r.Body)
		}
	}
	// Lists, the feed and the export show nothing of B.
	for _, path := range []string{"/api/v1/catalog/categories", "/api/v1/catalog/categories/tree", "/api/v1/catalog/brands", "/api/v1/catalog/units", "/api/v1/catalog/products"} {
		r := env.Do(t, apitest.Req{Method: "GET", Path: path, Token: tok})
		if r.Status != 200 || strings.Contains(string(r.Body), b.root.String()) || strings.Contains(string(r.Body), brB.ID.String()) ||
			strings.Contains(string(r.Body), pb.ID.String()) || strings.Contains(string(r.Body), b.pcs.String()) {
			t.Errorf("GET %s shows tenant B: %d %s", path, r.Status, r.Body)
		}
	}
	// B's scale layouts are not A's: A still reads the default.
	var lay struct{ Layouts []catalog.ScaleLayout }
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/scale-layouts", Token: tok}); r.Status != 200 {
		t.Errorf("GET scale-layouts: %d %s", r.Status, r.Body)
	} else if r.JSON(t, &lay); len(lay.Layouts) != 1 || lay.Layouts[0] != catalog.DefaultScaleLayout {
		t.Errorf("tenant A sees layouts %+v, want only the default", lay.Layouts)
	}
	if c := pull(t, tok, storeA, 0, 5000); len(c.Data) != 0 {
		t.Errorf("tenant A's feed has %d items of B", len(c.Data))
	}
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/products/export", Token: tok}); strings.Contains(string(r.Body), "SKU-B") {
		t.Error("tenant A's export has tenant B's SKU")
	}
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/stores/" + storeA.String() + "/pos/lookup?q=" + url.QueryEscape("B的"), Token: tok}); strings.Contains(string(r.Body), "SKU-B") {
		t.Error("tenant A's name search finds tenant B's SKU")
	}
	// Tenant A cannot file a product under B's category or unit.
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/catalog/products", Token: tok, Body: map[string]any{
		"code": "PX", "name": "x", "category_id": b.root, "unit_id": b.pcs, "skus": []any{map[string]any{"code": "PX-1", "name": "x"}}}})
	if r.Status != 422 {
		t.Errorf("product in another tenant's category: %d %s", r.Status, r.Body)
	}
	// Nothing of B changed.
	var got catalog.Product
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/products/" + pb.ID.String(), Token: b.tn.AdminToken}).JSON(t, &got)
	if got.Name != "B的商品" || len(got.SKUs) != 1 || len(got.SKUs[0].Barcodes) != 1 {
		t.Fatalf("tenant B's product changed: %+v", got)
	}
	if n := env.Count(t, `SELECT count(*) FROM price_versions WHERE tenant_id = $1`, b.tn.ID); n != 1 {
		t.Fatalf("tenant B has %d price versions, want 1", n)
	}
}

// TestPricesFollowTheClock: the catalog's "now" is the server's one clock:
// a price set without an effective time starts at the clock's time, and
// the till's look-up and feed price at it, so moving the clock past a
// scheduled change brings that price into force.
func TestPricesFollowTheClock(t *testing.T) {
	b := setup(t)
	tn := b.tn
	st := env.CreateStore(t, tn, nil)
	code := ean13("690123456300")
	p := b.product(t, "P-TEA", "绿茶", b.root, map[string]any{"code": "TEA-500", "name": "绿茶 500ml", "barcodes": []string{code},
		"prices": map[string]any{"list": 300}})
	sku := p.SKUs[0].ID
	soon := time.Now().UTC().Add(72 * time.Hour).Truncate(time.Second)
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/catalog/skus/" + sku.String() + "/prices", Token: tn.AdminToken,
		Body: map[string]any{"kind": "list", "amount": 350, "effective_from": soon}}); r.Status != 201 {
		t.Fatalf("schedule: %d %s", r.Status, r.Body)
	}
	svc := env.Server.Catalog
	ctx := tenant.WithPrincipal(context.Background(), &tenant.Principal{TenantID: tn.ID, UserID: tn.AdminID})
	later := soon.Add(24 * time.Hour)
	env.Server.Clock.Freeze(later)
	t.Cleanup(func() { env.Server.Clock.Set(nil) })
	res, err := svc.Lookup(ctx, tn.ID, st, catalog.LookupQuery{Barcode: code})
	if err != nil {
		t.Fatal(err)
	}
	if it := res.Data[0]; deref(it.ListPrice) != int64(350) || len(it.Scheduled) != 0 {
		t.Fatalf("look-up a day after the scheduled change: %+v", it)
	}
	feed, err := svc.Changes(ctx, tn.ID, st, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(feed.Data) != 1 || deref(feed.Data[0].ListPrice) != int64(350) {
		t.Fatalf("feed a day after the scheduled change: %+v", feed.Data)
	}
	v, err := svc.SetPrice(ctx, &tenant.Principal{TenantID: tn.ID, UserID: tn.AdminID}, sku, catalog.SetPriceInput{Kind: catalog.PriceMember, Amount: ptr(320)})
	if err != nil {
		t.Fatal(err)
	}
	if !v.EffectiveFrom.Equal(later) {
		t.Fatalf("a price set now starts at %s, want the clock's %s", v.EffectiveFrom, later)
	}
}
