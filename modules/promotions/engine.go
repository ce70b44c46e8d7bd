// Package promotions is the promotion pricing engine (促销计算引擎). Given a
// sale (store, local time, customer, lines) with the promotions in force and
// the coupons the customer presents, Price picks the best combination the
// stacking rules allow, allocates every fen of discount to lines and explains
// each allocation in Simplified Chinese and English. It is pure: no database,
// no clock, no randomness, no goroutines; the same input gives the same
// Result, whatever the order of the promotions and coupons in it.
//
// # Money and quantities
//
// Money is int64 fen. Line.Qty is in thousandths of the pricing unit (3000 =
// 3 units; for a weighed SKU priced per kg, grams). A line's gross is
// money.MulDiv(UnitPrice, Qty, 1000); every other scaling goes through
// money.MulDiv too (half away from zero), and the tenant's rounding rule
// (money.RoundTotal) is applied once, to the total.
//
// # Candidates
//
// A promotion is a candidate when it passes Validate, its store scope admits
// the sale's store, its audience admits the customer (member price and tier
// discount need a member whatever the audience says), its window contains
// Sale.Local, its RemainingBudget and MemberUsesLeft, when set, are positive,
// and its item scope matches at least one line. The kinds that count units
// (buy N get M, Nth item, bundle) match only count goods with at least one
// whole unit; a bundle needs a line for every component; member price needs a
// line with a member price. A coupon is a candidate on the same terms plus its
// own validity interval; a presented coupon that is not a candidate, or is
// not used by the best combination, comes back in Result.UnusedCoupons with a
// machine reason and a sentence in both languages, so the POS does not consume
// it. An invalid promotion is skipped and listed in Result.Skipped (a bad row
// must not stop the tills); an invalid coupon is returned unused.
//
// # One combination: the pipeline
//
// A combination is a set of candidates, evaluated by a fixed pipeline: the
// item layer (special price, member price, percent off, amount off, tier
// discount, buy N get M, Nth item, bundle), then the order layer (满减, 满折),
// then the coupon layer. Within a layer promotions run by Priority (higher
// first), then in the kind order just listed, then by id (a coupon by its
// instance id). Each promotion sees the lines' current nets, left by the ones
// before it, and only its eligible lines: lines in its scope that no
// exclusive promotion has taken, that have not taken a promotion of the same
// non-empty Group (a line takes at most one promotion per group), and, for an
// exclusive promotion, that no promotion has touched at all. A promotion that
// takes something off touches the lines it worked on (for the order kinds,
// every eligible line with a positive net, since they all count toward the
// threshold); an exclusive one also locks them, so later promotions neither
// touch them nor count them toward their thresholds. A promotion that takes
// nothing off touches nothing. At most one coupon of a coupon template
// (Coupon.Promotion.ID) is used per sale.
//
//   - Special price and member price: the unit price becomes Rule.Price (or
//     Line.MemberPrice) where that is below the line's current unit price.
//   - Percent off and tier discount: Rule.OffBP basis points of the current
//     net. Amount off: Rule.Amount per unit (per kg for weighed goods).
//     Special price, percent off and amount off take an optional
//     Rule.LimitQty (限购): only that quantity gets the price, from the
//     dearest units first.
//   - Buy N get M: the eligible units are sorted by current unit price, dearest
//     first (ties by line order), and cut into groups of N+M; in each complete
//     group the M cheapest are free. Nth item: groups of N, the cheapest unit
//     of each complete group gets Rule.OffBP off (第二件半价: N=2, OffBP=5000).
//     Leftover units pay in full; weighed lines and fractions of a unit are
//     not units. With Rule.SameSKU the groups form within each SKU (in SKU id
//     order). Rule.LimitSets caps the groups, dearest first. The discount is
//     shared by the lines whose units are in complete groups, pro rata by the
//     value of those units, so a return of any of them gives some back.
//   - Bundle: each eligible count line serves the first component whose
//     scope it matches; a bundle takes Component.Units units of every
//     component, dearest first; bundles repeat while complete, while worth
//     more than Rule.Price, and up to Rule.LimitSets. The discount (their
//     value less Rule.Price each) is shared by the component lines pro rata by
//     the value of the units used.
//   - 满减: with E the current net of the eligible lines, the step with the
//     largest Off whose Threshold ≤ E; with Rule.Repeat (每满, one step),
//     floor(E / Threshold) × Off. 满折: the largest OffBP whose Threshold ≤ E,
//     of E. Coupons: Rule.Amount, or Rule.OffBP of E, once E ≥ Rule.Threshold.
//     These are shared by the eligible lines pro rata by current net.
//   - Every discount is capped at Rule.MaxOff (when positive), at the
//     RemainingBudget and at what its lines have left: no line goes below
//     zero. A capped discount is re-shared pro rata to what was computed.
//
// Shares use the largest-remainder method (ties to the earlier line), so they
// add up exactly.
//
// # The best combination
//
// Only candidates count: promotions that pass every check above and match a
// line, so a till cart has a handful. With at most 12, every subset is
// evaluated, as a depth-first walk in pipeline order that shares prefixes,
// skips a promotion where it would take nothing off, and leaves a branch
// once even the most its remaining candidates could take off (bounded on
// the starting nets, which only fall) cannot reach the best total found.
// With more, a bounded search evaluates the empty set and every single
// candidate, then extends each single candidate greedily, best first (the
// first of these is the greedy extension of the empty set): repeatedly add
// the candidate that gives the best result, until none improves, within a
// budget of 4 million line evaluations (a few milliseconds). So the answer
// is never worse than any single candidate. The winner has the lowest Total
// (after rounding); ties go to fewer promotions, then to the
// lexicographically smallest sorted ids.
//
// # Rounding
//
// Total = money.RoundTotal(Σ nets, Sale.Rounding). The difference is one more
// allocation (kind rounding), shared over the lines pro rata by net; with
// round_jiao it can be negative (a line pays up to 5 fen more). Gross −
// Discount − Rounding = Total, and each line's Net is its Gross less its
// allocations.
package promotions

