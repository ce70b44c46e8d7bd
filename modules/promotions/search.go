package promotions

import (
	"fmt"
	"slices"

	"github.com/google/uuid"

	"chainstore/infra/money"
)

// Flag bits of a line in a state; stacking groups take the bits after them.
const (
	bitTouched = iota // some promotion worked on the line
	bitLocked         // an exclusive promotion took it
	firstGroupBit
)

// exhaustiveLimit is the most candidates for which every combination is
// tried; searchSteps bounds the search beyond it, in line evaluations
// (a few milliseconds).
const (
	exhaustiveLimit = 12
	searchSteps     = 4_000_000
)

// state is the cart part-way through the pipeline: each line's current net
// and flags (touched, locked, groups taken), and the sum of the nets.
type state struct {
	net   []int64
	flags []uint64
	sum   int64
}

func (s *state) copyFrom(o *state) {
	copy(s.net, o.net)
	copy(s.flags, o.flags)
	s.sum = o.sum
}

// evaluator holds one Price call: the candidates in pipeline order, the
// starting state, scratch space and the best combination found.
type evaluator struct {
	sale  *Sale
	lines []Line
	gross []int64
	cands []cand
	words int // flag words per line
	start state
	work  state

	// scratch of compute and shareOut, one entry per line
	d, w    []int64
	part    []bool
	rems    []remainder
	idx     []int
	all     []int // every line
	ids     [2][]uuid.UUID
	applied []int
	steps   int // line evaluations so far, for the bounded search

	chosen    []int
	stack     []state
	most      []int64 // most[i]: what candidates i… could take off at most, together
	best      []int
	bestTotal int64
	haveBest  bool

	unused  []Unused
	skipped []Skipped
}

func (ev *evaluator) has(s *state, l, b int) bool {
	return s.flags[l*ev.words+b>>6]&(1<<(b&63)) != 0
}

func (ev *evaluator) set(s *state, l, b int) { s.flags[l*ev.words+b>>6] |= 1 << (b & 63) }

func (ev *evaluator) newState() state {
	return state{net: make([]int64, len(ev.lines)), flags: make([]uint64, len(ev.lines)*ev.words)}
}

func newEvaluator(sale *Sale, promotions []Promotion, coupons []Coupon) (*evaluator, error) {
	n := len(sale.Lines)
	ev := &evaluator{sale: sale, lines: sale.Lines, gross: make([]int64, n), d: make([]int64, n), w: make([]int64, n),
		part: make([]bool, n), rems: make([]remainder, 0, n), idx: make([]int, 0, n)}
	var gross int64
	ev.all = make([]int, n)
	for i, l := range sale.Lines {
		ev.all[i] = i
		ev.gross[i] = money.MulDiv(l.UnitPrice, l.Qty, 1000)
		gross += ev.gross[i]
	}
	masks := make([]bool, (len(promotions)+len(coupons))*n)
	used := 0
	try := func(c cand) bool {
		c.info = kindInfos[c.p.Kind]
		m := masks[used*n : (used+1)*n]
		if !c.scope(sale.Lines, m) {
			clear(m)
			return false
		}
		used++
		ev.cands = append(ev.cands, c)
		return true
	}
	seen := make(map[uuid.UUID]struct{}, len(promotions)+len(coupons))
	for i := range promotions {
		p := &promotions[i]
		if _, dup := seen[p.ID]; dup {
			return nil, fmt.Errorf("%w: %s", ErrDuplicatePromotion, p.ID)
		}
		seen[p.ID] = struct{}{}
		err := p.Validate()
		if err == nil && isCouponKind(p.Kind) {
			err = fmt.Errorf("%w: kind %s comes as a presented coupon, not a promotion", ErrInvalidPromotion, p.Kind)
		}
		if err != nil {
			ev.skipped = append(ev.skipped, Skipped{PromotionID: p.ID, Error: err.Error()})
			continue
		}
		if admit(p, sale) == "" {
			try(cand{p: p, id: p.ID})
		}
	}
	clear(seen)
	for i := range coupons {
		cp := &coupons[i]
		why := Why("")
		if _, dup := seen[cp.ID]; dup {
			why = WhyDuplicate
		} else if seen[cp.ID] = struct{}{}; !isCouponKind(cp.Promotion.Kind) || cp.Promotion.Validate() != nil || cp.ID == uuid.Nil {
			why = WhyInvalid
		} else if !cp.ValidFrom.IsZero() && sale.Local.Before(cp.ValidFrom) {
			why = WhyNotStarted
		} else if !cp.ValidUntil.IsZero() && !sale.Local.Before(cp.ValidUntil) {
			why = WhyExpired
		} else if why = admit(&cp.Promotion, sale); why == "" && !try(cand{p: &cp.Promotion, coupon: cp, id: cp.ID}) {
			why = WhyNoItems
		}
		if why != "" {
			ev.unused = append(ev.unused, ev.unusedFor(cp, why, outcome{}))
		}
	}
	slices.SortFunc(ev.cands, func(a, b cand) int {
		switch {
		case a.info.layer != b.info.layer:
			return a.info.layer - b.info.layer
		case a.p.Priority != b.p.Priority:
			if a.p.Priority > b.p.Priority {
				return -1
			}
			return 1
		case a.info.rank != b.info.rank:
			return a.info.rank - b.info.rank
		}
		return cmpUUID(a.id, b.id)
	})
	groups := map[string]int{}
	templates := map[uuid.UUID]int{}
	for i := range ev.cands {
		c := &ev.cands[i]
		c.group, c.tmpl, c.cap = -1, -1, -1
		if g := c.p.Group; g != "" {
			if _, ok := groups[g]; !ok {
				groups[g] = firstGroupBit + len(groups)
			}
			c.group = groups[g]
		}
		if c.coupon != nil {
			if _, ok := templates[c.p.ID]; !ok {
				templates[c.p.ID] = len(templates)
			}
			c.tmpl = templates[c.p.ID]
		}
		if m := c.p.Rule.MaxOff; m > 0 {
			c.cap = m
		}
		if b := c.p.RemainingBudget; b != nil && (c.cap < 0 || *b < c.cap) {
			c.cap = *b
		}
	}
	ev.words = (firstGroupBit + len(groups) + 63) / 64
	ev.start = ev.newState()
	copy(ev.start.net, ev.gross)
	ev.start.sum = gross
	for k := range ev.ids {
		ev.ids[k] = make([]uuid.UUID, 0, len(ev.cands))
	}
	return ev, nil
}

