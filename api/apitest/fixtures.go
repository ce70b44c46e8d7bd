package apitest

import (
	"net/http"
	"testing"

	"github.com/google/uuid"
)

// Password is every fixture user's password.
const Password = "Test-Passw0rd!x"

// Tenant is a chain made through POST /signup.
type Tenant struct {
	ID           uuid.UUID
	Slug         string
	AdminID      uuid.UUID
	AdminEmail   string
	AdminToken   string
	AdminRefresh string
}

// Signup creates a chain through the API.
func (e *Env) Signup(t testing.TB) *Tenant {
	t.Helper()
	slug := e.Unique("chain")
	email := slug + "@example.test"
	r := e.Do(t, Req{Method: http.MethodPost, Path: "/api/v1/signup", Body: map[string]any{
		"chain_name": "连锁 " + slug, "slug": slug, "admin_name": "Admin", "admin_email": email, "admin_password": Password,
	}})
	if r.Status != http.StatusCreated {
		t.Fatalf("signup: %d %s", r.Status, r.Body)
	}
	var out struct {
		Tenant       struct{ ID uuid.UUID }
		User         struct{ ID uuid.UUID }
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	r.JSON(t, &out)
	return &Tenant{ID: out.Tenant.ID, Slug: slug, AdminID: out.User.ID, AdminEmail: email, AdminToken: out.AccessToken, AdminRefresh: out.RefreshToken}
}

// CreateStore makes a store (franchise when franchisee is set) as the admin.
func (e *Env) CreateStore(t testing.TB, tn *Tenant, franchisee *uuid.UUID) uuid.UUID {
	t.Helper()
	body := map[string]any{"code": e.Unique("S"), "name": "门店", "type": "direct"}
	if franchisee != nil {
		body["type"], body["franchisee_id"] = "franchise", franchisee.String()
	}
	r := e.Do(t, Req{Method: http.MethodPost, Path: "/api/v1/stores", Token: tn.AdminToken, Body: body})
	if r.Status != http.StatusCreated {
		t.Fatalf("create store: %d %s", r.Status, r.Body)
	}
	var s struct{ ID uuid.UUID }
	r.JSON(t, &s)
	return s.ID
}

// CreateFranchisee makes a franchisee as the admin.
func (e *Env) CreateFranchisee(t testing.TB, tn *Tenant) uuid.UUID {
	t.Helper()
	r := e.Do(t, Req{Method: http.MethodPost, Path: "/api/v1/franchisees", Token: tn.AdminToken, Body: map[string]any{"name": e.Unique("加盟商")}})
	if r.Status != http.StatusCreated {
		t.Fatalf("create franchisee: %d %s", r.Status, r.Body)
	}
	var f struct{ ID uuid.UUID }
	r.JSON(t, &f)
	return f.ID
}

// User is a signed-in fixture user.
type User struct {
	ID      uuid.UUID
	Email   string
	Token   string
	Refresh string
}

// CreateUser creates an active user holding role (in store or franchisee
// scope when given) as the admin, and signs them in.
func (e *Env) CreateUser(t testing.TB, tn *Tenant, role string, store, franchisee *uuid.UUID) *User {
	t.Helper()
	email := e.Unique("u") + "@example.test"
	as := map[string]any{"role": role}
	if store != nil {
		as["store_id"] = store.String()
	}
	if franchisee != nil {
		as["franchisee_id"] = franchisee.String()
	}
	r := e.Do(t, Req{Method: http.MethodPost, Path: "/api/v1/users", Token: tn.AdminToken, Body: map[string]any{
		"name": "员工 " + role, "email": email, "password": Password, "assignments": []any{as},
	}})
	if r.Status != http.StatusCreated {
		t.Fatalf("create user %s: %d %s", role, r.Status, r.Body)
	}
	var u struct{ ID uuid.UUID }
	r.JSON(t, &u)
	tok, ref := e.Login(t, tn.Slug, email, Password)
	return &User{ID: u.ID, Email: email, Token: tok, Refresh: ref}
}

// Login signs in and returns the access and refresh tokens.
func (e *Env) Login(t testing.TB, slug, login, password string) (string, string) {
	t.Helper()
	r := e.Do(t, Req{Method: http.MethodPost, Path: "/api/v1/auth/login", Body: map[string]any{"tenant": slug, "login": login, "password": password}})
	if r.Status != http.StatusOK {
		t.Fatalf("login %s: %d %s", login, r.Status, r.Body)
	}
	var out struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	r.JSON(t, &out)
	return out.AccessToken, out.RefreshToken
}

// Count runs a count query as the schema owner (bypassing RLS), for
// asserting that nothing was written.
func (e *Env) Count(t testing.TB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := e.Owner.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("count %q: %v", query, err)
	}
	return n
}
