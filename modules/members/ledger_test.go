package members_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/infra/doc"
	"chainstore/modules/finance"
	"chainstore/modules/members"
)

// finLines returns the signed (debit − credit) movement per account code of
// the finance entries posted for one source document.
func finLines(t *testing.T, tenantID uuid.UUID, sourceType string, sourceID uuid.UUID) map[string]int64 {
	t.Helper()
	rows, err := env.Owner.Query(`SELECT a.code, sum(l.debit - l.credit) FROM fin_lines l
		JOIN fin_entries e ON e.tenant_id = l.tenant_id AND e.id = l.entry_id
		JOIN fin_accounts a ON a.tenant_id = l.tenant_id AND a.id = l.account_id
		WHERE e.tenant_id = $1 AND e.source_type = $2 AND e.source_id = $3 GROUP BY a.code`, tenantID, sourceType, sourceID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var code string
		var v int64
		if err := rows.Scan(&code, &v); err != nil {
			t.Fatal(err)
		}
		out[code] = v
	}
	return out
}

// accountBalance is the tenant's debit − credit on an account, all entities.
func accountBalance(t *testing.T, tenantID uuid.UUID, code string) int64 {
	t.Helper()
	var v int64
	if err := env.Owner.QueryRow(`SELECT coalesce(sum(l.debit - l.credit), 0) FROM fin_lines l
		JOIN fin_accounts a ON a.tenant_id = l.tenant_id AND a.id = l.account_id
		WHERE l.tenant_id = $1 AND a.code = $2`, tenantID, code).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func sameLines(got, want map[string]int64) bool {
	n := 0
	for k, v := range got {
		if v != 0 {
			n++
			if want[k] != v {
				return false
			}
		}
	}
	return n == len(want)
}

// checkBooks asserts that every entity's books balance and that the
// contract-liability accounts equal the members' balances: principal
// (2203.01) the sum of principals, bonus (2203.02) the sum of bonuses.
func checkBooks(t *testing.T, tenantID uuid.UUID, when string) {
	t.Helper()
	if n := env.Count(t, `SELECT count(*) FROM (SELECT entity_id FROM fin_lines WHERE tenant_id = $1 GROUP BY entity_id HAVING sum(debit) <> sum(credit)) x`, tenantID); n != 0 {
		t.Fatalf("%s: %d entities' trial balances do not balance", when, n)
	}
	liab := func(code string) int {
		return env.Count(t, `SELECT coalesce(sum(l.credit - l.debit), 0) FROM fin_lines l JOIN fin_accounts a ON a.tenant_id = l.tenant_id AND a.id = l.account_id
			WHERE l.tenant_id = $1 AND a.code = $2`, tenantID, code)
	}
	p := env.Count(t, `SELECT coalesce(sum(balance_principal), 0) FROM member_accounts WHERE tenant_id = $1`, tenantID)
	b := env.Count(t, `SELECT coalesce(sum(balance_bonus), 0) FROM member_accounts WHERE tenant_id = $1`, tenantID)
	if lp, lb := liab(finance.AcctSVPrincipal), liab(finance.AcctSVBonus); lp != p || lb != b {
		t.Fatalf("%s: liability principal %d bonus %d, members' balances principal %d bonus %d", when, lp, lb, p, b)
	}
}

// posSale plays the POS: the stored-value payment and the sale's posting
// in one transaction (the sale document owns the posting).
func posSale(t *testing.T, tn *apitest.Tenant, memberID, store uuid.UUID, amount int64, src string) (members.ValueEntry, error) {
	t.Helper()
	var pay members.ValueEntry
	err := env.Server.Pool.WithTx(context.Background(), tn.ID, func(ctx context.Context) error {
		var err error
		if pay, err = svc().PayStoredValue(ctx, tn.ID, memberID, store, amount, source("sale", src)); err != nil {
			return err
		}
		_, err = env.Server.Finance.PostSale(ctx, tn.ID, finance.SaleEvent{Source: doc.Of("sale", pay.ID), StoreID: store, BusinessDate: time.Now(),
			Revenue:     []finance.RevenueLine{{Gross: amount, VATRateBP: 1300}},
			StoredValue: pay.StoredValueUses()})
		return err
	})
	return pay, err
}

// posReturn plays the POS's return: the refund onto the card and the
// return's posting in one transaction.
func posReturn(t *testing.T, tn *apitest.Tenant, pay members.ValueEntry, amount int64, src string) (members.ValueEntry, error) {
	t.Helper()
	var ref members.ValueEntry
	err := env.Server.Pool.WithTx(context.Background(), tn.ID, func(ctx context.Context) error {
		var err error
		if ref, err = svc().RefundStoredValue(ctx, tn.ID, pay.ID, amount, source("return", src)); err != nil {
			return err
		}
		_, err = env.Server.Finance.PostReturn(ctx, tn.ID, finance.SaleEvent{Source: doc.Of("return", ref.ID), StoreID: *pay.StoreID, BusinessDate: time.Now(),
			Revenue:     []finance.RevenueLine{{Gross: amount, VATRateBP: 1300}},
			StoredValue: ref.StoredValueUses()})
		return err
	})
	return ref, err
}

func TestTopUpRefundCashOutPostToLedger(t *testing.T) {
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	other := env.CreateStore(t, tn, nil)
	cashier := env.CreateUser(t, tn, "cashier", &store, nil)
	manager := env.CreateUser(t, tn, "store_manager", &store, nil)
	ctx := context.Background()
	if _, err := svc().CreateTopupRule(ctx, tn.ID, members.TopupRuleInput{Name: "充100送10", MinAmount: 10000, Bonus: 1000}); err != nil {
		t.Fatal(err)
	}
	m := createMember(t, tn, newPhone(), nil)
	base := "/api/v1/stores/" + store.String() + "/pos/members/" + m.ID.String()

	// Top-up by WeChat at the till: money in, principal and bonus owed.
	r := env.Do(t, apitest.Req{Method: "POST", Path: base + "/topup", Token: cashier.Token,
		Body: map[string]any{"amount": 10000, "payment_method": "wechat", "source_type": "topup_order", "source_id": sid("T1")}})
	var top members.ValueEntry
	if r.JSON(t, &top); r.Status != 201 || top.Principal != 10000 || top.Bonus != 1000 {
		t.Fatalf("top-up: %d %s", r.Status, r.Body)
	}
	want := map[string]int64{finance.AcctEWallet: 10000, finance.AcctSVPrincipal: -10000, finance.AcctSelling: 1000, finance.AcctSVBonus: -1000}
	if got := finLines(t, tn.ID, "topup", top.ID); !sameLines(got, want) {
		t.Fatalf("top-up posting %v, want %v", got, want)
	}
	checkBooks(t, tn.ID, "after top-up")
	// A retry (same source) neither loads nor posts twice.
	r = env.Do(t, apitest.Req{Method: "POST", Path: base + "/topup", Token: cashier.Token,
		Body: map[string]any{"amount": 10000, "payment_method": "wechat", "source_type": "topup_order", "source_id": sid("T1")}})
	var again members.ValueEntry
	if r.JSON(t, &again); r.Status != 201 || again.ID != top.ID {
		t.Fatalf("repeated top-up: %d %s", r.Status, r.Body)
	}
	if n := env.Count(t, `SELECT count(*) FROM fin_entries WHERE tenant_id = $1 AND source_type = 'topup'`, tn.ID); n != 1 {
		t.Fatalf("%d top-up entries after a retry", n)
	}
	checkBooks(t, tn.ID, "after a repeated top-up")

	// The POS pays 44.00 from stored value and posts the sale; the members
	// service call posts nothing of its own.
	sale, err := posSale(t, tn, m.ID, store, 4400, "S1")
	if err != nil || sale.Principal != -4000 || sale.Bonus != -400 {
		t.Fatalf("pay: %+v %v", sale, err)
	}
	if n := env.Count(t, `SELECT count(*) FROM fin_entries WHERE tenant_id = $1 AND source_id = $2 AND source_type <> 'sale'`, tn.ID, sale.ID); n != 0 {
		t.Fatal("the stored-value payment posted on its own")
	}
	checkBooks(t, tn.ID, "after a sale")

	// That payment goes back with the sale's return, never through the
	// till's refund call: its value never reached the store's "tendered"
	// account that the call takes it from.
	bySale := map[string]any{"payment_id": sale.ID, "amount": 1100, "source_type": "return", "source_id": sid("R0")}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: base + "/stored-value-refunds", Token: manager.Token, Body: bySale}); r.Status != 409 || r.Code() != "members.refund_by_return" {
		t.Fatalf("refund of a sale's payment: %d %s", r.Status, r.Body)
	}
	if n := env.Count(t, `SELECT count(*) FROM stored_value_ledger WHERE tenant_id = $1 AND kind = 'refund'`, tn.ID); n != 0 {
		t.Fatalf("a refused refund left %d ledger rows", n)
	}
	checkBooks(t, tn.ID, "after a refused refund")

	// Paid ahead of its sale (/pay): 11.00 leaves the card for the store's
	// "tendered" account.
	r = env.Do(t, apitest.Req{Method: "POST", Path: base + "/pay", Token: cashier.Token,
		Body: map[string]any{"amount": 1100, "source_type": "sale", "source_id": sid("P1")}})
	var pay members.ValueEntry
	if r.JSON(t, &pay); r.Status != 201 || pay.Principal != -1000 || pay.Bonus != -100 {
		t.Fatalf("tendered payment: %d %s", r.Status, r.Body)
	}
	if v := accountBalance(t, tn.ID, finance.AcctSVTendered); v != -1100 {
		t.Fatalf("tendered account %d after the payment, want -1100", v)
	}

	// Refund onto the card: members:write + pos:refund in the payment's store.
	refund := map[string]any{"payment_id": pay.ID, "amount": 1100, "source_type": "return", "source_id": sid("R1")}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: base + "/stored-value-refunds", Token: cashier.Token, Body: refund}); r.Status != 403 {
		t.Fatalf("cashier refund: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/stores/" + other.String() + "/pos/members/" + m.ID.String() + "/stored-value-refunds",
		Token: manager.Token, Body: refund}); r.Status != 404 {
		t.Fatalf("manager refund in a store outside scope: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/stores/" + other.String() + "/pos/members/" + m.ID.String() + "/stored-value-refunds",
		Token: tn.AdminToken, Body: refund}); r.Status != 404 || r.Code() != "members.entry_not_found" {
		t.Fatalf("refund at a store where the payment was not made: %d %s", r.Status, r.Body)
	}
	m2 := createMember(t, tn, newPhone(), nil)
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/stores/" + store.String() + "/pos/members/" + m2.ID.String() + "/stored-value-refunds",
		Token: manager.Token, Body: refund}); r.Status != 404 {
		t.Fatalf("refund of another member's payment: %d %s", r.Status, r.Body)
	}
	audits := func(action string) int {
		return env.Count(t, `SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND action = $2 AND object_id = $3`, tn.ID, action, m.ID.String())
	}
	if audits("member.stored_value_refund") != 0 {
		t.Fatal("refused refunds left audit rows")
	}
	r = env.Do(t, apitest.Req{Method: "POST", Path: base + "/stored-value-refunds", Token: manager.Token, Body: refund})
	var ref members.ValueEntry
	if r.JSON(t, &ref); r.Status != 201 || ref.Principal != 1000 || ref.Bonus != 100 || ref.RefundsID == nil || *ref.RefundsID != pay.ID {
		t.Fatalf("manager refund: %d %s", r.Status, r.Body)
	}
	if audits("member.stored_value_refund") != 1 {
		t.Fatal("the refund was not audited")
	}
	// The refund put the value back on the loader's books, out of the
	// store's "tendered" account, which nets to zero.
	want = map[string]int64{finance.AcctSVPrincipal: -1000, finance.AcctSVBonus: -100, finance.AcctSVTendered: 1100}
	if got := finLines(t, tn.ID, "sv_tender_refund", ref.ID); !sameLines(got, want) {
		t.Fatalf("refund posting %v, want %v", got, want)
	}
	if v := accountBalance(t, tn.ID, finance.AcctSVTendered); v != 0 {
		t.Fatalf("tendered account %d after the refund, want 0", v)
	}
	checkBooks(t, tn.ID, "after a refund")

	// Cash-out (退卡): principal 60.00 back in cash, bonus 6.00 forfeited.
	cash := map[string]any{"payment_method": "cash", "source_type": "cash_out", "source_id": sid("C1")}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: base + "/cash-out", Token: cashier.Token, Body: cash}); r.Status != 403 {
		t.Fatalf("cashier cash-out: %d %s", r.Status, r.Body)
	}
	r = env.Do(t, apitest.Req{Method: "POST", Path: base + "/cash-out", Token: manager.Token, Body: cash})
	var out members.ValueEntry
	if r.JSON(t, &out); r.Status != 201 || out.Principal != -6000 || out.Bonus != -600 || out.PrincipalAfter != 0 || out.BonusAfter != 0 {
		t.Fatalf("cash-out: %d %s", r.Status, r.Body)
	}
	want = map[string]int64{finance.AcctCash: -6000, finance.AcctSVPrincipal: 6000, finance.AcctSVBonus: 600, finance.AcctSelling: -600}
	if got := finLines(t, tn.ID, "sv_cash_out", out.ID); !sameLines(got, want) {
		t.Fatalf("cash-out posting %v, want %v", got, want)
	}
	if audits("member.stored_value_cash_out") != 1 {
		t.Fatal("the cash-out was not audited")
	}
	checkBooks(t, tn.ID, "after cash-out")
	r = env.Do(t, apitest.Req{Method: "POST", Path: base + "/cash-out", Token: manager.Token, Body: cash})
	if r.JSON(t, &again); r.Status != 201 || again.ID != out.ID {
		t.Fatalf("repeated cash-out: %d %s", r.Status, r.Body)
	}
	cash["source_id"] = sid("C2")
	if r := env.Do(t, apitest.Req{Method: "POST", Path: base + "/cash-out", Token: manager.Token, Body: cash}); r.Status != 409 || r.Code() != "members.insufficient_balance" {
		t.Fatalf("cash-out of nothing: %d %s", r.Status, r.Body)
	}
	if n := env.Count(t, `SELECT count(*) FROM fin_entries WHERE tenant_id = $1 AND source_type = 'sv_cash_out'`, tn.ID); n != 1 {
		t.Fatalf("%d cash-out entries", n)
	}
	checkBooks(t, tn.ID, "at the end")
}

