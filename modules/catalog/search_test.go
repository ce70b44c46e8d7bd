package catalog_test

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/infra/web"
	"chainstore/modules/catalog"
)

type skuPage struct {
	Data       []catalog.SKUMatch
	NextCursor *string `json:"next_cursor"`
}

// searchSKUs asks GET /catalog/skus with query (already encoded) and
// wants a 200.
func searchSKUs(t *testing.T, tok, query string) skuPage {
	t.Helper()
	r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/skus?" + query, Token: tok})
	if r.Status != 200 {
		t.Fatalf("GET /catalog/skus?%s: %d %s", query, r.Status, r.Body)
	}
	var p skuPage
	r.JSON(t, &p)
	return p
}

func codes(ms []catalog.SKUMatch) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Code
	}
	slices.Sort(out)
	return out
}

// searchFixture: a chain with cola in two sizes (barcodes EAN-13 and
// UPC-A), green tea, a discontinued SKU of an active product and an active
// SKU of a discontinued product.
type searchFixture struct {
	*base
	ean, upc       string
	cola330, tea   uuid.UUID
	brand          uuid.UUID
	oldSKU, oldPrd uuid.UUID
}

func newSearchFixture(t *testing.T) *searchFixture {
	t.Helper()
	b := setup(t)
	f := &searchFixture{base: b, ean: ean13("690123457001"), upc: "036000291452"}
	var br catalog.Brand
	env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/catalog/brands", Token: b.tn.AdminToken, Body: map[string]any{"name": "可口可乐"}}).JSON(t, &br)
	f.brand = br.ID
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/catalog/products", Token: b.tn.AdminToken, Body: map[string]any{
		"code": "P-COLA", "name": "可口可乐", "category_id": b.child, "brand_id": br.ID, "unit_id": b.pcs,
		"skus": []any{
			map[string]any{"code": "COLA-330", "name": "可口可乐 330ml", "specs": map[string]string{"规格": "330ml"}, "barcodes": []string{f.ean, f.upc}},
			map[string]any{"code": "COLA-500", "name": "可口可乐 500ml"},
		}}})
	if r.Status != 201 {
		t.Fatalf("create cola: %d %s", r.Status, r.Body)
	}
	var cola catalog.Product
	r.JSON(t, &cola)
	f.cola330 = cola.SKUs[0].ID
	if cola.SKUs[0].Code != "COLA-330" {
		f.cola330 = cola.SKUs[1].ID
	}
	f.tea = b.product(t, "P-TEA", "绿茶", b.root, map[string]any{"code": "TEA-500", "name": "绿茶 500ml"}).SKUs[0].ID
	old := b.product(t, "P-SODA", "汽水", b.root, map[string]any{"code": "SODA-OLD", "name": "汽水 旧包装"}, map[string]any{"code": "SODA-NEW", "name": "汽水 新包装"})
	for _, k := range old.SKUs {
		if k.Code == "SODA-OLD" {
			f.oldSKU = k.ID
		}
	}
	if r := env.Do(t, apitest.Req{Method: "PATCH", Path: "/api/v1/catalog/skus/" + f.oldSKU.String(), Token: b.tn.AdminToken, Body: map[string]any{"status": "discontinued"}}); r.Status != 200 {
		t.Fatalf("discontinue sku: %d %s", r.Status, r.Body)
	}
	f.oldPrd = b.product(t, "P-GONE", "停售饼干", b.daily, map[string]any{"code": "BISCUIT-1", "name": "饼干"}).ID
	if r := env.Do(t, apitest.Req{Method: "PATCH", Path: "/api/v1/catalog/products/" + f.oldPrd.String(), Token: b.tn.AdminToken, Body: map[string]any{"status": "discontinued"}}); r.Status != 200 {
		t.Fatalf("discontinue product: %d %s", r.Status, r.Body)
	}
	return f
}

