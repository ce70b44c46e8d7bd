package promotions

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/money"
)

// cart is one hand-priced case: every expected figure is worked out from the
// rules in the package doc, the arithmetic in the comment beside it.
type cart struct {
	name    string
	lines   []Line
	promos  []Promotion
	coupons []Coupon
	who     Customer
	edit    func(*Sale)
	total   int64
	want    []string // per line, its allocations as allocs prints them
	unused  string   // as unusedOf prints them
}

func TestPriceCarts(t *testing.T) {
	p1 := func(k Kind, r Rule, o ...opt) []Promotion { return []Promotion{promo(1, k, r, o...)} }
	spend100 := spend(10000, 2000, 20000, 5000) // 满100减20 / 满200减50
	each := func(r Rule) Rule { r.Repeat = true; return r }
	withMax := func(r Rule, m int64) Rule { r.MaxOff = m; return r }
	limitQty := func(r Rule, q int64) Rule { r.LimitQty = q; return r }
	limitSets := func(r Rule, n int64) Rule { r.LimitSets = n; return r }
	sameSKU := func(r Rule) Rule { r.SameSKU = true; return r }
	nth2 := Rule{N: 2, OffBP: 5000} // 第二件半价
	buy2get1 := Rule{N: 2, M: 1}
	buy1get1 := Rule{N: 1, M: 1}
	bundle := func(price int64, cs ...Component) Rule { return Rule{Components: cs, Price: price} }
	one := func(s sku) Component { return Component{Items: Items{SKUs: []uuid.UUID{s.id}}, Units: 1} }
	colaChips := bundle(1000, one(cola), one(chips)) // 可乐+薯片 ¥10
	at := func(l time.Time) func(*Sale) { return func(s *Sale) { s.Local = l } }
	in := func(st StoreType, id uuid.UUID) func(*Sale) { return func(s *Sale) { s.StoreType, s.StoreID = st, id } }
	rounding := func(r money.Rounding) func(*Sale) { return func(s *Sale) { s.Rounding = r } }
	hours := func(from, to int, days ...time.Weekday) Window {
		return Window{Times: []TimeRange{{from, to}}, Weekdays: days}
	}
	withCoupon := func(c Coupon, f func(*Coupon)) Coupon { f(&c); return c }

	carts := []cart{
		// --- basics
		{name: "empty cart", promos: p1(KindSpendAmountOff, spend100), total: 0, want: nil},
		{name: "no promotions", lines: lines(cola.n(2), chips.n(1)), total: 1500, want: []string{"", ""}}, // 700 + 800
		{name: "percent off on a category", lines: lines(cola.n(2), chips.n(1)),
			promos: p1(KindPercentOff, pctOff(1000), cats(catDrinks)), total: 1430, want: []string{"P1:70", ""}}, // 700 × 10% = 70
		{name: "amount off per unit", lines: lines(cola.n(3)),
			promos: p1(KindAmountOff, amtOff(100), skus(cola)), total: 750, want: []string{"P1:300"}}, // 3 × ¥1
		{name: "special price", lines: lines(cola.n(2)),
			promos: p1(KindSpecialPrice, special(299), skus(cola)), total: 598, want: []string{"P1:102"}}, // 2 × 2.99
		{name: "special price limited to 2 units", lines: lines(cola.n(3)),
			promos: p1(KindSpecialPrice, limitQty(special(299), 2000), skus(cola)), total: 948, want: []string{"P1:102"}}, // 700 − 598 on 2 of 3
		{name: "special price above the current price does nothing", lines: lines(cola.n(2)),
			promos: p1(KindSpecialPrice, special(400), skus(cola)), total: 700, want: []string{""}},
		{name: "zero-price line takes no share", lines: lines(gift.n(1), cola.n(1)),
			promos: p1(KindSpendAmountOff, spend(300, 100)), total: 250, want: []string{"", "P1:100"}}, // E = 0 + 350 ≥ 300
		{name: "amount off never takes a line below zero", lines: lines(cola.n(2)),
			promos: p1(KindAmountOff, amtOff(500), skus(cola)), total: 0, want: []string{"P1:700"}}, // min(2 × 5.00, 7.00)

		// --- stacking, exclusivity, groups, priorities
		{name: "item and order promotions stack", lines: lines(cola.n(4)),
			promos: []Promotion{promo(1, KindPercentOff, pctOff(1000), skus(cola)), promo(2, KindSpendAmountOff, spend(1000, 200))},
			total:  1060, want: []string{"P1:140 P2:200"}}, // 1400 → 1260 ≥ 1000 → 1060
		{name: "an item promotion that breaks the threshold is left out", lines: lines(cola.n(3)),
			promos: []Promotion{promo(1, KindPercentOff, pctOff(1000), skus(cola)), promo(2, KindSpendAmountOff, spend(1000, 200))},
			total:  850, want: []string{"P2:200"}}, // both: 1050 → 945 < 1000 = 945; 满减 alone 850
		{name: "exclusive item promotion loses to the order discount", lines: lines(cola.n(4), chips.n(1)),
			promos: []Promotion{promo(1, KindPercentOff, pctOff(2000), skus(cola), exclusive), promo(2, KindSpendAmountOff, spend(1000, 300))},
			total:  1900, want: []string{"P2:191", "P2:109"}}, // P1: 1120+800 = 1920 (chips alone < 10); P2: 2200 − 300, 300×1400/2200 = 190.9 → 191
		{name: "exclusive item promotion wins", lines: lines(cola.n(4), chips.n(1)),
			promos: []Promotion{promo(1, KindPercentOff, pctOff(3000), skus(cola), exclusive), promo(2, KindSpendAmountOff, spend(1000, 300))},
			total:  1780, want: []string{"P1:420", ""}}, // 1400 × 30% = 420 → 980 + 800 < 1900
		{name: "exclusive order promotion takes only untouched lines", lines: lines(cola.n(4), chips.n(1)),
			promos: []Promotion{promo(1, KindPercentOff, pctOff(1000), skus(cola)), promo(2, KindSpendAmountOff, spend(500, 300), exclusive)},
			total:  1760, want: []string{"P1:140", "P2:300"}}, // cola 1260; chips 800 ≥ 500 → 500; P2 alone 1900
		{name: "exclusive lines do not count toward later thresholds", lines: lines(cola.n(4), chips.n(2)),
			promos: []Promotion{promo(1, KindPercentOff, pctOff(1000), skus(cola), exclusive), promo(2, KindSpendAmountOff, spend(1000, 200))},
			total:  2660, want: []string{"P1:140", "P2:200"}}, // cola 1260 locked; chips 1600 ≥ 1000 → 1400; P2 alone 2800
		{name: "one promotion per line per group, the better", lines: lines(cola.n(2)),
			promos: []Promotion{promo(1, KindPercentOff, pctOff(2000), skus(cola), group("item")), promo(2, KindAmountOff, amtOff(100), skus(cola), group("item"))},
			total:  500, want: []string{"P2:200"}}, // 20% = 140 < 2 × 1.00
		{name: "different groups stack", lines: lines(cola.n(2)),
			promos: []Promotion{promo(1, KindPercentOff, pctOff(2000), skus(cola), group("a")), promo(2, KindAmountOff, amtOff(100), skus(cola), group("b"))},
			total:  360, want: []string{"P1:140 P2:200"}}, // 700 → 560 → 360
		{name: "higher priority runs first", lines: lines(cola.n(2)),
			promos: []Promotion{promo(1, KindSpecialPrice, special(300), skus(cola)), promo(2, KindPercentOff, pctOff(5000), skus(cola), prio(10))},
			total:  350, want: []string{"P2:350"}}, // half of 700 = 350, then ¥3.00 each is no cheaper
		{name: "equal priority: special price before percent off", lines: lines(cola.n(2)),
			promos: []Promotion{promo(1, KindSpecialPrice, special(300), skus(cola)), promo(2, KindPercentOff, pctOff(5000), skus(cola))},
			total:  300, want: []string{"P1:100 P2:300"}}, // 700 → 600 → half 300
		{name: "one 满减 per group, the bigger", lines: lines(item(1, 10000).n(1)),
			promos: []Promotion{promo(1, KindSpendAmountOff, spend(10000, 2000), group("spend")), promo(2, KindSpendAmountOff, spend(10000, 2500), group("spend"))},
			total:  7500, want: []string{"P2:2500"}},
		{name: "满减 then 满折 on what is left", lines: lines(item(1, 10000).n(1)),
			promos: []Promotion{promo(1, KindSpendAmountOff, spend(10000, 1000)), promo(2, KindSpendPercentOff, spendPct(5000, 1000))},
			total:  8100, want: []string{"P1:1000 P2:900"}}, // 10000 → 9000 ≥ 5000 → 10% = 900
		{name: "a tie goes to fewer promotions", lines: lines(cola.n(3)),
			promos: []Promotion{promo(1, KindAmountOff, amtOff(20)), promo(2, KindPercentOff, pctOff(1000), exclusive), promo(3, KindAmountOff, amtOff(15))},
			total:  945, want: []string{"P2:105"}}, // 10% = 1.05 = 3 × (0.20 + 0.15); P2 runs first and locks the line
		{name: "a tie found late still goes to fewer promotions", lines: lines(cola.n(3)),
			promos: []Promotion{promo(1, KindAmountOff, amtOff(20)), promo(2, KindPercentOff, pctOff(1000), exclusive, prio(-1)), promo(3, KindAmountOff, amtOff(15))},
			total:  945, want: []string{"P2:105"}}, // as above, but P1+P3 run first and are found first
		{name: "a tie goes to the smaller id", lines: lines(item(1, 10000).n(1)),
			promos: []Promotion{promo(2, KindSpendPercentOff, spendPct(10000, 1000)), promo(1, KindSpendAmountOff, spend(10000, 1000))},
			total:  9000, want: []string{"P1:1000"}}, // either alone 9000; after 满减 9000 < 100 for 满折

		// --- 满减 tiers: 满100减20 / 满200减50
		{name: "满减 at 99.99", lines: lines(item(1, 9999).n(1)), promos: p1(KindSpendAmountOff, spend100), total: 9999, want: []string{""}},
		{name: "满减 at 100.00", lines: lines(item(1, 10000).n(1)), promos: p1(KindSpendAmountOff, spend100), total: 8000, want: []string{"P1:2000"}},
		{name: "满减 at 199.99", lines: lines(item(1, 19999).n(1)), promos: p1(KindSpendAmountOff, spend100), total: 17999, want: []string{"P1:2000"}},
		{name: "满减 at 200.00", lines: lines(item(1, 20000).n(1)), promos: p1(KindSpendAmountOff, spend100), total: 15000, want: []string{"P1:5000"}},
		{name: "满减 at 450.00 takes the top step once", lines: lines(item(1, 45000).n(1)), promos: p1(KindSpendAmountOff, spend100), total: 40000, want: []string{"P1:5000"}},
		{name: "每满100减20 at 450.00", lines: lines(item(1, 45000).n(1)), promos: p1(KindSpendAmountOff, each(spend(10000, 2000))),
			total: 37000, want: []string{"P1:8000"}}, // ⌊450/100⌋ = 4 × 20
		{name: "每满100减20 at 99.99", lines: lines(item(1, 9999).n(1)), promos: p1(KindSpendAmountOff, each(spend(10000, 2000))), total: 9999, want: []string{""}},
		{name: "每满100减20 capped at 50", lines: lines(item(1, 45000).n(1)), promos: p1(KindSpendAmountOff, withMax(each(spend(10000, 2000)), 5000)),
			total: 40000, want: []string{"P1:5000"}},
		{name: "满减 shared pro rata by largest remainder", lines: lines(item(1, 6000).n(1), item(2, 4001).n(1)),
			promos: p1(KindSpendAmountOff, spend(10000, 2000)), total: 8001, want: []string{"P1:1200", "P1:800"}}, // 1199.88 and 800.12: the spare fen to the larger remainder
		{name: "equal remainders: the spare fen to the earlier line", lines: lines(item(1, 1000).n(1), item(2, 1000).n(1), item(3, 1000).n(1)),
			promos: p1(KindSpendAmountOff, spend(3000, 100)), total: 2900, want: []string{"P1:34", "P1:33", "P1:33"}}, // 33.33 each
		{name: "满减 on a category counts only its lines", lines: lines(milk.n(8), soap.n(1)),
			promos: p1(KindSpendAmountOff, spend(10000, 2000), cats(catFood)), total: 9990, want: []string{"P1:2000", ""}}, // milk 100.00
		{name: "an excluded SKU does not count toward the threshold", lines: lines(milk.n(8), soap.n(1)),
			promos: p1(KindSpendAmountOff, spend(10000, 2000), exclSKUs(milk)), total: 11990, want: []string{"", ""}}, // 19.90 < 100
		{name: "an excluded category excludes its subtree", lines: lines(cola.n(1), soap.n(1)),
			promos: p1(KindPercentOff, pctOff(1000), exclCats(catFood)), total: 2141, want: []string{"", "P1:199"}}, // 1990 × 10%
		{name: "brand scope", lines: lines(cola.n(1), juice.n(1)),
			promos: p1(KindPercentOff, pctOff(2000), brands(brandCoke)), total: 880, want: []string{"P1:70", ""}},

		// --- 满折: 满100打9折 / 满200打8折
		{name: "满折 lower step", lines: lines(item(1, 15000).n(1)), promos: p1(KindSpendPercentOff, spendPct(10000, 1000, 20000, 2000)),
			total: 13500, want: []string{"P1:1500"}},
		{name: "满折 upper step", lines: lines(item(1, 25000).n(1)), promos: p1(KindSpendPercentOff, spendPct(10000, 1000, 20000, 2000)),
			total: 20000, want: []string{"P1:5000"}},
		{name: "满折 below the first step", lines: lines(item(1, 9999).n(1)), promos: p1(KindSpendPercentOff, spendPct(10000, 1000, 20000, 2000)),
			total: 9999, want: []string{""}},

		// --- quantity kinds
		{name: "第二件半价", lines: lines(cola.n(2)), promos: p1(KindNthItem, nth2, skus(cola)), total: 525, want: []string{"P1:175"}},
		{name: "第二件半价 with an odd count", lines: lines(cola.n(3)), promos: p1(KindNthItem, nth2, skus(cola)),
			total: 875, want: []string{"P1:175"}}, // one pair; the third pays in full
		{name: "第二件半价 across prices: the cheaper is half", lines: lines(juice.n(1), cola.n(1)), promos: p1(KindNthItem, nth2, cats(catDrinks)),
			total: 775, want: []string{"P1:111", "P1:64"}}, // 175 shared 600:350 = 110.53 / 64.47
		{name: "第二件半价 over three mixed units", lines: lines(juice.n(1), cola.n(2)), promos: p1(KindNthItem, nth2, cats(catDrinks)),
			total: 1125, want: []string{"P1:111", "P1:64"}}, // (juice, cola) pair; one cola left over
		{name: "第二件半价 within one SKU only", lines: lines(juice.n(1), cola.n(1)), promos: p1(KindNthItem, sameSKU(nth2), cats(catDrinks)),
			total: 950, want: []string{"", ""}},
		{name: "第二件半价 per SKU pairs a SKU's lines wherever they sort", lines: lines(cola.at(700).n(1), juice.n(1), cola.n(1)),
			promos: p1(KindNthItem, sameSKU(nth2), cats(catDrinks)),
			total:  1475, want: []string{"P1:117", "", "P1:58"}}, // the colas pair (7.00, 3.50): 1.75 shared 700:350 = 116.67 / 58.33
		{name: "buy 2 get 1", lines: lines(cola.n(3)), promos: p1(KindBuyNGetM, buy2get1, skus(cola)), total: 700, want: []string{"P1:350"}},
		{name: "buy 2 get 1: the cheapest is free", lines: lines(juice.n(2), cola.n(1)), promos: p1(KindBuyNGetM, buy2get1, cats(catDrinks)),
			total: 1200, want: []string{"P1:271", "P1:79"}}, // cola free; 350 shared 1200:350 = 270.97 / 79.03
		{name: "buy 2 get 1 over 5 units", lines: lines(cola.n(5)), promos: p1(KindBuyNGetM, buy2get1, skus(cola)), total: 1400, want: []string{"P1:350"}},
		{name: "buy 1 get 2: the two cheapest of three", lines: lines(juice.n(1), tea.n(1), cola.n(1)), promos: p1(KindBuyNGetM, Rule{N: 1, M: 2}, cats(catDrinks)),
			total: 600, want: []string{"P1:352", "P1:293", "P1:205"}}, // tea + cola = 850 free, shared 600:500:350 = 351.72 / 293.10 / 205.17
		{name: "buy 1 get 2 across split lines", lines: lines(juice.n(2), cola.n(2)), promos: p1(KindBuyNGetM, Rule{N: 1, M: 2}, cats(catDrinks)),
			total: 950, want: []string{"P1:735", "P1:215"}}, // (juice, juice, cola): 6.00 + 3.50 free; one cola left; shared 1200:350
		{name: "buy 1 get 1 limited to 2 sets", lines: lines(cola.n(6)), promos: p1(KindBuyNGetM, limitSets(buy1get1, 2), skus(cola)),
			total: 1400, want: []string{"P1:700"}}, // 3 pairs, 2 count
		{name: "weighed goods are not units", lines: lines(apple.g(2000)), promos: p1(KindBuyNGetM, buy1get1, cats(catFresh)),
			total: 2560, want: []string{""}},
		{name: "buy 1 get 1 against 第二件半价 in one group", lines: lines(cola.n(2)),
			promos: []Promotion{promo(1, KindNthItem, nth2, skus(cola), group("q")), promo(2, KindBuyNGetM, buy1get1, skus(cola), group("q"))},
			total:  350, want: []string{"P2:350"}},

		// --- bundles: 可乐 + 薯片 ¥10.00
		{name: "complete bundle", lines: lines(cola.n(1), chips.n(1)), promos: p1(KindBundle, colaChips),
			total: 1000, want: []string{"P1:46", "P1:104"}}, // 1150 − 1000 = 150 shared 350:800 = 45.65 / 104.35
		{name: "incomplete bundle", lines: lines(cola.n(2)), promos: p1(KindBundle, colaChips), total: 700, want: []string{""}},
		{name: "repeated bundle", lines: lines(cola.n(2), chips.n(2)), promos: p1(KindBundle, colaChips),
			total: 2000, want: []string{"P1:91", "P1:209"}}, // 2 × 150 shared 700:1600 = 91.30 / 208.70
		{name: "bundle over its limit", lines: lines(cola.n(2), chips.n(2)), promos: p1(KindBundle, limitSets(colaChips, 1)),
			total: 2150, want: []string{"P1:46", "P1:104"}}, // one bundle; the rest at list price
		{name: "bundle not worth its price", lines: lines(cola.n(1), chips.n(1)), promos: p1(KindBundle, bundle(1200, one(cola), one(chips))),
			total: 1150, want: []string{"", ""}},
		{name: "a second bundle worth less than its price is not formed", lines: lines(juice.n(1), cola.n(1), chips.n(2)),
			promos: p1(KindBundle, bundle(1151, Component{Items: Items{Categories: []uuid.UUID{catDrinks}}, Units: 1}, one(chips))),
			total:  2301, want: []string{"P1:107", "", "P1:142"}}, // 25.50 − 2.49: juice+chips 14.00 − 11.51; cola+chips is 11.50 < 11.51
		{name: "bundle of a category takes the dearest units", lines: lines(juice.n(1), cola.n(2), chips.n(1)),
			promos: p1(KindBundle, bundle(1500, Component{Items: Items{Categories: []uuid.UUID{catDrinks}}, Units: 2}, one(chips))),
			total:  1850, want: []string{"P1:86", "P1:50", "P1:114"}}, // juice + 1 cola + chips = 1750 − 1500 = 250 shared 600:350:800

		// --- weighed goods (grams × price per kg)
		{name: "weighed percent off", lines: lines(apple.g(1234)), promos: p1(KindPercentOff, pctOff(1000), cats(catFruit)),
			total: 1422, want: []string{"P1:158"}}, // 12.80 × 1.234 = 15.7952 → 15.80; 10% = 1.58
		{name: "weighed amount off per kg", lines: lines(apple.g(1234)), promos: p1(KindAmountOff, amtOff(200), cats(catFruit)),
			total: 1333, want: []string{"P1:247"}}, // 2.00 × 1.234 = 2.468 → 2.47
		{name: "weighed special price per kg", lines: lines(apple.g(1234)), promos: p1(KindSpecialPrice, special(990), cats(catFruit)),
			total: 1222, want: []string{"P1:358"}}, // 9.90 × 1.234 = 12.2166 → 12.22
		{name: "weighed special price limited to 500 g", lines: lines(apple.g(1234)), promos: p1(KindSpecialPrice, limitQty(special(990), 500), cats(catFruit)),
			total: 1435, want: []string{"P1:145"}}, // 500 g of 15.80 = 6.40, at 9.90/kg = 4.95
		{name: "weighed special price on a rounded share of the line", lines: lines(apple.g(1234)), promos: p1(KindSpecialPrice, limitQty(special(990), 391), cats(catFruit)),
			total: 1466, want: []string{"P1:114"}}, // 391 g of 15.80 = 5.0063 → 5.01, at 9.90/kg = 3.8709 → 3.87
		{name: "weighed goods count toward 满减", lines: lines(beef.g(1500), cola.n(2)), promos: p1(KindSpendAmountOff, spend(10000, 2000)),
			total: 11900, want: []string{"P1:1899", "P1:101"}}, // 132.00 + 7.00; 20 shared = 1899.28 / 100.72

		// --- coupons
		{name: "coupon threshold met", lines: lines(milk.n(4)), coupons: []Coupon{coupon(1, 1, KindCouponAmount, couponAmt(5000, 1000))},
			total: 4000, want: []string{"C1:1000"}},
		{name: "coupon threshold unmet after promotions", lines: lines(milk.n(4)),
			promos: p1(KindPercentOff, pctOff(3000), skus(milk)), coupons: []Coupon{coupon(1, 1, KindCouponAmount, couponAmt(5000, 1000))},
			total: 3500, want: []string{"P1:1500"}, unused: "C1:threshold"}, // 50.00 → 35.00 < 50; the coupon alone gives 40.00
		{name: "coupon threshold still met after promotions", lines: lines(milk.n(5)),
			promos: p1(KindPercentOff, pctOff(1000), skus(milk)), coupons: []Coupon{coupon(1, 1, KindCouponAmount, couponAmt(5000, 1000))},
			total: 4625, want: []string{"P1:625 C1:1000"}}, // 62.50 → 56.25 ≥ 50 → 46.25
		{name: "percent coupon capped", lines: lines(milk.n(4)), coupons: []Coupon{coupon(1, 1, KindCouponPercent, withMax(pctOff(2000), 500))},
			total: 4500, want: []string{"C1:500"}}, // 20% = 10.00, at most 5.00
		{name: "percent coupon under its cap", lines: lines(milk.n(1)), coupons: []Coupon{coupon(1, 1, KindCouponPercent, withMax(pctOff(2000), 500))},
			total: 1000, want: []string{"C1:250"}},
		{name: "SKU coupon", lines: lines(juice.n(1), chips.n(1)), coupons: []Coupon{coupon(1, 1, KindCouponAmount, couponAmt(0, 300), skus(juice))},
			total: 1100, want: []string{"C1:300", ""}},
		{name: "category coupon below its threshold", lines: lines(cola.n(2), chips.n(1)),
			coupons: []Coupon{coupon(1, 1, KindCouponAmount, couponAmt(1000, 200), cats(catDrinks))},
			total:   1500, want: []string{"", ""}, unused: "C1:threshold"}, // drinks 7.00 < 10
		{name: "coupon with nothing to apply to", lines: lines(cola.n(1)), coupons: []Coupon{coupon(1, 1, KindCouponAmount, couponAmt(0, 100), cats(catDairy))},
			total: 350, want: []string{""}, unused: "C1:no_items"},
		{name: "expired and not yet valid coupons", lines: lines(cola.n(1)),
			coupons: []Coupon{
				withCoupon(coupon(1, 1, KindCouponAmount, couponAmt(0, 100)), validity(time.Time{}, wed10)),
				withCoupon(coupon(2, 2, KindCouponAmount, couponAmt(0, 100)), validity(wed10.Add(time.Minute), time.Time{}))},
			total: 350, want: []string{""}, unused: "C1:expired C2:not_started"}, // valid until is exclusive
		{name: "one coupon per template", lines: lines(item(1, 2000).n(1)),
			coupons: []Coupon{coupon(2, 1, KindCouponAmount, couponAmt(0, 500)), coupon(1, 1, KindCouponAmount, couponAmt(0, 500))},
			total:   1500, want: []string{"C1:500"}, unused: "C2:same_template"}, // a tie: the smaller instance id
		{name: "coupons of two templates stack", lines: lines(item(1, 2000).n(1)),
			coupons: []Coupon{coupon(1, 1, KindCouponAmount, couponAmt(0, 500)), coupon(2, 2, KindCouponAmount, couponAmt(0, 300))},
			total:   1200, want: []string{"C1:500 C2:300"}},
		{name: "coupons in one group: the other is a conflict", lines: lines(item(1, 2000).n(1)),
			coupons: []Coupon{coupon(1, 1, KindCouponAmount, couponAmt(0, 500), group("cpn")), coupon(2, 2, KindCouponAmount, couponAmt(0, 300), group("cpn"))},
			total:   1500, want: []string{"C1:500"}, unused: "C2:conflict"},
		{name: "a coupon that runs first but is worth less is not best", lines: lines(item(1, 2000).n(1)),
			coupons: []Coupon{coupon(1, 1, KindCouponAmount, couponAmt(0, 300), group("cpn"), prio(5)), coupon(2, 2, KindCouponAmount, couponAmt(0, 500), group("cpn"))},
			total:   1500, want: []string{"C2:500"}, unused: "C1:not_best"},
		{name: "exclusive coupon only on untouched lines", lines: lines(cola.n(2), chips.n(1)),
			promos: p1(KindPercentOff, pctOff(1000), skus(cola)), coupons: []Coupon{coupon(1, 1, KindCouponAmount, couponAmt(0, 200), exclusive)},
			total: 1230, want: []string{"P1:70", "C1:200"}}, // 630 + 600; the coupon alone 1300
		{name: "coupons refused before the search", lines: lines(cola.n(1)),
			coupons: []Coupon{coupon(1, 1, KindCouponAmount, couponAmt(0, 100), membersOnly),
				coupon(2, 2, KindCouponAmount, couponAmt(0, 100), stores(StoresList, storeB)),
				coupon(3, 3, KindCouponAmount, couponAmt(0, 100)), coupon(3, 3, KindCouponAmount, couponAmt(0, 100)),
				coupon(4, 4, KindCouponAmount, couponAmt(0, 100), budget(0))},
			total: 250, want: []string{"C3:100"}, unused: "C1:members_only C2:store C3:duplicate C4:budget"},
		{name: "coupon worth more than the cart", lines: lines(item(1, 1500).n(1)), coupons: []Coupon{coupon(1, 1, KindCouponAmount, couponAmt(0, 5000))},
			total: 0, want: []string{"C1:1500"}},

		// --- member price, tiers
		{name: "member price beats special price in one group", lines: lines(cola.mp(280).n(2)), who: memberOf(gold),
			promos: []Promotion{promo(1, KindSpecialPrice, special(299), skus(cola), group("price")), promo(2, KindMemberPrice, Rule{}, group("price"))},
			total:  560, want: []string{"P2:140"}}, // 2 × 2.80 < 2 × 2.99, though special price runs first
		{name: "a walk-in gets the special price", lines: lines(cola.mp(280).n(2)), who: walkIn(),
			promos: []Promotion{promo(1, KindSpecialPrice, special(299), skus(cola), group("price")), promo(2, KindMemberPrice, Rule{}, group("price"))},
			total:  598, want: []string{"P1:102"}},
		{name: "special price beats member price", lines: lines(cola.mp(320).n(2)), who: memberOf(gold),
			promos: []Promotion{promo(1, KindSpecialPrice, special(299), skus(cola), group("price")), promo(2, KindMemberPrice, Rule{}, group("price"))},
			total:  598, want: []string{"P1:102"}},
		{name: "member price, tier discount and special price compete", lines: lines(milk.mp(1100).n(2)), who: memberOf(gold),
			promos: []Promotion{promo(1, KindSpecialPrice, special(1150), skus(milk), group("price")), promo(2, KindMemberPrice, Rule{}, group("price")),
				promo(3, KindTierDiscount, pctOff(1000), tiers(gold), group("price"))},
			total: 2200, want: []string{"P2:300"}}, // 23.00, 22.00, 22.50
		{name: "tier discount stacks on member price across groups", lines: lines(milk.mp(1100).n(2)), who: memberOf(gold),
			promos: []Promotion{promo(2, KindMemberPrice, Rule{}, group("price")), promo(3, KindTierDiscount, pctOff(500), tiers(gold), group("tier"))},
			total:  2090, want: []string{"P2:300 P3:110"}}, // 22.00 × 5% = 1.10
		{name: "tier discount is not for another tier", lines: lines(milk.n(2)), who: memberOf(silver),
			promos: p1(KindTierDiscount, pctOff(1000), tiers(gold)), total: 2500, want: []string{""}},
		{name: "tier discount is not for a walk-in", lines: lines(milk.n(2)), who: walkIn(),
			promos: p1(KindTierDiscount, pctOff(1000)), total: 2500, want: []string{""}},
		{name: "members-only promotion for a member", lines: lines(milk.n(2)), who: memberOf(silver),
			promos: p1(KindPercentOff, pctOff(1000), membersOnly), total: 2250, want: []string{"P1:250"}},
		{name: "members-only promotion for a walk-in", lines: lines(milk.n(2)), who: walkIn(),
			promos: p1(KindPercentOff, pctOff(1000), membersOnly), total: 2500, want: []string{""}},

		// --- windows (the sale is Wednesday 10:00 unless moved)
		{name: "weekend promotion on a Wednesday", lines: lines(cola.n(2)),
			promos: p1(KindPercentOff, pctOff(1000), window(hours(0, 1440, time.Saturday, time.Sunday))), total: 700, want: []string{""}},
		{name: "hours ending at 10:00 are over at 10:00", lines: lines(cola.n(2)),
			promos: p1(KindPercentOff, pctOff(1000), window(hours(540, 600))), total: 700, want: []string{""}},
		{name: "hours starting at 10:00 have begun", lines: lines(cola.n(2)),
			promos: p1(KindPercentOff, pctOff(1000), window(hours(600, 660, time.Wednesday))), total: 630, want: []string{"P1:70"}},
		{name: "a promotion ending now is over", lines: lines(cola.n(2)),
			promos: p1(KindPercentOff, pctOff(1000), window(Window{Starts: wed10.Add(-time.Hour), Ends: wed10})), total: 700, want: []string{""}},
		{name: "a promotion starting now is on", lines: lines(cola.n(2)),
			promos: p1(KindPercentOff, pctOff(1000), window(Window{Starts: wed10, Ends: wed10.Add(time.Hour)})), total: 630, want: []string{"P1:70"}},
		{name: "overnight hours after midnight count as the next day", lines: lines(cola.n(2)), edit: at(time.Date(2025, 6, 19, 1, 30, 0, 0, cst)),
			promos: p1(KindPercentOff, pctOff(1000), window(hours(1320, 120, time.Thursday))), total: 630, want: []string{"P1:70"}},
		{name: "overnight hours at 10:00", lines: lines(cola.n(2)),
			promos: p1(KindPercentOff, pctOff(1000), window(hours(1320, 120))), total: 700, want: []string{""}},

		// --- store scope
		{name: "direct-store promotion in a franchise store", lines: lines(cola.n(2)), edit: in(StoreFranchise, storeB),
			promos: p1(KindPercentOff, pctOff(1000), stores(StoresDirect)), total: 700, want: []string{""}},
		{name: "franchise promotion in a franchise store", lines: lines(cola.n(2)), edit: in(StoreFranchise, storeB),
			promos: p1(KindPercentOff, pctOff(1000), stores(StoresFranchise)), total: 630, want: []string{"P1:70"}},
		{name: "store list with the store", lines: lines(cola.n(2)),
			promos: p1(KindPercentOff, pctOff(1000), stores(StoresList, storeB, storeA)), total: 630, want: []string{"P1:70"}},
		{name: "store list without the store", lines: lines(cola.n(2)),
			promos: p1(KindPercentOff, pctOff(1000), stores(StoresList, storeB)), total: 700, want: []string{""}},

		// --- budgets and per-member limits
		{name: "budget partly spent caps the discount", lines: lines(milk.n(4), juice.n(1)),
			promos: p1(KindPercentOff, pctOff(1000), budget(300)), total: 5300, want: []string{"P1:268", "P1:32"}}, // 500 + 60 → 300, shared 500:60
		{name: "budget spent", lines: lines(milk.n(4), juice.n(1)), promos: p1(KindPercentOff, pctOff(1000), budget(0)), total: 5600, want: []string{"", ""}},
		{name: "member limit reached", lines: lines(cola.n(2)), who: memberOf(gold),
			promos: p1(KindPercentOff, pctOff(1000), usesLeft(0)), total: 700, want: []string{""}},
		{name: "member limit not yet reached", lines: lines(cola.n(2)), who: memberOf(gold),
			promos: p1(KindPercentOff, pctOff(1000), usesLeft(1)), total: 630, want: []string{"P1:70"}},

		// --- rounding of 12.38 over 10.00 + 2.38
		{name: "round to the fen", lines: lines(item(1, 1000).n(1), item(2, 238).n(1)), total: 1238, want: []string{"", ""}},
		{name: "抹分", lines: lines(item(1, 1000).n(1), item(2, 238).n(1)), edit: rounding(money.RoundDownJiao),
			total: 1230, want: []string{"R:6", "R:2"}}, // 8 shared 1000:238 = 6.46 / 1.54
		{name: "抹角", lines: lines(item(1, 1000).n(1), item(2, 238).n(1)), edit: rounding(money.RoundDownYuan),
			total: 1200, want: []string{"R:31", "R:7"}}, // 38 shared = 30.69 / 7.31
		{name: "四舍五入到角 up", lines: lines(item(1, 1000).n(1), item(2, 238).n(1)), edit: rounding(money.RoundJiao),
			total: 1240, want: []string{"R:-2", ""}}, // +2 shared = 1.62 / 0.38
		{name: "四舍五入到角 down", lines: lines(item(1, 1000).n(1), item(2, 234).n(1)), edit: rounding(money.RoundJiao),
			total: 1230, want: []string{"R:3", "R:1"}}, // 4 shared 1000:234 = 3.24 / 0.76
		{name: "rounding after discounts", lines: lines(cola.n(3)), edit: rounding(money.RoundDownYuan),
			promos: p1(KindPercentOff, pctOff(1000)), total: 900, want: []string{"P1:105 R:45"}}, // 10.50 → 9.45 → 9.00
	}
	if len(carts) < 60 {
		t.Fatalf("only %d carts", len(carts))
	}
	for _, c := range carts {
		t.Run(c.name, func(t *testing.T) {
			s := sale(c.lines)
			s.Customer = c.who
			if c.edit != nil {
				c.edit(&s)
			}
			r, err := Price(s, c.promos, c.coupons)
			if err != nil {
				t.Fatalf("Price: %v", err)
			}
			if msg := invariants(s, r); msg != "" {
				t.Errorf("invariant: %s", msg)
			}
			if r.Total != c.total {
				t.Errorf("total %d, want %d", r.Total, c.total)
			}
			for i, l := range r.Lines {
				if i < len(c.want) && allocs(l) != c.want[i] {
					t.Errorf("line %d: %q, want %q", i, allocs(l), c.want[i])
				}
			}
			if len(c.want) != len(r.Lines) {
				t.Errorf("%d lines, want %d", len(r.Lines), len(c.want))
			}
			if got := unusedOf(r); got != c.unused {
				t.Errorf("unused %q, want %q", got, c.unused)
			}
		})
	}
}

