package promotions

import (
	"bytes"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"chainstore/infra/problem"
	"chainstore/infra/sheet"
	"chainstore/infra/web"
	"chainstore/tenant"
	"chainstore/tenant/authz"
)

// HTTP holds the console's promotion handlers: promotions (HQ's and
// franchisees' own), the franchise settings, coupon batches and coupons.
// The POS calls the service directly, inside its sale's transaction.
type HTTP struct {
	svc   *Service
	authz *authz.Authorizer
}

// NewHTTP builds the handlers.
func NewHTTP(svc *Service, az *authz.Authorizer) *HTTP { return &HTTP{svc: svc, authz: az} }

func principal(c *fiber.Ctx) (*tenant.Principal, error) {
	p, ok := tenant.From(c.UserContext())
	if !ok {
		return nil, problem.ErrUnauthenticated
	}
	return p, nil
}

func promotionID(c *fiber.Ctx) (uuid.UUID, error) { return web.PathID(c, "id", ErrNotFound) }

// ── promotions ──

// ListPromotions: GET /promotions?status=&kind=&owner=&franchisee_id=&store_id=&active_at=
// (promotions:read; a store-scoped reader sees what covers their stores).
func (h *HTTP) ListPromotions(c *fiber.Ctx) error {
	p, err := principal(c)
	if err != nil {
		return err
	}
	page, err := web.ParsePage(c)
	if err != nil {
		return err
	}
	var bad []problem.FieldError
	f := Filter{Status: c.Query("status"), Kind: Kind(c.Query("kind")), Owner: c.Query("owner")}
	switch f.Status {
	case "", StatusDraft, StatusActive, StatusPaused, StatusEnded:
	default:
		bad = append(bad, problem.FieldError{Field: "status", Message: "must be draft, active, paused or ended"})
	}
	if info, ok := kindInfos[f.Kind]; f.Kind != "" && (!ok || info.layer == layerCoupon) {
		bad = append(bad, problem.FieldError{Field: "kind", Message: "is not a promotion kind"})
	}
	if f.Owner != "" && f.Owner != OwnerHQ && f.Owner != OwnerFranchisee {
		bad = append(bad, problem.FieldError{Field: "owner", Message: "must be hq or franchisee"})
	}
	f.FranchiseeID, f.StoreID = web.QueryUUID(c, "franchisee_id", &bad), web.QueryUUID(c, "store_id", &bad)
	if raw := c.Query("active_at"); raw != "" {
		t, err := time.Parse(time.RFC3339, raw)
		if err != nil {
			bad = append(bad, problem.FieldError{Field: "active_at", Message: "must be an RFC 3339 time"})
		}
		f.ActiveAt = &t
	}
	if len(bad) > 0 {
		return problem.ErrBadQuery.WithFields(bad...)
	}
	rows, err := h.svc.List(c.UserContext(), p, f, page)
	if err != nil {
		return err
	}
	return c.JSON(web.NewList(rows, page.Limit, func(d Definition) uuid.UUID { return d.ID }))
}

