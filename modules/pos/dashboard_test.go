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
	// A 20 sale moved to the same weekday last week: the comparison's figures.
	before := s.sell(t, map[string]any{"lines": lines(s.items[1:2])})
	if _, err := s.e.Owner.Exec(`UPDATE pos_sales SET business_date = business_date - 7, sold_at = sold_at - interval '7 days' WHERE id = $1`, before.ID); err != nil {
		t.Fatal(err)
	}
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
	if d.LastWeek != 2_000 || d.LastWeekCount != 1 {
		t.Errorf("same day last week: %d in %d orders, want 2000 in 1", d.LastWeek, d.LastWeekCount)
	}
	var mine pos.StoreSales
	for _, st := range d.ByStore {
		if st.StoreID == s.store {
			mine = st
		}
	}
	if mine.Sales != 9_000 || mine.LastWeek != 2_000 || mine.LastWeekOrders != 1 {
		t.Errorf("by store %+v", d.ByStore)
	}
	// By hour: today's takings and last week's add up to the day's, each in its hour.
	var today, lastWeek int64
	for _, h := range d.ByHour {
		today += h.Sales
		lastWeek += h.LastWeek
	}
	if today != 9_000 || lastWeek != 2_000 {
		t.Errorf("by hour %+v: today %d, last week %d", d.ByHour, today, lastWeek)
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
