package pos

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/doc"
	"chainstore/infra/money"
	"chainstore/infra/postgres"
	"chainstore/infra/problem"
	"chainstore/modules/finance"
	"chainstore/modules/inventory"
	"chainstore/modules/members"
	"chainstore/modules/promotions"
	"chainstore/tenant"
	"chainstore/tenant/audit"
	"chainstore/tenant/authz"
)

// The tenders a sale takes besides finance's customer tenders: the
// member's stored value (储值卡). Points are not a tender line but
// CartInput.PointsToUse.
const tenderStoredValue = "stored_value"

const dayLayout = "2006-01-02"

func parseDay(s string) (time.Time, error) {
	d, err := time.Parse(dayLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("pos: business date %q: %w", s, err)
	}
	return d, nil
}

// slot is where a sale goes: its receipt number and shift, with the
// register's row locked until the sale commits (one till sells one sale at
// a time, and its receipt numbers have no gap).
type slot struct {
	Existing     *uuid.UUID
	Seq          *int64
	ShiftID      *uuid.UUID
	CashierID    *uuid.UUID
	BusinessDate *string
	ShiftStatus  *string
}

// Sell makes a sale at the till: the server prices the cart again (a
// client's price is never trusted), checks overrides and manual discounts
// against the cashier's limits (a manager's approval beyond them), takes
// the tenders, and in the one transaction writes the sale, its lines and
// tenders, the stock movements with their cost, points redeemed and
// earned, stored value paid, coupons and promotion budgets consumed, and
// the balanced journal entry, all on the shift's business date. A sale id
// already recorded for this register returns that sale (a retry). Errors:
// ErrNoShift, ErrBadSale, ErrTenders, ErrApproval, ErrReprice, the cart's
// errors, ErrPayment…, ErrSaleIDReused.
func (s *Service) Sell(ctx context.Context, actor *tenant.Principal, till Till, in SaleInput) (Sale, error) {
	var out Sale
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		var err error
		out, err = s.sell(ctx, actor, till, in, nil)
		return err
	})
	return out, err
}

// offlineSale is what an upload adds to a sale: when it happened, its
// shift and offline receipt number; flags collect what it conflicts with.
type offlineSale struct {
	soldAt  time.Time
	shiftID uuid.UUID
	seq     int64
	flags   []string
}

