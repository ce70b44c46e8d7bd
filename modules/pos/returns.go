package pos

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/doc"
	"chainstore/infra/money"
	"chainstore/infra/payments"
	"chainstore/infra/postgres"
	"chainstore/infra/problem"
	"chainstore/modules/finance"
	"chainstore/modules/inventory"
	"chainstore/modules/promotions"
	"chainstore/tenant"
	"chainstore/tenant/audit"
	"chainstore/tenant/authz"
)

// ReturnInput takes goods back against one sale (by id or by the receipt
// number the customer brings), whole (no lines) or in part. ID is the
// till's UUIDv7 for the return.
type ReturnInput struct {
	ID        uuid.UUID         `json:"id" validate:"required"`
	SaleID    *uuid.UUID        `json:"sale_id"`
	ReceiptNo string            `json:"receipt_no" validate:"omitempty,max=20,printascii"`
	Lines     []ReturnLineInput `json:"lines" validate:"max=1000,dive"`
	Reason    string            `json:"reason" validate:"max=500,text"`
	Approval  *Approval         `json:"approval"`
}

// ReturnLineInput returns Qty (thousandths) of one sale line; Damaged
// goods are not put back on the shelf.
type ReturnLineInput struct {
	LineNo  int   `json:"line_no" validate:"min=1"`
	Qty     int64 `json:"qty" validate:"min=1,max=100000000"`
	Damaged bool  `json:"damaged"`
}

// Return is a recorded return or void.
type Return struct {
	ID             uuid.UUID      `json:"id"`
	Kind           string         `json:"kind"`
	SaleID         uuid.UUID      `json:"sale_id"`
	ReceiptNo      string         `json:"receipt_no"`
	StoreID        uuid.UUID      `json:"store_id"`
	RegisterID     uuid.UUID      `json:"register_id"`
	ShiftID        uuid.UUID      `json:"shift_id"`
	CashierID      uuid.UUID      `json:"cashier_id"`
	ApprovedBy     *uuid.UUID     `json:"approved_by"`
	Reason         string         `json:"reason"`
	BusinessDate   string         `json:"business_date"`
	ReturnedAt     time.Time      `json:"returned_at"`
	RefundTotal    int64          `json:"refund_total"`
	PointsReversed int64          `json:"points_reversed"`
	Lines          []ReturnLine   `json:"lines" gorm:"-"`
	Tenders        []ReturnTender `json:"tenders" gorm:"-"`
}

// ReturnLine is one returned sale line.
type ReturnLine struct {
	LineNo  int   `json:"line_no"`
	Qty     int64 `json:"qty"`
	Refund  int64 `json:"refund"`
	Restock bool  `json:"restock"`
	Cost    int64 `json:"cost"`
}

// ReturnTender is money given back by one of the sale's tenders. An
// external refund is asked of the provider after the return commits:
// pending until it answers.
type ReturnTender struct {
	TenderNo  int        `json:"tender_no"`
	Method    string     `json:"method"`
	Amount    int64      `json:"amount"`
	Reference string     `json:"reference"`
	PaymentID *uuid.UUID `json:"payment_id"`
	Status    string     `json:"status"`
}

// saleForReturn is what a return reads of its sale, locked.
type saleForReturn struct {
	Sale
	memberRow  *uuid.UUID
	earnEntry  *uuid.UUID
	redeemEnt  *uuid.UUID
	pointsUses []finance.PointsUse
	lines      map[int]lineRow
}