import (
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/money"
)

// Errors Price returns. Each is wrapped with the detail that failed.
var (
	// ErrInvalidSale is returned when a line has a negative or too large
	// quantity or price, the cart has more than MaxLines lines, or the store
	// type or rounding rule is unknown.
	ErrInvalidSale = errors.New("promotions: invalid sale")
	// ErrDuplicatePromotion is returned when two promotions share an id, as
	// the answer would then depend on their order.
	ErrDuplicatePromotion = errors.New("promotions: duplicate promotion id")
	// ErrInvalidPromotion is what Validate returns, wrapped with the field.
	ErrInvalidPromotion = errors.New("promotions: invalid promotion")
)

// Bounds of a sale, chosen so no sum of fen can overflow int64.
const (
	MaxLines     = 1000          // lines in one sale
	MaxQty       = 100_000_000   // thousandths: 100,000 units, or 100 t of a weighed good
	MaxUnitPrice = 1_000_000_000 // fen: ¥10,000,000 per unit or per kg
	maxMoney     = 1_000_000_000_000_000
)

// StoreType is a store's ownership: direct (直营) or franchise (加盟).
type StoreType string

// Store types.
const (
	StoreDirect    StoreType = "direct"
	StoreFranchise StoreType = "franchise"
)

// Line is one line of the cart as the till has it. Price keeps lines in the
// order given; Index is the caller's line number and is only echoed back.
type Line struct {
	Index int       `json:"index"`
	SKUID uuid.UUID `json:"sku_id"`
	// CategoryPath is the SKU's category and its ancestors, root first; a
	// promotion on a category covers its subtree.
	CategoryPath []uuid.UUID `json:"category_path,omitempty"`
	BrandID      *uuid.UUID  `json:"brand_id,omitempty"`
	// Weighed: Qty is grams and UnitPrice is per kg. Weighed lines are never
	// units for buy N get M, Nth item or bundles.
	Weighed bool `json:"weighed"`
	// Qty is in thousandths of the unit: 3000 = 3 units, or 3 kg when weighed.
	Qty int64 `json:"qty"`
	// UnitPrice is the list price in force, fen per unit (or per kg).
	UnitPrice int64 `json:"unit_price"`
	// MemberPrice is the member price in force, if the SKU has one; it counts
	// only through a member-price promotion.
	MemberPrice *int64 `json:"member_price,omitempty"`
}

// Customer is who is buying: MemberID nil is a walk-in customer (and
// TierID is then ignored).
type Customer struct {
	MemberID *uuid.UUID `json:"member_id,omitempty"`
	TierID   *uuid.UUID `json:"tier_id,omitempty"`
}

// Sale is what Price prices.
type Sale struct {
	StoreID uuid.UUID `json:"store_id"`
	// StoreType is direct or franchise; empty matches only all-store and
	// list scopes.
	StoreType StoreType `json:"store_type"`
	// Local is now, in the store's time zone (t.In(loc)): windows read its
	// wall clock (weekday, minutes after midnight) and compare its instant
	// with their dates.
	Local time.Time `json:"local"`
	// Rounding is the tenant's rule for the total; empty is money.RoundFen.
	Rounding money.Rounding `json:"rounding"`
	Customer Customer       `json:"customer"`
	Lines    []Line         `json:"lines"`
}

