package promotions_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/doc"
	"chainstore/modules/promotions"
)

// InForce honours status, window (dates, weekdays, hours in the store's
// zone) and store scope.
func TestInForceHonoursStatusWindowAndScope(t *testing.T) {
	c := newChain(t)
	sh, _ := time.LoadLocation("Asia/Shanghai")
	// Saturday 2026-03-07 12:30 in Shanghai.
	at := time.Date(2026, 3, 7, 12, 30, 0, 0, sh)
	all := c.active(t, spend("全场满减", 10000, 1000))
	draft := create(t, c.AdminToken, spend("草稿", 10000, 1000))
	paused := c.active(t, spend("暂停", 10000, 1000))
	want(t, do(t, http.MethodPost, "/api/v1/promotions/"+paused.ID.String()+"/pause", c.AdminToken, nil), 200, "")
	ended := c.active(t, spend("结束", 10000, 1000))
	want(t, do(t, http.MethodPost, "/api/v1/promotions/"+ended.ID.String()+"/end", c.AdminToken, nil), 200, "")
	future := c.active(t, with(spend("未开始", 10000, 1000), "window", map[string]any{"starts": "2026-03-08T00:00:00+08:00"}))
	past := c.active(t, with(spend("已过期", 10000, 1000), "window", map[string]any{"ends": "2026-03-07T12:30:00+08:00"}))
	weekend := c.active(t, with(spend("周末", 10000, 1000), "window", map[string]any{"weekdays": []int{0, 6}}))
	weekday := c.active(t, with(spend("工作日", 10000, 1000), "window", map[string]any{"weekdays": []int{1, 2, 3, 4, 5}}))
	lunch := c.active(t, with(spend("午市", 10000, 1000), "window", map[string]any{"times": []any{map[string]any{"from": 690, "to": 810}}}))
	night := c.active(t, with(spend("夜宵", 10000, 1000), "window", map[string]any{"times": []any{map[string]any{"from": 1320, "to": 120}}}))
	listed := c.active(t, with(spend("指定门店", 10000, 1000), "stores", map[string]any{"scope": "list", "ids": []string{c.direct.String()}}))
	directOnly := c.active(t, with(spend("直营店", 10000, 1000), "stores", map[string]any{"scope": "direct"}))
	franchiseOnly := c.active(t, with(spend("加盟店", 10000, 1000), "stores", map[string]any{"scope": "franchise"}))
	budget := c.active(t, with(spend("有预算", 10000, 1000), "budget", 5000))

	got := c.inForce(t, svc(), c.direct, at)
	for _, d := range []promotions.Definition{all, weekend, lunch, listed, directOnly, budget} {
		if _, ok := got[d.ID]; !ok {
			t.Errorf("%s is not in force in the listed direct store", d.Name)
		}
	}
	for _, d := range []promotions.Definition{draft, paused, ended, future, past, weekday, night, franchiseOnly} {
		if _, ok := got[d.ID]; ok {
			t.Errorf("%s is in force in the direct store", d.Name)
		}
	}
	if p := got[budget.ID]; p.RemainingBudget == nil || *p.RemainingBudget != 5000 || got[all.ID].RemainingBudget != nil {
		t.Errorf("remaining budgets: %v / %v", p.RemainingBudget, got[all.ID].RemainingBudget)
	}
	other := c.inForce(t, svc(), c.direct2, at)
	if _, ok := other[listed.ID]; ok {
		t.Error("a listed promotion applies in another store")
	}
	fr := c.inForce(t, svc(), c.fs1, at)
	if _, ok := fr[franchiseOnly.ID]; !ok {
		t.Error("a franchise-scope promotion is not in force in a franchise store")
	}
	if _, ok := fr[directOnly.ID]; ok {
		t.Error("a direct-scope promotion applies in a franchise store")
	}
	// The same wall clock read in the store's own zone: 04:30 UTC is 12:30 in Shanghai.
	if _, ok := c.inForce(t, svc(), c.direct, at.UTC())[lunch.ID]; !ok {
		t.Error("the lunch window is not read on the store's wall clock")
	}
	// 23:00 on Saturday: the night window.
	if _, ok := c.inForce(t, svc(), c.direct, time.Date(2026, 3, 7, 23, 0, 0, 0, sh))[night.ID]; !ok {
		t.Error("the night window does not run past 22:00")
	}
	// And the engine prices with it: 满100减10 on ¥120.
	ps, err := svc().InForce(context.Background(), c.ID, c.facts(t, c.direct), at)
	if err != nil {
		t.Fatal(err)
	}
	var only []promotions.Promotion
	for _, p := range ps {
		if p.ID == all.ID {
			only = append(only, p)
		}
	}
	res, err := promotions.Price(promotions.Sale{StoreID: c.direct, StoreType: promotions.StoreDirect, Local: at,
		Lines: []promotions.Line{{SKUID: uuid.New(), Qty: 1000, UnitPrice: 12000}}}, only, nil)
	if err != nil || res.Discount != 1000 || res.Total != 11000 {
		t.Fatalf("priced %+v %v", res, err)
	}
}