// ReturnGoods takes goods back against a sale: each line's refund is its
// net (promotions, coupons, manual discount and rounding already off) in
// proportion to the quantity returned, the last of a line what is left of
// it; the refund goes back to the sale's own tenders in proportion (cash,
// the external payment, stored value, points), with the points it earned
// taken back in the same share; restocked lines go back into stock at the
// cost they left at, damaged ones do not; the promotions' budgets get
// their share back; and the reversing journal entry posts on the return's
// shift day. A refund above the store's limit needs a manager with
// pos:refund (or a caller who holds it). No return exceeds what was sold.
// Errors: ErrSaleNotFound, ErrBadReturn, ErrReturnExceeds, ErrApproval,
// ErrNoShift.
func (s *Service) ReturnGoods(ctx context.Context, actor *tenant.Principal, till Till, in ReturnInput) (Return, error) {
	var out Return
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		sale, err := s.lockSale(ctx, actor.TenantID, till.StoreID, in.SaleID, in.ReceiptNo)
		if err != nil {
			return err
		}
		out, err = s.reverse(ctx, actor, till, sale, in, "return")
		return err
	})
	return out, err
}

// VoidSale takes back the last sale of the cashier's open shift at this
// register, whole (作废): everything it did is reversed, coupons and
// promotion uses included, and the sale is marked voided. A caller
// without pos:void needs a manager's approval. Errors: ErrVoidRefused,
// ErrSaleNotFound, ErrNoShift, ErrApproval.
func (s *Service) VoidSale(ctx context.Context, actor *tenant.Principal, till Till, saleID uuid.UUID, reason string, a *Approval) (Return, error) {
	var out Return
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		sale, err := s.lockSale(ctx, actor.TenantID, till.StoreID, &saleID, "")
		if err != nil {
			return err
		}
		var last struct{ ID uuid.UUID }
		if err := tenant.DB(ctx).Raw(`SELECT id FROM pos_sales WHERE tenant_id = ? AND shift_id = ? ORDER BY sold_at DESC, id DESC LIMIT 1`,
			actor.TenantID, sale.ShiftID).Scan(&last).Error; err != nil {
			return err
		}
		var shift struct {
			Status    string
			CashierID uuid.UUID
		}
		if err := tenant.DB(ctx).Raw(`SELECT status, cashier_id FROM pos_shifts WHERE tenant_id = ? AND id = ?`, actor.TenantID, sale.ShiftID).
			Scan(&shift).Error; err != nil {
			return err
		}
		switch {
		case sale.Status != "completed", sale.ReturnedTotal > 0, last.ID != sale.ID, sale.RegisterID != till.RegisterID,
			shift.Status != "open", shift.CashierID != actor.UserID:
			return ErrVoidRefused
		}
		may, err := s.authz.CanStore(ctx, actor, till.StoreID, authz.PosVoid)
		if err != nil {
			return err
		}
		var approver *uuid.UUID
		if !may {
			id, err := s.approve(ctx, actor, till.StoreID, a, authz.PosVoid)
			if err != nil {
				return err
			}
			approver = &id
		}
		out, err = s.reverse(ctx, actor, till, sale, ReturnInput{ID: uuid.Must(uuid.NewV7()), Reason: reason}, "void")
		if err != nil {
			return err
		}
		out.ApprovedBy = approver
		if err := tenant.DB(ctx).Exec(`UPDATE pos_sales SET status = 'voided', voided_at = ?, voided_by = ? WHERE tenant_id = ? AND id = ?`,
			s.clock.Now(), actor.UserID, actor.TenantID, sale.ID).Error; err != nil {
			return err
		}
		return tenant.DB(ctx).Exec(`UPDATE pos_returns SET approved_by = ? WHERE tenant_id = ? AND id = ?`, approver, actor.TenantID, out.ID).Error
	})
	return out, err
}

