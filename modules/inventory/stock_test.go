package inventory_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/infra/doc"
	"chainstore/modules/inventory"
	"chainstore/tenant/org"
)

// TestMovementsAddUpAfterRandomMix runs a seeded random mix of every kind
// of operation over a few stores (two direct, two of two franchisees) and
// SKUs, sales and returns posted as the POS posts them, then checks every
// level against its movements, the lots transfers opened at their
// destinations, and the ledger against the stock.
func TestMovementsAddUpAfterRandomMix(t *testing.T) {
	ctx := context.Background()
	tn := env.Signup(t)
	fr, fr2 := env.CreateFranchisee(t, tn), env.CreateFranchisee(t, tn)
	stores := []uuid.UUID{env.CreateStore(t, tn, nil), env.CreateStore(t, tn, nil), env.CreateStore(t, tn, &fr), env.CreateStore(t, tn, &fr2)}
	_, skus := catalog(t, tn, 4, false)
	_, weighed := catalog(t, tn, 1, true)
	skus = append(skus, weighed...)
	actor := admin(tn)
	// Receipts land a quarter unit either side of what shipped, however
	// little that was: accept any over-receipt (the tolerance has its own test).
	if _, err := svc().UpdateSettings(ctx, actor, inventory.SettingsInput{OverReceiptPct: ptr(1000)}); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 11))
	pick := func(xs []uuid.UUID) uuid.UUID { return xs[rng.IntN(len(xs))] }
	qty := func() int64 { return int64(1+rng.IntN(9))*1000 + int64(rng.IntN(3))*333 }
	var shippedOpen []uuid.UUID
	ops := map[string]int{}
	for i := 0; i < 500; i++ {
		store, sku := pick(stores), pick(skus)
		var err error
		op := rng.IntN(10)
		switch op {
		case 0, 1: // a manual receipt, often dated
			cost := int64(100 + rng.IntN(900))
			line := inventory.ManualMovementLine{SKUID: sku, Qty: qty(), UnitCost: &cost}
			if rng.IntN(3) != 0 {
				line.ExpiryDate = ptr(time.Now().AddDate(0, 0, rng.IntN(20)).Format(time.DateOnly))
			}
			_, err = svc().ApplyManual(ctx, actor, inventory.ManualMovementInput{StoreID: store, Kind: "receipt", Lines: []inventory.ManualMovementLine{line}})
		case 2, 3: // a multi-line sale, posted by the "POS"
			lines := []inventory.MoveLine{{SKUID: sku, Qty: qty()}}
			if other := pick(skus); other != sku {
				lines = append(lines, inventory.MoveLine{SKUID: other, Qty: qty()})
			}
			err = posSale(t, tn, store, lines)
		case 4:
			err = posReturn(t, tn, store, []inventory.MoveLine{{SKUID: sku, Qty: 1000}})
		case 5:
			q := qty()
			if rng.IntN(2) == 0 {
				q = -q
			}
			_, err = svc().ApplyManual(ctx, actor, inventory.ManualMovementInput{StoreID: store, Kind: "adjustment", Reason: "盘盈盘亏",
				Lines: []inventory.ManualMovementLine{{SKUID: sku, Qty: q}}})
		case 6:
			kind := "damage"
			if rng.IntN(2) == 0 {
				kind = "expiry"
			}
			_, err = svc().ApplyManual(ctx, actor, inventory.ManualMovementInput{StoreID: store, Kind: kind, Reason: "破损",
				Lines: []inventory.ManualMovementLine{{SKUID: sku, Qty: 500}}})
		case 7: // a transfer, shipped, and often received (short or over)
			to := pick(stores)
			if to == store {
				continue
			}
			var tr inventory.Transfer
			tr, err = svc().CreateTransfer(ctx, actor, inventory.CreateTransferInput{FromStoreID: store, ToStoreID: to,
				Lines: []inventory.TransferQtyInput{{SKUID: sku, Qty: qty()}}})
			if err == nil {
				_, err = svc().ApproveTransfer(ctx, actor, tr.ID)
			}
			if err == nil {
				_, err = svc().ShipTransfer(ctx, actor, tr.ID, inventory.TransferQtysInput{})
			}
			if err == nil {
				shippedOpen = append(shippedOpen, tr.ID)
			}
		case 8:
			if len(shippedOpen) == 0 {
				continue
			}
			id := shippedOpen[0]
			shippedOpen = shippedOpen[1:]
			tr, gerr := svc().GetTransfer(ctx, tn.ID, id)
			if gerr != nil {
				t.Fatal(gerr)
			}
			got := *tr.Lines[0].ShippedQty + int64(rng.IntN(3)-1)*250
			_, err = svc().ReceiveTransfer(ctx, actor, id, inventory.TransferQtysInput{Lines: []inventory.TransferQtyInput{{SKUID: tr.Lines[0].SKUID, Qty: max(got, 0)}}})
		case 9: // a stocktake with a sale during the count
			var st inventory.StocktakeDetail
			st, err = svc().OpenStocktake(ctx, actor, inventory.OpenStocktakeInput{StoreID: store})
			if err != nil {
				break
			}
			if err = posSale(t, tn, store, []inventory.MoveLine{{SKUID: sku, Qty: 1000}}); err != nil {
				break
			}
			_, err = svc().AddCounts(ctx, actor, st.ID, inventory.CountBatchInput{BatchID: "b1", Lines: []inventory.CountLine{{SKUID: sku, Qty: qty()}}})
			if err == nil {
				_, err = svc().PostStocktake(ctx, actor, st.ID, inventory.PostStocktakeInput{UncountedAsZero: rng.IntN(2) == 0})
			}
		}
		if err != nil {
			t.Fatalf("op %d (%d): %v", i, op, err)
		}
		ops[[]string{"receipt", "receipt", "sale", "sale", "return", "adjust", "writeoff", "transfer", "receive", "stocktake"}[op]]++
	}
	if n := checkInvariants(t, tn); n < 10 {
		t.Fatalf("only %d levels checked", n)
	}
	if n := checkTransferLots(t, tn); n < 3 {
		t.Fatalf("only %d received transfer lines carried dated lots", n)
	}
	checkLedger(t, tn)
	if n := env.Count(t, `SELECT count(*) FROM transfers WHERE tenant_id = $1 AND status = 'received' AND cross_entity AND settlement_status = 'pending'`, tn.ID); n == 0 {
		t.Fatal("the mix received no transfer between legal entities")
	}
	if len(shippedOpen) == 0 || ops["receive"] == 0 || ops["stocktake"] == 0 {
		t.Fatalf("the mix did not cover open and received transfers and stocktakes: %v, %d open", ops, len(shippedOpen))
	}
}

