package pos

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/doc"
	"chainstore/infra/postgres"
	"chainstore/infra/problem"
	"chainstore/modules/finance"
	"chainstore/tenant"
	"chainstore/tenant/audit"
	"chainstore/tenant/users"
)

// OpenShift opens the cashier's shift at the till with a cash float. Its
// business date is the store's day at opening, and every entry the shift
// posts carries it (a shift that runs past midnight stays on its day).
// Errors: ErrShiftOpen (the register has an open shift).
func (s *Service) OpenShift(ctx context.Context, actor *tenant.Principal, till Till, in OpenShiftInput) (Shift, error) {
	var out Shift
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		now := s.clock.Now()
		day, err := s.org.BusinessDate(ctx, actor.TenantID, &till.StoreID, now)
		if err != nil {
			return err
		}
		err = tenant.DB(ctx).Raw(`INSERT INTO pos_shifts (tenant_id, id, store_id, register_id, cashier_id, business_date, opening_float, opened_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING `+shiftColumns,
			actor.TenantID, uuid.Must(uuid.NewV7()), till.StoreID, till.RegisterID, actor.UserID, day, in.OpeningFloat, now).Scan(&out).Error
		if c, ok := postgres.IsUniqueViolation(err); ok && c == "pos_shifts_open_key" {
			return ErrShiftOpen
		}
		if err != nil {
			return fmt.Errorf("pos: open shift: %w", err)
		}
		return s.nameShift(ctx, actor.TenantID, &out)
	})
	return out, err
}

// CurrentShift is the open shift at the till, or ErrNoShift.
func (s *Service) CurrentShift(ctx context.Context, tenantID uuid.UUID, till Till) (Shift, error) {
	var out Shift
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var err error
		if out, err = postgres.One[Shift](tenant.DB(ctx), ErrNoShift,
			`SELECT `+shiftColumns+` FROM pos_shifts WHERE tenant_id = ? AND register_id = ? AND status = 'open'`, tenantID, till.RegisterID); err != nil {
			return err
		}
		return s.nameShift(ctx, tenantID, &out)
	})
	return out, err
}

// GetShift returns a shift of a store with its counts, or ErrShiftNotFound.
func (s *Service) GetShift(ctx context.Context, tenantID, storeID, id uuid.UUID) (Shift, error) {
	var out Shift
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var err error
		if out, err = getShift(ctx, tenantID, storeID, id, false); err != nil {
			return err
		}
		if out.Counts, err = shiftCounts(ctx, tenantID, id); err != nil {
			return err
		}
		return s.nameShift(ctx, tenantID, &out)
	})
	return out, err
}

// nameShifts fills the shifts' cashier and approver names (one statement).
func (s *Service) nameShifts(ctx context.Context, tenantID uuid.UUID, shifts []Shift) error {
	return users.FillNames(ctx, s.users, tenantID, shifts, func(sh *Shift) []users.NameField {
		return []users.NameField{{ID: &sh.CashierID, Name: &sh.CashierName}, {ID: sh.ApprovedBy, Name: &sh.ApprovedByName}}
	})
}

// nameShift is nameShifts for one shift.
func (s *Service) nameShift(ctx context.Context, tenantID uuid.UUID, sh *Shift) error {
	return users.One(sh, func(rows []Shift) error { return s.nameShifts(ctx, tenantID, rows) })
}

func getShift(ctx context.Context, tenantID, storeID, id uuid.UUID, lock bool) (Shift, error) {
	q := `SELECT ` + shiftColumns + ` FROM pos_shifts WHERE tenant_id = ? AND store_id = ? AND id = ?`
	if lock {
		q += ` FOR UPDATE`
	}
	return postgres.One[Shift](tenant.DB(ctx), ErrShiftNotFound, q, tenantID, storeID, id)
}

func shiftCounts(ctx context.Context, tenantID, shiftID uuid.UUID) ([]ShiftCount, error) {
	var out []ShiftCount
	err := tenant.DB(ctx).Raw(`SELECT method, expected, counted, counted - expected AS variance FROM pos_shift_counts
		WHERE tenant_id = ? AND shift_id = ? ORDER BY method`, tenantID, shiftID).Scan(&out).Error
	return out, err
}

// ShiftFilter narrows a store's shift list; zero fields do not filter.
type ShiftFilter struct {
	Status     string
	RegisterID *uuid.UUID
	CashierID  *uuid.UUID
	From, To   *time.Time // business dates, inclusive
}