func (s *Service) lockSale(ctx context.Context, tenantID, storeID uuid.UUID, id *uuid.UUID, receipt string) (*saleForReturn, error) {
	var where string
	var arg any
	switch {
	case id != nil && receipt == "":
		where, arg = "s.id = ?", *id
	case id == nil && receipt != "":
		where, arg = "s.receipt_no = ?", receipt
	default:
		return nil, ErrBadReturn.WithFields(problem.FieldError{Field: "sale_id", Message: "give exactly one of sale_id and receipt_no"})
	}
	var ext []struct {
		ID            uuid.UUID
		EarnEntryID   *uuid.UUID
		RedeemEntryID *uuid.UUID
		PointsUses    string
	}
	if err := tenant.DB(ctx).Raw(`SELECT s.id, s.earn_entry_id, s.redeem_entry_id, s.points_uses::text AS points_uses FROM pos_sales s
		WHERE s.tenant_id = ? AND s.store_id = ? AND `+where+` ORDER BY s.sold_at DESC LIMIT 1 FOR UPDATE`, tenantID, storeID, arg).Scan(&ext).Error; err != nil {
		return nil, fmt.Errorf("pos: lock sale: %w", err)
	}
	if len(ext) == 0 {
		return nil, ErrSaleNotFound
	}
	sales, lines, err := loadSales(ctx, tenantID, `s.id = ?`, ext[0].ID)
	if err != nil {
		return nil, err
	}
	out := &saleForReturn{Sale: sales[0], earnEntry: ext[0].EarnEntryID, redeemEnt: ext[0].RedeemEntryID, lines: map[int]lineRow{}}
	var uses []struct {
		Value         int64      `json:"value"`
		IssuedStoreID *uuid.UUID `json:"issued_store_id"`
	}
	_ = json.Unmarshal([]byte(ext[0].PointsUses), &uses)
	for _, u := range uses {
		out.pointsUses = append(out.pointsUses, finance.PointsUse{Value: u.Value, IssuedStoreID: u.IssuedStoreID})
	}
	for _, l := range lines[out.ID] {
		out.lines[l.LineNo] = l
	}
	return out, nil
}