// Kind is what a promotion does. The item kinds run first, then the order
// kinds, then the coupon kinds (see the package doc for each one's rule).
type Kind string

// Kinds, in pipeline order within each layer.
const (
	KindSpecialPrice    Kind = "special_price"     // 限时特价: Rule.Price per unit
	KindMemberPrice     Kind = "member_price"      // 会员价: Line.MemberPrice, members only
	KindPercentOff      Kind = "percent_off"       // 折扣: Rule.OffBP off
	KindAmountOff       Kind = "amount_off"        // 单品立减: Rule.Amount off per unit
	KindTierDiscount    Kind = "tier_discount"     // 会员等级折扣: Rule.OffBP off, members only
	KindBuyNGetM        Kind = "buy_n_get_m"       // 买N赠M: Rule.N, Rule.M
	KindNthItem         Kind = "nth_item"          // 第N件X折: Rule.N, Rule.OffBP
	KindBundle          Kind = "bundle"            // 组合价: Rule.Components, Rule.Price
	KindSpendAmountOff  Kind = "spend_amount_off"  // 满减: Rule.Steps{Threshold, Off}, Rule.Repeat
	KindSpendPercentOff Kind = "spend_percent_off" // 满折: Rule.Steps{Threshold, OffBP}
	KindCouponAmount    Kind = "coupon_amount"     // 满减券/代金券: Rule.Amount once Rule.Threshold is met
	KindCouponPercent   Kind = "coupon_percent"    // 折扣券: Rule.OffBP, Rule.MaxOff, Rule.Threshold
	// KindRounding is not a promotion: it marks the allocation of 抹零.
	KindRounding Kind = "rounding"
)

// StoreScope says which stores a promotion runs in.
type StoreScope string

// Store scopes; the empty scope is StoresAll.
const (
	StoresAll       StoreScope = "all"
	StoresList      StoreScope = "list"      // Stores.IDs
	StoresDirect    StoreScope = "direct"    // every direct store
	StoresFranchise StoreScope = "franchise" // every franchise store
)

// Stores is a promotion's store scope.
type Stores struct {
	Scope StoreScope  `json:"scope"`
	IDs   []uuid.UUID `json:"ids,omitempty"`
}

// Items selects lines: a line matches when it is not excluded and either no
// include list is set (the whole store, 全场) or its SKU, any category on
// its path (so a category covers its subtree) or its brand is included.
type Items struct {
	SKUs              []uuid.UUID `json:"skus,omitempty"`
	Categories        []uuid.UUID `json:"categories,omitempty"`
	Brands            []uuid.UUID `json:"brands,omitempty"`
	ExcludeSKUs       []uuid.UUID `json:"exclude_skus,omitempty"`
	ExcludeCategories []uuid.UUID `json:"exclude_categories,omitempty"`
	ExcludeBrands     []uuid.UUID `json:"exclude_brands,omitempty"`
}

// Audience says who may have a promotion: anyone, members only, or members
// of the listed tiers (Tiers set implies members only).
type Audience struct {
	MembersOnly bool        `json:"members_only"`
	Tiers       []uuid.UUID `json:"tiers,omitempty"`
}

// Window says when a promotion runs. Starts (inclusive) and Ends (exclusive)
// are instants, zero for open; Weekdays (empty: every day) and Times (empty:
// all day) read the store's wall clock.
type Window struct {
	Starts   time.Time      `json:"starts"`
	Ends     time.Time      `json:"ends"`
	Weekdays []time.Weekday `json:"weekdays,omitempty"`
	Times    []TimeRange    `json:"times,omitempty"`
}

// TimeRange is [From, To) in minutes after local midnight (0…1440). A range
// with To < From runs past midnight (22:00–02:00 is {1320, 120}); its
// early-morning part belongs to the next calendar day for Weekdays.
type TimeRange struct {
	From int `json:"from"`
	To   int `json:"to"`
}

// Step is one tier of 满减 (Threshold, Off) or 满折 (Threshold, OffBP).
type Step struct {
	Threshold int64 `json:"threshold"`
	Off       int64 `json:"off,omitempty"`
	OffBP     int64 `json:"off_bp,omitempty"`
}

// Component is one part of a bundle: Units whole units of the lines its
// Items select.
type Component struct {
	Items Items `json:"items"`
	Units int64 `json:"units"`
}

