package pos_test

import (
	"net/http"
	"sort"
	"testing"
	"time"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/modules/pos"
)

// offlineSale is one sale as an offline till uploads it: paid in cash
// exactly, sold at, in shift, number seq of its offline series.
func offlineSale(shift uuid.UUID, at time.Time, seq, total int64, body map[string]any) map[string]any {
	body["id"] = newID()
	body["shift_id"] = shift
	body["sold_at"] = at.UTC().Format(time.RFC3339Nano)
	body["offline_seq"] = seq
	body["offline_total"] = total
	if _, ok := body["tenders"]; !ok {
		body["tenders"] = []any{cash(total, 0)}
	}
	return body
}

func (s *shop) upload(t testing.TB, batch uuid.UUID, sales ...map[string]any) pos.BatchResult {
	t.Helper()
	r := s.do(t, http.MethodPost, "/offline-batches", s.cashier.Token, map[string]any{"id": batch, "sales": sales})
	want(t, r, 201, "")
	var out pos.BatchResult
	r.JSON(t, &out)
	return out
}

func (s *shop) offlineQueue(t testing.TB, query string) []pos.QueueEntry {
	t.Helper()
	r := s.do(t, http.MethodGet, "/offline-sales"+query, s.manager.Token, nil)
	want(t, r, 200, "")
	var q struct{ Data []pos.QueueEntry }
	r.JSON(t, &q)
	return q.Data
}

// A till that was offline uploads its sales; uploading the batch again
// records nothing twice.
func TestAnOfflineBatchIsRecordedOnce(t *testing.T) {
	s := newShop(t, env, 2)
	sh := s.open(t, 0)
	stock := s.onHand(t, s.items[0].sku)
	start := time.Now() // after the prices came into force
	batchID := newID()
	sales := []map[string]any{
		offlineSale(sh.ID, start, 1, 1_000, map[string]any{"lines": lines(s.items[:1])}),
		offlineSale(sh.ID, start.Add(time.Millisecond), 2, 3_000, map[string]any{"lines": lines(s.items)}),
		offlineSale(sh.ID, start.Add(2*time.Millisecond), 3, 2_000, map[string]any{"lines": lines(s.items[:1], 2)}),
	}
	res := s.upload(t, batchID, sales...)
	if res.Replayed || len(res.Sales) != 3 {
		t.Fatalf("upload %+v", res)
	}
	for i, r := range res.Sales {
		if r.Status != "accepted" || len(r.Flags) != 0 || r.ReceiptNo == "" || r.SaleID != sales[i]["id"] {
			t.Errorf("sale %d: %+v", i, r)
		}
	}
	count := func() (int, int, int) {
		return s.e.Count(t, `SELECT count(*) FROM pos_sales WHERE tenant_id = $1 AND offline`, s.ID),
			s.e.Count(t, `SELECT count(*) FROM pos_offline_sales WHERE tenant_id = $1`, s.ID),
			s.e.Count(t, `SELECT count(*) FROM stock_movements WHERE tenant_id = $1 AND qty < 0`, s.ID)
	}
	ns, no, nm := count()
	if ns != 3 || no != 3 || nm != 4 {
		t.Fatalf("after the upload: %d sales, %d queue rows, %d stock issues; want 3, 3, 4", ns, no, nm)
	}
	if got := s.onHand(t, s.items[0].sku); got != stock-4_000 {
		t.Errorf("on hand %d, want %d", got, stock-4_000)
	}
	// Again (the till never saw the answer): the same answer, nothing new.
	again := s.upload(t, batchID, sales...)
	if !again.Replayed || len(again.Sales) != 3 {
		t.Fatalf("replay %+v", again)
	}
	for i, r := range again.Sales {
		if r.Status != "accepted" || r.ReceiptNo != res.Sales[i].ReceiptNo || r.SaleID != res.Sales[i].SaleID {
			t.Errorf("replayed sale %d: %+v, first %+v", i, r, res.Sales[i])
		}
	}
	if a, b, c := count(); a != ns || b != no || c != nm {
		t.Errorf("the replay wrote: %d/%d sales, %d/%d queue rows, %d/%d stock issues", a, ns, b, no, c, nm)
	}
	if got := s.onHand(t, s.items[0].sku); got != stock-4_000 {
		t.Errorf("on hand %d after the replay, want %d", got, stock-4_000)
	}
	// The same batch id with other sales is refused.
	r := s.do(t, http.MethodPost, "/offline-batches", s.cashier.Token, map[string]any{"id": batchID, "sales": sales[:2]})
	want(t, r, 409, "pos.batch_reused")
	// The sales are the shift's, in its series, and the manager sees them.
	var got pos.Sale
	r = s.do(t, http.MethodGet, "/sales/"+res.Sales[1].SaleID.String(), s.cashier.Token, nil)
	want(t, r, 200, "")
	r.JSON(t, &got)
	if !got.Offline || got.ShiftID != sh.ID || got.Total != 3_000 || got.ReceiptNo != res.Sales[1].ReceiptNo {
		t.Errorf("uploaded sale %+v", got)
	}
	q := s.offlineQueue(t, "")
	if len(q) != 3 {
		t.Fatalf("queue %+v", q)
	}
	for _, e := range q {
		if e.Status != "accepted" || e.BatchID != batchID || e.RegisterID != s.register {
			t.Errorf("queue entry %+v", e)
		}
	}
	checkMoney(t, s)
}