// reverse is a return or a void: kind "void" takes everything back.
func (s *Service) reverse(ctx context.Context, actor *tenant.Principal, till Till, sale *saleForReturn, in ReturnInput, kind string) (Return, error) {
	tenantID := actor.TenantID
	db := tenant.DB(ctx)
	if in.ID.Version() != 7 {
		return Return{}, ErrBadReturn.WithFields(problem.FieldError{Field: "id", Message: "must be a UUIDv7 the till made for this return"})
	}
	if prev, err := s.getReturn(ctx, tenantID, till.StoreID, in.ID); err == nil {
		if prev.SaleID != sale.ID {
			return Return{}, ErrBadReturn.WithDetail("return %s was recorded against another sale", in.ID)
		}
		return prev, nil // a retry
	}
	if sale.Status != "completed" {
		return Return{}, ErrBadReturn.WithDetail("the sale is %s", sale.Status)
	}
	var shift struct {
		ID           uuid.UUID
		BusinessDate string
	}
	if err := db.Raw(`SELECT id, to_char(business_date, 'YYYY-MM-DD') AS business_date FROM pos_shifts
		WHERE tenant_id = ? AND register_id = ? AND status = 'open' AND cashier_id = ?`, tenantID, till.RegisterID, actor.UserID).Scan(&shift).Error; err != nil {
		return Return{}, err
	}
	if shift.ID == uuid.Nil {
		return Return{}, ErrNoShift.WithDetail("a return is taken in the cashier's open shift at this register")
	}
	day, err := parseDay(shift.BusinessDate)
	if err != nil {
		return Return{}, err
	}
	// Which quantities of which lines, and their refunds.
	want := in.Lines
	if len(want) == 0 {
		for _, l := range sale.Lines {
			if left := l.Qty - l.ReturnedQty; left > 0 {
				want = append(want, ReturnLineInput{LineNo: l.LineNo, Qty: left})
			}
		}
	}
	seen := map[int]bool{}
	var bad []problem.FieldError
	var rls []ReturnLine
	var refund int64
	for i, w := range want {
		l, ok := sale.lines[w.LineNo]
		f := fmt.Sprintf("lines[%d]", i)
		switch {
		case !ok:
			bad = append(bad, problem.FieldError{Field: f + ".line_no", Message: "is not a line of the sale"})
			continue
		case seen[w.LineNo]:
			bad = append(bad, problem.FieldError{Field: f + ".line_no", Message: "is named twice"})
			continue
		case w.Qty > l.Qty-l.ReturnedQty:
			return Return{}, ErrReturnExceeds.WithFields(problem.FieldError{Field: f + ".qty",
				Message: fmt.Sprintf("only %d of this line is left to return", l.Qty-l.ReturnedQty)})
		case !l.Weighed && w.Qty%1000 != 0:
			bad = append(bad, problem.FieldError{Field: f + ".qty", Message: "must be whole units (a multiple of 1000) for counted goods"})
			continue
		}
		seen[w.LineNo] = true
		r := ReturnLine{LineNo: w.LineNo, Qty: w.Qty, Restock: !w.Damaged}
		if w.Qty == l.Qty-l.ReturnedQty {
			r.Refund, r.Cost = l.Net-l.ReturnedNet, l.Cost-money.MulDiv(l.Cost, l.ReturnedQty, l.Qty)
		} else {
			r.Refund, r.Cost = money.MulDiv(l.Net, w.Qty, l.Qty), money.MulDiv(l.Cost, w.Qty, l.Qty)
		}
		refund += r.Refund
		rls = append(rls, r)
	}
	if len(bad) > 0 {
		return Return{}, ErrBadReturn.WithFields(bad...)
	}
	if len(rls) == 0 {
		return Return{}, ErrReturnExceeds.WithDetail("everything of the sale was returned already")
	}
	settings, err := s.Settings(ctx, tenantID)
	if err != nil {
		return Return{}, err
	}
	var approver *uuid.UUID
	if kind == "return" && refund > settings.ReturnApprovalLimit {
		may, err := s.authz.CanStore(ctx, actor, till.StoreID, authz.PosRefund)
		if err != nil {
			return Return{}, err
		}
		if !may {
			id, err := s.approve(ctx, actor, till.StoreID, in.Approval, authz.PosRefund)
			if err != nil {
				return Return{}, err
			}
			approver = &id
		}
	}
	ret := Return{ID: in.ID, Kind: kind, SaleID: sale.ID, ReceiptNo: sale.ReceiptNo, StoreID: till.StoreID, RegisterID: till.RegisterID,
		ShiftID: shift.ID, CashierID: actor.UserID, ApprovedBy: approver, Reason: in.Reason, BusinessDate: shift.BusinessDate,
		ReturnedAt: s.clock.Now(), RefundTotal: refund, Lines: rls}
	src := doc.Of(doc.Return, in.ID)
	if kind == "void" {
		src = doc.Of(doc.Void, in.ID)
	}

	// The refund over the sale's own tenders and points, in proportion to
	// what each still holds (so returns add up to the sale, to the fen).
	weights := make([]int64, len(sale.Tenders)+1)
	for i, t := range sale.Tenders {
		weights[i] = t.Amount - t.Refunded
	}
	var pointsPaid int64
	for _, u := range sale.pointsUses {
		pointsPaid += u.Value
	}
	// What the points still hold is their value less what earlier returns
	// gave back (their "points" return tenders), not a fresh proportion of
	// the sale: that rounds on its own and could leave the weights a fen
	// short of the refund, which then asks a tender for more than it has.
	var pointsBack int64
	if pointsPaid > 0 && sale.ReturnedTotal > 0 {
		if err := tenant.DB(ctx).Raw(`SELECT coalesce(sum(t.amount), 0) FROM pos_return_tenders t
			JOIN pos_returns r ON r.tenant_id = t.tenant_id AND r.id = t.return_id
			WHERE r.tenant_id = ? AND r.sale_id = ? AND t.method = 'points'`, tenantID, sale.ID).Scan(&pointsBack).Error; err != nil {
			return Return{}, fmt.Errorf("pos: points given back: %w", err)
		}
	}
	pointsLeft := pointsPaid - pointsBack
	weights[len(sale.Tenders)] = pointsLeft
	shares := apportion(refund, weights)
	if kind == "void" {
		for i := range sale.Tenders {
			shares[i] = weights[i]
		}
		shares[len(sale.Tenders)] = pointsLeft
	}
	ev := finance.SaleEvent{Source: src, StoreID: till.StoreID, BusinessDate: day}
	byRate := map[int]int64{}
	for _, r := range rls {
		byRate[sale.lines[r.LineNo].VATRateBP] += r.Refund
		if r.Restock {
			ev.COGS += r.Cost
		}
	}
	rates := make([]int, 0, len(byRate))
	for r := range byRate {
		rates = append(rates, r)
	}
	sort.Ints(rates)
	for _, r := range rates {
		ev.Revenue = append(ev.Revenue, finance.RevenueLine{Gross: byRate[r], VATRateBP: r})
	}
	for i, t := range sale.Tenders {
		amt := shares[i]
		if amt == 0 {
			continue
		}
		rt := ReturnTender{TenderNo: len(ret.Tenders) + 1, Method: t.Method, Amount: amt, Status: "done"}
		switch tender, _ := finance.TenderOf(t.Method); {
		case t.Method == tenderStoredValue:
			payID, err := uuid.Parse(t.Reference)
			if err != nil || sale.MemberID == nil {
				return Return{}, fmt.Errorf("pos: sale %s: stored-value tender without its payment", sale.ID)
			}
			sv, err := s.members.RefundStoredValueAt(ctx, tenantID, *sale.MemberID, till.StoreID, payID, amt, src)
			if err != nil {
				return Return{}, err
			}
			rt.Reference = sv.ID.String()
			ev.StoredValue = append(ev.StoredValue, sv.StoredValueUses()...)
		case tender.External && t.PaymentID != nil:
			rt.PaymentID, rt.Status = t.PaymentID, "pending"
			ev.Payments = append(ev.Payments, finance.Payment{Method: t.Method, Amount: amt})
		default:
			ev.Payments = append(ev.Payments, finance.Payment{Method: t.Method, Amount: amt})
		}
		ret.Tenders = append(ret.Tenders, rt)
	}
	if pts := shares[len(sale.Tenders)]; pts > 0 && sale.redeemEnt != nil {
		points := cumulativeShare(sale.PointsUsed, sale.ReturnedTotal, refund, sale.Total)
		if kind == "void" {
			if _, err := s.members.ReversePoints(ctx, tenantID, *sale.redeemEnt, src); err != nil {
				return Return{}, err
			}
		} else if points > 0 {
			if _, err := s.members.ReversePointsPart(ctx, tenantID, *sale.redeemEnt, points, src); err != nil {
				return Return{}, err
			}
		}
		for _, part := range apportionUses(sale.pointsUses, pts) {
			ev.Points = append(ev.Points, part)
		}
		ret.Tenders = append(ret.Tenders, ReturnTender{TenderNo: len(ret.Tenders) + 1, Method: "points", Amount: pts,
			Reference: strconv.FormatInt(points, 10), Status: "done"})
	}
	if sale.earnEntry != nil && sale.PointsEarned > 0 {
		take := cumulativeShare(sale.PointsEarned, sale.ReturnedTotal, refund, sale.Total)
		if kind == "void" {
			if _, err := s.members.ReversePoints(ctx, tenantID, *sale.earnEntry, src); err != nil {
				return Return{}, err
			}
			ret.PointsReversed = sale.PointsEarned
		} else if take > 0 {
			if _, err := s.members.ReversePointsPart(ctx, tenantID, *sale.earnEntry, take, src); err != nil {
				return Return{}, err
			}
			ret.PointsReversed = take
		}
	}
	var moves []inventory.MoveLine
	for _, r := range rls {
		if r.Restock {
			value := r.Cost
			moves = append(moves, inventory.MoveLine{SKUID: sale.lines[r.LineNo].SKUID, Qty: r.Qty, Value: &value})
		}
	}
	if len(moves) > 0 {
		if _, err := s.inventory.Apply(ctx, tenantID, inventory.MoveInput{StoreID: till.StoreID, Kind: inventory.KindReturn, Lines: moves,
			Source: src, UserID: &actor.UserID, OccurredAt: ret.ReturnedAt}); err != nil {
			return Return{}, err
		}
	}
	if err := s.releasePromotions(ctx, tenantID, sale, rls, src, day, kind); err != nil {
		return Return{}, err
	}
	if _, err := s.fin.PostReturn(ctx, tenantID, ev); err != nil {
		return Return{}, err
	}
	if err := insertReturn(ctx, tenantID, ret); err != nil {
		return Return{}, err
	}
	s.refundAfterCommit(ctx, tenantID, ret)
	s.redAfterCommit(ctx, tenantID, sale, ret)
	return ret, audit.Record(ctx, audit.Entry{Action: "pos." + kind, ObjectType: "pos_sale", ObjectID: sale.ID.String(), StoreID: &till.StoreID,
		Detail: map[string]any{"return_id": ret.ID, "receipt_no": sale.ReceiptNo, "refund": refund, "approved_by": approver, "reason": in.Reason}})
}

