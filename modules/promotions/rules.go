package promotions

import (
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/money"
)

// The pipeline's layers.
const (
	layerItem = iota
	layerOrder
	layerCoupon
)

type kindInfo struct {
	layer, rank int
	zh, en      string // the kind's name, for a promotion without one
}

var kindInfos = map[Kind]kindInfo{
	KindSpecialPrice:    {layerItem, 0, "限时特价", "Special price"},
	KindMemberPrice:     {layerItem, 1, "会员价", "Member price"},
	KindPercentOff:      {layerItem, 2, "折扣", "Percent off"},
	KindAmountOff:       {layerItem, 3, "立减", "Amount off"},
	KindTierDiscount:    {layerItem, 4, "会员折扣", "Member discount"},
	KindBuyNGetM:        {layerItem, 5, "买赠", "Buy and get free"},
	KindNthItem:         {layerItem, 6, "第N件优惠", "Nth item off"},
	KindBundle:          {layerItem, 7, "组合价", "Bundle price"},
	KindSpendAmountOff:  {layerOrder, 0, "满减", "Spend and save"},
	KindSpendPercentOff: {layerOrder, 1, "满折", "Spend and get a percent off"},
	KindCouponAmount:    {layerCoupon, 0, "优惠券", "Coupon"},
	KindCouponPercent:   {layerCoupon, 1, "折扣券", "Percent coupon"},
}

func isCouponKind(k Kind) bool { return k == KindCouponAmount || k == KindCouponPercent }

// Limits of a rule, beyond which it is refused rather than computed.
const (
	maxSteps      = 20
	maxComponents = 20
	maxGroupUnits = 1000      // N, M, N+M and a component's Units
	maxSets       = 1_000_000 // LimitSets
)

// Validate checks a promotion's own consistency (not whether it applies to
// a sale): a known kind, the parameters that kind reads within range, a
// store list when the scope is a list, a window that ends after it starts.
// Its error wraps ErrInvalidPromotion and names the field. The service calls
// it before storing a promotion; Price skips promotions that fail it.
func (p Promotion) Validate() error {
	bad := func(field, format string, args ...any) error {
		return fmt.Errorf("%w: %s %s", ErrInvalidPromotion, field, fmt.Sprintf(format, args...))
	}
	if p.ID == uuid.Nil {
		return bad("id", "is empty")
	}
	if _, ok := kindInfos[p.Kind]; !ok {
		return bad("kind", "%q is unknown", p.Kind)
	}
	switch p.Stores.Scope {
	case "", StoresAll, StoresDirect, StoresFranchise:
	case StoresList:
		if len(p.Stores.IDs) == 0 {
			return bad("stores.ids", "is empty for a list scope")
		}
	default:
		return bad("stores.scope", "%q is unknown", p.Stores.Scope)
	}
	w := p.Window
	if !w.Starts.IsZero() && !w.Ends.IsZero() && !w.Ends.After(w.Starts) {
		return bad("window.ends", "is not after window.starts")
	}
	for _, d := range w.Weekdays {
		if d < time.Sunday || d > time.Saturday {
			return bad("window.weekdays", "has %d, not 0 (Sunday) … 6", d)
		}
	}
	for _, t := range w.Times {
		if t.From < 0 || t.From > 1440 || t.To < 0 || t.To > 1440 || t.From == t.To {
			return bad("window.times", "has %d–%d; want minutes 0…1440, from ≠ to", t.From, t.To)
		}
	}
	r := p.Rule
	for _, f := range []struct {
		name string
		v    int64
	}{{"rule.amount", r.Amount}, {"rule.price", r.Price}, {"rule.threshold", r.Threshold}, {"rule.max_off", r.MaxOff}} {
		if f.v < 0 || f.v > maxMoney {
			return bad(f.name, "%d is outside 0…%d", f.v, int64(maxMoney))
		}
	}
	if r.OffBP < 0 || r.OffBP > 10000 {
		return bad("rule.off_bp", "%d is outside 0…10000", r.OffBP)
	}
	if r.LimitQty < 0 || r.LimitQty > MaxQty {
		return bad("rule.limit_qty", "%d is outside 0…%d", r.LimitQty, MaxQty)
	}
	if r.LimitSets < 0 || r.LimitSets > maxSets {
		return bad("rule.limit_sets", "%d is outside 0…%d", r.LimitSets, maxSets)
	}
	switch p.Kind {
	case KindSpecialPrice, KindPercentOff, KindAmountOff:
	default:
		if r.LimitQty != 0 {
			return bad("rule.limit_qty", "is only for special_price, percent_off and amount_off")
		}
	}
	switch p.Kind {
	case KindBuyNGetM, KindNthItem, KindBundle:
	default:
		if r.LimitSets != 0 {
			return bad("rule.limit_sets", "is only for buy_n_get_m, nth_item and bundle")
		}
	}
	needBP := func() error {
		if r.OffBP < 1 {
			return bad("rule.off_bp", "must be 1…10000")
		}
		return nil
	}
	switch p.Kind {
	case KindPercentOff, KindTierDiscount, KindCouponPercent:
		return needBP()
	case KindAmountOff, KindCouponAmount:
		if r.Amount < 1 {
			return bad("rule.amount", "must be positive")
		}
	case KindBuyNGetM:
		if r.N < 1 || r.M < 1 || r.N+r.M > maxGroupUnits {
			return bad("rule.n", "and rule.m must be at least 1 with n+m ≤ %d", maxGroupUnits)
		}
	case KindNthItem:
		if r.N < 2 || r.N > maxGroupUnits {
			return bad("rule.n", "must be 2…%d", maxGroupUnits)
		}
		return needBP()
	case KindBundle:
		if len(r.Components) < 1 || len(r.Components) > maxComponents {
			return bad("rule.components", "must have 1…%d components", maxComponents)
		}
		for i, c := range r.Components {
			if c.Units < 1 || c.Units > maxGroupUnits {
				return bad(fmt.Sprintf("rule.components[%d].units", i), "must be 1…%d", maxGroupUnits)
			}
		}
	case KindSpendAmountOff, KindSpendPercentOff:
		if len(r.Steps) < 1 || len(r.Steps) > maxSteps {
			return bad("rule.steps", "must have 1…%d steps", maxSteps)
		}
		for i, s := range r.Steps {
			f := fmt.Sprintf("rule.steps[%d]", i)
			if s.Threshold < 0 || s.Threshold > maxMoney {
				return bad(f+".threshold", "%d is outside 0…%d", s.Threshold, int64(maxMoney))
			}
			if p.Kind == KindSpendAmountOff && (s.Off < 1 || s.Off > maxMoney) {
				return bad(f+".off", "must be 1…%d", int64(maxMoney))
			}
			if p.Kind == KindSpendPercentOff && (s.OffBP < 1 || s.OffBP > 10000) {
				return bad(f+".off_bp", "must be 1…10000")
			}
		}
		if r.Repeat && (p.Kind != KindSpendAmountOff || len(r.Steps) != 1 || r.Steps[0].Threshold < 1) {
			return bad("rule.repeat", "(每满) needs spend_amount_off with one step of a positive threshold")
		}
	}
	return nil
}