// TestExplanations pins the words: concrete figures, in both languages.
func TestExplanations(t *testing.T) {
	s := sale(lines(item(1, 6000).n(1), item(2, 4001).n(1), cola.n(2), apple.g(1000)))
	s.Rounding = money.RoundDownJiao
	r, err := Price(s, []Promotion{
		promo(1, KindSpendAmountOff, spend(10000, 2000), named("满100减20", "Spend ¥100, save ¥20")),
		{ID: pid(2), Kind: KindSpecialPrice, Rule: special(299), Items: Items{SKUs: []uuid.UUID{cola.id}}},
		promo(3, KindAmountOff, amtOff(200), named("苹果立减", "Apples off"), skus(apple)),
		promo(4, KindSpendAmountOff, spend(100, 10), named("饮料满减", ""), cats(catDrinks), group("x")),
		promo(5, KindSpendAmountOff, spend(100, 1), cats(catDrinks), group("x")), // loses to P4 in its group
	}, []Coupon{coupon(1, 1, KindCouponAmount, couponAmt(50000, 1000))})
	if err != nil {
		t.Fatal(err)
	}
	// Items: 60.00, 40.01, cola 7.00 → 5.98, apples 12.80 → 10.80. The order layer runs by id:
	// 满100减20 over 116.79 shares 20.00 as 10.27|.48, 6.85|.16, 1.02|.41, 1.84|.95 → +1 to apples
	// and the first line; then 饮料满减 takes 0.10 off cola (4.96 → 4.86).
	// Nets 49.72 + 33.16 + 4.86 + 8.95 = 96.69; 抹分 takes 0.09: 5, 3, 0, 1 by largest remainder.
	want := [][2]string{
		{"满100减20：本单满¥100.00减¥20.00，本行分摊¥10.28", "Spend ¥100, save ¥20: spend ¥100.00, get ¥20.00 off; ¥10.28 on this line"},
		{"抹零（抹分）：本行抹去¥0.05", "rounding (fen dropped): ¥0.05 off this line"},
		{"满100减20：本单满¥100.00减¥20.00，本行分摊¥6.85", "Spend ¥100, save ¥20: spend ¥100.00, get ¥20.00 off; ¥6.85 on this line"},
		{"抹零（抹分）：本行抹去¥0.03", "rounding (fen dropped): ¥0.03 off this line"},
		{"限时特价：特价¥2.99/件（原价¥3.50），本行优惠¥1.02", "Special price: special price ¥2.99 each (was ¥3.50); ¥1.02 off this line"},
		{"满100减20：本单满¥100.00减¥20.00，本行分摊¥1.02", "Spend ¥100, save ¥20: spend ¥100.00, get ¥20.00 off; ¥1.02 on this line"},
		{"饮料满减：适用商品满¥1.00减¥0.10，本行分摊¥0.10", "Spend and save: spend ¥1.00 on eligible items, get ¥0.10 off; ¥0.10 on this line"},
		{"苹果立减：每千克立减¥2.00，本行优惠¥2.00", "Apples off: ¥2.00 off per kg; ¥2.00 off this line"},
		{"满100减20：本单满¥100.00减¥20.00，本行分摊¥1.85", "Spend ¥100, save ¥20: spend ¥100.00, get ¥20.00 off; ¥1.85 on this line"},
		{"抹零（抹分）：本行抹去¥0.01", "rounding (fen dropped): ¥0.01 off this line"},
	}
	var got [][2]string
	for _, l := range r.Lines {
		for _, a := range l.Discounts {
			got = append(got, [2]string{a.Label, a.LabelEn})
		}
	}
	if len(got) != len(want) {
		t.Fatalf("labels %q", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("label %d:\n got %q\nwant %q", i, got[i], want[i])
		}
	}
	if r.Total != 9660 {
		t.Errorf("total %d, want 9660", r.Total)
	}
	if a := r.Applied[2]; a.PromotionID != pid(1) || a.Explanation != "满100减20：本单满¥100.00减¥20.00，共优惠¥20.00" ||
		a.ExplanationEn != "Spend ¥100, save ¥20: spend ¥100.00, get ¥20.00 off; ¥20.00 off in all" {
		t.Errorf("applied %q / %q", a.Explanation, a.ExplanationEn)
	}
	if u := r.UnusedCoupons; len(u) != 1 || u[0].Reason != "适用商品优惠后¥96.69，未满¥500.00" ||
		u[0].ReasonEn != "eligible items come to ¥96.69 after promotions, below ¥500.00" {
		t.Errorf("unused %+v", u)
	}
}