// cumulativeShare is this return's part of n points when refund is
// returned of a sale's total after returned before: the share of
// everything returned so far less the share already taken. Rounding each
// return on its own could take more than the sale earned or spent (two
// returns each rounding 8.5 up), which the ledger refuses; this way the
// parts add up to the share of what was returned, and to n once it all is.
func cumulativeShare(n, returned, refund, total int64) int64 {
	if total <= 0 {
		return 0
	}
	return money.MulDiv(n, returned+refund, total) - money.MulDiv(n, returned, total)
}

// apportionUses splits value over the sale's points uses (their issuing
// stores), in proportion.
func apportionUses(uses []finance.PointsUse, value int64) []finance.PointsUse {
	w := make([]int64, len(uses))
	for i, u := range uses {
		w[i] = u.Value
	}
	var out []finance.PointsUse
	for i, part := range apportion(value, w) {
		if part > 0 {
			out = append(out, finance.PointsUse{Value: part, IssuedStoreID: uses[i].IssuedStoreID})
		}
	}
	return out
}

// releasePromotions gives the promotions back their share: everything for
// a void, the returned lines' discounts for a return.
func (s *Service) releasePromotions(ctx context.Context, tenantID uuid.UUID, sale *saleForReturn, rls []ReturnLine, src doc.Source, day time.Time, kind string) error {
	if len(sale.Applied) == 0 {
		return nil
	}
	share := promotions.Share{Void: kind == "void", BusinessDate: day}
	if kind == "return" {
		type key struct {
			p uuid.UUID
			c uuid.UUID
		}
		sum := map[key]*promotions.ReturnedDiscount{}
		var order []key
		for _, r := range rls {
			l := sale.lines[r.LineNo]
			var allocs []Allocation
			_ = json.Unmarshal([]byte(l.Allocations), &allocs)
			for _, a := range allocs {
				if a.PromotionID == nil {
					continue
				}
				k := key{p: *a.PromotionID}
				if a.CouponID != nil {
					k.c = *a.CouponID
				}
				d := sum[k]
				if d == nil {
					d = &promotions.ReturnedDiscount{PromotionID: k.p, CouponID: a.CouponID}
					sum[k] = d
					order = append(order, k)
				}
				d.Discount += money.MulDiv(a.Amount, r.Qty, l.Qty)
				d.Units += r.Qty
			}
		}
		for _, k := range order {
			share.Returned = append(share.Returned, *sum[k])
		}
		if len(share.Returned) == 0 {
			return nil
		}
	}
	_, err := s.promos.Release(ctx, tenantID, doc.Of(doc.Sale, sale.ID), src, share)
	return err
}

