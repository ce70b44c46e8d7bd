package pos

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/payments"
	"chainstore/infra/postgres"
	"chainstore/infra/problem"
	"chainstore/tenant"
)

// PaymentInput is one external payment a till asks for: scan-to-pay with
// the customer's 付款码, or a card through the terminal. ID is the till's
// UUIDv7 and the provider's order number: the same id never charges twice.
type PaymentInput struct {
	ID       uuid.UUID `json:"id" validate:"required"`
	Method   string    `json:"method" validate:"required,oneof=wechat alipay unionpay card"`
	Amount   int64     `json:"amount" validate:"min=1,max=100000000000"`
	AuthCode string    `json:"auth_code" validate:"omitempty,max=64,printascii"`
}

// Payment is an external payment as the POS records it. The customer's
// code is never stored: its last four digits only.
type Payment struct {
	ID             uuid.UUID  `json:"id"`
	StoreID        uuid.UUID  `json:"store_id"`
	RegisterID     uuid.UUID  `json:"register_id"`
	Method         string     `json:"method"`
	Amount         int64      `json:"amount"`
	Status         string     `json:"status"`
	ProviderRef    string     `json:"provider_ref"`
	DeclineCode    string     `json:"decline_code"`
	DeclineMessage string     `json:"decline_message,omitempty" gorm:"-"`
	CodeLast4      string     `json:"code_last4"`
	SaleID         *uuid.UUID `json:"sale_id"`
	Refunded       int64      `json:"refunded"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

const paymentColumns = `id, store_id, register_id, method, amount, status, provider_ref, decline_code, code_last4, sale_id, refunded, created_at, updated_at`

// paymentPatience is how long a pending payment is queried before it is
// cancelled (the customer walked away, the answer never came).
const paymentPatience = 90 * time.Second

// Pay charges an external tender. It runs outside the request's database
// transaction, in three steps, so no connection waits on the provider:
// the payment is recorded pending and committed first (a crash after the
// charge still leaves something to query); then the provider is asked;
// then its answer is recorded. Asked again with the same id, it answers
// the recorded payment, querying the provider while it is pending — never
// charging twice. A lost answer leaves the payment pending: the till asks
// again (Pay with the same id, or GetPayment) until it is approved,
// declined, or cancelled after paymentPatience. Errors: ErrNoProvider,
// ErrBadPayment, ErrPaymentDeclined (with the provider's reason).
func (s *Service) Pay(ctx context.Context, actor *tenant.Principal, till Till, in PaymentInput) (Payment, error) {
	if s.payments == nil {
		return Payment{}, ErrNoProvider
	}
	if in.ID.Version() != 7 {
		return Payment{}, ErrBadPayment.WithFields(problem.FieldError{Field: "id", Message: "must be a UUIDv7 the till made for this payment"})
	}
	if (in.Method == "wechat" || in.Method == "alipay" || in.Method == "unionpay") && in.AuthCode == "" {
		return Payment{}, ErrBadPayment.WithFields(problem.FieldError{Field: "auth_code", Message: "scan the customer's payment code"})
	}
	var rec Payment
	var fresh bool
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		last4 := ""
		if n := len(in.AuthCode); n >= 4 {
			last4 = in.AuthCode[n-4:]
		}
		var rows []Payment
		if err := db.Raw(`INSERT INTO pos_payments (tenant_id, id, store_id, register_id, method, amount, status, code_last4)
			VALUES (?, ?, ?, ?, ?, ?, 'pending', ?) ON CONFLICT (tenant_id, id) DO NOTHING RETURNING `+paymentColumns,
			actor.TenantID, in.ID, till.StoreID, till.RegisterID, in.Method, in.Amount, last4).Scan(&rows).Error; err != nil {
			return fmt.Errorf("pos: record payment: %w", err)
		}
		if len(rows) == 1 {
			rec, fresh = rows[0], true
			return nil
		}
		var err error
		rec, err = getPayment(ctx, actor.TenantID, till.StoreID, in.ID)
		if err != nil {
			return err
		}
		if rec.RegisterID != till.RegisterID || rec.Method != in.Method || rec.Amount != in.Amount {
			return ErrBadPayment.WithDetail("payment %s was asked for with another register, method or amount", in.ID)
		}
		return nil
	})
	if err != nil {
		return Payment{}, err
	}
	if !fresh && rec.Status != "pending" {
		return rec, outcome(rec)
	}
	var p payments.Payment
	if fresh {
		p, err = s.payments.Pay(ctx, payments.PayRequest{ID: in.ID, Method: payments.Method(in.Method), Amount: in.Amount,
			AuthCode: in.AuthCode, StoreID: till.StoreID, RegisterID: till.RegisterID, Description: "ChainStore " + till.Code})
		if errors.Is(err, payments.ErrRejected) {
			// Refused before anything was charged: declined, not pending
			// (only a Pay's refusal says so; a refused query says nothing).
			p = payments.Payment{ID: in.ID, Status: payments.StatusDeclined, DeclineCode: "gateway_refused"}
		}
	} else {
		p, err = s.settle(ctx, in.ID, rec.CreatedAt)
	}
	return s.recordOutcome(ctx, actor.TenantID, till.StoreID, in.ID, p, err)
}

// settle asks the provider about a pending payment; one pending past its
// patience is cancelled.
func (s *Service) settle(ctx context.Context, id uuid.UUID, created time.Time) (payments.Payment, error) {
	p, err := s.payments.Query(ctx, id)
	if errors.Is(err, payments.ErrNotFound) || (err == nil && p.Status == payments.StatusPending) {
		if s.clock.Now().Sub(created) < paymentPatience {
			return payments.Payment{ID: id, Status: payments.StatusPending}, payments.ErrPending
		}
		return s.payments.Cancel(ctx, id)
	}
	return p, err
}

// recordOutcome writes what the provider said (nothing when it said
// nothing usable: the payment stays pending) and answers it.
func (s *Service) recordOutcome(ctx context.Context, tenantID, storeID, id uuid.UUID, p payments.Payment, perr error) (Payment, error) {
	status := string(p.Status)
	switch {
	case errors.Is(perr, payments.ErrInvalid), errors.Is(perr, payments.ErrConflict):
		return Payment{}, ErrBadPayment.WithDetail("%v", perr)
	case p.Status == "", errors.Is(perr, payments.ErrUnavailable) && p.Status == "":
		status = "pending"
	case errors.Is(perr, payments.ErrRejected):
		status = "declined"
	}
	var out Payment
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var rows []Payment
		if err := tenant.DB(ctx).Raw(`UPDATE pos_payments SET status = ?, provider_ref = CASE WHEN ? <> '' THEN ? ELSE provider_ref END,
				decline_code = ?, refunded = GREATEST(refunded, ?), updated_at = now()
			WHERE tenant_id = ? AND id = ? AND status IN ('pending', 'approved') RETURNING `+paymentColumns,
			status, p.ProviderRef, p.ProviderRef, p.DeclineCode, p.Refunded, tenantID, id).Scan(&rows).Error; err != nil {
			return fmt.Errorf("pos: payment outcome: %w", err)
		}
		if len(rows) == 1 {
			out = rows[0]
			return nil
		}
		var err error
		out, err = getPayment(ctx, tenantID, storeID, id)
		return err
	})
	if err != nil {
		return Payment{}, err
	}
	out.DeclineMessage = p.DeclineMessage
	return out, outcome(out)
}

// outcome is a recorded payment's answer to the till.
func outcome(p Payment) error {
	switch p.Status {
	case "approved":
		return nil
	case "pending":
		return ErrPaymentPending
	case "declined":
		return ErrPaymentDeclined.WithDetail("%s", firstNonEmpty(p.DeclineMessage, p.DeclineCode, "the provider declined the payment"))
	default:
		return ErrPaymentState.WithDetail("the payment is %s", p.Status)
	}
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func getPayment(ctx context.Context, tenantID, storeID, id uuid.UUID) (Payment, error) {
	return postgres.One[Payment](tenant.DB(ctx), ErrPaymentNotFound,
		`SELECT `+paymentColumns+` FROM pos_payments WHERE tenant_id = ? AND store_id = ? AND id = ?`, tenantID, storeID, id)
}

// GetPayment answers a payment, asking the provider first while it is
// pending (the query that settles a lost answer), outside any transaction
// that waits on it.
func (s *Service) GetPayment(ctx context.Context, tenantID, storeID, id uuid.UUID) (Payment, error) {
	var rec Payment
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var err error
		rec, err = getPayment(ctx, tenantID, storeID, id)
		return err
	})
	if err != nil || rec.Status != "pending" || s.payments == nil {
		return rec, err
	}
	p, perr := s.settle(ctx, id, rec.CreatedAt)
	out, err := s.recordOutcome(ctx, tenantID, storeID, id, p, perr)
	var pe *problem.Error
	if errors.As(err, &pe) && pe.Status < 500 {
		return out, nil // the payment's state is the answer here, not an error
	}
	return out, err
}

// CancelPayment gives back an approved payment no sale used (the customer
// left, the cart changed), or stops a pending one: only at the till that
// took it.
func (s *Service) CancelPayment(ctx context.Context, tenantID uuid.UUID, till Till, id uuid.UUID) (Payment, error) {
	if s.payments == nil {
		return Payment{}, ErrNoProvider
	}
	var rec Payment
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var err error
		rec, err = getPayment(ctx, tenantID, till.StoreID, id)
		return err
	})
	if err != nil {
		return rec, err
	}
	if rec.RegisterID != till.RegisterID {
		return Payment{}, ErrPaymentNotFound
	}
	if rec.SaleID != nil || (rec.Status != "approved" && rec.Status != "pending") {
		return rec, ErrPaymentState.WithDetail("only an approved or pending payment that no sale used can be cancelled")
	}
	p, perr := s.payments.Cancel(ctx, id)
	if perr != nil {
		return rec, ErrPaymentPending.WithDetail("the provider did not confirm the cancel; try again")
	}
	err = s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		return tenant.DB(ctx).Raw(`UPDATE pos_payments SET status = ?, updated_at = now() WHERE tenant_id = ? AND id = ? AND sale_id IS NULL
			RETURNING `+paymentColumns, string(p.Status), tenantID, id).Scan(&rec).Error
	})
	return rec, err
}

// CancelUnusedPayments gives back approved payments that no sale took
// within an hour, and settles pending ones past their patience: a till
// that crashed between the charge and the sale never keeps a customer's
// money. A background task; idempotent.
func (s *Service) CancelUnusedPayments(ctx context.Context, tenantID uuid.UUID, now time.Time) (int, error) {
	if s.payments == nil {
		return 0, nil
	}
	var stale []Payment
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		return tenant.DB(ctx).Raw(`SELECT `+paymentColumns+` FROM pos_payments WHERE tenant_id = ? AND sale_id IS NULL
			AND ((status = 'approved' AND created_at < ?) OR (status = 'pending' AND created_at < ?)) ORDER BY created_at LIMIT 200`,
			tenantID, now.Add(-time.Hour), now.Add(-paymentPatience)).Scan(&stale).Error
	})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, p := range stale {
		if _, err := s.CancelPayment(ctx, tenantID, Till{StoreID: p.StoreID, RegisterID: p.RegisterID}, p.ID); err == nil {
			n++
		}
	}
	return n, nil
}
