package members

import (
	"context"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"chainstore/infra/problem"
	"chainstore/infra/web"
	"chainstore/tenant"
	"chainstore/tenant/authz"
)

// storeRefund requires members:write and pos:refund in the path's store:
// money going back to a member is a manager's (or HQ's) act, like a refund
// at the till. A store outside the caller's scope is 404.
func (h *HTTP) storeRefund(c *fiber.Ctx) (*tenant.Principal, uuid.UUID, error) {
	p, storeID, _, err := h.store(c, authz.MembersWrite)
	if err != nil {
		return nil, storeID, err
	}
	ok, err := h.authz.CanStore(c.UserContext(), p, storeID, authz.PosRefund)
	if err != nil {
		return nil, storeID, err
	}
	if !ok {
		return nil, storeID, problem.ErrForbidden.WithDetail("this needs %s in this store", authz.PosRefund)
	}
	return p, storeID, nil
}

type refundInput struct {
	PaymentID  uuid.UUID `json:"payment_id" validate:"required"`
	Amount     int64     `json:"amount" validate:"required,min=1,max=10000000000"`
	SourceType string    `json:"source_type" validate:"required,min=1,max=40,key"`
	SourceID   string    `json:"source_id" validate:"required,min=1,max=100,text"`
}

// PosRefundStoredValue: POST /stores/{store_id}/pos/members/{id}/stored-value-refunds —
// part or all of a stored-value payment made at this store goes back on the card.
func (h *HTTP) PosRefundStoredValue(c *fiber.Ctx) error {
	p, storeID, err := h.storeRefund(c)
	if err != nil {
		return err
	}
	id, err := memberID(c)
	if err != nil {
		return err
	}
	var in refundInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	e, err := h.svc.RefundTendered(c.UserContext(), p.TenantID, id, storeID, in.PaymentID, in.Amount, Source{Type: in.SourceType, ID: in.SourceID})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(e)
}

type cashOutInput struct {
	PaymentMethod string `json:"payment_method" validate:"required,oneof=cash card wechat alipay"`
	SourceType    string `json:"source_type" validate:"required,min=1,max=40,key"`
	SourceID      string `json:"source_id" validate:"required,min=1,max=100,text"`
}

// PosCashOut: POST /stores/{store_id}/pos/members/{id}/cash-out — 退卡: the
// principal is paid back by payment_method, the bonus forfeited.
func (h *HTTP) PosCashOut(c *fiber.Ctx) error {
	p, storeID, err := h.storeRefund(c)
	if err != nil {
		return err
	}
	id, err := memberID(c)
	if err != nil {
		return err
	}
	var in cashOutInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	e, err := h.svc.CashOut(c.UserContext(), p.TenantID, id, &storeID, in.PaymentMethod, Source{Type: in.SourceType, ID: in.SourceID})
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(e)
}

type reverseInput struct {
	Note string `json:"note" validate:"required,min=1,max=200,text"`
}

// ReversePoints: POST /members/{id}/points-entries/{entry_id}/reverse — HQ's correction.
func (h *HTTP) ReversePoints(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := memberID(c)
	if err != nil {
		return err
	}
	entryID, err := web.PathID(c, "entry_id", ErrEntryNotFound)
	if err != nil {
		return err
	}
	p, err := h.authz.RequireChain(ctx, authz.MembersWrite)
	if err != nil {
		return err
	}
	var in reverseInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	e, err := h.svc.CorrectPoints(ctx, p.TenantID, id, entryID, in.Note)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(e)
}

// activeParam reads the {action} of .../activate and .../deactivate.
func activeParam(c *fiber.Ctx) (bool, error) {
	switch c.Params("action") {
	case "activate":
		return true, nil
	case "deactivate":
		return false, nil
	}
	return false, problem.ErrRouteNotFound
}

// TierActive: POST /member-tiers/{id}/{activate|deactivate}.
func (h *HTTP) TierActive(c *fiber.Ctx) error {
	return chainSetActive(h, c, ErrTierNotFound, h.svc.SetTierActive)
}

// GiftActive: POST /member-gifts/{id}/{activate|deactivate}.
func (h *HTTP) GiftActive(c *fiber.Ctx) error {
	return chainSetActive(h, c, ErrGiftNotFound, h.svc.SetGiftActive)
}

// TopupRuleActive: POST /topup-rules/{id}/{activate|deactivate}.
func (h *HTTP) TopupRuleActive(c *fiber.Ctx) error {
	return chainSetActive(h, c, ErrRuleNotFound, h.svc.SetTopupRuleActive)
}

// The chain's member settings (tiers, gifts, top-up rules) share their
// handlers: members:read to list, members:write to add or switch on and off.

func chainList[T any](h *HTTP, c *fiber.Ctx, list func(context.Context, uuid.UUID) ([]T, error)) error {
	ctx := c.UserContext()
	p, _, err := h.chain(ctx, authz.MembersRead)
	if err != nil {
		return err
	}
	rows, err := list(ctx, p.TenantID)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"data": rows})
}

func chainCreate[In, Out any](h *HTTP, c *fiber.Ctx, create func(context.Context, uuid.UUID, In) (Out, error)) error {
	ctx := c.UserContext()
	p, _, err := h.chain(ctx, authz.MembersWrite)
	if err != nil {
		return err
	}
	var in In
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	out, err := create(ctx, p.TenantID, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(out)
}

// chainSetActive serves POST .../{id}/{activate|deactivate}.
func chainSetActive[T any](h *HTTP, c *fiber.Ctx, notFound *problem.Error, set func(context.Context, uuid.UUID, uuid.UUID, bool) (T, error)) error {
	ctx := c.UserContext()
	id, err := web.PathID(c, "id", notFound)
	if err != nil {
		return err
	}
	active, err := activeParam(c)
	if err != nil {
		return err
	}
	p, err := h.authz.RequireChain(ctx, authz.MembersWrite)
	if err != nil {
		return err
	}
	out, err := set(ctx, p.TenantID, id, active)
	if err != nil {
		return err
	}
	return c.JSON(out)
}