// TestConcurrentSalesNeverOversell: 50 concurrent sales of one unit
// against 20 on hand with negative stock disallowed.
func TestConcurrentSalesNeverOversell(t *testing.T) {
	ctx := context.Background()
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	_, skus := catalog(t, tn, 1, false)
	no := false
	if _, err := svc().UpdateSettings(ctx, admin(tn), inventory.SettingsInput{AllowNegativeStock: &no}); err != nil {
		t.Fatal(err)
	}
	receive(t, tn, store, skus[0], 20_000, 250)
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, refused := 0, 0
	var cogs int64
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := sell(tn, store, skus[0], 1000)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
				cogs -= res.CostAmount
			case errors.Is(err, inventory.ErrInsufficientStock):
				refused++
			default:
				t.Errorf("sale: %v", err)
			}
		}()
	}
	wg.Wait()
	if ok != 20 || refused != 30 {
		t.Fatalf("%d sales succeeded and %d were refused; want 20 and 30", ok, refused)
	}
	l := level(t, tn, store, skus[0])
	if l.OnHand != 0 || l.StockValue != 0 || cogs != 5000 {
		t.Fatalf("after selling out: on hand %d, value %d, cogs %d (want 0, 0, 5000)", l.OnHand, l.StockValue, cogs)
	}
	if n := env.Count(t, `SELECT count(*) FROM stock_movements WHERE tenant_id = $1 AND kind = 'sale'`, tn.ID); n != 20 {
		t.Fatalf("%d sale movements, want 20", n)
	}
	checkInvariants(t, tn)
	// The refusal names the SKU and what is available.
	_, err := sell(tn, store, skus[0], 1000)
	if !errors.Is(err, inventory.ErrInsufficientStock) {
		t.Fatalf("selling from empty: %v", err)
	}
}

