package promotions

import (
	"time"

	"github.com/google/uuid"

	"chainstore/infra/doc"
)

// Statuses of a stored promotion. draft → active ⇄ paused; any of them →
// ended, which is final. Only active promotions are in force.
const (
	StatusDraft  = "draft"
	StatusActive = "active"
	StatusPaused = "paused"
	StatusEnded  = "ended"
)

// Owners of a promotion.
const (
	OwnerHQ         = "hq"
	OwnerFranchisee = "franchisee"
)

// Definition is a promotion as it is stored and managed: the engine's
// Promotion (kind, rule, scopes, window, stacking) plus who owns it, its
// status, budget and per-member limit. Money is fen.
type Definition struct {
	ID     uuid.UUID `json:"id"`
	Name   string    `json:"name"`
	NameEn string    `json:"name_en"`
	Kind   Kind      `json:"kind"`
	// Owner is "hq", or "franchisee" (FranchiseeID): a franchisee's
	// promotion applies only in that franchisee's stores.
	Owner        string     `json:"owner"`
	FranchiseeID *uuid.UUID `json:"franchisee_id"`
	Status       string     `json:"status"`
	Priority     int        `json:"priority"`
	Exclusive    bool       `json:"exclusive"`
	Group        string     `json:"group"`
	// Forced (HQ only): applies in every franchise store its scope covers,
	// whatever the store opted out of.
	Forced   bool       `json:"forced"`
	Stores   Stores     `json:"stores"`
	Items    Items      `json:"items"`
	Audience Audience   `json:"audience"`
	Window   WindowSpec `json:"window"`
	Rule     Rule       `json:"rule"`
	// Budget caps the total discount (fen); nil is no cap. Spent is what
	// the promotion has given against it (kept only while it has a budget).
	Budget *int64 `json:"budget"`
	Spent  int64  `json:"spent"`
	// PerMemberLimit is how many sales one member may use it in; nil: any.
	PerMemberLimit *int        `json:"per_member_limit"`
	OptedOut       []uuid.UUID `json:"opted_out"` // franchise stores that opted out
	CreatedBy      *uuid.UUID  `json:"created_by"`
	CreatedAt      time.Time   `json:"created_at"`
	UpdatedAt      time.Time   `json:"updated_at"`
}

// WindowSpec is a promotion's window as the API shows and takes it: the
// engine's Window with open ends as null instead of the zero time.
type WindowSpec struct {
	Starts   *time.Time     `json:"starts"`
	Ends     *time.Time     `json:"ends"`
	Weekdays []time.Weekday `json:"weekdays,omitempty"`
	Times    []TimeRange    `json:"times,omitempty"`
}

func (w WindowSpec) engine() Window {
	out := Window{Weekdays: w.Weekdays, Times: w.Times}
	if w.Starts != nil {
		out.Starts = w.Starts.UTC()
	}
	if w.Ends != nil {
		out.Ends = w.Ends.UTC()
	}
	return out
}

// Engine is the definition as the pricing engine takes it (without the
// live figures InForce adds).
func (d *Definition) Engine() Promotion {
	return Promotion{ID: d.ID, Name: d.Name, NameEn: d.NameEn, Kind: d.Kind, Priority: d.Priority,
		Exclusive: d.Exclusive, Group: d.Group, Stores: d.Stores, Items: d.Items, Audience: d.Audience,
		Window: d.Window.engine(), Rule: d.Rule}
}

// PromotionInput creates a promotion (POST /promotions). A franchisee's
// promotion is owned by their franchisee (FranchiseeID only when their
// stores span several); HQ's has no owner.
type PromotionInput struct {
	Name           string     `json:"name" validate:"required,max=100,text"`
	NameEn         string     `json:"name_en" validate:"max=100,text"`
	Kind           Kind       `json:"kind" validate:"required"`
	Priority       int        `json:"priority" validate:"min=-1000,max=1000"`
	Exclusive      bool       `json:"exclusive"`
	Group          string     `json:"group" validate:"max=40,text"`
	Forced         bool       `json:"forced"`
	Stores         Stores     `json:"stores"`
	Items          Items      `json:"items"`
	Audience       Audience   `json:"audience"`
	Window         WindowSpec `json:"window"`
	Rule           Rule       `json:"rule"`
	Budget         *int64     `json:"budget" validate:"omitnil,min=1,max=1000000000000"`
	PerMemberLimit *int       `json:"per_member_limit" validate:"omitnil,min=1,max=100000"`
	FranchiseeID   *uuid.UUID `json:"franchisee_id"`
}

