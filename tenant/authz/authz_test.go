package authz_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/tenant/authz"
)

var env *apitest.Env

func TestMain(m *testing.M) { apitest.Main(m, "authz", &env) }

func TestBuiltinRolesListedWithPermissions(t *testing.T) {
	tn := env.Signup(t)
	var list struct{ Data []authz.Role }
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/roles", Token: tn.AdminToken}).JSON(t, &list)
	byKey := map[string]authz.Role{}
	for _, r := range list.Data {
		byKey[r.Key] = r
	}
	for _, k := range []string{"hq_admin", "hq_finance", "hq_marketing", "franchisee", "store_manager", "cashier"} {
		if _, ok := byKey[k]; !ok {
			t.Errorf("built-in role %s missing", k)
		}
	}
	has := func(role string, p authz.Permission) bool {
		for _, x := range byKey[role].Permissions {
			if x == p {
				return true
			}
		}
		return false
	}
	// The hierarchy: a store manager can do what a cashier can, HQ admin what both can.
	if !has("store_manager", authz.PosSell) || !has("hq_admin", authz.PosRefund) || has("cashier", authz.PosRefund) {
		t.Errorf("inheritance wrong: %+v", byKey)
	}
	var perms struct{ Data []authz.PermissionInfo }
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/permissions", Token: tn.AdminToken}).JSON(t, &perms)
	if len(perms.Data) != len(authz.Catalogue) {
		t.Errorf("%d permissions listed, catalogue has %d", len(perms.Data), len(authz.Catalogue))
	}
}

func TestCustomRoleFromPermissions(t *testing.T) {
	tn := env.Signup(t)
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/roles", Token: tn.AdminToken, Body: map[string]any{
		"key": "store_opener", "name": "开店专员", "scope": "chain", "permissions": []string{"stores:read", "stores:write"}}})
	if r.Status != 201 {
		t.Fatalf("create role: %d %s", r.Status, r.Body)
	}
	var role authz.Role
	r.JSON(t, &role)
	s := env.CreateStore(t, tn, nil)
	u := env.CreateUser(t, tn, "cashier", &s, nil)
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/stores", Token: u.Token, Body: map[string]any{"code": "N1", "name": "N", "type": "direct"}}); r.Status != 403 {
		t.Fatalf("before the custom role: %d", r.Status)
	}
	r = env.Do(t, apitest.Req{Method: "PUT", Path: "/api/v1/users/" + u.ID.String() + "/roles", Token: tn.AdminToken, Body: map[string]any{
		"assignments": []any{map[string]any{"role": "cashier", "store_id": s}, map[string]any{"role": "store_opener"}}}})
	if r.Status != 200 {
		t.Fatalf("assign custom role: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/stores", Token: u.Token, Body: map[string]any{"code": "N2", "name": "N", "type": "direct"}}); r.Status != 201 {
		t.Fatalf("with the custom role: %d %s", r.Status, r.Body)
	}
	// Narrow the role: the permission goes at once.
	r = env.Do(t, apitest.Req{Method: "PATCH", Path: "/api/v1/roles/" + role.ID.String(), Token: tn.AdminToken, Body: map[string]any{"permissions": []string{"stores:read"}}})
	if r.Status != 200 {
		t.Fatalf("update role: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/stores", Token: u.Token, Body: map[string]any{"code": "N3", "name": "N", "type": "direct"}}); r.Status != 403 {
		t.Fatalf("after narrowing: %d", r.Status)
	}
	if r := env.Do(t, apitest.Req{Method: "DELETE", Path: "/api/v1/roles/" + role.ID.String(), Token: tn.AdminToken}); r.Status != 409 {
		t.Fatalf("deleting an assigned role: %d %s", r.Status, r.Body)
	}
	for name, body := range map[string]map[string]any{
		"unknown permission": {"key": "x_role", "name": "X", "scope": "chain", "permissions": []string{"stores:fly"}},
		"builtin key":        {"key": "cashier", "name": "X", "scope": "store", "permissions": []string{"stores:read"}},
		"bad key":            {"key": "Bad Key", "name": "X", "scope": "chain", "permissions": []string{"stores:read"}},
		"no permissions":     {"key": "empty_role", "name": "X", "scope": "chain", "permissions": []string{}},
	} {
		r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/roles", Token: tn.AdminToken, Body: body})
		if r.Status != 422 && r.Status != 409 {
			t.Errorf("%s: %d %s", name, r.Status, r.Body)
		}
	}
	var builtin authz.Role
	var list struct{ Data []authz.Role }
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/roles", Token: tn.AdminToken}).JSON(t, &list)
	for _, r := range list.Data {
		if r.Key == "cashier" {
			builtin = r
		}
	}
	if r := env.Do(t, apitest.Req{Method: "PATCH", Path: "/api/v1/roles/" + builtin.ID.String(), Token: tn.AdminToken, Body: map[string]any{"name": "x"}}); r.Status != 409 {
		t.Errorf("changing a built-in role: %d", r.Status)
	}
	if n := env.Count(t, `SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND object_type = 'role'`, tn.ID); n != 2 {
		t.Errorf("%d role audit rows, want 2 (create, update)", n)
	}
}

