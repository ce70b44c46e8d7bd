package inventory_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/infra/doc"
	"chainstore/modules/finance"
	"chainstore/modules/inventory"
)

func fin() *finance.Service { return env.Server.Finance }

// posSale sells through Apply and posts the sale as the POS does: takings
// paid in cash and the cost of goods Apply returned, in one transaction.
func posSale(t testing.TB, tn *apitest.Tenant, store uuid.UUID, lines []inventory.MoveLine) error {
	t.Helper()
	ctx := context.Background()
	id := uuid.Must(uuid.NewV7())
	return env.Server.Pool.WithTx(ctx, tn.ID, func(ctx context.Context) error {
		sale := doc.Of(doc.Sale, id)
		res, err := svc().Apply(ctx, tn.ID, inventory.MoveInput{StoreID: store, Kind: inventory.KindSale, Source: sale, Lines: lines})
		if err != nil {
			return err
		}
		var cogs int64
		for _, r := range res {
			cogs -= r.CostAmount
		}
		date, err := env.Server.Org.BusinessDate(ctx, tn.ID, &store, env.Server.Clock.Now())
		if err != nil {
			return err
		}
		_, err = fin().PostSale(ctx, tn.ID, finance.SaleEvent{Source: sale, StoreID: store, BusinessDate: date,
			Revenue: []finance.RevenueLine{{Gross: 1000, VATRateBP: 1300}}, Payments: []finance.Payment{{Method: "cash", Amount: 1000}}, COGS: cogs})
		return err
	})
}

// posReturn takes goods back through Apply and posts the refund with the
// cost Apply returned (a negative cost is posted as a sale's).
func posReturn(t testing.TB, tn *apitest.Tenant, store uuid.UUID, lines []inventory.MoveLine) error {
	t.Helper()
	ctx := context.Background()
	id := uuid.Must(uuid.NewV7())
	return env.Server.Pool.WithTx(ctx, tn.ID, func(ctx context.Context) error {
		ret := doc.Of(doc.Return, id)
		res, err := svc().Apply(ctx, tn.ID, inventory.MoveInput{StoreID: store, Kind: inventory.KindReturn, Source: ret, Lines: lines})
		if err != nil {
			return err
		}
		var cost int64
		for _, r := range res {
			cost += r.CostAmount
		}
		date, err := env.Server.Org.BusinessDate(ctx, tn.ID, &store, env.Server.Clock.Now())
		if err != nil {
			return err
		}
		ev := finance.SaleEvent{Source: ret, StoreID: store, BusinessDate: date,
			Revenue: []finance.RevenueLine{{Gross: 500, VATRateBP: 1300}}, Payments: []finance.Payment{{Method: "cash", Amount: 500}}, COGS: max(cost, 0)}
		if _, err := fin().PostReturn(ctx, tn.ID, ev); err != nil {
			return err
		}
		if cost < 0 {
			ev.Source, ev.Revenue, ev.Payments, ev.COGS = doc.Of(doc.Sale, uuid.Must(uuid.NewV7())), nil, nil, -cost
			_, err = fin().PostSale(ctx, tn.ID, ev)
		}
		return err
	})
}

