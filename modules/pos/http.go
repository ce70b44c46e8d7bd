package pos

import (
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"chainstore/infra/problem"
	"chainstore/infra/web"
	"chainstore/tenant"
	"chainstore/tenant/authz"
	"chainstore/tenant/org"
)

// HTTP holds the POS handlers: /api/v1/stores/{store_id}/pos/... for the
// tills and the store's console pages, /api/v1/pos/... chain-wide.
type HTTP struct {
	svc   *Service
	authz *authz.Authorizer
}

// NewHTTP builds the handlers.
func NewHTTP(svc *Service, az *authz.Authorizer) *HTTP { return &HTTP{svc: svc, authz: az} }

// RegisterHeader carries a till's device credential.
const RegisterHeader = "X-Register-Token"

// store authorises perm in the path's store.
func (h *HTTP) store(c *fiber.Ctx, perm authz.Permission) (*tenant.Principal, uuid.UUID, error) {
	id, err := web.PathID(c, "store_id", org.ErrStoreNotFound)
	if err != nil {
		return nil, id, err
	}
	p, err := h.svc.org.RequireStore(c.UserContext(), id, perm, org.ErrStoreNotFound)
	return p, id, err
}

// till authorises perm in the path's store and proves the register the
// request comes from.
func (h *HTTP) till(c *fiber.Ctx, perm authz.Permission) (*tenant.Principal, Till, error) {
	p, storeID, err := h.store(c, perm)
	if err != nil {
		return nil, Till{}, err
	}
	t, err := h.svc.Till(c.UserContext(), p.TenantID, storeID, c.Get(RegisterHeader))
	return p, t, err
}

// ── settings and PINs ──

// GetSettings: GET /pos/settings (anyone who sells somewhere).
func (h *HTTP) GetSettings(c *fiber.Ctx) error {
	p, _, err := h.authz.Scope(c.UserContext(), authz.PosSell)
	if err != nil {
		return err
	}
	st, err := h.svc.Settings(c.UserContext(), p.TenantID)
	if err != nil {
		return err
	}
	return c.JSON(st)
}

// PutSettings: PUT /pos/settings (settings:write for the chain).
func (h *HTTP) PutSettings(c *fiber.Ctx) error {
	p, err := h.authz.RequireChain(c.UserContext(), authz.SettingsWrite)
	if err != nil {
		return err
	}
	var in SettingsInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	st, err := h.svc.SetSettings(c.UserContext(), p, in)
	if err != nil {
		return err
	}
	return c.JSON(st)
}

