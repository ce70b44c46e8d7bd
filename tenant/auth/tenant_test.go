package auth_test

import (
	"net/http"
	"strings"
	"testing"

	"chainstore/api/apitest"
	"chainstore/tenant/auth"
)

func getTenant(t *testing.T, token string) auth.Tenant {
	t.Helper()
	r := env.Do(t, apitest.Req{Method: http.MethodGet, Path: "/api/v1/tenant", Token: token})
	if r.Status != http.StatusOK {
		t.Fatalf("get tenant: %d %s", r.Status, r.Body)
	}
	var out auth.Tenant
	r.JSON(t, &out)
	return out
}

func TestTenantProfile200(t *testing.T) {
	tn := env.Signup(t)
	got := getTenant(t, tn.AdminToken)
	if got.ID != tn.ID || got.Slug != tn.Slug || got.Currency != "CNY" || got.TimeZone != "Asia/Shanghai" || got.Kind != "supermarket" {
		t.Fatalf("profile %+v", got)
	}
	r := env.Do(t, apitest.Req{Method: http.MethodPatch, Path: "/api/v1/tenant", Token: tn.AdminToken, Body: map[string]any{
		"name": "华东便利连锁", "kind": "convenience", "time_zone": "Asia/Urumqi", "currency": "CNY"}})
	if r.Status != http.StatusOK {
		t.Fatalf("patch: %d %s", r.Status, r.Body)
	}
	var patched auth.Tenant
	r.JSON(t, &patched)
	if patched.Name != "华东便利连锁" || patched.Kind != "convenience" || patched.TimeZone != "Asia/Urumqi" || patched.Currency != "CNY" {
		t.Fatalf("patched %+v", patched)
	}
	if again := getTenant(t, tn.AdminToken); again != patched {
		t.Fatalf("read back %+v, want %+v", again, patched)
	}
	// /me shows the same chain, and the change is audited once.
	var me struct{ Tenant auth.Tenant }
	env.Do(t, apitest.Req{Method: http.MethodGet, Path: "/api/v1/me", Token: tn.AdminToken}).JSON(t, &me)
	if me.Tenant.Name != "华东便利连锁" {
		t.Errorf("/me tenant %+v", me.Tenant)
	}
	if n := env.Count(t, `SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND action = 'tenant.update'`, tn.ID); n != 1 {
		t.Errorf("%d tenant.update audit rows, want 1", n)
	}
	// A PATCH that changes nothing writes no audit row.
	if r := env.Do(t, apitest.Req{Method: http.MethodPatch, Path: "/api/v1/tenant", Token: tn.AdminToken, Body: map[string]any{"name": "华东便利连锁"}}); r.Status != http.StatusOK {
		t.Fatalf("same patch: %d %s", r.Status, r.Body)
	}
	if n := env.Count(t, `SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND action = 'tenant.update'`, tn.ID); n != 1 {
		t.Errorf("%d tenant.update audit rows after a no-op, want 1", n)
	}
}

func TestTenantProfile422ChangesNothing(t *testing.T) {
	tn := env.Signup(t)
	before := getTenant(t, tn.AdminToken)
	for _, tc := range []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"empty name", map[string]any{"name": "", "kind": "mixed"}, "name"},
		{"long name", map[string]any{"name": strings.Repeat("店", 201)}, "name"},
		{"unknown kind", map[string]any{"kind": "hypermarket", "name": "新名字"}, "kind"},
		{"bad time zone", map[string]any{"time_zone": "Mars/Olympus", "name": "新名字"}, "time_zone"},
		{"another currency", map[string]any{"currency": "USD", "name": "新名字"}, "currency"},
		{"unknown currency", map[string]any{"currency": "EUR"}, "currency"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := env.Do(t, apitest.Req{Method: http.MethodPatch, Path: "/api/v1/tenant", Token: tn.AdminToken, Body: tc.body})
			if r.Status != http.StatusUnprocessableEntity || r.Header.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("%d %s %s", r.Status, r.Header.Get("Content-Type"), r.Body)
			}
			var p struct {
				Errors []struct{ Field, Message string }
			}
			r.JSON(t, &p)
			found := false
			for _, e := range p.Errors {
				found = found || e.Field == tc.field
			}
			if !found {
				t.Errorf("no field error on %s: %s", tc.field, r.Body)
			}
		})
	}
	if after := getTenant(t, tn.AdminToken); after != before {
		t.Fatalf("bad input changed the chain: %+v → %+v", before, after)
	}
	if n := env.Count(t, `SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND action = 'tenant.update'`, tn.ID); n != 0 {
		t.Errorf("%d audit rows after refused patches", n)
	}
}

func TestTenantProfile403WithoutSettingsWrite(t *testing.T) {
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	manager := env.CreateUser(t, tn, "store_manager", &store, nil)
	finance := env.CreateUser(t, tn, "hq_finance", nil, nil)
	for _, u := range []*apitest.User{manager, finance} {
		// Every signed-in user reads the profile; only settings:write changes it.
		if got := getTenant(t, u.Token); got.ID != tn.ID {
			t.Fatalf("read %+v", got)
		}
		r := env.Do(t, apitest.Req{Method: http.MethodPatch, Path: "/api/v1/tenant", Token: u.Token, Body: map[string]any{"name": "越权改名"}})
		if r.Status != http.StatusForbidden {
			t.Fatalf("patch without settings:write: %d %s", r.Status, r.Body)
		}
	}
	if got := getTenant(t, tn.AdminToken); got.Name == "越权改名" {
		t.Fatal("a forbidden patch changed the name")
	}
}

func TestTenantProfileIsTheCallersOwn(t *testing.T) {
	a, b := env.Signup(t), env.Signup(t)
	if r := env.Do(t, apitest.Req{Method: http.MethodPatch, Path: "/api/v1/tenant", Token: a.AdminToken, Body: map[string]any{"name": "甲连锁"}}); r.Status != http.StatusOK {
		t.Fatalf("patch a: %d %s", r.Status, r.Body)
	}
	// B's token reads B and changes B; A is untouched.
	if got := getTenant(t, b.AdminToken); got.ID != b.ID || got.Name == "甲连锁" {
		t.Fatalf("b reads %+v", got)
	}
	if r := env.Do(t, apitest.Req{Method: http.MethodPatch, Path: "/api/v1/tenant", Token: b.AdminToken, Body: map[string]any{"name": "乙连锁"}}); r.Status != http.StatusOK {
		t.Fatalf("patch b: %d %s", r.Status, r.Body)
	}
	if got := getTenant(t, a.AdminToken); got.ID != a.ID || got.Name != "甲连锁" {
		t.Fatalf("a after b's patch: %+v", got)
	}
	if got := getTenant(t, b.AdminToken); got.ID != b.ID || got.Name != "乙连锁" {
		t.Fatalf("b after its patch: %+v", got)
	}
	// No id in the path or body reaches another chain: an id field is refused.
	r := env.Do(t, apitest.Req{Method: http.MethodPatch, Path: "/api/v1/tenant", Token: b.AdminToken, Body: map[string]any{"id": a.ID, "name": "劫持"}, SkipSpec: true})
	if r.Status < 400 || r.Status >= 500 {
		t.Fatalf("patch with an id: %d %s", r.Status, r.Body)
	}
	if got := getTenant(t, a.AdminToken); got.Name != "甲连锁" {
		t.Fatalf("a after b sent its id: %+v", got)
	}
	if r := env.Do(t, apitest.Req{Method: http.MethodGet, Path: "/api/v1/tenant"}); r.Status != http.StatusUnauthorized {
		t.Fatalf("anonymous: %d", r.Status)
	}
}
