package members_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/infra/doc"
	"chainstore/modules/finance"
	"chainstore/modules/members"
)

// entityBal is the signed (debit − credit) balance of one account in one
// entity's books; counter, when not nil, keeps only lines against it.
func entityBal(t *testing.T, tenantID, entityID uuid.UUID, code string, counter *uuid.UUID) int64 {
	t.Helper()
	q := `SELECT coalesce(sum(l.debit - l.credit), 0) FROM fin_lines l JOIN fin_accounts a ON a.tenant_id = l.tenant_id AND a.id = l.account_id
		WHERE l.tenant_id = $1 AND l.entity_id = $2 AND a.code = $3`
	args := []any{tenantID, entityID, code}
	if counter != nil {
		q += ` AND l.counter_entity_id = $4`
		args = append(args, *counter)
	}
	return int64(env.Count(t, q, args...))
}

type books struct {
	hq, fr uuid.UUID
}

func entitiesOf(t *testing.T, tn *apitest.Tenant, frStore uuid.UUID) books {
	t.Helper()
	ctx := context.Background()
	hq, err := env.Server.Finance.HQEntity(ctx, tn.ID)
	if err != nil {
		t.Fatal(err)
	}
	fr, err := env.Server.Finance.EntityOfStore(ctx, tn.ID, frStore)
	if err != nil || fr == hq {
		t.Fatalf("franchise store's entity %s (hq %s): %v", fr, hq, err)
	}
	return books{hq: hq, fr: fr}
}

// checkLots asserts the per-entity invariant: every entity's books
// balance, and each entity's stored-value liabilities (2203.01 principal,
// 2203.02 bonus) equal the open lots loaded at its stores (HQ also holds
// the lots loaded online, store NULL); and every member's balances equal
// the sum of their open lots.
func checkLots(t *testing.T, tenantID uuid.UUID, when string) {
	t.Helper()
	if n := env.Count(t, `SELECT count(*) FROM (SELECT entity_id FROM fin_lines WHERE tenant_id = $1 GROUP BY entity_id HAVING sum(debit) <> sum(credit)) x`, tenantID); n != 0 {
		t.Fatalf("%s: %d entities' trial balances do not balance", when, n)
	}
	if n := env.Count(t, `SELECT count(*) FROM member_accounts a LEFT JOIN (SELECT member_id, sum(remaining_principal) AS p, sum(remaining_bonus) AS b
		FROM stored_value_lots WHERE tenant_id = $1 GROUP BY member_id) l ON l.member_id = a.member_id
		WHERE a.tenant_id = $1 AND (a.balance_principal <> coalesce(l.p, 0) OR a.balance_bonus <> coalesce(l.b, 0))`, tenantID); n != 0 {
		t.Fatalf("%s: %d members' balances differ from their open lots", when, n)
	}
	rows, err := env.Owner.Query(`SELECT e.id,
		coalesce((SELECT sum(l.credit - l.debit) FROM fin_lines l JOIN fin_accounts a ON a.tenant_id = l.tenant_id AND a.id = l.account_id
			WHERE l.tenant_id = e.tenant_id AND l.entity_id = e.id AND a.code = $2), 0),
		coalesce((SELECT sum(l.credit - l.debit) FROM fin_lines l JOIN fin_accounts a ON a.tenant_id = l.tenant_id AND a.id = l.account_id
			WHERE l.tenant_id = e.tenant_id AND l.entity_id = e.id AND a.code = $3), 0),
		coalesce((SELECT sum(v.remaining_principal) FROM stored_value_lots v LEFT JOIN stores s ON s.tenant_id = v.tenant_id AND s.id = v.store_id
			WHERE v.tenant_id = e.tenant_id AND ((e.kind = 'hq' AND (s.id IS NULL OR s.type = 'direct')) OR (s.type = 'franchise' AND s.franchisee_id = e.franchisee_id))), 0),
		coalesce((SELECT sum(v.remaining_bonus) FROM stored_value_lots v LEFT JOIN stores s ON s.tenant_id = v.tenant_id AND s.id = v.store_id
			WHERE v.tenant_id = e.tenant_id AND ((e.kind = 'hq' AND (s.id IS NULL OR s.type = 'direct')) OR (s.type = 'franchise' AND s.franchisee_id = e.franchisee_id))), 0)
		FROM fin_entities e WHERE e.tenant_id = $1`, tenantID, finance.AcctSVPrincipal, finance.AcctSVBonus)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id uuid.UUID
		var lp, lb, vp, vb int64
		if err := rows.Scan(&id, &lp, &lb, &vp, &vb); err != nil {
			t.Fatal(err)
		}
		n++
		if lp != vp || lb != vb {
			t.Fatalf("%s: entity %s books principal %d bonus %d; its lots hold principal %d bonus %d", when, id, lp, lb, vp, vb)
		}
	}
	if n < 2 {
		t.Fatalf("%s: %d entities", when, n)
	}
}