func insertReturn(ctx context.Context, tenantID uuid.UUID, r Return) error {
	lines, err := json.Marshal(r.Lines)
	if err != nil {
		return err
	}
	tenders, err := json.Marshal(r.Tenders)
	if err != nil {
		return err
	}
	err = tenant.DB(ctx).Exec(`WITH r AS (
			INSERT INTO pos_returns (tenant_id, id, kind, sale_id, store_id, register_id, shift_id, cashier_id, approved_by, reason,
				business_date, returned_at, refund_total, points_reversed)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id),
		l AS (
			INSERT INTO pos_return_lines (tenant_id, return_id, line_no, qty, refund, restock, cost)
			SELECT ?, (SELECT id FROM r), x.line_no, x.qty, x.refund, x.restock, x.cost
			FROM jsonb_to_recordset(?::jsonb) AS x(line_no int, qty bigint, refund bigint, restock boolean, cost bigint)),
		t AS (
			INSERT INTO pos_return_tenders (tenant_id, return_id, tender_no, method, amount, reference, payment_id, status)
			SELECT ?, (SELECT id FROM r), x.tender_no, x.method, x.amount, x.reference, x.payment_id, x.status
			FROM jsonb_to_recordset(?::jsonb) AS x(tender_no int, method text, amount bigint, reference text, payment_id uuid, status text)),
		sl AS (
			UPDATE pos_sale_lines sl SET returned_qty = sl.returned_qty + x.qty, returned_net = sl.returned_net + x.refund
			FROM jsonb_to_recordset(?::jsonb) AS x(line_no int, qty bigint, refund bigint)
			WHERE sl.tenant_id = ? AND sl.sale_id = ? AND sl.line_no = x.line_no),
		st AS (
			UPDATE pos_sale_tenders st SET refunded = st.refunded + x.amount
			FROM jsonb_to_recordset(?::jsonb) AS x(tender_no int, method text, amount bigint)
			WHERE st.tenant_id = ? AND st.sale_id = ? AND st.method = x.method AND st.tender_no = (
				SELECT min(o.tender_no) FROM pos_sale_tenders o WHERE o.tenant_id = st.tenant_id AND o.sale_id = st.sale_id
				AND o.method = x.method AND o.amount - o.refunded >= x.amount))
		UPDATE pos_sales SET returned_total = returned_total + ? WHERE tenant_id = ? AND id = ?`,
		tenantID, r.ID, r.Kind, r.SaleID, r.StoreID, r.RegisterID, r.ShiftID, r.CashierID, r.ApprovedBy, r.Reason, r.BusinessDate,
		r.ReturnedAt, r.RefundTotal, r.PointsReversed,
		tenantID, string(lines), tenantID, string(tenders),
		string(lines), tenantID, r.SaleID,
		string(tenders), tenantID, r.SaleID,
		r.RefundTotal, tenantID, r.SaleID).Error
	if err != nil {
		return fmt.Errorf("pos: record return: %w", err)
	}
	return nil
}