// search finds the best combination: candidate numbers in pipeline order.
func (ev *evaluator) search() []int {
	if len(ev.cands) <= exhaustiveLimit {
		ev.exhaustive()
	} else {
		ev.bounded()
	}
	return ev.best
}

// exhaustive walks every subset in pipeline order, sharing prefixes: at step
// i the candidate is either left out or, where it takes something off,
// applied to a copy of the state.
func (ev *evaluator) exhaustive() {
	k := len(ev.cands)
	ev.most = make([]int64, k+1)
	for i := k - 1; i >= 0; i-- {
		ev.most[i] = ev.most[i+1] + ev.upperBound(i)
	}
	ev.stack = make([]state, k+1)
	ev.stack[0] = ev.start // never written: includes go to stack[i+1]
	for i := 1; i <= k; i++ {
		ev.stack[i] = ev.newState()
	}
	ev.dfs(0, &ev.stack[0])
}

func (ev *evaluator) dfs(i int, s *state) {
	if ev.haveBest && money.RoundTotal(s.sum-ev.most[i], ev.sale.Rounding) > ev.bestTotal {
		return // even every remaining candidate at its most cannot win (or tie)
	}
	if i == len(ev.cands) {
		ev.consider(money.RoundTotal(s.sum, ev.sale.Rounding), ev.chosen)
		return
	}
	if ev.templateFree(i, ev.chosen) {
		last := i == len(ev.cands)-1
		if o := ev.compute(i, s, !last); o.off > 0 && last {
			ev.chosen = append(ev.chosen, i)
			ev.consider(money.RoundTotal(s.sum-o.off, ev.sale.Rounding), ev.chosen)
			ev.chosen = ev.chosen[:len(ev.chosen)-1]
		} else if o.off > 0 {
			t := &ev.stack[i+1]
			t.copyFrom(s)
			ev.commit(i, t, o)
			ev.chosen = append(ev.chosen, i)
			ev.dfs(i+1, t)
			ev.chosen = ev.chosen[:len(ev.chosen)-1]
		}
	}
	ev.dfs(i+1, s)
}

