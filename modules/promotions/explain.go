package promotions

import (
	"strconv"
	"strings"

	"chainstore/infra/money"
)

// yuan prints fen as the till shows money: ¥12.34, -¥0.05. Every amount in
// an explanation goes through it.
func yuan(fen int64) string {
	if fen < 0 {
		return "-¥" + money.FormatYuan(-fen)
	}
	return "¥" + money.FormatYuan(fen)
}

// decimal prints n/scale with the trailing zeros of its fraction dropped:
// decimal(8500, 1000) = "8.5".
func decimal(n, scale int64) string {
	s := strconv.FormatInt(n/scale, 10)
	if f := n % scale; f != 0 {
		digits := len(strconv.FormatInt(scale, 10)) - 1
		frac := strconv.FormatInt(f, 10)
		frac = strings.Repeat("0", digits-len(frac)) + frac
		s += "." + strings.TrimRight(frac, "0")
	}
	return s
}

// zhe is basis points off as Chinese 折: 1000 → 9折, 1500 → 8.5折.
func zhe(offBP int64) string {
	switch offBP {
	case 10000:
		return "免费"
	case 5000:
		return "半价"
	}
	return decimal(10000-offBP, 1000) + "折"
}

// pct is basis points off as a percentage: 1250 → 12.5%.
func pct(offBP int64) string { return decimal(offBP, 100) + "%" }

func qtyText(q int64, weighed bool) (zh, en string) {
	n := decimal(q, 1000)
	if weighed {
		return n + "千克", n + " kg"
	}
	return n + "件", n
}

func perUnit(weighed bool) (zh, en string) {
	if weighed {
		return "/千克", " per kg"
	}
	return "/件", " each"
}

// names are the promotion's names, the kind's when it has none.
func names(c *cand) (zh, en string) {
	zh, en = c.p.Name, c.p.NameEn
	if zh == "" {
		zh = c.info.zh
	}
	if en == "" {
		en = c.info.en
	}
	return zh, en
}

