package pos

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/einvoice"
	"chainstore/infra/postgres"
	"chainstore/infra/problem"
	"chainstore/tenant"
)

// InvoiceRequest is a customer asking for the fapiao (电子发票) of a sale,
// from the link in the receipt's QR code: the link's tenant, sale and
// token, and the buyer's 抬头 (a company needs its tax id).
type InvoiceRequest struct {
	TenantID uuid.UUID `json:"tenant_id" validate:"required"`
	SaleID   uuid.UUID `json:"sale_id" validate:"required"`
	Token    string    `json:"token" validate:"required,max=64"`
	Title    string    `json:"title" validate:"required,min=1,max=200,text"`
	TaxID    string    `json:"tax_id" validate:"omitempty,max=20,alphanum"`
	Email    string    `json:"email" validate:"omitempty,email,max=254"`
}

// Invoice is an e-invoice request and its outcome.
type Invoice struct {
	ID          uuid.UUID  `json:"id"`
	SaleID      uuid.UUID  `json:"sale_id"`
	ReturnID    *uuid.UUID `json:"return_id"`
	Kind        string     `json:"kind"`
	BuyerTitle  string     `json:"buyer_title"`
	BuyerTaxID  string     `json:"buyer_tax_id"`
	Total       int64      `json:"total"`
	Status      string     `json:"status"`
	Number      string     `json:"number"`
	PDFURL      string     `json:"pdf_url"`
	Error       string     `json:"error"`
	RequestedAt time.Time  `json:"requested_at"`
	IssuedAt    *time.Time `json:"issued_at"`
}

const invoiceColumns = `id, sale_id, return_id, kind, buyer_title, buyer_tax_id, total, status, number, pdf_url, error, requested_at, issued_at`

// RequestInvoice issues a sale's blue invoice, once: the request is
// recorded and committed before the provider is asked (no connection
// waits on it), its answer recorded after. A second request for an issued
// or pending invoice answers it; after a failure the customer may ask
// again. The token in the receipt's link proves the customer has the
// receipt. Errors: ErrNoInvoicing, ErrInvoiceNotFound (unknown sale or a
// wrong token: the same answer), ErrBadInvoice.
func (s *Service) RequestInvoice(ctx context.Context, in InvoiceRequest) (Invoice, error) {
	if s.invoices == nil {
		return Invoice{}, ErrNoInvoicing
	}
	in.TaxID = strings.ToUpper(strings.TrimSpace(in.TaxID))
	if in.TaxID != "" && !einvoice.ValidTaxID(in.TaxID) {
		return Invoice{}, ErrBadInvoice.WithFields(problem.FieldError{Field: "tax_id", Message: "is not a valid 统一社会信用代码 / 纳税人识别号"})
	}
	token, err := base64.RawURLEncoding.DecodeString(in.Token)
	if err != nil {
		return Invoice{}, ErrInvoiceNotFound
	}
	var inv Invoice
	var req einvoice.Request
	fresh := false
	err = s.pool.WithTx(ctx, in.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		sales, _, err := loadSales(ctx, in.TenantID, `s.id = ?`, in.SaleID)
		if err != nil {
			return err
		}
		if len(sales) == 0 || subtle.ConstantTimeCompare(sales[0].token, token) != 1 {
			return ErrInvoiceNotFound
		}
		sale := sales[0]
		if sale.Status != "completed" {
			return ErrBadInvoice.WithDetail("the sale was voided")
		}
		settings, err := s.Settings(ctx, in.TenantID)
		if err != nil {
			return err
		}
		if settings.SellerTaxID == "" {
			return ErrNoInvoicing.WithDetail("the chain has not set its seller tax id")
		}
		prev, err := postgres.One[Invoice](db, ErrInvoiceNotFound, `SELECT `+invoiceColumns+` FROM pos_einvoices
			WHERE tenant_id = ? AND sale_id = ? AND kind = 'blue' FOR UPDATE`, in.TenantID, in.SaleID)
		switch {
		case err == nil && prev.Status != "failed":
			inv = prev
			return nil
		case err == nil:
			// The provider keeps a failed id to its request: asking again,
			// perhaps with the buyer corrected, is a new id.
			inv = Invoice{ID: uuid.Must(uuid.NewV7())}
			if err := db.Exec(`UPDATE pos_einvoices SET id = ?, status = 'pending', error = '', buyer_title = ?, buyer_tax_id = ?, buyer_email = ?,
				total = ?, requested_at = now() WHERE tenant_id = ? AND id = ?`, inv.ID, in.Title, in.TaxID, in.Email,
				sale.Total-sale.ReturnedTotal, in.TenantID, prev.ID).Error; err != nil {
				return err
			}
		case errors.Is(err, ErrInvoiceNotFound):
			inv = Invoice{ID: uuid.Must(uuid.NewV7())}
			if err := db.Exec(`INSERT INTO pos_einvoices (tenant_id, id, sale_id, kind, buyer_title, buyer_tax_id, buyer_email, total, status)
				VALUES (?, ?, ?, 'blue', ?, ?, ?, ?, 'pending')`, in.TenantID, inv.ID, in.SaleID, in.Title, in.TaxID, in.Email,
				sale.Total-sale.ReturnedTotal).Error; err != nil {
				return fmt.Errorf("pos: invoice request: %w", err)
			}
		default:
			return err
		}
		fresh = true
		req = einvoice.Request{ID: inv.ID, Kind: einvoice.KindBlue, SellerTaxID: settings.SellerTaxID, BuyerTitle: in.Title,
			BuyerTaxID: in.TaxID, BuyerEmail: in.Email}
		for _, l := range sale.Lines {
			amount := l.Net - l.ReturnedNet
			if amount == 0 {
				continue
			}
			req.Lines = append(req.Lines, einvoice.Line{Name: l.Name, Qty: l.Qty - l.ReturnedQty, Amount: amount, TaxRateBP: int64(l.VATRateBP)})
			req.Total += amount
		}
		return nil
	})
	if err != nil || !fresh {
		return inv, err
	}
	issued, ierr := s.invoices.Issue(ctx, req)
	return s.recordInvoice(ctx, in.TenantID, inv.ID, issued, ierr)
}

