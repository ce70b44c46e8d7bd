package pos_test

import (
	"net/http"
	"testing"

	"chainstore/api/apitest"
	"chainstore/modules/pos"
)

// The first sale of a shop: a shift opened, a priced cart, the sale in
// cash with change, and everything it writes.
func TestASaleInCashWritesEverything(t *testing.T) {
	s := newShop(t, env, 3)
	s.open(t, 20_000)
	body := map[string]any{"lines": lines(s.items, 2, 1, 1)}
	c := s.price(t, body)
	if c.Gross != 2*1000+2000+3000 || c.Total != c.Gross || c.Payable != c.Total {
		t.Fatalf("priced %+v", c)
	}
	body["tenders"] = []any{cash(c.Total, 10_000)}
	sale := s.sell(t, body)
	if sale.Total != 7000 || sale.ChangeGiven != 3000 || sale.ReceiptNo == "" || len(sale.Lines) != 3 {
		t.Fatalf("sale %+v", sale)
	}
	r := s.do(t, http.MethodGet, "/sales/"+sale.ID.String()+"/receipt?format=text", s.cashier.Token, nil)
	want(t, r, 200, "")
	t.Logf("%s", r.Body)
	var got pos.Sale
	r = s.do(t, http.MethodGet, "/receipts/"+sale.ReceiptNo, s.cashier.Token, nil)
	want(t, r, 200, "")
	r.JSON(t, &got)
	if got.ID != sale.ID {
		t.Fatalf("by receipt: %+v", got)
	}
	// The onboarding checklist leads to this: a product, stock, a sale.
	var ob struct {
		Steps []struct {
			Key  string
			Done bool
		}
	}
	r = s.e.Do(t, apitest.Req{Method: http.MethodGet, Path: "/api/v1/onboarding", Token: s.AdminToken})
	want(t, r, 200, "")
	r.JSON(t, &ob)
	done := map[string]bool{}
	for _, st := range ob.Steps {
		done[st.Key] = st.Done
	}
	if !done["first_store"] || !done["import_products"] || !done["receive_stock"] || !done["first_sale"] {
		t.Errorf("after the first sale the checklist says %+v", ob.Steps)
	}
}
