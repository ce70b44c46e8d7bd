package org

import (
	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"chainstore/infra/problem"
	"chainstore/infra/web"
	"chainstore/tenant/authz"
)

// HTTP holds the handlers of /api/v1/stores and /api/v1/franchisees.
type HTTP struct {
	svc   *Service
	authz *authz.Authorizer
}

// NewHTTP builds the handlers.
func NewHTTP(svc *Service, az *authz.Authorizer) *HTTP { return &HTTP{svc: svc, authz: az} }

// ListStores: GET /stores — the stores the caller may see.
func (h *HTTP) ListStores(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, scope, err := h.authz.Scope(ctx, authz.StoresRead)
	if err != nil {
		return err
	}
	page, err := web.ParsePage(c)
	if err != nil {
		return err
	}
	f := StoreFilter{Status: c.Query("status"), Type: c.Query("type"), Query: c.Query("q")}
	var bad []problem.FieldError
	if f.Status != "" && f.Status != "active" && f.Status != "closed" {
		bad = append(bad, problem.FieldError{Field: "status", Message: "must be active or closed"})
	}
	if f.Type != "" && f.Type != "direct" && f.Type != "franchise" {
		bad = append(bad, problem.FieldError{Field: "type", Message: "must be direct or franchise"})
	}
	f.FranchiseeID = web.QueryUUID(c, "franchisee_id", &bad)
	if len(f.Query) > 100 || !web.IsText(f.Query) {
		bad = append(bad, problem.FieldError{Field: "q", Message: "must be printable text of at most 100 characters"})
	}
	if len(bad) > 0 {
		return problem.ErrBadQuery.WithFields(bad...)
	}
	rows, err := h.svc.ListStores(ctx, p.TenantID, scope, f, page)
	if err != nil {
		return err
	}
	return c.JSON(web.NewList(rows, page.Limit, func(s Store) uuid.UUID { return s.ID }))
}

// CreateStore: POST /stores — chain work (stores:write).
func (h *HTTP) CreateStore(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, err := h.authz.RequireChain(ctx, authz.StoresWrite)
	if err != nil {
		return err
	}
	var in CreateStoreInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	st, err := h.svc.CreateStore(ctx, p, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(st)
}

// GetStore: GET /stores/{id}.
func (h *HTTP) GetStore(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := web.PathID(c, "id", ErrStoreNotFound)
	if err != nil {
		return err
	}
	p, err := h.authz.RequireStore(ctx, id, authz.StoresRead, ErrStoreNotFound)
	if err != nil {
		return err
	}
	st, err := h.svc.GetStore(ctx, p.TenantID, id)
	if err != nil {
		return err
	}
	return c.JSON(st)
}

// UpdateStore: PATCH /stores/{id}.
func (h *HTTP) UpdateStore(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := web.PathID(c, "id", ErrStoreNotFound)
	if err != nil {
		return err
	}
	p, err := h.authz.RequireStore(ctx, id, authz.StoresWrite, ErrStoreNotFound)
	if err != nil {
		return err
	}
	var in UpdateStoreInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	st, err := h.svc.UpdateStore(ctx, p, id, in)
	if err != nil {
		return err
	}
	return c.JSON(st)
}

// CloseStore: DELETE /stores/{id} — closes the store; history stays.
func (h *HTTP) CloseStore(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := web.PathID(c, "id", ErrStoreNotFound)
	if err != nil {
		return err
	}
	p, err := h.authz.RequireStore(ctx, id, authz.StoresWrite, ErrStoreNotFound)
	if err != nil {
		return err
	}
	if err := h.svc.CloseStore(ctx, p, id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// ListFranchisees: GET /franchisees.
func (h *HTTP) ListFranchisees(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, err := h.authz.RequireChain(ctx, authz.FranchiseesRead)
	if err != nil {
		return err
	}
	page, err := web.ParsePage(c)
	if err != nil {
		return err
	}
	status := c.Query("status")
	if status != "" && status != "active" && status != "terminated" {
		return problem.ErrBadQuery.WithFields(problem.FieldError{Field: "status", Message: "must be active or terminated"})
	}
	rows, err := h.svc.ListFranchisees(ctx, p.TenantID, status, page)
	if err != nil {
		return err
	}
	return c.JSON(web.NewList(rows, page.Limit, func(f Franchisee) uuid.UUID { return f.ID }))
}

// CreateFranchisee: POST /franchisees.
func (h *HTTP) CreateFranchisee(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, err := h.authz.RequireChain(ctx, authz.FranchiseesWrite)
	if err != nil {
		return err
	}
	var in FranchiseeInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	f, err := h.svc.CreateFranchisee(ctx, p, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(f)
}

// GetFranchisee: GET /franchisees/{id}.
func (h *HTTP) GetFranchisee(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := web.PathID(c, "id", ErrFranchiseeNotFound)
	if err != nil {
		return err
	}
	p, err := h.authz.RequireChain(ctx, authz.FranchiseesRead)
	if err != nil {
		return err
	}
	f, err := h.svc.GetFranchisee(ctx, p.TenantID, id)
	if err != nil {
		return err
	}
	return c.JSON(f)
}

// UpdateFranchisee: PATCH /franchisees/{id}.
func (h *HTTP) UpdateFranchisee(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := web.PathID(c, "id", ErrFranchiseeNotFound)
	if err != nil {
		return err
	}
	p, err := h.authz.RequireChain(ctx, authz.FranchiseesWrite)
	if err != nil {
		return err
	}
	var in UpdateFranchiseeInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	f, err := h.svc.UpdateFranchisee(ctx, p, id, in)
	if err != nil {
		return err
	}
	return c.JSON(f)
}

// TerminateFranchisee: DELETE /franchisees/{id} — marks the franchisee
// terminated; its stores and books stay.
func (h *HTTP) TerminateFranchisee(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := web.PathID(c, "id", ErrFranchiseeNotFound)
	if err != nil {
		return err
	}
	p, err := h.authz.RequireChain(ctx, authz.FranchiseesWrite)
	if err != nil {
		return err
	}
	terminated := "terminated"
	if _, err := h.svc.UpdateFranchisee(ctx, p, id, UpdateFranchiseeInput{Status: &terminated}); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
