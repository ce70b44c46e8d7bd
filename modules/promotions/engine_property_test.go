package promotions

import (
	"math/rand"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/money"
)

// bytesCase decodes any bytes into a valid sale with promotions and coupons
// (some of which may be invalid or inapplicable): the fuzz target and the
// property tests share it. Past the end it reads zeros.
type bytesCase struct {
	data []byte
	at   int
}

func (d *bytesCase) b() int {
	if d.at >= len(d.data) {
		return 0
	}
	d.at++
	return int(d.data[d.at-1])
}

func (d *bytesCase) pick(n int) int { return d.b() % n }

var (
	poolSKUs = []sku{cola, juice, chips, milk.mp(1100), apple, beef, soap, gift, cola.mp(280)}
	poolCats = []uuid.UUID{catRoot, catFood, catDrinks, catSnacks, catFresh, catHome}
	kindsAll = []Kind{KindSpecialPrice, KindMemberPrice, KindPercentOff, KindAmountOff, KindTierDiscount, KindBuyNGetM,
		KindNthItem, KindBundle, KindSpendAmountOff, KindSpendPercentOff}
	roundings = []money.Rounding{money.RoundFen, money.RoundDownJiao, money.RoundDownYuan, money.RoundJiao}
)

func (d *bytesCase) decode(maxPromos, maxCoupons int) (Sale, []Promotion, []Coupon) {
	s := sale(nil)
	for range d.pick(7) {
		k := poolSKUs[d.pick(len(poolSKUs))]
		if d.pick(4) == 0 {
			k = k.at(int64(d.b() * d.b()))
		}
		var l Line
		if k.weighed {
			l = k.g(int64(1 + d.b()*d.b()%5000))
		} else {
			l = k.n(int64(1 + d.pick(5)))
			if d.pick(10) == 0 {
				l.Qty += 500 // half a unit: not a unit for quantity kinds
			}
		}
		s.Lines = append(s.Lines, l)
	}
	s.Lines = lines(s.Lines...)
	s.Rounding = roundings[d.pick(len(roundings))]
	switch d.pick(3) {
	case 1:
		s.Customer = memberOf(gold)
	case 2:
		s.Customer = memberOf(silver)
	}
	if d.pick(3) == 0 {
		s.StoreType, s.StoreID = StoreFranchise, storeB
	}
	var ps []Promotion
	for i := range d.pick(maxPromos + 1) {
		ps = append(ps, d.promotion(pid(i+1), kindsAll[d.pick(len(kindsAll))]))
	}
	var cs []Coupon
	for i := range d.pick(maxCoupons + 1) {
		p := d.promotion(tid(1+d.pick(3)), []Kind{KindCouponAmount, KindCouponPercent}[d.pick(2)])
		cs = append(cs, Coupon{ID: cid(i + 1), Code: "C", Promotion: p})
	}
	return s, ps, cs
}

func (d *bytesCase) promotion(id uuid.UUID, k Kind) Promotion {
	p := Promotion{ID: id, Name: "促销", NameEn: "promo", Kind: k, Priority: d.pick(3), Exclusive: d.pick(5) == 0,
		Group: []string{"", "", "a", "b"}[d.pick(4)]}
	switch d.pick(5) {
	case 1:
		p.Items.SKUs = []uuid.UUID{poolSKUs[d.pick(len(poolSKUs))].id, poolSKUs[d.pick(len(poolSKUs))].id}
	case 2:
		p.Items.Categories = []uuid.UUID{poolCats[d.pick(len(poolCats))]}
	case 3:
		p.Items.Brands = []uuid.UUID{brandCoke}
	case 4:
		p.Items.ExcludeCategories = []uuid.UUID{poolCats[d.pick(len(poolCats))]}
	}
	r := &p.Rule
	r.OffBP = int64(1 + d.b()*d.b()%10000)
	r.Amount = int64(1 + d.b()*d.b()/8)
	r.Price = int64(d.b() * d.b() / 16)
	r.N, r.M = int64(1+d.pick(3)), int64(1+d.pick(2))
	if k == KindNthItem {
		r.N++
	}
	r.Threshold = int64(d.b() * d.b() / 4)
	if d.pick(3) == 0 {
		r.MaxOff = int64(1 + d.b()*4)
	}
	for range 1 + d.pick(3) {
		r.Steps = append(r.Steps, Step{Threshold: int64(d.b() * d.b() / 4), Off: int64(1 + d.b()*8), OffBP: int64(1 + d.b()*30)})
	}
	if k == KindSpendAmountOff && d.pick(4) == 0 {
		r.Repeat, r.Steps = true, r.Steps[:1]
		r.Steps[0].Threshold++
	}
	for range 1 + d.pick(2) {
		r.Components = append(r.Components, Component{Units: int64(1 + d.pick(2)),
			Items: Items{SKUs: []uuid.UUID{poolSKUs[d.pick(len(poolSKUs))].id}}})
	}
	switch {
	case (k == KindSpecialPrice || k == KindPercentOff || k == KindAmountOff) && d.pick(4) == 0:
		r.LimitQty = int64(1 + d.b()*20)
	case (k == KindBuyNGetM || k == KindNthItem || k == KindBundle) && d.pick(4) == 0:
		r.LimitSets = int64(1 + d.pick(3))
	}
	r.SameSKU = d.pick(4) == 0
	switch d.pick(8) {
	case 0:
		b := int64(d.b() * 3)
		p.RemainingBudget = &b
	case 1:
		n := d.pick(2)
		p.MemberUsesLeft = &n
	case 2:
		p.Window = Window{Ends: wed10} // over
	case 3:
		p.Stores = Stores{Scope: []StoreScope{StoresDirect, StoresFranchise, StoresList}[d.pick(3)], IDs: []uuid.UUID{storeA}}
	case 4:
		p.Audience = Audience{Tiers: []uuid.UUID{gold}}
	case 5:
		p.Rule.OffBP = 0 // invalid for percent kinds
	}
	return p
}