// admit says why a valid promotion cannot be had in this sale at all, or "".
func admit(p *Promotion, s *Sale) Why {
	w := &p.Window
	if !w.Starts.IsZero() && s.Local.Before(w.Starts) {
		return WhyNotStarted
	}
	if !w.Ends.IsZero() && !s.Local.Before(w.Ends) {
		return WhyExpired
	}
	if !w.onClock(s.Local) {
		return WhyOffHours
	}
	switch p.Stores.Scope {
	case StoresList:
		if !slices.Contains(p.Stores.IDs, s.StoreID) {
			return WhyStore
		}
	case StoresDirect:
		if s.StoreType != StoreDirect {
			return WhyStore
		}
	case StoresFranchise:
		if s.StoreType != StoreFranchise {
			return WhyStore
		}
	}
	a := &p.Audience
	if s.Customer.MemberID == nil {
		if a.MembersOnly || len(a.Tiers) > 0 || p.Kind == KindMemberPrice || p.Kind == KindTierDiscount {
			return WhyMembersOnly
		}
	} else if len(a.Tiers) > 0 && (s.Customer.TierID == nil || !slices.Contains(a.Tiers, *s.Customer.TierID)) {
		return WhyTier
	}
	if p.MemberUsesLeft != nil && *p.MemberUsesLeft <= 0 {
		return WhyMemberLimit
	}
	if p.RemainingBudget != nil && *p.RemainingBudget <= 0 {
		return WhyBudget
	}
	return ""
}

// onClock reports whether the wall-clock time t is on one of the window's
// weekdays and inside one of its time ranges.
func (w *Window) onClock(t time.Time) bool {
	if len(w.Weekdays) > 0 && !slices.Contains(w.Weekdays, t.Weekday()) {
		return false
	}
	if len(w.Times) == 0 {
		return true
	}
	m := t.Hour()*60 + t.Minute()
	for _, r := range w.Times {
		if r.From < r.To && m >= r.From && m < r.To || r.From > r.To && (m >= r.From || m < r.To) {
			return true
		}
	}
	return false
}