// PromotionUpdate changes a promotion (PATCH): set fields replace the
// stored ones whole (a new rule, a new item scope ...); budget and
// per_member_limit are cleared with clear_budget / clear_per_member_limit.
type PromotionUpdate struct {
	Name                *string     `json:"name" validate:"omitnil,min=1,max=100,text"`
	NameEn              *string     `json:"name_en" validate:"omitnil,max=100,text"`
	Priority            *int        `json:"priority" validate:"omitnil,min=-1000,max=1000"`
	Exclusive           *bool       `json:"exclusive"`
	Group               *string     `json:"group" validate:"omitnil,max=40,text"`
	Forced              *bool       `json:"forced"`
	Stores              *Stores     `json:"stores"`
	Items               *Items      `json:"items"`
	Audience            *Audience   `json:"audience"`
	Window              *WindowSpec `json:"window"`
	Rule                *Rule       `json:"rule"`
	Budget              *int64      `json:"budget" validate:"omitnil,min=1,max=1000000000000"`
	ClearBudget         bool        `json:"clear_budget"`
	PerMemberLimit      *int        `json:"per_member_limit" validate:"omitnil,min=1,max=100000"`
	ClearPerMemberLimit bool        `json:"clear_per_member_limit"`
}

// Filter narrows the promotion list.
type Filter struct {
	Status       string
	Kind         Kind
	Owner        string     // hq | franchisee
	FranchiseeID *uuid.UUID // a franchisee's own
	StoreID      *uuid.UUID // those that may apply in this store
	ActiveAt     *time.Time // active, with At inside starts…ends (dates only, not weekdays or hours)
}

// Settings are the chain's rules for franchise stores.
type Settings struct {
	// FranchisePromotions lets franchisees run promotions of their own in
	// their stores, never deeper than FranchiseMaxOffBP basis points off.
	FranchisePromotions bool `json:"franchise_promotions"`
	FranchiseMaxOffBP   int  `json:"franchise_max_off_bp"`
	// FranchiseOptOut lets franchise stores opt out of HQ promotions that
	// are not forced.
	FranchiseOptOut bool       `json:"franchise_opt_out"`
	UpdatedAt       *time.Time `json:"updated_at"`
}

// SettingsInput replaces the settings (PUT /promotion-settings).
type SettingsInput struct {
	FranchisePromotions *bool `json:"franchise_promotions" validate:"required"`
	FranchiseMaxOffBP   *int  `json:"franchise_max_off_bp" validate:"required,min=0,max=10000"`
	FranchiseOptOut     *bool `json:"franchise_opt_out" validate:"required"`
}

// Effect is what a promotion did over a period, from the usage ledger:
// net of voids and returns.
type Effect struct {
	PromotionID uuid.UUID   `json:"promotion_id"`
	Sales       int         `json:"sales"`    // sales that used it
	Members     int         `json:"members"`  // distinct members among them
	Discount    int64       `json:"discount"` // fen given, net of what voids and returns gave back
	Units       int64       `json:"units"`    // thousandths of units it covered, net
	Budget      *int64      `json:"budget"`
	Spent       int64       `json:"spent"`
	Over        int         `json:"over"` // offline sales accepted past a limit
	Days        []EffectDay `json:"days"`
}

// EffectDay is one business day of an Effect.
type EffectDay struct {
	Date     string `json:"date"` // YYYY-MM-DD, the store's business date
	Sales    int    `json:"sales"`
	Discount int64  `json:"discount"`
	Units    int64  `json:"units"`
}

// ── coupons ──

// Issue modes of a coupon batch.
const (
	IssueMember   = "member"   // issued to members from the console
	IssueCampaign = "campaign" // issued to members by a campaign (CRM)
	IssuePrinted  = "printed"  // printed codes, anyone may present one
)

