package pos

import (
	"time"

	"github.com/google/uuid"

	"chainstore/modules/promotions"
)

// CartInput is what a till sends to price a cart or make a sale: lines by
// SKU or barcode (scale labels included), the member, coupons and points.
type CartInput struct {
	Lines       []LineInput `json:"lines" validate:"required,min=1,max=200,dive"`
	Member      *MemberRef  `json:"member"`
	Coupons     []string    `json:"coupons" validate:"max=10,dive,min=1,max=40,printascii"`
	PointsToUse int64       `json:"points_to_use" validate:"min=0,max=100000000"`
}

// LineInput is one scanned or keyed line. Qty is in thousandths of the
// unit (grams for weighed goods); a scale label carries its own weight, so
// Qty may then be left out.
type LineInput struct {
	SKUID   *uuid.UUID `json:"sku_id"`
	Barcode string     `json:"barcode" validate:"omitempty,max=40,printascii"`
	Qty     int64      `json:"qty" validate:"min=0,max=100000000"`
	// Override charges another unit price than the one in force: within the
	// chain's cashier limit alone, beyond it with a manager's approval.
	Override *Override `json:"price_override"`
}

// Override is a price override of one line (改价), audited.
type Override struct {
	UnitPrice int64  `json:"unit_price" validate:"min=0,max=100000000000"`
	Reason    string `json:"reason" validate:"required,min=1,max=200,text"`
}

// MemberRef finds the customer's member record: exactly one of card
// number, phone, the rotating QR token, or (from the console) the id.
type MemberRef struct {
	Card  string     `json:"card" validate:"omitempty,max=40,printascii"`
	Phone string     `json:"phone" validate:"omitempty,max=20"`
	QR    string     `json:"qr_token" validate:"omitempty,max=200,printascii"`
	ID    *uuid.UUID `json:"id"`
}

// SaleInput is a sale: the cart, how it is paid, and (for overrides and
// manual discounts beyond the cashier's limit) a manager's approval. ID is
// the sale's UUIDv7, made by the till so that a retry, or an offline
// upload, names the same sale.
type SaleInput struct {
	ID uuid.UUID `json:"id" validate:"required"`
	CartInput
	Tenders []TenderInput `json:"tenders" validate:"required,min=1,max=10,dive"`
	// ManualDiscount takes an amount off the whole cart after promotions
	// (整单优惠), allocated to lines like any order discount.
	ManualDiscount int64     `json:"manual_discount" validate:"min=0,max=100000000000"`
	Approval       *Approval `json:"approval"`
	// For offline uploads only: when the till sold it, its offline receipt
	// number, and the total it charged.
	SoldAt       *time.Time `json:"sold_at"`
	OfflineSeq   int64      `json:"offline_seq" validate:"min=0"`
	OfflineTotal *int64     `json:"offline_total" validate:"omitnil,min=0"`
}

// TenderInput is one way the customer pays. Cash may exceed what it pays
// (the change is given back); an external tender names its approved
// payment; stored value is taken from the sale's member.
type TenderInput struct {
	Method string `json:"method" validate:"required,max=20"`
	Amount int64  `json:"amount" validate:"min=0,max=100000000000"`
	// Tendered is the cash handed over (≥ Amount); zero means exact.
	Tendered  int64      `json:"tendered" validate:"min=0,max=100000000000"`
	PaymentID *uuid.UUID `json:"payment_id"`
}

// PricedCart is the server's price of a cart: prices in force, every
// promotion applied with its explanation, member benefits and what the
// member would earn.
type PricedCart struct {
	StoreID  uuid.UUID      `json:"store_id"`
	PricedAt time.Time      `json:"priced_at"`
	Lines    []PricedLine   `json:"lines"`
	Applied  []AppliedPromo `json:"promotions"`
	Coupons  []CouponState  `json:"coupons"`
	Member   *CartMember    `json:"member"`
	Gross    int64          `json:"gross"`
	Discount int64          `json:"discount"`
	Rounding int64          `json:"rounding"`
	Total    int64          `json:"total"`
	// PointsValue is what the points asked for are worth; Payable is what
	// is left to pay after them.
	PointsUsed   int64 `json:"points_used"`
	PointsValue  int64 `json:"points_value"`
	Payable      int64 `json:"payable"`
	PointsToEarn int64 `json:"points_to_earn"`
}

// PricedLine is one cart line priced.
type PricedLine struct {
	LineNo      int          `json:"line_no"`
	SKUID       uuid.UUID    `json:"sku_id"`
	Code        string       `json:"code"`
	Name        string       `json:"name"`
	Barcode     string       `json:"barcode"`
	Unit        string       `json:"unit"`
	Weighed     bool         `json:"weighed"`
	Qty         int64        `json:"qty"`
	ListPrice   int64        `json:"list_price"`
	MemberPrice *int64       `json:"member_price"`
	UnitPrice   int64        `json:"unit_price"`
	Gross       int64        `json:"gross"`
	Discount    int64        `json:"discount"`
	Net         int64        `json:"net"`
	VATRateBP   int          `json:"vat_rate_bp"`
	Allocations []Allocation `json:"allocations"`
	Override    *Override    `json:"price_override,omitempty"`

	categoryPath []uuid.UUID
	brandID      *uuid.UUID
}