// TestLedgerInvariantRandomMix: after any mix of top-ups (two stores, one a
// franchisee's, every payment method), POS sales and returns paid from
// stored value, cash-outs and refused operations, every entity balances and
// the contract liabilities equal the members' balances.
func TestLedgerInvariantRandomMix(t *testing.T) {
	tn := env.Signup(t)
	fr := env.CreateFranchisee(t, tn)
	stores := []uuid.UUID{env.CreateStore(t, tn, nil), env.CreateStore(t, tn, &fr)}
	ctx := context.Background()
	for _, r := range []members.TopupRuleInput{{Name: "充100送10", MinAmount: 10000, Bonus: 1000}, {Name: "充500送80", MinAmount: 50000, Bonus: 8000}} {
		if _, err := svc().CreateTopupRule(ctx, tn.ID, r); err != nil {
			t.Fatal(err)
		}
	}
	var ms []uuid.UUID
	for i := 0; i < 4; i++ {
		ms = append(ms, createMember(t, tn, newPhone(), nil).ID)
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 7))
	methods := customerMethods()
	var pays []members.ValueEntry
	counts := map[string]int{}
	for i := 0; i < 80; i++ {
		m, st := ms[rng.IntN(len(ms))], stores[rng.IntN(len(stores))]
		src := uuid.NewString()
		var err error
		op := rng.IntN(10)
		switch {
		case op < 4:
			_, err = svc().TopUp(ctx, tn.ID, m, &st, int64(1+rng.IntN(60000)), methods[rng.IntN(len(methods))], source("topup_order", src))
			counts["topup"]++
		case op < 7:
			var pay members.ValueEntry
			if pay, err = posSale(t, tn, m, st, int64(1+rng.IntN(20000)), src); err == nil {
				pays = append(pays, pay)
				counts["pay"]++
			}
		case op < 9 && len(pays) > 0:
			pay := pays[rng.IntN(len(pays))]
			_, err = posReturn(t, tn, pay, int64(1+rng.IntN(int(-pay.Principal-pay.Bonus))), src)
			counts["refund"]++
		default:
			var st2 *uuid.UUID
			if rng.IntN(2) == 0 {
				st2 = &st
			}
			_, err = svc().CashOut(ctx, tn.ID, m, st2, methods[rng.IntN(len(methods))], source("cash_out", src))
			counts["cash_out"]++
		}
		if err != nil {
			counts["refused"]++ // short balance, over-refund, nothing to cash out: nothing written
		}
		checkBooks(t, tn.ID, "step "+src)
	}
	t.Logf("operations: %v", counts)
	if counts["topup"] == 0 || counts["pay"] == 0 {
		t.Fatalf("the mix lacked top-ups or payments: %v", counts)
	}
	if n := env.Count(t, `SELECT count(*) FROM stored_value_ledger l WHERE l.tenant_id = $1 AND l.kind IN ('topup', 'cash_out')
		AND NOT EXISTS (SELECT 1 FROM fin_entries e WHERE e.tenant_id = l.tenant_id AND e.source_id = l.id)`, tn.ID); n != 0 {
		t.Fatalf("%d top-ups or cash-outs without a finance entry", n)
	}
}

