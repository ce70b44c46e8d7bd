package inventory_test

import (
	"testing"

	"chainstore/modules/inventory"
)

// TestCostHiddenFromCashiers: a cashier sees quantities, with every cost and
// value null, on stock, movements, stocktakes, variances and transfers; a
// store manager (inventory:write) and HQ finance (finance:read) see cost.
func TestCostHiddenFromCashiers(t *testing.T) {
	tn := env.Signup(t)
	s1, s2 := env.CreateStore(t, tn, nil), env.CreateStore(t, tn, nil)
	_, skus := catalog(t, tn, 1, false)
	sku := skus[0]
	receive(t, tn, s1, sku, 10_000, 350)
	cashier := env.CreateUser(t, tn, "cashier", &s1, nil)
	mgr := env.CreateUser(t, tn, "store_manager", &s1, nil)
	dstMgr := env.CreateUser(t, tn, "store_manager", &s2, nil)
	finance := env.CreateUser(t, tn, "hq_finance", nil, nil)

	st, err := svc().OpenStocktake(t.Context(), admin(tn), inventory.OpenStocktakeInput{StoreID: s1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc().AddCounts(t.Context(), admin(tn), st.ID, inventory.CountBatchInput{BatchID: "b1",
		Lines: []inventory.CountLine{{SKUID: sku, Qty: 9_000}}}); err != nil {
		t.Fatal(err)
	}
	tr, err := svc().CreateTransfer(t.Context(), admin(tn), inventory.CreateTransferInput{FromStoreID: s1, ToStoreID: s2,
		Lines: []inventory.TransferQtyInput{{SKUID: sku, Qty: 1_000}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc().ApproveTransfer(t.Context(), admin(tn), tr.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc().ShipTransfer(t.Context(), admin(tn), tr.ID, inventory.TransferQtysInput{}); err != nil {
		t.Fatal(err)
	}

	stock := "/api/v1/inventory/stores/" + s1.String()
	type fields map[string]any
	// get fetches path as token and returns the object at the JSON path
	// (a list's first item, a detail's first line).
	get := func(token, path string, pick func(fields) fields) fields {
		t.Helper()
		var body fields
		must(t, do(t, "GET", path, token, nil), 200).JSON(t, &body)
		return pick(body)
	}
	self := func(f fields) fields { return f }
	first := func(key string) func(fields) fields {
		return func(f fields) fields {
			items, _ := f[key].([]any)
			if len(items) == 0 {
				t.Fatalf("no %s in %v", key, f)
			}
			return items[0].(map[string]any)
		}
	}
	for _, c := range []struct {
		name   string
		path   string
		pick   func(fields) fields
		costs  []string
		always string // a quantity everyone sees
	}{
		{"stock list", stock + "/stock", first("data"), []string{"stock_value", "avg_cost"}, "on_hand"},
		{"stock level", stock + "/stock/" + sku.String(), self, []string{"stock_value", "avg_cost"}, "on_hand"},
		{"movements", stock + "/movements", first("data"), []string{"cost_amount", "unit_cost"}, "qty"},
		{"stocktake", "/api/v1/inventory/stocktakes/" + st.ID.String(), first("lines"), []string{"unit_cost"}, "counted_qty"},
		{"variance line", "/api/v1/inventory/stocktakes/" + st.ID.String() + "/variances", first("lines"), []string{"unit_cost", "variance_cost"}, "variance_qty"},
		{"variance totals", "/api/v1/inventory/stocktakes/" + st.ID.String() + "/variances", self, []string{"gain_cost", "loss_cost", "net_cost"}, "uncounted_lines"},
		{"transfer", "/api/v1/inventory/transfers/" + tr.ID.String(), first("lines"), []string{"unit_cost", "shipped_value"}, "shipped_qty"},
	} {
		hidden := get(cashier.Token, c.path, c.pick)
		if hidden[c.always] == nil {
			t.Errorf("%s: the cashier lost %s: %v", c.name, c.always, hidden)
		}
		for _, k := range c.costs {
			if v, present := hidden[k]; !present || v != nil {
				t.Errorf("%s: a cashier sees %s = %v (present %v), want null", c.name, k, v, present)
			}
		}
		for _, u := range []struct {
			who   string
			token string
		}{{"store manager", mgr.Token}, {"HQ finance", finance.Token}} {
			shown := get(u.token, c.path, c.pick)
			for _, k := range c.costs {
				if _, isNumber := shown[k].(float64); !isNumber {
					t.Errorf("%s: the %s sees %s = %v, want a number", c.name, u.who, k, shown[k])
				}
			}
		}
	}
	// The destination's manager sees the cost it will receive at.
	line := get(dstMgr.Token, "/api/v1/inventory/transfers/"+tr.ID.String(), first("lines"))
	if line["unit_cost"] != float64(350) || line["shipped_value"] != float64(350) {
		t.Errorf("destination manager sees unit_cost %v shipped_value %v, want 350 and 350", line["unit_cost"], line["shipped_value"])
	}
	level := get(mgr.Token, stock+"/stock/"+sku.String(), self)
	if level["stock_value"] != float64(9*350) || level["avg_cost"] != float64(350) {
		t.Errorf("manager sees stock_value %v avg_cost %v, want %d and 350", level["stock_value"], level["avg_cost"], 9*350)
	}
}

// TestAnalysisCostNeedsCostRights: the analysis reports need reports:read;
// their values need cost rights too. HQ marketing (reports:read, no cost)
// gets quantities, turnover days and null values; a store manager sees
// their store's values; HQ finance sees them chain-wide.
func TestAnalysisCostNeedsCostRights(t *testing.T) {
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	_, skus := catalog(t, tn, 1, false)
	receive(t, tn, store, skus[0], 10_000, 350)
	marketing := env.CreateUser(t, tn, "hq_marketing", nil, nil)
	mgr := env.CreateUser(t, tn, "store_manager", &store, nil)
	finance := env.CreateUser(t, tn, "hq_finance", nil, nil)

	type report struct {
		path  string
		costs []string
	}
	reports := []report{
		{"/api/v1/inventory/analysis/stock-value", []string{"stock_value"}},
		{"/api/v1/inventory/analysis/slow-movers?days=1", []string{"stock_value"}},
		{"/api/v1/inventory/analysis/turnover?group_by=store", []string{"start_value", "end_value", "avg_value", "cogs"}},
		{"/api/v1/inventory/analysis/turnover?group_by=sku&store_id=" + store.String(), []string{"start_value", "end_value", "avg_value", "cogs"}},
	}
	row := func(token, path string) map[string]any {
		t.Helper()
		var body struct{ Data []map[string]any }
		must(t, do(t, "GET", path, token, nil), 200).JSON(t, &body)
		if len(body.Data) == 0 {
			t.Fatalf("%s: no rows", path)
		}
		return body.Data[0]
	}
	for _, r := range reports {
		hidden := row(marketing.Token, r.path)
		for _, k := range r.costs {
			if v, present := hidden[k]; !present || v != nil {
				t.Errorf("%s: HQ marketing sees %s = %v, want null", r.path, k, v)
			}
		}
		for _, u := range []struct{ who, token string }{{"store manager", mgr.Token}, {"HQ finance", finance.Token}} {
			shown := row(u.token, r.path)
			for _, k := range r.costs {
				if _, isNumber := shown[k].(float64); !isNumber {
					t.Errorf("%s: the %s sees %s = %v, want a number", r.path, u.who, k, shown[k])
				}
			}
		}
	}
	if v := row(finance.Token, reports[0].path)["stock_value"]; v != float64(3500) {
		t.Errorf("stock value %v, want 3500", v)
	}
	if v := row(marketing.Token, reports[1].path)["on_hand"]; v != float64(10_000) {
		t.Errorf("slow mover on hand for HQ marketing %v, want 10000", v)
	}
}