// A change made through one instance reaches another's warm copy at once
// (the Redis notice), well inside the copy's TTL.
func TestInForceSeesAnotherInstancesChangeAtOnce(t *testing.T) {
	c := newChain(t)
	p := c.active(t, spend("满100减20", 10000, 2000))
	other := env.Another(t, nil)
	warm := other.Server.Promotions
	now := time.Now()
	if _, ok := c.inForce(t, warm, c.direct, now)[p.ID]; !ok {
		t.Fatal("not in force on the other instance")
	}
	begun := other.Server.Pool.Begun()
	for i := 0; i < 50; i++ {
		c.inForce(t, warm, c.direct, now)
	}
	if n := other.Server.Pool.Begun() - begun; n != 0 {
		t.Fatalf("warm InForce calls started %d transactions", n)
	}
	want(t, do(t, http.MethodPost, "/api/v1/promotions/"+p.ID.String()+"/pause", c.AdminToken, nil), 200, "")
	deadline := time.Now().Add(2 * time.Second) // the TTL is 10 s: only the notice explains it
	for {
		if _, ok := c.inForce(t, warm, c.direct, now)[p.ID]; !ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the other instance still prices with a paused promotion")
		}
		time.Sleep(20 * time.Millisecond)
	}
	// And a new one appears there too.
	q := c.active(t, spend("满200减50", 20000, 5000))
	deadline = time.Now().Add(2 * time.Second)
	for {
		if _, ok := c.inForce(t, warm, c.direct, now)[q.ID]; ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the other instance does not see a new promotion")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Concurrent sales against a small budget never overspend it, and the
// ledger adds up to what was spent.
func TestBudgetNeverOverspendsUnderConcurrency(t *testing.T) {
	c := newChain(t)
	p := c.active(t, with(spend("限额满减", 10000, 2000), "budget", 10000)) // five sales' worth
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, refused := 0, 0
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.consume(consumption(c.direct, nil, 1000, applied{promotion: p.ID, discount: 2000}))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case errors.Is(err, promotions.ErrBudgetExhausted):
				refused++
			default:
				t.Errorf("consume: %v", err)
			}
		}()
	}
	wg.Wait()
	if ok != 5 || refused != 15 {
		t.Fatalf("%d consumed and %d refused; want 5 and 15", ok, refused)
	}
	discount, charged := c.ledger(t, p.ID)
	if spent := c.spent(t, p.ID); spent != 10000 || charged != spent || discount != spent {
		t.Fatalf("spent %d, ledger charged %d, discount %d", spent, charged, discount)
	}
	// The POS reprices with what is left: nothing.
	if got := c.inForce(t, svc(), c.direct, time.Now())[p.ID]; got.RemainingBudget == nil || *got.RemainingBudget != 0 {
		t.Fatalf("remaining after the refusals: %v", got.RemainingBudget)
	}
	// An offline upload is accepted past the budget, and flagged.
	in := consumption(c.direct, nil, 1000, applied{promotion: p.ID, discount: 2000})
	in.Offline = true
	out, err := c.consume(in)
	if err != nil || len(out.Over) != 1 || out.Over[0].Why != promotions.OverBudget || out.Over[0].PromotionID != p.ID {
		t.Fatalf("offline: %+v %v", out, err)
	}
	if spent := c.spent(t, p.ID); spent != 12000 {
		t.Fatalf("spent %d after the offline upload", spent)
	}
	if n := env.Count(t, `SELECT count(*) FROM promotion_usage WHERE tenant_id = $1 AND over = 'budget'`, c.ID); n != 1 {
		t.Fatalf("%d flagged rows", n)
	}
}

