package pos_test

import (
	"net/http"
	"testing"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/modules/pos"
)

func (s *shop) onHand(t testing.TB, sku uuid.UUID) int64 {
	t.Helper()
	var n int64
	if err := s.e.Owner.QueryRow(`SELECT on_hand FROM stock_levels WHERE tenant_id = $1 AND store_id = $2 AND sku_id = $3`, s.ID, s.store, sku).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func (s *shop) giveBack(t testing.TB, token string, body map[string]any) *apitest.Response {
	t.Helper()
	if _, ok := body["id"]; !ok {
		body["id"] = newID()
	}
	return s.idem(t, http.MethodPost, "/returns", token, uuid.NewString(), body)
}

// A part return by receipt number refunds the line's net after its share
// of the 满减, restocks it, takes back the points in proportion; a damaged
// line is not restocked; nothing returns beyond what was sold; the rest
// returns whole.
func TestReturnsGiveBackWhatWasPaidAndNoMore(t *testing.T) {
	s := newShop(t, env, 3)
	s.promotion(t, spendOff("满50减6", 5_000, 600))
	_, phone := s.member(t)
	s.open(t, 0)
	sale := s.sell(t, map[string]any{"lines": lines(s.items, 2, 1, 1), "member": map[string]any{"phone": phone}})
	// 2 × 10 + 19.50 + 30 = 69.50, 满50减6 → 63.50.
	if sale.Total != 6_350 {
		t.Fatalf("sale total %d, want 6350", sale.Total)
	}
	before := s.onHand(t, s.items[0].sku)
	r := s.giveBack(t, s.cashier.Token, map[string]any{"receipt_no": sale.ReceiptNo, "reason": "不想要了",
		"lines": []any{map[string]any{"line_no": 1, "qty": 1000}}})
	want(t, r, 201, "")
	var ret pos.Return
	r.JSON(t, &ret)
	line1 := sale.Lines[0]
	if d := 2*ret.RefundTotal - line1.Net; d < -1 || d > 1 || len(ret.Tenders) == 0 || ret.Tenders[0].Method != "cash" {
		t.Errorf("refund %d (tenders %+v), want half of line 1's net %d in cash", ret.RefundTotal, ret.Tenders, line1.Net)
	}
	if sale.PointsEarned > 0 && ret.PointsReversed == 0 {
		t.Errorf("earned %d points, none taken back", sale.PointsEarned)
	}
	if got := s.onHand(t, s.items[0].sku); got != before+1000 {
		t.Errorf("on hand %d after a restocked return, want %d", got, before+1000)
	}
	// Damaged: refunded, not restocked.
	before3 := s.onHand(t, s.items[2].sku)
	want(t, s.giveBack(t, s.cashier.Token, map[string]any{"sale_id": sale.ID, "lines": []any{map[string]any{"line_no": 3, "qty": 1000, "damaged": true}}}), 201, "")
	if got := s.onHand(t, s.items[2].sku); got != before3 {
		t.Errorf("a damaged return changed stock %d → %d", before3, got)
	}
	// Beyond what was sold.
	want(t, s.giveBack(t, s.cashier.Token, map[string]any{"sale_id": sale.ID, "lines": []any{map[string]any{"line_no": 1, "qty": 2000}}}), 409, "pos.return_exceeds_sale")
	want(t, s.giveBack(t, s.cashier.Token, map[string]any{"sale_id": sale.ID, "lines": []any{map[string]any{"line_no": 3, "qty": 1}}}), 409, "pos.return_exceeds_sale")
	// The rest, whole: the sale is then fully returned, to the fen.
	want(t, s.giveBack(t, s.cashier.Token, map[string]any{"sale_id": sale.ID}), 201, "")
	var got pos.Sale
	r = s.do(t, http.MethodGet, "/sales/"+sale.ID.String(), s.cashier.Token, nil)
	want(t, r, 200, "")
	r.JSON(t, &got)
	if got.ReturnedTotal != sale.Total {
		t.Errorf("returned %d of %d", got.ReturnedTotal, sale.Total)
	}
	want(t, s.giveBack(t, s.cashier.Token, map[string]any{"sale_id": sale.ID}), 409, "pos.return_exceeds_sale")
	checkMoney(t, s)
}

// A refund above the store's limit waits for a manager; a void takes the
// last sale of the shift back whole and needs pos:void.
func TestBigRefundsAndVoidsNeedAManager(t *testing.T) {
	s := newShop(t, env, 2)
	want(t, s.e.Do(t, apitest.Req{Method: http.MethodPut, Path: "/api/v1/pos/settings", Token: s.AdminToken, Body: map[string]any{
		"rounding": "fen", "variance_tolerance": 500, "return_approval_limit": 1_500, "cashier_discount_bp": 0}}), 200, "")
	s.open(t, 0)
	sale := s.sell(t, map[string]any{"lines": lines(s.items)})
	want(t, s.giveBack(t, s.cashier.Token, map[string]any{"sale_id": sale.ID, "lines": []any{map[string]any{"line_no": 2, "qty": 1000}}}), 403, "pos.approval_required")
	want(t, s.e.Do(t, apitest.Req{Method: http.MethodPut, Path: "/api/v1/pos/approval-pin", Token: s.manager.Token, Body: map[string]any{"pin": "8642"}}), 204, "")
	want(t, s.giveBack(t, s.cashier.Token, map[string]any{"sale_id": sale.ID, "lines": []any{map[string]any{"line_no": 2, "qty": 1000}},
		"approval": map[string]any{"user_id": s.manager.ID, "pin": "8642"}}), 201, "")
	// Within the limit the cashier returns alone.
	want(t, s.giveBack(t, s.cashier.Token, map[string]any{"sale_id": sale.ID, "lines": []any{map[string]any{"line_no": 1, "qty": 1000}}}), 201, "")

	last := s.sell(t, map[string]any{"lines": lines(s.items[:1], 3)})
	stock := s.onHand(t, s.items[0].sku)
	void := func(id uuid.UUID, token string, approval any) *apitest.Response {
		return s.idem(t, http.MethodPost, "/sales/"+id.String()+"/void", token, uuid.NewString(), map[string]any{"reason": "扫错了", "approval": approval})
	}
	want(t, void(last.ID, s.cashier.Token, nil), 403, "pos.approval_required")
	want(t, void(sale.ID, s.manager.Token, nil), 409, "pos.void_refused") // not the last sale, and returned already
	want(t, void(last.ID, s.cashier.Token, map[string]any{"user_id": s.manager.ID, "pin": "8642"}), 201, "")
	if got := s.onHand(t, s.items[0].sku); got != stock+3000 {
		t.Errorf("a void left stock at %d, want %d", got, stock+3000)
	}
	var voided pos.Sale
	r := s.do(t, http.MethodGet, "/sales/"+last.ID.String(), s.cashier.Token, nil)
	r.JSON(t, &voided)
	if voided.Status != "voided" {
		t.Errorf("status %q after a void", voided.Status)
	}
	want(t, void(last.ID, s.manager.Token, nil), 409, "pos.void_refused")
	checkMoney(t, s)
}
