package catalog_test

import (
	"strings"
	"testing"

	"github.com/google/uuid"

	"chainstore/api/apitest"
)

type treeNode struct {
	ID        uuid.UUID  `json:"id"`
	ParentID  *uuid.UUID `json:"parent_id"`
	Name      string     `json:"name"`
	Depth     int        `json:"depth"`
	SortOrder int        `json:"sort_order"`
	Children  []treeNode `json:"children"`
}

func names(ns []treeNode) string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.Name
	}
	return strings.Join(out, ",")
}

// TestCategoryTree: nested children, siblings by sort_order then name,
// readable by a cashier, empty for a chain without categories and for
// another tenant.
func TestCategoryTree(t *testing.T) {
	b := setup(t) // 食品 (a default root) > 饮料; 日用百货
	mk := func(code, name string, parent *uuid.UUID, sort int) uuid.UUID {
		t.Helper()
		body := map[string]any{"code": code, "name": name, "sort_order": sort}
		if parent != nil {
			body["parent_id"] = parent
		}
		r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/catalog/categories", Token: b.tn.AdminToken, Body: body})
		if r.Status != 201 {
			t.Fatalf("create %s: %d %s", code, r.Status, r.Body)
		}
		var x struct{ ID uuid.UUID }
		r.JSON(t, &x)
		return x.ID
	}
	// Roots: 日用 (the default 日用百货, renamed, sort -1) first, then 食品
	// and 生鲜 (sort 0) by name, then 烟酒 (sort 5).
	if r := env.Do(t, apitest.Req{Method: "PATCH", Path: "/api/v1/catalog/categories/" + b.daily.String(), Token: b.tn.AdminToken,
		Body: map[string]any{"name": "日用", "sort_order": -1}}); r.Status != 200 {
		t.Fatalf("rename 日用百货: %d %s", r.Status, r.Body)
	}
	mk("SMOKE", "烟酒", nil, 5)
	fresh := mk("FRESH", "生鲜", nil, 0)
	mk("JUICE", "B果汁", &b.child, 0)
	mk("WATER", "A矿泉水", &b.child, 0)
	mk("SNACK", "零食", &b.root, -3)
	mk("FRUIT", "水果", &fresh, 0)

	store := env.CreateStore(t, b.tn, nil)
	cashier := env.CreateUser(t, b.tn, "cashier", &store, nil)
	for who, tok := range map[string]string{"admin": b.tn.AdminToken, "cashier": cashier.Token} {
		var tree struct{ Data []treeNode }
		r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/categories/tree", Token: tok})
		if r.Status != 200 {
			t.Fatalf("%s: tree %d %s", who, r.Status, r.Body)
		}
		r.JSON(t, &tree)
		if got := names(tree.Data); got != "日用,生鲜,食品,烟酒" {
			t.Fatalf("%s: roots %q", who, got)
		}
		food := tree.Data[2]
		if food.ID != b.root || food.Depth != 1 || food.ParentID != nil || names(food.Children) != "零食,饮料" {
			t.Fatalf("%s: 食品 %+v", who, food)
		}
		drinks := food.Children[1]
		if drinks.ID != b.child || drinks.Depth != 2 || *drinks.ParentID != b.root || names(drinks.Children) != "A矿泉水,B果汁" {
			t.Fatalf("%s: 饮料 %+v", who, drinks)
		}
		if leaf := drinks.Children[0]; leaf.Depth != 3 || leaf.Children == nil || len(leaf.Children) != 0 {
			t.Fatalf("%s: a leaf must have an empty children array: %+v", who, leaf)
		}
		if names(tree.Data[1].Children) != "水果" || len(tree.Data[0].Children) != 0 {
			t.Fatalf("%s: 生鲜/日用 children %+v %+v", who, tree.Data[1], tree.Data[0])
		}
	}

	// Another tenant sees its own default roots only; once it removes them,
	// a chain without categories has an empty tree.
	other := env.Signup(t)
	seedDefaults(t, other)
	var tree struct{ Data []treeNode }
	r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/categories/tree", Token: other.AdminToken})
	if r.JSON(t, &tree); r.Status != 200 || names(tree.Data) != "日用百货,食品" || len(tree.Data[0].Children)+len(tree.Data[1].Children) != 0 ||
		strings.Contains(string(r.Body), b.root.String()) {
		t.Fatalf("another tenant's tree: %d %s", r.Status, r.Body)
	}
	for _, n := range tree.Data {
		if r := env.Do(t, apitest.Req{Method: "DELETE", Path: "/api/v1/catalog/categories/" + n.ID.String(), Token: other.AdminToken}); r.Status != 204 {
			t.Fatalf("delete default root %s: %d %s", n.Name, r.Status, r.Body)
		}
	}
	r = env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/categories/tree", Token: other.AdminToken})
	if r.Status != 200 || strings.TrimSpace(string(r.Body)) != `{"data":[]}` {
		t.Fatalf("a chain without categories: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/categories/tree"}); r.Status != 401 {
		t.Fatalf("without a token: %d", r.Status)
	}
}