// refundAfterCommit asks the provider for the return's external refunds
// once the return has committed (never a refund for a return that rolled
// back), and records each answer; a refund the provider does not confirm
// stays pending for SettleRefunds to retry.
func (s *Service) refundAfterCommit(ctx context.Context, tenantID uuid.UUID, r Return) {
	if s.payments == nil {
		return
	}
	var pending []ReturnTender
	for _, t := range r.Tenders {
		if t.Status == "pending" {
			pending = append(pending, t)
		}
	}
	if len(pending) == 0 {
		return
	}
	tenant.AfterCommit(ctx, func(ctx context.Context) {
		for _, t := range pending {
			s.refundOne(ctx, tenantID, r.ID, t)
		}
	})
}

// refundID is the provider's id of a return tender's refund: the same
// return tender never refunds twice, whoever retries.
func refundID(returnID uuid.UUID, tenderNo int) uuid.UUID {
	return uuid.NewSHA1(returnID, []byte("refund:"+strconv.Itoa(tenderNo)))
}

func (s *Service) refundOne(ctx context.Context, tenantID, returnID uuid.UUID, t ReturnTender) {
	_, err := s.payments.Refund(ctx, payments.RefundRequest{ID: refundID(returnID, t.TenderNo), PaymentID: *t.PaymentID, Amount: t.Amount, Reason: "退货 return"})
	status := "done"
	if err != nil {
		status = "pending"
		if !isRetryable(err) {
			status = "failed"
		}
	}
	_ = s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		return tenant.DB(ctx).Exec(`WITH t AS (UPDATE pos_return_tenders SET status = ? WHERE tenant_id = ? AND return_id = ? AND tender_no = ? RETURNING 1)
			UPDATE pos_payments SET refunded = refunded + CASE WHEN ? = 'done' THEN ? ELSE 0 END, updated_at = now()
			WHERE tenant_id = ? AND id = ?`, status, tenantID, returnID, t.TenderNo, status, t.Amount, tenantID, *t.PaymentID).Error
	})
}

