package org_test

import (
	"net/http"
	"testing"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/tenant/org"
)

var env *apitest.Env

func TestMain(m *testing.M) { apitest.Main(m, "org", &env) }

func TestStoresCRUD(t *testing.T) {
	tn := env.Signup(t)
	fr := env.CreateFranchisee(t, tn)
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/stores", Token: tn.AdminToken, Body: map[string]any{
		"code": "SZ-01", "name": "深圳福田店", "type": "franchise", "franchisee_id": fr, "address": "福田区", "time_zone": "Asia/Shanghai"}})
	if r.Status != 201 {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	var st org.Store
	r.JSON(t, &st)
	if st.Code != "SZ-01" || st.Type != "franchise" || st.FranchiseeID == nil || *st.FranchiseeID != fr || st.Status != "active" {
		t.Fatalf("created %+v", st)
	}
	path := "/api/v1/stores/" + st.ID.String()
	if g := env.Do(t, apitest.Req{Method: "GET", Path: path, Token: tn.AdminToken}); g.Status != 200 {
		t.Fatalf("get: %d", g.Status)
	}
	r = env.Do(t, apitest.Req{Method: "PATCH", Path: path, Token: tn.AdminToken, Body: map[string]any{"name": "深圳福田旗舰店", "type": "direct"}})
	if r.Status != 200 {
		t.Fatalf("patch: %d %s", r.Status, r.Body)
	}
	r.JSON(t, &st)
	if st.Name != "深圳福田旗舰店" || st.Type != "direct" || st.FranchiseeID != nil {
		t.Fatalf("patched %+v", st)
	}
	if d := env.Do(t, apitest.Req{Method: "DELETE", Path: path, Token: tn.AdminToken}); d.Status != 204 {
		t.Fatalf("delete: %d %s", d.Status, d.Body)
	}
	env.Do(t, apitest.Req{Method: "GET", Path: path, Token: tn.AdminToken}).JSON(t, &st)
	if st.Status != "closed" || st.ClosedAt == nil {
		t.Fatalf("after delete %+v", st)
	}
	if n := env.Count(t, `SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND object_id = $2`, tn.ID, st.ID.String()); n != 3 {
		t.Errorf("%d audit rows for the store, want 3 (create, update, close)", n)
	}
}

func TestStoresListPaginatesAndFilters(t *testing.T) {
	tn := env.Signup(t)
	for i := 0; i < 5; i++ {
		env.CreateStore(t, tn, nil)
	}
	fr := env.CreateFranchisee(t, tn)
	env.CreateStore(t, tn, &fr)
	seen := map[uuid.UUID]bool{}
	cursor := ""
	for pages := 0; pages < 10; pages++ {
		path := "/api/v1/stores?limit=2"
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		var page struct {
			Data       []org.Store
			NextCursor *string `json:"next_cursor"`
		}
		env.Do(t, apitest.Req{Method: "GET", Path: path, Token: tn.AdminToken}).JSON(t, &page)
		for _, s := range page.Data {
			if seen[s.ID] {
				t.Fatalf("store %s on two pages", s.ID)
			}
			seen[s.ID] = true
		}
		if page.NextCursor == nil {
			break
		}
		cursor = *page.NextCursor
	}
	if len(seen) != 6 {
		t.Fatalf("paged through %d stores, want 6", len(seen))
	}
	var fl struct{ Data []org.Store }
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/stores?type=franchise", Token: tn.AdminToken}).JSON(t, &fl)
	if len(fl.Data) != 1 {
		t.Fatalf("type=franchise returned %d", len(fl.Data))
	}
	for _, q := range []string{"?limit=0", "?limit=abc", "?cursor=%%%", "?type=kiosk", "?franchisee_id=nope"} {
		if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/stores" + q, Token: tn.AdminToken}); r.Status != 400 {
			t.Errorf("GET /stores%s: %d", q, r.Status)
		}
	}
}