// ListShifts lists a store's shifts narrowed by f, newest first.
func (s *Service) ListShifts(ctx context.Context, tenantID, storeID uuid.UUID, f ShiftFilter, limit int, before uuid.UUID) ([]Shift, error) {
	var out []Shift
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		q := tenant.DB(ctx).Table("pos_shifts").Select(shiftColumns).Where("tenant_id = ? AND store_id = ?", tenantID, storeID)
		if f.Status != "" {
			q = q.Where("status = ?", f.Status)
		}
		if f.RegisterID != nil {
			q = q.Where("register_id = ?", *f.RegisterID)
		}
		if f.CashierID != nil {
			q = q.Where("cashier_id = ?", *f.CashierID)
		}
		if f.From != nil {
			q = q.Where("business_date >= ?", *f.From)
		}
		if f.To != nil {
			q = q.Where("business_date <= ?", *f.To)
		}
		if before != uuid.Nil {
			q = q.Where("id < ?", before)
		}
		if err := q.Order("id DESC").Limit(limit + 1).Scan(&out).Error; err != nil {
			return err
		}
		return s.nameShifts(ctx, tenantID, out)
	})
	return out, err
}

// expectedByTender is what the shift's drawer and tenders should hold:
// the float plus cash taken (net of change) minus cash refunded, and for
// every other tender what was taken minus refunded. Voided sales count
// nothing: their money went back.
func expectedByTender(ctx context.Context, tenantID uuid.UUID, sh Shift) (map[string]int64, error) {
	var rows []struct {
		Method string
		Amount int64
	}
	err := tenant.DB(ctx).Raw(`
		SELECT method, sum(amount)::bigint AS amount FROM (
			SELECT t.method, t.amount FROM pos_sale_tenders t
			JOIN pos_sales s ON s.tenant_id = t.tenant_id AND s.id = t.sale_id
			WHERE s.tenant_id = ? AND s.shift_id = ? AND s.status = 'completed'
			UNION ALL
			SELECT rt.method, -rt.amount FROM pos_return_tenders rt
			JOIN pos_returns r ON r.tenant_id = rt.tenant_id AND r.id = rt.return_id
			WHERE r.tenant_id = ? AND r.shift_id = ? AND r.kind = 'return'
		) m GROUP BY method`, tenantID, sh.ID, tenantID, sh.ID).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("pos: shift takings: %w", err)
	}
	out := map[string]int64{"cash": sh.OpeningFloat}
	for _, r := range rows {
		out[r.Method] += r.Amount
	}
	return out, nil
}

// drawerMethods are the tenders a cashier counts at close: money that sits
// in the till (finance.Tenders marks them), and card or scan-to-pay slips
// so the day's settlement can be matched; stored value, points and
// coupons are ledgers, not drawer contents.
func countable(method string) bool {
	t, ok := finance.TenderOf(method)
	return ok && t.Customer
}

