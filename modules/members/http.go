package members

import (
	"bytes"
	"context"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"chainstore/infra/doc"
	"chainstore/infra/pii"
	"chainstore/infra/problem"
	"chainstore/infra/sheet"
	"chainstore/infra/web"
	"chainstore/tenant"
	"chainstore/tenant/authz"
	"chainstore/tenant/org"
)

// HTTP holds the members handlers: HQ screens under /api/v1/members...,
// /member-tiers, /member-gifts, /topup-rules and /points-rules (this file)
// and the POS under /api/v1/stores/{store_id}/pos/members (http_pos.go).
type HTTP struct {
	svc   *Service
	authz *authz.Authorizer
}

// NewHTTP builds the handlers.
func NewHTTP(svc *Service, az *authz.Authorizer) *HTTP { return &HTTP{svc: svc, authz: az} }

// chain requires perm for the whole chain and says whether the caller may
// see full personal data.
func (h *HTTP) chain(ctx context.Context, perm authz.Permission) (*tenant.Principal, bool, error) {
	p, err := h.authz.RequireChain(ctx, perm)
	if err != nil {
		return nil, false, err
	}
	full, err := h.authz.CanChain(ctx, p, authz.MembersPII)
	return p, full, err
}

// store requires perm in the path's store and says whether the caller may
// see full personal data there.
func (h *HTTP) store(c *fiber.Ctx, perm authz.Permission) (*tenant.Principal, uuid.UUID, bool, error) {
	ctx := c.UserContext()
	storeID, err := web.PathID(c, "store_id", org.ErrStoreNotFound)
	if err != nil {
		return nil, storeID, false, err
	}
	p, err := h.svc.org.RequireStore(ctx, storeID, perm, org.ErrStoreNotFound)
	if err != nil {
		return nil, storeID, false, err
	}
	full, err := h.authz.CanStore(ctx, p, storeID, authz.MembersPII)
	return p, storeID, full, err
}

func memberID(c *fiber.Ctx) (uuid.UUID, error) { return web.PathID(c, "id", ErrNotFound) }

// ListMembers: GET /members — filter by tier, tag, store, spend, last visit, phone, card.
func (h *HTTP) ListMembers(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, full, err := h.chain(ctx, authz.MembersRead)
	if err != nil {
		return err
	}
	page, err := web.ParsePage(c)
	if err != nil {
		return err
	}
	f, err := parseFilter(c)
	if err != nil {
		return err
	}
	rows, err := h.svc.List(ctx, p.TenantID, f, page, full)
	if err != nil {
		return err
	}
	return c.JSON(web.NewList(rows, page.Limit, func(m Member) uuid.UUID { return m.ID }))
}

// CashOut: POST /members/{id}/cash-out — 退卡 at HQ, for a member who
// closes the card without a store (online, by letter): the principal is
// paid back by payment_method (a customer tender, or bank for a bank
// transfer), the bonus forfeited, in HQ's books. members:write and
// pos:refund for the whole chain, as paying money back is at a till.
func (h *HTTP) CashOut(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := memberID(c)
	if err != nil {
		return err
	}
	p, err := h.authz.RequireChain(ctx, authz.MembersWrite)
	if err != nil {
		return err
	}
	if _, err := h.authz.RequireChain(ctx, authz.PosRefund); err != nil {
		return err
	}
	var in cashOutInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	e, err := h.svc.CashOut(ctx, p.TenantID, id, nil, in.PaymentMethod, sourceOf(in.SourceType, in.SourceID))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(e)
}

// CountMembers: GET /members/count?<the list's filters> — how many members
// match, so HQ sizes a segment before exporting it.
func (h *HTTP) CountMembers(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, err := h.authz.RequireChain(ctx, authz.MembersRead)
	if err != nil {
		return err
	}
	f, err := parseFilter(c)
	if err != nil {
		return err
	}
	n, err := h.svc.Count(ctx, p.TenantID, f)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"count": n})
}

