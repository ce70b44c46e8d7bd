package api_test

import (
	"context"
	"testing"

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