func sameValueUse(a, b members.ValueUse) bool {
	return a.Principal == b.Principal && a.Bonus == b.Bonus && (a.LoadedStoreID == nil) == (b.LoadedStoreID == nil) &&
		(a.LoadedStoreID == nil || *a.LoadedStoreID == *b.LoadedStoreID)
}

func setClearing(t *testing.T, tn *apitest.Tenant, fr uuid.UUID, principalBP, bonusBP, pointsBP int) {
	t.Helper()
	r := env.Do(t, apitest.Req{Method: "PUT", Path: "/api/v1/finance/clearing-rules", Token: tn.AdminToken,
		Body: map[string]any{"franchisee_id": fr, "principal_bp": principalBP, "bonus_bp": bonusBP, "points_bp": pointsBP}})
	if r.Status != 200 {
		t.Fatalf("clearing rule: %d %s", r.Status, r.Body)
	}
}

// TestStoredValueLoadedAtHQSpentAtFranchise: 100 yuan (+10 bonus) loaded
// at an HQ store, 60 spent at a franchise store and posted by the sale with
// the payment's breakdown; then the rest cashed out at the franchise store.
func TestStoredValueLoadedAtHQSpentAtFranchise(t *testing.T) {
	tn := env.Signup(t)
	fr := env.CreateFranchisee(t, tn)
	hqStore, frStore := env.CreateStore(t, tn, nil), env.CreateStore(t, tn, &fr)
	bk := entitiesOf(t, tn, frStore)
	setClearing(t, tn, fr, 9000, 5000, 10000)
	ctx := context.Background()
	if _, err := svc().CreateTopupRule(ctx, tn.ID, members.TopupRuleInput{Name: "充100送10", MinAmount: 10000, Bonus: 1000}); err != nil {
		t.Fatal(err)
	}
	m := createMember(t, tn, newPhone(), nil)
	top, err := svc().TopUp(ctx, tn.ID, m.ID, &hqStore, 10000, "cash", source("topup_order", "T1"))
	if err != nil || len(top.Uses) != 1 || top.Uses[0].LoadedStoreID == nil || *top.Uses[0].LoadedStoreID != hqStore || top.Uses[0].Principal != 10000 || top.Uses[0].Bonus != 1000 {
		t.Fatalf("top-up: %+v %v", top, err)
	}
	liab := func(e uuid.UUID) int64 {
		return -entityBal(t, tn.ID, e, finance.AcctSVPrincipal, nil) - entityBal(t, tn.ID, e, finance.AcctSVBonus, nil)
	}
	if liab(bk.hq) != 11000 || liab(bk.fr) != 0 {
		t.Fatalf("after the top-up HQ owes %d, the franchisee %d", liab(bk.hq), liab(bk.fr))
	}
	checkLots(t, tn.ID, "after the top-up")

	// The POS: pay 60 at the franchise store and post the sale with the breakdown, one transaction.
	pay, err := posSale(t, tn, m.ID, frStore, 6000, "S1")
	if err != nil {
		t.Fatal(err)
	}
	if pay.Principal != -5455 || pay.Bonus != -545 || len(pay.Uses) != 1 || *pay.Uses[0].LoadedStoreID != hqStore ||
		pay.Uses[0].Principal != 5455 || pay.Uses[0].Bonus != 545 {
		t.Fatalf("payment and its breakdown: %+v", pay)
	}
	if liab(bk.hq) != 5000 || liab(bk.fr) != 0 {
		t.Fatalf("after the sale HQ owes %d (want 5000), the franchisee %d (want 0)", liab(bk.hq), liab(bk.fr))
	}
	owed := finance.RatioOf(5455, 9000) + finance.RatioOf(545, 5000)
	if owed != 5183 {
		t.Fatalf("owed %d", owed)
	}
	if got := entityBal(t, tn.ID, bk.fr, finance.AcctDueFrom, &bk.hq); got != owed {
		t.Fatalf("franchisee's due-from HQ %d, want %d", got, owed)
	}
	if got := -entityBal(t, tn.ID, bk.hq, finance.AcctDueTo, &bk.fr); got != owed {
		t.Fatalf("HQ's due-to the franchisee %d, want %d", got, owed)
	}
	// HQ keeps the rest of the value as other income; the franchisee's revenue is the sale's.
	if got := -entityBal(t, tn.ID, bk.hq, finance.AcctOtherRevenue, nil); got != 6000-owed {
		t.Fatalf("HQ's other revenue %d, want %d", got, 6000-owed)
	}
	if got := -entityBal(t, tn.ID, bk.fr, finance.AcctRevenue, nil); got != finance.NetOfVAT(6000, 1300) {
		t.Fatalf("franchisee's revenue %d", got)
	}
	checkLots(t, tn.ID, "after the sale")

	// A repeated payment for the same sale returns the same breakdown.
	again, err := svc().PayStoredValue(ctx, tn.ID, m.ID, frStore, 6000, source("sale", "S1"))
	if err != nil || again.ID != pay.ID || len(again.Uses) != 1 || !sameValueUse(again.Uses[0], pay.Uses[0]) {
		t.Fatalf("repeated payment: %+v %v", again, err)
	}

	// Cash-out at the franchise store: the franchisee pays 45.45 out of its
	// till on HQ's behalf; HQ's liability goes, HQ owes the franchisee all of it.
	hqDue, frDue := -entityBal(t, tn.ID, bk.hq, finance.AcctDueTo, &bk.fr), entityBal(t, tn.ID, bk.fr, finance.AcctDueFrom, &bk.hq)
	frCash := entityBal(t, tn.ID, bk.fr, finance.AcctCash, nil)
	hqSelling := entityBal(t, tn.ID, bk.hq, finance.AcctSelling, nil)
	out, err := svc().CashOut(ctx, tn.ID, m.ID, &frStore, "cash", source("cash_out", "C1"))
	if err != nil || out.Principal != -4545 || out.Bonus != -455 || len(out.Uses) != 1 || *out.Uses[0].LoadedStoreID != hqStore {
		t.Fatalf("cash-out: %+v %v", out, err)
	}
	if liab(bk.hq) != 0 || liab(bk.fr) != 0 {
		t.Fatalf("after the cash-out HQ owes %d, the franchisee %d", liab(bk.hq), liab(bk.fr))
	}
	if got := -entityBal(t, tn.ID, bk.hq, finance.AcctDueTo, &bk.fr) - hqDue; got != 4545 {
		t.Fatalf("HQ's due-to the franchisee grew by %d, want 4545", got)
	}
	if got := entityBal(t, tn.ID, bk.fr, finance.AcctDueFrom, &bk.hq) - frDue; got != 4545 {
		t.Fatalf("franchisee's due-from HQ grew by %d, want 4545", got)
	}
	if got := entityBal(t, tn.ID, bk.fr, finance.AcctCash, nil) - frCash; got != -4545 {
		t.Fatalf("franchisee's cash moved by %d, want -4545", got)
	}
	if got := entityBal(t, tn.ID, bk.hq, finance.AcctSelling, nil) - hqSelling; got != -455 {
		t.Fatalf("HQ's selling expense moved by %d, want -455 (forfeited bonus written back)", got)
	}
	if n := env.Count(t, `SELECT count(*) FROM fin_entries WHERE tenant_id = $1 AND source_type = 'sv_cash_out' AND source_id = $2`, tn.ID, out.ID); n != 2 {
		t.Fatalf("%d cash-out entries, want one per entity", n)
	}
	checkLots(t, tn.ID, "after the cash-out")
}