// Rule holds each kind's parameters; a kind reads only its own (Validate
// says which). Basis points are taken off: OffBP 1000 is 10% off, 9折.
type Rule struct {
	OffBP      int64       `json:"off_bp,omitempty"`
	Amount     int64       `json:"amount,omitempty"`
	Price      int64       `json:"price,omitempty"`
	Steps      []Step      `json:"steps,omitempty"`
	Repeat     bool        `json:"repeat,omitempty"`
	N          int64       `json:"n,omitempty"`
	M          int64       `json:"m,omitempty"`
	SameSKU    bool        `json:"same_sku,omitempty"`
	Components []Component `json:"components,omitempty"`
	Threshold  int64       `json:"threshold,omitempty"`
	// MaxOff caps one application's discount (a percent coupon's 最高减); 0
	// is no cap.
	MaxOff int64 `json:"max_off,omitempty"`
	// LimitQty (special price, percent off, amount off) is the most quantity,
	// in thousandths, that gets the price per sale; 0 is no limit.
	LimitQty int64 `json:"limit_qty,omitempty"`
	// LimitSets (buy N get M, Nth item, bundle) is the most groups or
	// bundles per sale; 0 is no limit.
	LimitSets int64 `json:"limit_sets,omitempty"`
}

// Promotion is one promotion as the engine needs it, with the live figures
// the caller reads for this sale (RemainingBudget, MemberUsesLeft).
type Promotion struct {
	ID     uuid.UUID `json:"id"`
	Name   string    `json:"name"`
	NameEn string    `json:"name_en"`
	Kind   Kind      `json:"kind"`
	// Priority orders promotions within a layer, higher first.
	Priority int `json:"priority"`
	// Exclusive (不与其他优惠同享): applies only to lines no other promotion
	// touched, and no later promotion touches its lines.
	Exclusive bool `json:"exclusive"`
	// Group is the stacking group: a line takes at most one promotion of a
	// non-empty group.
	Group    string   `json:"group,omitempty"`
	Stores   Stores   `json:"stores"`
	Items    Items    `json:"items"`
	Audience Audience `json:"audience"`
	Window   Window   `json:"window"`
	Rule     Rule     `json:"rule"`
	// RemainingBudget is what is left of the promotion's budget (fen); the
	// discount is capped at it, and 0 makes it unusable. nil: no budget.
	RemainingBudget *int64 `json:"remaining_budget,omitempty"`
	// MemberUsesLeft is how many more sales this member may use it in; 0
	// makes it unusable. nil: no per-member limit.
	MemberUsesLeft *int `json:"member_uses_left,omitempty"`
}

// Coupon is one issued coupon the customer presents. Its Promotion is the
// coupon's rule (the template: Promotion.ID is the coupon type, Kind is
// KindCouponAmount or KindCouponPercent); ID is the instance the POS
// consumes when Price uses it.
type Coupon struct {
	ID         uuid.UUID `json:"id"`
	Code       string    `json:"code"`
	ValidFrom  time.Time `json:"valid_from"`  // inclusive; zero: open
	ValidUntil time.Time `json:"valid_until"` // exclusive; zero: open
	Promotion  Promotion `json:"promotion"`
}

// Result is the priced sale. Gross − Discount − Rounding = Total, and the
// allocations of all lines add up to Gross − Total.
type Result struct {
	Lines         []PricedLine `json:"lines"`
	Applied       []Applied    `json:"applied"`
	UnusedCoupons []Unused     `json:"unused_coupons"`
	Skipped       []Skipped    `json:"skipped,omitempty"`
	Gross         int64        `json:"gross"`
	// Discount is what promotions and coupons took off.
	Discount int64 `json:"discount"`
	// Rounding is what the rounding rule took off (negative: added).
	Rounding int64 `json:"rounding"`
	Total    int64 `json:"total"`
}

// PricedLine is one line, in the input order: Net = Gross − Σ Discounts ≥ 0.
type PricedLine struct {
	Index     int          `json:"index"`
	Gross     int64        `json:"gross"`
	Net       int64        `json:"net"`
	Discounts []Allocation `json:"discounts"`
}

// Allocation is the part of one promotion's discount (or of the rounding)
// a line carries, in pipeline order, rounding last.
type Allocation struct {
	PromotionID *uuid.UUID `json:"promotion_id,omitempty"` // nil for rounding
	CouponID    *uuid.UUID `json:"coupon_id,omitempty"`
	Kind        Kind       `json:"kind"`
	Amount      int64      `json:"amount"`
	Label       string     `json:"label"`
	LabelEn     string     `json:"label_en"`
}