// TestNegativeStockByDefault: the default never loses a sale; the value
// follows the moving average through zero and back.
func TestNegativeStockByDefault(t *testing.T) {
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	_, skus := catalog(t, tn, 1, false)
	receive(t, tn, store, skus[0], 3000, 100) // 3 at 1.00
	receive(t, tn, store, skus[0], 1000, 200) // 1 at 2.00 → avg 1.25
	if l := level(t, tn, store, skus[0]); l.AvgCost != 125 || l.StockValue != 500 {
		t.Fatalf("after receipts: %+v", l)
	}
	r, err := sell(tn, store, skus[0], 5000)
	if err != nil {
		t.Fatal(err)
	}
	if r.CostAmount != -625 || r.OnHandAfter != -1000 {
		t.Fatalf("selling 5 of 4: %+v (want cost -625, on hand -1000)", r)
	}
	if l := level(t, tn, store, skus[0]); l.StockValue != -125 {
		t.Fatalf("negative stock value %d, want -125", l.StockValue)
	}
	r = receive(t, tn, store, skus[0], 1000, 300) // back to exactly zero
	if l := level(t, tn, store, skus[0]); l.OnHand != 0 || l.StockValue != 0 || r.CostAmount != 125 {
		t.Fatalf("back to zero: level %+v, receipt %+v", l, r)
	}
	checkInvariants(t, tn)
}

// TestThirdsNeverDrift: selling a third at a time empties the value exactly.
func TestThirdsNeverDrift(t *testing.T) {
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	_, skus := catalog(t, tn, 1, true)
	receive(t, tn, store, skus[0], 3000, 1000) // 3 kg at 10.00/kg = 3000 fen... plus odd grams
	receive(t, tn, store, skus[0], 1, 7)
	for _, q := range []int64{1000, 1000, 333, 667, 1} {
		if _, err := sell(tn, store, skus[0], q); err != nil {
			t.Fatal(err)
		}
	}
	if l := level(t, tn, store, skus[0]); l.OnHand != 0 || l.StockValue != 0 {
		t.Fatalf("after selling everything: %+v", l)
	}
	checkInvariants(t, tn)
}

func TestMovementsAreAppendOnly(t *testing.T) {
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	_, skus := catalog(t, tn, 1, false)
	r := receive(t, tn, store, skus[0], 1000, 100)
	if _, err := env.Owner.Exec(`UPDATE stock_movements SET qty = 5 WHERE tenant_id = $1 AND id = $2`, tn.ID, r.MovementID); err == nil {
		t.Fatal("a movement was updated")
	}
	if _, err := env.Owner.Exec(`DELETE FROM stock_movements WHERE tenant_id = $1 AND id = $2`, tn.ID, r.MovementID); err == nil {
		t.Fatal("a movement was deleted")
	}
}