// match reports whether the line is in the selection.
func (it *Items) match(l *Line) bool {
	if slices.Contains(it.ExcludeSKUs, l.SKUID) || anyIn(it.ExcludeCategories, l.CategoryPath) ||
		l.BrandID != nil && slices.Contains(it.ExcludeBrands, *l.BrandID) {
		return false
	}
	if len(it.SKUs) == 0 && len(it.Categories) == 0 && len(it.Brands) == 0 {
		return true
	}
	return slices.Contains(it.SKUs, l.SKUID) || anyIn(it.Categories, l.CategoryPath) ||
		l.BrandID != nil && slices.Contains(it.Brands, *l.BrandID)
}

// whole reports whether the selection is the whole store (全场).
func (it *Items) whole() bool {
	return len(it.SKUs)+len(it.Categories)+len(it.Brands)+len(it.ExcludeSKUs)+len(it.ExcludeCategories)+len(it.ExcludeBrands) == 0
}

func anyIn(set, ids []uuid.UUID) bool {
	for _, id := range ids {
		if slices.Contains(set, id) {
			return true
		}
	}
	return false
}

// cand is a promotion or coupon that may apply to this sale.
type cand struct {
	p      *Promotion
	coupon *Coupon
	id     uuid.UUID // the coupon instance, or the promotion
	info   kindInfo
	group  int   // flag bit of its stacking group, or -1
	tmpl   int   // coupons: the same number for one template; promotions: -1
	cap    int64 // the most it may take off (MaxOff, budget), or -1
	mask   []bool
	lines  []int  // the lines of mask, in order
	comp   []int8 // bundles: the component each line serves, or -1
}

// scope fills c.mask (and c.comp) from the lines; false when nothing in the
// cart can take the promotion.
func (c *cand) scope(lines []Line, mask []bool) bool {
	p := c.p
	c.mask = mask
	var have [maxComponents]bool
	if p.Kind == KindBundle {
		c.comp = make([]int8, len(lines))
	}
	any := false
	for i := range lines {
		l := &lines[i]
		if !p.Items.match(l) {
			continue
		}
		switch p.Kind {
		case KindMemberPrice:
			if l.MemberPrice == nil {
				continue
			}
		case KindBuyNGetM, KindNthItem, KindBundle:
			if l.Weighed || l.Qty < 1000 {
				continue
			}
		}
		if p.Kind == KindBundle {
			c.comp[i] = -1
			for k := range p.Rule.Components {
				if p.Rule.Components[k].Items.match(l) {
					c.comp[i] = int8(k)
					have[k] = true
					break
				}
			}
			if c.comp[i] < 0 {
				continue
			}
		}
		mask[i], any = true, true
		c.lines = append(c.lines, i)
	}
	if p.Kind == KindBundle {
		for k := range p.Rule.Components {
			if !have[k] {
				return false
			}
		}
	}
	return any
}

// outcome is what one promotion did to one state; the per-line amounts are
// in evaluator.d.
type outcome struct {
	off    int64 // the discount, after caps
	base   int64 // order and coupon kinds: current net of the eligible lines
	lines  int   // eligible lines
	step   Step  // spend kinds: the step that applied
	times  int64 // 每满 repeats, complete groups, or bundles
	capped bool  // cut down to MaxOff or the remaining budget
	shared bool  // off is to be shared over the lines by their weights in ev.w
}

// eligible reports whether line l can take c in state s.
func (ev *evaluator) eligible(c *cand, s *state, l int) bool {
	if !c.mask[l] || ev.has(s, l, bitLocked) {
		return false
	}
	if c.group >= 0 && ev.has(s, l, c.group) {
		return false
	}
	return !c.p.Exclusive || !ev.has(s, l, bitTouched)
}

// compute works out what candidate i takes off in state s, into ev.d (per
// line) and ev.part (lines it works on), both valid on c.lines only,
// without changing s. Without split it skips sharing a discount over the
// lines (ev.d is then not to be committed): the search needs only the total
// of the last step.
func (ev *evaluator) compute(i int, s *state, split bool) outcome {
	c := &ev.cands[i]
	for _, l := range c.lines {
		ev.d[l], ev.w[l], ev.part[l] = 0, 0, false
	}
	ev.steps += len(c.lines) + 1
	var o outcome
	switch c.p.Kind {
	case KindSpecialPrice, KindMemberPrice, KindPercentOff, KindAmountOff, KindTierDiscount:
		ev.itemKind(c, s, &o)
	case KindBuyNGetM, KindNthItem:
		ev.unitKind(c, s, &o)
	case KindBundle:
		ev.bundle(c, s, &o)
	default:
		ev.orderKind(c, s, &o)
	}
	if o.off > 0 && split && o.shared {
		ev.shareOut(o.off, ev.w, ev.d, c.lines)
	}
	if o.off > 0 && c.cap >= 0 && o.off > c.cap {
		if split {
			for _, l := range c.lines {
				ev.w[l] = ev.d[l]
			}
			ev.shareOut(c.cap, ev.w, ev.d, c.lines)
		}
		o.off, o.capped = c.cap, true
	}
	return o
}

