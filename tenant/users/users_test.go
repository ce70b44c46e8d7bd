package users_test

import (
	"testing"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/tenant/users"
)

var env *apitest.Env

func TestMain(m *testing.M) { apitest.Main(m, "users", &env) }

func ids(t *testing.T, r *apitest.Response) map[uuid.UUID]bool {
	t.Helper()
	var list struct{ Data []users.Detail }
	r.JSON(t, &list)
	out := map[uuid.UUID]bool{}
	for _, u := range list.Data {
		out[u.ID] = true
	}
	return out
}

func TestStoreManagerSeesOnlyTheirStoresUsers(t *testing.T) {
	tn := env.Signup(t)
	s1, s2 := env.CreateStore(t, tn, nil), env.CreateStore(t, tn, nil)
	mgr := env.CreateUser(t, tn, "store_manager", &s1, nil)
	c1 := env.CreateUser(t, tn, "cashier", &s1, nil)
	c2 := env.CreateUser(t, tn, "cashier", &s2, nil)

	seen := ids(t, env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/users", Token: mgr.Token}))
	if !seen[c1.ID] || !seen[mgr.ID] || seen[c2.ID] || seen[tn.AdminID] {
		t.Fatalf("store manager of S1 sees %v; want S1's staff only", seen)
	}
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/users/" + c2.ID.String(), Token: mgr.Token}); r.Status != 404 {
		t.Fatalf("manager reading another store's cashier: %d", r.Status)
	}
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/users/" + tn.AdminID.String(), Token: mgr.Token}); r.Status != 404 {
		t.Fatalf("manager reading the HQ admin: %d", r.Status)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/users/" + c2.ID.String() + "/disable", Token: mgr.Token}); r.Status != 404 {
		t.Fatalf("manager disabling another store's cashier: %d", r.Status)
	}
	// HQ sees everyone.
	all := ids(t, env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/users", Token: tn.AdminToken}))
	if len(all) != 4 {
		t.Fatalf("admin sees %d users, want 4", len(all))
	}
	// Filter by store.
	only := ids(t, env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/users?store_id=" + s2.String(), Token: tn.AdminToken}))
	if len(only) != 1 || !only[c2.ID] {
		t.Fatalf("store filter: %v", only)
	}
}

func TestStoreManagerHiresCashierButCannotEscalate(t *testing.T) {
	tn := env.Signup(t)
	s1, s2 := env.CreateStore(t, tn, nil), env.CreateStore(t, tn, nil)
	mgr := env.CreateUser(t, tn, "store_manager", &s1, nil)
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/users", Token: mgr.Token, Body: map[string]any{
		"name": "新收银员", "phone": "13700000001", "password": apitest.Password,
		"assignments": []any{map[string]any{"role": "cashier", "store_id": s1}}}})
	if r.Status != 201 {
		t.Fatalf("manager hiring a cashier for their store: %d %s", r.Status, r.Body)
	}
	var hired users.Created
	r.JSON(t, &hired)
	before := env.Count(t, `SELECT count(*) FROM users WHERE tenant_id = $1`, tn.ID)
	for name, as := range map[string]map[string]any{
		"hq_admin":              {"role": "hq_admin"},
		"cashier in S2":         {"role": "cashier", "store_id": s2},
		"store_manager in S1":   {"role": "store_manager", "store_id": s1}, // equal power is allowed...
		"unknown role":          {"role": "wizard"},
		"cashier without store": {"role": "cashier"},
	} {
		r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/users", Token: mgr.Token, Body: map[string]any{
			"name": "X", "email": env.Unique("x") + "@example.test", "assignments": []any{as}}})
		want := 403
		switch name {
		case "store_manager in S1":
			want = 201
		case "unknown role", "cashier without store":
			want = 422
		}
		if r.Status != want {
			t.Errorf("%s: %d %s, want %d", name, r.Status, r.Body, want)
		}
	}
	if after := env.Count(t, `SELECT count(*) FROM users WHERE tenant_id = $1`, tn.ID); after != before+1 {
		t.Errorf("users went %d → %d; only the one allowed create may write", before, after)
	}
	// Promote the hired cashier to HQ: refused, and nothing changes.
	r = env.Do(t, apitest.Req{Method: "PUT", Path: "/api/v1/users/" + hired.ID.String() + "/roles", Token: mgr.Token, Body: map[string]any{
		"assignments": []any{map[string]any{"role": "cashier", "store_id": s1}, map[string]any{"role": "hq_finance"}}}})
	if r.Status != 403 || r.Code() != "roles.escalation" {
		t.Fatalf("manager granting hq_finance: %d %s", r.Status, r.Body)
	}
	if n := env.Count(t, `SELECT count(*) FROM user_store_assignments WHERE tenant_id = $1 AND user_id = $2`, tn.ID, hired.ID); n != 1 {
		t.Fatalf("%d assignments after a refused change", n)
	}
	// Nor can the manager strip the HQ admin.
	r = env.Do(t, apitest.Req{Method: "PUT", Path: "/api/v1/users/" + tn.AdminID.String() + "/roles", Token: mgr.Token, Body: map[string]any{"assignments": []any{}}})
	if r.Status != 404 {
		t.Fatalf("manager changing the admin's roles: %d %s", r.Status, r.Body)
	}
}

