// Package payments is the seam between the POS and external payment
// providers: scan-to-pay wallets (WeChat Pay, Alipay and UnionPay QR, paid
// with the customer's 付款码) and bank cards on a terminal. Provider is the
// interface the POS consumes; Gateway is its HTTP implementation; paytest is
// a fake gateway for tests.
//
// # The contract
//
// Every payment carries the caller's id, a UUID made before the first
// attempt and stored with the sale. It is the provider's out_trade_no, so
// the same id can never charge twice: a repeated Pay returns the payment
// that id already made. Pay returns a nil error exactly when the payment is
// approved. Otherwise it returns one of
//
//   - ErrDeclined: the provider said no and nothing was charged. The id is
//     spent; another attempt takes a new id.
//   - ErrPending: the outcome is not known. The request timed out, its
//     answer was lost or failed its signature, or the customer is still
//     confirming in the wallet. Money may have moved. Ask again with Query
//     (or Resolve); if the payment stays pending past the sale's patience,
//     Cancel it. Never pay again with a new id while an id is pending:
//     that is how a customer is charged twice.
//   - ErrInvalid: the request was refused before it was sent.
//   - ErrRejected: the gateway refused the request (signed answer: bad
//     signature, stale clock, unknown merchant, malformed request, rate
//     limit). Nothing was charged.
//   - ErrConflict: the id was used for a payment of another amount or method.
//   - ErrClosed: the id's payment was already cancelled or fully refunded.
//
// A sale is never left half-paid: each external tender ends approved (and
// counts) or declined or cancelled (and holds no money), and Resolve is the
// loop that gets a pending one there.
//
// # The gateway protocol
//
// Gateway speaks a small JSON protocol over HTTPS, the shape a real
// aggregator adapter (收钱吧, 拉卡拉, 微信/支付宝 服务商 APIs) is mapped onto.
// Every request carries X-Merchant-Id and is signed as infra/httpsig says:
// X-Timestamp (unix seconds; the gateway refuses one more than five minutes
// off) and X-Signature, the hex HMAC-SHA256 under the merchant's key of
// METHOD "\n" PATH "\n" TIMESTAMP "\n" BODY. Every answer, errors included,
// is signed the same way with the status code in place of the method, and
// an answer whose signature fails is not believed. Money is integer fen
// (CNY), times RFC 3339, fields snake_case.
//
//	POST /v1/payments        {"id", "method", "amount", "auth_code", "store_id", "register_id", "description"}
//	                         → 201 new payment (approved or declined), 202 pending, 200 the id's existing payment
//	GET  /v1/payments/{id}   → 200 payment, 404 not_found
//	POST /v1/payments/{id}/refunds  {"id", "amount", "reason"} → 201 refund, 200 the refund id's existing refund
//	POST /v1/payments/{id}/cancel   (empty body) → 200 payment, cancelled (or declined, unchanged)
//
// A payment is {"id", "method", "status", "amount", "refunded",
// "provider_ref", "decline_code", "decline_message", "last4", "paid_at"}
// with status approved, declined, pending, cancelled or refunded (refunded
// once refunds reach the amount; a partly refunded payment stays approved).
// A refund is {"id", "payment_id", "amount", "status", "provider_ref",
// "refunded_at"} with status refunded or pending. An error is {"code",
// "message"} with code invalid_request, bad_signature, stale_timestamp or
// unknown_merchant (400/401), not_found (404), conflict (409: the id was
// used with another body), over_refund, not_refundable or not_cancellable
// (422), rate_limited (429); any 5xx means the outcome is unknown.
//
// The gateway's rules: a payment id charges at most once; a Pay naming a
// known id answers that payment (409 if its amount or method differ); a
// refund id refunds at most once and a payment's refunds never exceed its
// amount; Cancel of a pending payment stops it, of an approved one with no
// refunds reverses it in full, and of an unknown id records the id as
// cancelled so a Pay arriving late cannot charge it.
//
// The client sets short timeouts and never retries Pay by itself: the retry
// of a payment is the caller's Query. Refund and Cancel are idempotent by
// their ids, so the caller may simply repeat them after ErrPending.
//
// The customer's AuthCode is one-time but is still a credential while it
// lives: it is sent to the gateway and nowhere else, never stored, and
// appears in logs, errors and formatted values only as MaskCode shows it.
package payments

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

// Provider takes external payments for the POS. Implementations are safe
// for concurrent use. See the package doc for the contract in full.
type Provider interface {
	// Pay charges r.Amount once per r.ID. The error is nil exactly when the
	// returned payment is approved; ErrPending (with a pending payment)
	// means the caller must Query, never pay again with a new id.
	Pay(ctx context.Context, r PayRequest) (Payment, error)
	// Query answers the provider's current view of payment id (pending
	// included, with a nil error); ErrNotFound when it has none (yet).
	Query(ctx context.Context, id uuid.UUID) (Payment, error)
	// Refund gives back r.Amount of an approved payment, at most once per
	// r.ID; ErrOverRefund when the payment's refunds would exceed its
	// amount. ErrPending: repeat the same request.
	Refund(ctx context.Context, r RefundRequest) (Refund, error)
	// Cancel makes payment id hold no money: a pending one is stopped, an
	// approved one without refunds is reversed, an unknown id is recorded
	// so it can never charge. On a nil error the payment is cancelled or
	// declined. ErrState when refunds were made (refund the rest instead).
	Cancel(ctx context.Context, id uuid.UUID) (Payment, error)
}