// Batch is a coupon batch: the coupon template (a coupon_amount or
// coupon_percent rule with its threshold, cap and scopes), how its coupons
// are issued, how many, and their validity: ValidFrom…ValidUntil, or
// ValidDays from each coupon's issue.
type Batch struct {
	ID         uuid.UUID   `json:"id"`
	Name       string      `json:"name"`
	NameEn     string      `json:"name_en"`
	Kind       Kind        `json:"kind"`
	IssueMode  string      `json:"issue_mode"`
	Priority   int         `json:"priority"`
	Exclusive  bool        `json:"exclusive"`
	Group      string      `json:"group"`
	Stores     Stores      `json:"stores"`
	Items      Items       `json:"items"`
	Audience   Audience    `json:"audience"`
	Rule       Rule        `json:"rule"`
	Quantity   int         `json:"quantity"`
	ValidFrom  *time.Time  `json:"valid_from"`
	ValidUntil *time.Time  `json:"valid_until"`
	ValidDays  *int        `json:"valid_days"`
	Counts     BatchCounts `json:"counts"`
	CreatedBy  *uuid.UUID  `json:"created_by"`
	CreatedAt  time.Time   `json:"created_at"`
	UpdatedAt  time.Time   `json:"updated_at"`
}

// BatchCounts is a batch's effect: coupons issued (all of them, whatever
// became of them), available now, redeemed, expired, void, and the
// discount (fen) its redeemed coupons gave, net of voided sales.
type BatchCounts struct {
	Issued    int   `json:"issued"`
	Available int   `json:"available"`
	Redeemed  int   `json:"redeemed"`
	Expired   int   `json:"expired"`
	Void      int   `json:"void"`
	Discount  int64 `json:"discount"`
}

// BatchInput creates a coupon batch.
type BatchInput struct {
	Name       string     `json:"name" validate:"required,max=100,text"`
	NameEn     string     `json:"name_en" validate:"max=100,text"`
	Kind       Kind       `json:"kind" validate:"required,oneof=coupon_amount coupon_percent"`
	IssueMode  string     `json:"issue_mode" validate:"required,oneof=member campaign printed"`
	Priority   int        `json:"priority" validate:"min=-1000,max=1000"`
	Exclusive  bool       `json:"exclusive"`
	Group      string     `json:"group" validate:"max=40,text"`
	Stores     Stores     `json:"stores"`
	Items      Items      `json:"items"`
	Audience   Audience   `json:"audience"`
	Rule       Rule       `json:"rule"`
	Quantity   int        `json:"quantity" validate:"required,min=1,max=1000000"`
	ValidFrom  *time.Time `json:"valid_from"`
	ValidUntil *time.Time `json:"valid_until"`
	ValidDays  *int       `json:"valid_days" validate:"omitnil,min=1,max=3660"`
}

// IssueInput issues one coupon of a batch to each member listed.
type IssueInput struct {
	MemberIDs []uuid.UUID `json:"member_ids" validate:"required,min=1,max=1000"`
}

// CodesInput generates printed codes.
type CodesInput struct {
	Count int `json:"count" validate:"required,min=1,max=10000"`
}

// Coupon states as a reader sees them (IssuedCoupon.State), derived from
// the status and the validity at the time of asking.
const (
	StateAvailable  = "available"
	StateNotStarted = "not_started"
	StateUsed       = "used"
	StateExpired    = "expired"
	StateVoid       = "void"
)

// IssuedCoupon is one coupon as stored: its code, batch, member, status
// (issued, redeemed, expired, void), State at the time it was read, its
// validity and its redemption.
type IssuedCoupon struct {
	ID              uuid.UUID  `json:"id"`
	Code            string     `json:"code"`
	BatchID         uuid.UUID  `json:"batch_id"`
	BatchName       string     `json:"batch_name"`
	Kind            Kind       `json:"kind"`
	MemberID        *uuid.UUID `json:"member_id"`
	Status          string     `json:"status"`
	State           string     `json:"state"`
	ValidFrom       time.Time  `json:"valid_from"`
	ValidUntil      time.Time  `json:"valid_until"`
	IssuedAt        time.Time  `json:"issued_at"`
	RedeemedAt      *time.Time `json:"redeemed_at"`
	RedeemedDocType *string    `json:"redeemed_doc_type"`
	RedeemedDocID   *uuid.UUID `json:"redeemed_doc_id"`
	RedeemedStoreID *uuid.UUID `json:"redeemed_store_id"`
	VoidedAt        *time.Time `json:"voided_at"`
}

