package members_test

import (
	"strings"
	"testing"

	"github.com/google/uuid"

	"chainstore/api/apitest"
)

// The POS's money calls name their document by a UUID the till makes: any
// other source_id is a 422 on that field (not a 400), and nothing is
// written. Payment methods are finance's customer tenders, listed when one
// is wrong.
func TestPOSMoneyCallsTakeUUIDSourcesAndCustomerTenders(t *testing.T) {
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	m := createMember(t, tn, newPhone(), nil)
	base := "/api/v1/stores/" + store.String() + "/pos/members/" + m.ID.String()
	fields := func(r *apitest.Response) map[string]string {
		var p struct {
			Errors []struct{ Field, Message string }
		}
		r.JSON(t, &p)
		out := map[string]string{}
		for _, e := range p.Errors {
			out[e.Field] = e.Message
		}
		return out
	}
	for _, c := range []struct {
		path string
		body map[string]any
	}{
		{"/topup", map[string]any{"amount": 100, "payment_method": "cash", "source_type": "topup_order", "source_id": "T-0001"}},
		{"/pay", map[string]any{"amount": 100, "source_type": "sale", "source_id": "S-0001"}},
		{"/stored-value-refunds", map[string]any{"payment_id": uuid.New(), "amount": 1, "source_type": "return", "source_id": "R 1"}},
		{"/cash-out", map[string]any{"payment_method": "cash", "source_type": "cash_out", "source_id": strings.Repeat("a", 36)}},
	} {
		r := env.Do(t, apitest.Req{Method: "POST", Path: base + c.path, Token: tn.AdminToken, Body: c.body})
		if r.Status != 422 || r.Code() != "request.invalid" || fields(r)["source_id"] != "must be a UUID" {
			t.Errorf("%s with source_id %v: %d %s", c.path, c.body["source_id"], r.Status, r.Body)
		}
	}
	r := env.Do(t, apitest.Req{Method: "POST", Path: base + "/topup", Token: tn.AdminToken,
		Body: map[string]any{"amount": 100, "payment_method": "bitcoin", "source_type": "topup_order", "source_id": uuid.NewString()}})
	if r.Status != 422 || fields(r)["payment_method"] != "must be one of: cash, card, unionpay, wechat, alipay" {
		t.Errorf("top-up by bitcoin: %d %s", r.Status, r.Body)
	}
	if n := env.Count(t, `SELECT count(*) FROM stored_value_ledger WHERE tenant_id = $1`, tn.ID); n != 0 {
		t.Fatalf("refused calls wrote %d stored-value entries", n)
	}
	// UnionPay, a customer tender of finance's, tops up; an upper-case
	// UUID names the same document as its lower-case form.
	id := uuid.New()
	for _, sid := range []string{strings.ToUpper(id.String()), id.String()} {
		r = env.Do(t, apitest.Req{Method: "POST", Path: base + "/topup", Token: tn.AdminToken,
			Body: map[string]any{"amount": 100, "payment_method": "unionpay", "source_type": "topup_order", "source_id": sid}})
		if r.Status != 201 {
			t.Fatalf("top-up by UnionPay: %d %s", r.Status, r.Body)
		}
	}
	if n := env.Count(t, `SELECT count(*) FROM stored_value_ledger WHERE tenant_id = $1 AND source_id = $2`, tn.ID, id); n != 1 {
		t.Fatalf("%d top-ups for one document", n)
	}
	checkBooks(t, tn.ID, "after a UnionPay top-up")
}
