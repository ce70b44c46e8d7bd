package api_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"chainstore/api/apitest"
)

// platform-admin create opens the operator chain; its user reaches the
// platform API, and a chain's own admin does not.
func TestPlatformAdminCreate(t *testing.T) {
	ctx := context.Background()
	if err := env.Server.CreatePlatformAdmin(ctx, []string{"create", "--email", "ops@example.test"}, "", io.Discard); err == nil {
		t.Fatal("created an operator without PLATFORM_ADMIN_PASSWORD")
	}
	slug := env.Unique("ops")
	var out bytes.Buffer
	if err := env.Server.CreatePlatformAdmin(ctx, []string{"create", "--email", slug + "@example.test", "--slug", slug},
		apitest.Password, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), slug) {
		t.Fatalf("output %q does not name the chain", out.String())
	}
	tok, _ := env.Login(t, slug, slug+"@example.test", apitest.Password)
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/platform/tenants", Token: tok}); r.Status != 200 {
		t.Fatalf("operator: %d %s", r.Status, r.Body)
	}
	other := env.Signup(t)
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/platform/tenants", Token: other.AdminToken}); r.Status != 404 {
		t.Fatalf("a chain admin on the platform API: %d %s", r.Status, r.Body)
	}
}