// ruleText says concretely what the promotion did: for line l, or for the
// whole sale when l < 0. whole reports that the text already states the
// total taken off.
func (ev *evaluator) ruleText(c *cand, o outcome, l int) (zh, en string, whole bool) {
	r := &c.p.Rule
	weighed := l >= 0 && ev.lines[l].Weighed
	uzh, uen := perUnit(weighed)
	if l < 0 {
		uzh, uen = "", ""
	}
	was := func() (string, string) {
		if l < 0 {
			return "", ""
		}
		p := yuan(ev.lines[l].UnitPrice)
		return "（原价" + p + "）", " (was " + p + ")"
	}
	n := strconv.FormatInt
	switch c.p.Kind {
	case KindSpecialPrice:
		wz, we := was()
		zh, en = "特价"+yuan(r.Price)+uzh+wz, "special price "+yuan(r.Price)+uen+we
	case KindMemberPrice:
		if l < 0 {
			zh, en = "会员价", "member prices"
			break
		}
		wz, we := was()
		p := yuan(*ev.lines[l].MemberPrice)
		zh, en = "会员价"+p+uzh+wz, "member price "+p+uen+we
	case KindPercentOff:
		zh, en = zhe(r.OffBP), pct(r.OffBP)+" off"
	case KindAmountOff:
		if weighed {
			zh, en = "每千克立减"+yuan(r.Amount), yuan(r.Amount)+" off per kg"
		} else {
			zh, en = "每件立减"+yuan(r.Amount), yuan(r.Amount)+" off each"
		}
	case KindTierDiscount:
		zh, en = "会员"+zhe(r.OffBP), "member "+pct(r.OffBP)+" off"
	case KindBuyNGetM:
		g := n(r.N+r.M, 10)
		zh = "买" + n(r.N, 10) + "赠" + n(r.M, 10) + "，每" + g + "件中最便宜的" + n(r.M, 10) + "件免费，成组" + n(o.times, 10) + "次"
		en = "buy " + n(r.N, 10) + " get " + n(r.M, 10) + " free, the cheapest " + n(r.M, 10) + " of every " + g + ", " + n(o.times, 10) + " set(s)"
	case KindNthItem:
		zh = "每" + n(r.N, 10) + "件中最便宜的1件" + zhe(r.OffBP) + "，成组" + n(o.times, 10) + "次"
		en = "the cheapest of every " + n(r.N, 10) + " items " + pct(r.OffBP) + " off, " + n(o.times, 10) + " set(s)"
	case KindBundle:
		zh = "组合价" + yuan(r.Price) + "，成套" + n(o.times, 10) + "组"
		en = "bundle price " + yuan(r.Price) + ", " + n(o.times, 10) + " bundle(s)"
	case KindSpendAmountOff:
		if r.Repeat {
			zh = "每满" + yuan(o.step.Threshold) + "减" + yuan(o.step.Off) + "，满" + n(o.times, 10) + "次"
			en = yuan(o.step.Off) + " off every " + yuan(o.step.Threshold) + " spent, " + n(o.times, 10) + " time(s)"
			break
		}
		where, on := "本单", ""
		if !c.p.Items.whole() {
			where, on = "适用商品", " on eligible items"
		}
		zh = where + "满" + yuan(o.step.Threshold) + "减" + yuan(o.step.Off)
		en = "spend " + yuan(o.step.Threshold) + on + ", get " + yuan(o.step.Off) + " off"
		whole = o.off == o.step.Off
	case KindSpendPercentOff:
		where, on := "本单", ""
		if !c.p.Items.whole() {
			where, on = "适用商品", " on eligible items"
		}
		zh = where + "满" + yuan(o.step.Threshold) + "打" + zhe(o.step.OffBP)
		en = "spend " + yuan(o.step.Threshold) + on + ", get " + pct(o.step.OffBP) + " off"
	case KindCouponAmount:
		if r.Threshold > 0 {
			zh, en = "满"+yuan(r.Threshold)+"减"+yuan(r.Amount), yuan(r.Amount)+" off "+yuan(r.Threshold)+" or more"
		} else {
			zh, en = "立减"+yuan(r.Amount), yuan(r.Amount)+" off"
		}
		whole = o.off == r.Amount
	case KindCouponPercent:
		zh, en = "打"+zhe(r.OffBP), pct(r.OffBP)+" off"
		if r.Threshold > 0 {
			zh, en = "满"+yuan(r.Threshold)+zh, en+" "+yuan(r.Threshold)+" or more"
		}
	}
	if r.LimitQty > 0 {
		qz, qe := qtyText(r.LimitQty, weighed)
		zh, en = zh+"，限"+qz, en+", up to "+qe
	}
	if r.MaxOff > 0 {
		zh, en = zh+"，最高减"+yuan(r.MaxOff), en+", at most "+yuan(r.MaxOff)+" off"
	}
	if o.capped && (r.MaxOff == 0 || c.cap < r.MaxOff) {
		zh, en = zh+"（活动余额封顶）", en+" (capped by the budget left)"
		whole = false
	}
	return zh, en, whole
}

// perLine reports whether the kind works line by line (its discount is the
// line's own, not a share).
func perLine(k Kind) bool {
	switch k {
	case KindSpecialPrice, KindMemberPrice, KindPercentOff, KindAmountOff, KindTierDiscount:
		return true
	}
	return false
}

// explainer words one applied promotion: its names and, for the kinds
// that share one discount over lines, the rule text, both worked out once.
type explainer struct {
	ev     *evaluator
	c      *cand
	o      outcome
	name   [2]string // the plain names, for Applied
	nz, ne string    // the names as labels open, with a coupon's code
	rz, re string
	whole  bool
}

func (ev *evaluator) explainer(c *cand, o outcome) explainer {
	x := explainer{ev: ev, c: c, o: o}
	x.name[0], x.name[1] = names(c)
	x.nz, x.ne = x.name[0], x.name[1]
	if c.coupon != nil && c.coupon.Code != "" {
		x.nz += "（券" + c.coupon.Code + "）"
		x.ne += " (coupon " + c.coupon.Code + ")"
	}
	x.rz, x.re, x.whole = ev.ruleText(c, o, -1)
	return x
}

