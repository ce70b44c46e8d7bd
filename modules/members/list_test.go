package members_test

import (
	"testing"

	"chainstore/api/apitest"
	"chainstore/modules/members"
)

// TestListByCardAndCount: HQ finds a member by any card number they hold
// or held (a reissued card's old number too), counts a segment with the
// list's filters, and a bad card number is a 400 on the field; another
// chain finds and counts none of these members, and a cashier may do
// neither.
func TestListByCardAndCount(t *testing.T) {
	tn, other := env.Signup(t), env.Signup(t)
	a := createMember(t, tn, newPhone(), map[string]any{"tags": []string{"segment"}})
	createMember(t, tn, newPhone(), map[string]any{"tags": []string{"segment"}})
	createMember(t, tn, newPhone(), map[string]any{"tags": []string{"other"}})
	list := func(tok, query string) (int, []members.Member) {
		t.Helper()
		r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/members?" + query, Token: tok})
		var page struct{ Data []members.Member }
		if r.Status == 200 {
			r.JSON(t, &page)
		}
		return r.Status, page.Data
	}
	count := func(tok, query string) (int, int64) {
		t.Helper()
		r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/members/count?" + query, Token: tok})
		var n struct{ Count int64 }
		if r.Status == 200 {
			r.JSON(t, &n)
		}
		return r.Status, n.Count
	}

	oldCard := a.Card.Number
	if st, got := list(tn.AdminToken, "card="+oldCard); st != 200 || len(got) != 1 || got[0].ID != a.ID {
		t.Fatalf("by card: %d %+v", st, got)
	}
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/members/" + a.ID.String() + "/card/reissue", Token: tn.AdminToken})
	var reissued members.Member
	r.JSON(t, &reissued)
	if r.Status != 200 || reissued.Card == nil || reissued.Card.Number == oldCard {
		t.Fatalf("reissue: %d %s", r.Status, r.Body)
	}
	for _, card := range []string{oldCard, reissued.Card.Number} {
		if st, got := list(tn.AdminToken, "card="+card); st != 200 || len(got) != 1 || got[0].ID != a.ID || got[0].Card.Number != reissued.Card.Number {
			t.Fatalf("by card %s after the reissue: %d %+v", card, st, got)
		}
	}
	if st, got := list(tn.AdminToken, "card=NOSUCHCARD1"); st != 200 || len(got) != 0 {
		t.Fatalf("an unknown card: %d %+v", st, got)
	}
	// Card and another filter narrow together.
	if st, got := list(tn.AdminToken, "tag=other&card="+oldCard); st != 200 || len(got) != 0 {
		t.Fatalf("card with another tag: %d %+v", st, got)
	}

	if st, n := count(tn.AdminToken, ""); st != 200 || n != 3 {
		t.Fatalf("count: %d %d", st, n)
	}
	if st, n := count(tn.AdminToken, "tag=segment"); st != 200 || n != 2 {
		t.Fatalf("count of a segment: %d %d", st, n)
	}
	if st, n := count(tn.AdminToken, "card="+oldCard); st != 200 || n != 1 {
		t.Fatalf("count by card: %d %d", st, n)
	}

	for _, path := range []string{"/api/v1/members?card=12!", "/api/v1/members/count?card=abc", "/api/v1/members/count?min_spend=-1"} {
		if r := env.Do(t, apitest.Req{Method: "GET", Path: path, Token: tn.AdminToken}); r.Status != 400 || r.Code() != "request.bad_query" {
			t.Fatalf("%s: %d %s", path, r.Status, r.Body)
		}
	}

	// Another chain sees none of these members by their card, and counts only its own (none).
	if st, got := list(other.AdminToken, "card="+reissued.Card.Number); st != 200 || len(got) != 0 {
		t.Fatalf("another chain by card: %d %+v", st, got)
	}
	if st, n := count(other.AdminToken, ""); st != 200 || n != 0 {
		t.Fatalf("another chain's count: %d %d", st, n)
	}
	store := env.CreateStore(t, tn, nil)
	cashier := env.CreateUser(t, tn, "cashier", &store, nil)
	if st, _ := count(cashier.Token, ""); st != 403 {
		t.Fatalf("a cashier's count: %d", st)
	}
}