// recordInvoice writes the provider's answer (pending when it gave none).
func (s *Service) recordInvoice(ctx context.Context, tenantID, id uuid.UUID, iv einvoice.Invoice, ierr error) (Invoice, error) {
	status, msg := string(iv.Status), iv.FailReason
	switch {
	case ierr == nil:
	case errors.Is(ierr, einvoice.ErrPending), errors.Is(ierr, einvoice.ErrUnavailable):
		status = "pending"
	default:
		status, msg = "failed", firstNonEmpty(msg, ierr.Error())
	}
	if status == "" {
		status = "pending"
	}
	var out Invoice
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var issuedAt *time.Time
		if !iv.IssuedAt.IsZero() {
			issuedAt = &iv.IssuedAt
		}
		return tenant.DB(ctx).Raw(`UPDATE pos_einvoices SET status = ?, number = ?, pdf_url = ?, error = ?, issued_at = ?
			WHERE tenant_id = ? AND id = ? RETURNING `+invoiceColumns, status, iv.Number, iv.PDFURL, msg, issuedAt, tenantID, id).Scan(&out).Error
	})
	return out, err
}

// redAfterCommit reverses, on the sale's issued invoice, what a return
// gave back: a red-letter invoice (红冲) for the returned lines, asked of
// the provider once the return has committed.
func (s *Service) redAfterCommit(ctx context.Context, tenantID uuid.UUID, sale *saleForReturn, ret Return) {
	if s.invoices == nil {
		return
	}
	tenant.AfterCommit(ctx, func(ctx context.Context) {
		var req einvoice.Request
		var id uuid.UUID
		err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
			db := tenant.DB(ctx)
			blue, err := postgres.One[Invoice](db, ErrInvoiceNotFound, `SELECT `+invoiceColumns+` FROM pos_einvoices
				WHERE tenant_id = ? AND sale_id = ? AND kind = 'blue' AND status = 'issued'`, tenantID, sale.ID)
			if err != nil {
				return err
			}
			settings, err := s.Settings(ctx, tenantID)
			if err != nil {
				return err
			}
			id = uuid.Must(uuid.NewV7())
			req = einvoice.Request{ID: id, Kind: einvoice.KindRed, OriginalID: &blue.ID, SellerTaxID: settings.SellerTaxID,
				BuyerTitle: blue.BuyerTitle, BuyerTaxID: blue.BuyerTaxID}
			for _, r := range ret.Lines {
				l := sale.lines[r.LineNo]
				req.Lines = append(req.Lines, einvoice.Line{Name: l.Name, Qty: -r.Qty, Amount: -r.Refund, TaxRateBP: int64(l.VATRateBP)})
				req.Total -= r.Refund
			}
			return db.Exec(`INSERT INTO pos_einvoices (tenant_id, id, sale_id, return_id, kind, buyer_title, buyer_tax_id, total, status)
				VALUES (?, ?, ?, ?, 'red', ?, ?, ?, 'pending') ON CONFLICT DO NOTHING`,
				tenantID, id, sale.ID, ret.ID, blue.BuyerTitle, blue.BuyerTaxID, req.Total).Error
		})
		if err != nil {
			return // no issued invoice: nothing to reverse
		}
		iv, ierr := s.invoices.Issue(ctx, req)
		_, _ = s.recordInvoice(ctx, tenantID, id, iv, ierr)
	})
}

// SaleInvoices lists a sale's invoice requests, blue and red.
func (s *Service) SaleInvoices(ctx context.Context, tenantID, storeID, saleID uuid.UUID) ([]Invoice, error) {
	var out []Invoice
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		if _, err := s.getSale(ctx, tenantID, storeID, saleID); err != nil {
			return err
		}
		return tenant.DB(ctx).Raw(`SELECT `+invoiceColumns+` FROM pos_einvoices WHERE tenant_id = ? AND sale_id = ? ORDER BY requested_at`,
			tenantID, saleID).Scan(&out).Error
	})
	if out == nil {
		out = []Invoice{}
	}
	return out, err
}
