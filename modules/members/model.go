package members

import (
	"time"

	"github.com/google/uuid"

	"chainstore/infra/doc"
)

// Member is a member as staff see it: full or masked personal data
// (PIIMasked says which), card, tier and balances.
type Member struct {
	ID               uuid.UUID  `json:"id"`
	Name             string     `json:"name"`
	Phone            string     `json:"phone"`
	Gender           string     `json:"gender"`
	Birthday         *string    `json:"birthday"`
	Address          *string    `json:"address"`
	PIIMasked        bool       `json:"pii_masked"`
	RegisterStoreID  *uuid.UUID `json:"register_store_id"`
	Channel          string     `json:"channel"`
	MarketingConsent bool       `json:"marketing_consent"`
	Tags             []string   `json:"tags"`
	Tier             *TierRef   `json:"tier"`
	Card             *Card      `json:"card"`
	Points           int64      `json:"points"`
	BalancePrincipal int64      `json:"balance_principal"`
	BalanceBonus     int64      `json:"balance_bonus"`
	Balance          int64      `json:"balance"`
	TotalSpend       int64      `json:"total_spend"`
	VisitCount       int        `json:"visit_count"`
	LastVisitAt      *time.Time `json:"last_visit_at"`
	Status           string     `json:"status"`
	MergedInto       *uuid.UUID `json:"merged_into"`
	CreatedAt        time.Time  `json:"created_at"`
	UpdatedAt        time.Time  `json:"updated_at"`
}

// TierRef is the member's tier and its checkout benefits.
type TierRef struct {
	ID          uuid.UUID `json:"id"`
	Code        string    `json:"code"`
	Name        string    `json:"name"`
	DiscountBP  int       `json:"discount_bp"`
	MemberPrice bool      `json:"member_price"`
	// PointsMultiplier is the tier's points rate in percent (150 = 1.5×).
	PointsMultiplier int `json:"points_multiplier"`
}

// Card is a member card.
type Card struct {
	ID       uuid.UUID `json:"id"`
	Number   string    `json:"number"`
	Kind     string    `json:"kind"`
	Status   string    `json:"status"`
	IssuedAt time.Time `json:"issued_at"`
}

// snapshot is one member as stored, ciphertexts included: what the look-up
// cache holds (never decrypted values).
type snapshot struct {
	ID                   uuid.UUID  `json:"id"`
	NameEnc              []byte     `json:"n,omitempty"`
	PhoneEnc             []byte     `json:"p,omitempty"`
	BirthdayEnc          []byte     `json:"b,omitempty"`
	AddressEnc           []byte     `json:"a,omitempty"`
	PhoneIndex           []byte     `json:"pi,omitempty"`
	Gender               string     `json:"g"`
	RegisterStoreID      *uuid.UUID `json:"rs"`
	Channel              string     `json:"ch"`
	MarketingConsent     bool       `json:"mc"`
	Tags                 string     `json:"tg"` // a JSON array
	TierID               *uuid.UUID `json:"ti"`
	TierCode             *string    `json:"tc"`
	TierName             *string    `json:"tn"`
	TierDiscountBP       *int       `json:"td"`
	TierMemberPrice      *bool      `json:"tm"`
	TierPointsMultiplier *int       `json:"tpm"`
	CardID               *uuid.UUID `json:"ci"`
	CardNumber           *string    `json:"cn"`
	CardKind             *string    `json:"ck"`
	CardStatus           *string    `json:"cs"`
	CardIssuedAt         *time.Time `json:"cia"`
	Points               int64      `json:"pt"`
	BalancePrincipal     int64      `json:"bp"`
	BalanceBonus         int64      `json:"bb"`
	TotalSpend           int64      `json:"ts"`
	VisitCount           int        `json:"vc"`
	LastVisitAt          *time.Time `json:"lv"`
	Status               string     `json:"st"`
	MergedInto           *uuid.UUID `json:"mi"`
	CreatedAt            time.Time  `json:"ca"`
	UpdatedAt            time.Time  `json:"ua"`
}

// CreateInput registers a member. Birthday is YYYY-MM-DD.
type CreateInput struct {
	Name             string   `json:"name" validate:"max=50,text"`
	Phone            string   `json:"phone" validate:"required,max=24"`
	Gender           string   `json:"gender" validate:"omitempty,oneof=male female unknown"`
	Birthday         string   `json:"birthday" validate:"omitempty,datetime=2006-01-02"`
	Address          string   `json:"address" validate:"max=200,text"`
	MarketingConsent bool     `json:"marketing_consent"`
	Tags             []string `json:"tags" validate:"max=20,dive,min=1,max=20,text"`
	CardNumber       string   `json:"card_number" validate:"omitempty,alphanum,min=6,max=32"`
	CardKind         string   `json:"card_kind" validate:"omitempty,oneof=physical virtual"`
	// Set by the service, not the client.
	RegisterStoreID *uuid.UUID `json:"-"`
	Channel         string     `json:"-"`
}

