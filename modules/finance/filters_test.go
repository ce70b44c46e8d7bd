package finance_test

import (
	"context"
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/modules/finance"
)

// page is one page of a list: the ids in it and the next cursor.
type page struct {
	ids  []uuid.UUID
	next string
}

func listPage(t *testing.T, token, path string) page {
	t.Helper()
	r := env.Do(t, apitest.Req{Method: "GET", Path: path, Token: token})
	if r.Status != 200 {
		t.Fatalf("GET %s: %d %s", path, r.Status, r.Body)
	}
	var out struct {
		Data       []struct{ ID uuid.UUID }
		NextCursor *string `json:"next_cursor"`
	}
	r.JSON(t, &out)
	var p page
	for _, d := range out.Data {
		p.ids = append(p.ids, d.ID)
	}
	if out.NextCursor != nil {
		p.next = *out.NextCursor
	}
	return p
}

// listAll follows the cursor to the end, limit rows a page.
func listAll(t *testing.T, token, path string) []uuid.UUID {
	t.Helper()
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	var ids []uuid.UUID
	p := listPage(t, token, path)
	for {
		ids = append(ids, p.ids...)
		if p.next == "" {
			return ids
		}
		p = listPage(t, token, path+sep+"cursor="+p.next)
	}
}

func sameIDs(got []uuid.UUID, want ...uuid.UUID) bool {
	a, b := slices.Clone(got), slices.Clone(want)
	sort.Slice(a, func(i, j int) bool { return a[i].String() < a[j].String() })
	sort.Slice(b, func(i, j int) bool { return b[i].String() < b[j].String() })
	return slices.Equal(a, b)
}

// badFields asserts a 400 request.bad_query naming exactly fields.
func badFields(t *testing.T, token, path string, fields ...string) {
	t.Helper()
	r := env.Do(t, apitest.Req{Method: "GET", Path: path, Token: token})
	if r.Status != 400 || r.Code() != "request.bad_query" {
		t.Fatalf("GET %s: %d %s, want 400 request.bad_query", path, r.Status, r.Body)
	}
	var p struct {
		Errors []struct{ Field string }
	}
	if err := json.Unmarshal(r.Body, &p); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range p.Errors {
		got = append(got, e.Field)
	}
	sort.Strings(got)
	sort.Strings(fields)
	if !slices.Equal(got, fields) {
		t.Errorf("GET %s: fields %v, want %v", path, got, fields)
	}
}

func draftManual(t *testing.T, token string, entity uuid.UUID, date string) uuid.UUID {
	t.Helper()
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/finance/manual-entries", Token: token, Body: map[string]any{
		"entity_id": entity, "business_date": date, "memo": "调整 " + date,
		"lines": []any{map[string]any{"account_code": finance.AcctAdmin, "debit": 100}, map[string]any{"account_code": finance.AcctBank, "credit": 100}}}})
	if r.Status != 201 {
		t.Fatalf("draft: %d %s", r.Status, r.Body)
	}
	var m finance.ManualEntry
	r.JSON(t, &m)
	return m.ID
}