func TestPerMemberLimit(t *testing.T) {
	c := newChain(t)
	p := c.active(t, with(spend("每人两次", 10000, 1000), "per_member_limit", 2))
	m := c.member(t)
	left := func() int {
		t.Helper()
		var out map[uuid.UUID]int
		err := env.Server.Pool.WithTx(context.Background(), c.ID, func(ctx context.Context) error {
			var err error
			out, err = svc().MemberUsesLeft(ctx, c.ID, m, []uuid.UUID{p.ID, uuid.New()})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(out) != 1 {
			t.Fatalf("uses left %v", out)
		}
		return out[p.ID]
	}
	if left() != 2 {
		t.Fatal("a new member does not have two uses")
	}
	var first promotions.Consumption
	for i := 0; i < 2; i++ {
		in := consumption(c.direct, &m, 1000, applied{promotion: p.ID, discount: 1000})
		if i == 0 {
			first = in
		}
		if _, err := c.consume(in); err != nil {
			t.Fatal(err)
		}
	}
	if left() != 0 {
		t.Fatalf("%d uses left after two", left())
	}
	_, err := c.consume(consumption(c.direct, &m, 1000, applied{promotion: p.ID, discount: 1000}))
	if !errors.Is(err, promotions.ErrMemberLimit) {
		t.Fatalf("a third use: %v", err)
	}
	// A walk-in customer is not limited.
	if _, err := c.consume(consumption(c.direct, nil, 1000, applied{promotion: p.ID, discount: 1000})); err != nil {
		t.Fatal(err)
	}
	// Voiding a sale gives the use back.
	if _, err := c.release(first.Doc, doc.Of(doc.Void, uuid.Must(uuid.NewV7())), promotions.Share{Void: true}); err != nil {
		t.Fatal(err)
	}
	if left() != 1 {
		t.Fatalf("%d uses left after a void", left())
	}
}

// Exactly one of twenty concurrent redemptions of one coupon succeeds.
func TestCouponIsSingleUseUnderConcurrency(t *testing.T) {
	c := newChain(t)
	b := memberBatch(t, c, 10)
	m := c.member(t)
	cp := issue(t, c, b.ID, m)[0]
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, used := 0, 0
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.consume(consumption(c.direct, &m, 1000, applied{promotion: b.ID, coupon: &cp.ID, discount: 1000}))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case errors.Is(err, promotions.ErrCouponUsed):
				used++
			default:
				t.Errorf("consume: %v", err)
			}
		}()
	}
	wg.Wait()
	if ok != 1 || used != 19 {
		t.Fatalf("%d redeemed and %d refused; want 1 and 19", ok, used)
	}
	if n := env.Count(t, `SELECT count(*) FROM promotion_usage WHERE tenant_id = $1 AND coupon_id = $2`, c.ID, cp.ID); n != 1 {
		t.Fatalf("%d ledger rows for the coupon", n)
	}
	var got promotions.IssuedCoupon
	do(t, http.MethodGet, "/api/v1/coupons/"+cp.Code, c.AdminToken, nil).JSON(t, &got)
	if got.Status != "redeemed" || got.State != "used" || got.RedeemedDocID == nil || got.RedeemedStoreID == nil || *got.RedeemedStoreID != c.direct {
		t.Fatalf("after redemption %+v", got)
	}
	var bb promotions.Batch
	do(t, http.MethodGet, "/api/v1/coupon-batches/"+b.ID.String(), c.AdminToken, nil).JSON(t, &bb)
	if bb.Counts.Redeemed != 1 || bb.Counts.Discount != 1000 {
		t.Fatalf("batch counts %+v", bb.Counts)
	}
}

