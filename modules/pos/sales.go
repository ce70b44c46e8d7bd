package pos

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/postgres"
	"chainstore/tenant"
	"chainstore/tenant/authz"
	"chainstore/tenant/users"
)

const saleColumns = `s.tenant_id, s.id, s.store_id, s.register_id, s.shift_id, s.cashier_id, s.member_id, s.receipt_no, s.status, s.offline,
	to_json(s.flags)::text AS flags, to_char(s.business_date, 'YYYY-MM-DD') AS business_date, s.sold_at, s.gross, s.discount, s.rounding,
	s.total, s.paid, s.change_given, s.points_earned, s.points_used, s.returned_total, s.applied::text AS applied, s.einvoice_token`

type saleRow struct {
	TenantID      uuid.UUID
	ID            uuid.UUID
	StoreID       uuid.UUID
	RegisterID    uuid.UUID
	ShiftID       uuid.UUID
	CashierID     uuid.UUID
	MemberID      *uuid.UUID
	ReceiptNo     string
	Status        string
	Offline       bool
	Flags         string
	BusinessDate  string
	SoldAt        time.Time
	Gross         int64
	Discount      int64
	Rounding      int64
	Total         int64
	Paid          int64
	ChangeGiven   int64
	PointsEarned  int64
	PointsUsed    int64
	ReturnedTotal int64
	Applied       string
	EinvoiceToken []byte
}

func (r saleRow) sale() Sale {
	s := Sale{ID: r.ID, StoreID: r.StoreID, RegisterID: r.RegisterID, ShiftID: r.ShiftID, CashierID: r.CashierID, MemberID: r.MemberID,
		ReceiptNo: r.ReceiptNo, Status: r.Status, Offline: r.Offline, BusinessDate: r.BusinessDate, SoldAt: r.SoldAt.UTC(), Gross: r.Gross,
		Discount: r.Discount, Rounding: r.Rounding, Total: r.Total, Paid: r.Paid, ChangeGiven: r.ChangeGiven, PointsEarned: r.PointsEarned,
		PointsUsed: r.PointsUsed, ReturnedTotal: r.ReturnedTotal, Flags: []string{}, Applied: []AppliedPromo{}, Lines: []SaleLine{}, Tenders: []SaleTender{}}
	s.token, s.tenantID = r.EinvoiceToken, r.TenantID
	_ = json.Unmarshal([]byte(r.Flags), &s.Flags)
	_ = json.Unmarshal([]byte(r.Applied), &s.Applied)
	if s.Flags == nil {
		s.Flags = []string{}
	}
	return s
}

type lineRow struct {
	SaleID      uuid.UUID
	LineNo      int
	SKUID       uuid.UUID `gorm:"column:sku_id"`
	Name        string
	Barcode     string
	Weighed     bool
	Qty         int64
	ListPrice   int64
	UnitPrice   int64
	Gross       int64
	Discount    int64
	Net         int64
	VATRateBP   int `gorm:"column:vat_rate_bp"`
	Cost        int64
	ReturnedQty int64
	ReturnedNet int64
	Allocations string
}

type tenderRow struct {
	SaleID uuid.UUID
	SaleTender
}