func TestManualEntryListFilters(t *testing.T) {
	c := newChain(t)
	other := env.Signup(t)
	fin1 := env.CreateUser(t, c.tn, "hq_finance", nil, nil)
	fin2 := env.CreateUser(t, c.tn, "hq_finance", nil, nil)
	m1 := draftManual(t, fin1.Token, c.hq, "2024-07-01")
	m2 := draftManual(t, fin2.Token, c.hq, "2024-07-15")
	m3 := draftManual(t, fin1.Token, c.entA, "2024-08-01")
	m4 := draftManual(t, fin1.Token, c.hq, "2024-07-20")
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/finance/manual-entries/" + m4.String() + "/reject", Token: c.tn.AdminToken}); r.Status != 200 {
		t.Fatalf("reject: %d %s", r.Status, r.Body)
	}
	tok := c.tn.AdminToken
	base := "/api/v1/finance/manual-entries?"
	for _, tc := range []struct {
		name, query string
		want        []uuid.UUID
	}{
		{"no filter", "", []uuid.UUID{m1, m2, m3, m4}},
		{"entity HQ", "entity_id=" + c.hq.String(), []uuid.UUID{m1, m2, m4}},
		{"entity A", "entity_id=" + c.entA.String(), []uuid.UUID{m3}},
		{"entity B has none", "entity_id=" + c.entB.String(), nil},
		{"dates inclusive", "from=2024-07-15&to=2024-07-20", []uuid.UUID{m2, m4}},
		{"from only", "from=2024-07-16", []uuid.UUID{m3, m4}},
		{"to only", "to=2024-07-01", []uuid.UUID{m1}},
		{"author", "created_by=" + fin1.ID.String(), []uuid.UUID{m1, m3, m4}},
		{"status", "status=rejected", []uuid.UUID{m4}},
		{"combined", "status=pending&entity_id=" + c.hq.String() + "&from=2024-07-01&to=2024-07-31&created_by=" + fin1.ID.String(), []uuid.UUID{m1}},
		{"another chain's entity", "entity_id=" + uuid.New().String(), nil},
		{"another chain's user", "created_by=" + other.AdminID.String(), nil},
	} {
		if got := listAll(t, tok, base+tc.query); !sameIDs(got, tc.want...) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}

	// Two pages with a filter: the cursor keeps it.
	p1 := listPage(t, tok, base+"created_by="+fin1.ID.String()+"&limit=2")
	if len(p1.ids) != 2 || p1.next == "" {
		t.Fatalf("first page %+v", p1)
	}
	p2 := listPage(t, tok, base+"created_by="+fin1.ID.String()+"&limit=2&cursor="+p1.next)
	if !sameIDs(append(p1.ids, p2.ids...), m1, m3, m4) || p2.next != "" {
		t.Errorf("pages %v then %+v", p1.ids, p2)
	}

	before := env.Count(t, `SELECT count(*) FROM fin_manual_entries WHERE tenant_id = $1`, c.tn.ID)
	badFields(t, tok, base+"status=done&entity_id=hq&from=2024-13-01&to=2024-07-01&created_by=me", "status", "entity_id", "from", "created_by")
	badFields(t, tok, base+"from=2024-07-02&to=2024-07-01", "to")
	badFields(t, tok, base+"to=01/07/2024", "to")
	if after := env.Count(t, `SELECT count(*) FROM fin_manual_entries WHERE tenant_id = $1`, c.tn.ID); after != before {
		t.Errorf("bad queries changed the manual entries: %d → %d", before, after)
	}

	// Another chain names this chain's entity and author: nothing of ours.
	for _, q := range []string{"", "entity_id=" + c.hq.String(), "created_by=" + fin1.ID.String()} {
		if got := listAll(t, other.AdminToken, base+q); len(got) != 0 {
			t.Errorf("other chain %q sees %v", q, got)
		}
	}
}