// TestRefundReturnsValueToItsLots: a payment that took two lots (HQ's and
// the franchisee's) is refunded in part, the lot taken last first, and in
// full; value goes back where it came from.
func TestRefundReturnsValueToItsLots(t *testing.T) {
	tn := env.Signup(t)
	fr := env.CreateFranchisee(t, tn)
	hqStore, frStore := env.CreateStore(t, tn, nil), env.CreateStore(t, tn, &fr)
	ctx := context.Background()
	m := createMember(t, tn, newPhone(), nil)
	for i, st := range []*uuid.UUID{&hqStore, nil, &frStore} {
		if _, err := svc().TopUp(ctx, tn.ID, m.ID, st, 5000, "wechat", source("topup_order", string(rune('a'+i)))); err != nil {
			t.Fatal(err)
		}
	}
	pay, err := posSale(t, tn, m.ID, frStore, 12000, "S1")
	if err != nil {
		t.Fatal(err)
	}
	// Oldest first: HQ store 50, HQ online 50, franchise store 20.
	if len(pay.Uses) != 3 || *pay.Uses[0].LoadedStoreID != hqStore || pay.Uses[0].Principal != 5000 || pay.Uses[1].LoadedStoreID != nil ||
		pay.Uses[1].Principal != 5000 || *pay.Uses[2].LoadedStoreID != frStore || pay.Uses[2].Principal != 2000 {
		t.Fatalf("payment's breakdown: %+v", pay.Uses)
	}
	checkLots(t, tn.ID, "after the sale")
	ref, err := posReturn(t, tn, pay, 3000, "R1")
	if err != nil {
		t.Fatal(err)
	}
	if ref.Principal != 3000 || len(ref.Uses) != 2 || ref.Uses[0].LoadedStoreID != nil || ref.Uses[0].Principal != 1000 ||
		*ref.Uses[1].LoadedStoreID != frStore || ref.Uses[1].Principal != 2000 {
		t.Fatalf("refund's breakdown (the lot taken last first): %+v", ref.Uses)
	}
	checkLots(t, tn.ID, "after a partial refund")
	if _, err := posReturn(t, tn, pay, 9001, "R2"); err == nil {
		t.Fatal("refunded more than is left of the payment")
	}
	ref2, err := posReturn(t, tn, pay, 9000, "R3")
	if err != nil || len(ref2.Uses) != 2 || *ref2.Uses[0].LoadedStoreID != hqStore || ref2.Uses[0].Principal != 5000 ||
		ref2.Uses[1].LoadedStoreID != nil || ref2.Uses[1].Principal != 4000 {
		t.Fatalf("refund of the rest: %+v %v", ref2.Uses, err)
	}
	if n := env.Count(t, `SELECT count(*) FROM stored_value_lots WHERE tenant_id = $1 AND member_id = $2 AND remaining_principal = principal`, tn.ID, m.ID); n != 3 {
		t.Fatalf("%d of 3 lots are whole again", n)
	}
	checkLots(t, tn.ID, "after the full refund")
	if _, err := env.Owner.Exec(`UPDATE stored_value_lot_moves SET principal = 0 WHERE tenant_id = $1`, tn.ID); err == nil {
		t.Fatal("lot moves accepted an UPDATE")
	}
}