// ExportMembers: GET /members/export?format=csv|xlsx&<the list's filters> —
// the matching members in full, in the import's columns and more
// (members:export and members:pii chain-wide: the file is unmasked;
// audited once).
func (h *HTTP) ExportMembers(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, err := h.authz.RequireChain(ctx, authz.MembersExport)
	if err != nil {
		return err
	}
	if _, err := h.authz.RequireChain(ctx, authz.MembersPII); err != nil {
		return err
	}
	format, ok := sheet.ParseFormat(c.Query("format"))
	if !ok {
		return problem.ErrBadQuery.WithFields(problem.FieldError{Field: "format", Message: "must be csv or xlsx"})
	}
	f, err := parseFilter(c)
	if err != nil {
		return err
	}
	rows, err := h.svc.ExportList(ctx, p.TenantID, f)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := sheet.Write(&buf, format, "members", ExportHeader, rows); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, format.ContentType())
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="members.`+string(format)+`"`)
	return c.Send(buf.Bytes())
}

// parseFilter reads the member list's filters, reporting every bad one.
func parseFilter(c *fiber.Ctx) (Filter, error) {
	var f Filter
	var bad []problem.FieldError
	intQ := func(name string) *int64 {
		if raw := c.Query(name); raw != "" {
			n, err := strconv.ParseInt(raw, 10, 64)
			if err != nil || n < 0 {
				bad = append(bad, problem.FieldError{Field: name, Message: "must be a non-negative integer (fen)"})
				return nil
			}
			return &n
		}
		return nil
	}
	timeQ := func(name string) *time.Time {
		if raw := c.Query(name); raw != "" {
			t, err := time.Parse(time.RFC3339, raw)
			if err != nil {
				bad = append(bad, problem.FieldError{Field: name, Message: "must be an RFC 3339 time"})
				return nil
			}
			return &t
		}
		return nil
	}
	f.TierID, f.StoreID = web.QueryUUID(c, "tier_id", &bad), web.QueryUUID(c, "store_id", &bad)
	f.MinSpend, f.MaxSpend = intQ("min_spend"), intQ("max_spend")
	f.VisitedAfter, f.VisitedBefore = timeQ("visited_after"), timeQ("visited_before")
	f.Tag = c.Query("tag")
	if utf8.RuneCountInString(f.Tag) > 20 || !web.IsText(f.Tag) {
		bad = append(bad, problem.FieldError{Field: "tag", Message: "must be text of at most 20 characters"})
	}
	if st := c.Query("status"); st != "" {
		if st != "active" && st != "merged" && st != "erased" {
			bad = append(bad, problem.FieldError{Field: "status", Message: "must be active, merged or erased"})
		}
		f.Status = st
	}
	if raw := c.Query("phone"); raw != "" {
		ph, ok := pii.NormalizePhone(raw)
		if !ok {
			bad = append(bad, problem.FieldError{Field: "phone", Message: "is not a phone number"})
		}
		f.Phone = ph
	}
	if f.Card = c.Query("card"); f.Card != "" && !isCardNumber(f.Card) {
		bad = append(bad, problem.FieldError{Field: "card", Message: "must be a card number (6 to 32 letters or digits)"})
	}
	if len(bad) > 0 {
		return f, problem.ErrBadQuery.WithFields(bad...)
	}
	return f, nil
}

// isCardNumber is the card number's shape, as the card_number fields
// validate it.
func isCardNumber(s string) bool { return web.Validator().Var(s, "alphanum,min=6,max=32") == nil }

// CreateMember: POST /members — registered from the console.
func (h *HTTP) CreateMember(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, full, err := h.chain(ctx, authz.MembersWrite)
	if err != nil {
		return err
	}
	var in CreateInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	in.Channel = "console"
	m, err := h.svc.Create(ctx, p.TenantID, in, full)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(m)
}

// GetMember: GET /members/{id} — the member 360 view.
func (h *HTTP) GetMember(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := memberID(c)
	if err != nil {
		return err
	}
	p, full, err := h.chain(ctx, authz.MembersRead)
	if err != nil {
		return err
	}
	v, err := h.svc.View(ctx, p.TenantID, id, full)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

// UpdateMember: PATCH /members/{id}.
func (h *HTTP) UpdateMember(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := memberID(c)
	if err != nil {
		return err
	}
	p, full, err := h.chain(ctx, authz.MembersWrite)
	if err != nil {
		return err
	}
	var in UpdateInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	m, err := h.svc.Update(ctx, p.TenantID, id, in, full)
	if err != nil {
		return err
	}
	return c.JSON(m)
}

type cardActionInput struct {
	CardNumber string `json:"card_number" validate:"omitempty,alphanum,min=6,max=32"`
}

// CardAction: POST /members/{id}/card/{action} — report-loss, freeze, unfreeze, reissue.
func (h *HTTP) CardAction(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := memberID(c)
	if err != nil {
		return err
	}
	p, full, err := h.chain(ctx, authz.MembersWrite)
	if err != nil {
		return err
	}
	var in cardActionInput
	if len(c.Body()) > 0 {
		if err := web.Decode(c, &in); err != nil {
			return err
		}
	}
	action := c.Params("action")
	switch action {
	case "report-loss", "freeze", "unfreeze", "reissue":
	default:
		return problem.ErrRouteNotFound
	}
	m, err := h.svc.CardAction(ctx, p.TenantID, id, action, in.CardNumber, full)
	if err != nil {
		return err
	}
	return c.JSON(m)
}

// QRToken: POST /members/{id}/qr-token — a fresh single-use code (the
// mini-program shows it; staff may issue one for a member at the counter).
func (h *HTTP) QRToken(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := memberID(c)
	if err != nil {
		return err
	}
	p, _, err := h.chain(ctx, authz.MembersRead)
	if err != nil {
		return err
	}
	t, err := h.svc.IssueQRToken(ctx, p.TenantID, id)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(t)
}

type adjustInput struct {
	Points int64  `json:"points" validate:"required,min=-100000000,max=100000000"`
	Note   string `json:"note" validate:"required,min=1,max=200,text"`
}

// AdjustPoints: POST /members/{id}/points-adjustments.
func (h *HTTP) AdjustPoints(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := memberID(c)
	if err != nil {
		return err
	}
	p, _, err := h.chain(ctx, authz.MembersWrite)
	if err != nil {
		return err
	}
	var in adjustInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	e, err := h.svc.AdjustPoints(ctx, p.TenantID, id, in.Points, in.Note)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(e)
}

type giftRedeemInput struct {
	GiftID  uuid.UUID  `json:"gift_id" validate:"required"`
	StoreID *uuid.UUID `json:"store_id"`
}

// RedeemGift: POST /members/{id}/gift-redemptions — at a store (members:write
// there; a store outside the caller's scope is 404) or, without store_id, at
// HQ/online (members:write for the chain).
func (h *HTTP) RedeemGift(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := memberID(c)
	if err != nil {
		return err
	}
	var in giftRedeemInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	var p *tenant.Principal
	if in.StoreID != nil {
		p, err = h.svc.org.RequireStore(ctx, *in.StoreID, authz.MembersWrite, org.ErrStoreNotFound)
	} else {
		p, err = h.authz.RequireChain(ctx, authz.MembersWrite)
	}
	if err != nil {
		return err
	}
	e, err := h.svc.RedeemGift(ctx, p.TenantID, id, in.GiftID, in.StoreID, doc.Of("gift_redemption", uuid.Must(uuid.NewV7())))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(e)
}

// Export: GET /members/{id}/export — everything held about the member (PIPL).
func (h *HTTP) Export(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := memberID(c)
	if err != nil {
		return err
	}
	p, err := h.authz.RequireChain(ctx, authz.MembersExport)
	if err != nil {
		return err
	}
	v, err := h.svc.Export(ctx, p.TenantID, id)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="member-`+id.String()+`.json"`)
	return c.JSON(v)
}