func TestPriceRefuses(t *testing.T) {
	good := sale(lines(cola.n(1)))
	for name, c := range map[string]struct {
		edit   func(*Sale)
		promos []Promotion
		want   error
	}{
		"negative quantity":   {edit: func(s *Sale) { s.Lines[0].Qty = -1000 }, want: ErrInvalidSale},
		"negative price":      {edit: func(s *Sale) { s.Lines[0].UnitPrice = -1 }, want: ErrInvalidSale},
		"huge price":          {edit: func(s *Sale) { s.Lines[0].UnitPrice = MaxUnitPrice + 1 }, want: ErrInvalidSale},
		"negative member":     {edit: func(s *Sale) { m := int64(-5); s.Lines[0].MemberPrice = &m }, want: ErrInvalidSale},
		"unknown rounding":    {edit: func(s *Sale) { s.Rounding = "ceil" }, want: ErrInvalidSale},
		"unknown store type":  {edit: func(s *Sale) { s.StoreType = "kiosk" }, want: ErrInvalidSale},
		"too many lines":      {edit: func(s *Sale) { s.Lines = make([]Line, MaxLines+1) }, want: ErrInvalidSale},
		"duplicate promotion": {promos: []Promotion{promo(1, KindPercentOff, pctOff(100)), promo(1, KindAmountOff, amtOff(1))}, want: ErrDuplicatePromotion},
	} {
		t.Run(name, func(t *testing.T) {
			s := good
			s.Lines = append([]Line(nil), good.Lines...)
			if c.edit != nil {
				c.edit(&s)
			}
			if _, err := Price(s, c.promos, nil); !errors.Is(err, c.want) {
				t.Errorf("error %v, want %v", err, c.want)
			}
		})
	}
}