func TestStore404OtherTenant(t *testing.T) {
	a, b := env.Signup(t), env.Signup(t)
	storeB := env.CreateStore(t, b, nil)
	frB := env.CreateFranchisee(t, b)
	for _, req := range []apitest.Req{
		{Method: "GET", Path: "/api/v1/stores/" + storeB.String()},
		{Method: "PATCH", Path: "/api/v1/stores/" + storeB.String(), Body: map[string]any{"name": "stolen"}},
		{Method: "DELETE", Path: "/api/v1/stores/" + storeB.String()},
		{Method: "GET", Path: "/api/v1/franchisees/" + frB.String()},
		{Method: "PATCH", Path: "/api/v1/franchisees/" + frB.String(), Body: map[string]any{"name": "stolen"}},
		{Method: "DELETE", Path: "/api/v1/franchisees/" + frB.String()},
	} {
		req.Token = a.AdminToken
		if r := env.Do(t, req); r.Status != 404 {
			t.Errorf("%s %s with tenant A's token: %d %s", req.Method, req.Path, r.Status, r.Body)
		}
	}
	// Tenant A cannot attach its store to tenant B's franchisee either.
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/stores", Token: a.AdminToken, Body: map[string]any{
		"code": "X1", "name": "X", "type": "franchise", "franchisee_id": frB}})
	if r.Status != 422 {
		t.Errorf("store on another tenant's franchisee: %d %s", r.Status, r.Body)
	}
	var list struct{ Data []org.Store }
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/stores", Token: a.AdminToken}).JSON(t, &list)
	for _, s := range list.Data {
		if s.ID == storeB {
			t.Fatal("tenant A lists tenant B's store")
		}
	}
	var st org.Store
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/stores/" + storeB.String(), Token: b.AdminToken}).JSON(t, &st)
	if st.Name == "stolen" || st.Status != "active" {
		t.Fatal("tenant A changed tenant B's store")
	}
}

func TestStore403CashierCreatesStore(t *testing.T) {
	tn := env.Signup(t)
	s1 := env.CreateStore(t, tn, nil)
	cashier := env.CreateUser(t, tn, "cashier", &s1, nil)
	before := env.Count(t, `SELECT count(*) FROM stores WHERE tenant_id = $1`, tn.ID)
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/stores", Token: cashier.Token, Body: map[string]any{"code": "C1", "name": "C", "type": "direct"}})
	if r.Status != 403 || r.Code() != "auth.forbidden" {
		t.Fatalf("cashier creating a store: %d %s", r.Status, r.Body)
	}
	if after := env.Count(t, `SELECT count(*) FROM stores WHERE tenant_id = $1`, tn.ID); after != before {
		t.Fatal("a refused create wrote a store")
	}
	// A cashier reads their own store, not others; and may not change it.
	s2 := env.CreateStore(t, tn, nil)
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/stores/" + s1.String(), Token: cashier.Token}); r.Status != 200 {
		t.Errorf("cashier reading own store: %d", r.Status)
	}
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/stores/" + s2.String(), Token: cashier.Token}); r.Status != 404 {
		t.Errorf("cashier reading another store: %d", r.Status)
	}
	if r := env.Do(t, apitest.Req{Method: "PATCH", Path: "/api/v1/stores/" + s1.String(), Token: cashier.Token, Body: map[string]any{"name": "x"}}); r.Status != 403 {
		t.Errorf("cashier renaming own store: %d", r.Status)
	}
	var list struct{ Data []org.Store }
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/stores", Token: cashier.Token}).JSON(t, &list)
	if len(list.Data) != 1 || list.Data[0].ID != s1 {
		t.Errorf("cashier lists %d stores, want only their own", len(list.Data))
	}
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/franchisees", Token: cashier.Token}); r.Status != 403 {
		t.Errorf("cashier listing franchisees: %d", r.Status)
	}
}

func TestFranchiseeSeesOnlyItsStores(t *testing.T) {
	tn := env.Signup(t)
	fa, fb := env.CreateFranchisee(t, tn), env.CreateFranchisee(t, tn)
	a1 := env.CreateStore(t, tn, &fa)
	b1 := env.CreateStore(t, tn, &fb)
	owner := env.CreateUser(t, tn, "franchisee", nil, &fa)
	// A store opened for the franchisee after the assignment is in scope at once.
	a2 := env.CreateStore(t, tn, &fa)
	var list struct{ Data []org.Store }
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/stores", Token: owner.Token}).JSON(t, &list)
	got := map[uuid.UUID]bool{}
	for _, s := range list.Data {
		got[s.ID] = true
	}
	if len(got) != 2 || !got[a1] || !got[a2] {
		t.Fatalf("franchisee sees %v, want its two stores", got)
	}
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/stores/" + b1.String(), Token: owner.Token}); r.Status != 404 {
		t.Fatalf("franchisee A reading franchisee B's store: %d", r.Status)
	}
	// Terminating the franchise ends its owner's access at once.
	if r := env.Do(t, apitest.Req{Method: "DELETE", Path: "/api/v1/franchisees/" + fa.String(), Token: tn.AdminToken}); r.Status != 204 {
		t.Fatalf("terminate: %d", r.Status)
	}
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/stores", Token: owner.Token}); r.Status != 403 {
		t.Fatalf("terminated franchisee listing stores: %d %s", r.Status, r.Body)
	}
}