// Method is how the customer pays.
type Method string

// The methods. The wallets are paid with the customer's 付款码 scanned at
// the till; a card is read by the terminal paired with the register.
const (
	MethodWeChat   Method = "wechat"
	MethodAlipay   Method = "alipay"
	MethodUnionPay Method = "unionpay"
	MethodCard     Method = "card"
)

// Valid reports whether m is one of the methods.
func (m Method) Valid() bool {
	switch m {
	case MethodWeChat, MethodAlipay, MethodUnionPay, MethodCard:
		return true
	}
	return false
}

// Status is where a payment (or a refund) stands.
type Status string

// The statuses. Approved, declined, cancelled and refunded are final
// (an approved payment may still be refunded or cancelled); pending is not.
const (
	StatusApproved  Status = "approved"
	StatusDeclined  Status = "declined"
	StatusPending   Status = "pending"
	StatusCancelled Status = "cancelled"
	StatusRefunded  Status = "refunded"
)

// Valid reports whether s is one of the statuses.
func (s Status) Valid() bool {
	switch s {
	case StatusApproved, StatusDeclined, StatusPending, StatusCancelled, StatusRefunded:
		return true
	}
	return false
}

// Errors of the provider. See the package doc for what each asks the
// caller to do. Wrapped errors add the step and the provider's code.
var (
	ErrDeclined   = errors.New("payments: declined")
	ErrPending    = errors.New("payments: outcome not known yet (query the payment; never pay again with a new id)")
	ErrInvalid    = errors.New("payments: invalid request (not sent)")
	ErrRejected   = errors.New("payments: the gateway refused the request (nothing was charged)")
	ErrConflict   = errors.New("payments: the id was already used for a different payment or refund")
	ErrClosed     = errors.New("payments: the payment was already cancelled or refunded")
	ErrNotFound   = errors.New("payments: no such payment")
	ErrOverRefund = errors.New("payments: refunds would exceed the amount paid")
	ErrState      = errors.New("payments: not possible in the payment's state")
	// ErrUnavailable is a Query that got no trustworthy answer; try again.
	ErrUnavailable = errors.New("payments: the gateway gave no usable answer")
)

// PayRequest asks for one payment.
type PayRequest struct {
	// ID is the caller's payment id and the provider's out_trade_no: the
	// same id can never charge twice.
	ID     uuid.UUID
	Method Method
	// Amount is in fen, > 0.
	Amount int64
	// AuthCode is the customer's 付款码 for the wallets (16 to 24 digits;
	// 18 for WeChat and Alipay today), or for cards the one-time token the
	// terminal gives for the card it read (optional; never a card number).
	// It is never stored or logged; MaskCode is its only printable form,
	// and String, Format and LogValue use it. It is left out of JSON.
	AuthCode    string `json:"-"`
	StoreID     uuid.UUID
	RegisterID  uuid.UUID
	Description string // shown on the customer's wallet statement; at most 128 characters
}

// Validate reports every problem of r as one ErrInvalid. The message never
// contains the AuthCode.
func (r PayRequest) Validate() error {
	var bad []string
	if r.ID == uuid.Nil {
		bad = append(bad, "id is required")
	}
	if !r.Method.Valid() {
		bad = append(bad, "method must be wechat, alipay, unionpay or card")
	}
	if r.Amount <= 0 {
		bad = append(bad, "amount must be positive fen")
	}
	switch r.Method {
	case MethodWeChat, MethodAlipay, MethodUnionPay:
		if n := len(r.AuthCode); n < 16 || n > 24 || !digits(r.AuthCode) {
			bad = append(bad, "auth code must be the 16 to 24 digits of the customer's payment code")
		}
	case MethodCard:
		if n := len(r.AuthCode); n > 128 || !printable(r.AuthCode) {
			bad = append(bad, "card token must be at most 128 printable ASCII characters")
		} else if n >= 12 && n <= 19 && digits(r.AuthCode) {
			bad = append(bad, "card token looks like a card number; card numbers never pass through ChainStore")
		}
	}
	if r.StoreID == uuid.Nil {
		bad = append(bad, "store id is required")
	}
	if r.RegisterID == uuid.Nil {
		bad = append(bad, "register id is required")
	}
	if utf8.RuneCountInString(r.Description) > 128 || !utf8.ValidString(r.Description) {
		bad = append(bad, "description must be valid text of at most 128 characters")
	}
	if len(bad) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalid, strings.Join(bad, "; "))
	}
	return nil
}

// String shows r with its AuthCode masked.
func (r PayRequest) String() string {
	return fmt.Sprintf("payments.PayRequest{ID:%s Method:%s Amount:%d AuthCode:%s StoreID:%s RegisterID:%s Description:%q}",
		r.ID, r.Method, r.Amount, MaskCode(r.AuthCode), r.StoreID, r.RegisterID, r.Description)
}