func TestRoleAssignmentAuditedAndEffective(t *testing.T) {
	tn := env.Signup(t)
	s1 := env.CreateStore(t, tn, nil)
	u := env.CreateUser(t, tn, "cashier", &s1, nil)
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/stores", Token: u.Token, Body: map[string]any{"code": "Z1", "name": "Z", "type": "direct"}}); r.Status != 403 {
		t.Fatalf("cashier creating a store: %d", r.Status)
	}
	r := env.Do(t, apitest.Req{Method: "PUT", Path: "/api/v1/users/" + u.ID.String() + "/roles", Token: tn.AdminToken, Body: map[string]any{
		"assignments": []any{map[string]any{"role": "hq_admin"}}}})
	if r.Status != 200 {
		t.Fatalf("assign: %d %s", r.Status, r.Body)
	}
	var d users.Detail
	r.JSON(t, &d)
	if len(d.Assignments) != 1 || d.Assignments[0].Role != "hq_admin" {
		t.Fatalf("assignments %+v", d.Assignments)
	}
	// Takes effect on the same token at once: authorization is not in the token.
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/stores", Token: u.Token, Body: map[string]any{"code": "Z2", "name": "Z", "type": "direct"}}); r.Status != 201 {
		t.Fatalf("after promotion: %d %s", r.Status, r.Body)
	}
	var audit struct {
		Data []struct {
			Action   string
			ObjectID string     `json:"object_id"`
			ActorID  *uuid.UUID `json:"actor_id"`
			Detail   map[string]any
		}
	}
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/audit-log?object_type=user&object_id=" + u.ID.String(), Token: tn.AdminToken}).JSON(t, &audit)
	found := false
	for _, a := range audit.Data {
		if a.Action == "user.roles_changed" && a.ActorID != nil && *a.ActorID == tn.AdminID && a.Detail["removed"] != nil {
			found = true
		}
	}
	if !found {
		t.Fatalf("no audit row for the role change by the admin: %+v", audit.Data)
	}
	if r := env.Do(t, apitest.Req{Method: "PUT", Path: "/api/v1/users/" + u.ID.String() + "/roles", Token: tn.AdminToken, Body: map[string]any{}}); r.Status != 422 {
		t.Fatalf("roles without assignments field: %d", r.Status)
	}
}

