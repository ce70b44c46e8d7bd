package payments

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

// The protocol's JSON bodies (see the package doc).

type wirePayRequest struct {
	ID          string `json:"id"`
	Method      string `json:"method"`
	Amount      int64  `json:"amount"`
	AuthCode    string `json:"auth_code,omitempty"`
	StoreID     string `json:"store_id"`
	RegisterID  string `json:"register_id"`
	Description string `json:"description,omitempty"`
}

type wireRefundRequest struct {
	ID     string `json:"id"`
	Amount int64  `json:"amount"`
	Reason string `json:"reason,omitempty"`
}

type wirePayment struct {
	ID             string     `json:"id"`
	Method         string     `json:"method"`
	Status         string     `json:"status"`
	Amount         int64      `json:"amount"`
	Refunded       int64      `json:"refunded"`
	ProviderRef    string     `json:"provider_ref"`
	DeclineCode    string     `json:"decline_code"`
	DeclineMessage string     `json:"decline_message"`
	Last4          string     `json:"last4"`
	PaidAt         *time.Time `json:"paid_at"`
}

type wireRefund struct {
	ID          string     `json:"id"`
	PaymentID   string     `json:"payment_id"`
	Amount      int64      `json:"amount"`
	Status      string     `json:"status"`
	ProviderRef string     `json:"provider_ref"`
	RefundedAt  *time.Time `json:"refunded_at"`
}

type wireError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// maxText bounds every string the gateway sends us.
const maxText = 256

// decodePayment reads a payment answer and checks it is one: a known
// status, amounts that add up, sane strings. Anything else is an error
// (which the caller treats as no answer), never a panic.
func decodePayment(data []byte) (Payment, error) {
	var w wirePayment
	if err := json.Unmarshal(data, &w); err != nil {
		return Payment{}, fmt.Errorf("decoding the payment: %w", err)
	}
	id, err := uuid.Parse(w.ID)
	if err != nil {
		return Payment{}, errors.New("the payment has no valid id")
	}
	p := Payment{
		ID: id, Method: Method(w.Method), Status: Status(w.Status), Amount: w.Amount, Refunded: w.Refunded,
		ProviderRef: w.ProviderRef, DeclineCode: w.DeclineCode, DeclineMessage: w.DeclineMessage, Last4: w.Last4,
	}
	if w.PaidAt != nil {
		p.PaidAt = w.PaidAt.UTC()
	}
	if !p.Status.Valid() {
		return Payment{}, errors.New("the payment has an unknown status")
	}
	// Only an id cancelled before any payment reached the gateway has no
	// method and no amount.
	tombstone := p.Status == StatusCancelled && p.Method == "" && p.Amount == 0
	if !tombstone && (!p.Method.Valid() || p.Amount <= 0) {
		return Payment{}, errors.New("the payment has no valid method or amount")
	}
	if p.Refunded < 0 || p.Refunded > p.Amount || (p.Status == StatusRefunded) != (p.Amount > 0 && p.Refunded == p.Amount) {
		return Payment{}, fmt.Errorf("the payment's refunded %d does not fit its amount %d and status %s", p.Refunded, p.Amount, p.Status)
	}
	if (p.Status == StatusApproved || p.Status == StatusRefunded) && p.PaidAt.IsZero() {
		return Payment{}, errors.New("a paid payment has no paid_at")
	}
	for _, s := range []string{p.ProviderRef, p.DeclineCode, p.DeclineMessage, p.Last4} {
		if len(s) > maxText || !utf8.ValidString(s) {
			return Payment{}, errors.New("the payment has an overlong or invalid text field")
		}
	}
	if p.Last4 != "" && (len(p.Last4) != 4 || !digits(p.Last4)) {
		return Payment{}, errors.New("the payment's last4 is not four digits")
	}
	return p, nil
}

// decodeRefund reads a refund answer, as decodePayment does a payment.
func decodeRefund(data []byte) (Refund, error) {
	var w wireRefund
	if err := json.Unmarshal(data, &w); err != nil {
		return Refund{}, fmt.Errorf("decoding the refund: %w", err)
	}
	id, err1 := uuid.Parse(w.ID)
	pid, err2 := uuid.Parse(w.PaymentID)
	if err1 != nil || err2 != nil {
		return Refund{}, errors.New("the refund has no valid ids")
	}
	r := Refund{ID: id, PaymentID: pid, Amount: w.Amount, Status: Status(w.Status), ProviderRef: w.ProviderRef}
	if w.RefundedAt != nil {
		r.RefundedAt = w.RefundedAt.UTC()
	}
	if r.Status != StatusRefunded && r.Status != StatusPending {
		return Refund{}, errors.New("the refund has an unknown status")
	}
	if r.Amount <= 0 {
		return Refund{}, errors.New("the refund has no positive amount")
	}
	if len(r.ProviderRef) > maxText || !utf8.ValidString(r.ProviderRef) {
		return Refund{}, errors.New("the refund has an overlong or invalid provider_ref")
	}
	if r.Status == StatusRefunded && r.RefundedAt.IsZero() {
		return Refund{}, errors.New("a completed refund has no refunded_at")
	}
	return r, nil
}