func TestGiftRedemptionAtStore(t *testing.T) {
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	other := env.CreateStore(t, tn, nil)
	cashier := env.CreateUser(t, tn, "cashier", &store, nil)
	ctx := context.Background()
	m := createMember(t, tn, newPhone(), nil)
	if _, err := svc().AdjustPoints(ctx, tn.ID, m.ID, 1000, "opening"); err != nil {
		t.Fatal(err)
	}
	g, err := svc().CreateGift(ctx, tn.ID, members.GiftInput{Name: "环保袋", PointsCost: 300})
	if err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/members/" + m.ID.String() + "/gift-redemptions"
	r := env.Do(t, apitest.Req{Method: "POST", Path: path, Token: cashier.Token, Body: map[string]any{"gift_id": g.ID, "store_id": store}})
	var e members.PointsEntry
	if r.JSON(t, &e); r.Status != 201 || e.Points != -300 || e.StoreID == nil || *e.StoreID != store {
		t.Fatalf("redeem at the cashier's store: %d %s", r.Status, r.Body)
	}
	if n := env.Count(t, `SELECT count(*) FROM fin_entries WHERE tenant_id = $1`, tn.ID); n != 0 {
		t.Fatalf("a gift redemption posted %d finance entries (gifts carry no cost)", n)
	}
	if n := env.Count(t, `SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND action = 'member.gift_redeem'`, tn.ID); n != 1 {
		t.Fatalf("%d gift-redemption audit rows", n)
	}
	for _, c := range []struct {
		body   map[string]any
		status int
	}{
		{map[string]any{"gift_id": g.ID, "store_id": other}, 404}, // a store outside the cashier's scope
		{map[string]any{"gift_id": g.ID}, 403},                    // HQ/online needs members:write for the chain
		{map[string]any{"gift_id": "x", "store_id": store}, 422},  // a malformed UUID is a field error
	} {
		if r := env.Do(t, apitest.Req{Method: "POST", Path: path, Token: cashier.Token, Body: c.body}); r.Status != c.status {
			t.Errorf("redeem %v: %d %s", c.body, r.Status, r.Body)
		}
	}
	// A deactivated gift cannot be redeemed; reactivated, it can.
	gp := "/api/v1/member-gifts/" + g.ID.String()
	if r := env.Do(t, apitest.Req{Method: "POST", Path: gp + "/deactivate", Token: cashier.Token}); r.Status != 403 {
		t.Fatalf("cashier deactivates a gift: %d", r.Status)
	}
	var gift members.Gift
	r = env.Do(t, apitest.Req{Method: "POST", Path: gp + "/deactivate", Token: tn.AdminToken})
	if r.JSON(t, &gift); r.Status != 200 || gift.Active {
		t.Fatalf("deactivate gift: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: path, Token: tn.AdminToken, Body: map[string]any{"gift_id": g.ID}}); r.Status != 409 || r.Code() != "members.gift_unavailable" {
		t.Fatalf("redeem an inactive gift: %d %s", r.Status, r.Body)
	}
	r = env.Do(t, apitest.Req{Method: "POST", Path: gp + "/activate", Token: tn.AdminToken})
	if r.JSON(t, &gift); r.Status != 200 || !gift.Active {
		t.Fatalf("activate gift: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: path, Token: tn.AdminToken, Body: map[string]any{"gift_id": g.ID}}); r.Status != 201 {
		t.Fatalf("redeem after reactivation: %d %s", r.Status, r.Body)
	}
	if n := env.Count(t, `SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND action IN ('member_gift.deactivate', 'member_gift.activate')`, tn.ID); n != 2 {
		t.Fatalf("%d gift state audit rows", n)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: gp + "/delete", Token: tn.AdminToken}); r.Status != 404 {
		t.Fatalf("unknown action: %d", r.Status)
	}
}

func TestPointsReverseByHQ(t *testing.T) {
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	cashier := env.CreateUser(t, tn, "cashier", &store, nil)
	ctx := context.Background()
	m, o := createMember(t, tn, newPhone(), nil), createMember(t, tn, newPhone(), nil)
	earn, err := svc().EarnPoints(ctx, tn.ID, members.EarnInput{MemberID: m.ID, StoreID: store, Source: source("sale", "E1"),
		Lines: []members.EarnLine{{Amount: 12300}}})
	if err != nil || earn.Points != 123 {
		t.Fatalf("earn: %+v %v", earn, err)
	}
	adj, err := svc().AdjustPoints(ctx, tn.ID, m.ID, 7, "goodwill")
	if err != nil {
		t.Fatal(err)
	}
	path := func(member, entry uuid.UUID) string {
		return "/api/v1/members/" + member.String() + "/points-entries/" + entry.String() + "/reverse"
	}
	body := map[string]any{"note": "收银员误录"}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: path(m.ID, earn.ID), Token: cashier.Token, Body: body}); r.Status != 403 {
		t.Fatalf("cashier reverses: %d", r.Status)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: path(o.ID, earn.ID), Token: tn.AdminToken, Body: body}); r.Status != 404 || r.Code() != "members.entry_not_found" {
		t.Fatalf("reverse through another member: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: path(m.ID, adj.ID), Token: tn.AdminToken, Body: body}); r.Status != 422 {
		t.Fatalf("reverse an adjustment: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: path(m.ID, earn.ID), Token: tn.AdminToken, Body: map[string]any{"note": ""}}); r.Status != 422 {
		t.Fatalf("reverse without a note: %d", r.Status)
	}
	if n := env.Count(t, `SELECT count(*) FROM points_ledger WHERE member_id = $1 AND kind = 'reverse'`, m.ID); n != 0 {
		t.Fatal("refused reversals wrote entries")
	}
	var rev, again members.PointsEntry
	r := env.Do(t, apitest.Req{Method: "POST", Path: path(m.ID, earn.ID), Token: tn.AdminToken, Body: body})
	if r.JSON(t, &rev); r.Status != 201 || rev.Points != -123 || rev.ReversesID == nil || *rev.ReversesID != earn.ID {
		t.Fatalf("reverse: %d %s", r.Status, r.Body)
	}
	r = env.Do(t, apitest.Req{Method: "POST", Path: path(m.ID, earn.ID), Token: tn.AdminToken, Body: body})
	if r.JSON(t, &again); r.Status != 201 || again.ID != rev.ID {
		t.Fatalf("second reverse: %d %s", r.Status, r.Body)
	}
	got, _ := svc().Get(ctx, tn.ID, m.ID, false)
	if got.Points != 7 || got.TotalSpend != 0 {
		t.Fatalf("after reversal: %d points, %d spend", got.Points, got.TotalSpend)
	}
	if n := env.Count(t, `SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND action = 'member.points_reverse' AND object_id = $2`, tn.ID, m.ID.String()); n < 1 {
		t.Fatal("the reversal was not audited")
	}
}

func TestDeactivateTiersAndTopupRules(t *testing.T) {
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	ctx := context.Background()
	normal, err := svc().CreateTier(ctx, tn.ID, members.TierInput{Code: "n", Name: "普通", Rank: 0, Basis: "spend"})
	if err != nil {
		t.Fatal(err)
	}
	gold, err := svc().CreateTier(ctx, tn.ID, members.TierInput{Code: "g", Name: "金卡", Rank: 1, Basis: "spend", Threshold: 10000})
	if err != nil {
		t.Fatal(err)
	}
	var tier members.Tier
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/member-tiers/" + gold.ID.String() + "/deactivate", Token: tn.AdminToken})
	if r.JSON(t, &tier); r.Status != 200 || tier.Active {
		t.Fatalf("deactivate tier: %d %s", r.Status, r.Body)
	}
	m := createMember(t, tn, newPhone(), nil)
	if m.Tier == nil || m.Tier.ID != normal.ID {
		t.Fatalf("entry tier: %+v", m.Tier)
	}
	if _, err := svc().EarnPoints(ctx, tn.ID, members.EarnInput{MemberID: m.ID, StoreID: store, Source: source("sale", "1"), Lines: []members.EarnLine{{Amount: 20000}}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := svc().Get(ctx, tn.ID, m.ID, false); got.Tier == nil || got.Tier.ID != normal.ID {
		t.Fatalf("upgraded to an inactive tier: %+v", got.Tier)
	}
	var l struct{ Data []members.Tier }
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/member-tiers", Token: tn.AdminToken}).JSON(t, &l)
	if len(l.Data) != 2 || l.Data[1].Active || !l.Data[0].Active {
		t.Fatalf("tiers list: %+v", l.Data)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/member-tiers/" + gold.ID.String() + "/activate", Token: tn.AdminToken}); r.Status != 200 {
		t.Fatalf("activate tier: %d", r.Status)
	}
	if n, err := svc().ReevaluateTiers(ctx, tn.ID, time.Now()); err != nil || n != 1 {
		t.Fatalf("re-evaluation after reactivation: %d %v", n, err)
	}
	// Deactivating moves the member down at the next re-evaluation.
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/member-tiers/" + gold.ID.String() + "/deactivate", Token: tn.AdminToken}); r.Status != 200 {
		t.Fatalf("deactivate tier: %d", r.Status)
	}
	if n, err := svc().ReevaluateTiers(ctx, tn.ID, time.Now()); err != nil || n != 1 {
		t.Fatalf("re-evaluation after deactivation: %d %v", n, err)
	}
	if got, _ := svc().Get(ctx, tn.ID, m.ID, false); got.Tier == nil || got.Tier.ID != normal.ID {
		t.Fatalf("still on the inactive tier: %+v", got.Tier)
	}
	// A deactivated top-up rule grants no bonus.
	rule, err := svc().CreateTopupRule(ctx, tn.ID, members.TopupRuleInput{Name: "充100送10", MinAmount: 10000, Bonus: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var rr members.TopupRule
	r = env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/topup-rules/" + rule.ID.String() + "/deactivate", Token: tn.AdminToken})
	if r.JSON(t, &rr); r.Status != 200 || rr.Active {
		t.Fatalf("deactivate rule: %d %s", r.Status, r.Body)
	}
	e, err := svc().TopUp(ctx, tn.ID, m.ID, &store, 10000, "alipay", source("t", "1"))
	if err != nil || e.Bonus != 0 {
		t.Fatalf("top-up under an inactive rule: %+v %v", e, err)
	}
	if n := env.Count(t, `SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND action IN ('member_tier.activate', 'member_tier.deactivate', 'topup_rule.deactivate')`, tn.ID); n != 4 {
		t.Fatalf("%d activation audit rows", n)
	}
}

func TestFollowUpEndpoints404AndBadInput(t *testing.T) {
	a, b := env.Signup(t), env.Signup(t)
	storeA, storeB := env.CreateStore(t, a, nil), env.CreateStore(t, b, nil)
	ctx := context.Background()
	mb := createMember(t, b, newPhone(), nil)
	earn, err := svc().EarnPoints(ctx, b.ID, members.EarnInput{MemberID: mb.ID, StoreID: storeB, Source: source("sale", "1"), Lines: []members.EarnLine{{Amount: 1000}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc().TopUp(ctx, b.ID, mb.ID, &storeB, 5000, "cash", source("t", "1")); err != nil {
		t.Fatal(err)
	}
	pay, err := svc().PayStoredValue(ctx, b.ID, mb.ID, storeB, 100, source("sale", "1"))
	if err != nil {
		t.Fatal(err)
	}
	tier, _ := svc().CreateTier(ctx, b.ID, members.TierInput{Code: "x", Name: "x", Basis: "spend"})
	gift, _ := svc().CreateGift(ctx, b.ID, members.GiftInput{Name: "x", PointsCost: 1})
	rule, _ := svc().CreateTopupRule(ctx, b.ID, members.TopupRuleInput{Name: "x", MinAmount: 1})
	id := mb.ID.String()
	refund := map[string]any{"payment_id": pay.ID, "amount": 1, "source_type": "return", "source_id": sid("1")}
	cash := map[string]any{"payment_method": "cash", "source_type": "cash_out", "source_id": sid("1")}
	for _, req := range []apitest.Req{
		{Method: "POST", Path: "/api/v1/members/" + id + "/points-entries/" + earn.ID.String() + "/reverse", Body: map[string]any{"note": "x"}},
		{Method: "POST", Path: "/api/v1/members/" + id + "/gift-redemptions", Body: map[string]any{"gift_id": gift.ID, "store_id": storeB}},
		{Method: "POST", Path: "/api/v1/members/" + id + "/gift-redemptions", Body: map[string]any{"gift_id": gift.ID, "store_id": storeA}},
		{Method: "POST", Path: "/api/v1/member-tiers/" + tier.ID.String() + "/deactivate"},
		{Method: "POST", Path: "/api/v1/member-gifts/" + gift.ID.String() + "/deactivate"},
		{Method: "POST", Path: "/api/v1/topup-rules/" + rule.ID.String() + "/deactivate"},
		{Method: "POST", Path: "/api/v1/stores/" + storeB.String() + "/pos/members/" + id + "/stored-value-refunds", Body: refund},
		{Method: "POST", Path: "/api/v1/stores/" + storeB.String() + "/pos/members/" + id + "/cash-out", Body: cash},
		{Method: "POST", Path: "/api/v1/stores/" + storeA.String() + "/pos/members/" + id + "/stored-value-refunds", Body: refund},
		{Method: "POST", Path: "/api/v1/stores/" + storeA.String() + "/pos/members/" + id + "/cash-out", Body: cash},
	} {
		req.Token = a.AdminToken
		if r := env.Do(t, req); r.Status != 404 {
			t.Errorf("%s %s with tenant A's token: %d %s", req.Method, req.Path, r.Status, r.Body)
		}
	}
	got, _ := svc().Get(ctx, b.ID, mb.ID, false)
	if got.Points != 10 || got.Balance != 4900 {
		t.Fatalf("tenant A changed tenant B's member: %+v", got)
	}

	// Bad input: 4xx, nothing written (no ledger entry, no finance entry).
	ma := createMember(t, a, newPhone(), nil)
	base := "/api/v1/stores/" + storeA.String() + "/pos/members/" + ma.ID.String()
	for _, c := range []struct {
		path string
		body map[string]any
	}{
		{"/topup", map[string]any{"amount": 100, "source_type": "t", "source_id": sid("1")}},
		{"/topup", map[string]any{"amount": 100, "payment_method": "bitcoin", "source_type": "t", "source_id": sid("1")}},
		{"/topup", map[string]any{"amount": 0, "payment_method": "cash", "source_type": "t", "source_id": sid("1")}},
		{"/topup", map[string]any{"amount": 100, "payment_method": "cash", "source_type": "t", "source_id": sid("1"), "extra": 1}},
		{"/cash-out", map[string]any{"payment_method": "iou", "source_type": "c", "source_id": sid("1")}},
		{"/cash-out", map[string]any{"source_type": "c", "source_id": sid("1")}},
		{"/stored-value-refunds", map[string]any{"payment_id": uuid.New(), "amount": -1, "source_type": "r", "source_id": sid("1")}},
		{"/stored-value-refunds", map[string]any{"payment_id": "nope", "amount": 1, "source_type": "r", "source_id": sid("1")}},
	} {
		r := env.Do(t, apitest.Req{Method: "POST", Path: base + c.path, Token: a.AdminToken, Body: c.body})
		if r.Status < 400 || r.Status >= 500 || r.Code() == "" {
			t.Errorf("%s %v: %d %s", c.path, c.body, r.Status, r.Body)
		}
	}
	if n := env.Count(t, `SELECT count(*) FROM stored_value_ledger WHERE tenant_id = $1`, a.ID); n != 0 {
		t.Fatalf("bad input wrote %d stored-value entries", n)
	}
	if n := env.Count(t, `SELECT count(*) FROM fin_entries WHERE tenant_id = $1`, a.ID); n != 0 {
		t.Fatalf("bad input wrote %d finance entries", n)
	}
}

func TestEraseNeedsStoredValueCashedOut(t *testing.T) {
	tn := env.Signup(t)
	ctx := context.Background()
	if _, err := svc().CreateTopupRule(ctx, tn.ID, members.TopupRuleInput{Name: "充100送10", MinAmount: 10000, Bonus: 1000}); err != nil {
		t.Fatal(err)
	}
	m := createMember(t, tn, newPhone(), nil)
	if _, err := svc().TopUp(ctx, tn.ID, m.ID, nil, 10000, "card", source("t", "1")); err != nil {
		t.Fatal(err)
	}
	erase := apitest.Req{Method: "POST", Path: "/api/v1/members/" + m.ID.String() + "/erase", Token: tn.AdminToken}
	if r := env.Do(t, erase); r.Status != 409 || r.Code() != "members.balance_not_zero" {
		t.Fatalf("erase with stored value: %d %s", r.Status, r.Body)
	}
	out, err := svc().CashOut(ctx, tn.ID, m.ID, nil, "card", source("cash_out", "1"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{finance.AcctBank: -10000, finance.AcctSVPrincipal: 10000, finance.AcctSVBonus: 1000, finance.AcctSelling: -1000}
	if got := finLines(t, tn.ID, "sv_cash_out", out.ID); !sameLines(got, want) {
		t.Fatalf("cash-out posting %v, want %v", got, want)
	}
	if r := env.Do(t, erase); r.Status != 204 {
		t.Fatalf("erase after cash-out: %d %s", r.Status, r.Body)
	}
	checkBooks(t, tn.ID, "after erase")
}

// customerMethods are the payment methods a top-up or cash-out takes.
func customerMethods() []string {
	var out []string
	for _, t := range finance.CustomerTenders() {
		out = append(out, t.Method)
	}
	return out
}

// A return gives back part of an earn: several parts, each once per return
// document, never more than the entry earned; the spend goes with it, and
// a full reversal of a partly reversed entry is refused.
func TestPointsReversedInPartsByReturns(t *testing.T) {
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	ctx := context.Background()
	m := createMember(t, tn, newPhone(), nil)
	earn, err := svc().EarnPoints(ctx, tn.ID, members.EarnInput{MemberID: m.ID, StoreID: store, Source: source("sale", "P1"),
		Lines: []members.EarnLine{{Amount: 10000}}})
	if err != nil || earn.Points != 100 {
		t.Fatalf("earn: %+v %v", earn, err)
	}
	r1 := doc.Of(doc.Return, uuid.Must(uuid.NewV7()))
	first, err := svc().ReversePointsPart(ctx, tn.ID, earn.ID, 30, r1)
	if err != nil || first.Points != -30 {
		t.Fatalf("first part: %+v %v", first, err)
	}
	if again, err := svc().ReversePointsPart(ctx, tn.ID, earn.ID, 30, r1); err != nil || again.ID != first.ID {
		t.Fatalf("the same return again: %+v %v", again, err)
	}
	if _, err := svc().ReversePointsPart(ctx, tn.ID, earn.ID, 71, doc.Of(doc.Return, uuid.Must(uuid.NewV7()))); !errors.Is(err, members.ErrInvalid) {
		t.Fatalf("more than is left: %v", err)
	}
	if _, err := svc().ReversePointsPart(ctx, tn.ID, earn.ID, 70, doc.Of(doc.Return, uuid.Must(uuid.NewV7()))); err != nil {
		t.Fatal(err)
	}
	got, err := svc().Get(ctx, tn.ID, m.ID, false)
	if err != nil || got.Points != 0 || got.TotalSpend != 0 {
		t.Fatalf("after both parts: points %d spend %d (%v)", got.Points, got.TotalSpend, err)
	}
	if _, err := svc().ReversePoints(ctx, tn.ID, earn.ID, doc.Of("correction", uuid.Must(uuid.NewV7()))); !errors.Is(err, members.ErrInvalid) {
		t.Fatalf("a full reversal after parts: %v", err)
	}
}