// commit applies the outcome compute left in ev.d and ev.part to s.
func (ev *evaluator) commit(i int, s *state, o outcome) {
	c := &ev.cands[i]
	for _, l := range c.lines {
		if !ev.part[l] {
			continue
		}
		s.net[l] -= ev.d[l]
		ev.set(s, l, bitTouched)
		if c.group >= 0 {
			ev.set(s, l, c.group)
		}
		if c.p.Exclusive {
			ev.set(s, l, bitLocked)
		}
	}
	s.sum -= o.off
}

// value is what k thousandths of line l are worth at its current net.
func (ev *evaluator) value(s *state, l int, k int64) int64 {
	if q := ev.lines[l].Qty; k != q {
		return money.MulDiv(s.net[l], k, q)
	}
	return s.net[l]
}

// byUnitValue sorts line numbers dearest current unit price first, then in
// line order.
func (ev *evaluator) byUnitValue(s *state, idx []int) {
	slices.SortFunc(idx, func(a, b int) int {
		if c := cmpRatio(s.net[b], ev.lines[b].Qty, s.net[a], ev.lines[a].Qty); c != 0 {
			return c
		}
		return a - b
	})
}

// itemKind: special price, member price, percent off, amount off, tier
// discount, line by line, within Rule.LimitQty from the dearest units.
func (ev *evaluator) itemKind(c *cand, s *state, o *outcome) {
	r := &c.p.Rule
	el := ev.idx[:0]
	for _, l := range c.lines {
		if ev.lines[l].Qty > 0 && ev.eligible(c, s, l) {
			el = append(el, l)
		}
	}
	o.lines = len(el)
	if r.LimitQty > 0 {
		ev.byUnitValue(s, el)
	}
	left := r.LimitQty
	for _, l := range el {
		line := &ev.lines[l]
		q := line.Qty
		if r.LimitQty > 0 {
			if left == 0 {
				break
			}
			q = min(q, left)
			left -= q
		}
		v := ev.value(s, l, q)
		var d int64
		switch c.p.Kind {
		case KindSpecialPrice:
			d = v - money.MulDiv(r.Price, q, 1000)
		case KindMemberPrice:
			d = v - money.MulDiv(*line.MemberPrice, q, 1000)
		case KindPercentOff, KindTierDiscount:
			d = money.MulDiv(v, r.OffBP, 10000)
		case KindAmountOff:
			d = money.MulDiv(r.Amount, q, 1000)
		}
		d = max(0, min(d, v))
		if d > 0 {
			ev.d[l], ev.part[l] = d, true
			o.off += d
		}
	}
}

// unitKind: buy N get M and Nth item over whole units, dearest first, in
// groups; the discount is shared by the lines whose units are in complete
// groups.
func (ev *evaluator) unitKind(c *cand, s *state, o *outcome) {
	r := &c.p.Rule
	g, free := r.N+r.M, r.M // group size, free units at its end
	if c.p.Kind == KindNthItem {
		g, free = r.N, 1
	}
	// discounted positions among the first x of a partition
	disc := func(x int64) int64 { return x/g*free + max(0, x%g-(g-free)) }
	el := ev.idx[:0]
	for _, l := range c.lines {
		if ev.eligible(c, s, l) {
			el = append(el, l)
		}
	}
	o.lines = len(el)
	ev.byUnitValue(s, el)
	if r.SameSKU {
		slices.SortStableFunc(el, func(a, b int) int { return cmpUUID(ev.lines[a].SKUID, ev.lines[b].SKUID) })
	}
	sets := int64(-1)
	if r.LimitSets > 0 {
		sets = r.LimitSets
	}
	var off int64
	for lo := 0; lo < len(el); {
		hi := lo + 1
		if r.SameSKU {
			for hi < len(el) && ev.lines[el[hi]].SKUID == ev.lines[el[lo]].SKUID {
				hi++
			}
		} else {
			hi = len(el)
		}
		var units int64
		for _, l := range el[lo:hi] {
			units += ev.lines[l].Qty / 1000
		}
		groups := units / g
		if sets >= 0 {
			groups = min(groups, sets)
			sets -= groups
		}
		o.times += groups
		complete, pos := groups*g, int64(0)
		for _, l := range el[lo:hi] {
			a, b := pos, pos+ev.lines[l].Qty/1000
			pos = b
			if a >= complete {
				break
			}
			b = min(b, complete)
			ev.w[l] = ev.value(s, l, (b-a)*1000)
			ev.part[l] = true
			dv := ev.value(s, l, (disc(b)-disc(a))*1000)
			if c.p.Kind == KindNthItem {
				dv = money.MulDiv(dv, r.OffBP, 10000)
			}
			off += dv
		}
		lo = hi
	}
	o.off, o.shared = off, true
}