func (s *Service) sell(ctx context.Context, actor *tenant.Principal, till Till, in SaleInput, off *offlineSale) (Sale, error) {
	tenantID := actor.TenantID
	if in.ID.Version() != 7 {
		return Sale{}, ErrBadSale.WithFields(problem.FieldError{Field: "id", Message: "must be a UUIDv7 the till made for this sale"})
	}
	db := tenant.DB(ctx)
	now := s.clock.Now()
	at := now
	var sl slot
	if off == nil {
		if err := db.Raw(`WITH ex AS (SELECT id, register_id FROM pos_sales WHERE tenant_id = ? AND id = ?),
			r AS (UPDATE pos_registers SET next_seq = next_seq + 1, last_seen_at = ?
				WHERE tenant_id = ? AND id = ? AND status = 'active' AND NOT EXISTS (SELECT 1 FROM ex) RETURNING next_seq - 1 AS seq)
			SELECT (SELECT id FROM ex) AS existing, (SELECT seq FROM r) AS seq, sh.id AS shift_id, sh.cashier_id,
				to_char(sh.business_date, 'YYYY-MM-DD') AS business_date, sh.status AS shift_status
			FROM (SELECT 1) one LEFT JOIN pos_shifts sh ON sh.tenant_id = ? AND sh.register_id = ? AND sh.status = 'open'`,
			tenantID, in.ID, now, tenantID, till.RegisterID, tenantID, till.RegisterID).Scan(&sl).Error; err != nil {
			return Sale{}, fmt.Errorf("pos: till slot: %w", err)
		}
	} else {
		at = off.soldAt
		if err := db.Raw(`SELECT (SELECT id FROM pos_sales WHERE tenant_id = ? AND id = ?) AS existing,
				sh.id AS shift_id, sh.cashier_id, to_char(sh.business_date, 'YYYY-MM-DD') AS business_date, sh.status AS shift_status
			FROM (SELECT 1) one LEFT JOIN pos_shifts sh ON sh.tenant_id = ? AND sh.register_id = ? AND sh.id = ?`,
			tenantID, in.ID, tenantID, till.RegisterID, off.shiftID).Scan(&sl).Error; err != nil {
			return Sale{}, fmt.Errorf("pos: offline slot: %w", err)
		}
		seq := off.seq
		sl.Seq = &seq
	}
	if sl.Existing != nil {
		prev, err := s.getSale(ctx, tenantID, till.StoreID, *sl.Existing)
		if err != nil {
			return Sale{}, err
		}
		if prev.RegisterID != till.RegisterID {
			return Sale{}, ErrSaleIDReused
		}
		return prev, nil
	}
	switch {
	case sl.ShiftID == nil && off != nil:
		return Sale{}, ErrBadBatch.WithDetail("shift %s is not a shift of this register", off.shiftID)
	case sl.ShiftID == nil:
		return Sale{}, ErrNoShift.WithDetail("open a shift at this register first")
	case *sl.CashierID != actor.UserID && off == nil:
		return Sale{}, ErrNoShift.WithDetail("the register's open shift is another cashier's")
	case sl.Seq == nil:
		return Sale{}, ErrRegisterRevoked
	}
	if off != nil && *sl.ShiftStatus != "open" {
		off.flags = append(off.flags, "shift_closed")
	}
	day, err := parseDay(*sl.BusinessDate)
	if err != nil {
		return Sale{}, err
	}
	var flags []string
	p, err := s.price(ctx, actor, till.StoreID, in.CartInput, at, priceOptions{manualDiscount: in.ManualDiscount, offline: off != nil, flags: &flags})
	if err != nil {
		return Sale{}, err
	}
	if off != nil {
		off.flags = append(off.flags, flags...)
	} else if err := unusedCoupons(p.cart.Coupons); err != nil {
		return Sale{}, err
	}
	if err := s.checkManualDiscount(ctx, actor, p, in.ManualDiscount); err != nil {
		return Sale{}, err
	}
	var approver *uuid.UUID
	if len(p.needs) > 0 {
		id, err := s.approve(ctx, actor, till.StoreID, in.Approval, authz.PosPriceOverride)
		switch {
		case err == nil:
			approver = &id
		case off != nil:
			off.flags = append(off.flags, "unapproved_discount")
		default:
			return Sale{}, err
		}
	}
	if off != nil && in.OfflineTotal != nil && *in.OfflineTotal != p.cart.Payable {
		// The till charged what it charged: the difference is allocated to
		// the lines so the books match the money taken, and flagged.
		s.adjustToCharged(p, *in.OfflineTotal)
		off.flags = append(off.flags, "price_mismatch")
	}
	tenders, change, err := s.checkTenders(p, in.Tenders, off)
	if err != nil {
		return Sale{}, err
	}
	src := doc.Of(doc.Sale, in.ID)
	if err := s.claimPayments(ctx, tenantID, till, in.ID, tenders, off); err != nil {
		return Sale{}, err
	}

	// The rows every sale of the store takes its turn on (its SKUs' stock
	// levels, the day's balances) are locked last, just before the commit:
	// members and promotions first, then stock, then the journal.
	ev := finance.SaleEvent{Source: src, StoreID: till.StoreID, BusinessDate: day}
	var led ledgers
	for i, t := range tenders {
		if t.Method == tenderStoredValue {
			sv, err := s.members.PayStoredValue(ctx, tenantID, p.member.ID, till.StoreID, t.Amount, src)
			if err != nil {
				return Sale{}, err
			}
			tenders[i].Reference = sv.ID.String() // the payment a return refunds
			ev.StoredValue = append(ev.StoredValue, sv.StoredValueUses()...)
			continue
		}
		ev.Payments = append(ev.Payments, finance.Payment{Method: t.Method, Amount: t.Amount})
	}
	var pointsEarned int64
	if p.member != nil {
		if p.cart.PointsUsed > 0 {
			e, err := s.members.RedeemPoints(ctx, tenantID, p.member.ID, till.StoreID, p.cart.PointsUsed, src)
			if err != nil {
				return Sale{}, err
			}
			led.redeem = &e.ID
			led.pointsUses = e.PointsUses()
			ev.Points = append(ev.Points, led.pointsUses...)
		}
		e, err := s.members.EarnPoints(ctx, tenantID, members.EarnInput{MemberID: p.member.ID, StoreID: till.StoreID, Source: src,
			Lines: p.earnLines(), At: at})
		if err != nil {
			return Sale{}, err
		}
		pointsEarned = e.Points
		led.earn = &e.ID
	}
	if err := s.consume(ctx, tenantID, p, src, day, off); err != nil {
		return Sale{}, err
	}

	// Stock, with each line's cost of goods.
	moves := make([]inventory.MoveLine, len(p.cart.Lines))
	for i, l := range p.cart.Lines {
		moves[i] = inventory.MoveLine{SKUID: l.SKUID, Qty: l.Qty}
	}
	res, err := s.inventory.Apply(ctx, tenantID, inventory.MoveInput{StoreID: till.StoreID, Kind: inventory.KindSale, Lines: moves,
		Source: src, UserID: &actor.UserID, OccurredAt: at, Happened: off != nil})
	if err != nil {
		return Sale{}, err
	}
	costs := make([]int64, len(res))
	var cogs int64
	for i, r := range res {
		costs[i] = -r.CostAmount
		cogs += costs[i]
		if r.BelowZero && off != nil {
			off.flags = appendOnce(off.flags, "stock_below_zero")
		}
	}
	// A sale from negative stock can cost less than nothing for a moment;
	// its receipt later settles it, so the sale books no negative COGS.
	ev.COGS = max(cogs, 0)
	byRate := map[int]int64{}
	for _, l := range p.cart.Lines {
		byRate[l.VATRateBP] += l.Net
	}
	rates := make([]int, 0, len(byRate))
	for r := range byRate {
		rates = append(rates, r)
	}
	sort.Ints(rates)
	for _, r := range rates {
		ev.Revenue = append(ev.Revenue, finance.RevenueLine{Gross: byRate[r], VATRateBP: r})
	}
	if _, err := s.fin.PostSale(ctx, tenantID, ev); err != nil {
		return Sale{}, err
	}

	sale := Sale{ID: in.ID, StoreID: till.StoreID, RegisterID: till.RegisterID, ShiftID: *sl.ShiftID, CashierID: actor.UserID,
		Status: "completed", Offline: off != nil, Flags: []string{}, BusinessDate: *sl.BusinessDate, SoldAt: at,
		Gross: p.cart.Gross, Discount: p.cart.Discount, Rounding: p.cart.Rounding, Total: p.cart.Total, ChangeGiven: change,
		PointsEarned: pointsEarned, PointsUsed: p.cart.PointsUsed, Applied: p.cart.Applied}
	if sale.Applied == nil {
		sale.Applied = []AppliedPromo{}
	}
	if off != nil {
		sale.CashierID = *sl.CashierID
		sale.Flags = off.flags
		sale.ReceiptNo = fmt.Sprintf("F%06d", off.seq)
	} else {
		sale.ReceiptNo = fmt.Sprintf("R%06d", *sl.Seq)
	}
	if p.member != nil {
		sale.MemberID = &p.member.ID
	}
	for i, l := range p.cart.Lines {
		sale.Lines = append(sale.Lines, SaleLine{LineNo: l.LineNo, SKUID: l.SKUID, Name: l.Name, Barcode: l.Barcode, Weighed: l.Weighed,
			Qty: l.Qty, ListPrice: l.ListPrice, UnitPrice: l.UnitPrice, Gross: l.Gross, Discount: l.Discount, Net: l.Net,
			VATRateBP: l.VATRateBP, Allocations: l.Allocations})
		_ = i
	}
	for i, t := range tenders {
		t.TenderNo = i + 1
		sale.Tenders = append(sale.Tenders, t)
		sale.Paid += t.Amount
	}
	sale.Paid += p.cart.PointsValue
	token := make([]byte, 16)
	if _, err := rand.Read(token); err != nil {
		return Sale{}, err
	}
	// Online, the sale's rows go out with the COMMIT: by now the sale
	// holds its stock levels and the day's balances, the rows every sale
	// of the store takes its turn on. An offline batch writes each sale at
	// once (its errors name the sale).
	if err := insertSale(ctx, off == nil, tenantID, sale, p, costs, approver, token, led); err != nil {
		return Sale{}, err
	}
	sale.token = token
	sale.InvoiceURL = s.invoiceLink(tenantID, sale.ID, token)
	return sale, s.auditOverrides(ctx, till.StoreID, sale, p, in.ManualDiscount, approver)
}

