package promotions

import (
	"context"
	"fmt"
	"math/big"
	"slices"

	"github.com/google/uuid"

	"chainstore/infra/problem"
	"chainstore/tenant"
)

// A franchisee's promotion may not cut deeper than the chain's
// Settings.FranchiseMaxOffBP: the most, in basis points, it can take off
// what the customer would pay for the goods it covers. By kind:
//
//   - percent_off, tier_discount: Rule.OffBP.
//   - spend_percent_off (满折): the deepest step's OffBP.
//   - spend_amount_off (满减): the deepest step's Off ÷ Threshold (a step
//     at threshold 0 is 100%); 每满 alike.
//   - nth_item (第N件X折): Rule.OffBP ÷ N, the cut over a complete group
//     (第二件半价 is 25%).
//   - buy_n_get_m (买N赠M): M ÷ (N+M).
//   - special_price, amount_off, bundle: relative to the list price in
//     force, in each store the promotion covers, when it is created,
//     changed or activated: (list − Price) ÷ list, Amount ÷ list, and
//     (the bundle's value at its dearest SKUs − Price) ÷ that value. So
//     these name SKUs (items.skus, or each component's) rather than
//     categories or brands, whose prices are not one figure; a price change
//     afterwards does not re-check a running promotion.
//   - member_price: HQ's member prices are HQ's programme; franchisees do
//     not run it.
//
// Fractions round up, so a promotion at the limit is never a basis point
// over it.

// ceilBP is ⌈a × 10000 ÷ b⌉ for 0 ≤ a, capped at 10000 (also for b ≤ 0),
// in big integers: a and b are fen up to the engine's money bound.
func ceilBP(a, b int64) int64 {
	if b <= 0 || a >= b {
		return 10000
	}
	if a <= 0 {
		return 0
	}
	n := new(big.Int).Mul(big.NewInt(a), big.NewInt(10000))
	n.Add(n, big.NewInt(b-1))
	return n.Quo(n, big.NewInt(b)).Int64()
}

// ownerFor works out the franchisee a store-scoped user's new promotion
// belongs to: the one their franchise stores belong to, or the one they
// name when their stores span several.
func (s *Service) ownerFor(v *viewer, named *uuid.UUID, f *fields) (*uuid.UUID, error) {
	own := v.franchisees()
	switch {
	case len(own) == 0:
		return nil, problem.ErrForbidden.WithDetail("promotions are created by HQ, or by a franchisee for their stores")
	case named != nil && !slices.Contains(own, *named):
		f.add("franchisee_id", "is not a franchisee of your stores")
		return nil, nil
	case named != nil:
		return named, nil
	case len(own) > 1:
		f.add("franchisee_id", "is required: your stores belong to several franchisees")
		return nil, nil
	}
	return &own[0], nil
}

// checkFranchiseStores: a franchisee's promotion covers its stores only,
// every one in the user's scope; all and franchise scopes mean every store
// of the franchisee (enforced when pricing), direct makes no sense.
func (s *Service) checkFranchiseStores(v *viewer, owner uuid.UUID, st Stores, f *fields) {
	switch st.Scope {
	case StoresDirect:
		f.add("stores.scope", "must be all, franchise or list for a franchisee's promotion (it runs in the franchisee's stores only)")
	case StoresList:
		for i, id := range st.IDs {
			ok := false
			for _, fs := range v.stores {
				ok = ok || fs.ID == id && fs.FranchiseeID != nil && *fs.FranchiseeID == owner
			}
			if !ok {
				f.add(fmt.Sprintf("stores.ids[%d]", i), "is not a store of the franchisee in your scope")
			}
		}
	}
}