// CloseShift takes the cashier's blind count and closes the shift. The
// cash variance (counted − expected) within the chain's tolerance posts at
// once to 现金短缺/溢余 on the shift's business date; a larger one leaves
// the shift pending a manager's approval (ApproveShift). The cash count is
// required. Errors: ErrNoShift, ErrShiftState, ErrBadShift.
func (s *Service) CloseShift(ctx context.Context, actor *tenant.Principal, till Till, in CloseShiftInput) (Shift, error) {
	var out Shift
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		sh, err := postgres.One[Shift](db, ErrNoShift, `SELECT `+shiftColumns+` FROM pos_shifts
			WHERE tenant_id = ? AND register_id = ? AND status = 'open' FOR UPDATE`, actor.TenantID, till.RegisterID)
		if err != nil {
			return err
		}
		if sh.CashierID != actor.UserID {
			return ErrShiftState.WithDetail("the shift belongs to another cashier; they close it, or a manager does from the console")
		}
		counted := map[string]int64{}
		var bad []problem.FieldError
		for i, c := range in.Counts {
			_, twice := counted[c.Method]
			switch {
			case !countable(c.Method):
				bad = append(bad, problem.FieldError{Field: fmt.Sprintf("counts[%d].method", i), Message: "is not a tender counted at close"})
			case twice:
				bad = append(bad, problem.FieldError{Field: fmt.Sprintf("counts[%d].method", i), Message: "is counted twice"})
			}
			counted[c.Method] = c.Counted
		}
		if !hasMethod(in.Counts, "cash") {
			bad = append(bad, problem.FieldError{Field: "counts", Message: "must include the cash count"})
		}
		if len(bad) > 0 {
			return ErrBadShift.WithFields(bad...)
		}
		expected, err := expectedByTender(ctx, actor.TenantID, sh)
		if err != nil {
			return err
		}
		methods := map[string]bool{}
		for m := range expected {
			methods[m] = true
		}
		for m := range counted {
			methods[m] = true
		}
		keys := make([]string, 0, len(methods))
		for m := range methods {
			keys = append(keys, m)
		}
		sort.Strings(keys)
		for _, m := range keys {
			if err := db.Exec(`INSERT INTO pos_shift_counts (tenant_id, shift_id, method, expected, counted) VALUES (?, ?, ?, ?, ?)`,
				actor.TenantID, sh.ID, m, expected[m], counted[m]).Error; err != nil {
				return fmt.Errorf("pos: shift count: %w", err)
			}
		}
		variance := counted["cash"] - expected["cash"]
		settings, err := s.Settings(ctx, actor.TenantID)
		if err != nil {
			return err
		}
		status := "closed"
		if abs(variance) > settings.VarianceTolerance {
			status = "pending_approval"
		}
		if err := db.Exec(`UPDATE pos_shifts SET status = ?, closed_at = ?, cash_variance = ?, note = ? WHERE tenant_id = ? AND id = ?`,
			status, s.clock.Now(), variance, in.Note, actor.TenantID, sh.ID).Error; err != nil {
			return fmt.Errorf("pos: close shift: %w", err)
		}
		if status == "closed" {
			if err := s.postVariance(ctx, actor.TenantID, sh, variance); err != nil {
				return err
			}
		}
		if out, err = getShift(ctx, actor.TenantID, sh.StoreID, sh.ID, false); err != nil {
			return err
		}
		if out.Counts, err = shiftCounts(ctx, actor.TenantID, sh.ID); err != nil {
			return err
		}
		return s.nameShift(ctx, actor.TenantID, &out)
	})
	return out, err
}

func hasMethod(cs []CountInput, m string) bool {
	for _, c := range cs {
		if c.Method == m {
			return true
		}
	}
	return false
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// ApproveShift is a manager's decision on a variance beyond tolerance:
// approved, it posts and the shift closes (audited either way, with the
// manager's note). Errors: ErrShiftNotFound, ErrShiftState.
func (s *Service) ApproveShift(ctx context.Context, actor *tenant.Principal, storeID, id uuid.UUID, note string) (Shift, error) {
	var out Shift
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		sh, err := getShift(ctx, actor.TenantID, storeID, id, true)
		if err != nil {
			return err
		}
		if sh.Status != "pending_approval" {
			return ErrShiftState.WithDetail("only a shift whose variance waits for approval can be approved (this one is %s)", sh.Status)
		}
		now := s.clock.Now()
		if err := tenant.DB(ctx).Exec(`UPDATE pos_shifts SET status = 'closed', approved_by = ?, approved_at = ?,
				note = CASE WHEN ? = '' THEN note ELSE note || E'\n' || ? END
			WHERE tenant_id = ? AND id = ?`, actor.UserID, now, note, note, actor.TenantID, id).Error; err != nil {
			return fmt.Errorf("pos: approve shift: %w", err)
		}
		if err := s.postVariance(ctx, actor.TenantID, sh, *sh.CashVariance); err != nil {
			return err
		}
		if err := audit.Record(ctx, audit.Entry{Action: "pos.shift_variance_approve", ObjectType: "pos_shift", ObjectID: id.String(),
			StoreID: &storeID, Detail: map[string]any{"cash_variance": *sh.CashVariance, "note": note}}); err != nil {
			return err
		}
		if out, err = getShift(ctx, actor.TenantID, storeID, id, false); err != nil {
			return err
		}
		if out.Counts, err = shiftCounts(ctx, actor.TenantID, id); err != nil {
			return err
		}
		return s.nameShift(ctx, actor.TenantID, &out)
	})
	return out, err
}

// postVariance books a shift's cash variance (nothing when it is zero).
func (s *Service) postVariance(ctx context.Context, tenantID uuid.UUID, sh Shift, variance int64) error {
	if variance == 0 {
		return nil
	}
	day, err := parseDay(sh.BusinessDate)
	if err != nil {
		return err
	}
	_, err = s.fin.PostCashVariance(ctx, tenantID, finance.CashVarianceEvent{
		Source: doc.Of("pos_shift", sh.ID), StoreID: sh.StoreID, BusinessDate: day, Amount: variance})
	return err
}
