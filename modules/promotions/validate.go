package promotions

import (
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/problem"
)

// Limits of what one promotion or batch may list, beyond the engine's own
// (Validate): a promotion is evaluated on every cart, so its id lists stay
// short enough to scan.
const (
	maxListIDs  = 1000 // SKUs, categories, brands, stores, each
	maxTiers    = 100
	maxTimes    = 24
	maxCodesAsk = 50 // coupon codes one CouponsFor call may present
)

// fields collects every field error of one input, so a client learns all
// of them at once.
type fields []problem.FieldError

func (f *fields) add(field, format string, args ...any) {
	*f = append(*f, problem.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// has reports whether a field (or one under it) already has an error.
func (f fields) has(prefix string) bool {
	for _, e := range f {
		if e.Field == prefix || strings.HasPrefix(e.Field, prefix+".") || strings.HasPrefix(e.Field, prefix+"[") {
			return true
		}
	}
	return false
}

// engineField turns Validate's error ("promotions: invalid promotion:
// rule.off_bp must be 1…10000") into a field error.
func engineField(err error) problem.FieldError {
	msg := strings.TrimPrefix(err.Error(), ErrInvalidPromotion.Error()+": ")
	field, rest, ok := strings.Cut(msg, " ")
	if !ok {
		return problem.FieldError{Field: "rule", Message: msg}
	}
	return problem.FieldError{Field: field, Message: rest}
}

func checkIDs(f *fields, field string, ids []uuid.UUID) {
	if len(ids) > maxListIDs {
		f.add(field, "must have at most %d items", maxListIDs)
	}
}

func checkItems(f *fields, prefix string, it Items) {
	checkIDs(f, prefix+".skus", it.SKUs)
	checkIDs(f, prefix+".categories", it.Categories)
	checkIDs(f, prefix+".brands", it.Brands)
	checkIDs(f, prefix+".exclude_skus", it.ExcludeSKUs)
	checkIDs(f, prefix+".exclude_categories", it.ExcludeCategories)
	checkIDs(f, prefix+".exclude_brands", it.ExcludeBrands)
}

// checkScopes checks what the engine's Validate does not: list lengths,
// and a store list only with the list scope.
func checkScopes(f *fields, st Stores, it Items, au Audience, rule Rule) {
	checkItems(f, "items", it)
	checkIDs(f, "stores.ids", st.IDs)
	if st.Scope != StoresList && len(st.IDs) > 0 {
		f.add("stores.ids", "must be empty unless stores.scope is list")
	}
	if len(au.Tiers) > maxTiers {
		f.add("audience.tiers", "must have at most %d items", maxTiers)
	}
	if len(rule.Components) <= maxComponents {
		for i, c := range rule.Components {
			checkItems(f, fmt.Sprintf("rule.components[%d].items", i), c.Items)
		}
	}
}

func checkWindow(f *fields, w WindowSpec) {
	if len(w.Weekdays) > 7 {
		f.add("window.weekdays", "must have at most 7 days")
	}
	if len(w.Times) > maxTimes {
		f.add("window.times", "must have at most %d ranges", maxTimes)
	}
}

// engineCheck runs the engine's own Validate unless a field it would name
// already failed.
func engineCheck(f *fields, p Promotion) {
	if err := p.Validate(); err != nil {
		fe := engineField(err)
		if !f.has(fe.Field) {
			*f = append(*f, fe)
		}
	}
}

func normScope(s Stores) Stores {
	if s.Scope == "" {
		s.Scope = StoresAll
	}
	return s
}

// definition builds the promotion an input describes (owner and status
// are the service's), reporting every invalid field.
func (in PromotionInput) definition(id uuid.UUID) (Definition, fields) {
	d := Definition{ID: id, Name: strings.TrimSpace(in.Name), NameEn: strings.TrimSpace(in.NameEn), Kind: in.Kind,
		Owner: OwnerHQ, Status: StatusDraft, Priority: in.Priority, Exclusive: in.Exclusive, Group: strings.TrimSpace(in.Group),
		Forced: in.Forced, Stores: normScope(in.Stores), Items: in.Items, Audience: in.Audience, Window: in.Window, Rule: in.Rule,
		Budget: in.Budget, PerMemberLimit: in.PerMemberLimit}
	return d, d.check()
}

// check validates a whole definition: the kind is a promotion's (coupon
// kinds are batches), the lists are bounded, and the engine accepts it.
func (d *Definition) check() fields {
	var f fields
	if d.Name == "" {
		f.add("name", "is required")
	}
	if info, ok := kindInfos[d.Kind]; !ok {
		f.add("kind", "must be one of: special_price, member_price, percent_off, amount_off, tier_discount, buy_n_get_m, nth_item, bundle, spend_amount_off, spend_percent_off")
	} else if info.layer == layerCoupon {
		f.add("kind", "is a coupon kind: coupons are made by coupon batches (POST /api/v1/coupon-batches)")
	}
	checkScopes(&f, d.Stores, d.Items, d.Audience, d.Rule)
	checkWindow(&f, d.Window)
	if !f.has("kind") {
		engineCheck(&f, d.Engine())
	}
	return f
}

// apply merges a PATCH into a copy of the definition and validates it.
func (u PromotionUpdate) apply(d Definition) (Definition, fields) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = strings.TrimSpace(*src)
		}
	}
	set(&d.Name, u.Name)
	set(&d.NameEn, u.NameEn)
	set(&d.Group, u.Group)
	if u.Priority != nil {
		d.Priority = *u.Priority
	}
	if u.Exclusive != nil {
		d.Exclusive = *u.Exclusive
	}
	if u.Forced != nil {
		d.Forced = *u.Forced
	}
	if u.Stores != nil {
		d.Stores = normScope(*u.Stores)
	}
	if u.Items != nil {
		d.Items = *u.Items
	}
	if u.Audience != nil {
		d.Audience = *u.Audience
	}
	if u.Window != nil {
		d.Window = *u.Window
	}
	if u.Rule != nil {
		d.Rule = *u.Rule
	}
	var f fields
	switch {
	case u.ClearBudget && u.Budget != nil:
		f.add("clear_budget", "cannot be set together with budget")
	case u.ClearBudget:
		d.Budget = nil
	case u.Budget != nil:
		d.Budget = u.Budget
	}
	switch {
	case u.ClearPerMemberLimit && u.PerMemberLimit != nil:
		f.add("clear_per_member_limit", "cannot be set together with per_member_limit")
	case u.ClearPerMemberLimit:
		d.PerMemberLimit = nil
	case u.PerMemberLimit != nil:
		d.PerMemberLimit = u.PerMemberLimit
	}
	return d, append(f, d.check()...)
}