// TestRedeemPointsSplitPerEarningStore: points earned at an HQ store and a
// franchise store, redeemed at the franchise store across both lots; the
// value per earning store adds up to the entry's value and the sale posts
// with it.
func TestRedeemPointsSplitPerEarningStore(t *testing.T) {
	tn := env.Signup(t)
	fr := env.CreateFranchisee(t, tn)
	hqStore, frStore := env.CreateStore(t, tn, nil), env.CreateStore(t, tn, &fr)
	bk := entitiesOf(t, tn, frStore)
	ctx := context.Background()
	m := createMember(t, tn, newPhone(), nil)
	// 1 point per yuan: 333 points at HQ's store, then 500 at the franchise store.
	for i, e := range []struct {
		st     uuid.UUID
		amount int64
	}{{hqStore, 33300}, {frStore, 50000}} {
		if _, err := svc().EarnPoints(ctx, tn.ID, members.EarnInput{MemberID: m.ID, StoreID: e.st, Source: source("sale", string(rune('a'+i))),
			Lines: []members.EarnLine{{Amount: e.amount}}, At: time.Now().Add(time.Duration(i-2) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	var red members.PointsEntry
	err := env.Server.Pool.WithTx(ctx, tn.ID, func(ctx context.Context) error {
		var err error
		if red, err = svc().RedeemPoints(ctx, tn.ID, m.ID, frStore, 555, source("sale", "P1")); err != nil {
			return err
		}
		_, err = env.Server.Finance.PostSale(ctx, tn.ID, finance.SaleEvent{Source: doc.Of("sale", red.ID), StoreID: frStore, BusinessDate: time.Now(),
			Revenue: []finance.RevenueLine{{Gross: red.Value, VATRateBP: 1300}}, Points: red.PointsUses()})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// 555 points = 5.55 yuan: 333 from HQ's lot (3.33), 222 from the franchisee's (2.22).
	if red.Value != 555 || len(red.Uses) != 2 || *red.Uses[0].IssuedStoreID != hqStore || red.Uses[0].Points != 333 || red.Uses[0].Value != 333 ||
		*red.Uses[1].IssuedStoreID != frStore || red.Uses[1].Points != 222 || red.Uses[1].Value != 222 {
		t.Fatalf("redemption's breakdown: %+v", red)
	}
	if got := entityBal(t, tn.ID, bk.fr, finance.AcctDueFrom, &bk.hq); got != 333 {
		t.Fatalf("franchisee's due-from HQ for HQ's points %d, want 333", got)
	}
	again, err := svc().RedeemPoints(ctx, tn.ID, m.ID, frStore, 555, source("sale", "P1"))
	if err != nil || again.ID != red.ID || len(again.Uses) != 2 || *again.Uses[0].IssuedStoreID != *red.Uses[0].IssuedStoreID || again.Uses[0].Points != red.Uses[0].Points || again.Uses[0].Value != red.Uses[0].Value {
		t.Fatalf("repeated redemption: %+v %v", again, err)
	}
	// Values that do not divide evenly still add up to the entry's value.
	if _, err := svc().SetPointsRule(ctx, tn.ID, members.PointsRuleInput{PointsPerYuan: 1, Expiry: "never", PointsPerYuanOff: 300}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc().EarnPoints(ctx, tn.ID, members.EarnInput{MemberID: m.ID, StoreID: hqStore, Source: source("sale", "c"),
		Lines: []members.EarnLine{{Amount: 10000}}}); err != nil {
		t.Fatal(err)
	}
	odd, err := svc().RedeemPoints(ctx, tn.ID, m.ID, frStore, 377, source("sale", "P2"))
	if err != nil {
		t.Fatal(err)
	}
	var pts, val int64
	for _, u := range odd.Uses {
		pts, val = pts+u.Points, val+u.Value
	}
	if len(odd.Uses) != 2 || pts != 377 || val != odd.Value || odd.Value != 377*100/300 {
		t.Fatalf("uneven redemption: %+v", odd)
	}
}

// TestStoredValueLotsRandomMix: top-ups at stores of two entities and
// online, POS sales and returns posted with the breakdowns, cash-outs at any
// store or HQ, merges; after every step each entity's liabilities equal the
// open lots loaded at its stores, every entity balances, and every
// member's balances equal their lots.
func TestStoredValueLotsRandomMix(t *testing.T) {
	tn := env.Signup(t)
	fr := env.CreateFranchisee(t, tn)
	stores := []uuid.UUID{env.CreateStore(t, tn, nil), env.CreateStore(t, tn, nil), env.CreateStore(t, tn, &fr), env.CreateStore(t, tn, &fr)}
	setClearing(t, tn, fr, 9500, 3000, 10000)
	ctx := context.Background()
	if err := env.Server.Finance.EnsureEntities(ctx, tn.ID); err != nil {
		t.Fatal(err)
	}
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
	rng := rand.New(rand.NewPCG(seed, 11))
	methods := customerMethods()
	var pays []members.ValueEntry
	counts := map[string]int{}
	for i := 0; i < 120; i++ {
		m, st := ms[rng.IntN(len(ms))], stores[rng.IntN(len(stores))]
		src := uuid.NewString()
		var err error
		switch op := rng.IntN(20); {
		case op < 7:
			var at *uuid.UUID
			if rng.IntN(4) > 0 {
				at = &st
			}
			_, err = svc().TopUp(ctx, tn.ID, m, at, int64(1+rng.IntN(60000)), methods[rng.IntN(len(methods))], source("topup_order", src))
			counts["topup"]++
		case op < 13:
			var pay members.ValueEntry
			if pay, err = posSale(t, tn, m, st, int64(1+rng.IntN(30000)), src); err == nil {
				pays = append(pays, pay)
				counts["pay"]++
			}
		case op < 17 && len(pays) > 0:
			pay := pays[rng.IntN(len(pays))]
			_, err = posReturn(t, tn, pay, int64(1+rng.IntN(int(-pay.Principal-pay.Bonus))), src)
			counts["refund"]++
		case op < 19:
			var at *uuid.UUID
			if rng.IntN(3) > 0 {
				at = &st
			}
			_, err = svc().CashOut(ctx, tn.ID, m, at, methods[rng.IntN(len(methods))], source("cash_out", src))
			counts["cash_out"]++
		default:
			if len(ms) > 2 {
				into, from := ms[0], ms[len(ms)-1]
				if _, err = svc().Merge(ctx, tn.ID, into, from); err == nil {
					ms = ms[:len(ms)-1]
					counts["merge"]++
				}
			}
		}
		if err != nil {
			counts["refused"]++
		}
		checkLots(t, tn.ID, "step "+src)
	}
	t.Logf("operations: %v", counts)
	if counts["topup"] == 0 || counts["pay"] == 0 {
		t.Fatalf("the mix lacked top-ups or payments: %v", counts)
	}
	// Value did cross entities (a sale or cash-out took value loaded by another entity).
	if n := env.Count(t, `SELECT count(*) FROM fin_lines WHERE tenant_id = $1 AND counter_entity_id IS NOT NULL`, tn.ID); n == 0 && counts["pay"] > 5 {
		t.Fatalf("no inter-entity clearing after %v", counts)
	}
}