// checkCase asserts the properties of one case; it is the fuzz target's body.
func checkCase(t *testing.T, s Sale, ps []Promotion, cs []Coupon) {
	t.Helper()
	r, err := Price(s, ps, cs)
	if err != nil {
		t.Fatalf("Price: %v", err)
	}
	if msg := invariants(s, r); msg != "" {
		t.Fatalf("invariant: %s", msg)
	}
	for _, p := range ps {
		if one, _ := Price(s, []Promotion{p}, nil); one.Total < r.Total {
			t.Fatalf("promotion %s alone: %d, better than the best %d", p.ID, one.Total, r.Total)
		}
	}
	for _, c := range cs {
		if one, _ := Price(s, nil, []Coupon{c}); one.Total < r.Total {
			t.Fatalf("coupon %s alone: %d, better than the best %d", c.ID, one.Total, r.Total)
		}
	}
	rp, rc := slices.Clone(ps), slices.Clone(cs)
	slices.Reverse(rp)
	if len(rc) > 1 && rc[0].ID != rc[len(rc)-1].ID {
		rc[0], rc[len(rc)-1] = rc[len(rc)-1], rc[0]
	}
	if again, _ := Price(s, rp, rc); !reflect.DeepEqual(again, r) {
		t.Fatalf("the order of the promotions changed the result:\n%+v\n%+v", r, again)
	}
	used := map[uuid.UUID]bool{}
	for _, a := range r.Applied {
		if a.CouponID != nil {
			used[*a.CouponID] = true
		}
	}
	templates := map[uuid.UUID]bool{}
	for _, a := range r.Applied {
		if a.CouponID != nil {
			if templates[a.PromotionID] {
				t.Fatalf("two coupons of template %s used", a.PromotionID)
			}
			templates[a.PromotionID] = true
		}
	}
	for _, u := range r.UnusedCoupons {
		if used[u.CouponID] && u.Why != WhyDuplicate {
			t.Fatalf("coupon %s both used and unused (%s)", u.CouponID, u.Why)
		}
		if u.Reason == "" || u.ReasonEn == "" {
			t.Fatalf("unused coupon %s without a reason", u.CouponID)
		}
	}
	if len(used)+len(r.UnusedCoupons) != len(cs) {
		t.Fatalf("%d coupons presented, %d used, %d returned", len(cs), len(used), len(r.UnusedCoupons))
	}
}

func randomBytes(rng *rand.Rand, n int) []byte {
	b := make([]byte, n)
	rng.Read(b)
	return b
}

// TestPriceProperties: many random carts and promotion sets, fixed seeds.
func TestPriceProperties(t *testing.T) {
	for seed := int64(1); seed <= 3; seed++ {
		rng := rand.New(rand.NewSource(seed))
		for i := range 700 {
			d := &bytesCase{data: randomBytes(rng, 400)}
			s, ps, cs := d.decode(8, 3)
			checkCase(t, s, ps, cs)
			if t.Failed() {
				t.Fatalf("seed %d case %d", seed, i)
			}
		}
	}
}

