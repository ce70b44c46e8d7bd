package pos

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/money"
	"chainstore/infra/problem"
	"chainstore/modules/catalog"
	"chainstore/modules/members"
	"chainstore/modules/promotions"
	"chainstore/tenant"
	"chainstore/tenant/authz"
	"chainstore/tenant/org"
)

// cartLine is one line while it is priced.
type cartLine struct {
	item      catalog.SaleItem
	barcode   string
	qty       int64
	listPrice int64
	unitPrice int64 // the list price, or the override's
	override  *Override
}

// pricing is a priced cart and what it was priced from: what the sale
// writes, and what promotions' Consume is told.
type pricing struct {
	store    org.Facts
	at       time.Time
	settings Settings
	member   *members.Member
	rule     members.PointsRule
	lines    []cartLine
	sale     promotions.Sale
	result   promotions.Result
	cart     PricedCart
	// needs are why a manager must approve (an override or manual
	// discount beyond the cashier's limit), empty when none is needed.
	needs []string
	// overrideIndexes are the lines whose price a person set.
	overrides []int
}

// priceOptions are what a sale adds to a cart price.
type priceOptions struct {
	manualDiscount int64
	// offline: an upload of a sale already made; a frozen member's sale
	// still counts (flagged), and nothing is refused that the till could
	// not have known.
	offline bool
	flags   *[]string
}

// PriceCart prices a cart at the store now: the prices in force, every
// promotion and coupon the best combination takes with its explanation,
// the member's price and tier benefits, the points asked for and what the
// sale would earn. Nothing is written (a QR token is used up). Errors:
// ErrBadCart (with the lines' field errors), ErrSKUNotFound, ErrNoPrice,
// ErrMemberNotFound, ErrMemberFrozen, ErrPoints, org.ErrStoreNotFound.
func (s *Service) PriceCart(ctx context.Context, actor *tenant.Principal, storeID uuid.UUID, in CartInput) (PricedCart, error) {
	var out PricedCart
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		p, err := s.price(ctx, actor, storeID, in, s.clock.Now(), priceOptions{})
		if err != nil {
			return err
		}
		out = p.cart
		return nil
	})
	return out, err
}

