package pos_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/modules/pos"
)

// closeShift is the cashier's blind count at the till.
func (s *shop) closeShift(t testing.TB, counts map[string]int64) *apitest.Response {
	t.Helper()
	var cs []any
	for m, n := range counts {
		cs = append(cs, map[string]any{"method": m, "counted": n})
	}
	return s.do(t, http.MethodPost, "/shifts/current/close", s.cashier.Token, map[string]any{"counts": cs, "note": "交班"})
}

// varianceEntry is the cash variance posted for a shift: its lines'
// debits and credits, and how many entries there are.
func (s *shop) varianceEntry(t testing.TB, shift uuid.UUID) (entries int, debit, credit int64) {
	t.Helper()
	entries = s.e.Count(t, `SELECT count(*) FROM fin_entries WHERE tenant_id = $1 AND source_id = $2`, s.ID, shift)
	if err := s.e.Owner.QueryRow(`SELECT coalesce(sum(l.debit), 0), coalesce(sum(l.credit), 0) FROM fin_lines l
		JOIN fin_entries e ON e.tenant_id = l.tenant_id AND e.id = l.entry_id WHERE e.tenant_id = $1 AND e.source_id = $2`, s.ID, shift).Scan(&debit, &credit); err != nil {
		t.Fatal(err)
	}
	return entries, debit, credit
}

func countOf(sh pos.Shift, method string) (pos.ShiftCount, bool) {
	for _, c := range sh.Counts {
		if c.Method == method {
			return c, true
		}
	}
	return pos.ShiftCount{}, false
}

