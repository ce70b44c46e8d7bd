package members

import (
	"context"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"chainstore/infra/doc"
	"chainstore/infra/pii"
	"chainstore/infra/problem"
	"chainstore/infra/web"
	"chainstore/tenant/authz"
)

// The POS's member calls: /api/v1/stores/{store_id}/pos/members...

// PosLookup: GET /stores/{store_id}/pos/members/lookup?phone=|card=|qr=.
func (h *HTTP) PosLookup(c *fiber.Ctx) error {
	p, storeID, full, err := h.store(c, authz.MembersRead)
	if err != nil {
		return err
	}
	q := Lookup{Phone: c.Query("phone"), Card: c.Query("card"), QR: c.Query("qr")}
	n := 0
	for _, v := range []string{q.Phone, q.Card, q.QR} {
		if v != "" {
			n++
		}
	}
	if n != 1 {
		return problem.ErrBadQuery.WithFields(problem.FieldError{Field: "phone", Message: "give exactly one of phone, card or qr"})
	}
	if q.Phone != "" {
		if _, ok := pii.NormalizePhone(q.Phone); !ok {
			return problem.ErrBadQuery.WithFields(problem.FieldError{Field: "phone", Message: "is not a phone number"})
		}
	}
	if len(q.Card) > 32 || len(q.QR) > 200 {
		return problem.ErrBadQuery.WithFields(problem.FieldError{Field: "card", Message: "is too long"})
	}
	m, err := h.svc.Lookup(c.UserContext(), p.TenantID, storeID, q, full)
	if err != nil {
		return err
	}
	return c.JSON(m)
}

// PosRegister: POST /stores/{store_id}/pos/members — registration at the counter.
func (h *HTTP) PosRegister(c *fiber.Ctx) error {
	p, storeID, full, err := h.store(c, authz.MembersWrite)
	if err != nil {
		return err
	}
	var in CreateInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	in.Channel, in.RegisterStoreID = "store", &storeID
	m, err := h.svc.Create(c.UserContext(), p.TenantID, in, full)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(m)
}

// A POS money call names its document by source_type and source_id (a
// UUID, made by the till; a malformed one is a 422 on source_id): the same
// document again replays the first answer. payment_method is one of
// finance.CustomerTenders, checked by the service.

type moneyInput struct {
	Amount     int64  `json:"amount" validate:"required,min=1,max=10000000000"`
	SourceType string `json:"source_type" validate:"required,min=1,max=40,key"`
	SourceID   string `json:"source_id" validate:"required,uuid"`
}

type topUpInput struct {
	Amount        int64  `json:"amount" validate:"required,min=1,max=10000000000"`
	PaymentMethod string `json:"payment_method" validate:"required,max=40"`
	SourceType    string `json:"source_type" validate:"required,min=1,max=40,key"`
	SourceID      string `json:"source_id" validate:"required,uuid"`
}

type refundInput struct {
	PaymentID  uuid.UUID `json:"payment_id" validate:"required"`
	Amount     int64     `json:"amount" validate:"required,min=1,max=10000000000"`
	SourceType string    `json:"source_type" validate:"required,min=1,max=40,key"`
	SourceID   string    `json:"source_id" validate:"required,uuid"`
}

type cashOutInput struct {
	PaymentMethod string `json:"payment_method" validate:"required,max=40"`
	SourceType    string `json:"source_type" validate:"required,min=1,max=40,key"`
	SourceID      string `json:"source_id" validate:"required,uuid"`
}

// sourceOf is the document of a validated request (its id passed the uuid
// tag, so it parses).
func sourceOf(typ, id string) doc.Source { return doc.Of(typ, uuid.MustParse(id)) }

// PosTopUp: POST /stores/{store_id}/pos/members/{id}/topup — money taken by
// payment_method at this store; finance posts it in the same transaction.
func (h *HTTP) PosTopUp(c *fiber.Ctx) error {
	return posMoney(h, c, false, func(ctx context.Context, tenantID, storeID, memberID uuid.UUID, in topUpInput) (ValueEntry, error) {
		return h.svc.TopUp(ctx, tenantID, memberID, &storeID, in.Amount, in.PaymentMethod, sourceOf(in.SourceType, in.SourceID))
	})
}

// PosPay: POST /stores/{store_id}/pos/members/{id}/pay — pay from stored
// value, posted at once (TenderStoredValue).
func (h *HTTP) PosPay(c *fiber.Ctx) error {
	return posMoney(h, c, false, func(ctx context.Context, tenantID, storeID, memberID uuid.UUID, in moneyInput) (ValueEntry, error) {
		return h.svc.TenderStoredValue(ctx, tenantID, memberID, storeID, in.Amount, sourceOf(in.SourceType, in.SourceID))
	})
}

// PosRefundStoredValue: POST /stores/{store_id}/pos/members/{id}/stored-value-refunds —
// part or all of a stored-value payment made at this store goes back on the card.
func (h *HTTP) PosRefundStoredValue(c *fiber.Ctx) error {
	return posMoney(h, c, true, func(ctx context.Context, tenantID, storeID, memberID uuid.UUID, in refundInput) (ValueEntry, error) {
		return h.svc.RefundTendered(ctx, tenantID, memberID, storeID, in.PaymentID, in.Amount, sourceOf(in.SourceType, in.SourceID))
	})
}

// PosCashOut: POST /stores/{store_id}/pos/members/{id}/cash-out — 退卡: the
// principal is paid back by payment_method, the bonus forfeited.
func (h *HTTP) PosCashOut(c *fiber.Ctx) error {
	return posMoney(h, c, true, func(ctx context.Context, tenantID, storeID, memberID uuid.UUID, in cashOutInput) (ValueEntry, error) {
		return h.svc.CashOut(ctx, tenantID, memberID, &storeID, in.PaymentMethod, sourceOf(in.SourceType, in.SourceID))
	})
}

// posMoney serves a POS money call: members:write in the path's store (and
// pos:refund when money goes back to the member: a manager's or HQ's act,
// like a refund at the till; a store outside the caller's scope is 404),
// the member of the path, the body, and the ledger entry made (201).
func posMoney[In any](h *HTTP, c *fiber.Ctx, refund bool, call func(ctx context.Context, tenantID, storeID, memberID uuid.UUID, in In) (ValueEntry, error)) error {
	p, storeID, _, err := h.store(c, authz.MembersWrite)
	if err != nil {
		return err
	}
	if refund {
		ok, err := h.authz.CanStore(c.UserContext(), p, storeID, authz.PosRefund)
		if err != nil {
			return err
		}
		if !ok {
			return problem.ErrForbidden.WithDetail("this needs %s in this store", authz.PosRefund)
		}
	}
	id, err := memberID(c)
	if err != nil {
		return err
	}
	var in In
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	e, err := call(c.UserContext(), p.TenantID, storeID, id, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(e)
}
