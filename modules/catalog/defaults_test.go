package catalog_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/modules/catalog"
)

// TestNewChainCreatesItsFirstProduct: with what signup gives a chain
// (SeedDefaults), its admin creates a first product, counted and weighed,
// with no other setup; the defaults are the chain's own rows (renamed,
// added to), and seeding again changes nothing, in two statements.
func TestNewChainCreatesItsFirstProduct(t *testing.T) {
	tn := env.Signup(t)
	if err := env.Server.Catalog.SeedDefaults(context.Background(), tn.ID); err != nil {
		t.Fatal(err)
	}
	var units struct{ Data []catalog.Unit }
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/units", Token: tn.AdminToken}); r.Status != 200 {
		t.Fatalf("units: %d %s", r.Status, r.Body)
	} else {
		r.JSON(t, &units)
	}
	got := map[string]string{}
	unit := map[string]uuid.UUID{}
	for _, u := range units.Data {
		got[u.Name] = u.Code + "/" + u.Kind
		unit[u.Code] = u.ID
	}
	want := map[string]string{
		"个": "ge/count", "件": "jian/count", "瓶": "ping/count", "盒": "he/count", "箱": "xiang/count", "袋": "dai/count",
		"包": "bao/count", "罐": "guan/count", "支": "zhi/count", "条": "tiao/count", "双": "shuang/count", "套": "tao/count",
		"听": "ting/count", "提": "ti/count", "千克": "kg/weight",
	}
	if len(got) != len(want) || len(units.Data) != len(want) {
		t.Fatalf("a new chain's units: %v, want %v", got, want)
	}
	for name, cw := range want {
		if got[name] != cw {
			t.Errorf("unit %s is %q, want %q", name, got[name], cw)
		}
	}
	var roots struct{ Data []catalog.Category }
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/categories?roots=true", Token: tn.AdminToken}).JSON(t, &roots)
	cat := map[string]uuid.UUID{}
	for _, c := range roots.Data {
		cat[c.Code] = c.ID
		if c.Depth != 1 || c.ParentID != nil {
			t.Errorf("default category %+v is not a root", c)
		}
	}
	if len(roots.Data) != 2 || cat["FOOD"] == uuid.Nil || cat["DAILY"] == uuid.Nil {
		t.Fatalf("a new chain's root categories: %+v", roots.Data)
	}

	// The first products: nothing else was set up.
	for _, body := range []map[string]any{
		{"code": "P-WATER", "name": "矿泉水", "category_id": cat["FOOD"], "unit_id": unit["ping"],
			"skus": []any{map[string]any{"code": "WATER-550", "name": "矿泉水 550ml", "barcodes": []string{ean13("690123456400")}, "prices": map[string]any{"list": 200}}}},
		{"code": "P-PEAR", "name": "香梨", "category_id": cat["FOOD"], "unit_id": unit["kg"], "weighed": true,
			"skus": []any{map[string]any{"code": "PEAR", "name": "香梨 散装", "plu": "2001", "prices": map[string]any{"list": 980}}}},
		{"code": "P-SOAP", "name": "香皂", "category_id": cat["DAILY"], "unit_id": unit["ge"],
			"skus": []any{map[string]any{"code": "SOAP-1", "name": "香皂 125g"}}},
	} {
		if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/catalog/products", Token: tn.AdminToken, Body: body}); r.Status != 201 {
			t.Fatalf("first product %s: %d %s", body["code"], r.Status, r.Body)
		}
	}

	// The chain edits the defaults and adds its own; seeding again keeps
	// all of it and adds nothing.
	if r := env.Do(t, apitest.Req{Method: "PATCH", Path: "/api/v1/catalog/categories/" + cat["FOOD"].String(), Token: tn.AdminToken,
		Body: map[string]any{"name": "食品饮料"}}); r.Status != 200 {
		t.Fatalf("rename a default category: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/catalog/units", Token: tn.AdminToken,
		Body: map[string]any{"code": "tai", "name": "台", "kind": "count"}}); r.Status != 201 {
		t.Fatalf("the chain's own unit: %d %s", r.Status, r.Body)
	}
	before := map[string]int{}
	for _, table := range []string{"units", "categories", "products"} {
		before[table] = count(t, table, tn)
	}
	n := inTx(t, tn.ID, func(ctx context.Context) error { return env.Server.Catalog.SeedDefaults(ctx, tn.ID) })
	if n != 2 {
		t.Errorf("SeedDefaults made %d statements, want 2", n)
	}
	for table, c := range before {
		if after := count(t, table, tn); after != c {
			t.Errorf("seeding again changed %s: %d → %d", table, c, after)
		}
	}
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/categories/" + cat["FOOD"].String(), Token: tn.AdminToken}); !strings.Contains(string(r.Body), "食品饮料") {
		t.Fatalf("seeding again undid a rename: %s", r.Body)
	}
	// Another chain's defaults are its own rows.
	other := env.Signup(t)
	seedDefaults(t, other)
	if n := env.Count(t, `SELECT count(*) FROM units WHERE tenant_id = $1`, other.ID); n != len(want) {
		t.Fatalf("the other chain has %d units, want %d", n, len(want))
	}
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/units", Token: other.AdminToken}); strings.Contains(string(r.Body), unit["ge"].String()) {
		t.Fatal("another chain sees this chain's unit")
	}
}
