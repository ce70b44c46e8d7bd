package inventory_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/infra/sheet"
	"chainstore/modules/inventory"
)

func do(t *testing.T, method, path, token string, body any) *apitest.Response {
	t.Helper()
	return env.Do(t, apitest.Req{Method: method, Path: path, Token: token, Body: body})
}

func must(t *testing.T, r *apitest.Response, status int) *apitest.Response {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	return r
}

func TestSettingsAndManualMovements(t *testing.T) {
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	_, skus := catalog(t, tn, 2, false)
	var set inventory.Settings
	must(t, do(t, "GET", "/api/v1/inventory/settings", tn.AdminToken, nil), 200).JSON(t, &set)
	if !set.AllowNegativeStock || set.NearExpiryDays != 7 {
		t.Fatalf("default settings %+v", set)
	}
	must(t, do(t, "PUT", "/api/v1/inventory/settings", tn.AdminToken, map[string]any{"allow_negative_stock": false, "review_days": 3}), 200).JSON(t, &set)
	if set.AllowNegativeStock || set.ReviewDays != 3 || set.NearExpiryDays != 7 {
		t.Fatalf("updated settings %+v", set)
	}
	r := must(t, do(t, "POST", "/api/v1/inventory/movements", tn.AdminToken, map[string]any{"store_id": store, "kind": "receipt",
		"lines": []any{map[string]any{"sku_id": skus[0], "qty": 12000, "unit_cost": 350, "expiry_date": "2099-01-31"}}}), 201)
	var res struct{ Lines []inventory.MoveResult }
	r.JSON(t, &res)
	if len(res.Lines) != 1 || res.Lines[0].CostAmount != 4200 || res.Lines[0].OnHandAfter != 12000 {
		t.Fatalf("receipt %s", r.Body)
	}
	// Write-offs need a reason and are audited; an issue past zero is 409 now.
	r = do(t, "POST", "/api/v1/inventory/movements", tn.AdminToken, map[string]any{"store_id": store, "kind": "damage",
		"lines": []any{map[string]any{"sku_id": skus[0], "qty": 1000}}})
	if r.Status != 422 {
		t.Fatalf("write-off without reason: %d %s", r.Status, r.Body)
	}
	must(t, do(t, "POST", "/api/v1/inventory/movements", tn.AdminToken, map[string]any{"store_id": store, "kind": "damage", "reason": "包装破损",
		"lines": []any{map[string]any{"sku_id": skus[0], "qty": 2000}}}), 201)
	if n := env.Count(t, `SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND action = 'inventory.damage'`, tn.ID); n != 1 {
		t.Fatalf("%d audit rows for the write-off", n)
	}
	r = do(t, "POST", "/api/v1/inventory/movements", tn.AdminToken, map[string]any{"store_id": store, "kind": "expiry", "reason": "过期",
		"lines": []any{map[string]any{"sku_id": skus[0], "qty": 11000}}})
	if r.Status != 409 || r.Code() != "inventory.insufficient_stock" {
		t.Fatalf("write-off past zero: %d %s", r.Status, r.Body)
	}
	var lv inventory.Level
	must(t, do(t, "GET", "/api/v1/inventory/stores/"+store.String()+"/stock/"+skus[0].String(), tn.AdminToken, nil), 200).JSON(t, &lv)
	if lv.OnHand != 10000 || lv.StockValue != 3500 || lv.AvgCost != 350 {
		t.Fatalf("level %+v", lv)
	}
	// A SKU that never moved reads as zeros.
	must(t, do(t, "GET", "/api/v1/inventory/stores/"+store.String()+"/stock/"+skus[1].String(), tn.AdminToken, nil), 200).JSON(t, &lv)
	if lv.OnHand != 0 || lv.SKUID != skus[1] {
		t.Fatalf("untouched level %+v", lv)
	}
	var page struct {
		Data       []inventory.Level
		NextCursor *string `json:"next_cursor"`
	}
	must(t, do(t, "GET", "/api/v1/inventory/stores/"+store.String()+"/stock", tn.AdminToken, nil), 200).JSON(t, &page)
	if len(page.Data) != 1 || page.NextCursor != nil {
		t.Fatalf("stock list %+v", page)
	}
	var moves struct{ Data []inventory.Movement }
	must(t, do(t, "GET", "/api/v1/inventory/stores/"+store.String()+"/movements?sku_id="+skus[0].String(), tn.AdminToken, nil), 200).JSON(t, &moves)
	if len(moves.Data) != 2 || moves.Data[0].Kind != "damage" || moves.Data[0].Reason != "包装破损" || moves.Data[0].UserID == nil {
		t.Fatalf("movements %+v", moves.Data)
	}
	// Bad input: 4xx, nothing written.
	before := env.Count(t, `SELECT count(*) FROM stock_movements WHERE tenant_id = $1`, tn.ID)
	for name, body := range map[string]any{
		"sale from console":   map[string]any{"store_id": store, "kind": "sale", "lines": []any{map[string]any{"sku_id": skus[0], "qty": 1}}},
		"zero qty":            map[string]any{"store_id": store, "kind": "receipt", "lines": []any{map[string]any{"sku_id": skus[0], "qty": 0}}},
		"negative receipt":    map[string]any{"store_id": store, "kind": "receipt", "lines": []any{map[string]any{"sku_id": skus[0], "qty": -5}}},
		"bad date":            map[string]any{"store_id": store, "kind": "receipt", "lines": []any{map[string]any{"sku_id": skus[0], "qty": 5, "expiry_date": "31/01/2099"}}},
		"float qty":           map[string]any{"store_id": store, "kind": "receipt", "lines": []any{map[string]any{"sku_id": skus[0], "qty": 1.5}}},
		"unknown field":       map[string]any{"store_id": store, "kind": "receipt", "tenant_id": tn.ID, "lines": []any{map[string]any{"sku_id": skus[0], "qty": 5}}},
		"no lines":            map[string]any{"store_id": store, "kind": "receipt", "lines": []any{}},
		"unknown sku":         map[string]any{"store_id": store, "kind": "receipt", "lines": []any{map[string]any{"sku_id": uuid.New(), "qty": 5}}},
		"cost on a write-off": map[string]any{"store_id": store, "kind": "damage", "reason": "x", "lines": []any{map[string]any{"sku_id": skus[0], "qty": 5, "unit_cost": 9}}},
	} {
		if r := do(t, "POST", "/api/v1/inventory/movements", tn.AdminToken, body); r.Status < 400 || r.Status >= 500 {
			t.Errorf("%s: %d %s", name, r.Status, r.Body)
		}
	}
	if after := env.Count(t, `SELECT count(*) FROM stock_movements WHERE tenant_id = $1`, tn.ID); after != before {
		t.Fatalf("refused requests wrote %d movements", after-before)
	}
	for _, q := range []string{"/stock?below_min=maybe", "/stock?category_id=x", "/movements?kind=gift", "/alerts?kind=x", "/near-expiry?within_days=-1", "/replenishment?days=0", "/replenishment?format=pdf"} {
		if r := do(t, "GET", "/api/v1/inventory/stores/"+store.String()+q, tn.AdminToken, nil); r.Status != 400 {
			t.Errorf("GET %s: %d", q, r.Status)
		}
	}
	checkInvariants(t, tn)
}