// unusedCoupons refuses a sale that presents a coupon it does not take:
// the customer would believe it used. The priced cart said why; the
// cashier takes the coupon off (or the customer keeps it for another day).
func unusedCoupons(cs []CouponState) error {
	var bad []problem.FieldError
	for i, c := range cs {
		if !c.Used {
			bad = append(bad, problem.FieldError{Field: fmt.Sprintf("coupons[%d]", i), Message: c.Code + ": " + firstNonEmpty(c.ReasonEn, c.Why, "not used")})
		}
	}
	if len(bad) > 0 {
		return ErrCoupon.WithDetail("take off the coupons this sale does not use").WithFields(bad...)
	}
	return nil
}

// checkManualDiscount: a manual discount (整单优惠) is the cashier's alone
// within the chain's limit, or the caller's when they may override
// prices; beyond, a manager approves.
func (s *Service) checkManualDiscount(ctx context.Context, actor *tenant.Principal, p *pricing, manual int64) error {
	if manual <= 0 {
		return nil
	}
	before := p.cart.Total + manual + p.cart.Rounding
	if manual > before {
		return ErrBadSale.WithFields(problem.FieldError{Field: "manual_discount", Message: "is more than the cart's total"})
	}
	may, err := s.authz.CanStore(ctx, actor, p.store.ID, authz.PosPriceOverride)
	if err != nil || may {
		return err
	}
	if money.MulDiv(manual, 10000, before) > int64(p.settings.CashierDiscountBP) {
		p.needs = append(p.needs, "manual discount "+money.FormatYuan(manual))
	}
	return nil
}

