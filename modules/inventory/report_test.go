package inventory_test

import (
	"slices"
	"testing"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/modules/inventory"
)

// TestStoreReportsListEveryStore: the per-store reports have a row for
// every store in scope, by code, a store without stock included (zeros),
// and the turnover by store is labelled with the store's name.
func TestStoreReportsListEveryStore(t *testing.T) {
	tn := env.Signup(t)
	named := func(code, name string) uuid.UUID {
		r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/stores", Token: tn.AdminToken, Body: map[string]any{
			"code": code, "name": name, "type": "direct"}})
		if r.Status != 201 {
			t.Fatalf("create store: %d %s", r.Status, r.Body)
		}
		var s struct{ ID uuid.UUID }
		r.JSON(t, &s)
		return s.ID
	}
	empty, stocked := named("A-"+env.Unique("s"), "空店"), named("B-"+env.Unique("s"), "满店")
	_, skus := catalog(t, tn, 2, false)
	receive(t, tn, stocked, skus[0], 3000, 100)
	receive(t, tn, stocked, skus[1], 1000, 100)
	if _, err := sell(tn, stocked, skus[1], 1000); err != nil {
		t.Fatal(err)
	}

	var values struct{ Data []inventory.StoreValue }
	must(t, do(t, "GET", "/api/v1/inventory/analysis/stock-value", tn.AdminToken, nil), 200).JSON(t, &values)
	if len(values.Data) != 2 || values.Data[0].StoreID != empty || values.Data[1].StoreID != stocked ||
		values.Data[0].StockValue != 0 || values.Data[0].SKUsInStock != 0 || values.Data[0].StoreName != "空店" ||
		values.Data[1].StockValue != 300 || values.Data[1].SKUsInStock != 1 || values.Data[1].StoreName != "满店" {
		t.Fatalf("stock value %+v", values.Data)
	}
	var outs struct{ Data []inventory.StockOut }
	must(t, do(t, "GET", "/api/v1/inventory/analysis/stock-outs", tn.AdminToken, nil), 200).JSON(t, &outs)
	if len(outs.Data) != 2 || outs.Data[0].StoreID != empty || outs.Data[0].StockedSKU != 0 ||
		outs.Data[1].StockedSKU != 2 || outs.Data[1].OutOfStock != 1 || outs.Data[1].Rate != 0.5 {
		t.Fatalf("stock-outs %+v", outs.Data)
	}
	var turn struct{ Data []inventory.Turnover }
	must(t, do(t, "GET", "/api/v1/inventory/analysis/turnover?group_by=store", tn.AdminToken, nil), 200).JSON(t, &turn)
	if !slices.ContainsFunc(turn.Data, func(r inventory.Turnover) bool { return r.Key == stocked && r.Label == "满店" }) {
		t.Fatalf("turnover by store %+v", turn.Data)
	}
}