// Erase: POST /members/{id}/erase — anonymise on request (PIPL).
func (h *HTTP) Erase(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := memberID(c)
	if err != nil {
		return err
	}
	p, err := h.authz.RequireChain(ctx, authz.MembersPII)
	if err != nil {
		return err
	}
	if err := h.svc.Erase(ctx, p.TenantID, id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type mergeInput struct {
	FromMemberID uuid.UUID `json:"from_member_id" validate:"required"`
}

// Merge: POST /members/{id}/merge — fold another member into this one.
func (h *HTTP) Merge(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := memberID(c)
	if err != nil {
		return err
	}
	p, _, err := h.chain(ctx, authz.MembersWrite)
	if err != nil {
		return err
	}
	var in mergeInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	m, err := h.svc.Merge(ctx, p.TenantID, id, in.FromMemberID)
	if err != nil {
		return err
	}
	return c.JSON(m)
}

// Import: POST /members/import?commit=&accept_errors= — body is the CSV or XLSX file.
func (h *HTTP) Import(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, _, err := h.chain(ctx, authz.MembersWrite)
	if err != nil {
		return err
	}
	var bad []problem.FieldError
	flag := func(name string) bool {
		switch c.Query(name) {
		case "", "false":
			return false
		case "true":
			return true
		}
		bad = append(bad, problem.FieldError{Field: name, Message: "must be true or false"})
		return false
	}
	commit, accept := flag("commit"), flag("accept_errors")
	if len(bad) > 0 {
		return problem.ErrBadQuery.WithFields(bad...)
	}
	rep, err := h.svc.Import(ctx, p.TenantID, c.Body(), commit, accept)
	if err != nil {
		return err
	}
	return c.JSON(rep)
}

// ListTiers: GET /member-tiers.
func (h *HTTP) ListTiers(c *fiber.Ctx) error { return chainList(h, c, h.svc.ListTiers) }

// CreateTier: POST /member-tiers.
func (h *HTTP) CreateTier(c *fiber.Ctx) error { return chainCreate(h, c, h.svc.CreateTier) }

// UpdateTier: PATCH /member-tiers/{id}.
func (h *HTTP) UpdateTier(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := web.PathID(c, "id", ErrTierNotFound)
	if err != nil {
		return err
	}
	p, _, err := h.chain(ctx, authz.MembersWrite)
	if err != nil {
		return err
	}
	var in TierUpdate
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	t, err := h.svc.UpdateTier(ctx, p.TenantID, id, in)
	if err != nil {
		return err
	}
	return c.JSON(t)
}

// GetPointsRule: GET /points-rules.
func (h *HTTP) GetPointsRule(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, _, err := h.chain(ctx, authz.MembersRead)
	if err != nil {
		return err
	}
	r, err := h.svc.PointsRuleOf(ctx, p.TenantID)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

// PutPointsRule: PUT /points-rules.
func (h *HTTP) PutPointsRule(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, _, err := h.chain(ctx, authz.MembersWrite)
	if err != nil {
		return err
	}
	var in PointsRuleInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	r, err := h.svc.SetPointsRule(ctx, p.TenantID, in)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

// ListGifts: GET /member-gifts.
func (h *HTTP) ListGifts(c *fiber.Ctx) error { return chainList(h, c, h.svc.ListGifts) }

// CreateGift: POST /member-gifts.
func (h *HTTP) CreateGift(c *fiber.Ctx) error { return chainCreate(h, c, h.svc.CreateGift) }

// ListTopupRules: GET /topup-rules.
func (h *HTTP) ListTopupRules(c *fiber.Ctx) error { return chainList(h, c, h.svc.ListTopupRules) }

// CreateTopupRule: POST /topup-rules.
func (h *HTTP) CreateTopupRule(c *fiber.Ctx) error { return chainCreate(h, c, h.svc.CreateTopupRule) }

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