func TestApplyRefusesBadInput(t *testing.T) {
	ctx := context.Background()
	tn := env.Signup(t)
	other := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	_, skus := catalog(t, tn, 1, false)
	_, otherSKUs := catalog(t, other, 1, false)
	cost := int64(-1)
	for name, c := range map[string]struct {
		in   inventory.MoveInput
		want error
	}{
		"no lines":           {inventory.MoveInput{StoreID: store, Kind: inventory.KindSale, Source: src(doc.Sale)}, inventory.ErrBadMovement},
		"unknown kind":       {inventory.MoveInput{StoreID: store, Kind: "gift", Source: src("x"), Lines: []inventory.MoveLine{{SKUID: skus[0], Qty: 1}}}, inventory.ErrBadMovement},
		"negative sale":      {inventory.MoveInput{StoreID: store, Kind: inventory.KindSale, Source: src(doc.Sale), Lines: []inventory.MoveLine{{SKUID: skus[0], Qty: -1}}}, inventory.ErrBadMovement},
		"negative cost":      {inventory.MoveInput{StoreID: store, Kind: inventory.KindReceipt, Source: src("po"), Lines: []inventory.MoveLine{{SKUID: skus[0], Qty: 1, UnitCost: &cost}}}, inventory.ErrBadMovement},
		"cost on a sale":     {inventory.MoveInput{StoreID: store, Kind: inventory.KindSale, Source: src(doc.Sale), Lines: []inventory.MoveLine{{SKUID: skus[0], Qty: 1, UnitCost: ptr(int64(5))}}}, inventory.ErrBadMovement},
		"bad source type":    {inventory.MoveInput{StoreID: store, Kind: inventory.KindSale, Source: doc.Of("DROP TABLE", uuid.New()), Lines: []inventory.MoveLine{{SKUID: skus[0], Qty: 1}}}, inventory.ErrBadMovement},
		"huge qty":           {inventory.MoveInput{StoreID: store, Kind: inventory.KindReceipt, Source: src("po"), Lines: []inventory.MoveLine{{SKUID: skus[0], Qty: 1 << 62}}}, inventory.ErrBadMovement},
		"other tenant's sku": {inventory.MoveInput{StoreID: store, Kind: inventory.KindReceipt, Source: src("po"), Lines: []inventory.MoveLine{{SKUID: otherSKUs[0], Qty: 1}}}, inventory.ErrSKUNotFound},
		"source without id":  {inventory.MoveInput{StoreID: store, Kind: inventory.KindSale, Source: doc.Source{Type: doc.Sale}, Lines: []inventory.MoveLine{{SKUID: skus[0], Qty: 1}}}, inventory.ErrBadMovement},
		"unknown store":      {inventory.MoveInput{StoreID: uuid.New(), Kind: inventory.KindReceipt, Source: src("po"), Lines: []inventory.MoveLine{{SKUID: skus[0], Qty: 1}}}, org.ErrStoreNotFound},
	} {
		if _, err := svc().Apply(ctx, tn.ID, c.in); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
	}
	if n := env.Count(t, `SELECT count(*) FROM stock_movements WHERE tenant_id = $1`, tn.ID); n != 0 {
		t.Fatalf("refused movements wrote %d rows", n)
	}
	// A two-line sale whose second line is refused writes neither line.
	no := false
	if _, err := svc().UpdateSettings(ctx, admin(tn), inventory.SettingsInput{AllowNegativeStock: &no}); err != nil {
		t.Fatal(err)
	}
	_, more := catalog(t, tn, 1, false)
	receive(t, tn, store, skus[0], 5000, 100)
	_, err := svc().Apply(ctx, tn.ID, inventory.MoveInput{StoreID: store, Kind: inventory.KindSale, Source: src(doc.Sale),
		Lines: []inventory.MoveLine{{SKUID: skus[0], Qty: 1000}, {SKUID: more[0], Qty: 1000}}})
	if !errors.Is(err, inventory.ErrInsufficientStock) {
		t.Fatalf("sale with one line short: %v", err)
	}
	if l := level(t, tn, store, skus[0]); l.OnHand != 5000 {
		t.Fatalf("the refused sale moved the other line: on hand %d", l.OnHand)
	}
}

// TestAlertEventsOncePerCrossing: a run of sales below min makes one
// event; reaching zero makes an out-of-stock event; going over max one more.
func TestAlertEventsOncePerCrossing(t *testing.T) {
	ctx := context.Background()
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	_, skus := catalog(t, tn, 1, false)
	if _, err := svc().SetThresholds(ctx, admin(tn), store, skus[0], inventory.ThresholdsInput{MinQty: ptr(int64(5000)), MaxQty: ptr(int64(20000))}); err != nil {
		t.Fatal(err)
	}
	receive(t, tn, store, skus[0], 10_000, 100)
	for i := 0; i < 4; i++ { // 10 → 6: above min
		if _, err := sell(tn, store, skus[0], 1000); err != nil {
			t.Fatal(err)
		}
	}
	events := func() map[string]int {
		evs, err := svc().PendingAlertEvents(ctx, tn.ID, 100)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]int{}
		for _, e := range evs {
			out[e.Kind]++
		}
		return out
	}
	if e := events(); len(e) != 0 {
		t.Fatalf("events above min: %v", e)
	}
	for i := 0; i < 5; i++ { // 6 → 1: one crossing below min
		if _, err := sell(tn, store, skus[0], 1000); err != nil {
			t.Fatal(err)
		}
	}
	if e := events(); e["low_stock"] != 1 || len(e) != 1 {
		t.Fatalf("after falling below min: %v", e)
	}
	var alerts struct{ Data []inventory.Alert }
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/inventory/stores/" + store.String() + "/alerts", Token: tn.AdminToken}).JSON(t, &alerts)
	if len(alerts.Data) != 1 || alerts.Data[0].Kind != "low_stock" || *alerts.Data[0].Threshold != 5000 {
		t.Fatalf("alerts %+v", alerts.Data)
	}
	if _, err := sell(tn, store, skus[0], 1000); err != nil {
		t.Fatal(err)
	}
	receive(t, tn, store, skus[0], 25_000, 100)
	e := events()
	if e["low_stock"] != 1 || e["out_of_stock"] != 1 || e["overstock"] != 1 {
		t.Fatalf("events %v, want one each of low_stock, out_of_stock, overstock", e)
	}
	evs, _ := svc().PendingAlertEvents(ctx, tn.ID, 100)
	ids := []uuid.UUID{}
	for _, ev := range evs {
		ids = append(ids, ev.ID)
	}
	if err := svc().MarkAlertEventsSent(ctx, tn.ID, ids); err != nil {
		t.Fatal(err)
	}
	if e := events(); len(e) != 0 {
		t.Fatalf("sent events still pending: %v", e)
	}
}