// SetPIN: PUT /pos/approval-pin — the caller's own approval PIN.
func (h *HTTP) SetPIN(c *fiber.Ctx) error {
	p, ok := tenant.From(c.UserContext())
	if !ok {
		return problem.ErrUnauthenticated
	}
	var in PINInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	if err := h.svc.SetPIN(c.UserContext(), p, in.PIN); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// ── registers ──

// ListRegisters: GET /stores/{store_id}/pos/registers.
func (h *HTTP) ListRegisters(c *fiber.Ctx) error {
	p, storeID, err := h.store(c, authz.ShiftsManage)
	if err != nil {
		return err
	}
	rs, err := h.svc.Registers(c.UserContext(), p.TenantID, storeID)
	if err != nil {
		return err
	}
	if rs == nil {
		rs = []Register{}
	}
	return c.JSON(fiber.Map{"data": rs})
}

// CreateRegister: POST /stores/{store_id}/pos/registers — the credential
// is in the answer, once.
func (h *HTTP) CreateRegister(c *fiber.Ctx) error {
	p, storeID, err := h.store(c, authz.ShiftsManage)
	if err != nil {
		return err
	}
	var in RegisterInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	r, err := h.svc.RegisterTill(c.UserContext(), p, storeID, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(r)
}

// GetRegister: GET /stores/{store_id}/pos/registers/{id}.
func (h *HTTP) GetRegister(c *fiber.Ctx) error {
	p, storeID, err := h.store(c, authz.ShiftsManage)
	if err != nil {
		return err
	}
	id, err := web.PathID(c, "id", ErrRegisterNotFound)
	if err != nil {
		return err
	}
	r, err := h.svc.GetRegister(c.UserContext(), p.TenantID, storeID, id)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

// UpdateRegister: PATCH /stores/{store_id}/pos/registers/{id}.
func (h *HTTP) UpdateRegister(c *fiber.Ctx) error {
	p, storeID, err := h.store(c, authz.ShiftsManage)
	if err != nil {
		return err
	}
	id, err := web.PathID(c, "id", ErrRegisterNotFound)
	if err != nil {
		return err
	}
	var in RegisterUpdate
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	r, err := h.svc.UpdateRegister(c.UserContext(), p, storeID, id, in)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

// RegisterAction: POST /stores/{store_id}/pos/registers/{id}/revoke|rekey.
func (h *HTTP) RegisterAction(c *fiber.Ctx) error {
	p, storeID, err := h.store(c, authz.ShiftsManage)
	if err != nil {
		return err
	}
	id, err := web.PathID(c, "id", ErrRegisterNotFound)
	if err != nil {
		return err
	}
	switch c.Params("action") {
	case "revoke":
		r, err := h.svc.RevokeRegister(c.UserContext(), p, storeID, id)
		if err != nil {
			return err
		}
		return c.JSON(r)
	case "rekey":
		r, err := h.svc.RekeyRegister(c.UserContext(), p, storeID, id)
		if err != nil {
			return err
		}
		return c.JSON(r)
	}
	return problem.ErrRouteNotFound
}

// Whoami: GET /stores/{store_id}/pos/till — the register the credential
// proves and its open shift, if any.
func (h *HTTP) Whoami(c *fiber.Ctx) error {
	p, t, err := h.till(c, authz.PosSell)
	if err != nil {
		return err
	}
	out := fiber.Map{"register_id": t.RegisterID, "store_id": t.StoreID, "code": t.Code, "offline_allowed": t.OfflineAllowed, "shift": nil}
	sh, err := h.svc.CurrentShift(c.UserContext(), p.TenantID, t)
	switch {
	case err == nil:
		out["shift"] = sh
	case errors.Is(err, ErrNoShift):
	default:
		return err
	}
	return c.JSON(out)
}

// ── shifts ──

// OpenShift: POST /stores/{store_id}/pos/shifts (at the till).
func (h *HTTP) OpenShift(c *fiber.Ctx) error {
	p, t, err := h.till(c, authz.PosSell)
	if err != nil {
		return err
	}
	var in OpenShiftInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	sh, err := h.svc.OpenShift(c.UserContext(), p, t, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(sh)
}

// CloseShift: POST /stores/{store_id}/pos/shifts/current/close — the blind count.
func (h *HTTP) CloseShift(c *fiber.Ctx) error {
	p, t, err := h.till(c, authz.PosSell)
	if err != nil {
		return err
	}
	var in CloseShiftInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	sh, err := h.svc.CloseShift(c.UserContext(), p, t, in)
	if err != nil {
		return err
	}
	return c.JSON(sh)
}

// shiftFilter reads the shift list's filters, reporting every bad one:
// status, register_id, cashier_id, and from/to business dates (YYYY-MM-DD,
// inclusive, from ≤ to).
func shiftFilter(c *fiber.Ctx) (ShiftFilter, error) {
	var bad []problem.FieldError
	f := ShiftFilter{Status: c.Query("status"), RegisterID: web.QueryUUID(c, "register_id", &bad), CashierID: web.QueryUUID(c, "cashier_id", &bad)}
	if f.Status != "" && f.Status != "open" && f.Status != "closed" && f.Status != "pending_approval" {
		bad = append(bad, problem.FieldError{Field: "status", Message: "must be open, pending_approval or closed"})
		f.Status = ""
	}
	for _, q := range []struct {
		name string
		dst  **time.Time
	}{{"from", &f.From}, {"to", &f.To}} {
		if raw := c.Query(q.name); raw != "" {
			t, err := time.Parse("2006-01-02", raw)
			if err != nil {
				bad = append(bad, problem.FieldError{Field: q.name, Message: "must be a date YYYY-MM-DD"})
				continue
			}
			*q.dst = &t
		}
	}
	if f.From != nil && f.To != nil && f.To.Before(*f.From) {
		bad = append(bad, problem.FieldError{Field: "to", Message: "must not be before from"})
	}
	if len(bad) > 0 {
		return f, problem.ErrBadQuery.WithFields(bad...)
	}
	return f, nil
}

// ListShifts: GET /stores/{store_id}/pos/shifts. A register or cashier of
// another store or chain matches nothing: an empty page.
func (h *HTTP) ListShifts(c *fiber.Ctx) error {
	p, storeID, err := h.store(c, authz.ShiftsManage)
	if err != nil {
		return err
	}
	page, err := web.ParsePage(c)
	if err != nil {
		return err
	}
	f, err := shiftFilter(c)
	if err != nil {
		return err
	}
	rows, err := h.svc.ListShifts(c.UserContext(), p.TenantID, storeID, f, page.Limit, page.Cursor)
	if err != nil {
		return err
	}
	return c.JSON(web.NewList(rows, page.Limit, func(s Shift) uuid.UUID { return s.ID }))
}

// GetShift: GET /stores/{store_id}/pos/shifts/{id}.
func (h *HTTP) GetShift(c *fiber.Ctx) error {
	p, storeID, err := h.store(c, authz.ShiftsManage)
	if err != nil {
		return err
	}
	id, err := web.PathID(c, "id", ErrShiftNotFound)
	if err != nil {
		return err
	}
	sh, err := h.svc.GetShift(c.UserContext(), p.TenantID, storeID, id)
	if err != nil {
		return err
	}
	return c.JSON(sh)
}

// ApproveShift: POST /stores/{store_id}/pos/shifts/{id}/approve.
func (h *HTTP) ApproveShift(c *fiber.Ctx) error {
	p, storeID, err := h.store(c, authz.ShiftsManage)
	if err != nil {
		return err
	}
	id, err := web.PathID(c, "id", ErrShiftNotFound)
	if err != nil {
		return err
	}
	var in struct {
		Note string `json:"note" validate:"max=500,text"`
	}
	if len(c.Body()) > 0 {
		if err := web.Decode(c, &in); err != nil {
			return err
		}
	}
	sh, err := h.svc.ApproveShift(c.UserContext(), p, storeID, id, in.Note)
	if err != nil {
		return err
	}
	return c.JSON(sh)
}

// ShiftReport: GET /stores/{store_id}/pos/shifts/{id}/report (收银对账单).
func (h *HTTP) ShiftReport(c *fiber.Ctx) error {
	p, storeID, err := h.store(c, authz.ShiftsManage)
	if err != nil {
		return err
	}
	id, err := web.PathID(c, "id", ErrShiftNotFound)
	if err != nil {
		return err
	}
	r, err := h.svc.ShiftReport(c.UserContext(), p.TenantID, storeID, id)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

// DayEnd: GET /stores/{store_id}/pos/day-end?date=YYYY-MM-DD (日结).
func (h *HTTP) DayEnd(c *fiber.Ctx) error {
	p, storeID, err := h.store(c, authz.ShiftsManage)
	if err != nil {
		return err
	}
	day, err := time.Parse(dayLayout, c.Query("date"))
	if err != nil {
		return problem.ErrBadQuery.WithFields(problem.FieldError{Field: "date", Message: "must be a date, YYYY-MM-DD"})
	}
	r, err := h.svc.DayEnd(c.UserContext(), p.TenantID, storeID, day)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

// ── carts and sales ──

// PriceCart: POST /stores/{store_id}/pos/carts/price.
func (h *HTTP) PriceCart(c *fiber.Ctx) error {
	p, storeID, err := h.store(c, authz.PosSell)
	if err != nil {
		return err
	}
	var in CartInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.PriceCart(c.UserContext(), p, storeID, in)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// Sell: POST /stores/{store_id}/pos/sales (at the till; Idempotency-Key).
func (h *HTTP) Sell(c *fiber.Ctx) error {
	p, t, err := h.till(c, authz.PosSell)
	if err != nil {
		return err
	}
	var in SaleInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	if in.SoldAt != nil || in.OfflineSeq != 0 || in.OfflineTotal != nil {
		return ErrBadSale.WithFields(problem.FieldError{Field: "sold_at", Message: "belongs to offline uploads only"})
	}
	sale, err := h.svc.Sell(c.UserContext(), p, t, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(sale)
}

// saleFilter reads the sales history's filters.
func saleFilter(c *fiber.Ctx) (SaleFilter, error) {
	var bad []problem.FieldError
	f := SaleFilter{RegisterID: web.QueryUUID(c, "register_id", &bad), CashierID: web.QueryUUID(c, "cashier_id", &bad),
		MemberID: web.QueryUUID(c, "member_id", &bad), Tender: c.Query("tender"), Status: c.Query("status"), Flagged: c.Query("flagged") == "true"}
	for _, q := range []struct {
		name string
		dst  **time.Time
	}{{"from", &f.From}, {"to", &f.To}} {
		if raw := c.Query(q.name); raw != "" {
			t, err := time.Parse(time.RFC3339, raw)
			if err != nil {
				bad = append(bad, problem.FieldError{Field: q.name, Message: "must be an RFC 3339 time"})
				continue
			}
			*q.dst = &t
		}
	}
	if f.Status != "" && f.Status != "completed" && f.Status != "voided" {
		bad = append(bad, problem.FieldError{Field: "status", Message: "must be completed or voided"})
	}
	if len(f.Tender) > 20 {
		bad = append(bad, problem.FieldError{Field: "tender", Message: "is not a tender"})
	}
	if len(bad) > 0 {
		return f, problem.ErrBadQuery.WithFields(bad...)
	}
	return f, nil
}

// ListStoreSales: GET /stores/{store_id}/pos/sales.
func (h *HTTP) ListStoreSales(c *fiber.Ctx) error {
	p, storeID, err := h.store(c, authz.PosSell)
	if err != nil {
		return err
	}
	f, err := saleFilter(c)
	if err != nil {
		return err
	}
	f.Scope, f.StoreID = authz.StoreScope{All: true}, &storeID
	return h.listSales(c, p, f)
}

// ListSales: GET /pos/sales — every store the caller reads reports of.
func (h *HTTP) ListSales(c *fiber.Ctx) error {
	p, scope, err := h.authz.Scope(c.UserContext(), authz.ReportsRead)
	if err != nil {
		return err
	}
	f, err := saleFilter(c)
	if err != nil {
		return err
	}
	f.Scope = scope
	var bad []problem.FieldError
	f.StoreID = web.QueryUUID(c, "store_id", &bad)
	if len(bad) > 0 {
		return problem.ErrBadQuery.WithFields(bad...)
	}
	return h.listSales(c, p, f)
}

func (h *HTTP) listSales(c *fiber.Ctx, p *tenant.Principal, f SaleFilter) error {
	page, err := web.ParsePage(c)
	if err != nil {
		return err
	}
	rows, err := h.svc.ListSales(c.UserContext(), p.TenantID, f, page.Limit, page.Cursor)
	if err != nil {
		return err
	}
	return c.JSON(web.NewList(rows, page.Limit, func(s Sale) uuid.UUID { return s.ID }))
}

// GetSale: GET /stores/{store_id}/pos/sales/{id}.
func (h *HTTP) GetSale(c *fiber.Ctx) error {
	p, storeID, err := h.store(c, authz.PosSell)
	if err != nil {
		return err
	}
	id, err := web.PathID(c, "id", ErrSaleNotFound)
	if err != nil {
		return err
	}
	s, err := h.svc.GetSale(c.UserContext(), p.TenantID, storeID, id)
	if err != nil {
		return err
	}
	return c.JSON(s)
}

// SaleByReceipt: GET /stores/{store_id}/pos/receipts/{receipt_no}.
func (h *HTTP) SaleByReceipt(c *fiber.Ctx) error {
	p, storeID, err := h.store(c, authz.PosSell)
	if err != nil {
		return err
	}
	no := c.Params("receipt_no")
	if len(no) > 20 {
		return ErrSaleNotFound
	}
	s, err := h.svc.SaleByReceipt(c.UserContext(), p.TenantID, storeID, no)
	if err != nil {
		return err
	}
	return c.JSON(s)
}

// Receipt: GET /stores/{store_id}/pos/sales/{id}/receipt?format=text|json
// — the receipt as plain text for an 80 mm printer, or as JSON.
func (h *HTTP) Receipt(c *fiber.Ctx) error {
	p, storeID, err := h.store(c, authz.PosSell)
	if err != nil {
		return err
	}
	id, err := web.PathID(c, "id", ErrSaleNotFound)
	if err != nil {
		return err
	}
	r, err := h.svc.Receipt(c.UserContext(), p.TenantID, storeID, id)
	if err != nil {
		return err
	}
	switch c.Query("format", "json") {
	case "text":
		c.Set(fiber.HeaderContentType, "text/plain; charset=utf-8")
		return c.SendString(r.Text)
	case "json":
		return c.JSON(r)
	}
	return problem.ErrBadQuery.WithFields(problem.FieldError{Field: "format", Message: "must be text or json"})
}

// ── payments ──

// Pay: POST /stores/{store_id}/pos/payments — runs outside the request's
// database transaction (the route is mounted so), since it waits on the
// provider.
func (h *HTTP) Pay(c *fiber.Ctx) error {
	p, t, err := h.till(c, authz.PosSell)
	if err != nil {
		return err
	}
	var in PaymentInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	pay, err := h.svc.Pay(c.UserContext(), p, t, in)
	switch {
	case err == nil:
		return c.Status(fiber.StatusCreated).JSON(pay)
	case errors.Is(err, ErrPaymentPending):
		return c.Status(fiber.StatusAccepted).JSON(pay)
	}
	return err
}

// GetPayment: GET /stores/{store_id}/pos/payments/{id} — asks the provider
// while the payment is pending.
func (h *HTTP) GetPayment(c *fiber.Ctx) error {
	p, storeID, err := h.store(c, authz.PosSell)
	if err != nil {
		return err
	}
	id, err := web.PathID(c, "id", ErrPaymentNotFound)
	if err != nil {
		return err
	}
	pay, err := h.svc.GetPayment(c.UserContext(), p.TenantID, storeID, id)
	if err != nil {
		return err
	}
	return c.JSON(pay)
}

// CancelPayment: POST /stores/{store_id}/pos/payments/{id}/cancel (at the
// till that took it).
func (h *HTTP) CancelPayment(c *fiber.Ctx) error {
	p, t, err := h.till(c, authz.PosSell)
	if err != nil {
		return err
	}
	id, err := web.PathID(c, "id", ErrPaymentNotFound)
	if err != nil {
		return err
	}
	pay, err := h.svc.CancelPayment(c.UserContext(), p.TenantID, t, id)
	if err != nil {
		return err
	}
	return c.JSON(pay)
}

// ── returns and voids ──

// ReturnGoods: POST /stores/{store_id}/pos/returns (at the till).
func (h *HTTP) ReturnGoods(c *fiber.Ctx) error {
	p, t, err := h.till(c, authz.PosSell)
	if err != nil {
		return err
	}
	var in ReturnInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	r, err := h.svc.ReturnGoods(c.UserContext(), p, t, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(r)
}

// GetReturn: GET /stores/{store_id}/pos/returns/{id}.
func (h *HTTP) GetReturn(c *fiber.Ctx) error {
	p, storeID, err := h.store(c, authz.PosSell)
	if err != nil {
		return err
	}
	id, err := web.PathID(c, "id", ErrSaleNotFound)
	if err != nil {
		return err
	}
	r, err := h.svc.GetReturn(c.UserContext(), p.TenantID, storeID, id)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

// VoidSale: POST /stores/{store_id}/pos/sales/{id}/void (at the till).
func (h *HTTP) VoidSale(c *fiber.Ctx) error {
	p, t, err := h.till(c, authz.PosSell)
	if err != nil {
		return err
	}
	id, err := web.PathID(c, "id", ErrSaleNotFound)
	if err != nil {
		return err
	}
	var in struct {
		Reason   string    `json:"reason" validate:"required,min=1,max=500,text"`
		Approval *Approval `json:"approval"`
	}
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	r, err := h.svc.VoidSale(c.UserContext(), p, t, id, in.Reason, in.Approval)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(r)
}

// ── offline ──

// UploadOffline: POST /stores/{store_id}/pos/offline-batches (at the till).
func (h *HTTP) UploadOffline(c *fiber.Ctx) error {
	p, t, err := h.till(c, authz.PosSell)
	if err != nil {
		return err
	}
	var in BatchInput
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	r, err := h.svc.UploadOffline(c.UserContext(), p, t, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(r)
}

// OfflineQueue: GET /stores/{store_id}/pos/offline-sales.
func (h *HTTP) OfflineQueue(c *fiber.Ctx) error {
	p, storeID, err := h.store(c, authz.ShiftsManage)
	if err != nil {
		return err
	}
	var bad []problem.FieldError
	reg := web.QueryUUID(c, "register_id", &bad)
	status := c.Query("status")
	if status != "" && status != "accepted" && status != "flagged" && status != "reviewed" {
		bad = append(bad, problem.FieldError{Field: "status", Message: "must be accepted, flagged or reviewed"})
	}
	page, err := web.ParsePage(c)
	if err != nil {
		return err
	}
	if len(bad) > 0 {
		return problem.ErrBadQuery.WithFields(bad...)
	}
	q, err := h.svc.OfflineQueue(c.UserContext(), p.TenantID, storeID, reg, status, page.Limit)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"data": q})
}

// ReviewOffline: POST /stores/{store_id}/pos/offline-sales/{id}/review.
func (h *HTTP) ReviewOffline(c *fiber.Ctx) error {
	p, storeID, err := h.store(c, authz.ShiftsManage)
	if err != nil {
		return err
	}
	id, err := web.PathID(c, "id", ErrSaleNotFound)
	if err != nil {
		return err
	}
	if err := h.svc.ReviewOffline(c.UserContext(), p, storeID, id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// ── e-invoices ──

// RequestInvoice: POST /einvoice-requests — public: the customer, from the
// receipt's QR link (its token proves the receipt).
func (h *HTTP) RequestInvoice(c *fiber.Ctx) error {
	var in InvoiceRequest
	if err := web.Decode(c, &in); err != nil {
		return err
	}
	inv, err := h.svc.RequestInvoice(c.UserContext(), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(inv)
}

// SaleInvoices: GET /stores/{store_id}/pos/sales/{id}/einvoices.
func (h *HTTP) SaleInvoices(c *fiber.Ctx) error {
	p, storeID, err := h.store(c, authz.PosSell)
	if err != nil {
		return err
	}
	id, err := web.PathID(c, "id", ErrSaleNotFound)
	if err != nil {
		return err
	}
	inv, err := h.svc.SaleInvoices(c.UserContext(), p.TenantID, storeID, id)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"data": inv})
}

// ── dashboard ──

// Dashboard: GET /dashboard?store_id= — today's figures over the stores
// the caller reads reports of.
func (h *HTTP) Dashboard(c *fiber.Ctx) error {
	p, scope, err := h.authz.Scope(c.UserContext(), authz.ReportsRead)
	if err != nil {
		return err
	}
	var bad []problem.FieldError
	storeID := web.QueryUUID(c, "store_id", &bad)
	if len(bad) > 0 {
		return problem.ErrBadQuery.WithFields(bad...)
	}
	if storeID != nil && !scope.Contains(*storeID) {
		return org.ErrStoreNotFound
	}
	d, err := h.svc.Dashboard(c.UserContext(), p.TenantID, scope, storeID)
	if err != nil {
		return err
	}
	return c.JSON(d)
}