func TestDisableEndsSessionsAndEnableRestores(t *testing.T) {
	tn := env.Signup(t)
	s1 := env.CreateStore(t, tn, nil)
	u := env.CreateUser(t, tn, "cashier", &s1, nil)
	path := "/api/v1/users/" + u.ID.String()
	if r := env.Do(t, apitest.Req{Method: "POST", Path: path + "/disable", Token: tn.AdminToken}); r.Status != 200 {
		t.Fatalf("disable: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/me", Token: u.Token}); r.Status != 401 {
		t.Fatalf("disabled user's token: %d", r.Status)
	}
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]any{"tenant": tn.Slug, "login": u.Email, "password": apitest.Password}})
	if r.Status != 403 || r.Code() != "auth.account_disabled" {
		t.Fatalf("disabled login: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: path + "/enable", Token: tn.AdminToken}); r.Status != 200 {
		t.Fatalf("enable: %d", r.Status)
	}
	env.Login(t, tn.Slug, u.Email, apitest.Password)
	if r := env.Do(t, apitest.Req{Method: "DELETE", Path: path, Token: tn.AdminToken}); r.Status != 204 {
		t.Fatalf("delete: %d", r.Status)
	}
	var d users.Detail
	env.Do(t, apitest.Req{Method: "GET", Path: path, Token: tn.AdminToken}).JSON(t, &d)
	if d.Status != "disabled" {
		t.Fatalf("status after delete %q", d.Status)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/users/" + tn.AdminID.String() + "/disable", Token: tn.AdminToken}); r.Status != 409 {
		t.Fatalf("disabling yourself: %d", r.Status)
	}
}

func TestUsersCRUDAndConflicts(t *testing.T) {
	tn := env.Signup(t)
	email := env.Unique("dup") + "@example.test"
	body := map[string]any{"name": "甲", "email": email, "assignments": []any{map[string]any{"role": "hq_finance"}}}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/users", Token: tn.AdminToken, Body: body}); r.Status != 201 {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/users", Token: tn.AdminToken, Body: body})
	if r.Status != 409 || r.Code() != "users.email_taken" {
		t.Fatalf("duplicate e-mail: %d %s", r.Status, r.Body)
	}
	for name, b := range map[string]map[string]any{
		"no login":     {"name": "乙"},
		"weak":         {"name": "乙", "email": "weak@example.test", "password": "abc"},
		"bad phone":    {"name": "乙", "phone": "12345"},
		"wrong types":  {"name": 5, "email": true},
		"unknown role": {"name": "乙", "email": "r@example.test", "assignments": []any{map[string]any{"role": "ghost"}}},
	} {
		if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/users", Token: tn.AdminToken, Body: b}); r.Status != 422 {
			t.Errorf("%s: %d %s", name, r.Status, r.Body)
		}
	}
	if n := env.Count(t, `SELECT count(*) FROM users WHERE tenant_id = $1`, tn.ID); n != 2 {
		t.Fatalf("%d users; refused creates must write nothing", n)
	}
}

func TestUser404OtherTenant(t *testing.T) {
	a, b := env.Signup(t), env.Signup(t)
	s := env.CreateStore(t, b, nil)
	ub := env.CreateUser(t, b, "cashier", &s, nil)
	for _, req := range []apitest.Req{
		{Method: "GET", Path: "/api/v1/users/" + ub.ID.String()},
		{Method: "PATCH", Path: "/api/v1/users/" + ub.ID.String(), Body: map[string]any{"name": "x"}},
		{Method: "DELETE", Path: "/api/v1/users/" + ub.ID.String()},
		{Method: "POST", Path: "/api/v1/users/" + ub.ID.String() + "/disable"},
		{Method: "POST", Path: "/api/v1/users/" + ub.ID.String() + "/enable"},
		{Method: "POST", Path: "/api/v1/users/" + ub.ID.String() + "/reset-password"},
		{Method: "PUT", Path: "/api/v1/users/" + ub.ID.String() + "/roles", Body: map[string]any{"assignments": []any{}}},
	} {
		req.Token = a.AdminToken
		if r := env.Do(t, req); r.Status != 404 {
			t.Errorf("%s %s with tenant A's token: %d %s", req.Method, req.Path, r.Status, r.Body)
		}
	}
	// And assigning tenant B's store to a tenant A user is refused.
	sa := env.CreateStore(t, a, nil)
	ua := env.CreateUser(t, a, "cashier", &sa, nil)
	r := env.Do(t, apitest.Req{Method: "PUT", Path: "/api/v1/users/" + ua.ID.String() + "/roles", Token: a.AdminToken, Body: map[string]any{
		"assignments": []any{map[string]any{"role": "cashier", "store_id": s}}}})
	if r.Status != 422 {
		t.Fatalf("assigning another tenant's store: %d %s", r.Status, r.Body)
	}
	env.Login(t, b.Slug, ub.Email, apitest.Password) // B's cashier untouched
}
