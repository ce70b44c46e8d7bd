package pos

import (
	"time"

	"github.com/google/uuid"
)

// Settings are a chain's POS rules (pos_settings; defaults when unset).
type Settings struct {
	// Rounding is the rule for a sale's total: fen, floor_jiao (抹分),
	// floor_yuan (抹角分), round_jiao (四舍五入到角).
	Rounding string `json:"rounding"`
	// VarianceTolerance: a shift's cash variance up to this many fen (either
	// way) posts at its close; a larger one waits for a manager.
	VarianceTolerance int64 `json:"variance_tolerance"`
	// ReturnApprovalLimit: a return refunding more than this needs a
	// manager's approval.
	ReturnApprovalLimit int64 `json:"return_approval_limit"`
	// CashierDiscountBP: the deepest price override or manual discount a
	// cashier may give alone, in basis points of the line.
	CashierDiscountBP int    `json:"cashier_discount_bp"`
	ReceiptFooter     string `json:"receipt_footer"`
	// SellerName and SellerTaxID are the seller on e-invoices (销售方);
	// without a tax id the tills offer no e-invoice.
	SellerName  string    `json:"seller_name"`
	SellerTaxID string    `json:"seller_tax_id"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// SettingsInput replaces the settings.
type SettingsInput struct {
	Rounding            string `json:"rounding" validate:"required,oneof=fen floor_jiao floor_yuan round_jiao"`
	VarianceTolerance   int64  `json:"variance_tolerance" validate:"min=0,max=100000000"`
	ReturnApprovalLimit int64  `json:"return_approval_limit" validate:"min=0,max=10000000000"`
	CashierDiscountBP   int    `json:"cashier_discount_bp" validate:"min=0,max=10000"`
	ReceiptFooter       string `json:"receipt_footer" validate:"max=500,text"`
	SellerName          string `json:"seller_name" validate:"max=200,text"`
	SellerTaxID         string `json:"seller_tax_id" validate:"omitempty,max=20,alphanum"`
}

// Register is a till of one store. Its device credential is shown once,
// in RegisterCreated.
type Register struct {
	ID             uuid.UUID  `json:"id"`
	StoreID        uuid.UUID  `json:"store_id"`
	Code           string     `json:"code"`
	Name           string     `json:"name"`
	Status         string     `json:"status"`
	OfflineAllowed bool       `json:"offline_allowed"`
	NextSeq        int64      `json:"next_receipt_seq"`
	LastOfflineSeq int64      `json:"last_offline_seq"`
	RegisteredAt   time.Time  `json:"registered_at"`
	RevokedAt      *time.Time `json:"revoked_at"`
	LastSeenAt     *time.Time `json:"last_seen_at"`
}

const registerColumns = `id, store_id, code, name, status, offline_allowed, next_seq, last_offline_seq, registered_at, revoked_at, last_seen_at`

// RegisterCreated is a new (or re-keyed) register with its device
// credential, which the server never shows again.
type RegisterCreated struct {
	Register
	DeviceToken string `json:"device_token"`
}

// RegisterInput registers a till.
type RegisterInput struct {
	Code           string `json:"code" validate:"required,min=1,max=16,code"`
	Name           string `json:"name" validate:"required,min=1,max=100,text"`
	OfflineAllowed bool   `json:"offline_allowed"`
}

// RegisterUpdate changes a till; nil fields stay.
type RegisterUpdate struct {
	Name           *string `json:"name" validate:"omitnil,min=1,max=100,text"`
	OfflineAllowed *bool   `json:"offline_allowed"`
}

// Till is the register a request comes from, proven by its device
// credential.
type Till struct {
	RegisterID     uuid.UUID
	StoreID        uuid.UUID
	Code           string
	OfflineAllowed bool
}

// Shift is a cashier's turn at one register.
type Shift struct {
	ID             uuid.UUID    `json:"id"`
	StoreID        uuid.UUID    `json:"store_id"`
	RegisterID     uuid.UUID    `json:"register_id"`
	CashierID      uuid.UUID    `json:"cashier_id"`
	CashierName    string       `json:"cashier_name" gorm:"-"`
	Status         string       `json:"status"`
	BusinessDate   string       `json:"business_date"`
	OpeningFloat   int64        `json:"opening_float"`
	OpenedAt       time.Time    `json:"opened_at"`
	ClosedAt       *time.Time   `json:"closed_at"`
	CashVariance   *int64       `json:"cash_variance"`
	ApprovedBy     *uuid.UUID   `json:"approved_by"`
	ApprovedByName string       `json:"approved_by_name" gorm:"-"`
	ApprovedAt     *time.Time   `json:"approved_at"`
	Note           string       `json:"note"`
	Counts         []ShiftCount `json:"counts,omitempty" gorm:"-"`
}

const shiftColumns = `id, store_id, register_id, cashier_id, status, to_char(business_date, 'YYYY-MM-DD') AS business_date,
	opening_float, opened_at, closed_at, cash_variance, approved_by, approved_at, note`

// ShiftCount is one tender at a shift's close: what the drawer should hold
// and what was counted. Expected is hidden from the cashier until the
// count is in (a blind count).
type ShiftCount struct {
	Method   string `json:"method"`
	Expected int64  `json:"expected"`
	Counted  int64  `json:"counted"`
	Variance int64  `json:"variance"`
}

// OpenShiftInput opens a shift at the till the request comes from.
type OpenShiftInput struct {
	OpeningFloat int64 `json:"opening_float" validate:"min=0,max=100000000"`
}

// CloseShiftInput is the blind count: what the cashier counted per tender.
type CloseShiftInput struct {
	Counts []CountInput `json:"counts" validate:"required,min=1,max=20,dive"`
	Note   string       `json:"note" validate:"max=500,text"`
}

// CountInput is one tender's counted amount.
type CountInput struct {
	Method  string `json:"method" validate:"required,max=20"`
	Counted int64  `json:"counted" validate:"min=0,max=100000000000"`
}

// Approval is a manager's consent at the till: their access token (signed
// in on the till's approval dialog) or their approval PIN.
type Approval struct {
	Token  string     `json:"token" validate:"omitempty,max=4096"`
	UserID *uuid.UUID `json:"user_id"`
	PIN    string     `json:"pin" validate:"omitempty,numeric,min=4,max=8"`
}

// PINInput sets the caller's own approval PIN.
type PINInput struct {
	PIN string `json:"pin" validate:"required,numeric,min=4,max=8"`
}