// template is the engine's view of a batch: the coupon's rule and scopes.
func (b *Batch) template() Promotion {
	return Promotion{ID: b.ID, Name: b.Name, NameEn: b.NameEn, Kind: b.Kind, Priority: b.Priority,
		Exclusive: b.Exclusive, Group: b.Group, Stores: b.Stores, Items: b.Items, Audience: b.Audience, Rule: b.Rule}
}

// batch builds the batch an input describes, reporting every invalid field.
func (in BatchInput) batch(id uuid.UUID) (Batch, fields) {
	b := Batch{ID: id, Name: strings.TrimSpace(in.Name), NameEn: strings.TrimSpace(in.NameEn), Kind: in.Kind, IssueMode: in.IssueMode,
		Priority: in.Priority, Exclusive: in.Exclusive, Group: strings.TrimSpace(in.Group), Stores: normScope(in.Stores),
		Items: in.Items, Audience: in.Audience, Rule: in.Rule, Quantity: in.Quantity, ValidDays: in.ValidDays}
	utc := func(t *time.Time) *time.Time {
		if t == nil {
			return nil
		}
		u := t.UTC()
		return &u
	}
	b.ValidFrom, b.ValidUntil = utc(in.ValidFrom), utc(in.ValidUntil)
	var f fields
	if b.Name == "" {
		f.add("name", "is required")
	}
	switch {
	case b.ValidUntil == nil && b.ValidDays == nil:
		f.add("valid_until", "or valid_days is required")
	case b.ValidUntil != nil && b.ValidDays != nil:
		f.add("valid_days", "cannot be set together with valid_until")
	case b.ValidUntil != nil && b.ValidFrom != nil && !b.ValidUntil.After(*b.ValidFrom):
		f.add("valid_until", "must be after valid_from")
	}
	if b.ValidDays != nil && b.ValidFrom != nil {
		f.add("valid_from", "is only for a fixed validity (valid_until); valid_days counts from each coupon's issue")
	}
	if b.IssueMode == IssuePrinted && b.Quantity > maxPrinted {
		f.add("quantity", "must be at most %d for printed codes", maxPrinted)
	}
	if b.IssueMode == IssuePrinted && (b.Audience.MembersOnly || len(b.Audience.Tiers) > 0) {
		f.add("audience", "must be everyone for printed codes, which anyone may present")
	}
	if len(b.Rule.Steps) > 0 || len(b.Rule.Components) > 0 || b.Rule.N != 0 || b.Rule.M != 0 || b.Rule.Price != 0 {
		f.add("rule", "takes amount (coupon_amount) or off_bp (coupon_percent), threshold and max_off only")
	}
	checkScopes(&f, b.Stores, b.Items, b.Audience, b.Rule)
	if !f.has("kind") && !f.has("rule") {
		engineCheck(&f, b.template())
	}
	return b, f
}

// errFields is a 422 of code e listing f, or nil when f is empty.
func errFields(e *problem.Error, f fields) error {
	if len(f) == 0 {
		return nil
	}
	return e.WithFields(f...)
}