// CreatePromotion: POST /promotions (promotions:write: HQ chain-wide, or a
// franchisee's user in their stores when the settings allow).
func (h *HTTP) CreatePromotion(c *fiber.Ctx) error {
	p, err := principal(c)
	if err != nil {
		return err
	}
	var in PromotionInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	d, err := h.svc.Create(c.UserContext(), p, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(d)
}

// GetPromotion: GET /promotions/{id}.
func (h *HTTP) GetPromotion(c *fiber.Ctx) error {
	id, err := promotionID(c)
	if err != nil {
		return err
	}
	p, err := principal(c)
	if err != nil {
		return err
	}
	d, err := h.svc.Get(c.UserContext(), p, id)
	if err != nil {
		return err
	}
	return c.JSON(d)
}

// UpdatePromotion: PATCH /promotions/{id}.
func (h *HTTP) UpdatePromotion(c *fiber.Ctx) error {
	id, err := promotionID(c)
	if err != nil {
		return err
	}
	p, err := principal(c)
	if err != nil {
		return err
	}
	var in PromotionUpdate
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	d, err := h.svc.Update(c.UserContext(), p, id, in)
	if err != nil {
		return err
	}
	return c.JSON(d)
}

// DeletePromotion: DELETE /promotions/{id} — drafts only.
func (h *HTTP) DeletePromotion(c *fiber.Ctx) error {
	id, err := promotionID(c)
	if err != nil {
		return err
	}
	p, err := principal(c)
	if err != nil {
		return err
	}
	if err := h.svc.Delete(c.UserContext(), p, id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// status serves POST /promotions/{id}/activate|pause|end.
func (h *HTTP) status(action string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := promotionID(c)
		if err != nil {
			return err
		}
		p, err := principal(c)
		if err != nil {
			return err
		}
		d, err := h.svc.SetStatus(c.UserContext(), p, id, action)
		if err != nil {
			return err
		}
		return c.JSON(d)
	}
}

// Activate: POST /promotions/{id}/activate.
func (h *HTTP) Activate(c *fiber.Ctx) error { return h.status(ActionActivate)(c) }

// Pause: POST /promotions/{id}/pause.
func (h *HTTP) Pause(c *fiber.Ctx) error { return h.status(ActionPause)(c) }

// End: POST /promotions/{id}/end.
func (h *HTTP) End(c *fiber.Ctx) error { return h.status(ActionEnd)(c) }

func (h *HTTP) optOut(out bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx := c.UserContext()
		id, err := promotionID(c)
		if err != nil {
			return err
		}
		storeID, err := web.PathID(c, "store_id", ErrStoreNotFound)
		if err != nil {
			return err
		}
		p, err := h.svc.org.RequireStore(ctx, storeID, authz.PromotionsWrite, ErrStoreNotFound)
		if err != nil {
			return err
		}
		d, err := h.svc.SetOptOut(ctx, p, id, storeID, out)
		if err != nil {
			return err
		}
		return c.JSON(d)
	}
}

// OptOut: PUT /promotions/{id}/opt-outs/{store_id} — the franchise store
// stops taking the HQ promotion (promotions:write in the store).
func (h *HTTP) OptOut(c *fiber.Ctx) error { return h.optOut(true)(c) }

// OptIn: DELETE /promotions/{id}/opt-outs/{store_id} — it takes it again.
func (h *HTTP) OptIn(c *fiber.Ctx) error { return h.optOut(false)(c) }

// Effect: GET /promotions/{id}/effect?from=&to= (business dates, YYYY-MM-DD).
func (h *HTTP) Effect(c *fiber.Ctx) error {
	id, err := promotionID(c)
	if err != nil {
		return err
	}
	p, err := principal(c)
	if err != nil {
		return err
	}
	var bad []problem.FieldError
	date := func(name string) *time.Time {
		raw := c.Query(name)
		if raw == "" {
			return nil
		}
		t, err := time.Parse(time.DateOnly, raw)
		if err != nil {
			bad = append(bad, problem.FieldError{Field: name, Message: "must be a date (YYYY-MM-DD)"})
			return nil
		}
		return &t
	}
	from, to := date("from"), date("to")
	if len(bad) > 0 {
		return problem.ErrBadQuery.WithFields(bad...)
	}
	e, err := h.svc.Effect(c.UserContext(), p, id, from, to)
	if err != nil {
		return err
	}
	return c.JSON(e)
}

// ── settings ──

// GetSettings: GET /promotion-settings (HQ: promotions:read chain-wide).
func (h *HTTP) GetSettings(c *fiber.Ctx) error {
	p, err := h.authz.RequireChain(c.UserContext(), authz.PromotionsRead)
	if err != nil {
		return err
	}
	set, err := h.svc.GetSettings(c.UserContext(), p.TenantID)
	if err != nil {
		return err
	}
	return c.JSON(set)
}

// PutSettings: PUT /promotion-settings (HQ: promotions:write chain-wide).
func (h *HTTP) PutSettings(c *fiber.Ctx) error {
	p, err := h.authz.RequireChain(c.UserContext(), authz.PromotionsWrite)
	if err != nil {
		return err
	}
	var in SettingsInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	set, err := h.svc.PutSettings(c.UserContext(), p, in)
	if err != nil {
		return err
	}
	return c.JSON(set)
}

// ── coupon batches (HQ) ──

func batchID(c *fiber.Ctx) (uuid.UUID, error) { return web.PathID(c, "id", ErrBatchNotFound) }

// ListBatches: GET /coupon-batches?issue_mode=.
func (h *HTTP) ListBatches(c *fiber.Ctx) error {
	p, err := h.authz.RequireChain(c.UserContext(), authz.PromotionsRead)
	if err != nil {
		return err
	}
	page, err := web.ParsePage(c)
	if err != nil {
		return err
	}
	mode := c.Query("issue_mode")
	if mode != "" && mode != IssueMember && mode != IssueCampaign && mode != IssuePrinted {
		return problem.ErrBadQuery.WithFields(problem.FieldError{Field: "issue_mode", Message: "must be member, campaign or printed"})
	}
	rows, err := h.svc.ListBatches(c.UserContext(), p.TenantID, mode, page)
	if err != nil {
		return err
	}
	return c.JSON(web.NewList(rows, page.Limit, func(b Batch) uuid.UUID { return b.ID }))
}

// CreateBatch: POST /coupon-batches.
func (h *HTTP) CreateBatch(c *fiber.Ctx) error {
	p, err := h.authz.RequireChain(c.UserContext(), authz.PromotionsWrite)
	if err != nil {
		return err
	}
	var in BatchInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	b, err := h.svc.CreateBatch(c.UserContext(), p, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(b)
}

// GetBatch: GET /coupon-batches/{id} — with issued / redeemed / expired counts.
func (h *HTTP) GetBatch(c *fiber.Ctx) error {
	id, err := batchID(c)
	if err != nil {
		return err
	}
	p, err := h.authz.RequireChain(c.UserContext(), authz.PromotionsRead)
	if err != nil {
		return err
	}
	b, err := h.svc.GetBatch(c.UserContext(), p.TenantID, id)
	if err != nil {
		return err
	}
	return c.JSON(b)
}

// IssueBatch: POST /coupon-batches/{id}/issue — one coupon to each member.
func (h *HTTP) IssueBatch(c *fiber.Ctx) error {
	id, err := batchID(c)
	if err != nil {
		return err
	}
	p, err := h.authz.RequireChain(c.UserContext(), authz.PromotionsWrite)
	if err != nil {
		return err
	}
	var in IssueInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.Issue(c.UserContext(), p, id, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(out)
}

// GenerateCodes: POST /coupon-batches/{id}/codes — printed codes.
func (h *HTTP) GenerateCodes(c *fiber.Ctx) error {
	id, err := batchID(c)
	if err != nil {
		return err
	}
	p, err := h.authz.RequireChain(c.UserContext(), authz.PromotionsWrite)
	if err != nil {
		return err
	}
	var in CodesInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.GenerateCodes(c.UserContext(), p, id, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(out)
}

// ExportCodes: GET /coupon-batches/{id}/codes?format=csv|xlsx — the codes
// as a file (promotions:write chain-wide: the codes are worth money; audited).
func (h *HTTP) ExportCodes(c *fiber.Ctx) error {
	id, err := batchID(c)
	if err != nil {
		return err
	}
	p, err := h.authz.RequireChain(c.UserContext(), authz.PromotionsWrite)
	if err != nil {
		return err
	}
	format, ok := sheet.ParseFormat(c.Query("format"))
	if !ok {
		return problem.ErrBadQuery.WithFields(problem.FieldError{Field: "format", Message: "must be csv or xlsx"})
	}
	rows, err := h.svc.ExportCodes(c.UserContext(), p, id)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := sheet.Write(&buf, format, "coupons", ExportHeader, rows); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, format.ContentType())
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="coupons-`+id.String()+`.`+string(format)+`"`)
	return c.Send(buf.Bytes())
}

// ── coupons ──

// ListCoupons: GET /coupons?member_id=&batch_id=&state= — a member's
// coupons (available, used, expired ...) or a batch's (HQ).
func (h *HTTP) ListCoupons(c *fiber.Ctx) error {
	p, err := h.authz.RequireChain(c.UserContext(), authz.PromotionsRead)
	if err != nil {
		return err
	}
	page, err := web.ParsePage(c)
	if err != nil {
		return err
	}
	var bad []problem.FieldError
	f := CouponFilter{MemberID: web.QueryUUID(c, "member_id", &bad), BatchID: web.QueryUUID(c, "batch_id", &bad), State: c.Query("state")}
	switch f.State {
	case "", StateAvailable, StateNotStarted, StateUsed, StateExpired, StateVoid:
	default:
		bad = append(bad, problem.FieldError{Field: "state", Message: "must be available, not_started, used, expired or void"})
	}
	if len(bad) > 0 {
		return problem.ErrBadQuery.WithFields(bad...)
	}
	rows, err := h.svc.ListCoupons(c.UserContext(), p.TenantID, f, page)
	if err != nil {
		return err
	}
	return c.JSON(web.NewList(rows, page.Limit, func(x IssuedCoupon) uuid.UUID { return x.ID }))
}

// GetCoupon: GET /coupons/{code} (promotions:read anywhere: a store can
// look up a coupon a customer shows).
func (h *HTTP) GetCoupon(c *fiber.Ctx) error {
	p, _, err := h.authz.Scope(c.UserContext(), authz.PromotionsRead)
	if err != nil {
		return err
	}
	out, err := h.svc.LookupCoupon(c.UserContext(), p.TenantID, c.Params("code"))
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// VoidCoupon: POST /coupons/{code}/void (HQ).
func (h *HTTP) VoidCoupon(c *fiber.Ctx) error {
	p, err := h.authz.RequireChain(c.UserContext(), authz.PromotionsWrite)
	if err != nil {
		return err
	}
	out, err := h.svc.VoidCoupon(c.UserContext(), p, c.Params("code"))
	if err != nil {
		return err
	}
	return c.JSON(out)
}
