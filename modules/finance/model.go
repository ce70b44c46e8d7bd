// Package finance keeps the books: one set per legal entity (HQ and each
// franchisee) inside a chain, a chart of accounts after the Chinese
// small-enterprise standard, immutable balanced journal entries posted by
// other modules inside their own transactions, monthly periods, daily and
// monthly balance roll-ups, statements, inter-entity clearing and franchise
// settlement.
//
// Calls follow one shape. Postings (Post*, the events other modules send)
// and reads take ctx and then the tenant id; changes a person makes in the
// console (accounts, periods, manual entries, rules, settlements) take the
// actor *tenant.Principal, whom they audit. A required store is a
// uuid.UUID; a *uuid.UUID store means HQ when nil (an online top-up, HQ's
// warehouse, a line with no store). Events name their document as a
// doc.Source and carry the business date of that document, which the
// caller takes from org.BusinessDate; the days finance stamps itself (a
// reversal's default date, this year's periods) are the chain's day on
// the shared clock. Who owns a store comes from org; finance keeps the
// entity of each owner.
package finance

import (
	"time"

	"github.com/google/uuid"
)

// Entity is one set of books: HQ (franchisee_id null) or a franchisee.
type Entity struct {
	ID           uuid.UUID  `json:"id"`
	Kind         string     `json:"kind"`
	FranchiseeID *uuid.UUID `json:"franchisee_id"`
	Name         string     `json:"name"`
	CreatedAt    time.Time  `json:"created_at"`
}

// Account is one account of the chain's chart.
type Account struct {
	ID         uuid.UUID  `json:"id"`
	Code       string     `json:"code"`
	Name       string     `json:"name"`
	NameEn     string     `json:"name_en"`
	Type       string     `json:"type"`
	NormalSide string     `json:"normal_side"`
	ParentID   *uuid.UUID `json:"parent_id"`
	IsCash     bool       `json:"is_cash"`
	IsInternal bool       `json:"is_internal"`
	System     bool       `json:"system"`
	CreatedAt  time.Time  `json:"created_at"`
}

// CreateAccountInput adds an account to the chart (HQ finance).
type CreateAccountInput struct {
	Code       string `json:"code" validate:"required,max=20"`
	Name       string `json:"name" validate:"required,min=1,max=100,text"`
	NameEn     string `json:"name_en" validate:"max=100,text"`
	Type       string `json:"type" validate:"required,oneof=asset liability equity revenue expense"`
	NormalSide string `json:"normal_side" validate:"omitempty,oneof=debit credit"`
	ParentCode string `json:"parent_code" validate:"max=20"`
	IsCash     bool   `json:"is_cash"`
}

// Period is one month of one entity's books.
type Period struct {
	EntityID  uuid.UUID  `json:"entity_id"`
	Year      int        `json:"year"`
	Month     int        `json:"month"`
	Status    string     `json:"status"`
	ChangedAt *time.Time `json:"changed_at"`
	ChangedBy *uuid.UUID `json:"changed_by"`
}

// PeriodInput names a period.
type PeriodInput struct {
	EntityID uuid.UUID `json:"entity_id" validate:"required"`
	Year     int       `json:"year" validate:"required,min=2000,max=2200"`
	Month    int       `json:"month" validate:"required,min=1,max=12"`
}

// YearEndInput names an entity's financial year.
type YearEndInput struct {
	EntityID uuid.UUID `json:"entity_id" validate:"required"`
	Year     int       `json:"year" validate:"required,min=2000,max=2200"`
}

// Line is one line of an entry to post. Exactly one of Debit and Credit is
// positive. CounterEntityID marks an inter-entity (internal) line, which a
// consolidated statement drops.
type Line struct {
	AccountCode     string
	StoreID         *uuid.UUID
	Debit, Credit   int64
	CashFlow        string
	CounterEntityID *uuid.UUID
	Memo            string
}

// Entry is a journal entry to post into one entity's books. SourceType,
// SourceID and Rule identify it: posting the same triple again returns the
// first entry (idempotent posting per source document).
type Entry struct {
	EntityID        uuid.UUID
	BusinessDate    time.Time
	SourceType      string
	SourceID        uuid.UUID
	Rule            string
	Memo            string
	Lines           []Line
	ReversesEntryID *uuid.UUID
	CreatedBy       *uuid.UUID
	ApprovedBy      *uuid.UUID
	// AllowClosed lets an approved manual adjustment into a closed (not
	// locked) period; every other posting moves to the next open period.
	AllowClosed bool
	closing     bool
}