func TestSettlementListFilters(t *testing.T) {
	c := newChain(t)
	other := env.Signup(t)
	tok := c.tn.AdminToken
	if r := env.Do(t, apitest.Req{Method: "PUT", Path: "/api/v1/finance/royalty-rules", Token: tok, Body: map[string]any{"rate_bp": 500, "minimum_fee": 1000}}); r.Status != 200 {
		t.Fatalf("royalty rule: %d %s", r.Status, r.Body)
	}
	gen := func(fr uuid.UUID, month int) uuid.UUID {
		r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/finance/settlements", Token: tok, Body: map[string]any{"franchisee_id": fr, "year": 2024, "month": month}})
		if r.Status != 201 {
			t.Fatalf("generate: %d %s", r.Status, r.Body)
		}
		var st finance.Settlement
		r.JSON(t, &st)
		return st.ID
	}
	a9, a10, b9 := gen(c.frA, 9), gen(c.frA, 10), gen(c.frB, 9)
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/finance/settlements/" + a9.String() + "/post", Token: tok}); r.Status != 200 {
		t.Fatalf("post: %d %s", r.Status, r.Body)
	}
	base := "/api/v1/finance/settlements?"
	for _, tc := range []struct {
		name, query string
		want        []uuid.UUID
	}{
		{"no filter", "", []uuid.UUID{a9, a10, b9}},
		{"franchisee", "franchisee_id=" + c.frA.String(), []uuid.UUID{a9, a10}},
		{"month", "month=2024-09", []uuid.UUID{a9, b9}},
		{"month without any", "month=2024-11", nil},
		{"status posted", "status=posted", []uuid.UUID{a9}},
		{"status draft", "status=draft", []uuid.UUID{a10, b9}},
		{"combined", "franchisee_id=" + c.frA.String() + "&month=2024-10&status=draft", []uuid.UUID{a10}},
		{"combined, none", "franchisee_id=" + c.frB.String() + "&month=2024-09&status=posted", nil},
		{"another chain's franchisee", "franchisee_id=" + uuid.New().String(), nil},
	} {
		if got := listAll(t, tok, base+tc.query); !sameIDs(got, tc.want...) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	p1 := listPage(t, tok, base+"month=2024-09&limit=1")
	p2 := listPage(t, tok, base+"month=2024-09&limit=1&cursor="+p1.next)
	if len(p1.ids) != 1 || p1.next == "" || !sameIDs(append(p1.ids, p2.ids...), a9, b9) {
		t.Errorf("pages %+v then %+v", p1, p2)
	}
	if p3 := listPage(t, tok, base+"month=2024-09&limit=1&cursor="+p2.next); p2.next != "" && len(p3.ids) != 0 {
		t.Errorf("third page %+v", p3)
	}

	// A franchisee's user: their own only, whatever they name.
	fa := env.CreateUser(t, c.tn, "franchisee", nil, &c.frA)
	if got := listAll(t, fa.Token, base+"franchisee_id="+c.frB.String()); len(got) != 0 {
		t.Errorf("franchisee A names B: %v", got)
	}
	if got := listAll(t, fa.Token, base+"month=2024-09"); !sameIDs(got, a9) {
		t.Errorf("franchisee A, September: %v", got)
	}

	before := env.Count(t, `SELECT count(*) FROM fin_settlements WHERE tenant_id = $1`, c.tn.ID)
	badFields(t, tok, base+"franchisee_id=A&month=2024-13&status=open", "franchisee_id", "month", "status")
	badFields(t, tok, base+"month=2024-9", "month")
	badFields(t, tok, base+"month=2024-09-01", "month")
	if after := env.Count(t, `SELECT count(*) FROM fin_settlements WHERE tenant_id = $1`, c.tn.ID); after != before {
		t.Errorf("bad queries changed settlements: %d → %d", before, after)
	}
	for _, q := range []string{"", "franchisee_id=" + c.frA.String(), "month=2024-09"} {
		if got := listAll(t, other.AdminToken, base+q); len(got) != 0 {
			t.Errorf("other chain %q sees %v", q, got)
		}
	}
}

