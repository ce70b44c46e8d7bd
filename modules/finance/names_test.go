package finance_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/infra/web"
	"chainstore/modules/finance"
)

// TestRowsNameThePeopleInTheBooks: manual entries, journal entries and
// settlements carry the names of who wrote, decided, approved and posted
// them, on lists and details, also once the author's account is deleted
// (disabled); each list costs the same statements for one row as for
// several; another chain still reads 404.
func TestRowsNameThePeopleInTheBooks(t *testing.T) {
	c := newChain(t)
	ctx := context.Background()
	author := env.CreateUser(t, c.tn, "hq_finance", nil, nil)
	checker := env.CreateUser(t, c.tn, "hq_finance", nil, nil)
	rename := func(u uuid.UUID, name string) {
		if r := env.Do(t, apitest.Req{Method: "PATCH", Path: "/api/v1/users/" + u.String(), Token: c.tn.AdminToken, Body: map[string]any{"name": name}}); r.Status != 200 {
			t.Fatalf("rename: %d %s", r.Status, r.Body)
		}
	}
	rename(author.ID, "王会计")
	rename(checker.ID, "李复核")
	body := map[string]any{"entity_id": c.hq, "business_date": "2024-07-01", "memo": "房租",
		"lines": []any{map[string]any{"account_code": finance.AcctAdmin, "debit": 100, "store_id": c.direct},
			map[string]any{"account_code": finance.AcctBank, "credit": 100, "cash_flow": "operating_paid"}}}
	drafts := make([]finance.ManualEntry, 4)
	for i := range drafts {
		r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/finance/manual-entries", Token: author.Token, Body: body})
		if r.Status != 201 {
			t.Fatalf("draft: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &drafts[i])
		if drafts[i].CreatedByName != "王会计" || drafts[i].DecidedByName != "" {
			t.Fatalf("draft names %q %q", drafts[i].CreatedByName, drafts[i].DecidedByName)
		}
	}
	decide := func(m finance.ManualEntry, how, token, want string) {
		t.Helper()
		r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/finance/manual-entries/" + m.ID.String() + "/" + how, Token: token})
		var got finance.ManualEntry
		if r.Status != 200 {
			t.Fatalf("%s: %d %s", how, r.Status, r.Body)
		}
		r.JSON(t, &got)
		if got.CreatedByName != "王会计" || got.DecidedByName != want {
			t.Errorf("%s answer: %q %q, want 王会计 %q", how, got.CreatedByName, got.DecidedByName, want)
		}
	}
	decide(drafts[0], "approve", c.tn.AdminToken, "Admin")
	decide(drafts[1], "approve", checker.Token, "李复核")
	decide(drafts[2], "reject", c.tn.AdminToken, "Admin")
	// The author leaves: their rows keep their name.
	if r := env.Do(t, apitest.Req{Method: "DELETE", Path: "/api/v1/users/" + author.ID.String(), Token: c.tn.AdminToken}); r.Status != 204 {
		t.Fatalf("delete user: %d %s", r.Status, r.Body)
	}
	decider := map[uuid.UUID]string{drafts[0].ID: "Admin", drafts[1].ID: "李复核", drafts[2].ID: "Admin", drafts[3].ID: ""}

	var manual struct{ Data []finance.ManualEntry }
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/finance/manual-entries", Token: checker.Token}).JSON(t, &manual)
	if len(manual.Data) != 4 {
		t.Fatalf("%d manual entries", len(manual.Data))
	}
	for _, m := range manual.Data {
		if m.CreatedByName != "王会计" || m.DecidedByName != decider[m.ID] {
			t.Errorf("manual list %s: %q %q, want 王会计 %q", m.Status, m.CreatedByName, m.DecidedByName, decider[m.ID])
		}
	}
	var one finance.ManualEntry
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/finance/manual-entries/" + drafts[1].ID.String(), Token: checker.Token}).JSON(t, &one)
	if one.CreatedByName != "王会计" || one.DecidedByName != "李复核" {
		t.Errorf("manual detail: %q %q", one.CreatedByName, one.DecidedByName)
	}

	var entries struct{ Data []finance.JournalEntry }
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/finance/entries?source_type=manual", Token: checker.Token}).JSON(t, &entries)
	if len(entries.Data) != 2 {
		t.Fatalf("%d manual journal entries", len(entries.Data))
	}
	approver := map[uuid.UUID]string{drafts[0].ID: "Admin", drafts[1].ID: "李复核"}
	for _, e := range entries.Data {
		if e.CreatedByName != "王会计" || e.ApprovedByName != approver[e.SourceID] {
			t.Errorf("entry list: %q %q, want 王会计 %q", e.CreatedByName, e.ApprovedByName, approver[e.SourceID])
		}
	}
	var entry finance.JournalEntry
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/finance/entries/" + entries.Data[1].ID.String(), Token: checker.Token}).JSON(t, &entry)
	if entry.CreatedByName != "王会计" || entry.ApprovedByName != approver[entry.SourceID] {
		t.Errorf("entry detail: %q %q", entry.CreatedByName, entry.ApprovedByName)
	}
	// A reversal is written by whoever reverses it, approved by nobody.
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/finance/entries/" + entry.ID.String() + "/reverse", Token: checker.Token})
	var rev finance.JournalEntry
	if r.JSON(t, &rev); r.Status != 201 || rev.CreatedByName != "李复核" || rev.ApprovedByName != "" {
		t.Errorf("reversal: %d %q %q", r.Status, rev.CreatedByName, rev.ApprovedByName)
	}

	// Settlements: A's posted by the admin, B's a draft.
	if r := env.Do(t, apitest.Req{Method: "PUT", Path: "/api/v1/finance/royalty-rules", Token: c.tn.AdminToken, Body: map[string]any{"rate_bp": 500, "minimum_fee": 1000}}); r.Status != 200 {
		t.Fatalf("royalty rule: %d %s", r.Status, r.Body)
	}
	var stA, stB finance.Settlement
	for fr, st := range map[uuid.UUID]*finance.Settlement{c.frA: &stA, c.frB: &stB} {
		r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/finance/settlements", Token: c.tn.AdminToken, Body: map[string]any{"franchisee_id": fr, "year": 2024, "month": 9}})
		if r.Status != 201 {
			t.Fatalf("generate: %d %s", r.Status, r.Body)
		}
		r.JSON(t, st)
	}
	r = env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/finance/settlements/" + stA.ID.String() + "/post", Token: c.tn.AdminToken})
	if r.JSON(t, &stA); r.Status != 200 || stA.PostedByName != "Admin" {
		t.Fatalf("post: %d %q", r.Status, stA.PostedByName)
	}
	var sts struct{ Data []finance.Settlement }
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/finance/settlements", Token: checker.Token}).JSON(t, &sts)
	for _, s := range sts.Data {
		if want := map[uuid.UUID]string{stA.ID: "Admin"}[s.ID]; s.PostedByName != want {
			t.Errorf("settlement list %s: %q, want %q", s.Status, s.PostedByName, want)
		}
	}
	var st finance.Settlement
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/finance/settlements/" + stA.ID.String(), Token: checker.Token}).JSON(t, &st)
	if st.PostedByName != "Admin" {
		t.Errorf("settlement detail: %q", st.PostedByName)
	}

	// One row or several: the same statements (the names in one).
	fin := env.Server.Finance
	page := web.Page{Limit: 50}
	lists := map[string][2]func(ctx context.Context) (int, error){
		"manual entries": {
			func(ctx context.Context) (int, error) {
				rows, err := fin.ListManual(ctx, c.tn.ID, finance.ManualFilter{Status: "pending"}, page)
				return len(rows), err
			},
			func(ctx context.Context) (int, error) {
				rows, err := fin.ListManual(ctx, c.tn.ID, finance.ManualFilter{}, page)
				return len(rows), err
			},
		},
		"journal entries": {
			func(ctx context.Context) (int, error) {
				rows, err := fin.ListEntries(ctx, c.tn.ID, finance.EntryFilter{SourceType: "manual", SourceID: &drafts[0].ID}, page)
				return len(rows), err
			},
			func(ctx context.Context) (int, error) {
				rows, err := fin.ListEntries(ctx, c.tn.ID, finance.EntryFilter{SourceType: "manual"}, page)
				return len(rows), err
			},
		},
		"settlements": {
			func(ctx context.Context) (int, error) {
				rows, err := fin.ListSettlements(ctx, c.tn.ID, finance.SettlementFilter{FranchiseeIDs: []uuid.UUID{c.frA}}, page)
				return len(rows), err
			},
			func(ctx context.Context) (int, error) {
				rows, err := fin.ListSettlements(ctx, c.tn.ID, finance.SettlementFilter{}, page)
				return len(rows), err
			},
		},
	}
	for name, pair := range lists {
		var n [2]int
		var st [2]*apitest.Statements
		for i, list := range pair {
			if _, err := list(ctx); err != nil { // warm the caches
				t.Fatalf("%s: %v", name, err)
			}
			st[i] = env.CountStatements(t, c.tn.ID, func(ctx context.Context) error {
				var err error
				n[i], err = list(ctx)
				return err
			})
		}
		if n[0] != 1 || n[1] < 2 || st[0].N() != st[1].N() {
			t.Errorf("%s: %d statements for %d row, %d for %d:\n%v\n%v", name, st[0].N(), n[0], st[1].N(), n[1], st[0].SQL(), st[1].SQL())
		}
	}

	// Another chain reads none of it.
	other := env.Signup(t)
	for _, path := range []string{"/api/v1/finance/manual-entries/" + drafts[1].ID.String(), "/api/v1/finance/entries/" + entry.ID.String(),
		"/api/v1/finance/settlements/" + stA.ID.String()} {
		if r := env.Do(t, apitest.Req{Method: "GET", Path: path, Token: other.AdminToken}); r.Status != 404 {
			t.Errorf("other chain GET %s: %d", path, r.Status)
		}
	}
}
