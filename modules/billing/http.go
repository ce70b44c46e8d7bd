package billing

import (
	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"chainstore/infra/problem"
	"chainstore/infra/web"
	"chainstore/tenant"
	"chainstore/tenant/authz"
)

// HTTP holds the handlers of /api/v1/billing, /api/v1/onboarding,
// /api/v1/platform and /webhooks/stripe.
type HTTP struct {
	svc   *Service
	authz *authz.Authorizer
}

// NewHTTP builds the handlers.
func NewHTTP(svc *Service, az *authz.Authorizer) *HTTP { return &HTTP{svc: svc, authz: az} }

// Plans: GET /billing/plans — the price list (any signed-in user).
func (h *HTTP) Plans(c *fiber.Ctx) error {
	if _, ok := tenant.From(c.UserContext()); !ok {
		return problem.ErrUnauthenticated
	}
	plans, err := h.svc.Plans(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"data": plans})
}

// Subscription: GET /billing/subscription (billing:read).
func (h *HTTP) Subscription(c *fiber.Ctx) error {
	p, err := h.authz.RequireChain(c.UserContext(), authz.BillingRead)
	if err != nil {
		return err
	}
	out, err := h.svc.Subscription(c.UserContext(), p.TenantID)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// Checkout: POST /billing/checkout (billing:write).
func (h *HTTP) Checkout(c *fiber.Ctx) error {
	p, err := h.authz.RequireChain(c.UserContext(), authz.BillingWrite)
	if err != nil {
		return err
	}
	var in CheckoutInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.Checkout(c.UserContext(), p, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(out)
}

// Portal: POST /billing/portal (billing:write).
func (h *HTTP) Portal(c *fiber.Ctx) error {
	p, err := h.authz.RequireChain(c.UserContext(), authz.BillingWrite)
	if err != nil {
		return err
	}
	out, err := h.svc.Portal(c.UserContext(), p)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(out)
}

// Onboarding: GET /onboarding (billing:read).
func (h *HTTP) Onboarding(c *fiber.Ctx) error {
	p, err := h.authz.RequireChain(c.UserContext(), authz.BillingRead)
	if err != nil {
		return err
	}
	out, err := h.svc.Onboarding(c.UserContext(), p.TenantID)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// MarkStep: PUT /onboarding/steps/:step (settings:write).
func (h *HTTP) MarkStep(c *fiber.Ctx) error {
	p, err := h.authz.RequireChain(c.UserContext(), authz.SettingsWrite)
	if err != nil {
		return err
	}
	var in MarkStepInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.MarkStep(c.UserContext(), p, c.Params("step"), *in.Done)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// Webhook: POST /webhooks/stripe — unauthenticated; the signature is the
// authentication. 200 {received, outcome} once processed (or already).
func (h *HTTP) Webhook(c *fiber.Ctx) error {
	outcome, err := h.svc.HandleWebhook(c.UserContext(), c.Body(), c.Get("Stripe-Signature"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"received": true, "outcome": outcome})
}

// ListTenants: GET /platform/tenants (operator).
func (h *HTTP) ListTenants(c *fiber.Ctx) error {
	if _, err := h.svc.RequireOperator(c.UserContext()); err != nil {
		return err
	}
	page, err := web.ParsePage(c)
	if err != nil {
		return err
	}
	f := TenantFilter{Status: c.Query("status")}
	switch f.Status {
	case "", StatusTrialing, StatusActive, StatusPastDue, StatusCanceled, StatusIncomplete:
	default:
		return problem.ErrBadQuery.WithFields(problem.FieldError{Field: "status", Message: "must be trialing, active, past_due, canceled or incomplete"})
	}
	switch c.Query("past_due") {
	case "":
	case "true":
		f.PastDue = true
	case "false":
	default:
		return problem.ErrBadQuery.WithFields(problem.FieldError{Field: "past_due", Message: "must be true or false"})
	}
	rows, err := h.svc.ListTenants(c.UserContext(), f, page)
	if err != nil {
		return err
	}
	return c.JSON(web.NewList(rows, page.Limit, func(t TenantSummary) uuid.UUID { return t.ID }))
}

// GetTenant: GET /platform/tenants/:id (operator).
func (h *HTTP) GetTenant(c *fiber.Ctx) error {
	if _, err := h.svc.RequireOperator(c.UserContext()); err != nil {
		return err
	}
	id, err := web.PathID(c, "id", ErrTenantNotFound)
	if err != nil {
		return err
	}
	out, err := h.svc.GetTenant(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// Stats: GET /platform/stats (operator).
func (h *HTTP) Stats(c *fiber.Ctx) error {
	if _, err := h.svc.RequireOperator(c.UserContext()); err != nil {
		return err
	}
	out, err := h.svc.Stats(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// StatusInput is the optional reason of a suspension or reactivation.
type StatusInput struct {
	Reason string `json:"reason" validate:"max=500,text"`
}

// Suspend: POST /platform/tenants/:id/suspend (operator, audited).
func (h *HTTP) Suspend(c *fiber.Ctx) error { return h.setStatus(c, "suspended") }

// Reactivate: POST /platform/tenants/:id/reactivate (operator, audited).
func (h *HTTP) Reactivate(c *fiber.Ctx) error { return h.setStatus(c, "active") }

func (h *HTTP) setStatus(c *fiber.Ctx, status string) error {
	p, err := h.svc.RequireOperator(c.UserContext())
	if err != nil {
		return err
	}
	id, err := web.PathID(c, "id", ErrTenantNotFound)
	if err != nil {
		return err
	}
	var in StatusInput
	if len(c.Body()) > 0 {
		if err := web.Decode(c, &in); err != nil {
			return err
		}
	}
	out, err := h.svc.SetTenantStatus(c.UserContext(), p, id, status, in.Reason)
	if err != nil {
		return err
	}
	return c.JSON(out)
}