// loadSales reads sales with their lines and tenders: three statements
// however many sales.
func loadSales(ctx context.Context, tenantID uuid.UUID, where string, args ...any) ([]Sale, map[uuid.UUID][]lineRow, error) {
	db := tenant.DB(ctx)
	var rows []saleRow
	if err := db.Raw(`SELECT `+saleColumns+` FROM pos_sales s WHERE s.tenant_id = ? AND `+where, append([]any{tenantID}, args...)...).
		Scan(&rows).Error; err != nil {
		return nil, nil, fmt.Errorf("pos: sales: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil, nil
	}
	ids := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var lines []lineRow
	if err := db.Raw(`SELECT sale_id, line_no, sku_id, name, barcode, weighed, qty, list_price, unit_price, gross, discount, net, vat_rate_bp,
			cost, returned_qty, returned_net, allocations::text AS allocations
		FROM pos_sale_lines WHERE tenant_id = ? AND sale_id = ANY(?) ORDER BY sale_id, line_no`, tenantID, postgres.UUIDs(ids)).Scan(&lines).Error; err != nil {
		return nil, nil, fmt.Errorf("pos: sale lines: %w", err)
	}
	var tenders []tenderRow
	if err := db.Raw(`SELECT sale_id, tender_no, method, amount, tendered, payment_id, reference, refunded
		FROM pos_sale_tenders WHERE tenant_id = ? AND sale_id = ANY(?) ORDER BY sale_id, tender_no`, tenantID, postgres.UUIDs(ids)).Scan(&tenders).Error; err != nil {
		return nil, nil, fmt.Errorf("pos: sale tenders: %w", err)
	}
	raw := map[uuid.UUID][]lineRow{}
	byID := map[uuid.UUID]*Sale{}
	out := make([]Sale, len(rows))
	for i, r := range rows {
		out[i] = r.sale()
		byID[r.ID] = &out[i]
	}
	for _, l := range lines {
		raw[l.SaleID] = append(raw[l.SaleID], l)
		sl := SaleLine{LineNo: l.LineNo, SKUID: l.SKUID, Name: l.Name, Barcode: l.Barcode, Weighed: l.Weighed, Qty: l.Qty,
			ListPrice: l.ListPrice, UnitPrice: l.UnitPrice, Gross: l.Gross, Discount: l.Discount, Net: l.Net, VATRateBP: l.VATRateBP,
			ReturnedQty: l.ReturnedQty, ReturnedNet: l.ReturnedNet, Allocations: []Allocation{}}
		_ = json.Unmarshal([]byte(l.Allocations), &sl.Allocations)
		byID[l.SaleID].Lines = append(byID[l.SaleID].Lines, sl)
	}
	for _, t := range tenders {
		byID[t.SaleID].Tenders = append(byID[t.SaleID].Tenders, t.SaleTender)
	}
	return out, raw, nil
}

// getSale reads one sale of a store, or ErrSaleNotFound.
func (s *Service) getSale(ctx context.Context, tenantID, storeID, id uuid.UUID) (Sale, error) {
	sales, _, err := loadSales(ctx, tenantID, `s.store_id = ? AND s.id = ?`, storeID, id)
	if err != nil {
		return Sale{}, err
	}
	if len(sales) == 0 {
		return Sale{}, ErrSaleNotFound
	}
	return s.linked(sales[0]), nil
}

// linked fills the sale's e-invoice address from its token.
func (s *Service) linked(sale Sale) Sale {
	sale.InvoiceURL = s.invoiceLink(sale.tenantID, sale.ID, sale.token)
	return sale
}

// nameSales fills the sales' cashier names (one statement).
func (s *Service) nameSales(ctx context.Context, tenantID uuid.UUID, sales []Sale) error {
	return users.FillNames(ctx, s.users, tenantID, sales, func(sale *Sale) []users.NameField {
		return []users.NameField{{ID: &sale.CashierID, Name: &sale.CashierName}}
	})
}

// namedSale is getSale with the cashier's name.
func (s *Service) namedSale(ctx context.Context, tenantID, storeID, id uuid.UUID) (Sale, error) {
	sale, err := s.getSale(ctx, tenantID, storeID, id)
	if err != nil {
		return sale, err
	}
	one := []Sale{sale}
	err = s.nameSales(ctx, tenantID, one)
	return one[0], err
}

// GetSale returns a sale of a store with its lines, tenders and cashier's name.
func (s *Service) GetSale(ctx context.Context, tenantID, storeID, id uuid.UUID) (Sale, error) {
	var out Sale
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var err error
		out, err = s.namedSale(ctx, tenantID, storeID, id)
		return err
	})
	return out, err
}

// SaleByReceipt finds a sale of a store by its receipt number (a return
// starts from the receipt the customer brings).
func (s *Service) SaleByReceipt(ctx context.Context, tenantID, storeID uuid.UUID, receiptNo string) (Sale, error) {
	var out Sale
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		sales, _, err := loadSales(ctx, tenantID, `s.store_id = ? AND s.receipt_no = ? ORDER BY s.sold_at DESC LIMIT 1`, storeID, receiptNo)
		if err != nil {
			return err
		}
		if len(sales) == 0 {
			return ErrSaleNotFound
		}
		one := []Sale{s.linked(sales[0])}
		err = s.nameSales(ctx, tenantID, one)
		out = one[0]
		return err
	})
	return out, err
}

// SaleFilter narrows the sales history.
type SaleFilter struct {
	Scope      authz.StoreScope
	StoreID    *uuid.UUID
	RegisterID *uuid.UUID
	CashierID  *uuid.UUID
	MemberID   *uuid.UUID
	From, To   *time.Time
	Tender     string
	Status     string
	Flagged    bool
}

// ListSales is the sales history, newest first, in cursor pages (the
// cursor is the last sale's id; ids are time-ordered UUIDv7).
func (s *Service) ListSales(ctx context.Context, tenantID uuid.UUID, f SaleFilter, limit int, before uuid.UUID) ([]Sale, error) {
	var out []Sale
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		where := "true"
		var args []any
		add := func(cond string, a ...any) {
			where += " AND " + cond
			args = append(args, a...)
		}
		if !f.Scope.All {
			add("s.store_id = ANY(?)", postgres.UUIDs(append(f.Scope.Stores, uuid.Nil)))
		}
		if f.StoreID != nil {
			add("s.store_id = ?", *f.StoreID)
		}
		if f.RegisterID != nil {
			add("s.register_id = ?", *f.RegisterID)
		}
		if f.CashierID != nil {
			add("s.cashier_id = ?", *f.CashierID)
		}
		if f.MemberID != nil {
			add("s.member_id = ?", *f.MemberID)
		}
		if f.From != nil {
			add("s.sold_at >= ?", *f.From)
		}
		if f.To != nil {
			add("s.sold_at < ?", *f.To)
		}
		if f.Status != "" {
			add("s.status = ?", f.Status)
		}
		if f.Flagged {
			add("cardinality(s.flags) > 0")
		}
		if f.Tender != "" {
			add("EXISTS (SELECT 1 FROM pos_sale_tenders t WHERE t.tenant_id = s.tenant_id AND t.sale_id = s.id AND t.method = ?)", f.Tender)
		}
		if before != uuid.Nil {
			add("s.id < ?", before)
		}
		add("true ORDER BY s.id DESC LIMIT ?", limit+1)
		sales, _, err := loadSales(ctx, tenantID, where, args...)
		if err != nil {
			return err
		}
		for _, sale := range sales {
			out = append(out, s.linked(sale))
		}
		return s.nameSales(ctx, tenantID, out)
	})
	if out == nil {
		out = []Sale{}
	}
	return out, err
}