// No sale without an open shift, one open shift per register; the blind
// count closes it, a variance within the chain's tolerance posts at once
// and a larger one waits for the manager; the shift report and the day's
// end add up to the sales made. Nobody outside the store sees them.
func TestShiftsCloseOnABlindCount(t *testing.T) {
	s := newShop(t, env, 2)
	want(t, s.e.Do(t, apitest.Req{Method: http.MethodPut, Path: "/api/v1/pos/settings", Token: s.AdminToken, Body: map[string]any{
		"rounding": "fen", "variance_tolerance": 500, "return_approval_limit": 20000}}), 200, "")

	// No shift: no sale.
	r := s.idem(t, http.MethodPost, "/sales", s.cashier.Token, uuid.NewString(), map[string]any{"id": newID(), "lines": lines(s.items), "tenders": []any{cash(3_000, 0)}})
	want(t, r, 409, "pos.shift_closed")
	want(t, s.closeShift(t, map[string]int64{"cash": 0}), 409, "pos.shift_closed")
	if n := s.e.Count(t, `SELECT count(*) FROM pos_sales WHERE tenant_id = $1`, s.ID); n != 0 {
		t.Fatalf("%d sales without a shift", n)
	}

	first := s.open(t, 20_000)
	if first.Status != "open" || first.OpeningFloat != 20_000 || first.BusinessDate == "" {
		t.Fatalf("opened %+v", first)
	}
	// A second shift at the register, by the cashier or by another.
	want(t, s.do(t, http.MethodPost, "/shifts", s.cashier.Token, map[string]any{"opening_float": 0}), 409, "pos.shift_already_open")
	other := s.e.CreateUser(t, s.Tenant, "cashier", &s.store, nil)
	want(t, s.do(t, http.MethodPost, "/shifts", other.Token, map[string]any{"opening_float": 0}), 409, "pos.shift_already_open")
	// Nor does another cashier sell in it.
	want(t, s.idem(t, http.MethodPost, "/sales", other.Token, uuid.NewString(), map[string]any{"id": newID(), "lines": lines(s.items), "tenders": []any{cash(3_000, 0)}}), 409, "pos.shift_closed")

	s1 := s.sell(t, map[string]any{"lines": lines(s.items)})                                                             // 30.00
	s2 := s.sell(t, map[string]any{"lines": lines(s.items[:1], 2), "tenders": []any{cash(2_000, 5_000)}, "id": newID()}) // 20.00, 30.00 change

	// Blind: what the till sees of its shift before the count has no expected figures.
	r = s.do(t, http.MethodGet, "/till", s.cashier.Token, nil)
	want(t, r, 200, "")
	if strings.Contains(string(r.Body), "expected") || strings.Contains(string(r.Body), "counts") {
		t.Errorf("the till shows the cashier what to count: %s", r.Body)
	}
	if r := s.do(t, http.MethodGet, "/shifts/"+first.ID.String(), s.cashier.Token, nil); r.Status == 200 {
		t.Errorf("the cashier read the shift before the count: %s", r.Body)
	}
	if r := s.do(t, http.MethodGet, "/shifts/"+first.ID.String()+"/report", s.cashier.Token, nil); r.Status == 200 {
		t.Errorf("the cashier read the shift report before the count: %s", r.Body)
	}
	// The cash count is required, and only tenders are counted.
	want(t, s.closeShift(t, map[string]int64{"wechat": 0}), 422, "pos.invalid_shift")
	want(t, s.closeShift(t, map[string]int64{"cash": 0, "stored_value": 0}), 422, "pos.invalid_shift")

	// Expected: 200.00 float + 30.00 + 20.00. Counted 2.00 short: within 5.00.
	expected := int64(20_000 + 3_000 + 2_000)
	r = s.closeShift(t, map[string]int64{"cash": expected - 200, "wechat": 0})
	want(t, r, 200, "")
	var closed pos.Shift
	r.JSON(t, &closed)
	if closed.Status != "closed" || closed.CashVariance == nil || *closed.CashVariance != -200 || closed.ClosedAt == nil {
		t.Fatalf("closed %+v", closed)
	}
	if c, ok := countOf(closed, "cash"); !ok || c.Expected != expected || c.Counted != expected-200 || c.Variance != -200 {
		t.Errorf("cash count %+v", closed.Counts)
	}
	if n, d, c := s.varianceEntry(t, first.ID); n != 1 || d != 200 || c != 200 {
		t.Errorf("variance within tolerance: %d entries, debits %d, credits %d; want 1 entry of 2.00", n, d, c)
	}

	// The next shift: 10.00 sold, counted 9.00 over (beyond 5.00).
	second := s.open(t, 10_000)
	if second.ID == first.ID {
		t.Fatal("the same shift again")
	}
	s3 := s.sell(t, map[string]any{"lines": lines(s.items[:1])})
	// A sale voided in the shift leaves the drawer as it was.
	want(t, s.e.Do(t, apitest.Req{Method: http.MethodPut, Path: "/api/v1/pos/approval-pin", Token: s.manager.Token, Body: map[string]any{"pin": "8642"}}), 204, "")
	voided := s.sell(t, map[string]any{"lines": lines(s.items[1:])})
	want(t, s.idem(t, http.MethodPost, "/sales/"+voided.ID.String()+"/void", s.cashier.Token, uuid.NewString(), map[string]any{"reason": "顾客不要了",
		"approval": map[string]any{"user_id": s.manager.ID, "pin": "8642"}}), 201, "")
	r = s.closeShift(t, map[string]int64{"cash": 10_000 + 1_000 + 900})
	want(t, r, 200, "")
	var waiting pos.Shift
	r.JSON(t, &waiting)
	if waiting.Status != "pending_approval" || waiting.CashVariance == nil || *waiting.CashVariance != 900 {
		t.Fatalf("beyond tolerance %+v", waiting)
	}
	if c, ok := countOf(waiting, "cash"); !ok || c.Expected != 10_000+1_000 {
		t.Errorf("expected cash after a sale and a void: %+v, want 110.00", waiting.Counts)
	}
	if n, _, _ := s.varianceEntry(t, second.ID); n != 0 {
		t.Errorf("a variance beyond tolerance posted %d entries before approval", n)
	}
	// Not the cashier's to approve; the manager's, once.
	if r := s.do(t, http.MethodPost, "/shifts/"+second.ID.String()+"/approve", s.cashier.Token, map[string]any{"note": "自己批"}); r.Status == 200 {
		t.Fatalf("the cashier approved their own variance")
	}
	want(t, s.do(t, http.MethodPost, "/shifts/"+first.ID.String()+"/approve", s.manager.Token, nil), 409, "pos.shift_state")
	r = s.do(t, http.MethodPost, "/shifts/"+second.ID.String()+"/approve", s.manager.Token, map[string]any{"note": "点钞复核无误"})
	want(t, r, 200, "")
	var approved pos.Shift
	r.JSON(t, &approved)
	if approved.Status != "closed" || approved.ApprovedBy == nil || *approved.ApprovedBy != s.manager.ID || approved.ApprovedAt == nil {
		t.Errorf("approved %+v", approved)
	}
	if n, d, c := s.varianceEntry(t, second.ID); n != 1 || d != 900 || c != 900 {
		t.Errorf("approved variance: %d entries, debits %d, credits %d; want 1 entry of 9.00", n, d, c)
	}
	want(t, s.do(t, http.MethodPost, "/shifts/"+second.ID.String()+"/approve", s.manager.Token, nil), 409, "pos.shift_state")

	// The first shift's report: two sales, 50.00 in cash.
	r = s.do(t, http.MethodGet, "/shifts/"+first.ID.String()+"/report", s.manager.Token, nil)
	want(t, r, 200, "")
	var rep pos.ShiftReport
	r.JSON(t, &rep)
	tk := rep.Takings
	if tk.Sales != 2 || tk.Total != s1.Total+s2.Total || tk.Net != 5_000 || tk.Returns != 0 || len(tk.ByTender) != 1 ||
		tk.ByTender[0].Method != "cash" || tk.ByTender[0].Taken != 5_000 {
		t.Errorf("shift report takings %+v", tk)
	}
	if c, ok := countOf(rep.Shift, "cash"); !ok || c.Expected != expected || rep.Shift.ID != first.ID {
		t.Errorf("shift report shift %+v", rep.Shift)
	}
	// The day: both shifts, their sales and variances.
	r = s.do(t, http.MethodGet, "/day-end?date="+first.BusinessDate, s.manager.Token, nil)
	want(t, r, 200, "")
	var day pos.DayEnd
	r.JSON(t, &day)
	if day.BusinessDate != first.BusinessDate || day.Takings.Sales != 3 || day.Takings.Total != s1.Total+s2.Total+s3.Total ||
		day.Takings.Net != 6_000 || day.Takings.Voids != 1 || day.Takings.Voided != voided.Total ||
		len(day.Shifts) != 2 || day.Open != 0 || day.Variance != 700 {
		t.Errorf("day end %+v", day)
	}
	var byRate int64
	for _, v := range day.ByVATRate {
		byRate += v.Net
	}
	if byRate != 6_000 {
		t.Errorf("day end by VAT rate %+v sums to %d", day.ByVATRate, byRate)
	}
	want(t, s.do(t, http.MethodGet, "/day-end?date=yesterday", s.manager.Token, nil), 400, "")

	// A cashier of another store of the chain, another chain's admin: 404.
	b := s.e.CreateStore(t, s.Tenant, nil)
	cashierB := s.e.CreateUser(t, s.Tenant, "cashier", &b, nil)
	managerB := s.e.CreateUser(t, s.Tenant, "store_manager", &b, nil)
	stranger := newShop(t, env, 0)
	for _, who := range []struct {
		name, token string
	}{{"a cashier of store B", cashierB.Token}, {"a manager of store B", managerB.Token}, {"another chain's admin", stranger.AdminToken}} {
		for _, p := range []struct{ method, rest string }{
			{http.MethodGet, "/shifts/" + first.ID.String() + "/report"},
			{http.MethodGet, "/day-end?date=" + first.BusinessDate},
			{http.MethodPost, "/shifts/" + second.ID.String() + "/approve"},
			{http.MethodGet, "/shifts/" + first.ID.String()},
			{http.MethodPost, "/shifts/current/close"},
		} {
			var body any
			if p.method == http.MethodPost {
				body = map[string]any{"counts": []any{map[string]any{"method": "cash", "counted": 0}}}
			}
			if r := s.do(t, p.method, p.rest, who.token, body); r.Status != 404 {
				t.Errorf("%s: %s %s → %d %s, want 404", who.name, p.method, p.rest, r.Status, r.Body)
			}
		}
	}
	checkMoney(t, s)
}
