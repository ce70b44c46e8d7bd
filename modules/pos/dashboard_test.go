package pos_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"chainstore/api/apitest"
	"chainstore/modules/pos"
)

// The dashboard counts today's completed sales net of returns, by store
// and product; a store manager sees only their store; a day without sales
// answers empty lists, not nulls.
func TestTheDashboardSumsTodaysSales(t *testing.T) {
	s := newShop(t, env, 3)
	quiet := s.e.CreateStore(t, s.Tenant, nil)
	s.open(t, 0)
	a := s.sell(t, map[string]any{"lines": lines(s.items, 2, 1)}) // 2 × 10 + 20 + 30
	s.sell(t, map[string]any{"lines": lines(s.items[2:])})        // 30 more
	want(t, s.giveBack(t, s.cashier.Token, map[string]any{"sale_id": a.ID, "lines": []any{map[string]any{"line_no": 1, "qty": 1000}}}), 201, "")

	var d pos.Dashboard
	r := s.e.Do(t, apitest.Req{Method: http.MethodGet, Path: "/api/v1/dashboard", Token: s.AdminToken})
	want(t, r, 200, "")
	r.JSON(t, &d)
	if d.Sales != 9_000 || d.Orders != 2 {
		t.Errorf("today: sales %d orders %d, want 9000 (10000 less a 1000 return) and 2", d.Sales, d.Orders)
	}
	if len(d.TopProducts) != 3 || d.TopProducts[0].SKUID != s.items[2].sku {
		t.Errorf("top products %+v, want the ¥30 item (¥60 sold) first", d.TopProducts)
	}
	var mine int64
	for _, st := range d.ByStore {
		if st.StoreID == s.store {
			mine = st.Sales
		}
	}
	if mine != 9_000 {
		t.Errorf("by store %+v", d.ByStore)
	}
	r = s.e.Do(t, apitest.Req{Method: http.MethodGet, Path: "/api/v1/dashboard?store_id=" + quiet.String(), Token: s.AdminToken})
	want(t, r, 200, "")
	var raw map[string]json.RawMessage
	r.JSON(t, &raw)
	for _, k := range []string{"sales_by_store", "top_products", "sales_by_hour"} {
		if string(raw[k]) == "null" {
			t.Errorf("%s is null on a day without sales", k)
		}
	}
	r = s.e.Do(t, apitest.Req{Method: http.MethodGet, Path: "/api/v1/dashboard?store_id=" + quiet.String(), Token: s.manager.Token})
	want(t, r, 404, "")
	r = s.e.Do(t, apitest.Req{Method: http.MethodGet, Path: "/api/v1/dashboard", Token: s.manager.Token})
	want(t, r, 200, "")
	r.JSON(t, &d)
	if d.Sales != 9_000 || len(d.ByStore) != 1 {
		t.Errorf("the manager's dashboard %+v", d)
	}
}