// UpdateInput changes a member; nil fields stay.
type UpdateInput struct {
	Name             *string   `json:"name" validate:"omitnil,max=50,text"`
	Phone            *string   `json:"phone" validate:"omitnil,max=24"`
	Gender           *string   `json:"gender" validate:"omitnil,oneof=male female unknown"`
	Birthday         *string   `json:"birthday" validate:"omitnil,omitempty,datetime=2006-01-02"`
	Address          *string   `json:"address" validate:"omitnil,max=200,text"`
	MarketingConsent *bool     `json:"marketing_consent"`
	Tags             *[]string `json:"tags" validate:"omitnil,max=20,dive,min=1,max=20,text"`
}

// Filter narrows the member list.
type Filter struct {
	TierID        *uuid.UUID
	Tag           string
	StoreID       *uuid.UUID
	MinSpend      *int64
	MaxSpend      *int64
	VisitedAfter  *time.Time
	VisitedBefore *time.Time
	Phone         string
	Card          string // any card the member holds or held (a reissued card's old number still finds them)
	Status        string
}

// Lookup says how the POS identifies a member: exactly one of the fields.
type Lookup struct {
	Phone string
	Card  string
	QR    string
}

// QRToken is a short-lived, single-use member code for the POS to scan.
type QRToken struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
}

// Tier is a member tier (等级) with its qualification and benefits.
type Tier struct {
	ID               uuid.UUID `json:"id"`
	Code             string    `json:"code"`
	Name             string    `json:"name"`
	Rank             int       `json:"rank"`
	Basis            string    `json:"basis"`
	Threshold        int64     `json:"threshold"`
	WindowDays       int       `json:"window_days"`
	DiscountBP       int       `json:"discount_bp"`
	PointsMultiplier int       `json:"points_multiplier"`
	BirthdayPoints   int64     `json:"birthday_points"`
	BirthdayCoupon   *string   `json:"birthday_coupon"`
	MemberPrice      bool      `json:"member_price"`
	Active           bool      `json:"active"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
}

const tierColumns = `id, code, name, rank, basis, threshold, window_days, discount_bp, points_multiplier, birthday_points, birthday_coupon, member_price, active, created_at, updated_at`

// TierInput creates a tier.
type TierInput struct {
	Code             string  `json:"code" validate:"required,code"`
	Name             string  `json:"name" validate:"required,min=1,max=50,text"`
	Rank             int     `json:"rank" validate:"min=0,max=100"`
	Basis            string  `json:"basis" validate:"required,oneof=points spend"`
	Threshold        int64   `json:"threshold" validate:"min=0"`
	WindowDays       int     `json:"window_days" validate:"omitempty,min=1,max=3660"`
	DiscountBP       int     `json:"discount_bp" validate:"min=0,max=10000"`
	PointsMultiplier int     `json:"points_multiplier" validate:"omitempty,min=0,max=10000"`
	BirthdayPoints   int64   `json:"birthday_points" validate:"min=0,max=100000000"`
	BirthdayCoupon   *string `json:"birthday_coupon" validate:"omitnil,code"`
	MemberPrice      bool    `json:"member_price"`
}

// TierUpdate changes a tier; nil fields stay.
type TierUpdate struct {
	Name             *string `json:"name" validate:"omitnil,min=1,max=50,text"`
	Threshold        *int64  `json:"threshold" validate:"omitnil,min=0"`
	WindowDays       *int    `json:"window_days" validate:"omitnil,min=1,max=3660"`
	DiscountBP       *int    `json:"discount_bp" validate:"omitnil,min=0,max=10000"`
	PointsMultiplier *int    `json:"points_multiplier" validate:"omitnil,min=0,max=10000"`
	BirthdayPoints   *int64  `json:"birthday_points" validate:"omitnil,min=0,max=100000000"`
	BirthdayCoupon   *string `json:"birthday_coupon" validate:"omitnil,code"`
	MemberPrice      *bool   `json:"member_price"`
}

// PointsRule is the chain's earning and redemption rule.
type PointsRule struct {
	PointsPerYuan       int         `json:"points_per_yuan"`
	ExcludedCategoryIDs []uuid.UUID `json:"excluded_category_ids"`
	Expiry              string      `json:"expiry"`
	ExpiryDays          int         `json:"expiry_days"`
	PointsPerYuanOff    int         `json:"points_per_yuan_off"`
}

// PointsRuleInput replaces the rule.
type PointsRuleInput struct {
	PointsPerYuan       int         `json:"points_per_yuan" validate:"min=0,max=1000"`
	ExcludedCategoryIDs []uuid.UUID `json:"excluded_category_ids" validate:"max=500"`
	Expiry              string      `json:"expiry" validate:"required,oneof=end_of_next_year days never"`
	ExpiryDays          int         `json:"expiry_days" validate:"omitempty,min=1,max=3660"`
	PointsPerYuanOff    int         `json:"points_per_yuan_off" validate:"required,min=1,max=100000"`
}

// Gift is an item of the points gift catalog (积分兑换).
type Gift struct {
	ID         uuid.UUID `json:"id"`
	Name       string    `json:"name"`
	PointsCost int64     `json:"points_cost"`
	Stock      *int      `json:"stock"`
	Active     bool      `json:"active"`
	CreatedAt  time.Time `json:"created_at"`
}

// GiftInput adds a gift; a nil stock is unlimited.
type GiftInput struct {
	Name       string `json:"name" validate:"required,min=1,max=100,text"`
	PointsCost int64  `json:"points_cost" validate:"required,min=1,max=1000000000000"`
	Stock      *int   `json:"stock" validate:"omitnil,min=0,max=1000000000"`
}

// TopupRule is a stored-value bonus rule (充100送10).
type TopupRule struct {
	ID        uuid.UUID `json:"id"`
	Name      string    `json:"name"`
	MinAmount int64     `json:"min_amount"`
	Bonus     int64     `json:"bonus"`
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"created_at"`
}

