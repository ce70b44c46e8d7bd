package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"chainstore/api/apitest"
)

var env *apitest.Env

func TestMain(m *testing.M) { apitest.Main(m, "main", &env) }

// seed-demo builds the documented demo chain through the services, twice
// changes nothing, and every documented login works with its scope.
func TestSeedDemoIsIdempotentAndLoginsWork(t *testing.T) {
	ctx := context.Background()
	var out bytes.Buffer
	for i := 0; i < 2; i++ {
		if err := seedDemo(ctx, env.Server, &out); err != nil {
			t.Fatalf("run %d: %v", i+1, err)
		}
	}
	if !strings.Contains(out.String(), "nothing to do") {
		t.Fatalf("second run was not a no-op:\n%s", out.String())
	}
	for q, want := range map[string]int{
		`SELECT count(*) FROM tenants WHERE slug = 'demo'`:                                                                  1,
		`SELECT count(*) FROM stores s JOIN tenants t ON t.id = s.tenant_id WHERE t.slug = 'demo'`:                          4,
		`SELECT count(*) FROM stores s JOIN tenants t ON t.id = s.tenant_id WHERE t.slug = 'demo' AND s.type = 'franchise'`: 2,
		`SELECT count(*) FROM franchisees f JOIN tenants t ON t.id = f.tenant_id WHERE t.slug = 'demo'`:                     1,
		`SELECT count(*) FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE t.slug = 'demo'`:                           7,
	} {
		if got := env.Count(t, q); got != want {
			t.Errorf("%s = %d, want %d", q, got, want)
		}
	}
	wantStores := map[string]int{"admin": 4, "finance": 4, "marketing": 4, "franchisee": 2, "manager": 1, "cashier": 1, "cashier2": 1}
	for who, n := range wantStores {
		tok, _ := env.Login(t, DemoSlug, who+"@demo.chainstore.test", DemoPassword)
		var list struct{ Data []struct{ Code string } }
		env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/stores", Token: tok}).JSON(t, &list)
		if len(list.Data) != n {
			t.Errorf("%s sees %d stores, want %d", who, len(list.Data), n)
		}
	}
}