func TestRoles404OtherTenantAnd403ForCashier(t *testing.T) {
	a, b := env.Signup(t), env.Signup(t)
	var list struct{ Data []authz.Role }
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/roles", Token: b.AdminToken}).JSON(t, &list)
	roleB := list.Data[0].ID
	for _, req := range []apitest.Req{
		{Method: "GET", Path: "/api/v1/roles/" + roleB.String()},
		{Method: "PATCH", Path: "/api/v1/roles/" + roleB.String(), Body: map[string]any{"name": "x"}},
		{Method: "DELETE", Path: "/api/v1/roles/" + roleB.String()},
	} {
		req.Token = a.AdminToken
		if r := env.Do(t, req); r.Status != 404 {
			t.Errorf("%s %s with tenant A's token: %d", req.Method, req.Path, r.Status)
		}
	}
	s := env.CreateStore(t, a, nil)
	c := env.CreateUser(t, a, "cashier", &s, nil)
	for _, req := range []apitest.Req{
		{Method: "GET", Path: "/api/v1/roles"},
		{Method: "POST", Path: "/api/v1/roles", Body: map[string]any{"key": "k_x", "name": "X", "scope": "chain", "permissions": []string{"stores:read"}}},
		{Method: "GET", Path: "/api/v1/audit-log"},
	} {
		req.Token = c.Token
		if r := env.Do(t, req); r.Status != 403 {
			t.Errorf("cashier %s %s: %d", req.Method, req.Path, r.Status)
		}
	}
}

// A policy change made on one instance reaches another at once through
// Redis pub/sub, without a restart.
func TestPolicyChangeReachesOtherInstanceViaPubSub(t *testing.T) {
	other := env.Another(t, map[string]string{"POLICY_POLL_INTERVAL": "1h"})
	time.Sleep(200 * time.Millisecond) // let its subscription start

	tn := env.Signup(t)
	s := env.CreateStore(t, tn, nil)
	u := env.CreateUser(t, tn, "cashier", &s, nil)
	createStore := func(e *apitest.Env) int {
		return e.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/stores", Token: u.Token, Body: map[string]any{"code": env.Unique("P"), "name": "P", "type": "direct"}}).Status
	}
	if st := createStore(other); st != 403 { // the other instance has now cached the tenant's policy
		t.Fatalf("before: %d", st)
	}
	r := env.Do(t, apitest.Req{Method: "PUT", Path: "/api/v1/users/" + u.ID.String() + "/roles", Token: tn.AdminToken, Body: map[string]any{
		"assignments": []any{map[string]any{"role": "hq_admin"}}}})
	if r.Status != 200 {
		t.Fatal(r.Status)
	}
	deadline := time.Now().Add(3 * time.Second)
	for createStore(other) != 201 {
		if time.Now().After(deadline) {
			t.Fatal("the other instance did not see the policy change through pub/sub")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// With Redis down the notice is lost; the policy version in PostgreSQL
// still brings the change within one poll.
func TestPolicyChangeReachesInstanceWithoutRedisByPolling(t *testing.T) {
	ctx := context.Background()
	deaf := env.Another(t, map[string]string{"REDIS_URL": "redis://127.0.0.1:1/0", "POLICY_POLL_INTERVAL": "1h"})
	tn := env.Signup(t)
	s := env.CreateStore(t, tn, nil)
	u := env.CreateUser(t, tn, "cashier", &s, nil)
	read := func() int {
		return deaf.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/franchisees", Token: u.Token}).Status
	}
	if st := read(); st != 403 {
		t.Fatalf("before: %d", st)
	}
	env.Do(t, apitest.Req{Method: "PUT", Path: "/api/v1/users/" + u.ID.String() + "/roles", Token: tn.AdminToken, Body: map[string]any{
		"assignments": []any{map[string]any{"role": "hq_finance"}}}})
	if st := read(); st != 403 {
		t.Fatalf("the deaf instance changed without a notice or a poll (%d): the test proves nothing", st)
	}
	deaf.Server.Authz.PollOnce(ctx)
	if st := read(); st != 200 {
		t.Fatalf("after polling the policy version: %d", st)
	}
}

func TestCanNeverCrossTenants(t *testing.T) {
	tn := env.Signup(t)
	other := uuid.Must(uuid.NewV7())
	p := env.Server.Authz
	tok, err := env.Server.Auth.Tokens().Verify(tn.AdminToken)
	if err != nil {
		t.Fatal(err)
	}
	principal := apitestPrincipal(tok.TenantID, tok.UserID)
	ok, err := p.Can(context.Background(), principal, authz.ChainDomain(other), authz.StoresWrite)
	if err != nil || ok {
		t.Fatalf("an HQ admin allowed in another tenant's domain: %v %v", ok, err)
	}
}

func TestGetAndDeleteUnassignedCustomRole(t *testing.T) {
	tn := env.Signup(t)
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/roles", Token: tn.AdminToken, Body: map[string]any{
		"key": "auditor", "name": "审计", "description": "reads the audit log", "scope": "chain", "permissions": []string{"audit:read", "stores:read"}}})
	if r.Status != 201 {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	var role authz.Role
	r.JSON(t, &role)
	var got authz.Role
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/roles/" + role.ID.String(), Token: tn.AdminToken}).JSON(t, &got)
	if got.Key != "auditor" || got.Builtin || len(got.Permissions) != 2 || got.Scope != authz.ScopeChain {
		t.Fatalf("got %+v", got)
	}
	if r := env.Do(t, apitest.Req{Method: "DELETE", Path: "/api/v1/roles/" + role.ID.String(), Token: tn.AdminToken}); r.Status != 204 {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/roles/" + role.ID.String(), Token: tn.AdminToken}); r.Status != 404 {
		t.Fatalf("after delete: %d", r.Status)
	}
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/roles/not-a-uuid", Token: tn.AdminToken}); r.Status != 404 {
		t.Fatalf("malformed id: %d", r.Status)
	}
}