func TestStocktakeBlindCountAndPost(t *testing.T) {
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	cat, skus := catalog(t, tn, 3, false)
	_, outside := catalog(t, tn, 1, false)
	manager := env.CreateUser(t, tn, "store_manager", &store, nil)
	cashier := env.CreateUser(t, tn, "cashier", &store, nil)
	clerk := env.CreateUser(t, tn, "cashier", &store, nil)
	// A clerk who counts: inventory:write without stocktake:approve.
	must(t, do(t, "POST", "/api/v1/roles", tn.AdminToken, map[string]any{"key": "counter", "name": "盘点员", "scope": "store",
		"permissions": []string{"stores:read", "inventory:read", "inventory:write"}}), 201)
	must(t, do(t, "PUT", "/api/v1/users/"+clerk.ID.String()+"/roles", tn.AdminToken, map[string]any{"assignments": []any{map[string]any{"role": "counter", "store_id": store}}}), 200)
	receive(t, tn, store, skus[0], 10_000, 100)
	receive(t, tn, store, skus[1], 5_000, 200)
	receive(t, tn, store, skus[2], 2_000, 300)
	receive(t, tn, store, outside[0], 1_000, 50)

	r := do(t, "POST", "/api/v1/inventory/stocktakes", cashier.Token, map[string]any{"store_id": store})
	if r.Status != 403 {
		t.Fatalf("cashier opening a stocktake: %d", r.Status)
	}
	var st inventory.StocktakeDetail
	must(t, do(t, "POST", "/api/v1/inventory/stocktakes", clerk.Token, map[string]any{"store_id": store, "category_ids": []uuid.UUID{cat}, "blind": true, "note": "月末盘点"}), 201).JSON(t, &st)
	if len(st.Lines) != 3 || st.Scope != "categories" || st.Lines[0].BookQty != nil {
		t.Fatalf("opened %s", r.Body)
	}
	if r := do(t, "POST", "/api/v1/inventory/stocktakes", manager.Token, map[string]any{"store_id": store}); r.Status != 409 || r.Code() != "inventory.stocktake_open" {
		t.Fatalf("second open stocktake: %d %s", r.Status, r.Body)
	}
	path := "/api/v1/inventory/stocktakes/" + st.ID.String()
	// Blind: the clerk sees no book and no variances; the manager sees both.
	must(t, do(t, "GET", path, clerk.Token, nil), 200).JSON(t, &st)
	if st.Lines[0].BookQty != nil {
		t.Fatal("a blind count shows the book to a counter")
	}
	must(t, do(t, "GET", path, manager.Token, nil), 200).JSON(t, &st)
	if st.Lines[0].BookQty == nil {
		t.Fatal("the manager cannot see the book")
	}
	if r := do(t, "GET", path+"/variances", clerk.Token, nil); r.Status != 403 {
		t.Fatalf("counter reading variances of a blind count: %d", r.Status)
	}
	// Sales during the count do not change the frozen book.
	if _, err := sell(tn, store, skus[0], 1000); err != nil {
		t.Fatal(err)
	}
	batch := map[string]any{"batch_id": "scanner-1-0001", "lines": []any{map[string]any{"sku_id": skus[0], "qty": 6000}, map[string]any{"sku_id": skus[1], "qty": 5000}}}
	var res inventory.CountBatchResult
	must(t, do(t, "POST", path+"/counts", clerk.Token, batch), 200).JSON(t, &res)
	if res.Replayed {
		t.Fatal("first batch replayed")
	}
	must(t, do(t, "POST", path+"/counts", clerk.Token, batch), 200).JSON(t, &res)
	if !res.Replayed {
		t.Fatal("resent batch counted again")
	}
	changed := map[string]any{"batch_id": "scanner-1-0001", "lines": []any{map[string]any{"sku_id": skus[0], "qty": 1000}}}
	if r := do(t, "POST", path+"/counts", clerk.Token, changed); r.Status != 409 || r.Code() != "inventory.batch_reused" {
		t.Fatalf("batch id reused: %d %s", r.Status, r.Body)
	}
	// A second scanner adds to the same SKU.
	must(t, do(t, "POST", path+"/counts", clerk.Token, map[string]any{"batch_id": "scanner-2-0001", "lines": []any{map[string]any{"sku_id": skus[0], "qty": 3000}}}), 200)
	if r := do(t, "POST", path+"/counts", clerk.Token, map[string]any{"batch_id": "scanner-2-0002", "lines": []any{map[string]any{"sku_id": outside[0], "qty": 1000}}}); r.Status != 422 {
		t.Fatalf("counting a SKU outside the categories: %d %s", r.Status, r.Body)
	}
	var rep inventory.VarianceReport
	must(t, do(t, "GET", path+"/variances", manager.Token, nil), 200).JSON(t, &rep)
	// sku0: counted 9000 vs book 10000 → -1000 × 1.00 = -100; sku1 exact; sku2 uncounted.
	if len(rep.Lines) != 1 || rep.Lines[0].VarianceQty != -1000 || rep.LossCost != 100 || rep.UncountedLines != 1 {
		t.Fatalf("variances %+v", rep)
	}
	if r := do(t, "POST", path+"/post", clerk.Token, nil); r.Status != 403 {
		t.Fatalf("counter posting: %d", r.Status)
	}
	must(t, do(t, "POST", path+"/post", manager.Token, map[string]any{"uncounted_as_zero": true}), 200).JSON(t, &rep)
	if len(rep.Lines) != 2 || rep.LossCost != 100+600 {
		t.Fatalf("posted %+v", rep)
	}
	// Book 10, sold 1 during the count, counted 9: 10 - 1 - 1 = 8 on hand.
	if l := level(t, tn, store, skus[0]); l.OnHand != 8000 {
		t.Fatalf("sku0 on hand %d after posting, want 8000", l.OnHand)
	}
	if l := level(t, tn, store, skus[2]); l.OnHand != 0 || l.StockValue != 0 {
		t.Fatalf("uncounted sku2 %+v after posting as zero", l)
	}
	if l := level(t, tn, store, outside[0]); l.OnHand != 1000 {
		t.Fatal("a SKU outside the stocktake moved")
	}
	if r := do(t, "POST", path+"/post", manager.Token, nil); r.Status != 409 {
		t.Fatalf("posting twice: %d", r.Status)
	}
	if r := do(t, "POST", path+"/counts", clerk.Token, map[string]any{"batch_id": "late", "lines": []any{map[string]any{"sku_id": skus[0], "qty": 1}}}); r.Status != 409 {
		t.Fatalf("counting a posted stocktake: %d", r.Status)
	}
	if n := env.Count(t, `SELECT count(*) FROM stock_movements WHERE tenant_id = $1 AND kind = 'stocktake' AND source_id = $2`, tn.ID, st.ID); n != 2 {
		t.Fatalf("%d stocktake movements, want 2", n)
	}
	var list struct{ Data []inventory.Stocktake }
	must(t, do(t, "GET", "/api/v1/inventory/stocktakes?status=posted&store_id="+store.String(), cashier.Token, nil), 200).JSON(t, &list)
	if len(list.Data) != 1 || list.Data[0].PostedBy == nil || list.Data[0].CountedLines != 2 {
		t.Fatalf("stocktake list %+v", list.Data)
	}
	// Open and cancel: nothing moves.
	var st2 inventory.StocktakeDetail
	must(t, do(t, "POST", "/api/v1/inventory/stocktakes", manager.Token, map[string]any{"store_id": store}), 201).JSON(t, &st2)
	if len(st2.Lines) != 4 || st2.Lines[0].BookQty == nil {
		t.Fatalf("full stocktake lines %+v", st2.Lines)
	}
	must(t, do(t, "POST", "/api/v1/inventory/stocktakes/"+st2.ID.String()+"/cancel", manager.Token, nil), 200)
	checkInvariants(t, tn)
}