// TopupRuleInput adds a top-up rule.
type TopupRuleInput struct {
	Name      string `json:"name" validate:"required,min=1,max=100,text"`
	MinAmount int64  `json:"min_amount" validate:"required,min=1,max=10000000000"`
	Bonus     int64  `json:"bonus" validate:"min=0,max=10000000000"`
}

// EarnLine is one line of a sale for earning points.
type EarnLine struct {
	CategoryID *uuid.UUID `json:"category_id"`
	Amount     int64      `json:"amount"`
}

// EarnInput earns points for a sale at a store.
type EarnInput struct {
	MemberID uuid.UUID
	StoreID  uuid.UUID
	Source   doc.Source
	Lines    []EarnLine
	At       time.Time // the sale's time; zero is now
}

// PointsEntry is a points ledger entry.
type PointsEntry struct {
	ID           uuid.UUID  `json:"id"`
	Kind         string     `json:"kind"`
	Points       int64      `json:"points"`
	BalanceAfter int64      `json:"balance_after"`
	Value        int64      `json:"value"`
	Spend        int64      `json:"spend"`
	StoreID      *uuid.UUID `json:"store_id"`
	SourceType   string     `json:"source_type"`
	SourceID     *uuid.UUID `json:"source_id"`
	ReversesID   *uuid.UUID `json:"reverses_id"`
	Note         string     `json:"note"`
	At           time.Time  `json:"at"`
	// Uses is, for a cash redemption (RedeemPoints), the points and value
	// per earning store (PointsUses converts it for finance); omitted
	// elsewhere.
	Uses []PointsUse `json:"uses,omitempty" gorm:"-"`
	// MemberID is whose entry it is (a replay must be the same member's).
	MemberID uuid.UUID `json:"-"`
}

const pointsEntryColumns = `id, member_id, kind, points, balance_after, value, spend, store_id, source_type, source_id, reverses_id, note, at`

// ValueEntry is a stored-value ledger entry.
type ValueEntry struct {
	ID             uuid.UUID  `json:"id"`
	Kind           string     `json:"kind"`
	Principal      int64      `json:"principal"`
	Bonus          int64      `json:"bonus"`
	PrincipalAfter int64      `json:"principal_after"`
	BonusAfter     int64      `json:"bonus_after"`
	StoreID        *uuid.UUID `json:"store_id"`
	SourceType     string     `json:"source_type"`
	SourceID       *uuid.UUID `json:"source_id"`
	RefundsID      *uuid.UUID `json:"refunds_id"`
	CreatedAt      time.Time  `json:"created_at"`
	// Uses is what the entry moved per loading store (top-up, payment,
	// refund, cash-out; StoredValueUses converts it for finance); omitted
	// in ledger listings.
	Uses []ValueUse `json:"uses,omitempty" gorm:"-"`
	// MemberID is whose entry it is (a replay must be the same member's).
	MemberID uuid.UUID `json:"-"`
}

const valueEntryColumns = `id, member_id, kind, principal, bonus, principal_after, bonus_after, store_id, source_type, source_id, refunds_id, created_at`

// Coupon is a coupon issued to a member.
type Coupon struct {
	ID         uuid.UUID `json:"id"`
	Code       string    `json:"code"`
	Source     string    `json:"source"`
	Status     string    `json:"status"`
	ValidUntil time.Time `json:"valid_until"`
	IssuedAt   time.Time `json:"issued_at"`
}

// View360 is the HQ's member 360 view.
type View360 struct {
	Member       Member        `json:"member"`
	PointsLedger []PointsEntry `json:"points_ledger"`
	ValueLedger  []ValueEntry  `json:"stored_value_ledger"`
	Coupons      []Coupon      `json:"coupons"`
	Cards        []Card        `json:"cards"`
	// RecentPurchases are the member's latest sales (the POS's sale
	// shape), newest first.
	RecentPurchases any `json:"recent_purchases"`
}