// Format prints String for every verb, so no %v, %+v, %#v or %s of a
// request shows its AuthCode.
func (r PayRequest) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(r.String())) }

// LogValue logs r with its AuthCode masked.
func (r PayRequest) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("id", r.ID.String()),
		slog.String("method", string(r.Method)),
		slog.Int64("amount", r.Amount),
		slog.String("auth_code", MaskCode(r.AuthCode)),
		slog.String("store_id", r.StoreID.String()),
		slog.String("register_id", r.RegisterID.String()),
	)
}

// MaskCode is the only printable form of an AuthCode: its first two
// characters (which name the wallet) and last two, the rest starred; codes
// shorter than ten characters are starred in full.
func MaskCode(code string) string {
	r := []rune(code)
	if len(r) < 10 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:2]) + strings.Repeat("*", len(r)-4) + string(r[len(r)-2:])
}

// Payment is the provider's record of one payment id.
type Payment struct {
	ID     uuid.UUID
	Method Method // empty for an id cancelled before any payment reached the provider
	Status Status
	Amount int64 // fen asked for (0 for an id cancelled before any payment)
	// Refunded is the fen refunded so far (Status becomes refunded when it
	// reaches Amount).
	Refunded       int64
	ProviderRef    string // the provider's transaction id, for reconciliation
	DeclineCode    string // machine code of a decline, e.g. insufficient_funds
	DeclineMessage string // the provider's words for it, fit to show the cashier
	Last4          string // last four digits of a card; empty for wallets
	PaidAt         time.Time
}

// RefundRequest asks to give back part or all of an approved payment.
type RefundRequest struct {
	// ID is the refund's own id: the same id never refunds twice.
	ID        uuid.UUID
	PaymentID uuid.UUID
	Amount    int64  // fen, > 0
	Reason    string // at most 128 characters
}

// Validate reports every problem of r as one ErrInvalid.
func (r RefundRequest) Validate() error {
	var bad []string
	if r.ID == uuid.Nil {
		bad = append(bad, "refund id is required")
	}
	if r.PaymentID == uuid.Nil {
		bad = append(bad, "payment id is required")
	}
	if r.Amount <= 0 {
		bad = append(bad, "amount must be positive fen")
	}
	if utf8.RuneCountInString(r.Reason) > 128 || !utf8.ValidString(r.Reason) {
		bad = append(bad, "reason must be valid text of at most 128 characters")
	}
	if len(bad) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalid, strings.Join(bad, "; "))
	}
	return nil
}

// Refund is the provider's record of one refund.
type Refund struct {
	ID          uuid.UUID
	PaymentID   uuid.UUID
	Amount      int64
	Status      Status // refunded, or pending while the provider completes it
	ProviderRef string
	RefundedAt  time.Time
}

// Resolve settles payment id, which a Pay left pending: it queries every
// `every` until the payment is final, and if it is still pending (or
// unknown to the provider) after `patience`, cancels it. It returns as Pay
// does: a nil error exactly when the payment is approved; ErrDeclined or
// ErrClosed (cancelled) when it holds no money; ErrPending only when even
// the cancel got no answer, in which case the caller keeps the tender open
// and tries Resolve again later. ctx bounds the whole wait.
func Resolve(ctx context.Context, p Provider, id uuid.UUID, patience, every time.Duration) (Payment, error) {
	if every <= 0 {
		every = time.Second
	}
	deadline := time.Now().Add(patience)
	for {
		pay, err := p.Query(ctx, id)
		if err == nil && pay.Status != StatusPending {
			return pay, Outcome(pay)
		}
		if err != nil && !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrUnavailable) {
			return pay, err
		}
		if !time.Now().Add(every).Before(deadline) {
			break
		}
		t := time.NewTimer(every)
		select {
		case <-ctx.Done():
			t.Stop()
			return Payment{ID: id, Status: StatusPending}, fmt.Errorf("%w: resolve %s: %w", ErrPending, id, ctx.Err())
		case <-t.C:
		}
	}
	pay, err := p.Cancel(ctx, id)
	if err != nil {
		return pay, err
	}
	return pay, Outcome(pay)
}

// Outcome is the error Pay returns with a payment of p's status: nil for
// approved, ErrDeclined (with the decline code and message), ErrPending,
// or ErrClosed for cancelled and refunded.
func Outcome(p Payment) error {
	switch p.Status {
	case StatusApproved:
		return nil
	case StatusDeclined:
		return fmt.Errorf("%w: %s: %s", ErrDeclined, p.DeclineCode, p.DeclineMessage)
	case StatusPending:
		return fmt.Errorf("%w: payment %s: the provider says pending", ErrPending, p.ID)
	case StatusCancelled, StatusRefunded:
		return fmt.Errorf("%w: payment %s is %s", ErrClosed, p.ID, p.Status)
	}
	return fmt.Errorf("%w: payment %s has status %q", ErrPending, p.ID, p.Status)
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}