func TestStoreBadInput422WritesNothing(t *testing.T) {
	tn := env.Signup(t)
	before := env.Count(t, `SELECT count(*) FROM stores WHERE tenant_id = $1`, tn.ID)
	for name, body := range map[string]map[string]any{
		"missing code":         {"name": "X", "type": "direct"},
		"bad type":             {"code": "A1", "name": "X", "type": "kiosk"},
		"franchise w/o owner":  {"code": "A2", "name": "X", "type": "franchise"},
		"direct with owner":    {"code": "A3", "name": "X", "type": "direct", "franchisee_id": uuid.NewString()},
		"unknown franchisee":   {"code": "A4", "name": "X", "type": "franchise", "franchisee_id": uuid.NewString()},
		"sql-ish code":         {"code": "'; DROP TABLE stores; --", "name": "X", "type": "direct"},
		"code wrong type":      {"code": 7, "name": "X", "type": "direct"},
		"unknown field":        {"code": "A5", "name": "X", "type": "direct", "tenant_id": uuid.NewString()},
		"id is not assignable": {"code": "A6", "name": "X", "type": "direct", "id": uuid.NewString()},
		"bad time zone":        {"code": "A7", "name": "X", "type": "direct", "time_zone": "Nowhere/Land"},
		"name too long":        {"code": "A8", "name": string(make([]rune, 201)), "type": "direct"},
	} {
		r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/stores", Token: tn.AdminToken, Body: body})
		if r.Status != 422 {
			t.Errorf("%s: %d %s", name, r.Status, r.Body)
		}
	}
	code := env.Unique("DUP")
	env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/stores", Token: tn.AdminToken, Body: map[string]any{"code": code, "name": "X", "type": "direct"}})
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/stores", Token: tn.AdminToken, Body: map[string]any{"code": code, "name": "Y", "type": "direct"}})
	if r.Status != 409 || r.Code() != "stores.code_taken" {
		t.Errorf("duplicate code: %d %s", r.Status, r.Body)
	}
	if after := env.Count(t, `SELECT count(*) FROM stores WHERE tenant_id = $1`, tn.ID); after != before+1 {
		t.Errorf("stores went from %d to %d; only the one valid create may write", before, after)
	}
	// Names in Chinese and emoji are fine; the same code in another tenant too.
	other := env.Signup(t)
	r = env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/stores", Token: other.AdminToken, Body: map[string]any{"code": code, "name": "北京朝阳店 🛒", "type": "direct"}})
	if r.Status != http.StatusCreated {
		t.Errorf("unicode name / code reused across tenants: %d %s", r.Status, r.Body)
	}
}

func TestFranchiseesCRUD(t *testing.T) {
	tn := env.Signup(t)
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/franchisees", Token: tn.AdminToken, Body: map[string]any{
		"name": "成都加盟", "legal_name": "成都某某商贸有限公司", "contact_phone": "13900001111", "contact_email": "CD@Example.test"}})
	if r.Status != 201 {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	var f org.Franchisee
	r.JSON(t, &f)
	if f.ContactEmail != "cd@example.test" {
		t.Errorf("contact e-mail %q", f.ContactEmail)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/franchisees", Token: tn.AdminToken, Body: map[string]any{"name": "成都加盟"}}); r.Status != 409 {
		t.Errorf("duplicate name: %d", r.Status)
	}
	path := "/api/v1/franchisees/" + f.ID.String()
	env.Do(t, apitest.Req{Method: "PATCH", Path: path, Token: tn.AdminToken, Body: map[string]any{"contact_name": "李经理"}}).JSON(t, &f)
	if f.ContactName != "李经理" {
		t.Fatalf("patched %+v", f)
	}
	var list struct{ Data []org.Franchisee }
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/franchisees", Token: tn.AdminToken}).JSON(t, &list)
	if len(list.Data) != 1 {
		t.Fatalf("list has %d", len(list.Data))
	}
	if r := env.Do(t, apitest.Req{Method: "DELETE", Path: path, Token: tn.AdminToken}); r.Status != 204 {
		t.Fatalf("delete: %d", r.Status)
	}
	env.Do(t, apitest.Req{Method: "GET", Path: path, Token: tn.AdminToken}).JSON(t, &f)
	if f.Status != "terminated" {
		t.Fatalf("status %q after delete", f.Status)
	}
	// No new franchise store for a terminated franchisee.
	r = env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/stores", Token: tn.AdminToken, Body: map[string]any{"code": "T1", "name": "T", "type": "franchise", "franchisee_id": f.ID}})
	if r.Status != 422 {
		t.Fatalf("store for a terminated franchisee: %d", r.Status)
	}
}
