package demo_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"chainstore/api/apitest"
	"chainstore/demo"
)

var env *apitest.Env

func TestMain(m *testing.M) { apitest.Main(m, "demo", &env) }

// seed-demo builds the documented demo chain through the services, twice
// changes nothing, and every documented login works with its scope.
func TestSeedDemoIsIdempotentAndLoginsWork(t *testing.T) {
	ctx := context.Background()
	var out bytes.Buffer
	for i := 0; i < 2; i++ {
		if err := demo.Seed(ctx, env.Server, &out); err != nil {
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
		tok, _ := env.Login(t, demo.Slug, who+"@demo.chainstore.test", demo.Password)
		var list struct{ Data []struct{ Code string } }
		env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/stores", Token: tok}).JSON(t, &list)
		if len(list.Data) != n {
			t.Errorf("%s sees %d stores, want %d", who, len(list.Data), n)
		}
	}
}

// The demo's modules agree with each other: every store's stock on the
// ledger's inventory account equals its stock value, and the books balance.
func TestSeedDemoBooksMatchStock(t *testing.T) {
	if err := demo.Seed(context.Background(), env.Server, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	mismatched := env.Count(t, `
		WITH demo AS (SELECT id FROM tenants WHERE slug = 'demo'),
		stock AS (SELECT l.store_id, sum(l.stock_value) AS value FROM stock_levels l JOIN demo ON demo.id = l.tenant_id GROUP BY l.store_id),
		ledger AS (SELECT b.store_id, sum(b.debit - b.credit) AS value FROM fin_balances_daily b
			JOIN demo ON demo.id = b.tenant_id JOIN fin_accounts a ON a.tenant_id = b.tenant_id AND a.id = b.account_id
			WHERE a.code = '1405' GROUP BY b.store_id)
		SELECT count(*) FROM stock s LEFT JOIN ledger l ON l.store_id = s.store_id WHERE s.value IS DISTINCT FROM l.value`)
	if mismatched != 0 {
		t.Fatalf("%d demo stores whose ledger inventory differs from their stock value", mismatched)
	}
	if n := env.Count(t, `SELECT count(*) FROM stock_levels l JOIN tenants t ON t.id = l.tenant_id WHERE t.slug = 'demo' AND l.on_hand > 0`); n == 0 {
		t.Fatal("the demo has no stock")
	}
	if n := env.Count(t, `SELECT count(*) FROM pos_sales s JOIN tenants t ON t.id = s.tenant_id WHERE t.slug = 'demo'`); n != 4*12 {
		t.Errorf("the demo has %d till sales, want 12 in each of 4 stores", n)
	}
	if n := env.Count(t, `SELECT count(*) FROM pos_shifts s JOIN tenants t ON t.id = s.tenant_id WHERE t.slug = 'demo' AND s.status <> 'closed'`); n != 0 {
		t.Errorf("%d demo shifts are not closed on their exact count", n)
	}
	unbalanced := env.Count(t, `SELECT count(*) FROM (SELECT b.entity_id FROM fin_balances_daily b JOIN tenants t ON t.id = b.tenant_id
		WHERE t.slug = 'demo' GROUP BY b.entity_id HAVING sum(b.debit) <> sum(b.credit)) x`)
	if unbalanced != 0 {
		t.Fatalf("%d demo entities whose books do not balance", unbalanced)
	}
}