func TestTransferInTransitAndShortReceipt(t *testing.T) {
	tn := env.Signup(t)
	fr := env.CreateFranchisee(t, tn)
	src := env.CreateStore(t, tn, nil)
	dst := env.CreateStore(t, tn, &fr)
	other := env.CreateStore(t, tn, nil)
	_, skus := catalog(t, tn, 2, false)
	srcMgr := env.CreateUser(t, tn, "store_manager", &src, nil)
	owner := env.CreateUser(t, tn, "franchisee", nil, &fr)
	otherMgr := env.CreateUser(t, tn, "store_manager", &other, nil)
	receive(t, tn, src, skus[0], 10_000, 300)
	receive(t, tn, src, skus[1], 4_000, 125)

	var tr inventory.Transfer
	must(t, do(t, "POST", "/api/v1/inventory/transfers", owner.Token, map[string]any{"from_store_id": src, "to_store_id": dst, "note": "补货",
		"lines": []any{map[string]any{"sku_id": skus[0], "qty": 6000}, map[string]any{"sku_id": skus[1], "qty": 2000}}}), 201).JSON(t, &tr)
	if !tr.CrossEntity || tr.Status != "requested" || len(tr.Lines) != 2 {
		t.Fatalf("requested %+v", tr)
	}
	if r := do(t, "POST", "/api/v1/inventory/transfers", otherMgr.Token, map[string]any{"from_store_id": src, "to_store_id": dst,
		"lines": []any{map[string]any{"sku_id": skus[0], "qty": 1}}}); r.Status != 404 {
		t.Fatalf("a manager of neither store requesting: %d", r.Status)
	}
	path := "/api/v1/inventory/transfers/" + tr.ID.String()
	if r := do(t, "GET", path, otherMgr.Token, nil); r.Status != 404 {
		t.Fatalf("a manager of neither store reading: %d", r.Status)
	}
	if r := do(t, "POST", path+"/approve", owner.Token, nil); r.Status != 403 {
		t.Fatalf("destination approving: %d %s", r.Status, r.Body)
	}
	if r := do(t, "POST", path+"/ship", srcMgr.Token, nil); r.Status != 409 {
		t.Fatalf("shipping before approval: %d", r.Status)
	}
	must(t, do(t, "POST", path+"/approve", srcMgr.Token, nil), 200)
	if r := do(t, "POST", path+"/ship", owner.Token, nil); r.Status != 403 {
		t.Fatalf("destination shipping: %d", r.Status)
	}
	must(t, do(t, "POST", path+"/ship", srcMgr.Token, map[string]any{"lines": []any{map[string]any{"sku_id": skus[1], "qty": 1000}}}), 200).JSON(t, &tr)
	if tr.Status != "shipped" {
		t.Fatalf("shipped %+v", tr)
	}
	if l := level(t, tn, dst, skus[0]); l.InTransit != 6000 || l.OnHand != 0 {
		t.Fatalf("destination after ship %+v", l)
	}
	if l := level(t, tn, src, skus[0]); l.OnHand != 4000 || l.StockValue != 1200 {
		t.Fatalf("source after ship %+v", l)
	}
	if r := do(t, "POST", path+"/cancel", srcMgr.Token, nil); r.Status != 409 {
		t.Fatalf("cancelling a shipped transfer: %d", r.Status)
	}
	checkInvariants(t, tn)
	// Received 5.5 of 6 (short 0.5 at 3.00 = 1.50 lost) and 1 of 1.
	must(t, do(t, "POST", path+"/receive", owner.Token, map[string]any{"lines": []any{map[string]any{"sku_id": skus[0], "qty": 5500}}}), 200).JSON(t, &tr)
	if tr.Status != "received" || tr.SettlementStatus == nil || *tr.SettlementStatus != "pending" {
		t.Fatalf("received %+v", tr)
	}
	for _, l := range tr.Lines {
		switch l.SKUID {
		case skus[0]:
			if *l.ShippedValue != 1800 || *l.ReceivedValue != 1650 || *l.DifferenceQty != -500 || *l.DifferenceValue != -150 {
				t.Errorf("short line %+v", l)
			}
		case skus[1]:
			if *l.ShippedQty != 1000 || *l.ReceivedQty != 1000 || *l.DifferenceQty != 0 || *l.ReceivedValue != 125 {
				t.Errorf("full line %+v", l)
			}
		}
	}
	if l := level(t, tn, dst, skus[0]); l.InTransit != 0 || l.OnHand != 5500 || l.StockValue != 1650 {
		t.Fatalf("destination after receipt %+v", l)
	}
	if n := env.Count(t, `SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND action = 'transfer.receive_difference'`, tn.ID); n != 1 {
		t.Fatalf("%d audit rows for the short receipt", n)
	}
	var list struct{ Data []inventory.Transfer }
	must(t, do(t, "GET", "/api/v1/inventory/transfers?status=received", owner.Token, nil), 200).JSON(t, &list)
	if len(list.Data) != 1 {
		t.Fatalf("franchisee lists %d transfers", len(list.Data))
	}
	must(t, do(t, "GET", "/api/v1/inventory/transfers", otherMgr.Token, nil), 200).JSON(t, &list)
	if len(list.Data) != 0 {
		t.Fatalf("an unrelated manager lists %d transfers", len(list.Data))
	}
	// A transfer between two direct stores is not cross-entity; cancel works before shipping.
	must(t, do(t, "POST", "/api/v1/inventory/transfers", tn.AdminToken, map[string]any{"from_store_id": src, "to_store_id": other,
		"lines": []any{map[string]any{"sku_id": skus[0], "qty": 1000}}}), 201).JSON(t, &tr)
	if tr.CrossEntity {
		t.Fatal("direct to direct flagged cross-entity")
	}
	must(t, do(t, "POST", "/api/v1/inventory/transfers/"+tr.ID.String()+"/cancel", otherMgr.Token, nil), 200)
	for name, body := range map[string]any{
		"same store":  map[string]any{"from_store_id": src, "to_store_id": src, "lines": []any{map[string]any{"sku_id": skus[0], "qty": 1}}},
		"zero qty":    map[string]any{"from_store_id": src, "to_store_id": other, "lines": []any{map[string]any{"sku_id": skus[0], "qty": 0}}},
		"twice":       map[string]any{"from_store_id": src, "to_store_id": other, "lines": []any{map[string]any{"sku_id": skus[0], "qty": 1}, map[string]any{"sku_id": skus[0], "qty": 1}}},
		"unknown sku": map[string]any{"from_store_id": src, "to_store_id": other, "lines": []any{map[string]any{"sku_id": uuid.New(), "qty": 1}}},
	} {
		if r := do(t, "POST", "/api/v1/inventory/transfers", tn.AdminToken, body); r.Status != 422 {
			t.Errorf("%s: %d %s", name, r.Status, r.Body)
		}
	}
	checkInvariants(t, tn)
}

