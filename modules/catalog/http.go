package catalog

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
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

// HTTP holds the handlers of /api/v1/catalog and the POS catalog routes.
type HTTP struct {
	svc   *Service
	authz *authz.Authorizer
}

// NewHTTP builds the handlers.
func NewHTTP(svc *Service, az *authz.Authorizer) *HTTP { return &HTTP{svc: svc, authz: az} }

// reader: the catalog is chain data every role reads; holding catalog:read
// in any store is enough.
func (h *HTTP) reader(ctx context.Context) (*tenant.Principal, error) {
	p, _, err := h.authz.Scope(ctx, authz.CatalogRead)
	return p, err
}

// writer: catalog writes are chain work.
func (h *HTTP) writer(ctx context.Context) (*tenant.Principal, error) {
	return h.authz.RequireChain(ctx, authz.CatalogWrite)
}

// priceSetter: HQ's prices and bounds are chain work.
func (h *HTTP) priceSetter(ctx context.Context) (*tenant.Principal, error) {
	return h.authz.RequireChain(ctx, authz.PricesWrite)
}

// The shapes most handlers share, each in one place. A handler that names
// an object by its path id reads the id first (a malformed id is that
// object's 404), then authorises, then decodes the body.

// allow authorises a request and returns who makes it.
type allow func(context.Context) (*tenant.Principal, error)

// create answers a POST that makes an object: authorise, decode, call, 201.
func create[In, Out any](c *fiber.Ctx, may allow, call func(context.Context, *tenant.Principal, In) (Out, error)) error {
	ctx := c.UserContext()
	p, err := may(ctx)
	if err != nil {
		return err
	}
	var in In
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	out, err := call(ctx, p, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(out)
}

// whole answers a GET of a short list read whole (no pages), under key.
func whole[Out any](c *fiber.Ctx, key string, may allow, call func(ctx context.Context, tenantID uuid.UUID) (Out, error)) error {
	ctx := c.UserContext()
	p, err := may(ctx)
	if err != nil {
		return err
	}
	out, err := call(ctx, p.TenantID)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{key: out})
}

