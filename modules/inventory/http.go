package inventory

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"chainstore/infra/problem"
	"chainstore/infra/sheet"
	"chainstore/infra/web"
	"chainstore/tenant"
	"chainstore/tenant/authz"
	"chainstore/tenant/org"
)

// HTTP holds the handlers of /api/v1/inventory.
type HTTP struct {
	svc   *Service
	authz *authz.Authorizer
}

// NewHTTP builds the handlers.
func NewHTTP(svc *Service, az *authz.Authorizer) *HTTP { return &HTTP{svc: svc, authz: az} }

// ── helpers ──

// store authorises perm in the path's store and checks it is the chain's.
func (h *HTTP) store(c *fiber.Ctx, perm authz.Permission) (*tenant.Principal, uuid.UUID, error) {
	id, err := web.PathID(c, "store_id", org.ErrStoreNotFound)
	if err != nil {
		return nil, id, err
	}
	p, err := h.requireStore(c, id, perm, org.ErrStoreNotFound)
	return p, id, err
}

func (h *HTTP) requireStore(c *fiber.Ctx, storeID uuid.UUID, perm authz.Permission, notFound error) (*tenant.Principal, error) {
	return h.svc.org.RequireStore(c.UserContext(), storeID, perm, notFound)
}

// storeFilter reads an optional ?store_id= that must be in scope for perm.
func (h *HTTP) storeFilter(c *fiber.Ctx, perm authz.Permission) (*uuid.UUID, error) {
	raw := c.Query("store_id")
	if raw == "" {
		return nil, nil
	}
	id, err := uuid.Parse(raw)
	if err != nil {
		return nil, problem.ErrBadQuery.WithFields(problem.FieldError{Field: "store_id", Message: "must be a UUID"})
	}
	if _, err := h.requireStore(c, id, perm, org.ErrStoreNotFound); err != nil {
		return nil, err
	}
	return &id, nil
}

func intQuery(c *fiber.Ctx, name string, def, lo, hi int) (int, error) {
	raw := c.Query(name)
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < lo || n > hi {
		return 0, problem.ErrBadQuery.WithFields(problem.FieldError{Field: name, Message: fmt.Sprintf("must be an integer from %d to %d", lo, hi)})
	}
	return n, nil
}

func boolQuery(c *fiber.Ctx, name string) (bool, error) {
	switch c.Query(name) {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	}
	return false, problem.ErrBadQuery.WithFields(problem.FieldError{Field: name, Message: "must be true or false"})
}

func uuidQuery(c *fiber.Ctx, name string) (*uuid.UUID, error) {
	raw := c.Query(name)
	if raw == "" {
		return nil, nil
	}
	id, err := uuid.Parse(raw)
	if err != nil {
		return nil, problem.ErrBadQuery.WithFields(problem.FieldError{Field: name, Message: "must be a UUID"})
	}
	return &id, nil
}

// searchQuery reads an optional search text: printable (no control or
// bidi-override characters) and at most max characters; surrounding spaces
// are dropped.
func searchQuery(c *fiber.Ctx, name string, max int) (string, error) {
	raw := c.Query(name)
	if utf8.RuneCountInString(raw) > max || !web.IsText(raw) {
		return "", problem.ErrBadQuery.WithFields(problem.FieldError{Field: name, Message: fmt.Sprintf("must be printable text of at most %d characters", max)})
	}
	return strings.TrimSpace(raw), nil
}

func oneOf(c *fiber.Ctx, name string, allowed ...string) (string, error) {
	v := c.Query(name)
	if v == "" {
		return "", nil
	}
	for _, a := range allowed {
		if v == a {
			return v, nil
		}
	}
	return "", problem.ErrBadQuery.WithFields(problem.FieldError{Field: name, Message: fmt.Sprintf("must be one of %v", allowed)})
}

// ── settings ──