// upperBound is the most candidate i can take off in any state of the
// pipeline. Nets only fall as promotions apply, and each kind's discount
// grows with its lines' nets, so a bound on the starting nets holds
// throughout (special and member price allow 2 fen a line for rounding).
func (ev *evaluator) upperBound(i int) int64 {
	c := &ev.cands[i]
	r := &c.p.Rule
	var e, most int64
	for _, l := range c.lines {
		g, q := ev.gross[l], ev.lines[l].Qty
		e += g
		switch c.p.Kind {
		case KindSpecialPrice:
			most += max(0, g-money.MulDiv(r.Price, q, 1000)) + 2
		case KindMemberPrice:
			most += max(0, g-money.MulDiv(*ev.lines[l].MemberPrice, q, 1000)) + 2
		case KindPercentOff, KindTierDiscount:
			most += money.MulDiv(g, r.OffBP, 10000)
		case KindAmountOff:
			most += min(g, money.MulDiv(r.Amount, q, 1000))
		}
	}
	switch c.p.Kind {
	case KindBuyNGetM, KindNthItem, KindBundle:
		most = e
	case KindSpendAmountOff:
		for _, st := range r.Steps {
			most = max(most, st.Off)
		}
		if r.Repeat {
			if k := e / r.Steps[0].Threshold; k <= e/r.Steps[0].Off {
				most = k * r.Steps[0].Off
			} else {
				most = e
			}
		}
	case KindSpendPercentOff:
		for _, st := range r.Steps {
			most = max(most, money.MulDiv(e, st.OffBP, 10000))
		}
	case KindCouponAmount:
		most = r.Amount
	case KindCouponPercent:
		most = money.MulDiv(e, r.OffBP, 10000)
	}
	if c.cap >= 0 {
		most = min(most, c.cap)
	}
	return min(most, e)
}

// bounded: the empty set, every single candidate, then greedy extensions of
// each single candidate, best first, until searchSteps line evaluations are
// spent. A greedy step adds the candidate that gives the best result and
// stops when none improves on the set it has.
func (ev *evaluator) bounded() {
	ev.work = ev.newState()
	t, a := ev.evaluate(nil)
	ev.consider(t, a)
	type start struct {
		total int64
		set   []int
	}
	var starts []start
	for i := range ev.cands {
		t, a := ev.evaluate([]int{i})
		ev.consider(t, a)
		if len(a) > 0 {
			starts = append(starts, start{t, slices.Clone(a)})
		}
	}
	slices.SortStableFunc(starts, func(x, y start) int {
		switch {
		case ev.better(x.total, x.set, y.total, y.set):
			return -1
		case ev.better(y.total, y.set, x.total, x.set):
			return 1
		}
		return 0
	})
	budget := ev.steps + searchSteps
	for _, st := range starts {
		if ev.steps >= budget {
			return
		}
		ev.greedy(st.set, st.total, budget)
	}
}

func (ev *evaluator) greedy(cur []int, curTotal int64, budget int) {
	var trial, next []int
	for {
		found, nextTotal := false, int64(0)
		for j := range ev.cands {
			if slices.Contains(cur, j) || !ev.templateFree(j, cur) {
				continue
			}
			if ev.steps >= budget {
				return
			}
			at, _ := slices.BinarySearch(cur, j)
			trial = append(append(append(trial[:0], cur[:at]...), j), cur[at:]...)
			t, a := ev.evaluate(trial)
			ev.consider(t, a)
			if !found || ev.better(t, a, nextTotal, next) {
				found, nextTotal, next = true, t, append(next[:0], a...)
			}
		}
		if !found || !ev.better(nextTotal, next, curTotal, cur) {
			return
		}
		cur, curTotal = slices.Clone(next), nextTotal
	}
}

// evaluate runs the pipeline over a set of candidates (in pipeline order)
// and returns the total and the ones that took something off (in
// ev.applied, valid until the next call).
func (ev *evaluator) evaluate(set []int) (int64, []int) {
	s := &ev.work
	s.copyFrom(&ev.start)
	ev.applied = ev.applied[:0]
	for _, i := range set {
		if !ev.templateFree(i, ev.applied) {
			continue
		}
		if o := ev.compute(i, s, true); o.off > 0 {
			ev.commit(i, s, o)
			ev.applied = append(ev.applied, i)
		}
	}
	return money.RoundTotal(s.sum, ev.sale.Rounding), ev.applied
}

// templateFree: no coupon of candidate i's template is in set.
func (ev *evaluator) templateFree(i int, set []int) bool {
	t := ev.cands[i].tmpl
	if t < 0 {
		return true
	}
	for _, j := range set {
		if ev.cands[j].tmpl == t {
			return false
		}
	}
	return true
}

func (ev *evaluator) consider(total int64, set []int) {
	if ev.haveBest && !ev.better(total, set, ev.bestTotal, ev.best) {
		return
	}
	ev.haveBest, ev.bestTotal, ev.best = true, total, append(ev.best[:0], set...)
}

