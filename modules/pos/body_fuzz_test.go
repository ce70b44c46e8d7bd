package pos_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/google/uuid"

	"chainstore/api/apitest"
)

var (
	fuzzShopOnce sync.Once
	fuzzShop     *shop
)

// FuzzCartAndSaleBodies: whatever a till posts as a cart or a sale, the
// answer is a priced cart, a sale, or a 4xx problem (never a 5xx), and a
// refused request writes nothing: no sale, no stock movement, no receipt
// number used up.
func FuzzCartAndSaleBodies(f *testing.F) {
	fuzzShopOnce.Do(func() {
		fuzzShop = newShop(f, env, 3)
		fuzzShop.open(f, 0)
	})
	s := fuzzShop
	a, b := s.items[0], s.items[1]
	id := newID()
	for _, seed := range []string{
		fmt.Sprintf(`{"id":"%s","lines":[{"sku_id":"%s","qty":1000}],"tenders":[{"method":"cash","amount":1000,"tendered":5000}]}`, id, a.sku),
		fmt.Sprintf(`{"id":"%s","lines":[{"barcode":"%s","qty":2000},{"sku_id":"%s","qty":1000}],"tenders":[{"method":"cash","amount":4000}]}`, newID(), a.barcode, b.sku),
		fmt.Sprintf(`{"lines":[{"sku_id":"%s","qty":1000,"price_override":{"unit_price":1,"reason":"x"}}],"tenders":[{"method":"cash","amount":1}]}`, a.sku),
		fmt.Sprintf(`{"id":"%s","lines":[{"sku_id":"%s","qty":-5}],"tenders":[{"method":"wechat","amount":1000,"payment_id":"%s"}]}`, newID(), a.sku, uuid.New()),
		fmt.Sprintf(`{"id":"%s","lines":[{"sku_id":"%s","qty":9223372036854775807}],"tenders":[{"method":"cash","amount":9223372036854775807}]}`, newID(), b.sku),
		fmt.Sprintf(`{"id":"%s","lines":[{"sku_id":"%s","qty":1000}],"member":{"phone":"13800000000"},"coupons":["X"],"points_to_use":5,"tenders":[{"method":"stored_value","amount":1000}]}`, newID(), a.sku),
		fmt.Sprintf(`{"id":"%s","lines":[{"sku_id":"%s","qty":1000}],"manual_discount":1001,"tenders":[{"method":"cash","amount":0}],"approval":{"pin":"12ab"}}`, newID(), a.sku),
		`{"lines":[]}`, `{"lines":[{}]}`, `{"id":"x"}`, `[]`, `{`, `null`, `{"lines":[{"barcode":"2004322008751"}]}`, `{"lines":[{"sku_id":null,"qty":1}],"tenders":[{}]}`,
	} {
		f.Add([]byte(seed))
	}
	count := func(t *testing.T) [3]int {
		return [3]int{
			s.e.Count(t, `SELECT count(*) FROM pos_sales WHERE tenant_id = $1`, s.ID),
			s.e.Count(t, `SELECT count(*) FROM stock_movements WHERE tenant_id = $1`, s.ID),
			s.e.Count(t, `SELECT next_seq::int FROM pos_registers WHERE tenant_id = $1 AND id = $2`, s.ID, s.register),
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		before := count(t)
		for _, route := range []string{"/carts/price", "/sales"} {
			r := s.e.Do(t, apitest.Req{Method: http.MethodPost, Path: s.path(route), Token: s.cashier.Token, RawBody: body,
				Header: map[string]string{"X-Register-Token": s.device, "Idempotency-Key": uuid.NewString()}})
			if r.Status >= 500 {
				t.Fatalf("POST %s %q: %d %s", route, body, r.Status, r.Body)
			}
			if r.Status >= 400 && r.Code() == "" {
				t.Fatalf("POST %s %q: %d without a problem code: %s", route, body, r.Status, r.Body)
			}
			after := count(t)
			if r.Status != http.StatusCreated && after != before {
				t.Fatalf("POST %s %q answered %d and wrote: %v → %v", route, body, r.Status, before, after)
			}
			before = after
		}
	})
}
