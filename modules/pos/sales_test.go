package pos_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/modules/pos"
)

// promotion creates and activates a promotion as the chain's admin.
func (s *shop) promotion(t testing.TB, body map[string]any) uuid.UUID {
	t.Helper()
	r := s.e.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/promotions", Token: s.AdminToken, Body: body})
	want(t, r, 201, "")
	var d struct{ ID uuid.UUID }
	r.JSON(t, &d)
	want(t, s.e.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/promotions/" + d.ID.String() + "/activate", Token: s.AdminToken}), 200, "")
	return d.ID
}

var phones sync.Mutex
var phoneN int

// member enrols a member with a fresh phone number.
func (s *shop) member(t testing.TB) (uuid.UUID, string) {
	t.Helper()
	phones.Lock()
	phoneN++
	phone := fmt.Sprintf("139%08d", (phoneN*7919+int(s.ID[15]))%100_000_000)
	phones.Unlock()
	r := s.e.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/members", Token: s.AdminToken, Body: map[string]any{"name": "会员", "phone": phone}})
	want(t, r, 201, "")
	var m struct{ ID uuid.UUID }
	r.JSON(t, &m)
	return m.ID, phone
}

func spendOff(name string, threshold, off int64) map[string]any {
	return map[string]any{"name": name, "kind": "spend_amount_off", "rule": map[string]any{"steps": []any{map[string]any{"threshold": threshold, "off": off}}}}
}

// A member by phone gets member prices, a 满减 on top, the discount
// allocated to lines to the fen, and earns points on what they paid.
func TestAMemberSaleWithAPromotion(t *testing.T) {
	s := newShop(t, env, 5)
	promo := s.promotion(t, spendOff("满100减20", 10_000, 2_000))
	memberID, phone := s.member(t)
	s.open(t, 0)
	body := map[string]any{"lines": lines(s.items), "member": map[string]any{"phone": phone}}
	c := s.price(t, body)
	// 10 + 19.50 + 30 + 39.50 + 50 = 149.00 at member prices; 满100减20.
	if c.Member == nil || c.Member.ID != memberID {
		t.Fatalf("member not found: %+v", c.Member)
	}
	if c.Gross != 15_000 || c.Total != 14_900-2_000 {
		t.Fatalf("gross %d total %d discount %d, want 15000 / 12900", c.Gross, c.Total, c.Discount)
	}
	var allocated int64
	var found bool
	for _, l := range c.Lines {
		var line int64
		for _, a := range l.Allocations {
			line += a.Amount
			allocated += a.Amount
			if a.PromotionID != nil && *a.PromotionID == promo {
				found = true
			}
			if a.Label == "" || a.LabelEn == "" {
				t.Errorf("line %d: an allocation without its explanation: %+v", l.LineNo, a)
			}
		}
		if l.Net != l.Gross-l.Discount || line != l.Discount || l.Net < 0 {
			t.Errorf("line %d: gross %d discount %d net %d, allocations %d", l.LineNo, l.Gross, l.Discount, l.Net, line)
		}
	}
	if !found || allocated != c.Discount || c.Discount != 2_100 {
		t.Fatalf("discount %d, allocated %d (promotion found %v), want 2100 = 100 member + 2000 满减", c.Discount, allocated, found)
	}
	if len(c.Applied) == 0 || c.Applied[0].Explanation == "" || c.Applied[0].ExplanationEn == "" {
		t.Errorf("promotions not explained: %+v", c.Applied)
	}
	sale := s.sell(t, body)
	if sale.Total != c.Total || sale.MemberID == nil || *sale.MemberID != memberID {
		t.Fatalf("sale %+v", sale)
	}
	if sale.PointsEarned != c.PointsToEarn {
		t.Errorf("earned %d points, the cart promised %d", sale.PointsEarned, c.PointsToEarn)
	}
	if n := s.e.Count(t, `SELECT count(*) FROM promotion_usage WHERE tenant_id = $1 AND promotion_id = $2`, s.ID, promo); n != 1 {
		t.Errorf("promotion usage rows %d, want 1", n)
	}
	var purchases struct {
		RecentPurchases []struct {
			ID uuid.UUID `json:"id"`
		} `json:"recent_purchases"`
	}
	r := s.e.Do(t, apitest.Req{Method: http.MethodGet, Path: "/api/v1/members/" + memberID.String(), Token: s.AdminToken})
	want(t, r, 200, "")
	r.JSON(t, &purchases)
	if len(purchases.RecentPurchases) != 1 || purchases.RecentPurchases[0].ID != sale.ID {
		t.Errorf("the member's 360 view shows purchases %s", r.Body)
	}
	checkMoney(t, s)
}

// The server reprices: a client's price is not a field it reads, and an
// override beyond the cashier's limit needs a manager.
func TestOverridesNeedTheRightRole(t *testing.T) {
	s := newShop(t, env, 1)
	s.open(t, 0)
	it := s.items[0]
	line := func(price int64) map[string]any {
		return map[string]any{"lines": []any{map[string]any{"sku_id": it.sku, "qty": 1000,
			"price_override": map[string]any{"unit_price": price, "reason": "临期"}}}}
	}
	// 5% off is within no limit by default: a cashier alone may not.
	r := s.do(t, http.MethodPost, "/carts/price", s.cashier.Token, line(950))
	if r.Status == 200 {
		c := pos.PricedCart{}
		r.JSON(t, &c)
		body := line(950)
		body["id"], body["tenders"] = newID(), []any{cash(c.Total, 0)}
		r = s.idem(t, http.MethodPost, "/sales", s.cashier.Token, uuid.NewString(), body)
	}
	want(t, r, 403, "pos.approval_required")
	// With the manager's PIN.
	want(t, s.e.Do(t, apitest.Req{Method: http.MethodPut, Path: "/api/v1/pos/approval-pin", Token: s.manager.Token, Body: map[string]any{"pin": "2468"}}), 204, "")
	body := line(950)
	body["id"], body["tenders"] = newID(), []any{cash(950, 0)}
	body["approval"] = map[string]any{"user_id": s.manager.ID, "pin": "1357"}
	want(t, s.idem(t, http.MethodPost, "/sales", s.cashier.Token, uuid.NewString(), body), 403, "pos.approval_denied")
	body["approval"] = map[string]any{"user_id": s.manager.ID, "pin": "2468"}
	sale := s.sell(t, body)
	if sale.Total != 950 {
		t.Fatalf("override sale total %d", sale.Total)
	}
	if n := s.e.Count(t, `SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND action LIKE 'pos.%'`, s.ID); n == 0 {
		t.Error("the override is not audited")
	}
	checkMoney(t, s)
}

// A retried sale with the same key is one sale; the same key with another
// body is 409; the same sale id under another key is the same sale.
func TestARetriedSaleIsOneSale(t *testing.T) {
	s := newShop(t, env, 2)
	s.open(t, 0)
	id := newID()
	body := map[string]any{"id": id, "lines": lines(s.items[:1]), "tenders": []any{cash(1000, 0)}}
	key := uuid.NewString()
	first := s.idem(t, http.MethodPost, "/sales", s.cashier.Token, key, body)
	want(t, first, 201, "")
	again := s.idem(t, http.MethodPost, "/sales", s.cashier.Token, key, body)
	want(t, again, 201, "")
	if string(first.Body) != string(again.Body) {
		t.Errorf("the replay differs:\n%s\n%s", first.Body, again.Body)
	}
	other := map[string]any{"id": newID(), "lines": lines(s.items[1:]), "tenders": []any{cash(2000, 0)}}
	want(t, s.idem(t, http.MethodPost, "/sales", s.cashier.Token, key, other), 409, "")
	// The till lost the answer and retries under a new key: the id names the sale.
	retry := s.idem(t, http.MethodPost, "/sales", s.cashier.Token, uuid.NewString(), body)
	if retry.Status != 201 && retry.Status != 200 {
		t.Fatalf("retry by id: %d %s", retry.Status, retry.Body)
	}
	var a, b pos.Sale
	first.JSON(t, &a)
	retry.JSON(t, &b)
	if a.ID != b.ID || a.ReceiptNo != b.ReceiptNo {
		t.Errorf("retry by id made %s %s, first %s %s", b.ID, b.ReceiptNo, a.ID, a.ReceiptNo)
	}
	if n := s.e.Count(t, `SELECT count(*) FROM pos_sales WHERE tenant_id = $1`, s.ID); n != 1 {
		t.Errorf("%d sales, want 1", n)
	}
	if n := s.e.Count(t, `SELECT count(*) FROM stock_movements WHERE tenant_id = $1 AND source_id = $2`, s.ID, id); n != 1 {
		t.Errorf("%d stock movements for the sale, want 1", n)
	}
	checkMoney(t, s)
}

// Fifty tills racing for the last ten units, with negative stock off,
// sell exactly ten; the receipts of each register have no gaps.
func TestFiftyConcurrentSalesOfTheLastTenUnits(t *testing.T) {
	s := newShop(t, env, 0)
	want(t, s.e.Do(t, apitest.Req{Method: http.MethodPut, Path: "/api/v1/inventory/settings", Token: s.AdminToken,
		Body: map[string]any{"allow_negative_stock": false}}), 200, "")
	it := s.product(t, "限量", 500, nil, 10_000)
	tills := []*shop{s}
	for i := 2; i <= 5; i++ {
		r := s.do(t, http.MethodPost, "/registers", s.AdminToken, map[string]any{"code": fmt.Sprintf("T%02d", i), "name": "收银机"})
		want(t, r, 201, "")
		var created pos.RegisterCreated
		r.JSON(t, &created)
		c := *s
		c.register, c.device = created.ID, created.DeviceToken
		c.cashier = s.e.CreateUser(t, s.Tenant, "cashier", &s.store, nil)
		tills = append(tills, &c)
	}
	for _, c := range tills {
		c.open(t, 0)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[string]int{}
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(c *shop) {
			defer wg.Done()
			body := map[string]any{"id": newID(), "lines": lines([]item{it}), "tenders": []any{cash(500, 0)}}
			r := c.idem(t, http.MethodPost, "/sales", c.cashier.Token, uuid.NewString(), body)
			mu.Lock()
			defer mu.Unlock()
			if r.Status == 201 {
				codes["sold"]++
			} else {
				codes[fmt.Sprintf("%d %s", r.Status, r.Code())]++
			}
		}(tills[i%len(tills)])
	}
	wg.Wait()
	if codes["sold"] != 10 || len(codes) != 2 {
		t.Fatalf("outcomes %v, want 10 sold and 40 refused for stock", codes)
	}
	var onHand int64
	if err := s.e.Owner.QueryRow(`SELECT on_hand FROM stock_levels WHERE tenant_id = $1 AND store_id = $2 AND sku_id = $3`, s.ID, s.store, it.sku).Scan(&onHand); err != nil {
		t.Fatal(err)
	}
	if onHand != 0 {
		t.Errorf("on hand %d after selling out", onHand)
	}
	if n := s.e.Count(t, `SELECT count(*) FROM (SELECT register_id FROM pos_sales WHERE tenant_id = $1 AND receipt_no LIKE 'R%'
		GROUP BY 1 HAVING count(*) <> max(substr(receipt_no, 2)::int)) x`, s.ID); n != 0 {
		t.Errorf("%d registers have gaps in their receipt numbers", n)
	}
	checkMoney(t, s)
}