// checkLedger asserts, for the tenant: per store, the ledger's 库存商品
// equals the stock value of its levels and 在途物资 the value it shipped
// and has not had received; every entity's books balance and so does the
// consolidated trial balance; the roll-ups equal the lines; and every
// document inventory owns that moved value has an entry naming the same
// document (type and id).
func checkLedger(t testing.TB, tn *apitest.Tenant) {
	t.Helper()
	rows, err := env.Owner.Query(`
		WITH stores AS (SELECT id FROM stores WHERE tenant_id = $1),
		ledger AS (SELECT l.store_id, a.code, sum(l.debit - l.credit) AS bal FROM fin_lines l
			JOIN fin_accounts a ON a.tenant_id = l.tenant_id AND a.id = l.account_id
			WHERE l.tenant_id = $1 GROUP BY 1, 2)
		SELECT s.id,
			coalesce((SELECT sum(stock_value) FROM stock_levels v WHERE v.tenant_id = $1 AND v.store_id = s.id), 0),
			coalesce((SELECT bal FROM ledger WHERE store_id = s.id AND code = $2), 0),
			coalesce((SELECT sum(x.shipped_value) FROM transfer_lines x JOIN transfers tr ON tr.tenant_id = x.tenant_id AND tr.id = x.transfer_id
				WHERE tr.tenant_id = $1 AND tr.from_store_id = s.id AND tr.status = 'shipped'), 0),
			coalesce((SELECT bal FROM ledger WHERE store_id = s.id AND code = $3), 0)
		FROM stores s`, tn.ID, finance.AcctInventory, finance.AcctInTransit)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var store uuid.UUID
		var value, inv, shipped, transit int64
		if err := rows.Scan(&store, &value, &inv, &shipped, &transit); err != nil {
			t.Fatal(err)
		}
		n++
		if value != inv {
			t.Errorf("store %s: stock value %d, ledger 库存商品 %d", store, value, inv)
		}
		if shipped != transit {
			t.Errorf("store %s: shipped and not received %d, ledger 在途物资 %d", store, shipped, transit)
		}
	}
	if n == 0 {
		t.Fatal("no stores checked")
	}
	if k := env.Count(t, `SELECT count(*) FROM (SELECT entity_id FROM fin_lines WHERE tenant_id = $1 GROUP BY 1 HAVING sum(debit) <> sum(credit)) x`, tn.ID); k != 0 {
		t.Errorf("%d entities' books do not balance", k)
	}
	if k := env.Count(t, `SELECT count(*) FROM (
		SELECT entity_id, account_id, sum(debit) d, sum(credit) c FROM fin_lines WHERE tenant_id = $1 GROUP BY 1, 2
		EXCEPT SELECT entity_id, account_id, sum(debit), sum(credit) FROM fin_balances_daily WHERE tenant_id = $1 GROUP BY 1, 2) x`, tn.ID); k != 0 {
		t.Errorf("%d account totals differ between lines and the daily roll-up", k)
	}
	if k := env.Count(t, `SELECT count(*) FROM (
		SELECT m.source_type, m.source_id FROM stock_movements m WHERE m.tenant_id = $1 AND m.source_type = ANY ($2)
		GROUP BY 1, 2 HAVING sum(abs(m.cost_amount)) <> 0) d
		WHERE d.source_id IS NULL OR NOT EXISTS (SELECT 1 FROM fin_entries e WHERE e.tenant_id = $1 AND e.source_type = d.source_type AND e.source_id = d.source_id)`,
		tn.ID, []string{inventory.DocStockReceipt, inventory.DocStockReturn, inventory.DocStockAdjustment, inventory.DocWriteOff, doc.Stocktake, doc.Transfer}); k != 0 {
		t.Errorf("%d inventory documents moved value without a ledger entry naming them", k)
	}
	day := func(d int) string { return time.Now().AddDate(0, 0, d).Format(time.DateOnly) }
	var tb finance.Statement
	r := env.Do(t, apitest.Req{Method: "GET", Token: tn.AdminToken,
		Path: fmt.Sprintf("/api/v1/finance/statements/trial-balance?consolidated=true&from=%s&to=%s", day(-2), day(2))})
	if r.Status != 200 {
		t.Fatalf("trial balance: %d %s", r.Status, r.Body)
	}
	r.JSON(t, &tb)
	if !tb.Balanced || tb.Totals["debit"] != tb.Totals["credit"] {
		t.Errorf("consolidated trial balance not balanced: %v", tb.Totals)
	}
}