func TestReplenishmentAndAnalysis(t *testing.T) {
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	store2 := env.CreateStore(t, tn, nil)
	_, skus := catalog(t, tn, 3, false)
	receive(t, tn, store, skus[0], 20_000, 100)
	receive(t, tn, store, skus[1], 5_000, 200)
	receive(t, tn, store2, skus[0], 1_000, 100)
	for i := 0; i < 14; i++ { // 14 units in the window: 0.5 a day over 28 days
		if _, err := sell(tn, store, skus[0], 1000); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := sell(tn, store, skus[2], 2000); err != nil { // sold into negative
		t.Fatal(err)
	}
	must(t, do(t, "PUT", "/api/v1/inventory/stores/"+store.String()+"/stock/"+skus[0].String()+"/thresholds", tn.AdminToken,
		map[string]any{"min_qty": 2000, "max_qty": 50000, "safety_qty": 3000, "lead_time_days": 10}), 200)
	var plan inventory.ReplenishmentPlan
	must(t, do(t, "GET", "/api/v1/inventory/stores/"+store.String()+"/replenishment?review_days=8", tn.AdminToken, nil), 200).JSON(t, &plan)
	// sku0: 14000 × (10+8)/28 = 9000, + 3000 safety − 6000 on hand = 6000.
	// sku2: 2000 × (2+8)/28 = 714.3 → 714, + 0 − (−2000) = 2714 → 3000 in whole units.
	got := map[uuid.UUID]int64{}
	for _, l := range plan.Lines {
		got[l.SKUID] = l.SuggestedQty
	}
	if len(plan.Lines) != 2 || got[skus[0]] != 6000 || got[skus[2]] != 3000 || plan.Amount != 600 {
		t.Fatalf("plan %+v", plan)
	}
	r := must(t, do(t, "GET", "/api/v1/inventory/stores/"+store.String()+"/replenishment?review_days=8&format=csv", tn.AdminToken, nil), 200)
	tbl, err := sheet.Read(r.Body)
	if err != nil || len(tbl.Rows) != 2 || tbl.Cell(0, tbl.Column("suggested_qty")) == "" {
		t.Fatalf("csv plan: %v %q", err, r.Body)
	}
	found := false
	for i := range tbl.Rows {
		found = found || tbl.Cell(i, tbl.Column("suggested_qty")) == "6.000"
	}
	if !found || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv plan rows %v", tbl.Rows)
	}
	r = must(t, do(t, "GET", "/api/v1/inventory/stores/"+store.String()+"/replenishment?format=xlsx", tn.AdminToken, nil), 200)
	if tbl, err := sheet.Read(r.Body); err != nil || len(tbl.Rows) != 2 {
		t.Fatalf("xlsx plan: %v", err)
	}

	var values struct{ Data []inventory.StoreValue }
	must(t, do(t, "GET", "/api/v1/inventory/analysis/stock-value", tn.AdminToken, nil), 200).JSON(t, &values)
	byStore := map[uuid.UUID]inventory.StoreValue{}
	for _, v := range values.Data {
		byStore[v.StoreID] = v
	}
	if byStore[store].StockValue != 600+1000 || byStore[store2].StockValue != 100 || byStore[store].SKUsInStock != 2 {
		t.Fatalf("stock value %+v", values.Data)
	}
	var outs struct{ Data []inventory.StockOut }
	must(t, do(t, "GET", "/api/v1/inventory/analysis/stock-outs", tn.AdminToken, nil), 200).JSON(t, &outs)
	for _, o := range outs.Data {
		if o.StoreID == store && (o.StockedSKU != 3 || o.OutOfStock != 1) {
			t.Fatalf("stock-outs %+v", o)
		}
	}
	var slow struct{ Data []inventory.SlowMover }
	must(t, do(t, "GET", "/api/v1/inventory/analysis/slow-movers?days=7&store_id="+store.String(), tn.AdminToken, nil), 200).JSON(t, &slow)
	if len(slow.Data) != 1 || slow.Data[0].SKUID != skus[1] {
		t.Fatalf("slow movers %+v", slow.Data)
	}
	var turn struct{ Data []inventory.Turnover }
	must(t, do(t, "GET", "/api/v1/inventory/analysis/turnover?days=28&store_id="+store.String(), tn.AdminToken, nil), 200).JSON(t, &turn)
	for _, row := range turn.Data {
		if row.Key == skus[0] {
			// start 0, end 600, avg 300; cogs 1400: 300 × 28 / 1400 = 6 days.
			if row.COGS != 1400 || row.TurnoverDays == nil || *row.TurnoverDays != 6 {
				t.Fatalf("turnover %+v", row)
			}
		}
	}
	for _, g := range []string{"category", "store"} {
		must(t, do(t, "GET", "/api/v1/inventory/analysis/turnover?group_by="+g, tn.AdminToken, nil), 200)
	}
	// A cashier has no reports:read; a store manager sees only their store.
	cashier := env.CreateUser(t, tn, "cashier", &store, nil)
	if r := do(t, "GET", "/api/v1/inventory/analysis/stock-value", cashier.Token, nil); r.Status != 403 {
		t.Fatalf("cashier reading stock value: %d", r.Status)
	}
	mgr := env.CreateUser(t, tn, "store_manager", &store2, nil)
	must(t, do(t, "GET", "/api/v1/inventory/analysis/stock-value", mgr.Token, nil), 200).JSON(t, &values)
	if len(values.Data) != 1 || values.Data[0].StoreID != store2 {
		t.Fatalf("manager sees %+v", values.Data)
	}
	if r := do(t, "GET", "/api/v1/inventory/analysis/slow-movers?store_id="+store.String(), mgr.Token, nil); r.Status != 404 {
		t.Fatalf("manager filtering on another store: %d", r.Status)
	}
}