// adjustToCharged makes an offline sale's lines add up to what the till
// charged (its own price, which the server's differs from): the
// difference is one more allocation, kind offline_adjustment.
func (s *Service) adjustToCharged(p *pricing, charged int64) {
	diff := p.cart.Payable - charged
	if diff > p.cart.Total {
		diff = p.cart.Total
	}
	spread(p.cart.Lines, diff, "offline_adjustment", "离线差价", "Offline price difference")
	p.cart.Total -= diff
	p.cart.Discount += diff
	p.cart.Payable = p.cart.Total - p.cart.PointsValue
}

// checkTenders matches the tenders to what is payable: known customer
// methods (or the member's stored value), cash with its change, the rest
// exact. Offline, a method a till could not have used offline is kept as
// on account (挂账) and flagged.
func (s *Service) checkTenders(p *pricing, in []TenderInput, off *offlineSale) ([]SaleTender, int64, error) {
	var bad []problem.FieldError
	var out []SaleTender
	var paid, change int64
	for i, t := range in {
		f := fmt.Sprintf("tenders[%d]", i)
		st := SaleTender{Method: t.Method, Amount: t.Amount, Tendered: t.Amount, PaymentID: t.PaymentID}
		tender, known := finance.TenderOf(t.Method)
		switch {
		case t.Method == tenderStoredValue:
			if p.member == nil {
				bad = append(bad, problem.FieldError{Field: f + ".method", Message: "stored value needs the sale's member"})
			} else if off != nil {
				st.Method = "receivable"
				off.flags = appendOnce(off.flags, "stored_value_offline")
			}
		case !known || !tender.Customer:
			bad = append(bad, problem.FieldError{Field: f + ".method", Message: "is not a tender the till takes"})
		case tender.Cash:
			if t.Tendered != 0 {
				if t.Tendered < t.Amount {
					bad = append(bad, problem.FieldError{Field: f + ".tendered", Message: "is less than the amount it pays"})
				}
				st.Tendered = t.Tendered
				change += t.Tendered - t.Amount
			}
		case tender.External:
			if t.PaymentID == nil {
				if off == nil {
					bad = append(bad, problem.FieldError{Field: f + ".payment_id", Message: "an external tender names its approved payment"})
				} else {
					off.flags = appendOnce(off.flags, "unverified_tender")
				}
			}
			if t.Tendered != 0 && t.Tendered != t.Amount {
				bad = append(bad, problem.FieldError{Field: f + ".tendered", Message: "only cash gives change"})
			}
		}
		if t.Amount <= 0 {
			bad = append(bad, problem.FieldError{Field: f + ".amount", Message: "must be positive"})
		}
		paid += t.Amount
		out = append(out, st)
	}
	if len(bad) > 0 {
		return nil, 0, ErrTenders.WithFields(bad...)
	}
	if paid != p.cart.Payable {
		return nil, 0, ErrTenders.WithDetail("the tenders pay %s; the sale's payable is %s", money.FormatYuan(paid), money.FormatYuan(p.cart.Payable))
	}
	return out, change, nil
}