// checkTransferLots asserts, for every received transfer line, that the
// lots opened at the destination are the shipped lots spread over the
// received quantity earliest expiry first (excess on the earliest lot),
// and that no line shipped more dated stock than it shipped.
func checkTransferLots(t testing.TB, tn *apitest.Tenant) (checked int) {
	t.Helper()
	type line struct {
		transfer, sku    uuid.UUID
		shipped, recvd   int64
		movement         *uuid.UUID
		shippedLots, got []inventory.LotQty
	}
	rows, err := env.Owner.Query(`SELECT x.transfer_id, x.sku_id, x.shipped_qty, coalesce(x.received_qty, 0),
			(SELECT m.id FROM stock_movements m WHERE m.tenant_id = x.tenant_id AND m.source_id = x.transfer_id AND m.sku_id = x.sku_id AND m.kind = 'transfer_in')
		FROM transfer_lines x JOIN transfers tr ON tr.tenant_id = x.tenant_id AND tr.id = x.transfer_id
		WHERE x.tenant_id = $1 AND tr.status IN ('shipped', 'received') ORDER BY 1, 2`, tn.ID)
	if err != nil {
		t.Fatal(err)
	}
	var lines []*line
	for rows.Next() {
		l := &line{}
		if err := rows.Scan(&l.transfer, &l.sku, &l.shipped, &l.recvd, &l.movement); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, l)
	}
	rows.Close()
	lots := func(q string, args ...any) []inventory.LotQty {
		rs, err := env.Owner.Query(q, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rs.Close()
		var out []inventory.LotQty
		for rs.Next() {
			var l inventory.LotQty
			if err := rs.Scan(&l.ExpiryDate, &l.Qty); err != nil {
				t.Fatal(err)
			}
			out = append(out, l)
		}
		return out
	}
	for _, l := range lines {
		l.shippedLots = lots(`SELECT expiry_date, qty FROM transfer_line_lots WHERE tenant_id = $1 AND transfer_id = $2 AND sku_id = $3 ORDER BY expiry_date`, tn.ID, l.transfer, l.sku)
		var dated int64
		for _, s := range l.shippedLots {
			dated += s.Qty
		}
		if dated > l.shipped {
			t.Errorf("transfer %s sku %s: %d dated shipped of %d", l.transfer, l.sku, dated, l.shipped)
		}
		if l.movement == nil {
			continue
		}
		l.got = lots(`SELECT expiry_date, sum(received_qty) FROM stock_lots WHERE tenant_id = $1 AND movement_id = $2 GROUP BY 1 ORDER BY 1`, tn.ID, *l.movement)
		// The rule, written out again: earliest first, excess on the earliest.
		var want []inventory.LotQty
		left := l.recvd
		for _, s := range l.shippedLots {
			if take := min(s.Qty, left); take > 0 {
				want = append(want, inventory.LotQty{ExpiryDate: s.ExpiryDate, Qty: take})
				left -= take
			}
		}
		if l.recvd > l.shipped && len(want) > 0 {
			want[0].Qty += l.recvd - l.shipped
		}
		if fmt.Sprint(want) != fmt.Sprint(l.got) {
			t.Errorf("transfer %s sku %s (shipped %d, received %d, shipped lots %v): destination lots %v, want %v",
				l.transfer, l.sku, l.shipped, l.recvd, l.shippedLots, l.got, want)
		}
		if len(l.shippedLots) > 0 {
			checked++
		}
	}
	return checked
}