// TestBestBeatsEverySubset compares the search with pricing every subset of
// a small set of promotions and coupons on its own.
func TestBestBeatsEverySubset(t *testing.T) {
	rng := rand.New(rand.NewSource(42))
	for i := range 300 {
		d := &bytesCase{data: randomBytes(rng, 400)}
		s, ps, cs := d.decode(4, 2)
		best, err := Price(s, ps, cs)
		if err != nil {
			t.Fatal(err)
		}
		n := len(ps) + len(cs)
		for mask := range 1 << n {
			var sp []Promotion
			var sc []Coupon
			for j := range n {
				if mask&(1<<j) != 0 {
					if j < len(ps) {
						sp = append(sp, ps[j])
					} else {
						sc = append(sc, cs[j-len(ps)])
					}
				}
			}
			if sub, _ := Price(s, sp, sc); sub.Total < best.Total {
				t.Fatalf("case %d: subset %b totals %d, better than the best %d", i, mask, sub.Total, best.Total)
			}
		}
	}
}

// TestBoundedSearch: past exhaustiveLimit candidates the answer is still
// never worse than any single one, and deterministic.
func TestBoundedSearch(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	big := 0
	for range 60 {
		d := &bytesCase{data: randomBytes(rng, 1500)}
		s, _, _ := d.decode(0, 0)
		s.Lines = lines(cola.n(3), juice.n(2), chips.n(1), milk.mp(1100).n(2), apple.g(1500), soap.n(1))
		var ps []Promotion
		for i := range 14 + rng.Intn(8) {
			p := d.promotion(pid(i+1), kindsAll[rng.Intn(len(kindsAll))])
			p.Window, p.Stores, p.RemainingBudget, p.MemberUsesLeft = Window{}, Stores{}, nil, nil
			ps = append(ps, p)
		}
		var cs []Coupon
		for i := range rng.Intn(4) {
			cs = append(cs, coupon(i+1, 1+i%2, KindCouponAmount, couponAmt(int64(rng.Intn(3000)), int64(1+rng.Intn(500)))))
		}
		ev, err := newEvaluator(&s, ps, cs)
		if err != nil {
			t.Fatal(err)
		}
		if len(ev.cands) > exhaustiveLimit {
			big++
		}
		checkCase(t, s, ps, cs)
	}
	if big < 20 {
		t.Fatalf("only %d cases went past the exhaustive limit", big)
	}
}

// TestBoundedSearchExtends: with more candidates than the exhaustive limit,
// the greedy extensions still find the set of all sixteen, each on its own
// line, plus the 满减 they reach together.
func TestBoundedSearchExtends(t *testing.T) {
	var ls []Line
	var ps []Promotion
	for i := range 16 {
		ls = append(ls, item(i, 1000).n(1))
		ps = append(ps, promo(i+1, KindAmountOff, amtOff(100), skus(item(i, 0))))
	}
	ps = append(ps, promo(17, KindSpendAmountOff, spend(14400, 1000)))
	r, err := Price(sale(lines(ls...)), ps, nil)
	if err != nil {
		t.Fatal(err)
	}
	// 16 × (10.00 − 1.00) = 144.00 ≥ 144.00 → −10.00; no single one comes close.
	if r.Total != 13400 || len(r.Applied) != 17 {
		t.Fatalf("total %d with %d applied, want 13400 with 17", r.Total, len(r.Applied))
	}
}

// TestInapplicableChangesNothing: a promotion for another store, for no
// item in the cart, or out of its window leaves the result as it was.
func TestInapplicableChangesNothing(t *testing.T) {
	rng := rand.New(rand.NewSource(99))
	for range 300 {
		d := &bytesCase{data: randomBytes(rng, 400)}
		s, ps, cs := d.decode(6, 2)
		before, err := Price(s, ps, cs)
		if err != nil {
			t.Fatal(err)
		}
		extra := []Promotion{
			promo(900, KindPercentOff, pctOff(5000), stores(StoresList, uid(0x70, 9))),
			promo(901, KindSpendAmountOff, spend(0, 100000), skus(item(99, 1))),
			promo(902, KindAmountOff, amtOff(100), window(Window{Starts: wed10.Add(time.Hour)})),
		}
		for _, x := range extra {
			after, err := Price(s, append(slices.Clone(ps), x), cs)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(before, after) {
				t.Fatalf("adding %s changed the result", x.ID)
			}
		}
	}
}

// FuzzPrice: any bytes decode to a sale; pricing it never panics and keeps
// every invariant and property of checkCase. The seed corpus is under
// testdata/fuzz/FuzzPrice.
func FuzzPrice(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("\x05\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d := &bytesCase{data: data}
		s, ps, cs := d.decode(8, 3)
		checkCase(t, s, ps, cs)
	})
}