// Posted is the result of posting one entry.
type Posted struct {
	EntryID        uuid.UUID `json:"entry_id"`
	EntityID       uuid.UUID `json:"entity_id"`
	AccountingDate time.Time `json:"accounting_date"`
	Duplicate      bool      `json:"duplicate"`
}

// JournalEntry is a posted entry as read back, with its lines.
type JournalEntry struct {
	ID              uuid.UUID     `json:"id"`
	EntityID        uuid.UUID     `json:"entity_id"`
	BusinessDate    string        `json:"business_date"`
	AccountingDate  string        `json:"accounting_date"`
	PeriodYear      int           `json:"period_year"`
	PeriodMonth     int           `json:"period_month"`
	PostedAt        time.Time     `json:"posted_at"`
	SourceType      string        `json:"source_type"`
	SourceID        uuid.UUID     `json:"source_id"`
	Rule            string        `json:"rule"`
	Memo            string        `json:"memo"`
	ReversesEntryID *uuid.UUID    `json:"reverses_entry_id"`
	ReversedBy      *uuid.UUID    `json:"reversed_by"`
	CreatedBy       *uuid.UUID    `json:"created_by"`
	CreatedByName   string        `json:"created_by_name" gorm:"-"`
	ApprovedBy      *uuid.UUID    `json:"approved_by"`
	ApprovedByName  string        `json:"approved_by_name" gorm:"-"`
	Debit           int64         `json:"debit"`
	Credit          int64         `json:"credit"`
	Lines           []JournalLine `json:"lines,omitempty" gorm:"-"`
}

// JournalLine is one posted line.
type JournalLine struct {
	LineNo          int        `json:"line_no"`
	AccountID       uuid.UUID  `json:"account_id"`
	AccountCode     string     `json:"account_code"`
	AccountName     string     `json:"account_name"`
	StoreID         *uuid.UUID `json:"store_id"`
	Debit           int64      `json:"debit"`
	Credit          int64      `json:"credit"`
	Internal        bool       `json:"internal"`
	CounterEntityID *uuid.UUID `json:"counter_entity_id"`
	CashFlow        string     `json:"cash_flow"`
	Memo            string     `json:"memo"`
}

// EntryFilter narrows the entry list.
type EntryFilter struct {
	EntityIDs  []uuid.UUID // nil: every entity
	SourceType string
	SourceID   *uuid.UUID
	From, To   *time.Time // accounting dates, inclusive
	// AccountCode keeps entries with a line on that account or one of its
	// sub-accounts (codes nest by prefix: 2221 holds 2221.01 and 2221.01.01).
	AccountCode string
	// StoreID keeps entries with a line of that store; with AccountCode,
	// the same line must be of both.
	StoreID *uuid.UUID
}

// ManualFilter narrows the manual entry list; zero fields do not filter.
type ManualFilter struct {
	Status    string
	EntityID  *uuid.UUID
	From, To  *time.Time // business dates, inclusive
	CreatedBy *uuid.UUID
}

// SettlementFilter narrows the settlement list; zero fields do not filter.
type SettlementFilter struct {
	FranchiseeIDs []uuid.UUID // nil: every franchisee
	Year, Month   int         // both 0: every month
	Status        string
}

// ManualLineInput is one line of a manual journal entry.
type ManualLineInput struct {
	AccountCode string     `json:"account_code" validate:"required,max=20"`
	StoreID     *uuid.UUID `json:"store_id"`
	Debit       int64      `json:"debit" validate:"min=0,max=100000000000000"`
	Credit      int64      `json:"credit" validate:"min=0,max=100000000000000"`
	CashFlow    string     `json:"cash_flow" validate:"omitempty,max=40"`
	Memo        string     `json:"memo" validate:"max=200,text"`
}

// ManualEntryInput drafts a manual journal entry for approval.
type ManualEntryInput struct {
	EntityID     uuid.UUID         `json:"entity_id" validate:"required"`
	BusinessDate string            `json:"business_date" validate:"required"`
	Memo         string            `json:"memo" validate:"max=500,text"`
	Lines        []ManualLineInput `json:"lines" validate:"required,min=2,max=200,dive"`
}

