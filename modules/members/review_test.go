package members_test

import (
	"context"
	"sync"
	"testing"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/modules/members"
)

// A source document (the POS's sale or top-up order id) replayed for
// another member, another store or another amount is a conflict: it must
// never answer with the first member's entry (that leaks another member's
// balance to another store and leaves the second movement undone while the
// POS believes it done — cash taken for a top-up that never happened).
func TestStoredValueSourceReusedForAnotherMemberIsConflict(t *testing.T) {
	tn := env.Signup(t)
	storeA, storeB := env.CreateStore(t, tn, nil), env.CreateStore(t, tn, nil)
	cashierA := env.CreateUser(t, tn, "cashier", &storeA, nil)
	cashierB := env.CreateUser(t, tn, "cashier", &storeB, nil)
	m1, m2 := createMember(t, tn, newPhone(), nil), createMember(t, tn, newPhone(), nil)
	pos := func(store uuid.UUID, m members.Member, op string) string {
		return "/api/v1/stores/" + store.String() + "/pos/members/" + m.ID.String() + "/" + op
	}
	top := map[string]any{"amount": 10000, "payment_method": "cash", "source_type": "topup_order", "source_id": sid("T1")}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: pos(storeA, m1, "topup"), Token: cashierA.Token, Body: top}); r.Status != 201 {
		t.Fatalf("top-up m1: %d %s", r.Status, r.Body)
	}
	pay := map[string]any{"amount": 2500, "source_type": "sale", "source_id": sid("S1")}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: pos(storeA, m1, "pay"), Token: cashierA.Token, Body: pay}); r.Status != 201 {
		t.Fatalf("pay m1: %d %s", r.Status, r.Body)
	}

	// Store B's cashier takes cash for m2 under the same order number.
	r := env.Do(t, apitest.Req{Method: "POST", Path: pos(storeB, m2, "topup"), Token: cashierB.Token, Body: top})
	if r.Status != 409 || r.Code() != "members.source_reused" {
		t.Errorf("top-up of m2 with m1's source: %d %s", r.Status, r.Body)
	}
	// m2 has nothing; a payment under m1's sale must not "succeed".
	r = env.Do(t, apitest.Req{Method: "POST", Path: pos(storeB, m2, "pay"), Token: cashierB.Token, Body: pay})
	if r.Status != 409 || r.Code() != "members.source_reused" {
		t.Errorf("pay of m2 with m1's sale: %d %s", r.Status, r.Body)
	}
	// Same member, same sale, another store or another amount.
	r = env.Do(t, apitest.Req{Method: "POST", Path: pos(storeB, m1, "pay"), Token: cashierB.Token, Body: pay})
	if r.Status != 409 || r.Code() != "members.source_reused" {
		t.Errorf("pay of m1 at store B with store A's sale: %d %s", r.Status, r.Body)
	}
	r = env.Do(t, apitest.Req{Method: "POST", Path: pos(storeA, m1, "pay"), Token: cashierA.Token,
		Body: map[string]any{"amount": 7000, "source_type": "sale", "source_id": sid("S1")}})
	if r.Status != 409 || r.Code() != "members.source_reused" {
		t.Errorf("pay of m1 with the same sale and another amount: %d %s", r.Status, r.Body)
	}
	// A true replay still returns the first entry.
	r = env.Do(t, apitest.Req{Method: "POST", Path: pos(storeA, m1, "pay"), Token: cashierA.Token, Body: pay})
	if r.Status != 201 {
		t.Errorf("replay of m1's payment: %d %s", r.Status, r.Body)
	}
	ctx := context.Background()
	g1, _ := svc().Get(ctx, tn.ID, m1.ID, false)
	g2, _ := svc().Get(ctx, tn.ID, m2.ID, false)
	if g1.Balance != 7500 || g2.Balance != 0 {
		t.Fatalf("balances m1 %d (want 7500), m2 %d (want 0)", g1.Balance, g2.Balance)
	}
	if n := env.Count(t, `SELECT count(*) FROM stored_value_ledger WHERE tenant_id = $1`, tn.ID); n != 2 {
		t.Fatalf("%d stored-value entries, want 2", n)
	}

	// Points: an earn under m1's sale for m2 is a conflict too.
	if _, err := svc().EarnPoints(ctx, tn.ID, members.EarnInput{MemberID: m1.ID, StoreID: storeA, Source: source("sale", "P1"),
		Lines: []members.EarnLine{{Amount: 1000}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc().EarnPoints(ctx, tn.ID, members.EarnInput{MemberID: m2.ID, StoreID: storeA, Source: source("sale", "P1"),
		Lines: []members.EarnLine{{Amount: 1000}}}); err == nil {
		t.Errorf("earn for m2 under m1's sale succeeded")
	}
	if g2, _ := svc().Get(ctx, tn.ID, m2.ID, false); g2.Points != 0 {
		t.Fatalf("m2 has %d points", g2.Points)
	}
}

// Two concurrent top-ups of two members under one source: one wins, the
// other is a 409 (the unique constraint), never a 500.
func TestConcurrentSourceReuseIsConflictNot500(t *testing.T) {
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	var ms []members.Member
	for i := 0; i < 6; i++ {
		ms = append(ms, createMember(t, tn, newPhone(), nil))
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[int]int{}
	for _, m := range ms {
		wg.Add(1)
		go func(m members.Member) {
			defer wg.Done()
			r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/stores/" + store.String() + "/pos/members/" + m.ID.String() + "/topup",
				Token: tn.AdminToken, Body: map[string]any{"amount": 500, "payment_method": "cash", "source_type": "topup_order", "source_id": sid("SAME")}})
			mu.Lock()
			codes[r.Status]++
			mu.Unlock()
		}(m)
	}
	wg.Wait()
	if codes[201] != 1 || codes[409] != len(ms)-1 {
		t.Fatalf("statuses %v; want one 201 and %d 409", codes, len(ms)-1)
	}
	if n := env.Count(t, `SELECT count(*) FROM stored_value_ledger WHERE tenant_id = $1`, tn.ID); n != 1 {
		t.Fatalf("%d stored-value entries", n)
	}
	checkBooks(t, tn.ID, "after concurrent reuse")
}

// Amounts beyond what the columns and the money paths hold are 422, never
// a 500 or an int64 overflow later.
func TestRuleAmountsBounded(t *testing.T) {
	tn := env.Signup(t)
	for _, c := range []struct {
		path string
		body map[string]any
	}{
		{"/api/v1/member-gifts", map[string]any{"name": "g", "points_cost": 10, "stock": 3000000000}},
		{"/api/v1/member-gifts", map[string]any{"name": "g", "points_cost": int64(9000000000000000000)}},
		{"/api/v1/topup-rules", map[string]any{"name": "r", "min_amount": 100, "bonus": int64(9000000000000000000)}},
		{"/api/v1/topup-rules", map[string]any{"name": "r", "min_amount": int64(9000000000000000000), "bonus": 1}},
		{"/api/v1/member-tiers", map[string]any{"code": "big", "name": "big", "rank": 1, "basis": "spend", "birthday_points": int64(9000000000000000000)}},
	} {
		r := env.Do(t, apitest.Req{Method: "POST", Path: c.path, Token: tn.AdminToken, Body: c.body})
		if r.Status != 422 && r.Status != 400 {
			t.Errorf("%s %v: %d %s", c.path, c.body, r.Status, r.Body)
		}
	}
	if n := env.Count(t, `SELECT (SELECT count(*) FROM member_gifts WHERE tenant_id = $1) + (SELECT count(*) FROM topup_rules WHERE tenant_id = $1)
		+ (SELECT count(*) FROM member_tiers WHERE tenant_id = $1 AND code = 'big')`, tn.ID); n != 0 {
		t.Fatalf("%d rows written", n)
	}
}

// An import committed with accept_errors=true skips a row whose card
// number is taken (in the chain or earlier in the file) and imports the
// rest: the failed insert must not abort the transaction (a 500 that
// imports nothing).
func TestImportAcceptErrorsSkipsTakenCardNumber(t *testing.T) {
	tn := env.Signup(t)
	createMember(t, tn, newPhone(), map[string]any{"card_number": "CARD00001"})
	p1, p2, p3 := newPhone(), newPhone(), newPhone()
	csv := "手机号,姓名,卡号\n" + p1 + ",甲,CARD00001\n" + p2 + ",乙,CARD00002\n" + p3 + ",丙,CARD00002\n"
	do := func(q string) *apitest.Response {
		return env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/members/import" + q, Token: tn.AdminToken, RawBody: []byte(csv), Header: map[string]string{"Content-Type": "text/csv"}})
	}
	if r := do("?commit=true"); r.Status != 422 || r.Code() != "members.import_invalid" {
		t.Fatalf("commit with taken cards: %d %s", r.Status, r.Body)
	}
	if n := env.Count(t, `SELECT count(*) FROM members WHERE tenant_id = $1 AND channel = 'import'`, tn.ID); n != 0 {
		t.Fatalf("a refused import wrote %d members", n)
	}
	r := do("?commit=true&accept_errors=true")
	var rep members.ImportReport
	r.JSON(t, &rep)
	if r.Status != 200 || !rep.Committed || rep.Created != 1 || len(rep.Errors) != 2 {
		t.Fatalf("commit accepting errors: %d %s", r.Status, r.Body)
	}
	if n := env.Count(t, `SELECT count(*) FROM members WHERE tenant_id = $1 AND channel = 'import'`, tn.ID); n != 1 {
		t.Fatalf("%d imported members, want 1", n)
	}
	if n := env.Count(t, `SELECT count(*) FROM members m WHERE tenant_id = $1 AND NOT EXISTS (SELECT 1 FROM member_accounts a WHERE a.tenant_id = m.tenant_id AND a.member_id = m.id)`, tn.ID); n != 0 {
		t.Fatalf("%d members without an account", n)
	}
}