// GetSettings: GET /inventory/settings (inventory:read anywhere).
func (h *HTTP) GetSettings(c *fiber.Ctx) error {
	p, _, err := h.authz.Scope(c.UserContext(), authz.InventoryRead)
	if err != nil {
		return err
	}
	out, err := h.svc.GetSettings(c.UserContext(), p.TenantID)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// UpdateSettings: PUT /inventory/settings (settings:write for the chain).
func (h *HTTP) UpdateSettings(c *fiber.Ctx) error {
	p, err := h.authz.RequireChain(c.UserContext(), authz.SettingsWrite)
	if err != nil {
		return err
	}
	var in SettingsInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.UpdateSettings(c.UserContext(), p, in)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// ── stock ──

// ListStock: GET /inventory/stores/{store_id}/stock.
func (h *HTTP) ListStock(c *fiber.Ctx) error {
	p, storeID, err := h.store(c, authz.InventoryRead)
	if err != nil {
		return err
	}
	page, err := web.ParsePage(c)
	if err != nil {
		return err
	}
	var f LevelFilter
	if f.CategoryID, err = uuidQuery(c, "category_id"); err != nil {
		return err
	}
	if f.BelowMin, err = boolQuery(c, "below_min"); err != nil {
		return err
	}
	if f.Query, err = searchQuery(c, "q", MaxStockQuery); err != nil {
		return err
	}
	rows, err := h.svc.ListLevels(c.UserContext(), p.TenantID, storeID, f, page)
	if err != nil {
		return err
	}
	cost, err := h.seesCost(c.UserContext(), p, storeID)
	if err != nil {
		return err
	}
	views := viewAll(rows, func(l Level) levelView { return viewLevel(l, cost) })
	return c.JSON(web.NewList(views, page.Limit, func(l levelView) uuid.UUID { return l.SKUID }))
}

// GetStock: GET /inventory/stores/{store_id}/stock/{sku_id}.
func (h *HTTP) GetStock(c *fiber.Ctx) error {
	p, storeID, err := h.store(c, authz.InventoryRead)
	if err != nil {
		return err
	}
	skuID, err := web.PathID(c, "sku_id", ErrSKUNotFound)
	if err != nil {
		return err
	}
	out, err := h.svc.GetLevel(c.UserContext(), p.TenantID, storeID, skuID)
	if err != nil {
		return err
	}
	cost, err := h.seesCost(c.UserContext(), p, storeID)
	if err != nil {
		return err
	}
	return c.JSON(viewLevel(out, cost))
}

// SetThresholds: PUT /inventory/stores/{store_id}/stock/{sku_id}/thresholds.
func (h *HTTP) SetThresholds(c *fiber.Ctx) error {
	p, storeID, err := h.store(c, authz.InventoryWrite)
	if err != nil {
		return err
	}
	skuID, err := web.PathID(c, "sku_id", ErrSKUNotFound)
	if err != nil {
		return err
	}
	var in ThresholdsInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.SetThresholds(c.UserContext(), p, storeID, skuID, in)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// ListMovements: GET /inventory/stores/{store_id}/movements, newest first.
func (h *HTTP) ListMovements(c *fiber.Ctx) error {
	p, storeID, err := h.store(c, authz.InventoryRead)
	if err != nil {
		return err
	}
	page, err := web.ParsePage(c)
	if err != nil {
		return err
	}
	var f MovementFilter
	if f.SKUID, err = uuidQuery(c, "sku_id"); err != nil {
		return err
	}
	if f.Kind, err = oneOf(c, "kind", "receipt", "sale", "return", "transfer_out", "transfer_in", "adjustment", "stocktake", "damage", "expiry"); err != nil {
		return err
	}
	rows, err := h.svc.ListMovements(c.UserContext(), p.TenantID, storeID, f, page)
	if err != nil {
		return err
	}
	cost, err := h.seesCost(c.UserContext(), p, storeID)
	if err != nil {
		return err
	}
	views := viewAll(rows, func(m Movement) movementView { return viewMovement(m, cost) })
	return c.JSON(web.NewList(views, page.Limit, func(m movementView) uuid.UUID { return m.ID }))
}

// CreateMovement: POST /inventory/movements — a console receipt, return,
// adjustment or write-off (inventory:write in the store).
func (h *HTTP) CreateMovement(c *fiber.Ctx) error {
	if _, _, err := h.authz.Scope(c.UserContext(), authz.InventoryWrite); err != nil {
		return err
	}
	var in ManualMovementInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	p, err := h.requireStore(c, in.StoreID, authz.InventoryWrite, org.ErrStoreNotFound)
	if err != nil {
		return err
	}
	out, err := h.svc.ApplyManual(c.UserContext(), p, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"store_id": in.StoreID, "kind": in.Kind, "lines": out})
}

// ListAlerts: GET /inventory/stores/{store_id}/alerts.
func (h *HTTP) ListAlerts(c *fiber.Ctx) error {
	p, storeID, err := h.store(c, authz.InventoryRead)
	if err != nil {
		return err
	}
	page, err := web.ParsePage(c)
	if err != nil {
		return err
	}
	kind, err := oneOf(c, "kind", "out_of_stock", "low_stock", "overstock")
	if err != nil {
		return err
	}
	rows, err := h.svc.ListAlerts(c.UserContext(), p.TenantID, storeID, kind, page)
	if err != nil {
		return err
	}
	return c.JSON(web.NewList(rows, page.Limit, func(a Alert) uuid.UUID { return a.SKUID }))
}

// NearExpiry: GET /inventory/stores/{store_id}/near-expiry.
func (h *HTTP) NearExpiry(c *fiber.Ctx) error {
	p, storeID, err := h.store(c, authz.InventoryRead)
	if err != nil {
		return err
	}
	set, err := h.svc.GetSettings(c.UserContext(), p.TenantID)
	if err != nil {
		return err
	}
	days, err := intQuery(c, "within_days", set.NearExpiryDays, 0, 365)
	if err != nil {
		return err
	}
	limit, err := intQuery(c, "limit", 200, 1, 1000)
	if err != nil {
		return err
	}
	rows, err := h.svc.NearExpiry(c.UserContext(), p.TenantID, storeID, days, limit)
	if err != nil {
		return err
	}
	if rows == nil {
		rows = []ExpiringLot{}
	}
	return c.JSON(fiber.Map{"within_days": days, "data": rows})
}

// Replenishment: GET /inventory/stores/{store_id}/replenishment — JSON, or
// a draft purchase plan as ?format=csv|xlsx (inventory:write).
func (h *HTTP) Replenishment(c *fiber.Ctx) error {
	p, storeID, err := h.store(c, authz.InventoryWrite)
	if err != nil {
		return err
	}
	days, err := intQuery(c, "days", 28, 1, 365)
	if err != nil {
		return err
	}
	review, err := intQuery(c, "review_days", -1, 0, 90)
	if err != nil {
		return err
	}
	format, err := oneOf(c, "format", "json", "csv", "xlsx")
	if err != nil {
		return err
	}
	plan, err := h.svc.Replenishment(c.UserContext(), p.TenantID, storeID, days, review)
	if err != nil {
		return err
	}
	if format == "" || format == "json" {
		return c.JSON(plan)
	}
	f, _ := sheet.ParseFormat(format)
	var buf bytes.Buffer
	if err := WritePlan(&buf, f, plan); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, f.ContentType())
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="purchase-plan-%s.%s"`, storeID, format))
	return c.Send(buf.Bytes())
}

// ── stocktakes ──

// OpenStocktake: POST /inventory/stocktakes (inventory:write in the store).
func (h *HTTP) OpenStocktake(c *fiber.Ctx) error {
	if _, _, err := h.authz.Scope(c.UserContext(), authz.InventoryWrite); err != nil {
		return err
	}
	var in OpenStocktakeInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	p, err := h.requireStore(c, in.StoreID, authz.InventoryWrite, org.ErrStoreNotFound)
	if err != nil {
		return err
	}
	showBook, err := h.authz.CanStore(c.UserContext(), p, in.StoreID, authz.StocktakeApprove)
	if err != nil {
		return err
	}
	out, err := h.svc.OpenStocktake(c.UserContext(), p, in)
	if err != nil {
		return err
	}
	if out.Blind && !showBook {
		for i := range out.Lines {
			out.Lines[i].BookQty, out.Lines[i].UnitCost = nil, nil
		}
	}
	return c.Status(fiber.StatusCreated).JSON(out)
}

// ListStocktakes: GET /inventory/stocktakes.
func (h *HTTP) ListStocktakes(c *fiber.Ctx) error {
	p, scope, err := h.authz.Scope(c.UserContext(), authz.InventoryRead)
	if err != nil {
		return err
	}
	page, err := web.ParsePage(c)
	if err != nil {
		return err
	}
	store, err := h.storeFilter(c, authz.InventoryRead)
	if err != nil {
		return err
	}
	status, err := oneOf(c, "status", "counting", "posted", "cancelled")
	if err != nil {
		return err
	}
	rows, err := h.svc.ListStocktakes(c.UserContext(), p.TenantID, scope, store, status, page)
	if err != nil {
		return err
	}
	return c.JSON(web.NewList(rows, page.Limit, func(s Stocktake) uuid.UUID { return s.ID }))
}

// stocktake loads the path's stocktake and authorises perm in its store.
func (h *HTTP) stocktake(c *fiber.Ctx, perm authz.Permission) (*tenant.Principal, Stocktake, error) {
	id, err := web.PathID(c, "id", ErrStocktakeNotFound)
	if err != nil {
		return nil, Stocktake{}, err
	}
	p, ok := tenant.From(c.UserContext())
	if !ok {
		return nil, Stocktake{}, problem.ErrUnauthenticated
	}
	st, err := h.svc.GetStocktake(c.UserContext(), p.TenantID, id)
	if err != nil {
		return nil, st, err
	}
	p, err = h.authz.RequireStore(c.UserContext(), st.StoreID, perm, ErrStocktakeNotFound)
	return p, st, err
}

// GetStocktake: GET /inventory/stocktakes/{id} — book quantities hidden in
// a blind count from users without stocktake:approve.
func (h *HTTP) GetStocktake(c *fiber.Ctx) error {
	p, st, err := h.stocktake(c, authz.InventoryRead)
	if err != nil {
		return err
	}
	showBook, err := h.authz.CanStore(c.UserContext(), p, st.StoreID, authz.StocktakeApprove)
	if err != nil {
		return err
	}
	out, err := h.svc.StocktakeDetail(c.UserContext(), p.TenantID, st.ID, showBook)
	if err != nil {
		return err
	}
	cost, err := h.seesCost(c.UserContext(), p, st.StoreID)
	if err != nil {
		return err
	}
	if !cost {
		hideStocktakeCost(&out)
	}
	return c.JSON(out)
}

// AddCounts: POST /inventory/stocktakes/{id}/counts.
func (h *HTTP) AddCounts(c *fiber.Ctx) error {
	p, st, err := h.stocktake(c, authz.InventoryWrite)
	if err != nil {
		return err
	}
	var in CountBatchInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.AddCounts(c.UserContext(), p, st.ID, in)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// Variances: GET /inventory/stocktakes/{id}/variances (stocktake:approve
// while a blind count is in progress, else inventory:read).
func (h *HTTP) Variances(c *fiber.Ctx) error {
	p, st, err := h.stocktake(c, authz.InventoryRead)
	if err != nil {
		return err
	}
	if st.Blind && st.Status == "counting" {
		if _, err := h.authz.RequireStore(c.UserContext(), st.StoreID, authz.StocktakeApprove, ErrStocktakeNotFound); err != nil {
			return err
		}
	}
	zero, err := boolQuery(c, "uncounted_as_zero")
	if err != nil {
		return err
	}
	out, err := h.svc.Variances(c.UserContext(), p.TenantID, st.ID, zero)
	if err != nil {
		return err
	}
	cost, err := h.seesCost(c.UserContext(), p, st.StoreID)
	if err != nil {
		return err
	}
	return c.JSON(viewVariances(out, cost))
}

// PostStocktake: POST /inventory/stocktakes/{id}/post (stocktake:approve).
func (h *HTTP) PostStocktake(c *fiber.Ctx) error {
	p, st, err := h.stocktake(c, authz.StocktakeApprove)
	if err != nil {
		return err
	}
	var in PostStocktakeInput
	if len(bytes.TrimSpace(c.Body())) > 0 {
		if err := web.Decode(c, &in); err != nil {
			return err
		}
	}
	out, err := h.svc.PostStocktake(c.UserContext(), p, st.ID, in)
	if err != nil {
		return err
	}
	cost, err := h.seesCost(c.UserContext(), p, st.StoreID)
	if err != nil {
		return err
	}
	return c.JSON(viewVariances(out, cost))
}

// CancelStocktake: POST /inventory/stocktakes/{id}/cancel.
func (h *HTTP) CancelStocktake(c *fiber.Ctx) error {
	p, st, err := h.stocktake(c, authz.InventoryWrite)
	if err != nil {
		return err
	}
	out, err := h.svc.CancelStocktake(c.UserContext(), p, st.ID)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// ── transfers ──

// CreateTransfer: POST /inventory/transfers (inventory:write in the source
// or the destination store).
func (h *HTTP) CreateTransfer(c *fiber.Ctx) error {
	p, scope, err := h.authz.Scope(c.UserContext(), authz.InventoryWrite)
	if err != nil {
		return err
	}
	var in CreateTransferInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	if !scope.Contains(in.FromStoreID) && !scope.Contains(in.ToStoreID) {
		return org.ErrStoreNotFound.WithDetail("neither store is one where you may move stock")
	}
	out, err := h.svc.CreateTransfer(c.UserContext(), p, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(out)
}

// ListTransfers: GET /inventory/transfers (from or to the stores in scope).
func (h *HTTP) ListTransfers(c *fiber.Ctx) error {
	p, scope, err := h.authz.Scope(c.UserContext(), authz.InventoryRead)
	if err != nil {
		return err
	}
	page, err := web.ParsePage(c)
	if err != nil {
		return err
	}
	var f TransferFilter
	if f.StoreID, err = h.storeFilter(c, authz.InventoryRead); err != nil {
		return err
	}
	if f.Status, err = oneOf(c, "status", "requested", "approved", "shipped", "received", "cancelled"); err != nil {
		return err
	}
	rows, err := h.svc.ListTransfers(c.UserContext(), p.TenantID, scope, f, page)
	if err != nil {
		return err
	}
	return c.JSON(web.NewList(rows, page.Limit, func(t Transfer) uuid.UUID { return t.ID }))
}

// transfer loads the path's transfer: 404 unless the caller reads stock in
// one of its stores; then 403 unless it holds perm in the store named by
// at (the source or the destination; nil: either).
func (h *HTTP) transfer(c *fiber.Ctx, perm authz.Permission, at func(Transfer) []uuid.UUID) (*tenant.Principal, Transfer, error) {
	ctx := c.UserContext()
	id, err := web.PathID(c, "id", ErrTransferNotFound)
	if err != nil {
		return nil, Transfer{}, err
	}
	p, ok := tenant.From(ctx)
	if !ok {
		return nil, Transfer{}, problem.ErrUnauthenticated
	}
	t, err := h.svc.GetTransfer(ctx, p.TenantID, id)
	if err != nil {
		return nil, t, err
	}
	can := func(store uuid.UUID, perm authz.Permission) (bool, error) {
		return h.authz.CanStore(ctx, p, store, perm)
	}
	visible := false
	for _, st := range []uuid.UUID{t.FromStoreID, t.ToStoreID} {
		ok, err := can(st, authz.InventoryRead)
		if err != nil {
			return nil, t, err
		}
		visible = visible || ok
	}
	if !visible {
		return nil, t, ErrTransferNotFound
	}
	for _, st := range at(t) {
		ok, err := can(st, perm)
		if err != nil {
			return nil, t, err
		}
		if ok {
			return p, t, nil
		}
	}
	return nil, t, problem.ErrForbidden.WithDetail("this needs %s in the transfer's store", perm)
}

func both(t Transfer) []uuid.UUID   { return []uuid.UUID{t.FromStoreID, t.ToStoreID} }
func source(t Transfer) []uuid.UUID { return []uuid.UUID{t.FromStoreID} }
func dest(t Transfer) []uuid.UUID   { return []uuid.UUID{t.ToStoreID} }

// GetTransfer: GET /inventory/transfers/{id}.
func (h *HTTP) GetTransfer(c *fiber.Ctx) error {
	p, t, err := h.transfer(c, authz.InventoryRead, both)
	if err != nil {
		return err
	}
	return h.sendTransfer(c, p, t)
}

// sendTransfer answers with t, its costs null unless p sees cost at either
// end (the shipped unit cost becomes the destination's stock value).
func (h *HTTP) sendTransfer(c *fiber.Ctx, p *tenant.Principal, t Transfer) error {
	cost, err := h.seesCost(c.UserContext(), p, t.FromStoreID, t.ToStoreID)
	if err != nil {
		return err
	}
	if !cost {
		hideTransferCost(&t)
	}
	return c.JSON(t)
}

// ApproveTransfer: POST /inventory/transfers/{id}/approve (transfers:approve
// in the source store).
func (h *HTTP) ApproveTransfer(c *fiber.Ctx) error {
	p, t, err := h.transfer(c, authz.TransfersApprove, source)
	if err != nil {
		return err
	}
	out, err := h.svc.ApproveTransfer(c.UserContext(), p, t.ID)
	if err != nil {
		return err
	}
	return h.sendTransfer(c, p, out)
}

// ShipTransfer: POST /inventory/transfers/{id}/ship (inventory:write in the
// source store).
func (h *HTTP) ShipTransfer(c *fiber.Ctx) error {
	p, t, err := h.transfer(c, authz.InventoryWrite, source)
	if err != nil {
		return err
	}
	in, err := qtysBody(c)
	if err != nil {
		return err
	}
	out, err := h.svc.ShipTransfer(c.UserContext(), p, t.ID, in)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// ReceiveTransfer: POST /inventory/transfers/{id}/receive (inventory:write
// in the destination store).
func (h *HTTP) ReceiveTransfer(c *fiber.Ctx) error {
	p, t, err := h.transfer(c, authz.InventoryWrite, dest)
	if err != nil {
		return err
	}
	in, err := qtysBody(c)
	if err != nil {
		return err
	}
	out, err := h.svc.ReceiveTransfer(c.UserContext(), p, t.ID, in)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// CancelTransfer: POST /inventory/transfers/{id}/cancel.
func (h *HTTP) CancelTransfer(c *fiber.Ctx) error {
	p, t, err := h.transfer(c, authz.InventoryWrite, both)
	if err != nil {
		return err
	}
	out, err := h.svc.CancelTransfer(c.UserContext(), p, t.ID)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

func qtysBody(c *fiber.Ctx) (TransferQtysInput, error) {
	var in TransferQtysInput
	if len(bytes.TrimSpace(c.Body())) == 0 {
		return in, nil
	}
	err := web.Decode(c, &in)
	return in, err
}

// ── analysis (reports:read) ──

// StockValue: GET /inventory/analysis/stock-value.
func (h *HTTP) StockValue(c *fiber.Ctx) error {
	p, scope, err := h.authz.Scope(c.UserContext(), authz.ReportsRead)
	if err != nil {
		return err
	}
	rows, err := h.svc.StockValueByStore(c.UserContext(), p.TenantID, scope)
	if err != nil {
		return err
	}
	cost, views := h.costByStore(c.UserContext(), p), make([]storeValueView, len(rows))
	for i, r := range rows {
		shown, err := cost(r.StoreID)
		if err != nil {
			return err
		}
		views[i] = storeValueView{StoreValue: r, StockValue: orNull(r.StockValue, shown)}
	}
	return c.JSON(fiber.Map{"data": views})
}

// Turnover: GET /inventory/analysis/turnover.
func (h *HTTP) Turnover(c *fiber.Ctx) error {
	p, scope, err := h.authz.Scope(c.UserContext(), authz.ReportsRead)
	if err != nil {
		return err
	}
	var f TurnoverFilter
	if f.Days, err = intQuery(c, "days", 30, 1, 365); err != nil {
		return err
	}
	if f.Limit, err = intQuery(c, "limit", 50, 1, 500); err != nil {
		return err
	}
	if f.GroupBy, err = oneOf(c, "group_by", "sku", "category", "store"); err != nil {
		return err
	}
	if f.GroupBy == "" {
		f.GroupBy = "sku"
	}
	if f.StoreID, err = h.storeFilter(c, authz.ReportsRead); err != nil {
		return err
	}
	rows, err := h.svc.TurnoverReport(c.UserContext(), p.TenantID, scope, f)
	if err != nil {
		return err
	}
	cost, err := h.seesCostIn(c.UserContext(), p, scope, f.StoreID)
	if err != nil {
		return err
	}
	views := viewAll(rows, func(t Turnover) turnoverView { return viewTurnover(t, cost) })
	return c.JSON(fiber.Map{"days": f.Days, "group_by": f.GroupBy, "data": views})
}

// SlowMovers: GET /inventory/analysis/slow-movers.
func (h *HTTP) SlowMovers(c *fiber.Ctx) error {
	p, scope, err := h.authz.Scope(c.UserContext(), authz.ReportsRead)
	if err != nil {
		return err
	}
	days, err := intQuery(c, "days", 30, 1, 365)
	if err != nil {
		return err
	}
	limit, err := intQuery(c, "limit", 50, 1, 500)
	if err != nil {
		return err
	}
	store, err := h.storeFilter(c, authz.ReportsRead)
	if err != nil {
		return err
	}
	rows, err := h.svc.SlowMovers(c.UserContext(), p.TenantID, scope, store, days, limit)
	if err != nil {
		return err
	}
	cost, views := h.costByStore(c.UserContext(), p), make([]slowMoverView, len(rows))
	for i, r := range rows {
		shown, err := cost(r.StoreID)
		if err != nil {
			return err
		}
		views[i] = slowMoverView{SlowMover: r, StockValue: orNull(r.StockValue, shown)}
	}
	return c.JSON(fiber.Map{"days": days, "data": views})
}

// StockOuts: GET /inventory/analysis/stock-outs.
func (h *HTTP) StockOuts(c *fiber.Ctx) error {
	p, scope, err := h.authz.Scope(c.UserContext(), authz.ReportsRead)
	if err != nil {
		return err
	}
	rows, err := h.svc.StockOuts(c.UserContext(), p.TenantID, scope)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"data": rows})
}