// ManualEntry is a drafted manual entry and its decision.
type ManualEntry struct {
	ID            uuid.UUID         `json:"id"`
	EntityID      uuid.UUID         `json:"entity_id"`
	BusinessDate  string            `json:"business_date"`
	Memo          string            `json:"memo"`
	Lines         []ManualLineInput `json:"lines"`
	Status        string            `json:"status"`
	CreatedBy     uuid.UUID         `json:"created_by"`
	CreatedByName string            `json:"created_by_name"`
	DecidedBy     *uuid.UUID        `json:"decided_by"`
	DecidedByName string            `json:"decided_by_name"`
	EntryID       *uuid.UUID        `json:"entry_id"`
	CreatedAt     time.Time         `json:"created_at"`
	DecidedAt     *time.Time        `json:"decided_at"`
}

// ReverseInput reverses a posted entry.
type ReverseInput struct {
	BusinessDate string `json:"business_date" validate:"omitempty"`
	Memo         string `json:"memo" validate:"max=500,text"`
}

// ClearingRule holds the settlement ratios (basis points) for stored value
// and points loaded in one entity's books and spent in another's: the
// loading entity owes the spending one principal×principal_bp, bonus×bonus_bp
// and points value×points_bp.
type ClearingRule struct {
	FranchiseeID *uuid.UUID `json:"franchisee_id"`
	PrincipalBP  int        `json:"principal_bp" validate:"min=0,max=10000"`
	BonusBP      int        `json:"bonus_bp" validate:"min=0,max=10000"`
	PointsBP     int        `json:"points_bp" validate:"min=0,max=10000"`
	UpdatedAt    *time.Time `json:"updated_at"`
}

// ClearingInput sets the ratios, for the chain (franchisee_id null) or one franchisee.
type ClearingInput struct {
	FranchiseeID *uuid.UUID `json:"franchisee_id"`
	PrincipalBP  *int       `json:"principal_bp" validate:"required,min=0,max=10000"`
	BonusBP      *int       `json:"bonus_bp" validate:"required,min=0,max=10000"`
	PointsBP     *int       `json:"points_bp" validate:"required,min=0,max=10000"`
}

// RoyaltyRule is a franchise royalty: rate_bp of a store's monthly net
// sales, at least minimum_fee per store and month.
type RoyaltyRule struct {
	FranchiseeID *uuid.UUID `json:"franchisee_id"`
	RateBP       int        `json:"rate_bp"`
	MinimumFee   int64      `json:"minimum_fee"`
	UpdatedAt    *time.Time `json:"updated_at"`
}

// RoyaltyInput sets a royalty rule (franchisee_id null: the chain default).
type RoyaltyInput struct {
	FranchiseeID *uuid.UUID `json:"franchisee_id"`
	RateBP       *int       `json:"rate_bp" validate:"required,min=0,max=10000"`
	MinimumFee   int64      `json:"minimum_fee" validate:"min=0,max=100000000000"`
}

// SettlementInput generates a franchisee's monthly settlement.
type SettlementInput struct {
	FranchiseeID uuid.UUID `json:"franchisee_id" validate:"required"`
	Year         int       `json:"year" validate:"required,min=2000,max=2200"`
	Month        int       `json:"month" validate:"required,min=1,max=12"`
}

// SettlementStore is one franchise store's part of a settlement.
type SettlementStore struct {
	StoreID  uuid.UUID `json:"store_id"`
	NetSales int64     `json:"net_sales"`
	Royalty  int64     `json:"royalty"`
}

// Settlement is a franchisee's monthly statement with HQ: royalties on net
// sales, supplies bought from HQ and payments made; balance_due = royalty +
// supplies − payments (what the franchisee owes HQ for the month).
type Settlement struct {
	ID           uuid.UUID         `json:"id"`
	FranchiseeID uuid.UUID         `json:"franchisee_id"`
	Year         int               `json:"year"`
	Month        int               `json:"month"`
	Status       string            `json:"status"`
	NetSales     int64             `json:"net_sales"`
	Royalty      int64             `json:"royalty"`
	Supplies     int64             `json:"supplies"`
	Payments     int64             `json:"payments"`
	BalanceDue   int64             `json:"balance_due"`
	Stores       []SettlementStore `json:"stores"`
	CreatedAt    time.Time         `json:"created_at"`
	PostedAt     *time.Time        `json:"posted_at"`
	PostedBy     *uuid.UUID        `json:"posted_by"`
	PostedByName string            `json:"posted_by_name"`
}