// CouponFilter narrows the coupon list.
type CouponFilter struct {
	MemberID *uuid.UUID
	BatchID  *uuid.UUID
	State    string // available | used | expired | void | not_started
}

// Issued is what issuing or generating made.
type Issued struct {
	Issued  int            `json:"issued"`
	Coupons []IssuedCoupon `json:"coupons,omitempty"` // the member coupons issued; printed codes are read with the export
}

// ── the POS ──

// RefuseWhy is why CouponsFor refused a presented code.
type RefuseWhy string

// Reasons a coupon is refused before pricing.
const (
	RefuseUnknown        RefuseWhy = "unknown"         // no such code in this chain
	RefuseUsed           RefuseWhy = "used"            // redeemed by another sale
	RefuseExpired        RefuseWhy = "expired"         // past its validity
	RefuseVoid           RefuseWhy = "void"            // voided
	RefuseOtherMember    RefuseWhy = "other_member"    // issued to another member
	RefuseMemberRequired RefuseWhy = "member_required" // issued to a member: identify them first
)

// Refused is a presented code CouponsFor will not price, with its reason
// in both languages.
type Refused struct {
	Code     string    `json:"code"`
	Why      RefuseWhy `json:"why"`
	Reason   string    `json:"reason"`
	ReasonEn string    `json:"reason_en"`
}

// Consumption is what a priced sale used, as the POS hands it to Consume
// inside the sale's transaction.
type Consumption struct {
	// Doc is the sale document: Consume is idempotent per Doc.
	Doc doc.Source
	// Sale and Result are what the POS priced and Price returned: the store,
	// the member, the sale's time (Sale.Local), the lines' quantities and
	// the allocations, from which each promotion's units are counted.
	Sale   Sale
	Result Result
	// BusinessDate is the store's business date of the sale (org).
	BusinessDate time.Time
	// Offline marks the upload of a sale a till made offline: it already
	// happened, so a budget or member limit it goes over, or a coupon used
	// elsewhere meanwhile, is accepted and flagged (Consumed.Over) instead
	// of refused.
	Offline bool
}

// Why something went over in a Consume.
const (
	OverBudget      = "budget"
	OverMemberLimit = "member_limit"
	OverCouponUsed  = "coupon_used"
)

// Over is a promotion (or coupon) a sale went over a limit with.
type Over struct {
	PromotionID uuid.UUID  `json:"promotion_id"`
	CouponID    *uuid.UUID `json:"coupon_id,omitempty"`
	Why         string     `json:"why"`
}

// Consumed is what Consume did. Replayed: the sale had been consumed
// before and nothing was charged again. Over lists what went over: for an
// offline upload, accepted and flagged; otherwise what Consume refused.
type Consumed struct {
	Replayed bool   `json:"replayed"`
	Over     []Over `json:"over"`
}

// Share is what a reversal gives back. A void (Void) gives back
// everything the sale still holds: budget, the member's uses and its
// coupons, re-issued. A return gives back Returned: for each promotion (or
// coupon), the discount its returned lines carried, to the budget; member
// uses and coupons stay used (the customer had them; a return is not a
// second chance at a single-use coupon).
type Share struct {
	Void     bool
	Returned []ReturnedDiscount
	// BusinessDate is the reversal's business date; zero is the sale's.
	BusinessDate time.Time
}

// ReturnedDiscount is the discount one promotion (or, with CouponID, one
// coupon) gave the lines returned, and their units (thousandths).
type ReturnedDiscount struct {
	PromotionID uuid.UUID
	CouponID    *uuid.UUID
	Discount    int64
	Units       int64
}

// Released is what Release gave back. Replayed: the reversal had been
// released before.
type Released struct {
	Replayed bool  `json:"replayed"`
	Discount int64 `json:"discount"` // fen of discount reversed
	Budget   int64 `json:"budget"`   // fen given back to budgets
	Uses     int   `json:"uses"`     // member uses given back
	Coupons  int   `json:"coupons"`  // coupons re-issued
}