// TestStoreScope: a cashier reads their store's stock only and changes
// nothing; a store manager manages their store only.
func TestStoreScope(t *testing.T) {
	tn := env.Signup(t)
	s1, s2 := env.CreateStore(t, tn, nil), env.CreateStore(t, tn, nil)
	_, skus := catalog(t, tn, 1, false)
	receive(t, tn, s1, skus[0], 5000, 100)
	receive(t, tn, s2, skus[0], 5000, 100)
	cashier := env.CreateUser(t, tn, "cashier", &s1, nil)
	mgr := env.CreateUser(t, tn, "store_manager", &s1, nil)
	st, err := svc().OpenStocktake(t.Context(), admin(tn), inventory.OpenStocktakeInput{StoreID: s2})
	if err != nil {
		t.Fatal(err)
	}
	tr, err := svc().CreateTransfer(t.Context(), admin(tn), inventory.CreateTransferInput{FromStoreID: s2, ToStoreID: env.CreateStore(t, tn, nil),
		Lines: []inventory.TransferQtyInput{{SKUID: skus[0], Qty: 1000}}})
	if err != nil {
		t.Fatal(err)
	}
	stock := func(s uuid.UUID) string { return "/api/v1/inventory/stores/" + s.String() }
	for _, c := range []struct {
		user   *apitest.User
		method string
		path   string
		body   any
		want   int
	}{
		{cashier, "GET", stock(s1) + "/stock", nil, 200},
		{cashier, "GET", stock(s1) + "/stock/" + skus[0].String(), nil, 200},
		{cashier, "GET", stock(s1) + "/movements", nil, 200},
		{cashier, "GET", stock(s1) + "/alerts", nil, 200},
		{cashier, "GET", stock(s1) + "/near-expiry", nil, 200},
		{cashier, "GET", "/api/v1/inventory/settings", nil, 200},
		{cashier, "PUT", "/api/v1/inventory/settings", map[string]any{"allow_negative_stock": false}, 403},
		{cashier, "GET", stock(s2) + "/stock", nil, 404},
		{cashier, "GET", stock(s2) + "/stock/" + skus[0].String(), nil, 404},
		{cashier, "GET", stock(s2) + "/movements", nil, 404},
		{cashier, "PUT", stock(s1) + "/stock/" + skus[0].String() + "/thresholds", map[string]any{"min_qty": 1}, 403},
		{cashier, "GET", stock(s1) + "/replenishment", nil, 403},
		{cashier, "POST", "/api/v1/inventory/movements", map[string]any{"store_id": s1, "kind": "receipt", "lines": []any{map[string]any{"sku_id": skus[0], "qty": 1}}}, 403},
		{cashier, "POST", "/api/v1/inventory/stocktakes", map[string]any{"store_id": s1}, 403},
		{cashier, "POST", "/api/v1/inventory/transfers", map[string]any{"from_store_id": s2, "to_store_id": s1, "lines": []any{map[string]any{"sku_id": skus[0], "qty": 1}}}, 403},
		{mgr, "PUT", stock(s1) + "/stock/" + skus[0].String() + "/thresholds", map[string]any{"min_qty": 1000}, 200},
		{mgr, "GET", stock(s1) + "/replenishment", nil, 200},
		{mgr, "PUT", stock(s2) + "/stock/" + skus[0].String() + "/thresholds", map[string]any{"min_qty": 1}, 404},
		{mgr, "GET", stock(s2) + "/replenishment", nil, 404},
		{mgr, "GET", stock(s2) + "/alerts", nil, 404},
		{mgr, "GET", stock(s2) + "/near-expiry", nil, 404},
		{mgr, "POST", "/api/v1/inventory/movements", map[string]any{"store_id": s2, "kind": "receipt", "lines": []any{map[string]any{"sku_id": skus[0], "qty": 1}}}, 404},
		{mgr, "POST", "/api/v1/inventory/stocktakes", map[string]any{"store_id": s2}, 404},
		{mgr, "GET", "/api/v1/inventory/stocktakes/" + st.ID.String(), nil, 404},
		{mgr, "GET", "/api/v1/inventory/stocktakes/" + st.ID.String() + "/variances", nil, 404},
		{mgr, "POST", "/api/v1/inventory/stocktakes/" + st.ID.String() + "/counts", map[string]any{"batch_id": "x", "lines": []any{map[string]any{"sku_id": skus[0], "qty": 1}}}, 404},
		{mgr, "POST", "/api/v1/inventory/stocktakes/" + st.ID.String() + "/post", nil, 404},
		{mgr, "POST", "/api/v1/inventory/stocktakes/" + st.ID.String() + "/cancel", nil, 404},
		{mgr, "GET", "/api/v1/inventory/transfers/" + tr.ID.String(), nil, 404},
		{mgr, "POST", "/api/v1/inventory/transfers/" + tr.ID.String() + "/approve", nil, 404},
		{mgr, "POST", "/api/v1/inventory/transfers/" + tr.ID.String() + "/ship", nil, 404},
		{mgr, "POST", "/api/v1/inventory/transfers/" + tr.ID.String() + "/receive", nil, 404},
		{mgr, "POST", "/api/v1/inventory/transfers/" + tr.ID.String() + "/cancel", nil, 404},
		{mgr, "GET", "/api/v1/inventory/stocktakes?store_id=" + s2.String(), nil, 404},
		{mgr, "GET", "/api/v1/inventory/transfers?store_id=" + s2.String(), nil, 404},
		{mgr, "PUT", "/api/v1/inventory/settings", map[string]any{"allow_negative_stock": false}, 403},
	} {
		r := env.Do(t, apitest.Req{Method: c.method, Path: c.path, Token: c.user.Token, Body: c.body})
		if r.Status != c.want {
			t.Errorf("%s %s: %d, want %d: %s", c.method, c.path, r.Status, c.want, r.Body)
		}
	}
	var list struct{ Data []inventory.Stocktake }
	must(t, do(t, "GET", "/api/v1/inventory/stocktakes", mgr.Token, nil), 200).JSON(t, &list)
	if len(list.Data) != 0 {
		t.Fatalf("manager of s1 lists s2's stocktake")
	}
	if l := level(t, tn, s2, skus[0]); l.MinQty != nil || l.OnHand != 5000 {
		t.Fatalf("s2 changed by a refused request: %+v", l)
	}
}