// line explains amount a of the promotion on line l:
// "满100减20：本单满¥100.00减¥20.00，本行分摊¥3.21".
func (x *explainer) line(l int, a int64) (zh, en string) {
	if perLine(x.c.p.Kind) {
		rz, re, _ := x.ev.ruleText(x.c, x.o, l)
		return x.nz + "：" + rz + "，本行优惠" + yuan(a), x.ne + ": " + re + "; " + yuan(a) + " off this line"
	}
	rz, re := x.rz, x.re
	if !x.whole {
		rz, re = rz+"，共优惠"+yuan(x.o.off), re+", "+yuan(x.o.off)+" off in all"
	}
	return x.nz + "：" + rz + "，本行分摊" + yuan(a), x.ne + ": " + re + "; " + yuan(a) + " on this line"
}

// applied explains the promotion for the whole sale.
func (x *explainer) applied() (zh, en string) {
	return x.nz + "：" + x.rz + "，共优惠" + yuan(x.o.off), x.ne + ": " + x.re + "; " + yuan(x.o.off) + " off in all"
}

// roundingLabel explains a line's share a of the rounding (negative: added).
func roundingLabel(r money.Rounding, a int64) (zh, en string) {
	if a < 0 {
		return "四舍五入到角：本行进位" + yuan(-a), "rounding to the jiao: " + yuan(-a) + " added to this line"
	}
	switch r {
	case money.RoundDownJiao:
		return "抹零（抹分）：本行抹去" + yuan(a), "rounding (fen dropped): " + yuan(a) + " off this line"
	case money.RoundDownYuan:
		return "抹零（抹角）：本行抹去" + yuan(a), "rounding (jiao and fen dropped): " + yuan(a) + " off this line"
	}
	return "四舍五入到角：本行舍去" + yuan(a), "rounding to the jiao: " + yuan(a) + " off this line"
}

var unusedTexts = map[Why][2]string{
	WhyInvalid:      {"券规则无效", "the coupon's rule is invalid"},
	WhyDuplicate:    {"同一张券重复出示", "this coupon was presented twice"},
	WhyNotStarted:   {"券尚未到可用时间", "the coupon is not valid yet"},
	WhyExpired:      {"券已过期", "the coupon has expired"},
	WhyOffHours:     {"当前时段不可用", "not usable on this day or at this hour"},
	WhyStore:        {"本店不可用", "not usable in this store"},
	WhyMembersOnly:  {"仅限会员使用", "for members only"},
	WhyTier:         {"当前会员等级不可用", "not for this member's tier"},
	WhyMemberLimit:  {"已达每人限用次数", "this member has used it as often as allowed"},
	WhyBudget:       {"活动预算已用完", "the campaign's budget is used up"},
	WhyNoItems:      {"购物车中没有适用商品", "nothing in the cart is eligible"},
	WhyConflict:     {"适用商品已享受不可同享的优惠", "its items already take promotions it cannot be combined with"},
	WhySameTemplate: {"同类券每单限用一张", "only one coupon of this kind per sale"},
	WhyNoDiscount:   {"使用后没有优惠", "it would take nothing off"},
	WhyNotBest:      {"已为您选择更优惠的组合", "a better combination for you does without it"},
}

// unusedFor explains why coupon cp was not used; o is its outcome where it
// was tried (for the threshold).
func (ev *evaluator) unusedFor(cp *Coupon, why Why, o outcome) Unused {
	u := Unused{CouponID: cp.ID, Code: cp.Code, Why: why}
	if why == WhyThreshold {
		t := cp.Promotion.Rule.Threshold
		u.Reason = "适用商品优惠后" + yuan(o.base) + "，未满" + yuan(t)
		u.ReasonEn = "eligible items come to " + yuan(o.base) + " after promotions, below " + yuan(t)
		return u
	}
	t := unusedTexts[why]
	u.Reason, u.ReasonEn = t[0], t[1]
	return u
}