// TestInvalidPromotionSkipped: a bad row is skipped and reported, the rest
// still prices.
func TestInvalidPromotionSkipped(t *testing.T) {
	r, err := Price(sale(lines(cola.n(3))), []Promotion{
		promo(1, KindBuyNGetM, Rule{N: 0, M: 1}),
		promo(2, KindPercentOff, pctOff(1000)),
		promo(3, KindCouponAmount, couponAmt(0, 100)), // a coupon kind must come as a coupon
	}, []Coupon{coupon(1, 1, KindPercentOff, pctOff(1000))})
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 945 || len(r.Skipped) != 2 || r.Skipped[0].PromotionID != pid(1) || r.Skipped[1].PromotionID != pid(3) ||
		!strings.Contains(r.Skipped[0].Error, "rule.n") || unusedOf(r) != "C1:invalid" {
		t.Errorf("total %d, skipped %+v, unused %q", r.Total, r.Skipped, unusedOf(r))
	}
}

func TestValidate(t *testing.T) {
	ok := []Promotion{
		promo(1, KindPercentOff, pctOff(1000)),
		promo(1, KindSpendAmountOff, each(spend(10000, 2000))),
		promo(1, KindBundle, Rule{Price: 0, Components: []Component{{Units: 1}}}),
		promo(1, KindMemberPrice, Rule{}),
		promo(1, KindNthItem, Rule{N: 2, OffBP: 10000, LimitSets: 3}),
	}
	for i, p := range ok {
		if err := p.Validate(); err != nil {
			t.Errorf("ok[%d]: %v", i, err)
		}
	}
	bad := map[string]Promotion{
		"rule.off_bp":                 promo(1, KindPercentOff, pctOff(0)),
		"rule.off_bp ":                promo(1, KindPercentOff, pctOff(10001)),
		"rule.amount":                 promo(1, KindAmountOff, amtOff(0)),
		"rule.n":                      promo(1, KindNthItem, Rule{N: 1, OffBP: 5000}),
		"rule.components":             promo(1, KindBundle, Rule{Price: 100}),
		"rule.components[0].units":    promo(1, KindBundle, Rule{Components: []Component{{Units: 0}}}),
		"rule.steps":                  promo(1, KindSpendAmountOff, Rule{}),
		"rule.steps[0].off":           promo(1, KindSpendAmountOff, spend(100, 0)),
		"rule.steps[0].off_bp":        promo(1, KindSpendPercentOff, spendPct(100, 0)),
		"rule.repeat":                 promo(1, KindSpendAmountOff, each(spend100Of())),
		"rule.limit_qty":              promo(1, KindBuyNGetM, Rule{N: 1, M: 1, LimitQty: 1000}),
		"rule.limit_sets":             promo(1, KindPercentOff, Rule{OffBP: 1, LimitSets: 1}),
		"rule.price":                  promo(1, KindSpecialPrice, special(-1)),
		"kind":                        promo(1, "mystery", Rule{}),
		"id":                          {Kind: KindMemberPrice},
		"stores.ids":                  promo(1, KindMemberPrice, Rule{}, stores(StoresList)),
		"stores.scope":                promo(1, KindMemberPrice, Rule{}, stores("region")),
		"window.ends":                 promo(1, KindMemberPrice, Rule{}, window(Window{Starts: wed10, Ends: wed10})),
		"window.weekdays":             promo(1, KindMemberPrice, Rule{}, window(Window{Weekdays: []time.Weekday{7}})),
		"window.times":                promo(1, KindMemberPrice, Rule{}, window(Window{Times: []TimeRange{{600, 600}}})),
		"rule.threshold":              promo(1, KindCouponAmount, Rule{Amount: 1, Threshold: -1}),
		"rule.n and rule.m":           promo(1, KindBuyNGetM, Rule{N: 999, M: 2}),
		"rule.steps[0].threshold":     promo(1, KindSpendPercentOff, spendPct(-1, 100)),
		"rule.max_off":                promo(1, KindCouponPercent, Rule{OffBP: 100, MaxOff: -1}),
		"rule.limit_sets outside":     promo(1, KindBundle, Rule{Components: []Component{{Units: 1}}, LimitSets: -1}),
		"rule.components[0].units ok": promo(1, KindBundle, Rule{Components: []Component{{Units: 1001}}}),
	}
	for name, p := range bad {
		err := p.Validate()
		field := strings.Fields(name)[0]
		if !errors.Is(err, ErrInvalidPromotion) || !strings.Contains(err.Error(), field) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func each(r Rule) Rule { r.Repeat = true; return r }
func spend100Of() Rule { return spend(10000, 2000, 20000, 5000) }

// TestCouponExplained: a coupon's labels carry its code; Applied keeps the
// plain name, the template and the instance.
func TestCouponExplained(t *testing.T) {
	c := coupon(7, 3, KindCouponPercent, Rule{OffBP: 1000, Threshold: 1000, MaxOff: 50}, named("九折券", "10% coupon"))
	r, err := Price(sale(lines(chips.n(1), juice.n(1))), nil, []Coupon{c})
	if err != nil {
		t.Fatal(err)
	}
	// 14.00 × 10% = 1.40, at most 0.50: shared 800:600 = 28.57 / 21.43
	a := r.Applied[0]
	if r.Total != 1350 || a.Name != "九折券" || a.NameEn != "10% coupon" || a.PromotionID != tid(3) || *a.CouponID != cid(7) || a.CouponCode != "C7" {
		t.Fatalf("total %d, applied %+v", r.Total, a)
	}
	if l := r.Lines[0].Discounts[0]; l.Label != "九折券（券C7）：满¥10.00打9折，最高减¥0.50，共优惠¥0.50，本行分摊¥0.29" ||
		l.LabelEn != "10% coupon (coupon C7): 10% off ¥10.00 or more, at most ¥0.50 off, ¥0.50 off in all; ¥0.29 on this line" {
		t.Errorf("label %q / %q", l.Label, l.LabelEn)
	}
}