func TestSearchSKUs(t *testing.T) {
	f := newSearchFixture(t)
	tok := f.tn.AdminToken
	cases := []struct {
		name, query string
		want        []string
	}{
		{"code prefix in any case", "q=cola", []string{"COLA-330", "COLA-500"}},
		{"code prefix, longer", "q=Cola-3", []string{"COLA-330"}},
		{"code is matched by prefix only", "q=OLA", nil},
		{"barcode exactly", "q=" + f.ean, []string{"COLA-330"}},
		{"barcode prefix is no match", "q=" + f.ean[:8], nil},
		{"UPC-A as scanned, stored as EAN-13", "q=" + f.upc, []string{"COLA-330"}},
		{"product name substring", "q=" + url.QueryEscape("口可"), []string{"COLA-330", "COLA-500"}},
		{"SKU name substring", "q=" + url.QueryEscape("新包装"), []string{"SODA-NEW"}},
		{"a LIKE wildcard is literal", "q=" + url.QueryEscape("%"), nil},
		{"discontinued SKUs are found by default", "q=SODA", []string{"SODA-NEW", "SODA-OLD"}},
		{"active only", "q=SODA&status=active", []string{"SODA-NEW"}},
		{"discontinued: the SKU's or its product's", "status=discontinued", []string{"BISCUIT-1", "SODA-OLD"}},
		{"no q: every SKU", "", []string{"BISCUIT-1", "COLA-330", "COLA-500", "SODA-NEW", "SODA-OLD", "TEA-500"}},
		{"q is trimmed", "q=" + url.QueryEscape("  tea "), []string{"TEA-500"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := codes(searchSKUs(t, tok, c.query).Data)
			if !slices.Equal(got, c.want) && !(len(got) == 0 && len(c.want) == 0) {
				t.Errorf("?%s found %v, want %v", c.query, got, c.want)
			}
		})
	}

	// A row carries what a picker shows.
	p := searchSKUs(t, tok, "q=COLA-330")
	if len(p.Data) != 1 || p.NextCursor != nil {
		t.Fatalf("COLA-330: %+v", p)
	}
	m := p.Data[0]
	wantBarcodes := []string{"0036000291452", f.ean}
	slices.Sort(wantBarcodes)
	if m.SKUID != f.cola330 || m.ProductName != "可口可乐" || m.Name != "可口可乐 330ml" || m.Specs["规格"] != "330ml" ||
		m.Unit != "pcs" || m.UnitName != "个" || m.UnitKind != "count" || m.Status != "active" ||
		m.CategoryID != f.child || m.BrandID == nil || *m.BrandID != f.brand || !slices.Equal(m.Barcodes, wantBarcodes) {
		t.Errorf("COLA-330 row: %+v", m)
	}
	if m := searchSKUs(t, tok, "q=TEA").Data[0]; m.BrandID != nil || len(m.Barcodes) != 0 || m.Barcodes == nil || m.Specs == nil {
		t.Errorf("TEA-500 row (no brand, barcodes or specs): %+v", m)
	}
	if m := searchSKUs(t, tok, "q=BISCUIT").Data[0]; m.Status != "discontinued" {
		t.Errorf("a SKU of a discontinued product shows %q", m.Status)
	}

	// Paging: two at a time, in id order, every SKU once.
	var seen []uuid.UUID
	cursor, pages := "", 0
	for {
		q := "limit=2"
		if cursor != "" {
			q += "&cursor=" + cursor
		}
		p := searchSKUs(t, tok, q)
		pages++
		if len(p.Data) > 2 {
			t.Fatalf("page of %d rows with limit=2", len(p.Data))
		}
		for _, m := range p.Data {
			seen = append(seen, m.SKUID)
		}
		if p.NextCursor == nil {
			break
		}
		cursor = *p.NextCursor
		if pages > 10 {
			t.Fatal("paging does not end")
		}
	}
	if len(seen) != 6 || pages != 3 || !slices.IsSortedFunc(seen, func(a, b uuid.UUID) int { return strings.Compare(a.String(), b.String()) }) {
		t.Errorf("paged %d SKUs in %d pages (want 6 in 3, in id order): %v", len(seen), pages, seen)
	}
	slices.SortFunc(seen, func(a, b uuid.UUID) int { return strings.Compare(a.String(), b.String()) })
	if len(slices.Compact(seen)) != 6 {
		t.Errorf("a SKU came twice across pages")
	}
	// A filter holds across pages.
	if p := searchSKUs(t, tok, "q=cola&limit=1"); len(p.Data) != 1 || p.NextCursor == nil {
		t.Fatalf("cola page 1: %+v", p)
	} else if p2 := searchSKUs(t, tok, "q=cola&limit=1&cursor="+*p.NextCursor); len(p2.Data) != 1 || p2.Data[0].SKUID == p.Data[0].SKUID {
		t.Fatalf("cola page 2: %+v after %+v", p2, p)
	}

	// By ids: only those, with the other filters; an unknown id is absent.
	ids := f.cola330.String() + "," + f.oldSKU.String() + "," + uuid.New().String()
	if got := codes(searchSKUs(t, tok, "ids="+ids).Data); !slices.Equal(got, []string{"COLA-330", "SODA-OLD"}) {
		t.Errorf("?ids= finds %v", got)
	}
	if got := codes(searchSKUs(t, tok, "status=active&ids="+ids).Data); !slices.Equal(got, []string{"COLA-330"}) {
		t.Errorf("?status=active&ids= finds %v", got)
	}

	// One statement a page, whatever it holds.
	svc := env.Server.Catalog
	for _, limit := range []int{1, 6} {
		st := env.CountStatements(t, f.tn.ID, func(ctx context.Context) error {
			rows, err := svc.SearchSKUs(ctx, f.tn.ID, catalog.SKUFilter{}, web.Page{Limit: limit})
			if err == nil && len(rows) != min(limit+1, 6) {
				t.Errorf("limit %d: %d rows", limit, len(rows))
			}
			return err
		})
		if st.N() != 1 {
			t.Errorf("a page of %d: %d statements, want 1: %v", limit, st.N(), st.SQL())
		}
	}

	// A store's cashier searches the chain too (no store needed).
	store := env.CreateStore(t, f.tn, nil)
	cashier := env.CreateUser(t, f.tn, "cashier", &store, nil)
	if got := codes(searchSKUs(t, cashier.Token, "q=TEA").Data); !slices.Equal(got, []string{"TEA-500"}) {
		t.Errorf("cashier finds %v", got)
	}
}

