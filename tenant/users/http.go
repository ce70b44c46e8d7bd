package users

import (
	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"chainstore/infra/problem"
	"chainstore/infra/web"
	"chainstore/tenant/authz"
)

// HTTP holds the handlers of /api/v1/users.
type HTTP struct {
	svc   *Service
	authz *authz.Authorizer
}

// NewHTTP builds the handlers.
func NewHTTP(svc *Service, az *authz.Authorizer) *HTTP { return &HTTP{svc: svc, authz: az} }

// List: GET /users — staff in the caller's users:read scope.
func (h *HTTP) List(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, scope, err := h.authz.Scope(ctx, authz.UsersRead)
	if err != nil {
		return err
	}
	page, err := web.ParsePage(c)
	if err != nil {
		return err
	}
	f := Filter{Status: c.Query("status"), Query: c.Query("q")}
	var bad []problem.FieldError
	if f.Status != "" && f.Status != "active" && f.Status != "invited" && f.Status != "disabled" {
		bad = append(bad, problem.FieldError{Field: "status", Message: "must be active, invited or disabled"})
	}
	if raw := c.Query("store_id"); raw != "" {
		id, err := uuid.Parse(raw)
		if err != nil {
			bad = append(bad, problem.FieldError{Field: "store_id", Message: "must be a UUID"})
		} else {
			f.StoreID = &id
		}
	}
	if len(f.Query) > 100 || !web.IsText(f.Query) {
		bad = append(bad, problem.FieldError{Field: "q", Message: "must be printable text of at most 100 characters"})
	}
	if len(bad) > 0 {
		return problem.ErrBadQuery.WithFields(bad...)
	}
	rows, err := h.svc.List(ctx, p.TenantID, scope, f, page)
	if err != nil {
		return err
	}
	return c.JSON(web.NewList(rows, page.Limit, func(d Detail) uuid.UUID { return d.ID }))
}

// Create: POST /users — invite a user (or create one with a password).
func (h *HTTP) Create(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, _, err := h.authz.Scope(ctx, authz.UsersWrite)
	if err != nil {
		return err
	}
	var in CreateInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.Create(ctx, p, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(out)
}

// Get: GET /users/{id}.
func (h *HTTP) Get(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := web.PathID(c, "id", ErrNotFound)
	if err != nil {
		return err
	}
	p, scope, err := h.authz.Scope(ctx, authz.UsersRead)
	if err != nil {
		return err
	}
	d, err := h.svc.Get(ctx, p.TenantID, scope, id)
	if err != nil {
		return err
	}
	return c.JSON(d)
}

// Update: PATCH /users/{id}.
func (h *HTTP) Update(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := web.PathID(c, "id", ErrNotFound)
	if err != nil {
		return err
	}
	p, _, err := h.authz.Scope(ctx, authz.UsersWrite)
	if err != nil {
		return err
	}
	var in UpdateInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	d, err := h.svc.Update(ctx, p, id, in)
	if err != nil {
		return err
	}
	return c.JSON(d)
}

func (h *HTTP) setStatus(c *fiber.Ctx, status string) (Detail, error) {
	ctx := c.UserContext()
	id, err := web.PathID(c, "id", ErrNotFound)
	if err != nil {
		return Detail{}, err
	}
	p, _, err := h.authz.Scope(ctx, authz.UsersWrite)
	if err != nil {
		return Detail{}, err
	}
	return h.svc.SetStatus(ctx, p, id, status)
}

// Disable: POST /users/{id}/disable.
func (h *HTTP) Disable(c *fiber.Ctx) error {
	d, err := h.setStatus(c, "disabled")
	if err != nil {
		return err
	}
	return c.JSON(d)
}

// Enable: POST /users/{id}/enable.
func (h *HTTP) Enable(c *fiber.Ctx) error {
	d, err := h.setStatus(c, "active")
	if err != nil {
		return err
	}
	return c.JSON(d)
}

// Delete: DELETE /users/{id} — disables the account; its history stays.
func (h *HTTP) Delete(c *fiber.Ctx) error {
	if _, err := h.setStatus(c, "disabled"); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// ResetPassword: POST /users/{id}/reset-password.
func (h *HTTP) ResetPassword(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := web.PathID(c, "id", ErrNotFound)
	if err != nil {
		return err
	}
	p, _, err := h.authz.Scope(ctx, authz.UsersWrite)
	if err != nil {
		return err
	}
	out, err := h.svc.ResetPassword(ctx, p, id)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// Assign: PUT /users/{id}/roles — replace the user's role assignments.
func (h *HTTP) Assign(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := web.PathID(c, "id", ErrNotFound)
	if err != nil {
		return err
	}
	p, _, err := h.authz.Scope(ctx, authz.UsersWrite)
	if err != nil {
		return err
	}
	var in AssignInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	d, err := h.svc.Assign(ctx, p, id, in)
	if err != nil {
		return err
	}
	return c.JSON(d)
}
