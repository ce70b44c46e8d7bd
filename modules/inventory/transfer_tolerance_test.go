package inventory_test

import (
	"strings"
	"testing"

	"chainstore/modules/inventory"
)

// TestOverReceiptTolerance: a receipt may exceed a line's shipped quantity by
// the chain's over_receipt_pct (10% by default); more is refused with the
// line named, and changes nothing.
func TestOverReceiptTolerance(t *testing.T) {
	tn := env.Signup(t)
	src, dst := env.CreateStore(t, tn, nil), env.CreateStore(t, tn, nil)
	_, skus := catalog(t, tn, 2, false)
	receive(t, tn, src, skus[0], 50_000, 200)
	receive(t, tn, src, skus[1], 50_000, 100)
	shipped := func(qty int64) inventory.Transfer {
		t.Helper()
		tr, err := svc().CreateTransfer(t.Context(), admin(tn), inventory.CreateTransferInput{FromStoreID: src, ToStoreID: dst,
			Lines: []inventory.TransferQtyInput{{SKUID: skus[0], Qty: qty}, {SKUID: skus[1], Qty: qty}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc().ApproveTransfer(t.Context(), admin(tn), tr.ID); err != nil {
			t.Fatal(err)
		}
		if tr, err = svc().ShipTransfer(t.Context(), admin(tn), tr.ID, inventory.TransferQtysInput{}); err != nil {
			t.Fatal(err)
		}
		return tr
	}
	recv := func(tr inventory.Transfer, qty0, qty1 int64) (int, string, string) {
		t.Helper()
		r := do(t, "POST", "/api/v1/inventory/transfers/"+tr.ID.String()+"/receive", tn.AdminToken, map[string]any{"lines": []any{
			map[string]any{"sku_id": skus[0], "qty": qty0}, map[string]any{"sku_id": skus[1], "qty": qty1}}})
		return r.Status, r.Code(), string(r.Body)
	}

	var set inventory.Settings
	must(t, do(t, "GET", "/api/v1/inventory/settings", tn.AdminToken, nil), 200).JSON(t, &set)
	if set.OverReceiptPct != 10 {
		t.Fatalf("default over_receipt_pct %d, want 10", set.OverReceiptPct)
	}

	tr := shipped(10_000)
	// 11.5 of 10 on the second line is 15% over: refused, that line named.
	status, code, body := recv(tr, 10_000, 11_500)
	if status != 422 || code != "inventory.over_receipt" || !strings.Contains(body, "lines[1].qty") || strings.Contains(body, "lines[0].qty") {
		t.Fatalf("15%% over: %d %s", status, body)
	}
	if got, _ := svc().GetTransfer(t.Context(), tn.ID, tr.ID); got.Status != "shipped" {
		t.Fatalf("a refused receipt left the transfer %s", got.Status)
	}
	if l := level(t, tn, dst, skus[1]); l.InTransit != 10_000 || l.OnHand != 0 {
		t.Fatalf("a refused receipt moved stock: %+v", l)
	}
	// Exactly 10% over is accepted and valued at the shipped cost.
	if status, _, body := recv(tr, 10_000, 11_000); status != 200 {
		t.Fatalf("10%% over: %d %s", status, body)
	}
	if l := level(t, tn, dst, skus[1]); l.OnHand != 11_000 || l.StockValue != 1_100 {
		t.Fatalf("after a 10%% over-receipt: %+v", l)
	}

	// At 0%, one thousandth over is refused; a bad value changes nothing.
	if r := do(t, "PUT", "/api/v1/inventory/settings", tn.AdminToken, map[string]any{"over_receipt_pct": 1001}); r.Status != 422 {
		t.Fatalf("over_receipt_pct 1001: %d", r.Status)
	}
	must(t, do(t, "PUT", "/api/v1/inventory/settings", tn.AdminToken, map[string]any{"over_receipt_pct": 0}), 200).JSON(t, &set)
	if set.OverReceiptPct != 0 || !set.AllowNegativeStock {
		t.Fatalf("settings after update %+v", set)
	}
	tr = shipped(3_000)
	if status, code, body := recv(tr, 3_001, 3_000); status != 422 || code != "inventory.over_receipt" || !strings.Contains(body, "lines[0].qty") {
		t.Fatalf("one thousandth over at 0%%: %d %s", status, body)
	}
	// Short is always accepted.
	if status, _, body := recv(tr, 2_000, 3_000); status != 200 {
		t.Fatalf("short receipt: %d %s", status, body)
	}
	checkInvariants(t, tn)
}
