package inventory

import (
	"time"

	"github.com/google/uuid"

	"chainstore/infra/doc"
)

// Kind is what a stock movement records.
type Kind string

// Movement kinds. Receipts, returns and transfers in add stock; sales,
// transfers out and write-offs (damage, expiry) issue it; adjustments and
// stocktake variances carry their own sign.
const (
	KindReceipt     Kind = "receipt"
	KindSale        Kind = "sale"
	KindReturn      Kind = "return"
	KindTransferOut Kind = "transfer_out"
	KindTransferIn  Kind = "transfer_in"
	KindAdjustment  Kind = "adjustment"
	KindStocktake   Kind = "stocktake"
	KindDamage      Kind = "damage"
	KindExpiry      Kind = "expiry"
)

// direction is +1 for kinds that add stock, -1 for issues and 0 for kinds
// whose quantity carries its own sign; ok is false for an unknown kind.
func (k Kind) direction() (dir int64, ok bool) {
	switch k {
	case KindReceipt, KindReturn, KindTransferIn:
		return 1, true
	case KindSale, KindTransferOut, KindDamage, KindExpiry:
		return -1, true
	case KindAdjustment, KindStocktake:
		return 0, true
	}
	return 0, false
}

// Settings are the chain's inventory rules.
type Settings struct {
	// AllowNegativeStock lets issues (sales, transfers out, write-offs) take
	// stock below zero. Adjustments and stocktake variances always apply.
	AllowNegativeStock bool `json:"allow_negative_stock"`
	NearExpiryDays     int  `json:"near_expiry_days"`
	ReviewDays         int  `json:"review_days"`
	// OverReceiptPct is how far a transfer's receipt may exceed a line's
	// shipped quantity, in percent of it; more is refused.
	OverReceiptPct int        `json:"over_receipt_pct"`
	UpdatedAt      *time.Time `json:"updated_at"`
}

// SettingsInput changes the settings; nil fields stay.
type SettingsInput struct {
	AllowNegativeStock *bool `json:"allow_negative_stock"`
	NearExpiryDays     *int  `json:"near_expiry_days" validate:"omitnil,min=0,max=365"`
	ReviewDays         *int  `json:"review_days" validate:"omitnil,min=0,max=90"`
	OverReceiptPct     *int  `json:"over_receipt_pct" validate:"omitnil,min=0,max=1000"`
}

// Unit is the catalog's unit of a SKU (its product's), as inventory rows
// carry it so a quantity can be shown with it: Kind "weight" means the
// quantities are grams (thousandths of a kilogram), "count" thousandths of
// a piece. Read through unitJoin and unitColumns; inventory reads the
// catalog's tables, never its package.
type Unit struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Kind string `json:"kind"`
}

// unitJoin joins a SKU (alias s) to its product (p) and unit (u); every
// SKU has both, so it drops no row.
const unitJoin = `JOIN products p ON p.tenant_id = s.tenant_id AND p.id = s.product_id
	JOIN units u ON u.tenant_id = p.tenant_id AND u.id = p.unit_id`

// unitColumns selects the unit of unitJoin into a row's Unit field
// (embedded with the prefix unit_).
const unitColumns = `u.code AS unit_code, u.name AS unit_name, u.kind AS unit_kind`