// balance is the ledger balance (debit − credit) of an account on a store.
func balance(t testing.TB, tn *apitest.Tenant, code string, store uuid.UUID) int64 {
	t.Helper()
	var v int64
	if err := env.Owner.QueryRow(`SELECT coalesce(sum(l.debit - l.credit), 0) FROM fin_lines l JOIN fin_accounts a ON a.tenant_id = l.tenant_id AND a.id = l.account_id
		WHERE l.tenant_id = $1 AND a.code = $2 AND l.store_id = $3`, tn.ID, code, store).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestTransferLotsAndLedger: a shipment takes the source's lots earliest
// first; a short receipt opens the earliest-expiring lots at the
// destination (the shortage comes off the undated part, then the latest
// lot); between legal entities the receipt is a supply at cost in both
// books, pending settlement, with the transit loss the shipper's.
func TestTransferLotsAndLedger(t *testing.T) {
	ctx := context.Background()
	tn := env.Signup(t)
	actor := admin(tn)
	fr := env.CreateFranchisee(t, tn)
	hqStore, frStore := env.CreateStore(t, tn, nil), env.CreateStore(t, tn, &fr)
	_, skus := catalog(t, tn, 1, false)
	sku := skus[0]
	d1, d2 := time.Now().AddDate(0, 0, 5).Format(time.DateOnly), time.Now().AddDate(0, 0, 40).Format(time.DateOnly)
	// 3 units expiring d2, 2 expiring d1, 1 undated; all at 1.00.
	for _, l := range []inventory.ManualMovementLine{
		{SKUID: sku, Qty: 3000, UnitCost: ptr(int64(100)), ExpiryDate: &d2},
		{SKUID: sku, Qty: 2000, UnitCost: ptr(int64(100)), ExpiryDate: &d1},
		{SKUID: sku, Qty: 1000, UnitCost: ptr(int64(100))},
	} {
		if _, err := svc().ApplyManual(ctx, actor, inventory.ManualMovementInput{StoreID: hqStore, Kind: "receipt", Lines: []inventory.ManualMovementLine{l}}); err != nil {
			t.Fatal(err)
		}
	}
	// The manual receipts: Dr 库存商品 600 / Cr 应付账款—暂估 600.
	if inv, acc := balance(t, tn, finance.AcctInventory, hqStore), balance(t, tn, finance.AcctPayableAccrued, hqStore); inv != 600 || acc != -600 {
		t.Fatalf("after receipts: inventory %d, accrued payable %d (want 600, -600)", inv, acc)
	}
	tr, err := svc().CreateTransfer(ctx, actor, inventory.CreateTransferInput{FromStoreID: hqStore, ToStoreID: frStore,
		Lines: []inventory.TransferQtyInput{{SKUID: sku, Qty: 5500}}})
	if err != nil || !tr.CrossEntity {
		t.Fatalf("create: %+v %v", tr, err)
	}
	if _, err := svc().ApproveTransfer(ctx, actor, tr.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc().ShipTransfer(ctx, actor, tr.ID, inventory.TransferQtysInput{}); err != nil {
		t.Fatal(err)
	}
	// Shipped 5.5: 2 of d1, 3 of d2, 0.5 undated; worth 550, in transit on the source.
	if got := balance(t, tn, finance.AcctInTransit, hqStore); got != 550 {
		t.Fatalf("in transit after shipping: %d, want 550", got)
	}
	if n := env.Count(t, `SELECT count(*) FROM transfer_line_lots WHERE tenant_id = $1 AND transfer_id = $2`, tn.ID, tr.ID); n != 2 {
		t.Fatalf("%d shipped lots recorded, want 2", n)
	}
	checkLedger(t, tn)
	// Received 4: the 2 of d1 and 2 of d2; 1.5 short (0.5 undated + 1 of d2), worth 150.
	got, err := svc().ReceiveTransfer(ctx, actor, tr.ID, inventory.TransferQtysInput{Lines: []inventory.TransferQtyInput{{SKUID: sku, Qty: 4000}}})
	if err != nil {
		t.Fatal(err)
	}
	if got.SettlementStatus == nil || *got.SettlementStatus != "pending" || *got.Lines[0].DifferenceValue != -150 {
		t.Fatalf("received: %+v", got)
	}
	var list struct{ Data []inventory.ExpiringLot }
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/inventory/stores/" + frStore.String() + "/near-expiry?within_days=90", Token: tn.AdminToken}).JSON(t, &list)
	if len(list.Data) != 2 || list.Data[0].ExpiryDate != d1 || list.Data[0].RemainingQty != 2000 || list.Data[1].ExpiryDate != d2 || list.Data[1].RemainingQty != 2000 {
		t.Fatalf("destination lots: %+v", list.Data)
	}
	if c := checkTransferLots(t, tn); c != 1 {
		t.Fatalf("checked %d transfer lines with lots, want 1", c)
	}
	// Ledger: nothing left in transit; the franchise store holds 400 of
	// stock owed to HQ; HQ's books show the 150 transit loss and the
	// internal supply at cost.
	if v := balance(t, tn, finance.AcctInTransit, hqStore); v != 0 {
		t.Fatalf("in transit after receipt: %d", v)
	}
	if v := balance(t, tn, finance.AcctInventory, frStore); v != 400 {
		t.Fatalf("franchise store inventory %d, want 400", v)
	}
	if v := balance(t, tn, finance.AcctAdmin, hqStore); v != 150 {
		t.Fatalf("transit loss on the shipping store %d, want 150", v)
	}
	if v := balance(t, tn, finance.AcctDueTo, frStore); v != -400 {
		t.Fatalf("franchisee's due-to HQ %d, want -400", v)
	}
	if v := balance(t, tn, finance.AcctDueFrom, hqStore); v != 400 {
		t.Fatalf("HQ's due-from the franchisee %d, want 400", v)
	}
	if n := env.Count(t, `SELECT count(*) FROM fin_lines l JOIN fin_accounts a ON a.tenant_id = l.tenant_id AND a.id = l.account_id
		WHERE l.tenant_id = $1 AND a.code IN ($2, $3, $4) AND l.counter_entity_id IS NULL`, tn.ID, finance.AcctDueFrom, finance.AcctDueTo, finance.AcctRevenue); n != 0 {
		t.Fatalf("%d due-from/due-to/revenue lines of the supply are not marked internal", n)
	}
	if n := env.Count(t, `SELECT count(*) FROM fin_entries WHERE tenant_id = $1 AND source_type = 'transfer' AND source_id = $2`, tn.ID, tr.ID); n != 3 {
		t.Fatalf("%d entries name the transfer, want 3 (ship, receive in HQ's books, supply in the franchisee's)", n)
	}
	checkInvariants(t, tn)
	checkLedger(t, tn)
}

// TestManualMovementsPost: receipts accrue a payable (with a COGS
// correction when they settle negative stock), adjustments hit 管理费用,
// write-offs 营业外支出, console returns COGS; a stocktake posts its net
// variance once; the ledger follows the stock throughout.
func TestManualMovementsPost(t *testing.T) {
	ctx := context.Background()
	tn := env.Signup(t)
	actor := admin(tn)
	store := env.CreateStore(t, tn, nil)
	_, skus := catalog(t, tn, 2, false)
	manual := func(kind string, qty int64, cost *int64) {
		t.Helper()
		if _, err := svc().ApplyManual(ctx, actor, inventory.ManualMovementInput{StoreID: store, Kind: kind, Reason: "测试",
			Lines: []inventory.ManualMovementLine{{SKUID: skus[0], Qty: qty, UnitCost: cost}}}); err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
	}
	manual("receipt", 4000, ptr(int64(250)))                                                         // +1000
	manual("adjustment", -1000, nil)                                                                 // -250 loss
	manual("damage", 1000, nil)                                                                      // -250 write-off
	manual("return", 1000, nil)                                                                      // +250 at average
	if err := posSale(t, tn, store, []inventory.MoveLine{{SKUID: skus[0], Qty: 4000}}); err != nil { // 3 on hand: -750, then -1 at avg 250
		t.Fatal(err)
	}
	manual("receipt", 2000, ptr(int64(400))) // settles -1 @ 250 and adds 1 @ 400: inventory +650, goods 800
	for code, want := range map[string]int64{
		finance.AcctInventory: 400, finance.AcctPayableAccrued: -1800, finance.AcctAdmin: 250,
		finance.AcctNonOperating: 250, finance.AcctCOGS: 1000 - 250 + 150,
	} {
		if got := balance(t, tn, code, store); got != want {
			t.Errorf("account %s: %d, want %d", code, got, want)
		}
	}
	if l := level(t, tn, store, skus[0]); l.StockValue != 400 || l.OnHand != 1000 {
		t.Fatalf("level %+v", l)
	}
	// A stocktake: count 3 of skus[0] (1 on the book at 4.00: +800 gain).
	st, err := svc().OpenStocktake(ctx, actor, inventory.OpenStocktakeInput{StoreID: store})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc().AddCounts(ctx, actor, st.ID, inventory.CountBatchInput{BatchID: "b1", Lines: []inventory.CountLine{{SKUID: skus[0], Qty: 3000}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc().PostStocktake(ctx, actor, st.ID, inventory.PostStocktakeInput{}); err != nil {
		t.Fatal(err)
	}
	if got := balance(t, tn, finance.AcctInventory, store); got != 1200 {
		t.Fatalf("inventory after the stocktake gain: %d, want 1200", got)
	}
	if n := env.Count(t, `SELECT count(*) FROM fin_entries WHERE tenant_id = $1 AND source_type = 'stocktake' AND source_id = $2`, tn.ID, st.ID); n != 1 {
		t.Fatalf("%d entries for the stocktake, want 1", n)
	}
	// A refused write-off posts nothing and moves nothing.
	no := false
	if _, err := svc().UpdateSettings(ctx, actor, inventory.SettingsInput{AllowNegativeStock: &no}); err != nil {
		t.Fatal(err)
	}
	before := env.Count(t, `SELECT count(*) FROM fin_entries WHERE tenant_id = $1`, tn.ID)
	if _, err := svc().ApplyManual(ctx, actor, inventory.ManualMovementInput{StoreID: store, Kind: "damage", Reason: "破损",
		Lines: []inventory.ManualMovementLine{{SKUID: skus[0], Qty: 9000}}}); err == nil {
		t.Fatal("a write-off beyond stock was accepted with negative stock off")
	}
	if after := env.Count(t, `SELECT count(*) FROM fin_entries WHERE tenant_id = $1`, tn.ID); after != before {
		t.Fatalf("a refused write-off posted %d entries", after-before)
	}
	checkInvariants(t, tn)
	checkLedger(t, tn)
}

// TestOldChartGetsInventoryAccounts: books seeded before 在途物资 and
// 应付账款—暂估 were in the template get them on first use.
func TestOldChartGetsInventoryAccounts(t *testing.T) {
	ctx := context.Background()
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	_, skus := catalog(t, tn, 1, false)
	if err := fin().EnsureEntities(ctx, tn.ID); err != nil {
		t.Fatal(err)
	}
	exec(t, `DELETE FROM fin_accounts WHERE tenant_id = $1 AND code IN ($2, $3)`, tn.ID, finance.AcctInTransit, finance.AcctPayableAccrued)
	// A fresh service: its chart cache starts empty, as after a deploy.
	f := finance.New(env.Server.Pool, env.Server.Authz, env.Server.Clock, env.Server.Org, env.Server.Users)
	inv := inventory.New(env.Server.Pool, env.Server.Authz, env.Server.Clock, env.Server.Org, env.Server.Users, f)
	if _, err := inv.ApplyManual(ctx, admin(tn), inventory.ManualMovementInput{StoreID: store, Kind: "receipt",
		Lines: []inventory.ManualMovementLine{{SKUID: skus[0], Qty: 1000, UnitCost: ptr(int64(100))}}}); err != nil {
		t.Fatal(err)
	}
	if v := balance(t, tn, finance.AcctPayableAccrued, store); v != -100 {
		t.Fatalf("accrued payable %d, want -100", v)
	}
	if n := env.Count(t, `SELECT count(*) FROM fin_accounts WHERE tenant_id = $1 AND code IN ($2, $3)`, tn.ID, finance.AcctInTransit, finance.AcctPayableAccrued); n != 2 {
		t.Fatalf("%d of the two accounts exist", n)
	}
}

// TestPostingsLandOnTheStoresDay: a console receipt one second before and
// one second after midnight in Shanghai (where the store is; the server
// runs on UTC) moves stock at the clock's time and posts its journal
// entry, under the movement's own document, on the store's day.
func TestPostingsLandOnTheStoresDay(t *testing.T) {
	ctx := context.Background()
	tn := env.Signup(t)
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/stores", Token: tn.AdminToken, Body: map[string]any{
		"code": env.Unique("SH"), "name": "上海店", "type": "direct", "time_zone": "Asia/Shanghai"}})
	if r.Status != 201 {
		t.Fatalf("create store: %d %s", r.Status, r.Body)
	}
	var st struct{ ID uuid.UUID }
	r.JSON(t, &st)
	_, skus := catalog(t, tn, 1, false)
	t.Cleanup(func() { env.Server.Clock.Set(nil) })
	for _, c := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 3, 1, 15, 59, 59, 0, time.UTC), "2026-03-01"}, // 23:59:59 in Shanghai
		{time.Date(2026, 3, 1, 16, 0, 1, 0, time.UTC), "2026-03-02"},   // 00:00:01 the next day
	} {
		env.Server.Clock.Freeze(c.at)
		res, err := svc().ApplyManual(ctx, admin(tn), inventory.ManualMovementInput{StoreID: st.ID, Kind: "receipt",
			Lines: []inventory.ManualMovementLine{{SKUID: skus[0], Qty: 1000, UnitCost: ptr(int64(100))}}})
		if err != nil {
			t.Fatal(err)
		}
		var typ, day string
		var at time.Time
		if err := env.Owner.QueryRow(`SELECT m.source_type, m.occurred_at, to_char(e.business_date, 'YYYY-MM-DD')
			FROM stock_movements m JOIN fin_entries e ON e.tenant_id = m.tenant_id AND e.source_type = m.source_type AND e.source_id = m.source_id
			WHERE m.tenant_id = $1 AND m.id = $2`, tn.ID, res[0].MovementID).Scan(&typ, &at, &day); err != nil {
			t.Fatalf("receipt at %s: its movement and entry: %v", c.at, err)
		}
		if typ != inventory.DocStockReceipt || !at.Equal(c.at) || day != c.want {
			t.Errorf("receipt at %s: document %s, moved at %s, posted on %s; want %s, %s, %s", c.at, typ, at, day, inventory.DocStockReceipt, c.at, c.want)
		}
	}
}