func isRetryable(err error) bool {
	return err != nil && (errors.Is(err, payments.ErrPending) || errors.Is(err, payments.ErrUnavailable))
}

// SettleRefunds retries external refunds the provider has not confirmed
// (a background task; the refund ids make it idempotent).
func (s *Service) SettleRefunds(ctx context.Context, tenantID uuid.UUID) (int, error) {
	if s.payments == nil {
		return 0, nil
	}
	var rows []struct {
		ReturnID uuid.UUID
		ReturnTender
	}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		return tenant.DB(ctx).Raw(`SELECT return_id, tender_no, method, amount, reference, payment_id, status FROM pos_return_tenders
			WHERE tenant_id = ? AND status = 'pending' LIMIT 200`, tenantID).Scan(&rows).Error
	})
	if err != nil {
		return 0, err
	}
	for _, r := range rows {
		s.refundOne(ctx, tenantID, r.ReturnID, r.ReturnTender)
	}
	return len(rows), nil
}

// getReturn reads a return of a store with its lines and tenders.
func (s *Service) getReturn(ctx context.Context, tenantID, storeID, id uuid.UUID) (Return, error) {
	db := tenant.DB(ctx)
	r, err := postgres.One[Return](db, ErrSaleNotFound, `SELECT r.id, r.kind, r.sale_id, s.receipt_no, r.store_id, r.register_id, r.shift_id,
			r.cashier_id, r.approved_by, r.reason, to_char(r.business_date, 'YYYY-MM-DD') AS business_date, r.returned_at, r.refund_total, r.points_reversed
		FROM pos_returns r JOIN pos_sales s ON s.tenant_id = r.tenant_id AND s.id = r.sale_id
		WHERE r.tenant_id = ? AND r.store_id = ? AND r.id = ?`, tenantID, storeID, id)
	if err != nil {
		return r, err
	}
	if err := db.Raw(`SELECT line_no, qty, refund, restock, cost FROM pos_return_lines WHERE tenant_id = ? AND return_id = ? ORDER BY line_no`,
		tenantID, id).Scan(&r.Lines).Error; err != nil {
		return r, err
	}
	err = db.Raw(`SELECT tender_no, method, amount, reference, payment_id, status FROM pos_return_tenders WHERE tenant_id = ? AND return_id = ? ORDER BY tender_no`,
		tenantID, id).Scan(&r.Tenders).Error
	return r, err
}

// GetReturn returns a return or void of a store.
func (s *Service) GetReturn(ctx context.Context, tenantID, storeID, id uuid.UUID) (Return, error) {
	var out Return
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var err error
		out, err = s.getReturn(ctx, tenantID, storeID, id)
		if errors.Is(err, ErrSaleNotFound) {
			return ErrSaleNotFound.WithDetail("no such return")
		}
		return err
	})
	return out, err
}
