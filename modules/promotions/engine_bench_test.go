package promotions

import (
	"fmt"
	"testing"
)

// benchCart is a till's everyday case: five lines, five promotions that all
// apply (special price, 第二件半价, member price, 满减 tiers, 满折) and a coupon.
func benchCart() (Sale, []Promotion, []Coupon) {
	s := sale(lines(cola.n(2), juice.n(1), milk.mp(1100).n(2), apple.g(800), chips.n(1)))
	s.Customer = memberOf(gold)
	ps := []Promotion{
		promo(1, KindSpecialPrice, special(299), skus(cola), group("price")),
		promo(2, KindNthItem, Rule{N: 2, OffBP: 5000}, cats(catDrinks), group("price")),
		promo(3, KindMemberPrice, Rule{}, group("price")),
		promo(4, KindSpendAmountOff, spend(3000, 500, 5000, 1000), group("order")),
		promo(5, KindSpendPercentOff, spendPct(4000, 500), group("order")),
	}
	cs := []Coupon{coupon(1, 1, KindCouponAmount, couponAmt(3000, 300))}
	return s, ps, cs
}

func BenchmarkPrice5Lines(b *testing.B) {
	s, ps, cs := benchCart()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Price(s, ps, cs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPriceLarge: a 40-line basket against 60 promotions of which 12
// (the exhaustive limit) or 20 (the bounded search) are candidates.
func BenchmarkPriceLarge(b *testing.B) {
	for _, cands := range []int{12, 20} {
		b.Run(fmt.Sprintf("candidates=%d", cands), func(b *testing.B) {
			var ls []Line
			for i := range 40 {
				ls = append(ls, item(i, int64(100+37*i)).n(int64(1+i%3)))
			}
			s := sale(lines(ls...))
			var ps []Promotion
			for i := range 60 {
				target := item(i%40, 0)
				if i >= cands {
					target = item(1000+i, 0) // in no cart: filtered out
				}
				kinds := []Rule{pctOff(int64(500 + 100*(i%5))), amtOff(int64(20 + i)), special(int64(90 + 30*i%300))}
				k := []Kind{KindPercentOff, KindAmountOff, KindSpecialPrice}[i%3]
				ps = append(ps, promo(i+1, k, kinds[i%3], skus(target), group(fmt.Sprint("g", i%4))))
			}
			ps[0] = promo(1, KindSpendAmountOff, spend(5000, 500, 20000, 3000))
			ps[1] = promo(2, KindSpendPercentOff, spendPct(10000, 800), exclusive)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Price(s, ps, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