// franchiseRules are what a franchisee's user's promotion must meet
// besides being valid: the settings allow franchise promotions, it is not
// forced, its stores are the franchisee's, and it is no deeper than the
// settings allow.
func (s *Service) franchiseRules(ctx context.Context, v *viewer, d *Definition) error {
	set, err := readSettings(tenant.DB(ctx), v.p.TenantID)
	if err != nil {
		return err
	}
	if !set.FranchisePromotions {
		return ErrFranchiseNotAllowed
	}
	var f fields
	if d.Forced {
		f.add("forced", "is only for HQ's promotions")
	}
	if d.Kind == KindMemberPrice {
		f.add("kind", "member_price runs HQ's member prices; franchisees do not run it")
	}
	s.checkFranchiseStores(v, *d.FranchiseeID, d.Stores, &f)
	if err := errFields(ErrInvalid, f); err != nil {
		return err
	}
	depth, f, err := s.depth(ctx, v, d)
	if err != nil {
		return err
	}
	if err := errFields(ErrInvalid, f); err != nil {
		return err
	}
	if depth > int64(set.FranchiseMaxOffBP) {
		return ErrTooDeep.WithDetail("it takes up to %d basis points off; HQ allows franchisees %d", depth, set.FranchiseMaxOffBP).
			WithFields(problem.FieldError{Field: "rule", Message: fmt.Sprintf("takes up to %d bp off, more than the %d bp HQ allows", depth, set.FranchiseMaxOffBP)})
	}
	return nil
}

// depth is how deep d cuts, in basis points (see the rules above).
func (s *Service) depth(ctx context.Context, v *viewer, d *Definition) (int64, fields, error) {
	r := &d.Rule
	var f fields
	switch d.Kind {
	case KindPercentOff, KindTierDiscount:
		return r.OffBP, nil, nil
	case KindNthItem:
		return ceilBP(r.OffBP, r.N*10000), nil, nil
	case KindBuyNGetM:
		return ceilBP(r.M, r.N+r.M), nil, nil
	case KindSpendPercentOff, KindSpendAmountOff:
		var deepest int64
		for _, st := range r.Steps {
			bp := st.OffBP
			if d.Kind == KindSpendAmountOff {
				bp = ceilBP(st.Off, st.Threshold)
			}
			deepest = max(deepest, bp)
		}
		return deepest, nil, nil
	case KindSpecialPrice, KindAmountOff, KindBundle:
	default:
		return 10000, nil, nil
	}
	// Price kinds: by the list prices of the SKUs named.
	named := func(prefix string, it Items) []uuid.UUID {
		if len(it.Categories) > 0 || len(it.Brands) > 0 || len(it.SKUs) == 0 {
			f.add(prefix, "must name SKUs (skus), not categories or brands, for a franchisee's %s: its depth is checked against their list prices", d.Kind)
		}
		return it.SKUs
	}
	var skus []uuid.UUID
	if d.Kind == KindBundle {
		for i, c := range r.Components {
			skus = append(skus, named(fmt.Sprintf("rule.components[%d].items", i), c.Items)...)
		}
	} else {
		skus = named("items", d.Items)
	}
	if len(f) > 0 {
		return 0, f, nil
	}
	if s.ListPrices == nil {
		f.add("kind", "cannot be checked against list prices here; ask HQ")
		return 0, f, nil
	}
	var stores []uuid.UUID
	for _, fs := range v.stores {
		if fs.FranchiseeID != nil && *fs.FranchiseeID == *d.FranchiseeID && (d.Stores.Scope != StoresList || slices.Contains(d.Stores.IDs, fs.ID)) {
			stores = append(stores, fs.ID)
		}
	}
	now := s.clk.Now()
	var deepest int64
	for _, store := range stores {
		prices, err := s.ListPrices(ctx, v.p.TenantID, store, skus, now)
		if err != nil {
			return 0, nil, err
		}
		list := func(field string, sku uuid.UUID) (int64, bool) {
			p, ok := prices[sku]
			if !ok || p <= 0 {
				f.add(field, "has SKU %s without a list price in store %s", sku, store)
				return 0, false
			}
			return p, true
		}
		switch d.Kind {
		case KindSpecialPrice, KindAmountOff:
			for i, sku := range d.Items.SKUs {
				p, ok := list(fmt.Sprintf("items.skus[%d]", i), sku)
				if !ok {
					continue
				}
				if d.Kind == KindSpecialPrice {
					deepest = max(deepest, ceilBP(max(0, p-r.Price), p))
				} else {
					deepest = max(deepest, ceilBP(min(r.Amount, p), p))
				}
			}
		case KindBundle:
			var value int64
			for i, c := range r.Components {
				var dearest int64
				for j, sku := range c.Items.SKUs {
					if p, ok := list(fmt.Sprintf("rule.components[%d].items.skus[%d]", i, j), sku); ok {
						dearest = max(dearest, p)
					}
				}
				value += dearest * c.Units
			}
			if value > 0 {
				deepest = max(deepest, ceilBP(max(0, value-r.Price), value))
			}
		}
	}
	return deepest, f, nil
}