// read answers a GET of the object named by the path id.
func read[Out any](c *fiber.Ctx, notFound *problem.Error, may allow, call func(ctx context.Context, tenantID, id uuid.UUID) (Out, error)) error {
	ctx := c.UserContext()
	id, err := web.PathID(c, "id", notFound)
	if err != nil {
		return err
	}
	p, err := may(ctx)
	if err != nil {
		return err
	}
	out, err := call(ctx, p.TenantID, id)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// change answers a write with a body to the object named by the path id
// (a PATCH, or a POST that adds to it), with status.
func change[In, Out any](c *fiber.Ctx, notFound *problem.Error, may allow, status int, call func(context.Context, *tenant.Principal, uuid.UUID, In) (Out, error)) error {
	ctx := c.UserContext()
	id, err := web.PathID(c, "id", notFound)
	if err != nil {
		return err
	}
	p, err := may(ctx)
	if err != nil {
		return err
	}
	var in In
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	out, err := call(ctx, p, id, in)
	if err != nil {
		return err
	}
	return c.Status(status).JSON(out)
}

// remove answers a DELETE of the object named by the path id: 204.
func remove(c *fiber.Ctx, notFound *problem.Error, may allow, call func(context.Context, *tenant.Principal, uuid.UUID) error) error {
	ctx := c.UserContext()
	id, err := web.PathID(c, "id", notFound)
	if err != nil {
		return err
	}
	p, err := may(ctx)
	if err != nil {
		return err
	}
	if err := call(ctx, p, id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// seesCost: HQ price setters and finance see cost prices chain-wide; a
// franchisee sees them in their own stores.
func (h *HTTP) seesCost(ctx context.Context, p *tenant.Principal, store *uuid.UUID) bool {
	for _, perm := range []authz.Permission{authz.PricesWrite, authz.FinanceRead} {
		if ok, err := h.authz.CanChain(ctx, p, perm); err == nil && ok {
			return true
		}
	}
	if store != nil {
		ok, err := h.authz.CanStore(ctx, p, *store, authz.PricesWrite)
		return err == nil && ok
	}
	return false
}

// ── categories ──

// ListCategories: GET /catalog/categories — flat, each with parent_id and depth.
func (h *HTTP) ListCategories(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, err := h.reader(ctx)
	if err != nil {
		return err
	}
	page, err := web.ParsePage(c)
	if err != nil {
		return err
	}
	var bad []problem.FieldError
	parent := web.QueryUUID(c, "parent_id", &bad)
	roots := c.Query("roots")
	if roots != "" && roots != "true" && roots != "false" {
		bad = append(bad, problem.FieldError{Field: "roots", Message: "must be true or false"})
	}
	if len(bad) > 0 {
		return problem.ErrBadQuery.WithFields(bad...)
	}
	rows, err := h.svc.ListCategories(ctx, p.TenantID, parent, roots == "true", page)
	if err != nil {
		return err
	}
	return c.JSON(web.NewList(rows, page.Limit, func(x Category) uuid.UUID { return x.ID }))
}

// CategoryTree: GET /catalog/categories/tree — the whole tree, nested.
func (h *HTTP) CategoryTree(c *fiber.Ctx) error {
	return whole(c, "data", h.reader, h.svc.CategoryTree)
}

// CreateCategory: POST /catalog/categories.
func (h *HTTP) CreateCategory(c *fiber.Ctx) error { return create(c, h.writer, h.svc.CreateCategory) }

// GetCategory: GET /catalog/categories/{id}.
func (h *HTTP) GetCategory(c *fiber.Ctx) error {
	return read(c, ErrCategoryNotFound, h.reader, h.svc.GetCategory)
}

// UpdateCategory: PATCH /catalog/categories/{id}.
func (h *HTTP) UpdateCategory(c *fiber.Ctx) error {
	return change(c, ErrCategoryNotFound, h.writer, fiber.StatusOK, h.svc.UpdateCategory)
}

// DeleteCategory: DELETE /catalog/categories/{id} — only an empty one.
func (h *HTTP) DeleteCategory(c *fiber.Ctx) error {
	return remove(c, ErrCategoryNotFound, h.writer, h.svc.DeleteCategory)
}

// ── brands and units ──

// ListBrands: GET /catalog/brands.
func (h *HTTP) ListBrands(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, err := h.reader(ctx)
	if err != nil {
		return err
	}
	page, err := web.ParsePage(c)
	if err != nil {
		return err
	}
	q := c.Query("q")
	if len(q) > 100 || !web.IsText(q) {
		return problem.ErrBadQuery.WithFields(problem.FieldError{Field: "q", Message: "must be printable text of at most 100 characters"})
	}
	rows, err := h.svc.ListBrands(ctx, p.TenantID, q, page)
	if err != nil {
		return err
	}
	return c.JSON(web.NewList(rows, page.Limit, func(x Brand) uuid.UUID { return x.ID }))
}

// CreateBrand: POST /catalog/brands.
func (h *HTTP) CreateBrand(c *fiber.Ctx) error { return create(c, h.writer, h.svc.CreateBrand) }

// UpdateBrand: PATCH /catalog/brands/{id}.
func (h *HTTP) UpdateBrand(c *fiber.Ctx) error {
	return change(c, ErrBrandNotFound, h.writer, fiber.StatusOK, h.svc.UpdateBrand)
}

// ListUnits: GET /catalog/units.
func (h *HTTP) ListUnits(c *fiber.Ctx) error { return whole(c, "data", h.reader, h.svc.ListUnits) }

// CreateUnit: POST /catalog/units.
func (h *HTTP) CreateUnit(c *fiber.Ctx) error { return create(c, h.writer, h.svc.CreateUnit) }

// ── products and SKUs ──

// ListProducts: GET /catalog/products.
func (h *HTTP) ListProducts(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, err := h.reader(ctx)
	if err != nil {
		return err
	}
	page, err := web.ParsePage(c)
	if err != nil {
		return err
	}
	var bad []problem.FieldError
	f := ProductFilter{CategoryID: web.QueryUUID(c, "category_id", &bad), BrandID: web.QueryUUID(c, "brand_id", &bad), Status: c.Query("status"), Query: c.Query("q")}
	if f.Status != "" && f.Status != "active" && f.Status != "discontinued" {
		bad = append(bad, problem.FieldError{Field: "status", Message: "must be active or discontinued"})
	}
	if len(f.Query) > 100 || !web.IsText(f.Query) {
		bad = append(bad, problem.FieldError{Field: "q", Message: "must be printable text of at most 100 characters"})
	}
	var with ProductWith
	switch c.Query("with") {
	case "":
	case "prices":
		with.Prices = true
	default:
		bad = append(bad, problem.FieldError{Field: "with", Message: "must be prices"})
	}
	if len(bad) > 0 {
		return problem.ErrBadQuery.WithFields(bad...)
	}
	// Cost is shown as GET /skus/{id}/prices shows it: to HQ's price
	// setters and finance.
	with.Cost = with.Prices && h.seesCost(ctx, p, nil)
	rows, err := h.svc.ListProducts(ctx, p.TenantID, f, with, page)
	if err != nil {
		return err
	}
	return c.JSON(web.NewList(rows, page.Limit, func(x Product) uuid.UUID { return x.ID }))
}

// SearchSKUs: GET /catalog/skus?q=&status=&ids= — HQ's SKU search, chain-wide
// (no store needed; catalog:read anywhere), for pickers.
func (h *HTTP) SearchSKUs(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, err := h.reader(ctx)
	if err != nil {
		return err
	}
	var bad []problem.FieldError
	page, err := web.ParsePage(c)
	if err != nil {
		pe, ok := problem.As(err)
		if !ok {
			return err
		}
		bad = append(bad, pe.Fields...)
	}
	f := SKUFilter{Query: strings.TrimSpace(c.Query("q")), Status: c.Query("status")}
	if utf8.RuneCountInString(f.Query) > maxSKUQuery || !web.IsText(f.Query) {
		bad = append(bad, problem.FieldError{Field: "q", Message: fmt.Sprintf("must be printable text of at most %d characters", maxSKUQuery)})
	}
	if f.Status != "" && f.Status != "active" && f.Status != "discontinued" {
		bad = append(bad, problem.FieldError{Field: "status", Message: "must be active or discontinued"})
	}
	if raw := c.Query("ids"); raw != "" {
		parts := strings.Split(raw, ",")
		for _, s := range parts {
			id, err := uuid.Parse(s)
			if err != nil || len(parts) > maxSKUIDs {
				bad = append(bad, problem.FieldError{Field: "ids", Message: fmt.Sprintf("must be at most %d comma-separated SKU ids", maxSKUIDs)})
				break
			}
			f.IDs = append(f.IDs, id)
		}
	}
	if len(bad) > 0 {
		return problem.ErrBadQuery.WithFields(bad...)
	}
	rows, err := h.svc.SearchSKUs(ctx, p.TenantID, f, page)
	if err != nil {
		return err
	}
	return c.JSON(web.NewList(rows, page.Limit, func(x SKUMatch) uuid.UUID { return x.SKUID }))
}

// maxSKUQuery is the longest q of the SKU search, in characters: longer
// than any code, barcode or name fragment anyone types or scans.
const maxSKUQuery = 64

// maxSKUIDs is the most SKU ids one search names (?ids=): 50 ids and
// a token fit the server's 4 KB request head.
const maxSKUIDs = 50

// CreateProduct: POST /catalog/products — with SKUs, barcodes and opening prices.
func (h *HTTP) CreateProduct(c *fiber.Ctx) error { return create(c, h.writer, h.svc.CreateProduct) }

// GetProduct: GET /catalog/products/{id}.
func (h *HTTP) GetProduct(c *fiber.Ctx) error {
	return read(c, ErrProductNotFound, h.reader, h.svc.GetProduct)
}

// UpdateProduct: PATCH /catalog/products/{id}.
func (h *HTTP) UpdateProduct(c *fiber.Ctx) error {
	return change(c, ErrProductNotFound, h.writer, fiber.StatusOK, h.svc.UpdateProduct)
}

// AddSKU: POST /catalog/products/{id}/skus.
func (h *HTTP) AddSKU(c *fiber.Ctx) error {
	return change(c, ErrProductNotFound, h.writer, fiber.StatusCreated, h.svc.AddSKU)
}

// GetSKU: GET /catalog/skus/{id}.
func (h *HTTP) GetSKU(c *fiber.Ctx) error { return read(c, ErrSKUNotFound, h.reader, h.svc.GetSKU) }

// UpdateSKU: PATCH /catalog/skus/{id}.
func (h *HTTP) UpdateSKU(c *fiber.Ctx) error {
	return change(c, ErrSKUNotFound, h.writer, fiber.StatusOK, h.svc.UpdateSKU)
}

// AddBarcode: POST /catalog/skus/{id}/barcodes.
func (h *HTTP) AddBarcode(c *fiber.Ctx) error {
	return change(c, ErrSKUNotFound, h.writer, fiber.StatusCreated, h.svc.AddBarcode)
}

// RemoveBarcode: DELETE /catalog/skus/{id}/barcodes/{barcode}.
func (h *HTTP) RemoveBarcode(c *fiber.Ctx) error {
	return remove(c, ErrSKUNotFound, h.writer, func(ctx context.Context, p *tenant.Principal, id uuid.UUID) error {
		return h.svc.RemoveBarcode(ctx, p, id, c.Params("barcode"))
	})
}

// ── prices ──

// readStore authorises reading a store's catalog data (404 outside scope)
// or, without a store, chain catalog data.
func (h *HTTP) readStore(ctx context.Context, store *uuid.UUID) (*tenant.Principal, error) {
	if store == nil {
		return h.reader(ctx)
	}
	return h.svc.org.RequireStore(ctx, *store, authz.CatalogRead, org.ErrStoreNotFound)
}

// PriceHistory: GET /catalog/skus/{id}/prices?store_id= — newest first.
func (h *HTTP) PriceHistory(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := web.PathID(c, "id", ErrSKUNotFound)
	if err != nil {
		return err
	}
	var bad []problem.FieldError
	store := web.QueryUUID(c, "store_id", &bad)
	page, err := web.ParsePage(c)
	if err != nil {
		return err
	}
	if len(bad) > 0 {
		return problem.ErrBadQuery.WithFields(bad...)
	}
	p, err := h.readStore(ctx, store)
	if err != nil {
		return err
	}
	rows, err := h.svc.PriceHistory(ctx, p.TenantID, id, store, h.seesCost(ctx, p, store), page)
	if err != nil {
		return err
	}
	return c.JSON(web.NewList(rows, page.Limit, func(x PriceVersion) uuid.UUID { return x.ID }))
}

// SetPrice: POST /catalog/skus/{id}/prices — HQ price or store override.
func (h *HTTP) SetPrice(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := web.PathID(c, "id", ErrSKUNotFound)
	if err != nil {
		return err
	}
	var in SetPriceInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	var p *tenant.Principal
	if in.StoreID == nil {
		p, err = h.priceSetter(ctx)
	} else {
		p, err = h.svc.org.RequireStore(ctx, *in.StoreID, authz.PricesWrite, org.ErrStoreNotFound)
	}
	if err != nil {
		return err
	}
	out, err := h.svc.SetPrice(ctx, p, id, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(out)
}

// GetPrice: GET /catalog/skus/{id}/price?store_id=&at= — the price in force.
func (h *HTTP) GetPrice(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := web.PathID(c, "id", ErrSKUNotFound)
	if err != nil {
		return err
	}
	var bad []problem.FieldError
	store := web.QueryUUID(c, "store_id", &bad)
	at := h.svc.clock.Now()
	if raw := c.Query("at"); raw != "" {
		t, err := time.Parse(time.RFC3339Nano, raw)
		if err != nil {
			bad = append(bad, problem.FieldError{Field: "at", Message: "must be an RFC 3339 time such as 2026-01-02T03:04:05Z"})
		}
		at = t
	}
	if len(bad) > 0 {
		return problem.ErrBadQuery.WithFields(bad...)
	}
	p, err := h.readStore(ctx, store)
	if err != nil {
		return err
	}
	out, err := h.svc.SKUPrice(ctx, p.TenantID, id, store, at)
	if err != nil {
		return err
	}
	if !h.seesCost(ctx, p, store) {
		out.Cost = nil
	}
	return c.JSON(out)
}

// GetBounds: GET /catalog/skus/{id}/price-bounds.
func (h *HTTP) GetBounds(c *fiber.Ctx) error {
	return read(c, ErrSKUNotFound, h.reader, func(ctx context.Context, tenantID, id uuid.UUID) (*PriceBounds, error) {
		b, err := h.svc.GetBounds(ctx, tenantID, id)
		if err == nil && b == nil {
			err = ErrBoundsNotSet
		}
		return b, err
	})
}

// SetBounds: PUT /catalog/skus/{id}/price-bounds — HQ only.
func (h *HTTP) SetBounds(c *fiber.Ctx) error {
	return change(c, ErrSKUNotFound, h.priceSetter, fiber.StatusOK, h.svc.SetBounds)
}

// ── scale barcode layouts ──

// GetScaleLayouts: GET /catalog/scale-layouts.
func (h *HTTP) GetScaleLayouts(c *fiber.Ctx) error {
	return whole(c, "layouts", h.reader, h.svc.ScaleLayouts)
}

// SetScaleLayouts: PUT /catalog/scale-layouts.
func (h *HTTP) SetScaleLayouts(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, err := h.writer(ctx)
	if err != nil {
		return err
	}
	var in struct {
		Layouts []ScaleLayout `json:"layouts" validate:"required,min=1,max=10,dive"`
	}
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.SetScaleLayouts(ctx, p, in.Layouts)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"layouts": out})
}

// ── imports and export ──

// CreateImport: POST /catalog/imports — the body is the file itself
// (text/csv, the XLSX type, or application/octet-stream); ?filename= names it.
func (h *HTTP) CreateImport(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, err := h.writer(ctx)
	if err != nil {
		return err
	}
	ct := strings.ToLower(string(c.Request().Header.ContentType()))
	if !strings.HasPrefix(ct, "text/csv") && !strings.HasPrefix(ct, "application/octet-stream") &&
		!strings.HasPrefix(ct, sheet.XLSX.ContentType()) {
		return problem.ErrUnsupportedType.WithDetail("send the file as text/csv, %s or application/octet-stream", sheet.XLSX.ContentType())
	}
	name := c.Query("filename")
	if len(name) > 200 || !web.IsText(name) {
		return problem.ErrBadQuery.WithFields(problem.FieldError{Field: "filename", Message: "must be printable text of at most 200 characters"})
	}
	body := bytes.Clone(c.Body())
	if len(bytes.TrimSpace(body)) == 0 {
		return ErrImportFile.WithDetail("the file is empty")
	}
	out, err := h.svc.CreateImport(ctx, p, name, body)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(out)
}

// GetImport: GET /catalog/imports/{id}.
func (h *HTTP) GetImport(c *fiber.Ctx) error {
	return read(c, ErrImportNotFound, h.writer, h.svc.GetImport)
}

// CommitImport: POST /catalog/imports/{id}/commit.
func (h *HTTP) CommitImport(c *fiber.Ctx) error {
	ctx := c.UserContext()
	id, err := web.PathID(c, "id", ErrImportNotFound)
	if err != nil {
		return err
	}
	p, err := h.writer(ctx)
	if err != nil {
		return err
	}
	var in CommitImportInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.CommitImport(ctx, p, id, in.AcceptErrors)
	if err != nil {
		return err
	}
	if out.Status == "committing" {
		return c.Status(fiber.StatusAccepted).JSON(out)
	}
	return c.JSON(out)
}

// ExportProducts: GET /catalog/products/export?format=csv|xlsx.
func (h *HTTP) ExportProducts(c *fiber.Ctx) error {
	ctx := c.UserContext()
	p, err := h.authz.RequireChain(ctx, authz.CatalogRead)
	if err != nil {
		return err
	}
	f, ok := sheet.ParseFormat(c.Query("format"))
	if !ok {
		return problem.ErrBadQuery.WithFields(problem.FieldError{Field: "format", Message: "must be csv or xlsx"})
	}
	header, rows, err := h.svc.ExportProducts(ctx, p.TenantID, h.seesCost(ctx, p, nil))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := sheet.Write(&buf, f, "products", header, rows); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, f.ContentType())
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="products.`+string(f)+`"`)
	return c.Send(buf.Bytes())
}

// ── POS ──

// till reads the store of a POS path and authorises reading the catalog
// there (a store outside the caller's scope is not found).
func (h *HTTP) till(c *fiber.Ctx) (uuid.UUID, *tenant.Principal, error) {
	store, err := web.PathID(c, "store_id", org.ErrStoreNotFound)
	if err != nil {
		return uuid.Nil, nil, err
	}
	p, err := h.svc.org.RequireStore(c.UserContext(), store, authz.CatalogRead, org.ErrStoreNotFound)
	return store, p, err
}

// Lookup: GET /stores/{store_id}/pos/lookup?barcode=|code=|q= .
func (h *HTTP) Lookup(c *fiber.Ctx) error {
	ctx := c.UserContext()
	store, p, err := h.till(c)
	if err != nil {
		return err
	}
	q := LookupQuery{Barcode: c.Query("barcode"), Code: c.Query("code"), Query: strings.TrimSpace(c.Query("q")), Limit: 20}
	var bad []problem.FieldError
	n := 0
	for _, v := range []string{q.Barcode, q.Code, q.Query} {
		if v != "" {
			n++
		}
	}
	if n != 1 {
		bad = append(bad, problem.FieldError{Field: "barcode", Message: "give exactly one of barcode, code or q"})
	}
	if len(q.Barcode) > 64 || len(q.Code) > 64 || len(q.Query) > 100 || !web.IsText(q.Query) || !web.IsText(q.Code) || !web.IsText(q.Barcode) {
		bad = append(bad, problem.FieldError{Field: "q", Message: "must be printable text of at most 100 characters"})
	}
	if raw := c.Query("limit"); raw != "" {
		l, err := strconv.Atoi(raw)
		if err != nil || l < 1 || l > 50 {
			bad = append(bad, problem.FieldError{Field: "limit", Message: "must be an integer from 1 to 50"})
		}
		q.Limit = l
	}
	if len(bad) > 0 {
		return problem.ErrBadQuery.WithFields(bad...)
	}
	out, err := h.svc.Lookup(ctx, p.TenantID, store, q)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// Changes: GET /stores/{store_id}/catalog/changes?since=&limit= — the delta feed.
func (h *HTTP) Changes(c *fiber.Ctx) error {
	ctx := c.UserContext()
	store, p, err := h.till(c)
	if err != nil {
		return err
	}
	var bad []problem.FieldError
	since, limit := int64(0), 1000
	if raw := c.Query("since"); raw != "" {
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n < 0 {
			bad = append(bad, problem.FieldError{Field: "since", Message: "must be a next_since returned by this feed (0 to start)"})
		}
		since = n
	}
	if raw := c.Query("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > MaxChangesPage {
			bad = append(bad, problem.FieldError{Field: "limit", Message: "must be an integer from 1 to 5000"})
		}
		limit = n
	}
	if len(bad) > 0 {
		return problem.ErrBadQuery.WithFields(bad...)
	}
	out, err := h.svc.Changes(ctx, p.TenantID, store, since, limit)
	if err != nil {
		return err
	}
	return c.JSON(out)
}