func appendOnce(ss []string, v string) []string {
	if slices.Contains(ss, v) {
		return ss
	}
	return append(ss, v)
}

// claimPayments ties the sale's external tenders to their payments in one
// statement: each must be approved, of this register, unused, of the
// tender's method and amount. A sale never completes half-paid.
func (s *Service) claimPayments(ctx context.Context, tenantID uuid.UUID, till Till, saleID uuid.UUID, tenders []SaleTender, off *offlineSale) error {
	var ids []uuid.UUID
	want := map[uuid.UUID]SaleTender{}
	for _, t := range tenders {
		if t.PaymentID != nil {
			if _, twice := want[*t.PaymentID]; twice {
				return ErrTenders.WithDetail("payment %s is named twice", *t.PaymentID)
			}
			ids = append(ids, *t.PaymentID)
			want[*t.PaymentID] = t
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var got []struct {
		ID     uuid.UUID
		Method string
		Amount int64
	}
	if err := tenant.DB(ctx).Raw(`UPDATE pos_payments SET sale_id = ?, updated_at = now()
		WHERE tenant_id = ? AND id = ANY(?) AND register_id = ? AND status = 'approved' AND sale_id IS NULL
		RETURNING id, method, amount`, saleID, tenantID, postgres.UUIDs(ids), till.RegisterID).Scan(&got).Error; err != nil {
		return fmt.Errorf("pos: claim payments: %w", err)
	}
	if len(got) != len(ids) {
		if off != nil {
			off.flags = appendOnce(off.flags, "unverified_tender")
			return nil
		}
		return ErrPaymentState.WithDetail("every external tender needs an approved payment of this register that no sale has used")
	}
	for _, g := range got {
		t := want[g.ID]
		if g.Method != t.Method || g.Amount != t.Amount {
			return ErrPaymentState.WithDetail("payment %s is %s %s, the tender says %s %s", g.ID, g.Method, money.FormatYuan(g.Amount),
				t.Method, money.FormatYuan(t.Amount))
		}
	}
	return nil
}

// consume charges the promotions and coupons the sale took (not the
// member's tier benefits, which are no promotion of the chain's). A budget
// or limit that ran out since the cart was priced asks the till to price
// it again; an offline upload is accepted and flagged.
func (s *Service) consume(ctx context.Context, tenantID uuid.UUID, p *pricing, src doc.Source, day time.Time, off *offlineSale) error {
	res := p.result
	var applied []promotions.Applied
	for _, a := range res.Applied {
		if !isTierBenefit(p.member, a.PromotionID) {
			applied = append(applied, a)
		}
	}
	if len(applied) == 0 {
		return nil
	}
	res.Applied = applied
	lines := make([]promotions.PricedLine, len(res.Lines))
	for i, l := range res.Lines {
		l.Discounts = nil
		for _, d := range p.result.Lines[i].Discounts {
			if d.PromotionID == nil || !isTierBenefit(p.member, *d.PromotionID) {
				l.Discounts = append(l.Discounts, d)
			}
		}
		lines[i] = l
	}
	res.Lines = lines
	c, err := s.promos.Consume(ctx, tenantID, promotions.Consumption{Doc: src, Sale: p.sale, Result: res, BusinessDate: day, Offline: off != nil})
	var pe *problem.Error
	if errors.As(err, &pe) && pe.Status == 409 && pe.Code != promotions.ErrSaleReused.Code {
		return ErrReprice.WithDetail("%s", pe.Title)
	}
	if err != nil {
		return err
	}
	if off != nil && len(c.Over) > 0 {
		for _, o := range c.Over {
			off.flags = appendOnce(off.flags, "promotion_"+o.Why)
		}
	}
	return nil
}

// ledgers are the members ledger entries of a sale, which its returns
// reverse in part.
type ledgers struct {
	earn, redeem *uuid.UUID
	pointsUses   []finance.PointsUse
}

// insertSale writes the sale, its lines and its tenders in one statement,
// deferred to the commit (tenant.Defer) when later is set.
func insertSale(ctx context.Context, later bool, tenantID uuid.UUID, sale Sale, p *pricing, costs []int64, approver *uuid.UUID, token []byte, led ledgers) error {
	type lineRow struct {
		LineNo      int             `json:"line_no"`
		SKUID       uuid.UUID       `json:"sku_id"`
		Name        string          `json:"name"`
		Barcode     string          `json:"barcode"`
		Weighed     bool            `json:"weighed"`
		Qty         int64           `json:"qty"`
		ListPrice   int64           `json:"list_price"`
		UnitPrice   int64           `json:"unit_price"`
		Gross       int64           `json:"gross"`
		Discount    int64           `json:"discount"`
		Net         int64           `json:"net"`
		VATRateBP   int             `json:"vat_rate_bp"`
		Cost        int64           `json:"cost"`
		Allocations json.RawMessage `json:"allocations"`
		Reason      string          `json:"override_reason"`
		ApprovedBy  *uuid.UUID      `json:"approved_by"`
	}
	lines := make([]lineRow, len(sale.Lines))
	for i, l := range sale.Lines {
		alloc, err := json.Marshal(l.Allocations)
		if err != nil {
			return err
		}
		lines[i] = lineRow{LineNo: l.LineNo, SKUID: l.SKUID, Name: l.Name, Barcode: l.Barcode, Weighed: l.Weighed, Qty: l.Qty,
			ListPrice: l.ListPrice, UnitPrice: l.UnitPrice, Gross: l.Gross, Discount: l.Discount, Net: l.Net, VATRateBP: l.VATRateBP,
			Cost: costs[i], Allocations: alloc}
		if o := p.lines[i].override; o != nil {
			lines[i].Reason, lines[i].ApprovedBy = o.Reason, approver
		}
	}
	linesJSON, err := json.Marshal(lines)
	if err != nil {
		return err
	}
	tendersJSON, err := json.Marshal(sale.Tenders)
	if err != nil {
		return err
	}
	applied, err := json.Marshal(sale.Applied)
	if err != nil {
		return err
	}
	var cogs int64
	for _, c := range costs {
		cogs += c
	}
	type pointsUse struct {
		Value         int64      `json:"value"`
		IssuedStoreID *uuid.UUID `json:"issued_store_id"`
	}
	uses := make([]pointsUse, len(led.pointsUses))
	for i, u := range led.pointsUses {
		uses[i] = pointsUse{Value: u.Value, IssuedStoreID: u.IssuedStoreID}
	}
	usesJSON, err := json.Marshal(uses)
	if err != nil {
		return err
	}
	flags := sale.Flags
	if flags == nil {
		flags = []string{}
	}
	q := `WITH s AS (
			INSERT INTO pos_sales (tenant_id, id, store_id, register_id, shift_id, cashier_id, member_id, receipt_no, offline, flags,
				business_date, sold_at, gross, discount, rounding, total, paid, change_given, cogs, points_earned, points_used, applied, einvoice_token,
				earn_entry_id, redeem_entry_id, points_uses)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::text[], ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?::jsonb) RETURNING id),
		l AS (
			INSERT INTO pos_sale_lines (tenant_id, sale_id, line_no, sku_id, name, barcode, weighed, qty, list_price, unit_price, gross,
				discount, net, vat_rate_bp, cost, allocations, override_reason, approved_by)
			SELECT ?, (SELECT id FROM s), x.line_no, x.sku_id, x.name, x.barcode, x.weighed, x.qty, x.list_price, x.unit_price, x.gross,
				x.discount, x.net, x.vat_rate_bp, x.cost, x.allocations, x.override_reason, x.approved_by
			FROM jsonb_to_recordset(?::jsonb) AS x(line_no int, sku_id uuid, name text, barcode text, weighed boolean, qty bigint,
				list_price bigint, unit_price bigint, gross bigint, discount bigint, net bigint, vat_rate_bp int, cost bigint,
				allocations jsonb, override_reason text, approved_by uuid))
		INSERT INTO pos_sale_tenders (tenant_id, sale_id, tender_no, method, amount, tendered, payment_id, reference)
		SELECT ?, (SELECT id FROM s), x.tender_no, x.method, x.amount, x.tendered, x.payment_id, coalesce(x.reference, '')
		FROM jsonb_to_recordset(?::jsonb) AS x(tender_no int, method text, amount bigint, tendered bigint, payment_id uuid, reference text)`
	args := []any{tenantID, sale.ID, sale.StoreID, sale.RegisterID, sale.ShiftID, sale.CashierID, sale.MemberID, sale.ReceiptNo, sale.Offline,
		postgres.Texts(flags), sale.BusinessDate, sale.SoldAt, sale.Gross, sale.Discount, sale.Rounding, sale.Total, sale.Paid,
		sale.ChangeGiven, cogs, sale.PointsEarned, sale.PointsUsed, string(applied), token, led.earn, led.redeem, string(usesJSON),
		tenantID, string(linesJSON), tenantID, string(tendersJSON)}
	if later {
		tenant.Defer(ctx, saleWriteError(sale), postgres.Dollars(q), args...)
		return nil
	}
	return saleWriteError(sale)(tenant.DB(ctx).Exec(q, args...).Error)
}

// saleWriteError maps insertSale's failure: a receipt number or sale id
// already another sale's.
func saleWriteError(sale Sale) func(error) error {
	return func(err error) error {
		if c, ok := postgres.IsUniqueViolation(err); ok && c == "pos_sales_receipt_key" {
			return ErrBadBatch.WithDetail("receipt %s of this register is already another sale's", sale.ReceiptNo)
		}
		if c, ok := postgres.IsUniqueViolation(err); ok && c == "pos_sales_pkey" {
			return ErrSaleIDReused
		}
		if err != nil {
			return fmt.Errorf("pos: record sale: %w", err)
		}
		return nil
	}
}

// auditOverrides records every price override and manual discount with
// who approved it.
func (s *Service) auditOverrides(ctx context.Context, storeID uuid.UUID, sale Sale, p *pricing, manual int64, approver *uuid.UUID) error {
	for _, i := range p.overrides {
		l := p.lines[i]
		if err := audit.Record(ctx, audit.Entry{Action: "pos.price_override", ObjectType: "pos_sale", ObjectID: sale.ID.String(), StoreID: &storeID,
			Detail: map[string]any{"line_no": i + 1, "sku_id": l.item.SKUID, "list_price": l.listPrice, "unit_price": l.unitPrice,
				"reason": l.override.Reason, "approved_by": approver, "receipt_no": sale.ReceiptNo}}); err != nil {
			return err
		}
	}
	if manual > 0 {
		return audit.Record(ctx, audit.Entry{Action: "pos.manual_discount", ObjectType: "pos_sale", ObjectID: sale.ID.String(), StoreID: &storeID,
			Detail: map[string]any{"amount": manual, "approved_by": approver, "receipt_no": sale.ReceiptNo}})
	}
	return nil
}

// invoiceLink is what the receipt's QR code opens: the chain, the sale and
// the sale's secret, which proves the asker holds the receipt.
func (s *Service) invoiceLink(tenantID, saleID uuid.UUID, token []byte) string {
	if s.invoiceURL == "" {
		return ""
	}
	sep := "?"
	if strings.Contains(s.invoiceURL, "?") {
		sep = "&"
	}
	return s.invoiceURL + sep + "tenant=" + tenantID.String() + "&sale=" + saleID.String() + "&t=" + base64.RawURLEncoding.EncodeToString(token)
}
