package api_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"chainstore/api/apitest"
)

// Franchise settlement is a plan module: a chain whose plan lacks it cannot
// set royalty rules or run settlements, and sees what exists.
func TestSettlementNeedsItsPlanModule(t *testing.T) {
	tn := env.Signup(t)
	royalty := func() *apitest.Response {
		return env.Do(t, apitest.Req{Method: "PUT", Path: "/api/v1/finance/royalty-rules", Token: tn.AdminToken,
			Body: map[string]any{"rate_bp": 500, "minimum_fee": 1000}})
	}
	if r := royalty(); r.Status != 200 {
		t.Fatalf("on the trial plan: %d %s", r.Status, r.Body)
	}
	if _, err := env.Owner.ExecContext(context.Background(), `UPDATE billing_accounts SET plan = 'starter' WHERE tenant_id = $1`, tn.ID); err != nil {
		t.Fatal(err)
	}
	if r := royalty(); r.Status != 402 || r.Code() != "billing.module_not_in_plan" {
		t.Fatalf("on starter: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/finance/settlements", Token: tn.AdminToken,
		Body: map[string]any{"franchisee_id": "00000000-0000-0000-0000-000000000001", "year": 2026, "month": 10}}); r.Status != 402 {
		t.Fatalf("settlement on starter: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/finance/royalty-rules", Token: tn.AdminToken}); r.Status != 200 {
		t.Fatalf("reading on starter: %d %s", r.Status, r.Body)
	}
}

// A chain-wide role holds its permissions for any store id, so routes that
// take a store from the path, query or body must also find the store in the
// caller's chain: HQ of one chain naming another chain's store is told the
// store is not found, not served an empty answer or a write into nothing.
func TestAnotherChainsStoreIsNotFoundOnEveryStoreParameter(t *testing.T) {
	a, b := env.Signup(t), env.Signup(t)
	theirs := env.CreateStore(t, b, nil).String()
	first := func(path string) string {
		r := env.Do(t, apitest.Req{Method: "GET", Path: path, Token: a.AdminToken})
		data, _ := r.Map(t)["data"].([]any)
		if r.Status != 200 || len(data) == 0 {
			t.Fatalf("GET %s: %d %s", path, r.Status, r.Body)
		}
		return data[0].(map[string]any)["id"].(string)
	}
	product := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/catalog/products", Token: a.AdminToken, Body: map[string]any{
		"code": "X-1", "name": "矿泉水", "category_id": first("/api/v1/catalog/categories"), "unit_id": first("/api/v1/catalog/units"),
		"skus": []any{map[string]any{"code": "X-1", "name": "550ml", "prices": map[string]any{"list": 200}}}}})
	if product.Status != 201 {
		t.Fatalf("product: %d %s", product.Status, product.Body)
	}
	sku := product.Map(t)["skus"].([]any)[0].(map[string]any)["id"].(string)

	for _, r := range []apitest.Req{
		{Method: "GET", Path: "/api/v1/stores/" + theirs + "/pos/lookup?code=X-1"},
		{Method: "GET", Path: "/api/v1/catalog/skus/" + sku + "/prices?store_id=" + theirs},
		{Method: "POST", Path: "/api/v1/catalog/skus/" + sku + "/prices", Body: map[string]any{"store_id": theirs, "kind": "list", "amount": 150}},
		{Method: "GET", Path: "/api/v1/stores/" + theirs + "/pos/members/lookup?phone=13912345678"},
		{Method: "POST", Path: "/api/v1/members/" + uuid.NewString() + "/gift-redemptions", Body: map[string]any{"gift_id": uuid.NewString(), "store_id": theirs}},
		{Method: "GET", Path: "/api/v1/finance/statements/trial-balance?store_id=" + theirs + "&from=2026-01-01&to=2026-12-31"},
		{Method: "PUT", Path: "/api/v1/promotions/" + uuid.NewString() + "/opt-outs/" + theirs},
	} {
		r.Token, r.Header = a.AdminToken, map[string]string{"Idempotency-Key": uuid.NewString()}
		if resp := env.Do(t, r); resp.Status != 404 || resp.Code() != "stores.not_found" {
			t.Errorf("%s %s: %d %s, want 404 stores.not_found", r.Method, r.Path, resp.Status, resp.Body)
		}
	}
	if n := env.Count(t, `SELECT count(*) FROM price_versions WHERE store_id = $1`, theirs); n != 0 {
		t.Errorf("%d prices written for another chain's store", n)
	}
}
