package inventory_test

import (
	"context"
	"errors"
	"testing"

	"chainstore/modules/inventory"
)

// A receipt whose value exceeds what a stock level may hold is refused
// with 422, never saturated or wrapped into a negative stock value.
func TestReviewReceiptValueOverflow(t *testing.T) {
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	_, skus := catalog(t, tn, 1, false)
	body := map[string]any{"store_id": store, "kind": "receipt",
		"lines": []any{map[string]any{"sku_id": skus[0], "qty": 1_000_000_000_000, "unit_cost": 10_000_000_000}}}
	for i := 0; i < 2; i++ {
		r := do(t, "POST", "/api/v1/inventory/movements", tn.AdminToken, body)
		if r.Status != 422 {
			t.Fatalf("receipt %d of 1e12 thousandths at 1e10 fen: %d %s", i, r.Status, r.Body)
		}
	}
	// Service.Apply (the POS and purchasing call it and post the ledger
	// themselves) refuses it too: it used to saturate the value at
	// MaxInt64 and wrap the level's stock_value negative on the second.
	cost := int64(10_000_000_000)
	for i := 0; i < 2; i++ {
		_, err := svc().Apply(context.Background(), tn.ID, inventory.MoveInput{StoreID: store, Kind: inventory.KindReceipt,
			Source: src("test"), Lines: []inventory.MoveLine{{SKUID: skus[0], Qty: 1_000_000_000_000, UnitCost: &cost}}})
		if !errors.Is(err, inventory.ErrBadMovement) {
			t.Fatalf("Apply %d of a receipt worth 1e19 fen: %v", i, err)
		}
	}
	l := level(t, tn, store, skus[0])
	if l.StockValue < 0 || l.OnHand != 0 {
		t.Fatalf("level after refused receipts: %+v", l)
	}
	checkInvariants(t, tn)
}

// An expiry date PostgreSQL cannot store (year 0) is a 422, not a 500.
func TestReviewExpiryYearZero(t *testing.T) {
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	_, skus := catalog(t, tn, 1, false)
	r := do(t, "POST", "/api/v1/inventory/movements", tn.AdminToken, map[string]any{"store_id": store, "kind": "receipt",
		"lines": []any{map[string]any{"sku_id": skus[0], "qty": 1000, "unit_cost": 100, "expiry_date": "0000-01-01"}}})
	if r.Status != 422 {
		t.Fatalf("year 0 expiry: %d %s", r.Status, r.Body)
	}
}

// Counts that add up past the largest quantity are refused when counted,
// not left to break the variance report and the posting.
func TestReviewCountOverflow(t *testing.T) {
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	_, skus := catalog(t, tn, 1, false)
	receive(t, tn, store, skus[0], 1000, 100)
	var st inventory.StocktakeDetail
	must(t, do(t, "POST", "/api/v1/inventory/stocktakes", tn.AdminToken, map[string]any{"store_id": store}), 201).JSON(t, &st)
	lines := []any{}
	for i := 0; i < 20; i++ {
		lines = append(lines, map[string]any{"sku_id": skus[0], "qty": 1_000_000_000_000})
	}
	r := do(t, "POST", "/api/v1/inventory/stocktakes/"+st.ID.String()+"/counts", tn.AdminToken, map[string]any{"batch_id": "b1", "lines": lines})
	if r.Status != 422 {
		t.Fatalf("count past 1e12: %d %s", r.Status, r.Body)
	}
	r = do(t, "POST", "/api/v1/inventory/stocktakes/"+st.ID.String()+"/post", tn.AdminToken, map[string]any{})
	if r.Status != 200 {
		t.Fatalf("post: %d %s", r.Status, r.Body)
	}
	checkInvariants(t, tn)
}