// TestLotsFirstExpiringFirst: sales consume the earliest lot, so the
// near-expiry list shows what is really left; the job emits one event per lot.
func TestLotsFirstExpiringFirst(t *testing.T) {
	ctx := context.Background()
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	_, skus := catalog(t, tn, 1, false)
	soon, later := time.Now().AddDate(0, 0, 3), time.Now().AddDate(0, 0, 60)
	for _, d := range []time.Time{later, soon} {
		_, err := svc().Apply(ctx, tn.ID, inventory.MoveInput{StoreID: store, Kind: inventory.KindReceipt, Source: src("po"),
			Lines: []inventory.MoveLine{{SKUID: skus[0], Qty: 5000, UnitCost: ptr(int64(100)), ExpiryDate: &d}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := sell(tn, store, skus[0], 3000); err != nil {
		t.Fatal(err)
	}
	var list struct {
		WithinDays int `json:"within_days"`
		Data       []inventory.ExpiringLot
	}
	r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/inventory/stores/" + store.String() + "/near-expiry", Token: tn.AdminToken})
	r.JSON(t, &list)
	if r.Status != 200 || len(list.Data) != 1 || list.Data[0].RemainingQty != 2000 || list.Data[0].ExpiryDate != soon.UTC().Format(time.DateOnly) {
		t.Fatalf("near expiry (7 days): %d %s", r.Status, r.Body)
	}
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/inventory/stores/" + store.String() + "/near-expiry?within_days=90", Token: tn.AdminToken}).JSON(t, &list)
	if len(list.Data) != 2 {
		t.Fatalf("near expiry (90 days): %+v", list.Data)
	}
	for i := 0; i < 2; i++ {
		n, err := svc().EmitNearExpiryAlerts(ctx, tn.ID)
		if err != nil || n != 1-i {
			t.Fatalf("near-expiry job run %d: %d events, %v", i, n, err)
		}
	}
	checkInvariants(t, tn)
}

// TestConcurrentBasketsNeverDeadlock: baskets of overlapping SKUs, each
// listing them in its own order, some SKUs never stocked in the store (so
// their levels are created by the sales themselves), all at once: every
// sale goes through (locks are taken in SKU order, creation included) and
// the levels equal their movements.
func TestConcurrentBasketsNeverDeadlock(t *testing.T) {
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	_, skus := catalog(t, tn, 8, false)
	for _, sku := range skus[:4] {
		receive(t, tn, store, sku, 100_000, 100)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for g := 0; g < 40; g++ {
		wg.Add(1)
		go func(seed uint64) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, 3))
			var lines []inventory.MoveLine
			for _, i := range rng.Perm(len(skus))[:5] {
				lines = append(lines, inventory.MoveLine{SKUID: skus[i], Qty: 1000})
			}
			_, err := svc().Apply(context.Background(), tn.ID, inventory.MoveInput{StoreID: store, Kind: inventory.KindSale, Source: src(doc.Sale), Lines: lines})
			errs <- err
		}(uint64(g))
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("sale: %v", err)
		}
	}
	if n := env.Count(t, `SELECT count(*) FROM stock_movements WHERE tenant_id = $1 AND kind = 'sale'`, tn.ID); n != 40*5 {
		t.Fatalf("%d sale movements, want 200", n)
	}
	if n := checkInvariants(t, tn); n != 8 {
		t.Fatalf("%d levels, want 8", n)
	}
}

// TestADocumentMayNameASKUTwice: lines of one SKU apply one after the
// other, each with its own movement; an adjustment that brings dated stock
// in and takes some out again consumes the earliest lot first, the one it
// opened included, and the level's lot quantity stays the lots' sum.
func TestADocumentMayNameASKUTwice(t *testing.T) {
	ctx := context.Background()
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	_, skus := catalog(t, tn, 1, false)
	sku := skus[0]
	later, soon := time.Now().AddDate(0, 0, 60), time.Now().AddDate(0, 0, 5)
	if _, err := svc().Apply(ctx, tn.ID, inventory.MoveInput{StoreID: store, Kind: inventory.KindReceipt, Source: src("po"),
		Lines: []inventory.MoveLine{{SKUID: sku, Qty: 4000, UnitCost: ptr(int64(100)), ExpiryDate: &later}}}); err != nil {
		t.Fatal(err)
	}
	res, err := svc().Apply(ctx, tn.ID, inventory.MoveInput{StoreID: store, Kind: inventory.KindSale, Source: src(doc.Sale),
		Lines: []inventory.MoveLine{{SKUID: sku, Qty: 1000}, {SKUID: sku, Qty: 2000}}})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].OnHandAfter != 3000 || res[1].OnHandAfter != 1000 || res[0].MovementID == res[1].MovementID ||
		res[0].CostAmount != -100 || res[1].CostAmount != -200 {
		t.Fatalf("two lines of one SKU: %+v", res)
	}
	// +5 expiring soon and −3, in one adjustment: the 3 come from the lot
	// expiring soon (the one the document opened), not from the later one.
	res, err = svc().Apply(ctx, tn.ID, inventory.MoveInput{StoreID: store, Kind: inventory.KindAdjustment, Source: src("count"), Reason: "重新入账",
		Lines: []inventory.MoveLine{{SKUID: sku, Qty: 5000, UnitCost: ptr(int64(100)), ExpiryDate: &soon}, {SKUID: sku, Qty: -3000}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res[1].Lots) != 1 || res[1].Lots[0].Qty != 3000 || res[1].Lots[0].ExpiryDate.Format(time.DateOnly) != soon.Format(time.DateOnly) {
		t.Fatalf("lots taken by the second line: %+v", res[1].Lots)
	}
	type lotRow struct {
		expiry    string
		remaining int64
	}
	var lots []lotRow
	rows, err := env.Owner.Query(`SELECT to_char(expiry_date, 'YYYY-MM-DD'), remaining_qty FROM stock_lots WHERE tenant_id = $1 ORDER BY expiry_date`, tn.ID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var l lotRow
		if err := rows.Scan(&l.expiry, &l.remaining); err != nil {
			t.Fatal(err)
		}
		lots = append(lots, l)
	}
	rows.Close()
	if len(lots) != 2 || lots[0].expiry != soon.Format(time.DateOnly) || lots[0].remaining != 2000 || lots[1].remaining != 1000 {
		t.Fatalf("lots %+v; want 2 left of the soon lot and 1 of the later one", lots)
	}
	checkInvariants(t, tn)
}

// A sale that already happened (an offline till's upload) takes the stock
// below zero even where the chain forbids it, and says so; one that has not
// is refused as ever.
func TestAHappenedSaleGoesBelowZeroAndSaysSo(t *testing.T) {
	ctx := context.Background()
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	_, skus := catalog(t, tn, 1, false)
	no := false
	if _, err := svc().UpdateSettings(ctx, admin(tn), inventory.SettingsInput{AllowNegativeStock: &no}); err != nil {
		t.Fatal(err)
	}
	receive(t, tn, store, skus[0], 1000, 250)
	in := inventory.MoveInput{StoreID: store, Kind: inventory.KindSale, Lines: []inventory.MoveLine{{SKUID: skus[0], Qty: 3000}},
		Source: doc.Of(doc.Sale, uuid.Must(uuid.NewV7()))}
	if _, err := svc().Apply(ctx, tn.ID, in); !errors.Is(err, inventory.ErrInsufficientStock) {
		t.Fatalf("a live sale beyond stock: %v", err)
	}
	in.Happened = true
	res, err := svc().Apply(ctx, tn.ID, in)
	if err != nil || len(res) != 1 || !res[0].BelowZero || res[0].OnHandAfter != -2000 {
		t.Fatalf("a happened sale: %+v, %v", res, err)
	}
	in.Source, in.Lines[0].Qty = doc.Of(doc.Sale, uuid.Must(uuid.NewV7())), 1000
	receive(t, tn, store, skus[0], 10_000, 250)
	if res, err := svc().Apply(ctx, tn.ID, in); err != nil || res[0].BelowZero {
		t.Fatalf("a happened sale within stock: %+v, %v", res, err)
	}
}