// CouponsFor refuses what cannot be priced, each with its reason; Consume
// refuses a coupon that stopped being redeemable with its code.
func TestCouponRefusals(t *testing.T) {
	c := newChain(t)
	b := memberBatch(t, c, 10)
	m1, m2 := c.member(t), c.member(t)
	mine, voided, used := issue(t, c, b.ID, m1)[0], issue(t, c, b.ID, m1)[0], issue(t, c, b.ID, m1)[0]
	want(t, do(t, http.MethodPost, "/api/v1/coupons/"+voided.Code+"/void", c.AdminToken, nil), 200, "")
	if _, err := c.consume(consumption(c.direct, &m1, 1000, applied{promotion: b.ID, coupon: &used.ID, discount: 1000})); err != nil {
		t.Fatal(err)
	}
	ask := func(member *uuid.UUID, at time.Time, codes ...string) ([]promotions.Coupon, map[string]promotions.RefuseWhy) {
		t.Helper()
		var ok []promotions.Coupon
		why := map[string]promotions.RefuseWhy{}
		err := env.Server.Pool.WithTx(context.Background(), c.ID, func(ctx context.Context) error {
			cs, refused, err := svc().CouponsFor(ctx, c.ID, codes, member, at)
			ok = cs
			for _, r := range refused {
				if r.Reason == "" || r.ReasonEn == "" {
					t.Errorf("refusal without a reason: %+v", r)
				}
				why[r.Code] = r.Why
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return ok, why
	}
	now := time.Now()
	ok, why := ask(&m1, now, mine.Code, voided.Code, used.Code, "ZZZZZZZZZZZZ", "!")
	if len(ok) != 1 || ok[0].ID != mine.ID || ok[0].Promotion.ID != b.ID || ok[0].Promotion.Kind != promotions.KindCouponAmount ||
		ok[0].Promotion.Rule.Amount != 1000 || ok[0].Promotion.Rule.Threshold != 5000 {
		t.Fatalf("usable %+v, refused %v", ok, why)
	}
	for code, w := range map[string]promotions.RefuseWhy{voided.Code: promotions.RefuseVoid, used.Code: promotions.RefuseUsed,
		"ZZZZZZZZZZZZ": promotions.RefuseUnknown, "!": promotions.RefuseUnknown} {
		if why[code] != w {
			t.Errorf("%s refused as %q, want %q", code, why[code], w)
		}
	}
	if _, why := ask(&m2, now, mine.Code); why[mine.Code] != promotions.RefuseOtherMember {
		t.Errorf("another member's coupon: %q", why[mine.Code])
	}
	if _, why := ask(nil, now, mine.Code); why[mine.Code] != promotions.RefuseMemberRequired {
		t.Errorf("a member's coupon without the member: %q", why[mine.Code])
	}
	if _, why := ask(&m1, now.AddDate(0, 0, 31), mine.Code); why[mine.Code] != promotions.RefuseExpired {
		t.Errorf("an expired coupon: %q", why[mine.Code])
	}
	// The engine uses what CouponsFor gives it: 满50减10 on ¥60.
	res, err := promotions.Price(promotions.Sale{StoreID: c.direct, StoreType: promotions.StoreDirect, Local: now,
		Customer: promotions.Customer{MemberID: &m1}, Lines: []promotions.Line{{SKUID: uuid.New(), Qty: 1000, UnitPrice: 6000}}}, nil, ok)
	if err != nil || res.Discount != 1000 || len(res.Applied) != 1 || *res.Applied[0].CouponID != mine.ID {
		t.Fatalf("priced %+v %v", res, err)
	}
	// Consume refuses with the coupon's code.
	for _, tc := range []struct {
		coupon uuid.UUID
		member *uuid.UUID
		err    error
	}{
		{voided.ID, &m1, promotions.ErrCouponVoid},
		{used.ID, &m1, promotions.ErrCouponUsed},
		{mine.ID, &m2, promotions.ErrCouponOtherMember},
	} {
		_, err := c.consume(consumption(c.direct, tc.member, 1000, applied{promotion: b.ID, coupon: &tc.coupon, discount: 1000}))
		if !errors.Is(err, tc.err) {
			t.Errorf("consume %s: %v, want %v", tc.coupon, err, tc.err)
		}
	}
	late := consumption(c.direct, &m1, 1000, applied{promotion: b.ID, coupon: &mine.ID, discount: 1000})
	late.Sale.Local = now.AddDate(0, 0, 31)
	if _, err := c.consume(late); !errors.Is(err, promotions.ErrCouponExpired) {
		t.Errorf("consume an expired coupon: %v", err)
	}
	// Offline, a used coupon is accepted and flagged, and stays as it was.
	off := consumption(c.direct, &m1, 1000, applied{promotion: b.ID, coupon: &used.ID, discount: 1000})
	off.Offline = true
	out, err := c.consume(off)
	if err != nil || len(out.Over) != 1 || out.Over[0].Why != promotions.OverCouponUsed || *out.Over[0].CouponID != used.ID {
		t.Fatalf("offline used coupon: %+v %v", out, err)
	}
}

// A retried sale consumes nothing twice; the same document with other
// promotions is refused.
func TestConsumeIsIdempotentPerSale(t *testing.T) {
	c := newChain(t)
	p := c.active(t, with(with(spend("满减", 10000, 1000), "budget", 100000), "per_member_limit", 5))
	m := c.member(t)
	cp := issue(t, c, memberBatch(t, c, 1).ID, m)[0]
	in := consumption(c.direct, &m, 3000, applied{promotion: p.ID, discount: 1000}, applied{promotion: cp.BatchID, coupon: &cp.ID, discount: 1000})
	first, err := c.consume(in)
	if err != nil || first.Replayed {
		t.Fatalf("first: %+v %v", first, err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 5; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if out, err := c.consume(in); err != nil || !out.Replayed {
				t.Errorf("retry: %+v %v", out, err)
			}
		}()
	}
	wg.Wait()
	if spent := c.spent(t, p.ID); spent != 1000 {
		t.Fatalf("spent %d after retries", spent)
	}
	if n := env.Count(t, `SELECT uses FROM promotion_member_uses WHERE tenant_id = $1`, c.ID); n != 1 {
		t.Fatalf("%d uses after retries", n)
	}
	if n := env.Count(t, `SELECT count(*) FROM promotion_usage WHERE tenant_id = $1`, c.ID); n != 2 {
		t.Fatalf("%d ledger rows after retries", n)
	}
	var units int64
	if err := env.Owner.QueryRow(`SELECT units FROM promotion_usage WHERE tenant_id = $1 AND promotion_id = $2`, c.ID, p.ID).Scan(&units); err != nil || units != 3000 {
		t.Fatalf("units %d %v", units, err)
	}
	other := in
	other.Result.Applied = append([]promotions.Applied(nil), in.Result.Applied[:1]...)
	other.Result.Applied[0].Discount = 900
	if _, err := c.consume(other); !errors.Is(err, promotions.ErrSaleReused) {
		t.Fatalf("the same sale with another discount: %v", err)
	}
	// A sale naming another chain's promotion is refused and writes nothing.
	foreign := newChain(t).active(t, spend("别家", 100, 1))
	if _, err := c.consume(consumption(c.direct, nil, 1000, applied{promotion: foreign.ID, discount: 1})); !errors.Is(err, promotions.ErrBadConsumption) {
		t.Fatalf("another chain's promotion: %v", err)
	}
	nostore := consumption(uuid.Nil, nil, 1000, applied{promotion: p.ID, discount: 1})
	if _, err := c.consume(nostore); !errors.Is(err, promotions.ErrBadConsumption) {
		t.Fatalf("a sale without a store: %v", err)
	}
	if n := env.Count(t, `SELECT count(*) FROM promotion_sales WHERE tenant_id = $1`, c.ID); n != 1 {
		t.Fatalf("%d sales recorded", n)
	}
}

// A return gives the returned share back to the budget, coupons staying
// used; a void gives everything back and re-issues the coupons; each
// reversal releases once.
func TestReleaseGivesBack(t *testing.T) {
	c := newChain(t)
	p := c.active(t, with(with(spend("满减", 10000, 2000), "budget", 100000), "per_member_limit", 3))
	m := c.member(t)
	cp := issue(t, c, memberBatch(t, c, 1).ID, m)[0]
	in := consumption(c.direct, &m, 4000, applied{promotion: p.ID, discount: 2000}, applied{promotion: cp.BatchID, coupon: &cp.ID, discount: 1000})
	if _, err := c.consume(in); err != nil {
		t.Fatal(err)
	}
	ret := doc.Of(doc.Return, uuid.Must(uuid.NewV7()))
	share := promotions.Share{Returned: []promotions.ReturnedDiscount{{PromotionID: p.ID, Discount: 500, Units: 1000},
		{PromotionID: cp.BatchID, CouponID: &cp.ID, Discount: 250, Units: 1000}}}
	out, err := c.release(in.Doc, ret, share)
	if err != nil || out.Budget != 500 || out.Discount != 750 || out.Coupons != 0 || out.Uses != 0 {
		t.Fatalf("return: %+v %v", out, err)
	}
	if again, err := c.release(in.Doc, ret, share); err != nil || !again.Replayed {
		t.Fatalf("the return again: %+v %v", again, err)
	}
	if spent := c.spent(t, p.ID); spent != 1500 {
		t.Fatalf("spent %d after the return", spent)
	}
	var got promotions.IssuedCoupon
	do(t, http.MethodGet, "/api/v1/coupons/"+cp.Code, c.AdminToken, nil).JSON(t, &got)
	if got.Status != "redeemed" {
		t.Fatalf("the coupon after a return: %s", got.Status)
	}
	void := doc.Of(doc.Void, uuid.Must(uuid.NewV7()))
	out, err = c.release(in.Doc, void, promotions.Share{Void: true})
	if err != nil || out.Budget != 1500 || out.Discount != 2250 || out.Coupons != 1 || out.Uses != 1 {
		t.Fatalf("void: %+v %v", out, err)
	}
	if spent := c.spent(t, p.ID); spent != 0 {
		t.Fatalf("spent %d after the void", spent)
	}
	discount, charged := c.ledger(t, p.ID)
	if discount != 0 || charged != 0 {
		t.Fatalf("ledger after the void: discount %d, charged %d", discount, charged)
	}
	do(t, http.MethodGet, "/api/v1/coupons/"+cp.Code, c.AdminToken, nil).JSON(t, &got)
	if got.Status != "issued" || got.State != "available" || got.RedeemedAt != nil {
		t.Fatalf("the coupon after a void: %+v", got)
	}
	if n := env.Count(t, `SELECT uses FROM promotion_member_uses WHERE tenant_id = $1`, c.ID); n != 0 {
		t.Fatalf("%d uses after the void", n)
	}
	// A second void (another document) finds nothing left.
	out, err = c.release(in.Doc, doc.Of(doc.Void, uuid.Must(uuid.NewV7())), promotions.Share{Void: true})
	if err != nil || out.Discount != 0 || out.Budget != 0 || out.Coupons != 0 || out.Uses != 0 {
		t.Fatalf("a second void: %+v %v", out, err)
	}
	// The coupon can be used again, and a sale that consumed nothing releases nothing.
	if _, err := c.consume(consumption(c.direct, &m, 1000, applied{promotion: cp.BatchID, coupon: &cp.ID, discount: 1000})); err != nil {
		t.Fatalf("the re-issued coupon: %v", err)
	}
	if out, err := c.release(doc.Of(doc.Sale, uuid.New()), doc.Of(doc.Void, uuid.New()), promotions.Share{Void: true}); err != nil || out != (promotions.Released{}) {
		t.Fatalf("an unknown sale: %+v %v", out, err)
	}
	// The effect nets the void out.
	var e promotions.Effect
	r := do(t, http.MethodGet, "/api/v1/promotions/"+p.ID.String()+"/effect", c.AdminToken, nil)
	want(t, r, 200, "")
	r.JSON(t, &e)
	if e.Sales != 0 || e.Discount != 0 || e.Units != 0 || len(e.Days) != 1 {
		t.Fatalf("effect %+v", e)
	}
}

func TestEffect(t *testing.T) {
	c := newChain(t)
	p := c.active(t, spend("满减", 10000, 2000))
	m := c.member(t)
	for i, member := range []*uuid.UUID{&m, &m, nil} {
		in := consumption(c.direct, member, int64(1000*(i+1)), applied{promotion: p.ID, discount: 2000})
		in.BusinessDate = time.Date(2026, 3, 1+i%2, 0, 0, 0, 0, time.UTC)
		if _, err := c.consume(in); err != nil {
			t.Fatal(err)
		}
	}
	var e promotions.Effect
	r := do(t, http.MethodGet, "/api/v1/promotions/"+p.ID.String()+"/effect?from=2026-03-01&to=2026-03-31", c.AdminToken, nil)
	want(t, r, 200, "")
	r.JSON(t, &e)
	if e.Sales != 3 || e.Members != 1 || e.Discount != 6000 || e.Units != 6000 || len(e.Days) != 2 ||
		e.Days[0].Date != "2026-03-01" || e.Days[0].Sales != 2 || e.Days[0].Discount != 4000 || e.Days[1].Units != 2000 {
		t.Fatalf("effect %+v", e)
	}
	want(t, do(t, http.MethodGet, "/api/v1/promotions/"+p.ID.String()+"/effect?from=March", c.AdminToken, nil), 400, "request.bad_query")
}