func (s *Service) price(ctx context.Context, actor *tenant.Principal, storeID uuid.UUID, in CartInput, at time.Time, opt priceOptions) (*pricing, error) {
	tenantID := actor.TenantID
	store, err := s.org.Store(ctx, tenantID, storeID)
	if err != nil {
		return nil, err
	}
	settings, err := s.Settings(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	p := &pricing{store: store, at: at, settings: settings}
	if err := s.resolveLines(ctx, tenantID, p, in.Lines); err != nil {
		return nil, err
	}
	if in.Member != nil {
		m, err := s.resolveMember(ctx, tenantID, storeID, *in.Member)
		if err != nil {
			return nil, err
		}
		if m.Card != nil && m.Card.Status != "active" {
			if !opt.offline {
				return nil, ErrMemberFrozen.WithDetail("the member's card is %s; it cannot be used at the till", m.Card.Status)
			}
			*opt.flags = append(*opt.flags, "member_frozen")
		} else {
			p.member = &m
		}
	}
	if p.member != nil {
		if p.rule, err = s.members.PointsRuleOf(ctx, tenantID); err != nil {
			return nil, err
		}
	}
	if err := s.checkOverrides(ctx, actor, p); err != nil {
		return nil, err
	}
	if err := s.applyPromotions(ctx, tenantID, p, in.Coupons); err != nil {
		return nil, err
	}
	s.assemble(p, opt.manualDiscount)
	if err := s.applyPoints(p, in.PointsToUse); err != nil {
		return nil, err
	}
	return p, nil
}

// resolveLines finds every line's SKU, price in force and quantity in one
// catalog call.
func (s *Service) resolveLines(ctx context.Context, tenantID uuid.UUID, p *pricing, in []LineInput) error {
	var bad []problem.FieldError
	var ids []uuid.UUID
	var codes []string
	for i, l := range in {
		f := fmt.Sprintf("lines[%d]", i)
		switch {
		case (l.SKUID == nil) == (l.Barcode == ""):
			bad = append(bad, problem.FieldError{Field: f, Message: "give exactly one of sku_id and barcode"})
		case l.SKUID != nil:
			ids = append(ids, *l.SKUID)
		default:
			codes = append(codes, l.Barcode)
		}
	}
	if len(bad) > 0 {
		return ErrBadCart.WithFields(bad...)
	}
	items, scans, err := s.catalog.ForSale(ctx, tenantID, p.store.ID, p.at, ids, codes)
	if err != nil {
		return err
	}
	var missing, unpriced []problem.FieldError
	for i, l := range in {
		f := fmt.Sprintf("lines[%d]", i)
		var it catalog.SaleItem
		var scan *catalog.ScanInfo
		var ok bool
		if l.SKUID != nil {
			it, ok = items[*l.SKUID]
		} else if sc, found := scans[l.Barcode]; found {
			it, ok = items[sc.SKUID]
			scan = &sc.Info
		}
		if !ok {
			missing = append(missing, problem.FieldError{Field: f, Message: "is no product of this chain"})
			continue
		}
		if it.ListPrice == nil {
			unpriced = append(unpriced, problem.FieldError{Field: f, Message: fmt.Sprintf("%s has no price in force", it.Name)})
			continue
		}
		qty := l.Qty
		if qty == 0 && scan != nil && scan.Quantity != nil {
			qty = *scan.Quantity
		}
		switch {
		case qty <= 0:
			bad = append(bad, problem.FieldError{Field: f + ".qty", Message: "must be positive (thousandths of the unit: 1000 = 1)"})
		case qty > promotions.MaxQty:
			bad = append(bad, problem.FieldError{Field: f + ".qty", Message: fmt.Sprintf("must be at most %d", promotions.MaxQty)})
		case !it.Weighed && qty%1000 != 0:
			bad = append(bad, problem.FieldError{Field: f + ".qty", Message: "must be whole units (a multiple of 1000) for counted goods"})
		}
		line := cartLine{item: it, qty: qty, listPrice: *it.ListPrice, unitPrice: *it.ListPrice, override: l.Override}
		if scan != nil {
			line.barcode = scan.Barcode
		} else if len(it.Barcodes) > 0 {
			line.barcode = it.Barcodes[0]
		}
		if l.Override != nil {
			line.unitPrice = l.Override.UnitPrice
			p.overrides = append(p.overrides, i)
		}
		p.lines = append(p.lines, line)
	}
	switch {
	case len(missing) > 0:
		return ErrSKUNotFound.WithFields(missing...)
	case len(unpriced) > 0:
		return ErrNoPrice.WithFields(unpriced...)
	case len(bad) > 0:
		return ErrBadCart.WithFields(bad...)
	}
	return nil
}

// resolveMember finds the customer by card, phone, QR token or id.
func (s *Service) resolveMember(ctx context.Context, tenantID, storeID uuid.UUID, ref MemberRef) (members.Member, error) {
	n := 0
	for _, set := range []bool{ref.Card != "", ref.Phone != "", ref.QR != "", ref.ID != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return members.Member{}, ErrBadCart.WithFields(problem.FieldError{Field: "member", Message: "give exactly one of card, phone, qr_token and id"})
	}
	var m members.Member
	var err error
	if ref.ID != nil {
		m, err = s.members.Get(ctx, tenantID, *ref.ID, false)
	} else {
		m, err = s.members.Lookup(ctx, tenantID, storeID, members.Lookup{Card: ref.Card, Phone: ref.Phone, QR: ref.QR}, false)
	}
	switch {
	case errors.Is(err, members.ErrNotFound):
		return m, ErrMemberNotFound
	case err != nil:
		var pe *problem.Error
		if errors.As(err, &pe) && pe.Status < 500 {
			return m, ErrMemberNotFound.WithDetail("%s", pe.Title)
		}
		return m, err
	case m.Status != "active":
		return m, ErrMemberNotFound.WithDetail("the member's record is %s", m.Status)
	}
	return m, nil
}

// checkOverrides lets a price override through when the caller may
// override prices, or when it is within the chain's cashier limit;
// otherwise it asks for a manager's approval (p.needs).
func (s *Service) checkOverrides(ctx context.Context, actor *tenant.Principal, p *pricing) error {
	if len(p.overrides) == 0 {
		return nil
	}
	may, err := s.authz.CanStore(ctx, actor, p.store.ID, authz.PosPriceOverride)
	if err != nil || may {
		return err
	}
	for _, i := range p.overrides {
		l := p.lines[i]
		if l.unitPrice >= l.listPrice {
			continue // a price raised is audited, not approved
		}
		depth := money.MulDiv(l.listPrice-l.unitPrice, 10000, l.listPrice)
		if depth > int64(p.settings.CashierDiscountBP) {
			p.needs = append(p.needs, fmt.Sprintf("lines[%d]: %s at %s instead of %s", i, l.item.Name,
				money.FormatYuan(l.unitPrice), money.FormatYuan(l.listPrice)))
		}
	}
	return nil
}

// applyPromotions prices the lines whose price was not overridden with
// the promotions in force, the member's tier benefits and the coupons
// presented (promotions' engine: the best combination the rules allow).
func (s *Service) applyPromotions(ctx context.Context, tenantID uuid.UUID, p *pricing, codes []string) error {
	in, err := s.promos.InForce(ctx, tenantID, p.store, p.at)
	if err != nil {
		return err
	}
	promos := append([]promotions.Promotion(nil), in...)
	customer := promotions.Customer{}
	var memberID *uuid.UUID
	if p.member != nil {
		memberID = &p.member.ID
		customer.MemberID = memberID
		if p.member.Tier != nil {
			customer.TierID = &p.member.Tier.ID
		}
		promos = append(promos, tierBenefits(p.member, promos)...)
		ids := make([]uuid.UUID, len(promos))
		for i, pr := range promos {
			ids[i] = pr.ID
		}
		left, err := s.promos.MemberUsesLeft(ctx, tenantID, p.member.ID, ids)
		if err != nil {
			return err
		}
		for i := range promos {
			if n, ok := left[promos[i].ID]; ok {
				promos[i].MemberUsesLeft = &n
			}
		}
	}
	var coupons []promotions.Coupon
	var refused []promotions.Refused
	if len(codes) > 0 {
		if coupons, refused, err = s.promos.CouponsFor(ctx, tenantID, codes, memberID, p.at); err != nil {
			return err
		}
	}
	sale := promotions.Sale{StoreID: p.store.ID, StoreType: promotions.StoreType(p.store.Type), Local: p.at.In(p.store.Location),
		Customer: customer}
	for i, l := range p.lines {
		if l.override != nil {
			continue
		}
		sale.Lines = append(sale.Lines, promotions.Line{Index: i, SKUID: l.item.SKUID, CategoryPath: l.item.CategoryPath,
			BrandID: l.item.BrandID, Weighed: l.item.Weighed, Qty: l.qty, UnitPrice: l.unitPrice, MemberPrice: l.item.MemberPrice})
	}
	p.sale = sale
	if len(sale.Lines) > 0 {
		if p.result, err = promotions.Price(sale, promos, coupons); err != nil {
			return ErrBadCart.WithDetail("%v", err)
		}
	}
	for _, r := range refused {
		p.cart.Coupons = append(p.cart.Coupons, CouponState{Code: r.Code, Why: string(r.Why), Reason: r.Reason, ReasonEn: r.ReasonEn})
	}
	for _, u := range p.result.UnusedCoupons {
		id := u.CouponID
		p.cart.Coupons = append(p.cart.Coupons, CouponState{Code: u.Code, CouponID: &id, Why: string(u.Why), Reason: u.Reason, ReasonEn: u.ReasonEn})
	}
	for _, a := range p.result.Applied {
		p.cart.Applied = append(p.cart.Applied, AppliedPromo{PromotionID: a.PromotionID, CouponID: a.CouponID, Kind: a.Kind, Name: a.Name,
			NameEn: a.NameEn, Discount: a.Discount, Explanation: a.Explanation, ExplanationEn: a.ExplanationEn})
		if a.CouponID != nil {
			p.cart.Coupons = append(p.cart.Coupons, CouponState{Code: a.CouponCode, CouponID: a.CouponID, Used: true})
		}
	}
	return nil
}

// tierNamespace names the promotions a member's tier stands for.
var tierNamespace = uuid.MustParse("01a2381a-0000-7000-8000-00000000715e")

// tierBenefits are the member's tier as promotions: its member prices
// (会员价; every member when the member has no tier) and its discount
// (会员等级折扣), in one stacking group so a line takes the better of the
// two, and the engine weighs them against the promotions in force. A
// promotion of the same kind in force already stands for them.
func tierBenefits(m *members.Member, inForce []promotions.Promotion) []promotions.Promotion {
	has := map[promotions.Kind]bool{}
	for _, p := range inForce {
		has[p.Kind] = true
	}
	var out []promotions.Promotion
	key := "member"
	if m.Tier != nil {
		key = m.Tier.ID.String()
	}
	if !has[promotions.KindMemberPrice] && (m.Tier == nil || m.Tier.MemberPrice) {
		out = append(out, promotions.Promotion{ID: uuid.NewSHA1(tierNamespace, []byte(key+":member_price")), Name: "会员价", NameEn: "Member price",
			Kind: promotions.KindMemberPrice, Group: "member", Audience: promotions.Audience{MembersOnly: true}})
	}
	if t := m.Tier; t != nil && t.DiscountBP > 0 && !has[promotions.KindTierDiscount] {
		out = append(out, promotions.Promotion{ID: uuid.NewSHA1(tierNamespace, []byte(key+":tier_discount")), Name: t.Name + "折扣",
			NameEn: t.Name + " discount", Kind: promotions.KindTierDiscount, Group: "member",
			Audience: promotions.Audience{Tiers: []uuid.UUID{t.ID}}, Rule: promotions.Rule{OffBP: int64(t.DiscountBP)}})
	}
	return out
}

// isTierBenefit tells the promotions a tier stands for from the chain's
// own, which promotions' Consume knows.
func isTierBenefit(m *members.Member, id uuid.UUID) bool {
	if m == nil {
		return false
	}
	for _, b := range tierBenefits(m, nil) {
		if b.ID == id {
			return true
		}
	}
	return false
}

// assemble writes the priced lines: the engine's allocations, overridden
// lines at their price, then the manual discount and the rounding (抹零)
// over the whole cart, each allocated to lines.
func (s *Service) assemble(p *pricing, manual int64) {
	byIndex := map[int]promotions.PricedLine{}
	for _, l := range p.result.Lines {
		byIndex[l.Index] = l
	}
	c := &p.cart
	c.StoreID, c.PricedAt = p.store.ID, p.at
	c.Lines = make([]PricedLine, len(p.lines))
	for i, l := range p.lines {
		pl := PricedLine{LineNo: i + 1, SKUID: l.item.SKUID, Code: l.item.Code, Name: l.item.Name, Barcode: l.barcode, Unit: l.item.Unit,
			Weighed: l.item.Weighed, Qty: l.qty, ListPrice: l.listPrice, MemberPrice: l.item.MemberPrice, UnitPrice: l.unitPrice,
			VATRateBP: l.item.TaxRateBP, Override: l.override, Allocations: []Allocation{},
			categoryPath: l.item.CategoryPath, brandID: l.item.BrandID}
		if e, ok := byIndex[i]; ok {
			pl.Gross, pl.Net = e.Gross, e.Net
			for _, a := range e.Discounts {
				pl.Allocations = append(pl.Allocations, Allocation{Kind: string(a.Kind), PromotionID: a.PromotionID, CouponID: a.CouponID,
					Amount: a.Amount, Label: a.Label, LabelEn: a.LabelEn})
			}
		} else {
			pl.Gross = money.MulDiv(l.unitPrice, l.qty, 1000)
			pl.Net = pl.Gross
			if l.override != nil {
				pl.Gross = money.MulDiv(l.listPrice, l.qty, 1000)
				if off := pl.Gross - pl.Net; off != 0 {
					pl.Allocations = append(pl.Allocations, Allocation{Kind: "price_override", Amount: off,
						Label: "改价：" + l.override.Reason, LabelEn: "Price override: " + l.override.Reason})
				}
			}
		}
		c.Lines[i] = pl
	}
	if manual > 0 {
		spread(c.Lines, manual, "manual_discount", "整单优惠", "Manual discount")
	}
	var total int64
	for _, l := range c.Lines {
		total += l.Net
	}
	if r := total - money.RoundTotal(total, money.Rounding(p.settings.Rounding)); r != 0 {
		spread(c.Lines, r, "rounding", "抹零", "Rounding")
	}
	c.Gross, c.Discount, c.Rounding, c.Total = 0, 0, 0, 0
	for i := range c.Lines {
		l := &c.Lines[i]
		l.Discount = l.Gross - l.Net
		c.Gross += l.Gross
		c.Total += l.Net
		for _, a := range l.Allocations {
			if a.Kind == "rounding" {
				c.Rounding += a.Amount
			}
		}
	}
	c.Discount = c.Gross - c.Total - c.Rounding
	c.Payable = c.Total
}

// spread takes amount off the lines in proportion to their nets (largest
// remainder, ties to the earlier line), never a line below zero; a
// negative amount (rounding up) is added the same way. The caller keeps
// amount within the lines' total.
func spread(lines []PricedLine, amount int64, kind, label, labelEn string) {
	weights := make([]int64, len(lines))
	for i, l := range lines {
		weights[i] = l.Net
	}
	for i, share := range apportion(amount, weights) {
		if share == 0 {
			continue
		}
		l := &lines[i]
		l.Net -= share
		l.Allocations = append(l.Allocations, Allocation{Kind: kind, Amount: share,
			Label: label + "：本行分摊" + money.FormatYuan(share), LabelEn: labelEn + ": " + money.FormatYuan(share) + " on this line"})
	}
}

// apportion splits amount over weights (only positive weights take a
// share) by the largest-remainder method: the shares add up to amount
// exactly, ties go to the earlier line, and no share exceeds its weight
// when |amount| is within the weights' total. With no positive weight the
// first line takes it all.
func apportion(amount int64, weights []int64) []int64 {
	out := make([]int64, len(weights))
	if len(weights) == 0 {
		return out
	}
	var total int64
	for _, w := range weights {
		if w > 0 {
			total += w
		}
	}
	if total == 0 {
		out[0] = amount
		return out
	}
	sign, a := int64(1), amount
	if a < 0 {
		sign, a = -1, -a
	}
	type rem struct {
		i int
		r *big.Int
	}
	var rems []rem
	var given int64
	bt := big.NewInt(total)
	for i, w := range weights {
		if w <= 0 {
			continue
		}
		q, r := new(big.Int).QuoRem(new(big.Int).Mul(big.NewInt(a), big.NewInt(w)), bt, new(big.Int))
		out[i] = q.Int64()
		given += out[i]
		rems = append(rems, rem{i, r})
	}
	sort.SliceStable(rems, func(x, y int) bool { return rems[x].r.Cmp(rems[y].r) > 0 })
	for k := 0; given < a; k++ {
		out[rems[k%len(rems)].i]++
		given++
	}
	for i := range out {
		out[i] *= sign
	}
	return out
}

// applyPoints prices the points asked for as a deduction from the total,
// and estimates what the sale earns (on what is paid other than points).
func (s *Service) applyPoints(p *pricing, points int64) error {
	c := &p.cart
	if p.member != nil {
		m := p.member
		c.Member = &CartMember{ID: m.ID, Name: m.Name, Phone: m.Phone, Points: m.Points, StoredValue: m.Balance,
			PointValue: p.rule.PointsValue(1000), CanSpend: m.Card == nil || m.Card.Status == "active"}
		if m.Card != nil {
			c.Member.CardNo = m.Card.Number
		}
		if m.Tier != nil {
			c.Member.TierID, c.Member.TierName = &m.Tier.ID, m.Tier.Name
		}
	}
	if points > 0 {
		switch {
		case p.member == nil:
			return ErrPoints.WithFields(problem.FieldError{Field: "points_to_use", Message: "needs the member"})
		case points > p.member.Points:
			return ErrPoints.WithFields(problem.FieldError{Field: "points_to_use", Message: fmt.Sprintf("the member has %d points", p.member.Points)})
		}
		value := p.rule.PointsValue(points)
		if value <= 0 {
			return ErrPoints.WithFields(problem.FieldError{Field: "points_to_use", Message: "are worth less than one fen"})
		}
		if value > c.Total {
			return ErrPoints.WithFields(problem.FieldError{Field: "points_to_use",
				Message: fmt.Sprintf("are worth %s, more than the total %s", money.FormatYuan(value), money.FormatYuan(c.Total))})
		}
		c.PointsUsed, c.PointsValue = points, value
		c.Payable = c.Total - value
	}
	if p.member != nil {
		mult := int64(100)
		if p.member.Tier != nil {
			mult = int64(p.member.Tier.PointsMultiplier)
		}
		c.PointsToEarn, _ = p.rule.Earned(p.earnLines(), mult)
	}
	return nil
}

// earnLines are the lines' nets less their share of the points used:
// points paid with points earn nothing.
func (p *pricing) earnLines() []members.EarnLine {
	weights := make([]int64, len(p.cart.Lines))
	for i, l := range p.cart.Lines {
		weights[i] = l.Net
	}
	less := apportion(p.cart.PointsValue, weights)
	out := make([]members.EarnLine, len(p.cart.Lines))
	for i, l := range p.cart.Lines {
		cat := p.lines[i].item.CategoryID
		out[i] = members.EarnLine{CategoryID: &cat, Amount: l.Net - less[i]}
	}
	return out
}