// What the till could not know is accepted and flagged: stock it did not
// have where negative stock is forbidden, a member frozen meanwhile. The
// manager's queue shows them; a review clears the flag. A register not
// allowed offline is refused.
func TestOfflineConflictsAreFlaggedForTheManager(t *testing.T) {
	s := newShop(t, env, 1)
	want(t, s.e.Do(t, apitest.Req{Method: http.MethodPut, Path: "/api/v1/inventory/settings", Token: s.AdminToken,
		Body: map[string]any{"allow_negative_stock": false}}), 200, "")
	scarce := s.product(t, "限量商品", 500, nil, 1_000) // one on the shelf
	memberID, phone := s.member(t)
	want(t, s.e.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/members/" + memberID.String() + "/card/freeze", Token: s.AdminToken}), 200, "")
	sh := s.open(t, 0)
	// Online, neither would be sold.
	r := s.idem(t, http.MethodPost, "/sales", s.cashier.Token, uuid.NewString(), map[string]any{"id": newID(),
		"lines": lines([]item{scarce}, 3), "tenders": []any{cash(1_500, 0)}})
	if r.Status < 400 || r.Status >= 500 {
		t.Fatalf("an online sale beyond stock: %d %s", r.Status, r.Body)
	}
	want(t, s.idem(t, http.MethodPost, "/sales", s.cashier.Token, uuid.NewString(), map[string]any{"id": newID(),
		"lines": lines(s.items), "member": map[string]any{"phone": phone}, "tenders": []any{cash(1_000, 0)}}), 409, "pos.member_frozen")

	start := time.Now() // after the prices came into force
	sales := []map[string]any{
		offlineSale(sh.ID, start, 1, 1_000, map[string]any{"lines": lines(s.items)}),
		offlineSale(sh.ID, start.Add(time.Millisecond), 2, 1_500, map[string]any{"lines": lines([]item{scarce}, 3)}),
		offlineSale(sh.ID, start.Add(2*time.Millisecond), 3, 1_000, map[string]any{"lines": lines(s.items), "member": map[string]any{"phone": phone}}),
	}
	res := s.upload(t, newID(), sales...)
	if len(res.Sales) != 3 {
		t.Fatalf("upload %+v", res)
	}
	status := map[uuid.UUID]pos.OfflineResult{}
	for _, r := range res.Sales {
		status[r.SaleID] = r
	}
	plain, short, frozen := status[sales[0]["id"].(uuid.UUID)], status[sales[1]["id"].(uuid.UUID)], status[sales[2]["id"].(uuid.UUID)]
	if plain.Status != "accepted" || len(plain.Flags) != 0 {
		t.Errorf("a plain offline sale: %+v", plain)
	}
	if short.Status != "flagged" || !hasFlag(short.Flags, "stock_below_zero") {
		t.Errorf("a sale beyond stock: %+v", short)
	}
	if frozen.Status != "flagged" || !hasFlag(frozen.Flags, "member_frozen") {
		t.Errorf("a frozen member's sale: %+v", frozen)
	}
	if got := s.onHand(t, scarce.sku); got != -2_000 {
		t.Errorf("on hand %d after selling 3 of 1 offline, want -2000", got)
	}
	var sale pos.Sale
	r = s.do(t, http.MethodGet, "/sales/"+frozen.SaleID.String(), s.cashier.Token, nil)
	want(t, r, 200, "")
	r.JSON(t, &sale)
	if sale.MemberID != nil || sale.PointsEarned != 0 || !hasFlag(sale.Flags, "member_frozen") {
		t.Errorf("a frozen member's offline sale earned or kept the member: %+v", sale)
	}

	// The manager's queue, all and flagged only.
	q := s.offlineQueue(t, "")
	if len(q) != 3 {
		t.Fatalf("queue has %d entries, want 3", len(q))
	}
	var statuses []string
	for _, e := range q {
		statuses = append(statuses, e.Status)
		if e.SaleID == short.SaleID && (!hasFlag(e.Flags, "stock_below_zero") || e.Total != 1_500) {
			t.Errorf("queue entry %+v", e)
		}
	}
	sort.Strings(statuses)
	if len(statuses) != 3 || statuses[0] != "accepted" || statuses[1] != "flagged" || statuses[2] != "flagged" {
		t.Errorf("queue statuses %v", statuses)
	}
	if fl := s.offlineQueue(t, "?status=flagged"); len(fl) != 2 {
		t.Errorf("flagged queue %+v", fl)
	}
	// The cashier does not manage the queue.
	if r := s.do(t, http.MethodGet, "/offline-sales", s.cashier.Token, nil); r.Status != 403 && r.Status != 404 {
		t.Errorf("a cashier read the queue: %d", r.Status)
	}
	if r := s.do(t, http.MethodPost, "/offline-sales/"+short.SaleID.String()+"/review", s.cashier.Token, nil); r.Status != 403 && r.Status != 404 {
		t.Errorf("a cashier reviewed: %d", r.Status)
	}
	// A review clears the flag, once; an accepted sale needs none.
	want(t, s.do(t, http.MethodPost, "/offline-sales/"+short.SaleID.String()+"/review", s.manager.Token, nil), 204, "")
	want(t, s.do(t, http.MethodPost, "/offline-sales/"+short.SaleID.String()+"/review", s.manager.Token, nil), 404, "pos.sale_not_found")
	want(t, s.do(t, http.MethodPost, "/offline-sales/"+plain.SaleID.String()+"/review", s.manager.Token, nil), 404, "pos.sale_not_found")
	fl := s.offlineQueue(t, "?status=flagged")
	if len(fl) != 1 || fl[0].SaleID != frozen.SaleID {
		t.Errorf("flagged after one review: %+v", fl)
	}
	rv := s.offlineQueue(t, "?status=reviewed")
	if len(rv) != 1 || rv[0].SaleID != short.SaleID || rv[0].ReviewedBy == nil || *rv[0].ReviewedBy != s.manager.ID || rv[0].ReviewedAt == nil {
		t.Errorf("reviewed: %+v", rv)
	}
	want(t, s.do(t, http.MethodGet, "/offline-sales?status=pending", s.manager.Token, nil), 400, "")

	// A register not allowed offline.
	r = s.do(t, http.MethodPost, "/registers", s.AdminToken, map[string]any{"code": "T02", "name": "二号收银机"})
	want(t, r, 201, "")
	var online pos.RegisterCreated
	r.JSON(t, &online)
	if online.OfflineAllowed {
		t.Fatal("a register is offline-allowed by default")
	}
	r = s.e.Do(t, apitest.Req{Method: http.MethodPost, Path: s.path("/offline-batches"), Token: s.cashier.Token,
		Header: map[string]string{pos.RegisterHeader: online.DeviceToken},
		Body:   map[string]any{"id": newID(), "sales": []any{offlineSale(sh.ID, start, 1, 1_000, map[string]any{"lines": lines(s.items)})}}})
	want(t, r, 403, "pos.register_offline_not_allowed")
	if n := s.e.Count(t, `SELECT count(*) FROM pos_sales WHERE tenant_id = $1 AND register_id = $2`, s.ID, online.ID); n != 0 {
		t.Errorf("the refused upload wrote %d sales", n)
	}
	checkMoney(t, s)
}

func hasFlag(ss []string, v string) bool {
	for _, s := range ss {
		if s == v {
			return true
		}
	}
	return false
}
