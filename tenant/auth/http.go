package auth

import (
	"github.com/gofiber/fiber/v2"

	"chainstore/infra/problem"
	"chainstore/infra/web"
	"chainstore/tenant"
	"chainstore/tenant/authz"
)

// HTTP holds the handlers of /api/v1/signup, /api/v1/auth/*, /api/v1/me and /api/v1/tenant.
type HTTP struct{ svc *Service }

// NewHTTP builds the handlers.
func NewHTTP(svc *Service) *HTTP { return &HTTP{svc: svc} }

// Signup: POST /signup.
func (h *HTTP) Signup(c *fiber.Ctx) error {
	var in SignupInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	res, err := h.svc.Signup(c.UserContext(), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(res)
}

// Login: POST /auth/login.
func (h *HTTP) Login(c *fiber.Ctx) error {
	var in LoginInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	res, err := h.svc.Login(c.UserContext(), in)
	if err != nil {
		return err
	}
	return c.JSON(res)
}

// Refresh: POST /auth/refresh.
func (h *HTTP) Refresh(c *fiber.Ctx) error {
	var in RefreshInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	res, err := h.svc.Refresh(c.UserContext(), in)
	if err != nil {
		return err
	}
	return c.JSON(res)
}

// Logout: POST /auth/logout — ends the caller's session.
func (h *HTTP) Logout(c *fiber.Ctx) error {
	p, ok := tenant.From(c.UserContext())
	if !ok {
		return problem.ErrUnauthenticated
	}
	if err := h.svc.Logout(c.UserContext(), p); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// SetPassword: POST /auth/accept-invite and /auth/reset-password.
func (h *HTTP) SetPassword(c *fiber.Ctx) error {
	var in SetPasswordInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	if err := h.svc.SetPassword(c.UserContext(), in); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// Me: GET /me.
func (h *HTTP) Me(c *fiber.Ctx) error {
	p, ok := tenant.From(c.UserContext())
	if !ok {
		return problem.ErrUnauthenticated
	}
	me, err := h.svc.Me(c.UserContext(), p)
	if err != nil {
		return err
	}
	return c.JSON(me)
}

// GetTenant: GET /tenant — the caller's own chain profile (any signed-in user).
func (h *HTTP) GetTenant(c *fiber.Ctx) error {
	p, ok := tenant.From(c.UserContext())
	if !ok {
		return problem.ErrUnauthenticated
	}
	t, err := h.svc.Tenant(c.UserContext(), p.TenantID)
	if err != nil {
		return err
	}
	return c.JSON(t)
}

// UpdateTenant: PATCH /tenant — chain work (settings:write).
func (h *HTTP) UpdateTenant(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, err := h.svc.authz.RequireChain(ctx, authz.SettingsWrite)
	if err != nil {
		return err
	}
	var in UpdateTenantInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	t, err := h.svc.UpdateTenant(ctx, p, in)
	if err != nil {
		return err
	}
	return c.JSON(t)
}