func TestSearchSKUs400(t *testing.T) {
	f := newSearchFixture(t)
	before := [3]int{count(t, "skus", f.tn), count(t, "sku_barcodes", f.tn), count(t, "audit_log", f.tn)}
	for _, c := range []struct {
		name, query string
		fields      []string
	}{
		{"q too long", "q=" + strings.Repeat("可", 65), []string{"q"}},
		{"q with a control character", "q=" + url.QueryEscape("co\x01la"), []string{"q"}},
		{"q not UTF-8", "q=%FF", []string{"q"}},
		{"unknown status", "status=gone", []string{"status"}},
		{"limit zero", "limit=0", []string{"limit"}},
		{"limit too large", "limit=201", []string{"limit"}},
		{"limit not a number", "limit=ten", []string{"limit"}},
		{"bad cursor", "cursor=xyz", []string{"cursor"}},
		{"an id that is not a UUID", "ids=" + uuid.NewString() + ",nope", []string{"ids"}},
		{"more than 50 ids", "ids=" + strings.TrimSuffix(strings.Repeat(uuid.NewString()+",", 51), ","), []string{"ids"}},
		{"every bad field at once", "q=" + strings.Repeat("x", 65) + "&status=all&limit=-1", []string{"limit", "q", "status"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/skus?" + c.query, Token: f.tn.AdminToken})
			if r.Status != 400 || r.Code() != "request.bad_query" {
				t.Fatalf("%d %s", r.Status, r.Body)
			}
			var body struct{ Errors []struct{ Field string } }
			r.JSON(t, &body)
			var got []string
			for _, e := range body.Errors {
				got = append(got, e.Field)
			}
			slices.Sort(got)
			if !slices.Equal(got, c.fields) {
				t.Errorf("fields %v, want %v", got, c.fields)
			}
		})
	}
	// 64 characters is still fine.
	searchSKUs(t, f.tn.AdminToken, "q="+strings.Repeat("可", 64))
	if after := [3]int{count(t, "skus", f.tn), count(t, "sku_barcodes", f.tn), count(t, "audit_log", f.tn)}; after != before {
		t.Errorf("bad searches changed something: %v → %v", before, after)
	}
}

// TestSearchSKUsOtherTenant: another chain's token finds nothing of this
// chain's (an empty page, never a row of it); a chain role without
// catalog:read is refused.
func TestSearchSKUsOtherTenant(t *testing.T) {
	f := newSearchFixture(t)
	other := setup(t)
	other.product(t, "P-MINE", "我的可乐", other.root, map[string]any{"code": "COLA-MINE", "name": "我的可乐"})
	for _, q := range []string{"ids=" + f.cola330.String() + "," + f.tea.String(), "q=COLA-330", "q=" + f.ean, "q=" + f.upc, "q=" + url.QueryEscape("口可"), "status=discontinued"} {
		if p := searchSKUs(t, other.tn.AdminToken, q); len(p.Data) != 0 {
			t.Errorf("?%s with the other chain's token finds %+v, want an empty page", q, p.Data)
		}
	}
	all := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/skus?limit=200", Token: other.tn.AdminToken})
	for _, id := range []uuid.UUID{f.cola330, f.tea, f.oldSKU} {
		if strings.Contains(string(all.Body), id.String()) {
			t.Errorf("the other chain's list shows SKU %s", id)
		}
	}
	if got := codes(searchSKUs(t, other.tn.AdminToken, "q=cola").Data); !slices.Equal(got, []string{"COLA-MINE"}) {
		t.Errorf("the other chain finds %v, want only its own", got)
	}

	// A chain role without catalog:read: 403.
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/roles", Token: f.tn.AdminToken, Body: map[string]any{"key": "member_desk", "name": "会员专员", "scope": "chain",
		"permissions": []string{"members:read"}}}); r.Status != 201 {
		t.Fatalf("create role: %d %s", r.Status, r.Body)
	}
	desk := env.CreateUser(t, f.tn, "member_desk", nil, nil)
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/skus?q=cola", Token: desk.Token}); r.Status != 403 || r.Code() != "auth.forbidden" {
		t.Errorf("without catalog:read: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/skus?q=cola"}); r.Status != 401 {
		t.Errorf("without a token: %d %s", r.Status, r.Body)
	}
}