// TestOtherTenant404: every inventory endpoint answers 404 (or an empty
// list) to another chain's token for this chain's stores and documents.
func TestOtherTenant404(t *testing.T) {
	a, b := env.Signup(t), env.Signup(t)
	storeB, store2B := env.CreateStore(t, b, nil), env.CreateStore(t, b, nil)
	_, skusB := catalog(t, b, 1, false)
	receive(t, b, storeB, skusB[0], 5000, 100)
	st, err := svc().OpenStocktake(t.Context(), admin(b), inventory.OpenStocktakeInput{StoreID: storeB})
	if err != nil {
		t.Fatal(err)
	}
	tr, err := svc().CreateTransfer(t.Context(), admin(b), inventory.CreateTransferInput{FromStoreID: storeB, ToStoreID: store2B,
		Lines: []inventory.TransferQtyInput{{SKUID: skusB[0], Qty: 1000}}})
	if err != nil {
		t.Fatal(err)
	}
	_, skusA := catalog(t, a, 1, false)
	storeA := env.CreateStore(t, a, nil)
	var skuCodeB string
	if err := env.Owner.QueryRow(`SELECT code FROM skus WHERE tenant_id = $1 AND id = $2`, b.ID, skusB[0]).Scan(&skuCodeB); err != nil {
		t.Fatal(err)
	}
	sb := "/api/v1/inventory/stores/" + storeB.String()
	line := []any{map[string]any{"sku_id": skusB[0], "qty": 1000}}
	for _, req := range []apitest.Req{
		{Method: "GET", Path: sb + "/stock"},
		{Method: "GET", Path: sb + "/stock?q=" + skuCodeB},
		{Method: "GET", Path: sb + "/stock?q=" + strings.Repeat("x", 65)},
		{Method: "GET", Path: sb + "/stock/" + skusB[0].String()},
		{Method: "GET", Path: "/api/v1/inventory/stores/" + storeA.String() + "/stock/" + skusB[0].String()},
		{Method: "PUT", Path: "/api/v1/inventory/stores/" + storeA.String() + "/stock/" + skusB[0].String() + "/thresholds", Body: map[string]any{"min_qty": 1}},
		{Method: "PUT", Path: sb + "/stock/" + skusB[0].String() + "/thresholds", Body: map[string]any{"min_qty": 1}},
		{Method: "GET", Path: sb + "/movements"},
		{Method: "GET", Path: sb + "/alerts"},
		{Method: "GET", Path: sb + "/near-expiry"},
		{Method: "GET", Path: sb + "/replenishment"},
		{Method: "POST", Path: "/api/v1/inventory/movements", Body: map[string]any{"store_id": storeB, "kind": "receipt", "lines": line}},
		{Method: "POST", Path: "/api/v1/inventory/stocktakes", Body: map[string]any{"store_id": storeB}},
		{Method: "GET", Path: "/api/v1/inventory/stocktakes?store_id=" + storeB.String()},
		{Method: "GET", Path: "/api/v1/inventory/stocktakes/" + st.ID.String()},
		{Method: "POST", Path: "/api/v1/inventory/stocktakes/" + st.ID.String() + "/counts", Body: map[string]any{"batch_id": "b", "lines": line}},
		{Method: "GET", Path: "/api/v1/inventory/stocktakes/" + st.ID.String() + "/variances"},
		{Method: "POST", Path: "/api/v1/inventory/stocktakes/" + st.ID.String() + "/post"},
		{Method: "POST", Path: "/api/v1/inventory/stocktakes/" + st.ID.String() + "/cancel"},
		{Method: "GET", Path: "/api/v1/inventory/transfers?store_id=" + storeB.String()},
		{Method: "GET", Path: "/api/v1/inventory/transfers/" + tr.ID.String()},
		{Method: "POST", Path: "/api/v1/inventory/transfers/" + tr.ID.String() + "/approve"},
		{Method: "POST", Path: "/api/v1/inventory/transfers/" + tr.ID.String() + "/ship"},
		{Method: "POST", Path: "/api/v1/inventory/transfers/" + tr.ID.String() + "/receive"},
		{Method: "POST", Path: "/api/v1/inventory/transfers/" + tr.ID.String() + "/cancel"},
		{Method: "GET", Path: "/api/v1/inventory/analysis/slow-movers?store_id=" + storeB.String()},
		{Method: "GET", Path: "/api/v1/inventory/analysis/turnover?store_id=" + storeB.String()},
	} {
		req.Token = a.AdminToken
		if r := env.Do(t, req); r.Status != http.StatusNotFound {
			t.Errorf("%s %s with another chain's token: %d %s", req.Method, req.Path, r.Status, r.Body)
		}
	}
	// Tenant A's transfer cannot name tenant B's store, nor its SKUs.
	r := do(t, "POST", "/api/v1/inventory/transfers", a.AdminToken, map[string]any{"from_store_id": storeB, "to_store_id": storeA, "lines": line})
	if r.Status != 422 {
		t.Errorf("transfer from another chain's store: %d %s", r.Status, r.Body)
	}
	// A's own stock searched for B's SKU code finds nothing.
	var found struct{ Data []inventory.Level }
	must(t, do(t, "GET", "/api/v1/inventory/stores/"+storeA.String()+"/stock?q="+skuCodeB, a.AdminToken, nil), 200).JSON(t, &found)
	if len(found.Data) != 0 {
		t.Errorf("A's stock search finds B's SKU: %+v", found.Data)
	}
	// Lists and analysis of tenant A show nothing of B.
	for _, p := range []string{"/api/v1/inventory/stocktakes", "/api/v1/inventory/transfers", "/api/v1/inventory/analysis/slow-movers", "/api/v1/inventory/analysis/turnover"} {
		var l struct{ Data []map[string]any }
		must(t, do(t, "GET", p, a.AdminToken, nil), 200).JSON(t, &l)
		if len(l.Data) != 0 {
			t.Errorf("%s lists %d rows of another chain", p, len(l.Data))
		}
	}
	var values struct{ Data []inventory.StoreValue }
	must(t, do(t, "GET", "/api/v1/inventory/analysis/stock-value", a.AdminToken, nil), 200).JSON(t, &values)
	for _, v := range values.Data {
		if v.StoreID == storeB || v.StockValue != 0 {
			t.Errorf("stock value shows %+v", v)
		}
	}
	var outs struct{ Data []inventory.StockOut }
	must(t, do(t, "GET", "/api/v1/inventory/analysis/stock-outs", a.AdminToken, nil), 200).JSON(t, &outs)
	if len(outs.Data) != 1 || outs.Data[0].StoreID != storeA {
		t.Errorf("stock-outs %+v", outs.Data)
	}
	_ = skusA
	// Nor can A's own stores move, count or transfer B's SKUs: a 4xx, nothing written.
	storeA2 := env.CreateStore(t, a, nil)
	var stA inventory.StocktakeDetail
	must(t, do(t, "POST", "/api/v1/inventory/stocktakes", a.AdminToken, map[string]any{"store_id": storeA}), 201).JSON(t, &stA)
	for _, req := range []apitest.Req{
		{Method: "POST", Path: "/api/v1/inventory/movements", Body: map[string]any{"store_id": storeA, "kind": "receipt", "lines": line}},
		{Method: "POST", Path: "/api/v1/inventory/transfers", Body: map[string]any{"from_store_id": storeA, "to_store_id": storeA2, "lines": line}},
		{Method: "POST", Path: "/api/v1/inventory/stocktakes/" + stA.ID.String() + "/counts", Body: map[string]any{"batch_id": "b", "lines": line}},
	} {
		req.Token = a.AdminToken
		if r := env.Do(t, req); r.Status != http.StatusNotFound && r.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s %s naming another chain's SKU: %d %s", req.Method, req.Path, r.Status, r.Body)
		}
	}
	if n := env.Count(t, `SELECT count(*) FROM transfers WHERE tenant_id = $1`, a.ID); n != 0 {
		t.Errorf("A wrote %d transfers with another chain's SKU", n)
	}
	// Settings are per chain: B's change is not A's, and A's PUT leaves B's alone.
	var set inventory.Settings
	must(t, do(t, "PUT", "/api/v1/inventory/settings", b.AdminToken, map[string]any{"allow_negative_stock": false, "near_expiry_days": 30}), 200)
	must(t, do(t, "GET", "/api/v1/inventory/settings", a.AdminToken, nil), 200).JSON(t, &set)
	if !set.AllowNegativeStock || set.NearExpiryDays != 7 || set.UpdatedAt != nil {
		t.Errorf("tenant A reads tenant B's settings: %+v", set)
	}
	must(t, do(t, "PUT", "/api/v1/inventory/settings", a.AdminToken, map[string]any{"near_expiry_days": 3}), 200)
	must(t, do(t, "GET", "/api/v1/inventory/settings", b.AdminToken, nil), 200).JSON(t, &set)
	if set.AllowNegativeStock || set.NearExpiryDays != 30 {
		t.Errorf("tenant A's PUT changed tenant B's settings: %+v", set)
	}
	// Nothing of B changed.
	if l := level(t, b, storeB, skusB[0]); l.OnHand != 5000 || l.MinQty != nil {
		t.Fatalf("B's level changed: %+v", l)
	}
	if n := env.Count(t, `SELECT count(*) FROM stock_movements WHERE tenant_id = $1`, a.ID); n != 0 {
		t.Fatalf("A wrote %d movements", n)
	}
	_ = fmt.Sprint()
}