// Applied is one promotion or coupon the best combination uses, in pipeline
// order. For a coupon PromotionID is its template and CouponID the instance.
type Applied struct {
	PromotionID   uuid.UUID  `json:"promotion_id"`
	CouponID      *uuid.UUID `json:"coupon_id,omitempty"`
	CouponCode    string     `json:"coupon_code,omitempty"`
	Kind          Kind       `json:"kind"`
	Name          string     `json:"name"`
	NameEn        string     `json:"name_en"`
	Discount      int64      `json:"discount"`
	Explanation   string     `json:"explanation"`
	ExplanationEn string     `json:"explanation_en"`
}

// Why is the machine reason a presented coupon was not used.
type Why string

// Reasons a coupon comes back unused.
const (
	WhyInvalid      Why = "invalid"       // its rule fails Validate
	WhyDuplicate    Why = "duplicate"     // the same coupon was presented twice
	WhyNotStarted   Why = "not_started"   // before its validity or window
	WhyExpired      Why = "expired"       // after its validity or window
	WhyOffHours     Why = "off_hours"     // not on this weekday or at this hour
	WhyStore        Why = "store"         // not valid in this store
	WhyMembersOnly  Why = "members_only"  // the customer is not a member
	WhyTier         Why = "tier"          // not for the member's tier
	WhyMemberLimit  Why = "member_limit"  // the member has used it up
	WhyBudget       Why = "budget"        // the campaign's budget is spent
	WhyNoItems      Why = "no_items"      // nothing in the cart is in its scope
	WhyThreshold    Why = "threshold"     // its items do not reach the threshold
	WhyConflict     Why = "conflict"      // its items took promotions it does not stack with
	WhySameTemplate Why = "same_template" // another coupon of its kind is used
	WhyNoDiscount   Why = "no_discount"   // it would take nothing off
	WhyNotBest      Why = "not_best"      // the best combination does without it
)

// Unused is a presented coupon Price did not use: the POS must not consume it.
type Unused struct {
	CouponID uuid.UUID `json:"coupon_id"`
	Code     string    `json:"code"`
	Why      Why       `json:"why"`
	Reason   string    `json:"reason"`
	ReasonEn string    `json:"reason_en"`
}

// Skipped is a promotion Price ignored because it fails Validate.
type Skipped struct {
	PromotionID uuid.UUID `json:"promotion_id"`
	Error       string    `json:"error"`
}

// Price prices a sale: it finds the candidates among promotions and coupons,
// picks the best combination (see the package doc) and returns the allocated,
// explained Result. It returns ErrInvalidSale for a bad line, store type,
// rounding rule or too many lines, and ErrDuplicatePromotion when two
// promotions share an id; invalid promotions are skipped (Result.Skipped)
// and invalid coupons returned unused. A coupon presented twice (one ID) is
// used at most once: the first presentation counts, the other comes back
// as WhyDuplicate. Price does not modify its arguments and is safe for
// concurrent use.
func Price(sale Sale, promotions []Promotion, coupons []Coupon) (Result, error) {
	if err := checkSale(&sale); err != nil {
		return Result{}, err
	}
	ev, err := newEvaluator(&sale, promotions, coupons)
	if err != nil {
		return Result{}, err
	}
	return ev.build(ev.search()), nil
}

func checkSale(s *Sale) error {
	if len(s.Lines) > MaxLines {
		return fmt.Errorf("%w: %d lines, at most %d", ErrInvalidSale, len(s.Lines), MaxLines)
	}
	switch s.StoreType {
	case "", StoreDirect, StoreFranchise:
	default:
		return fmt.Errorf("%w: store type %q (want direct or franchise)", ErrInvalidSale, s.StoreType)
	}
	if s.Rounding != "" && !s.Rounding.Valid() {
		return fmt.Errorf("%w: rounding rule %q", ErrInvalidSale, s.Rounding)
	}
	for i, l := range s.Lines {
		switch {
		case l.Qty < 0 || l.Qty > MaxQty:
			return fmt.Errorf("%w: line %d: quantity %d outside 0…%d", ErrInvalidSale, i, l.Qty, MaxQty)
		case l.UnitPrice < 0 || l.UnitPrice > MaxUnitPrice:
			return fmt.Errorf("%w: line %d: unit price %d outside 0…%d", ErrInvalidSale, i, l.UnitPrice, MaxUnitPrice)
		case l.MemberPrice != nil && (*l.MemberPrice < 0 || *l.MemberPrice > MaxUnitPrice):
			return fmt.Errorf("%w: line %d: member price %d outside 0…%d", ErrInvalidSale, i, *l.MemberPrice, MaxUnitPrice)
		}
	}
	return nil
}
