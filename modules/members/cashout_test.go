package members_test

import (
	"testing"

	"chainstore/api/apitest"
	"chainstore/modules/finance"
	"chainstore/modules/members"
)

// TestCashOutAtHQ: HQ cashes a member's card out without a store (a bank
// transfer, which a till may not pay), posts it in HQ's books, and the
// member can then be erased; a repeat is the same entry, a store manager
// (pos:refund only in their store) may not, a till refuses bank, another
// chain's token sees 404, and a refusal writes nothing.
func TestCashOutAtHQ(t *testing.T) {
	tn, other := env.Signup(t), env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	manager := env.CreateUser(t, tn, "store_manager", &store, nil)
	m := createMember(t, tn, newPhone(), nil)
	base := "/api/v1/members/" + m.ID.String()
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/stores/" + store.String() + "/pos/members/" + m.ID.String() + "/topup", Token: tn.AdminToken,
		Body: map[string]any{"amount": 10000, "payment_method": "cash", "source_type": "till_topup", "source_id": sid("HQ-T1")}})
	var top members.ValueEntry
	if r.JSON(t, &top); r.Status != 201 {
		t.Fatalf("top-up: %d %s", r.Status, r.Body)
	}

	body := map[string]any{"payment_method": "bank", "source_type": "cash_out", "source_id": sid("HQ-C1")}
	refused := []struct {
		who, token, path string
		body             map[string]any
		status           int
	}{
		{"a store manager", manager.Token, base + "/cash-out", body, 403},
		{"another chain", other.AdminToken, base + "/cash-out", body, 404},
		{"a till paying by bank", tn.AdminToken, "/api/v1/stores/" + store.String() + "/pos/members/" + m.ID.String() + "/cash-out", body, 422},
		{"stored value as a tender", tn.AdminToken, base + "/cash-out", map[string]any{"payment_method": "sv_tendered", "source_type": "cash_out", "source_id": sid("HQ-C1")}, 422},
		{"no document", tn.AdminToken, base + "/cash-out", map[string]any{"payment_method": "bank", "source_type": "cash_out"}, 422},
	}
	for _, tc := range refused {
		if r := env.Do(t, apitest.Req{Method: "POST", Path: tc.path, Token: tc.token, Body: tc.body}); r.Status != tc.status {
			t.Fatalf("%s: %d %s, want %d", tc.who, r.Status, r.Body, tc.status)
		}
	}
	if n := env.Count(t, `SELECT count(*) FROM stored_value_ledger WHERE tenant_id = $1 AND kind = 'cash_out'`, tn.ID); n != 0 {
		t.Fatalf("%d cash-outs after refusals", n)
	}

	r = env.Do(t, apitest.Req{Method: "POST", Path: base + "/cash-out", Token: tn.AdminToken, Body: body})
	var out members.ValueEntry
	if r.JSON(t, &out); r.Status != 201 || out.Principal != -10000 || out.Bonus != -top.Bonus || out.PrincipalAfter != 0 || out.BonusAfter != 0 || out.StoreID != nil {
		t.Fatalf("cash-out at HQ: %d %s", r.Status, r.Body)
	}
	want := map[string]int64{finance.AcctBank: -10000, finance.AcctSVPrincipal: 10000}
	if top.Bonus != 0 {
		want[finance.AcctSVBonus], want[finance.AcctSelling] = top.Bonus, -top.Bonus
	}
	if got := finLines(t, tn.ID, "sv_cash_out", out.ID); !sameLines(got, want) {
		t.Fatalf("cash-out posting %v, want %v", got, want)
	}
	// In HQ's books: the entry's entity is the chain's HQ entity.
	if n := env.Count(t, `SELECT count(*) FROM fin_entries e JOIN fin_entities x ON x.tenant_id = e.tenant_id AND x.id = e.entity_id
		WHERE e.tenant_id = $1 AND e.source_type = 'sv_cash_out' AND e.source_id = $2 AND x.kind = 'hq'`, tn.ID, out.ID); n != 1 {
		t.Fatalf("%d cash-out entries in HQ's books", n)
	}
	checkBooks(t, tn.ID, "after a cash-out at HQ")

	var again members.ValueEntry
	r = env.Do(t, apitest.Req{Method: "POST", Path: base + "/cash-out", Token: tn.AdminToken, Body: body})
	if r.JSON(t, &again); r.Status != 201 || again.ID != out.ID {
		t.Fatalf("repeated cash-out: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: base + "/erase", Token: tn.AdminToken}); r.Status != 204 {
		t.Fatalf("erase after the cash-out: %d %s", r.Status, r.Body)
	}
}