// Allocation is one discount's share of a line, with its explanation.
type Allocation struct {
	Kind        string     `json:"kind"`
	PromotionID *uuid.UUID `json:"promotion_id,omitempty"`
	CouponID    *uuid.UUID `json:"coupon_id,omitempty"`
	Amount      int64      `json:"amount"`
	Label       string     `json:"label"`
	LabelEn     string     `json:"label_en"`
}

// AppliedPromo is a promotion or coupon the cart takes, explained.
type AppliedPromo struct {
	PromotionID   uuid.UUID       `json:"promotion_id"`
	CouponID      *uuid.UUID      `json:"coupon_id,omitempty"`
	Kind          promotions.Kind `json:"kind"`
	Name          string          `json:"name"`
	NameEn        string          `json:"name_en"`
	Discount      int64           `json:"discount"`
	Explanation   string          `json:"explanation"`
	ExplanationEn string          `json:"explanation_en"`
}

// CouponState says what became of a presented coupon.
type CouponState struct {
	Code     string     `json:"code"`
	CouponID *uuid.UUID `json:"coupon_id,omitempty"`
	Used     bool       `json:"used"`
	Why      string     `json:"why,omitempty"`
	Reason   string     `json:"reason,omitempty"`
	ReasonEn string     `json:"reason_en,omitempty"`
}

// CartMember is the sale's member as a till may show it (masked).
type CartMember struct {
	ID          uuid.UUID  `json:"id"`
	CardNo      string     `json:"card_no"`
	Name        string     `json:"name"`
	Phone       string     `json:"phone"`
	TierID      *uuid.UUID `json:"tier_id"`
	TierName    string     `json:"tier_name"`
	Points      int64      `json:"points"`
	PointValue  int64      `json:"point_value"`
	StoredValue int64      `json:"stored_value"`
	CanSpend    bool       `json:"can_spend"`
}

// Sale is a recorded sale with its lines, tenders and receipt.
type Sale struct {
	ID         uuid.UUID `json:"id"`
	StoreID    uuid.UUID `json:"store_id"`
	RegisterID uuid.UUID `json:"register_id"`
	ShiftID    uuid.UUID `json:"shift_id"`
	CashierID  uuid.UUID `json:"cashier_id"`
	// CashierName is filled on the sale's reads (lists, detail, receipt);
	// the till's own checkout and upload answers leave it "", so a
	// checkout spends no statement on a name its till already shows.
	CashierName   string         `json:"cashier_name"`
	MemberID      *uuid.UUID     `json:"member_id"`
	ReceiptNo     string         `json:"receipt_no"`
	Status        string         `json:"status"`
	Offline       bool           `json:"offline"`
	Flags         []string       `json:"flags"`
	BusinessDate  string         `json:"business_date"`
	SoldAt        time.Time      `json:"sold_at"`
	Gross         int64          `json:"gross"`
	Discount      int64          `json:"discount"`
	Rounding      int64          `json:"rounding"`
	Total         int64          `json:"total"`
	Paid          int64          `json:"paid"`
	ChangeGiven   int64          `json:"change_given"`
	PointsEarned  int64          `json:"points_earned"`
	PointsUsed    int64          `json:"points_used"`
	ReturnedTotal int64          `json:"returned_total"`
	Applied       []AppliedPromo `json:"promotions"`
	Lines         []SaleLine     `json:"lines"`
	Tenders       []SaleTender   `json:"tenders"`
	// InvoiceURL is what the receipt's QR code opens to ask for a fapiao.
	InvoiceURL string `json:"invoice_url"`

	token    []byte // the invoice link's secret
	tenantID uuid.UUID
}

// SaleLine is one recorded line.
type SaleLine struct {
	LineNo      int          `json:"line_no"`
	SKUID       uuid.UUID    `json:"sku_id"`
	Name        string       `json:"name"`
	Barcode     string       `json:"barcode"`
	Weighed     bool         `json:"weighed"`
	Qty         int64        `json:"qty"`
	ListPrice   int64        `json:"list_price"`
	UnitPrice   int64        `json:"unit_price"`
	Gross       int64        `json:"gross"`
	Discount    int64        `json:"discount"`
	Net         int64        `json:"net"`
	VATRateBP   int          `json:"vat_rate_bp"`
	ReturnedQty int64        `json:"returned_qty"`
	ReturnedNet int64        `json:"returned_net"`
	Allocations []Allocation `json:"allocations"`
}

// SaleTender is one recorded tender.
type SaleTender struct {
	TenderNo  int        `json:"tender_no"`
	Method    string     `json:"method"`
	Amount    int64      `json:"amount"`
	Tendered  int64      `json:"tendered"`
	PaymentID *uuid.UUID `json:"payment_id"`
	Reference string     `json:"reference"`
	Refunded  int64      `json:"refunded"`
}