func TestEntryListAccountAndStoreFilters(t *testing.T) {
	c := newChain(t)
	other := env.Signup(t)
	otherStore := env.CreateStore(t, other, nil)
	ctx := context.Background()
	tok := c.tn.AdminToken
	post := func(ev finance.SaleEvent) []uuid.UUID {
		ps, err := env.Server.Finance.PostSale(ctx, c.tn.ID, ev)
		if err != nil {
			t.Fatal(err)
		}
		var ids []uuid.UUID
		for _, p := range ps {
			ids = append(ids, p.EntryID)
		}
		return ids
	}
	s1 := post(sale(c.direct, day(2024, 5, 3), 11300, 6000))
	s2 := post(sale(c.direct2, day(2024, 5, 4), 22600, 12000))
	sA := post(sale(c.storeA, day(2024, 5, 5), 11300, 6000))
	// An approved manual entry: 5602 of the direct store, 1002 of no store.
	fin1 := env.CreateUser(t, c.tn, "hq_finance", nil, nil)
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/finance/manual-entries", Token: fin1.Token, Body: map[string]any{
		"entity_id": c.hq, "business_date": "2024-05-06",
		"lines": []any{map[string]any{"account_code": finance.AcctAdmin, "debit": 700, "store_id": c.direct},
			map[string]any{"account_code": finance.AcctBank, "credit": 700}}}})
	var m finance.ManualEntry
	r.JSON(t, &m)
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/finance/manual-entries/" + m.ID.String() + "/approve", Token: tok}); r.Status != 200 {
		t.Fatalf("approve: %d %s", r.Status, r.Body)
	}
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/finance/manual-entries/" + m.ID.String(), Token: tok}).JSON(t, &m)
	man := *m.EntryID
	all := append(append(append(slices.Clone(s1), s2...), sA...), man)

	// What each filter should keep, worked out from the entries' own lines.
	lines := map[uuid.UUID][]finance.JournalLine{}
	for _, id := range all {
		var e finance.JournalEntry
		env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/finance/entries/" + id.String(), Token: tok}).JSON(t, &e)
		lines[id] = e.Lines
	}
	expect := func(code string, store *uuid.UUID) []uuid.UUID {
		var out []uuid.UUID
		for _, id := range all {
			for _, l := range lines[id] {
				if (code == "" || l.AccountCode == code || strings.HasPrefix(l.AccountCode, code+".")) &&
					(store == nil || (l.StoreID != nil && *l.StoreID == *store)) {
					out = append(out, id)
					break
				}
			}
		}
		return out
	}
	base := "/api/v1/finance/entries?from=2024-05-01&to=2024-05-31&"
	for _, tc := range []struct {
		code  string
		store *uuid.UUID
		in    []uuid.UUID // must be kept
		out   []uuid.UUID // must be left out
	}{
		{code: finance.AcctTaxes, in: append(slices.Clone(s1), s2...), out: []uuid.UUID{man}},
		{code: finance.AcctOutputVAT, in: s1, out: []uuid.UUID{man}},
		{code: finance.AcctBank, in: []uuid.UUID{man}},
		{store: &c.direct, in: append(slices.Clone(s1), man), out: s2},
		{store: &c.direct2, in: s2, out: append(slices.Clone(s1), man)},
		{code: finance.AcctAdmin, store: &c.direct, in: []uuid.UUID{man}, out: s1},
		{code: finance.AcctBank, store: &c.direct, out: []uuid.UUID{man}}, // the 1002 line names no store
	} {
		q := ""
		if tc.code != "" {
			q += "account_code=" + tc.code + "&"
		}
		if tc.store != nil {
			q += "store_id=" + tc.store.String() + "&"
		}
		got := listAll(t, tok, base+q+"limit=2")
		var mine []uuid.UUID
		for _, id := range got {
			if slices.Contains(all, id) {
				mine = append(mine, id)
			}
		}
		if len(mine) != len(got) {
			t.Errorf("%s: entries of another test in the list: %v", q, got)
		}
		if !sameIDs(mine, expect(tc.code, tc.store)...) {
			t.Errorf("%s: %v, want %v", q, mine, expect(tc.code, tc.store))
		}
		for _, id := range tc.in {
			if !slices.Contains(got, id) {
				t.Errorf("%s: %s missing", q, id)
			}
		}
		for _, id := range tc.out {
			if slices.Contains(got, id) {
				t.Errorf("%s: %s should be left out", q, id)
			}
		}
	}
	// Paging across two pages with the store filter.
	p1 := listPage(t, tok, base+"store_id="+c.direct.String()+"&limit=1")
	if len(p1.ids) != 1 || p1.next == "" {
		t.Fatalf("first page %+v", p1)
	}
	if rest := listAll(t, tok, base+"store_id="+c.direct.String()+"&limit=1&cursor="+p1.next); !sameIDs(append(p1.ids, rest...), expect("", &c.direct)...) {
		t.Errorf("paged: %v + %v", p1.ids, rest)
	}

	badFields(t, tok, base+"account_code=1&store_id=x&entity_id=y", "account_code", "store_id", "entity_id")
	badFields(t, tok, "/api/v1/finance/entries?account_code=2221.1&from=2024-06-01&to=2024-05-01", "account_code", "to")
	badFields(t, tok, "/api/v1/finance/entries?account_code=2221%25", "account_code")

	// A store of another chain, or out of the caller's scope, is 404.
	if r := env.Do(t, apitest.Req{Method: "GET", Path: base + "store_id=" + otherStore.String(), Token: tok}); r.Status != 404 {
		t.Errorf("another chain's store: %d %s", r.Status, r.Body)
	}
	fa := env.CreateUser(t, c.tn, "franchisee", nil, &c.frA)
	if r := env.Do(t, apitest.Req{Method: "GET", Path: base + "store_id=" + c.direct.String(), Token: fa.Token}); r.Status != 404 {
		t.Errorf("franchisee names an HQ store: %d %s", r.Status, r.Body)
	}
	if got := listAll(t, fa.Token, base+"store_id="+c.storeA.String()); !sameIDs(got, expect("", &c.storeA)...) || len(got) == 0 {
		t.Errorf("franchisee's own store: %v", got)
	}
	// Another chain's token, naming our codes and stores: nothing of ours.
	for _, q := range []string{"account_code=" + finance.AcctRevenue, "store_id=" + otherStore.String(), "entity_id=" + c.hq.String()} {
		for _, id := range listAll(t, other.AdminToken, base+q) {
			if slices.Contains(all, id) {
				t.Errorf("other chain %q sees our entry %s", q, id)
			}
		}
	}
	if r := env.Do(t, apitest.Req{Method: "GET", Path: base + "store_id=" + c.direct.String(), Token: other.AdminToken}); r.Status != 404 {
		t.Errorf("other chain names our store: %d", r.Status)
	}
}