// bundle: complete bundles of the components, dearest units first, while a
// bundle is worth more than its price; shared by the component lines.
func (ev *evaluator) bundle(c *cand, s *state, o *outcome) {
	r := &c.p.Rule
	el := ev.idx[:0]
	for _, l := range c.lines {
		if ev.eligible(c, s, l) {
			el = append(el, l)
		}
	}
	o.lines = len(el)
	ev.byUnitValue(s, el)
	slices.SortStableFunc(el, func(a, b int) int { return int(c.comp[a]) - int(c.comp[b]) })
	nc := len(r.Components)
	var start [maxComponents + 1]int
	for k, j := 0, 0; k <= nc; k++ {
		for j < len(el) && int(c.comp[el[j]]) < k {
			j++
		}
		start[k] = j
	}
	most := int64(-1)
	for k := range nc {
		var units int64
		for _, l := range el[start[k]:start[k+1]] {
			units += ev.lines[l].Qty / 1000
		}
		if n := units / r.Components[k].Units; most < 0 || n < most {
			most = n
		}
	}
	if r.LimitSets > 0 {
		most = min(most, r.LimitSets)
	}
	// prefix(k, x) is the value of the first x units of component k.
	prefix := func(k int, x int64) int64 {
		var v int64
		for _, l := range el[start[k]:start[k+1]] {
			u := ev.lines[l].Qty / 1000
			if x <= u {
				return v + ev.value(s, l, x*1000)
			}
			v += ev.value(s, l, u*1000)
			x -= u
		}
		return v
	}
	worth := func(j int64) int64 { // the value of bundle j (0-based)
		var v int64
		for k := range nc {
			u := r.Components[k].Units
			v += prefix(k, (j+1)*u) - prefix(k, j*u)
		}
		return v
	}
	lo, hi := int64(0), most // bundles are dearest first: find the first not worth its price
	for lo < hi {
		if mid := lo + (hi-lo)/2; worth(mid) > r.Price {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	n := lo
	if n <= 0 {
		return
	}
	var value int64
	for k := range nc {
		need := n * r.Components[k].Units
		for _, l := range el[start[k]:start[k+1]] {
			if need == 0 {
				break
			}
			take := min(need, ev.lines[l].Qty/1000)
			need -= take
			ev.w[l] = ev.value(s, l, take*1000)
			ev.part[l] = true
			value += ev.w[l]
		}
	}
	off := value - n*r.Price
	if off <= 0 {
		return
	}
	o.times, o.off, o.shared = n, off, true
}

// orderKind: 满减, 满折 and coupons on the current net of the eligible lines,
// shared by them pro rata.
func (ev *evaluator) orderKind(c *cand, s *state, o *outcome) {
	r := &c.p.Rule
	var e int64
	for _, l := range c.lines {
		if ev.eligible(c, s, l) {
			o.lines++
			if n := s.net[l]; n > 0 {
				ev.w[l], ev.part[l] = n, true
				e += n
			}
		}
	}
	o.base = e
	var off int64
	switch c.p.Kind {
	case KindSpendAmountOff:
		if r.Repeat {
			st := r.Steps[0]
			if k := e / st.Threshold; k > 0 {
				o.step, o.times = st, k
				off = e
				if k <= e/st.Off {
					off = k * st.Off
				}
			}
			break
		}
		for _, st := range r.Steps {
			if st.Threshold <= e && st.Off > off {
				o.step, off = st, st.Off
			}
		}
	case KindSpendPercentOff:
		var bp int64
		for _, st := range r.Steps {
			if st.Threshold <= e && st.OffBP > bp {
				o.step, bp = st, st.OffBP
			}
		}
		off = money.MulDiv(e, bp, 10000)
	case KindCouponAmount:
		if e >= r.Threshold {
			off = r.Amount
		}
	case KindCouponPercent:
		if e >= r.Threshold {
			off = money.MulDiv(e, r.OffBP, 10000)
		}
	}
	o.off, o.shared = max(0, min(off, e)), true
}
