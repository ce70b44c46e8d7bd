package authz

import (
	"sort"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"chainstore/infra/problem"
	"chainstore/infra/web"
	"chainstore/tenant/audit"
)

// HTTP holds the handlers of /api/v1/roles, /api/v1/permissions and
// /api/v1/audit-log.
type HTTP struct{ a *Authorizer }

// NewHTTP builds the handlers.
func NewHTTP(a *Authorizer) *HTTP { return &HTTP{a: a} }

// ListRoles: GET /roles — every role with its effective permissions.
func (h *HTTP) ListRoles(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, _, err := h.a.Scope(ctx, RolesRead)
	if err != nil {
		return err
	}
	roles, err := h.a.ListRoles(ctx, p.TenantID)
	if err != nil {
		return err
	}
	return c.JSON(web.List[Role]{Data: roles})
}

// GetRole: GET /roles/{id}.
func (h *HTTP) GetRole(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := web.PathID(c, "id", ErrRoleNotFound)
	if err != nil {
		return err
	}
	p, _, err := h.a.Scope(ctx, RolesRead)
	if err != nil {
		return err
	}
	r, err := h.a.GetRole(ctx, p.TenantID, id)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

// CreateRole: POST /roles — a custom role from catalogue permissions.
func (h *HTTP) CreateRole(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, err := h.a.RequireChain(ctx, RolesWrite)
	if err != nil {
		return err
	}
	var in CreateRoleInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	r, err := h.a.CreateRole(ctx, p, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(r)
}

// UpdateRole: PATCH /roles/{id}.
func (h *HTTP) UpdateRole(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := web.PathID(c, "id", ErrRoleNotFound)
	if err != nil {
		return err
	}
	p, err := h.a.RequireChain(ctx, RolesWrite)
	if err != nil {
		return err
	}
	var in UpdateRoleInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	r, err := h.a.UpdateRole(ctx, p, id, in)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

// DeleteRole: DELETE /roles/{id}.
func (h *HTTP) DeleteRole(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := web.PathID(c, "id", ErrRoleNotFound)
	if err != nil {
		return err
	}
	p, err := h.a.RequireChain(ctx, RolesWrite)
	if err != nil {
		return err
	}
	if err := h.a.DeleteRole(ctx, p, id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// PermissionInfo describes one permission of the catalogue.
type PermissionInfo struct {
	Key         Permission `json:"key"`
	Description string     `json:"description"`
}

// ListPermissions: GET /permissions — the catalogue custom roles pick from.
func (h *HTTP) ListPermissions(c *fiber.Ctx) error {
	if _, _, err := h.a.Scope(c.UserContext(), RolesRead); err != nil {
		return err
	}
	out := make([]PermissionInfo, 0, len(Catalogue))
	for k, d := range Catalogue {
		out = append(out, PermissionInfo{Key: k, Description: d})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return c.JSON(web.List[PermissionInfo]{Data: out})
}

// ListAudit: GET /audit-log — newest first.
func (h *HTTP) ListAudit(c *fiber.Ctx) error {
	ctx := c.UserContext()
	if _, err := h.a.RequireChain(ctx, AuditRead); err != nil {
		return err
	}
	page, err := web.ParsePage(c)
	if err != nil {
		return err
	}
	f := audit.Filter{ObjectType: c.Query("object_type"), ObjectID: c.Query("object_id"), Action: c.Query("action")}
	for name, v := range map[string]string{"object_type": f.ObjectType, "object_id": f.ObjectID, "action": f.Action} {
		if len(v) > 100 || !web.IsText(v) {
			return problem.ErrBadQuery.WithFields(problem.FieldError{Field: name, Message: "must be printable text of at most 100 characters"})
		}
	}
	rows, err := audit.List(ctx, f, page)
	if err != nil {
		return err
	}
	return c.JSON(web.NewList(rows, page.Limit, func(r audit.Row) uuid.UUID { return r.ID }))
}