// better orders combinations: lower total, then fewer promotions, then the
// lexicographically smaller sorted ids.
func (ev *evaluator) better(ta int64, a []int, tb int64, b []int) bool {
	if ta != tb {
		return ta < tb
	}
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	x, y := ev.ids[0][:0], ev.ids[1][:0]
	for i := range a {
		x, y = append(x, ev.cands[a[i]].id), append(y, ev.cands[b[i]].id)
	}
	slices.SortFunc(x, cmpUUID)
	slices.SortFunc(y, cmpUUID)
	return slices.CompareFunc(x, y, cmpUUID) < 0
}

// build replays the chosen combination, recording and explaining every
// allocation, then rounds the total and says why unused coupons were not used.
func (ev *evaluator) build(chosen []int) Result {
	res := Result{Lines: make([]PricedLine, len(ev.lines)), Applied: []Applied{}, UnusedCoupons: ev.unused, Skipped: ev.skipped}
	for l := range ev.lines {
		res.Lines[l] = PricedLine{Index: ev.lines[l].Index, Gross: ev.gross[l], Discounts: []Allocation{}}
		res.Gross += ev.gross[l]
	}
	s := ev.newState()
	s.copyFrom(&ev.start)
	for _, i := range chosen {
		c := &ev.cands[i]
		o := ev.compute(i, &s, true)
		ev.commit(i, &s, o)
		pid := c.p.ID
		var cid *uuid.UUID
		if c.coupon != nil {
			id := c.coupon.ID
			cid = &id
		}
		x := ev.explainer(c, o)
		for _, l := range c.lines {
			if a := ev.d[l]; a > 0 {
				zh, en := x.line(l, a)
				res.Lines[l].Discounts = append(res.Lines[l].Discounts,
					Allocation{PromotionID: &pid, CouponID: cid, Kind: c.p.Kind, Amount: a, Label: zh, LabelEn: en})
			}
		}
		zh, en := x.applied()
		ap := Applied{PromotionID: pid, CouponID: cid, Kind: c.p.Kind, Name: x.name[0], NameEn: x.name[1], Discount: o.off, Explanation: zh, ExplanationEn: en}
		if c.coupon != nil {
			ap.CouponCode = c.coupon.Code
		}
		res.Applied = append(res.Applied, ap)
		res.Discount += o.off
	}
	res.Total = money.RoundTotal(s.sum, ev.sale.Rounding)
	res.Rounding = s.sum - res.Total
	if res.Rounding != 0 {
		ev.shareOut(res.Rounding, s.net, ev.d, ev.all)
		for l := range ev.lines {
			if a := ev.d[l]; a != 0 {
				s.net[l] -= a
				zh, en := roundingLabel(ev.sale.Rounding, a)
				res.Lines[l].Discounts = append(res.Lines[l].Discounts, Allocation{Kind: KindRounding, Amount: a, Label: zh, LabelEn: en})
			}
		}
	}
	for l := range res.Lines {
		res.Lines[l].Net = s.net[l]
	}
	for i := range ev.cands {
		if ev.cands[i].coupon != nil && !slices.Contains(chosen, i) {
			res.UnusedCoupons = append(res.UnusedCoupons, ev.whyUnused(chosen, i, &s))
		}
	}
	if res.UnusedCoupons == nil {
		res.UnusedCoupons = []Unused{}
	}
	slices.SortStableFunc(res.UnusedCoupons, func(a, b Unused) int { return cmpUUID(a.CouponID, b.CouponID) })
	slices.SortStableFunc(res.Skipped, func(a, b Skipped) int { return cmpUUID(a.PromotionID, b.PromotionID) })
	return res
}

// whyUnused replays the chosen promotions up to coupon candidate i and says
// what stops it there.
func (ev *evaluator) whyUnused(chosen []int, i int, s *state) Unused {
	c := &ev.cands[i]
	if !ev.templateFree(i, chosen) {
		return ev.unusedFor(c.coupon, WhySameTemplate, outcome{})
	}
	s.copyFrom(&ev.start)
	for _, j := range chosen {
		if j > i {
			break
		}
		ev.commit(j, s, ev.compute(j, s, true))
	}
	o := ev.compute(i, s, false)
	switch {
	case o.lines == 0:
		return ev.unusedFor(c.coupon, WhyConflict, o)
	case o.base < c.p.Rule.Threshold:
		return ev.unusedFor(c.coupon, WhyThreshold, o)
	case o.off == 0:
		return ev.unusedFor(c.coupon, WhyNoDiscount, o)
	}
	return ev.unusedFor(c.coupon, WhyNotBest, o)
}