// Level is the stock of one SKU in one store. SKUName is the SKU's name as
// the till shows it.
type Level struct {
	StoreID        uuid.UUID  `json:"store_id"`
	SKUID          uuid.UUID  `json:"sku_id" gorm:"column:sku_id"`
	SKUCode        string     `json:"sku_code"`
	SKUName        string     `json:"sku_name"`
	Unit           Unit       `json:"unit" gorm:"embedded;embeddedPrefix:unit_"`
	OnHand         int64      `json:"on_hand"`
	InTransit      int64      `json:"in_transit"`
	StockValue     int64      `json:"stock_value"`
	AvgCost        int64      `json:"avg_cost"`
	MinQty         *int64     `json:"min_qty"`
	MaxQty         *int64     `json:"max_qty"`
	SafetyQty      int64      `json:"safety_qty"`
	LeadTimeDays   int        `json:"lead_time_days"`
	LastSaleAt     *time.Time `json:"last_sale_at"`
	LastMovementAt *time.Time `json:"last_movement_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

const levelColumns = `l.store_id, l.sku_id, s.code AS sku_code, s.name AS sku_name, ` + unitColumns + `, l.on_hand, l.in_transit, l.stock_value, l.avg_cost,
	l.min_qty, l.max_qty, l.safety_qty, l.lead_time_days, l.last_sale_at, l.last_movement_at, l.updated_at`

// MaxStockQuery is the longest search (in characters) a stock list takes.
const MaxStockQuery = 64

// LevelFilter narrows a store's stock list.
type LevelFilter struct {
	CategoryID *uuid.UUID // the category and everything under it
	BelowMin   bool
	// Query finds SKUs by code (prefix, any case), barcode (exact; a
	// 12-digit UPC-A also as its EAN-13 form) or name (substring of the
	// SKU's or its product's name, any case). Trimmed; empty: every SKU.
	Query string
}

// ThresholdsInput sets a SKU's stock thresholds in a store (all fields
// replace: a null min or max removes it).
type ThresholdsInput struct {
	MinQty       *int64 `json:"min_qty" validate:"omitnil,min=0,max=1000000000000"`
	MaxQty       *int64 `json:"max_qty" validate:"omitnil,min=0,max=1000000000000"`
	SafetyQty    int64  `json:"safety_qty" validate:"min=0,max=1000000000000"`
	LeadTimeDays *int   `json:"lead_time_days" validate:"omitnil,min=0,max=365"`
}

// MoveLine is one SKU of a movement. Qty is a positive magnitude for kinds
// with a direction and signed (non-zero) for adjustments and stocktakes.
type MoveLine struct {
	SKUID uuid.UUID
	Qty   int64
	// UnitCost (fen per unit) values stock coming in; without it an inbound
	// line is valued at the level's moving average.
	UnitCost *int64
	// Value (fen) is the exact total value of an inbound line; it overrides
	// UnitCost (a transfer receipt books what was shipped, to the fen).
	Value *int64
	// ExpiryDate opens an expiry lot for inbound stock.
	ExpiryDate *time.Time
	// Lots opens several expiry lots for inbound stock (a transfer receipt
	// carries the dates the shipment took at the source); together at most
	// Qty, never with ExpiryDate.
	Lots []LotQty
}

// LotQty is a quantity of one expiry date.
type LotQty struct {
	ExpiryDate time.Time
	Qty        int64
}

// MoveInput is one stock movement document: one store, one kind, lines.
// Source names the document (a sale, a goods receipt, a stocktake …):
// every movement of it carries the same (type, id) that the document's
// journal entry and member ledger entries carry.
type MoveInput struct {
	StoreID    uuid.UUID
	Kind       Kind
	Lines      []MoveLine
	Source     doc.Source
	Reason     string
	UserID     *uuid.UUID
	OccurredAt time.Time // zero: now
	// Happened: the goods have already left (a till's sale made offline):
	// an issue takes the stock below zero even when the chain forbids it,
	// and the results say which lines did (MoveResult.BelowZero).
	Happened bool
}

// MoveResult is what one line did: its movement and the cost of the goods
// it moved (negative for issues: a sale's COGS is -CostAmount).
type MoveResult struct {
	SKUID       uuid.UUID `json:"sku_id" gorm:"column:sku_id"`
	MovementID  uuid.UUID `json:"movement_id"`
	Qty         int64     `json:"qty"`
	CostAmount  int64     `json:"cost_amount"`
	UnitCost    int64     `json:"unit_cost"`
	OnHandAfter int64     `json:"on_hand_after"`
	// GoodsValue is, for stock coming in, the goods at their own cost
	// (qty × unit cost, or the given value); it differs from CostAmount only
	// when the line settles negative stock. 0 for issues.
	GoodsValue int64 `json:"-"`
	// Lots is, for an issue, what it took from expiry lots per date.
	Lots []LotQty `json:"-"`
	// BelowZero: a Happened issue took the stock below zero where the
	// chain does not allow it.
	BelowZero bool `json:"below_zero,omitempty"`
}

// Movement is one immutable stock movement.
type Movement struct {
	ID          uuid.UUID  `json:"id"`
	StoreID     uuid.UUID  `json:"store_id"`
	SKUID       uuid.UUID  `json:"sku_id" gorm:"column:sku_id"`
	SKUCode     string     `json:"sku_code"`
	SKUName     string     `json:"sku_name"`
	Kind        string     `json:"kind"`
	Qty         int64      `json:"qty"`
	CostAmount  int64      `json:"cost_amount"`
	UnitCost    int64      `json:"unit_cost"`
	OnHandAfter int64      `json:"on_hand_after"`
	SourceType  string     `json:"source_type"`
	SourceID    *uuid.UUID `json:"source_id"`
	Reason      string     `json:"reason"`
	UserID      *uuid.UUID `json:"user_id"`
	OccurredAt  time.Time  `json:"occurred_at"`
}

// MovementFilter narrows a store's movement list.
type MovementFilter struct {
	SKUID *uuid.UUID
	Kind  string
}

// ManualMovementInput is a movement entered in the console: a receipt
// without a purchase order, a customer return, an adjustment or a
// write-off. Sales and transfers come from their own documents.
type ManualMovementInput struct {
	StoreID uuid.UUID            `json:"store_id" validate:"required"`
	Kind    string               `json:"kind" validate:"required,oneof=receipt return adjustment damage expiry"`
	Reason  string               `json:"reason" validate:"max=500,text"`
	Lines   []ManualMovementLine `json:"lines" validate:"required,min=1,max=500,dive"`
}

// ManualMovementLine is one SKU of a manual movement.
type ManualMovementLine struct {
	SKUID      uuid.UUID `json:"sku_id" validate:"required"`
	Qty        int64     `json:"qty" validate:"required,min=-1000000000000,max=1000000000000"`
	UnitCost   *int64    `json:"unit_cost" validate:"omitnil,min=0,max=10000000000"`
	ExpiryDate *string   `json:"expiry_date" validate:"omitnil,datetime=2006-01-02"`
}

// Alert is a current alert condition of a SKU in a store.
type Alert struct {
	StoreID   uuid.UUID `json:"store_id"`
	SKUID     uuid.UUID `json:"sku_id" gorm:"column:sku_id"`
	SKUCode   string    `json:"sku_code"`
	SKUName   string    `json:"sku_name"`
	Kind      string    `json:"kind"`
	OnHand    int64     `json:"on_hand"`
	Threshold *int64    `json:"threshold"`
}

// AlertEvent is one threshold crossing, waiting in the outbox for the
// notification module.
type AlertEvent struct {
	ID        uuid.UUID  `json:"id"`
	StoreID   uuid.UUID  `json:"store_id"`
	SKUID     uuid.UUID  `json:"sku_id" gorm:"column:sku_id"`
	Kind      string     `json:"kind"`
	Qty       int64      `json:"qty"`
	Threshold *int64     `json:"threshold"`
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at"`
}

// ExpiringLot is stock that expires soon (or has expired).
type ExpiringLot struct {
	LotID        uuid.UUID `json:"lot_id"`
	StoreID      uuid.UUID `json:"store_id"`
	SKUID        uuid.UUID `json:"sku_id" gorm:"column:sku_id"`
	SKUCode      string    `json:"sku_code"`
	SKUName      string    `json:"sku_name"`
	Unit         Unit      `json:"unit" gorm:"embedded;embeddedPrefix:unit_"`
	ExpiryDate   string    `json:"expiry_date"`
	DaysLeft     int       `json:"days_left"`
	RemainingQty int64     `json:"remaining_qty"`
	ReceivedAt   time.Time `json:"received_at"`
}
