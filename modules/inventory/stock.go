package inventory

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"chainstore/infra/doc"
	"chainstore/infra/money"
	"chainstore/infra/postgres"
	"chainstore/infra/problem"
	"chainstore/infra/web"
	"chainstore/modules/finance"
	"chainstore/tenant"
	"chainstore/tenant/audit"
)

// ── levels ──

// ListLevels returns a store's stock ordered by SKU id, each level with
// its SKU's code, name and unit (one statement).
func (s *Service) ListLevels(ctx context.Context, tenantID, storeID uuid.UUID, f LevelFilter, page web.Page) ([]Level, error) {
	var out []Level
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		if err := s.CheckStore(ctx, tenantID, storeID); err != nil {
			return err
		}
		q := tenant.DB(ctx).Table("stock_levels l").Select(levelColumns).
			Joins("JOIN skus s ON s.tenant_id = l.tenant_id AND s.id = l.sku_id").
			Joins(unitJoin).
			Where("l.tenant_id = ? AND l.store_id = ? AND l.sku_id > ?", tenantID, storeID, page.Cursor)
		if f.CategoryID != nil {
			q = q.Joins(`JOIN categories c ON c.tenant_id = p.tenant_id AND c.id = p.category_id AND c.path @> ARRAY[?]::uuid[]`, *f.CategoryID)
		}
		if f.BelowMin {
			q = q.Where("l.min_qty IS NOT NULL AND l.on_hand < l.min_qty")
		}
		if text := strings.TrimSpace(f.Query); text != "" {
			like := postgres.EscapeLike(text)
			q = q.Where(`(s.code ILIKE ? OR s.name ILIKE ? OR p.name ILIKE ?
				OR EXISTS (SELECT 1 FROM sku_barcodes b WHERE b.tenant_id = s.tenant_id AND b.sku_id = s.id AND b.barcode IN ?))`,
				like+"%", "%"+like+"%", "%"+like+"%", barcodeForms(text))
		}
		return q.Order("l.sku_id").Limit(page.Limit + 1).Scan(&out).Error
	})
	return out, err
}

// barcodeForms is what a scanned code may be stored as: itself, and for a
// 12-digit UPC-A its EAN-13 form (the catalog stores UPC-A with a leading
// 0).
func barcodeForms(code string) []string {
	if len(code) == 12 && strings.Trim(code, "0123456789") == "" {
		return []string{code, "0" + code}
	}
	return []string{code}
}

// GetLevel returns one SKU's stock in a store (a zero level if it never
// moved there), or org.ErrStoreNotFound / ErrSKUNotFound.
func (s *Service) GetLevel(ctx context.Context, tenantID, storeID, skuID uuid.UUID) (Level, error) {
	var out Level
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var err error
		out, err = s.getLevel(ctx, tenantID, storeID, skuID)
		return err
	})
	return out, err
}

func (s *Service) getLevel(ctx context.Context, tenantID, storeID, skuID uuid.UUID) (Level, error) {
	if err := s.CheckStore(ctx, tenantID, storeID); err != nil {
		return Level{}, err
	}
	var rows []Level
	err := tenant.DB(ctx).Raw(`SELECT ? AS store_id, s.id AS sku_id, s.code AS sku_code, s.name AS sku_name, `+unitColumns+`,
			coalesce(l.on_hand, 0) AS on_hand, coalesce(l.in_transit, 0) AS in_transit, coalesce(l.stock_value, 0) AS stock_value,
			coalesce(l.avg_cost, 0) AS avg_cost, l.min_qty, l.max_qty, coalesce(l.safety_qty, 0) AS safety_qty,
			coalesce(l.lead_time_days, 2) AS lead_time_days, l.last_sale_at, l.last_movement_at, coalesce(l.updated_at, s.created_at) AS updated_at
		FROM skus s `+unitJoin+`
			LEFT JOIN stock_levels l ON l.tenant_id = s.tenant_id AND l.sku_id = s.id AND l.store_id = ?
		WHERE s.tenant_id = ? AND s.id = ?`, storeID, storeID, tenantID, skuID).Scan(&rows).Error
	if err != nil {
		return Level{}, fmt.Errorf("inventory: get level: %w", err)
	}
	if len(rows) == 0 {
		return Level{}, ErrSKUNotFound
	}
	return rows[0], nil
}

// SetThresholds sets a SKU's min/max, safety stock and lead time in a
// store (audited).
func (s *Service) SetThresholds(ctx context.Context, actor *tenant.Principal, storeID, skuID uuid.UUID, in ThresholdsInput) (Level, error) {
	var out Level
	if in.MinQty != nil && in.MaxQty != nil && *in.MinQty > *in.MaxQty {
		return out, problem.ErrValidation.WithFields(problem.FieldError{Field: "max_qty", Message: "must not be below min_qty"})
	}
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		before, err := s.getLevel(ctx, actor.TenantID, storeID, skuID)
		if err != nil {
			return err
		}
		lead := before.LeadTimeDays
		if in.LeadTimeDays != nil {
			lead = *in.LeadTimeDays
		}
		// getLevel found the store and the SKU: the level exists after this.
		if err := db.Exec(`INSERT INTO stock_levels (tenant_id, store_id, sku_id, min_qty, max_qty, safety_qty, lead_time_days) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (tenant_id, store_id, sku_id) DO UPDATE SET min_qty = EXCLUDED.min_qty, max_qty = EXCLUDED.max_qty,
				safety_qty = EXCLUDED.safety_qty, lead_time_days = EXCLUDED.lead_time_days, updated_at = now(), version = stock_levels.version + 1`,
			actor.TenantID, storeID, skuID, in.MinQty, in.MaxQty, in.SafetyQty, lead).Error; err != nil {
			return fmt.Errorf("inventory: set thresholds: %w", err)
		}
		if out, err = s.getLevel(ctx, actor.TenantID, storeID, skuID); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "inventory.thresholds_update", ObjectType: "stock_level", ObjectID: skuID.String(), StoreID: &storeID,
			Detail: map[string]any{"sku_id": skuID, "min_qty": in.MinQty, "max_qty": in.MaxQty, "safety_qty": in.SafetyQty, "lead_time_days": lead}})
	})
	return out, err
}

// ListMovements returns a store's movements, newest first, each with its
// SKU's code and name (one statement).
func (s *Service) ListMovements(ctx context.Context, tenantID, storeID uuid.UUID, f MovementFilter, page web.Page) ([]Movement, error) {
	var out []Movement
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		if err := s.CheckStore(ctx, tenantID, storeID); err != nil {
			return err
		}
		q := tenant.DB(ctx).Table("stock_movements m").
			Select(`m.id, m.store_id, m.sku_id, s.code AS sku_code, s.name AS sku_name, m.kind, m.qty, m.cost_amount, m.unit_cost, m.on_hand_after,
				m.source_type, m.source_id, m.reason, m.user_id, m.occurred_at`).
			Joins("JOIN skus s ON s.tenant_id = m.tenant_id AND s.id = m.sku_id").
			Where("m.tenant_id = ? AND m.store_id = ?", tenantID, storeID)
		if f.SKUID != nil {
			q = q.Where("m.sku_id = ?", *f.SKUID)
		}
		if f.Kind != "" {
			q = q.Where("m.kind = ?", f.Kind)
		}
		if page.Cursor != uuid.Nil {
			q = q.Where("m.id < ?", page.Cursor)
		}
		return q.Order("m.id DESC").Limit(page.Limit + 1).Scan(&out).Error
	})
	return out, err
}

// ── movements ──

// Apply records one movement document: for each line (taken in SKU order)
// it checks the chain's negative-stock rule for issues, values the line at
// the moving average (issues) or the given cost (receipts), writes the
// movement, consumes or opens expiry lots and emits alert events on
// threshold crossings. It runs in the caller's transaction when ctx
// carries one (the POS calls it inside the sale's transaction). It returns
// one result per input line, in input order.
//
// Its cost does not grow with the lines: one statement locks every level
// the document touches, creating those that are missing, in SKU-id order
// (so concurrent multi-line sales never deadlock, and with negative stock
// off the check under that lock means concurrent sales of the last units
// never oversell); one reads the expiry lots when an issue takes from
// them; one writes the levels, movements, lots and alert events. The
// store's facts come from org, once per transaction.
//
// Apply posts nothing to the ledger: the caller owns the document and its
// money. The POS posts a sale with finance.PostSale (COGS = −Σ CostAmount
// of the results) and a return with finance.PostReturn (COGS = Σ
// CostAmount); purchasing posts its receipts with finance.PostGoodsReceipt
// (Dr inventory Σ CostAmount), all inside the same transaction and under
// the same doc.Source. The documents inventory owns (console movements,
// stocktakes, transfers) post their own entries.
//
// Errors: ErrBadMovement (422) for invalid input, org.ErrStoreNotFound,
// ErrSKUNotFound, and ErrInsufficientStock (409, naming the SKU and what
// is available) when negative stock is not allowed.
func (s *Service) Apply(ctx context.Context, tenantID uuid.UUID, in MoveInput) ([]MoveResult, error) {
	if err := validateMove(in); err != nil {
		return nil, err
	}
	var out []MoveResult
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var err error
		out, err = s.apply(ctx, tenantID, in)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func validateMove(in MoveInput) error {
	dir, ok := in.Kind.direction()
	var bad []problem.FieldError
	if !ok {
		bad = append(bad, problem.FieldError{Field: "kind", Message: "is not a movement kind"})
	}
	if in.StoreID == uuid.Nil {
		bad = append(bad, problem.FieldError{Field: "store_id", Message: "is required"})
	}
	if len(in.Lines) == 0 || len(in.Lines) > MaxLines {
		bad = append(bad, problem.FieldError{Field: "lines", Message: fmt.Sprintf("must have 1 to %d lines", MaxLines)})
	}
	if in.Source.Valid() != nil {
		bad = append(bad, problem.FieldError{Field: "source", Message: "must name its document: a type of 1-40 lowercase letters or '_', and an id"})
	}
	if len(in.Reason) > 500 || !web.IsText(in.Reason) {
		bad = append(bad, problem.FieldError{Field: "reason", Message: "must be printable text of at most 500 characters"})
	}
	for i, l := range in.Lines {
		f := func(name string) string { return fmt.Sprintf("lines[%d].%s", i, name) }
		if l.SKUID == uuid.Nil {
			bad = append(bad, problem.FieldError{Field: f("sku_id"), Message: "is required"})
		}
		switch {
		case l.Qty == 0 || l.Qty > MaxQty || l.Qty < -MaxQty:
			bad = append(bad, problem.FieldError{Field: f("qty"), Message: "must be non-zero and at most 1e12 in magnitude"})
		case dir != 0 && l.Qty < 0:
			bad = append(bad, problem.FieldError{Field: f("qty"), Message: "must be positive for a " + string(in.Kind)})
		}
		inbound := dir > 0 || (dir == 0 && l.Qty > 0)
		if l.UnitCost != nil && (*l.UnitCost < 0 || *l.UnitCost > MaxUnitCost) {
			bad = append(bad, problem.FieldError{Field: f("unit_cost"), Message: "must be from 0 to 1e10 fen"})
		}
		if l.Value != nil && (*l.Value < 0 || *l.Value > MaxQty) {
			bad = append(bad, problem.FieldError{Field: f("value"), Message: "must be from 0 to 1e12 fen"})
		}
		if (l.UnitCost != nil || l.Value != nil || l.ExpiryDate != nil || len(l.Lots) > 0) && !inbound {
			bad = append(bad, problem.FieldError{Field: f("unit_cost"), Message: "only stock coming in carries a cost or an expiry date"})
		}
		if l.ExpiryDate != nil && !storableDate(*l.ExpiryDate) {
			bad = append(bad, problem.FieldError{Field: f("expiry_date"), Message: "must be a date from year 1 to 9999"})
		}
		if len(l.Lots) > 0 {
			var sum int64
			for j, lot := range l.Lots {
				if lot.Qty <= 0 || lot.Qty > MaxQty || lot.ExpiryDate.IsZero() || !storableDate(lot.ExpiryDate) {
					bad = append(bad, problem.FieldError{Field: f(fmt.Sprintf("lots[%d]", j)), Message: "needs an expiry date and a positive quantity"})
				}
				sum += min(max(lot.Qty, 0), MaxQty)
			}
			if sum > abs(l.Qty) || l.ExpiryDate != nil {
				bad = append(bad, problem.FieldError{Field: f("lots"), Message: "must not hold more than the line, nor come with expiry_date"})
			}
		}
	}
	if len(bad) > 0 {
		return ErrBadMovement.WithFields(bad...)
	}
	return nil
}

// level is a stock level while Apply works on it: locked first, moved
// line by line in memory (a document may name a SKU twice), written once.
type level struct {
	SKUID         uuid.UUID `gorm:"column:sku_id"`
	OnHand        int64
	StockValue    int64
	AvgCost       int64
	LotQty        int64
	MinQty        *int64
	MaxQty        *int64
	AllowNegative bool
	// lots are the open expiry lots, earliest expiry first: those in the
	// database (read only when an issue takes from them) and those this
	// document opens.
	lots []*lot
}

// lot is an open expiry lot.
type lot struct {
	ID           uuid.UUID
	ExpiryDate   time.Time
	ReceivedQty  int64
	RemainingQty int64
	MovementID   uuid.UUID // the movement that opened it
	touched      bool      // opened or taken from by this document
}

// take consumes up to qty from the level's lots, earliest expiry first,
// and returns what it took per expiry date (in date order).
func (lv *level) take(qty int64) []LotQty {
	var out []LotQty
	for _, o := range lv.lots {
		if qty == 0 {
			break
		}
		t := min(o.RemainingQty, qty)
		if t == 0 {
			continue
		}
		o.RemainingQty -= t
		o.touched = true
		qty -= t
		if n := len(out); n > 0 && out[n-1].ExpiryDate.Equal(o.ExpiryDate) {
			out[n-1].Qty += t
		} else {
			out = append(out, LotQty{ExpiryDate: o.ExpiryDate, Qty: t})
		}
	}
	return out
}

// open adds a lot after those expiring on or before it.
func (lv *level) open(o *lot) {
	i := len(lv.lots)
	for i > 0 && lv.lots[i-1].ExpiryDate.After(o.ExpiryDate) {
		i--
	}
	lv.lots = slices.Insert(lv.lots, i, o)
}

// dateOf is t's calendar date (in t's own location) as midnight UTC, how
// expiry dates are kept and compared.
func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// value is what a movement of delta moves (signed) and, for stock coming
// in, the goods at their own cost: an issue takes round(value × qty ÷ on
// hand), so the one that empties the shelf takes exactly what is left,
// and beyond zero (or from empty) the last moving average; stock coming in
// is worth its value, its unit cost or else the moving average, and first
// settles negative stock at the value it was booked at.
func (lv *level) value(delta int64, l MoveLine) (cost, incoming int64) {
	newOnHand := lv.OnHand + delta
	if delta < 0 {
		q := -delta
		switch {
		case lv.OnHand > 0 && q <= lv.OnHand:
			return -money.MulDiv(lv.StockValue, q, lv.OnHand), 0
		case lv.OnHand > 0:
			return -(lv.StockValue + money.MulDiv(q-lv.OnHand, lv.AvgCost, 1000)), 0
		default:
			return -money.MulDiv(q, lv.AvgCost, 1000), 0
		}
	}
	switch {
	case l.Value != nil:
		incoming = *l.Value
	case l.UnitCost != nil:
		incoming = money.MulDiv(delta, *l.UnitCost, 1000)
	default:
		incoming = money.MulDiv(delta, lv.AvgCost, 1000)
	}
	switch {
	case lv.OnHand >= 0:
		return incoming, incoming
	case newOnHand <= 0:
		// Still negative: the units coming in settle negative stock at the
		// value it was booked at.
		return money.MulDiv(lv.StockValue, newOnHand, lv.OnHand) - lv.StockValue, incoming
	default:
		// Through zero: clear the negative value, keep the rest at the
		// incoming cost.
		return -lv.StockValue + money.MulDiv(incoming, newOnHand, delta), incoming
	}
}

type alertEvent struct {
	kind      string
	threshold *int64
}

// crossings are the thresholds a movement from before to after on hand
// crossed: into out of stock, below min, or above max. Staying below min
// crosses nothing, so a run of sales makes one event.
func crossings(before level, after int64) []alertEvent {
	var evs []alertEvent
	switch {
	case before.OnHand > 0 && after <= 0:
		evs = append(evs, alertEvent{"out_of_stock", nil})
	case before.MinQty != nil && before.OnHand >= *before.MinQty && after < *before.MinQty:
		evs = append(evs, alertEvent{"low_stock", before.MinQty})
	}
	if before.MaxQty != nil && before.OnHand <= *before.MaxQty && after > *before.MaxQty {
		evs = append(evs, alertEvent{"overstock", before.MaxQty})
	}
	return evs
}

func (s *Service) apply(ctx context.Context, tenantID uuid.UUID, in MoveInput) ([]MoveResult, error) {
	db := tenant.DB(ctx)
	dir, _ := in.Kind.direction()
	at := in.OccurredAt
	if at.IsZero() {
		at = s.clock.Now()
	}
	if err := s.CheckStore(ctx, tenantID, in.StoreID); err != nil {
		return nil, err
	}
	order := make([]int, len(in.Lines))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return bytes.Compare(in.Lines[a].SKUID[:], in.Lines[b].SKUID[:]) })
	// The SKUs in order, and whether a line issues them (their lots are
	// read if they have any).
	var skus []uuid.UUID
	var issues []bool
	for _, i := range order {
		l := in.Lines[i]
		if n := len(skus); n == 0 || skus[n-1] != l.SKUID {
			skus, issues = append(skus, l.SKUID), append(issues, false)
		}
		if dir < 0 || (dir == 0 && l.Qty < 0) {
			issues[len(issues)-1] = true
		}
	}
	levels, err := lockLevels(db, tenantID, in.StoreID, skus)
	if err != nil {
		return nil, err
	}
	var lotSKUs []uuid.UUID
	for i, sku := range skus {
		lv, ok := levels[sku]
		if !ok {
			return nil, ErrSKUNotFound.WithDetail("SKU %s is not in this chain's catalog", sku)
		}
		if issues[i] && lv.LotQty > 0 {
			lotSKUs = append(lotSKUs, sku)
		}
	}
	if len(lotSKUs) > 0 {
		if err := readLots(db, tenantID, in.StoreID, lotSKUs, levels); err != nil {
			return nil, err
		}
	}

	var w moveWrite
	out := make([]MoveResult, len(in.Lines))
	for _, i := range order {
		l := in.Lines[i]
		lv := levels[l.SKUID]
		before := *lv
		delta := l.Qty
		if dir != 0 {
			delta = dir * l.Qty
		}
		newOnHand := lv.OnHand + delta
		belowZero := delta < 0 && in.Kind != KindAdjustment && in.Kind != KindStocktake && !lv.AllowNegative && lv.OnHand < -delta
		if belowZero && !in.Happened {
			avail := max(lv.OnHand, 0)
			return nil, ErrInsufficientStock.WithDetail("SKU %s has %d available; %d asked", l.SKUID, avail, -delta).
				WithFields(problem.FieldError{Field: fmt.Sprintf("lines[%d].qty", i), Message: fmt.Sprintf("only %d available", avail)})
		}
		cost, incoming := lv.value(delta, l)
		if !within(cost, MaxValue) || !within(lv.StockValue+cost, MaxValue) || !within(newOnHand, MaxOnHand) {
			return nil, ErrBadMovement.WithDetail("SKU %s: the line would move or leave more than the largest stock a level holds", l.SKUID).
				WithFields(problem.FieldError{Field: fmt.Sprintf("lines[%d].qty", i),
					Message: fmt.Sprintf("would take the stock beyond %d fen or %d thousandths", int64(MaxValue), int64(MaxOnHand))})
		}
		newValue := lv.StockValue + cost
		newAvg := lv.AvgCost
		if newOnHand > 0 {
			newAvg = max(money.MulDiv(newValue, 1000, newOnHand), 0)
		} else if delta > 0 && (l.UnitCost != nil || l.Value != nil) {
			newAvg = max(money.MulDiv(abs(cost), 1000, delta), 0)
		}
		unitCost := money.MulDiv(abs(cost), 1000, abs(delta))
		id := uuid.Must(uuid.NewV7())
		// Lots: issues consume first-expiring-first; dated receipts open one.
		var taken []LotQty
		if delta < 0 && lv.LotQty > 0 {
			taken = lv.take(min(-delta, lv.LotQty))
			for _, t := range taken {
				lv.LotQty -= t.Qty
			}
		}
		if delta > 0 {
			opens := l.Lots
			if l.ExpiryDate != nil {
				opens = []LotQty{{ExpiryDate: *l.ExpiryDate, Qty: delta}}
			}
			for _, o := range opens {
				lv.open(&lot{ID: uuid.Must(uuid.NewV7()), ExpiryDate: dateOf(o.ExpiryDate), ReceivedQty: o.Qty, RemainingQty: o.Qty, MovementID: id, touched: true})
				lv.LotQty += o.Qty
			}
		}
		lv.OnHand, lv.StockValue, lv.AvgCost = newOnHand, newValue, newAvg
		w.movements.add(id.String(), l.SKUID.String(), i64(delta), i64(cost), i64(unitCost), i64(newOnHand))
		for _, e := range crossings(before, newOnHand) {
			w.alerts.add(uuid.Must(uuid.NewV7()).String(), l.SKUID.String(), quoted(e.kind), i64(newOnHand), optI64(e.threshold))
		}
		out[i] = MoveResult{SKUID: l.SKUID, MovementID: id, Qty: delta, CostAmount: cost, UnitCost: unitCost, OnHandAfter: newOnHand,
			GoodsValue: incoming, Lots: taken, BelowZero: belowZero}
	}
	for _, sku := range skus {
		lv := levels[sku]
		w.levels.add(sku.String(), i64(lv.OnHand), i64(lv.StockValue), i64(lv.AvgCost), i64(lv.LotQty))
		for _, o := range lv.lots {
			if o.touched {
				w.lots.add(o.ID.String(), sku.String(), o.ExpiryDate.Format(time.DateOnly), i64(o.ReceivedQty), i64(o.RemainingQty), o.MovementID.String())
			}
		}
	}
	var lastSale *time.Time
	if in.Kind == KindSale {
		lastSale = &at
	}
	if err := w.exec(db, tenantID, in, at, lastSale); err != nil {
		return nil, err
	}
	return out, nil
}

// lockLevels locks the store's levels of skus (sorted, distinct), in that
// order, creating the missing ones, and returns them with the chain's
// negative-stock rule, in one statement. The upsert takes its rows in the
// order they are selected and either inserts a level or locks the one
// there (the no-op update, which also returns its current values), so
// every document takes its row locks in SKU-id order whether its levels
// existed or not, and two documents never wait on each other in a cycle.
// SKUs that are not the chain's are left out. Each key is looked up
// through LATERAL … LIMIT 1, a probe of the primary key that the planner
// cannot turn into a scan, whatever its statistics say.
func lockLevels(db *gorm.DB, tenantID, storeID uuid.UUID, skus []uuid.UUID) (map[uuid.UUID]*level, error) {
	var rows []level
	if err := db.Raw(`WITH locked AS (
			INSERT INTO stock_levels AS l (tenant_id, store_id, sku_id)
			SELECT s.tenant_id, ?, s.id
			FROM unnest(?::uuid[]) AS k(sku_id)
				CROSS JOIN LATERAL (SELECT tenant_id, id FROM skus WHERE tenant_id = ? AND id = k.sku_id LIMIT 1) s
			ORDER BY k.sku_id
			ON CONFLICT (tenant_id, store_id, sku_id) DO UPDATE SET version = l.version
			RETURNING l.sku_id, l.on_hand, l.stock_value, l.avg_cost, l.lot_qty, l.min_qty, l.max_qty)
		SELECT locked.*, coalesce((SELECT allow_negative_stock FROM inventory_settings WHERE tenant_id = ?), true) AS allow_negative
		FROM locked`, storeID, uuidArray(skus), tenantID, tenantID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("inventory: lock levels: %w", err)
	}
	out := make(map[uuid.UUID]*level, len(rows))
	for i := range rows {
		out[rows[i].SKUID] = &rows[i]
	}
	return out, nil
}

// readLots reads the open lots of skus into their locked levels, earliest
// expiry first, in one statement. Lots change only under their level's
// lock, so this statement, after the lock, sees what the document works
// on; a job that marks lots alerted locks them in the same order.
func readLots(db *gorm.DB, tenantID, storeID uuid.UUID, skus []uuid.UUID, levels map[uuid.UUID]*level) error {
	var rows []struct {
		SKUID        uuid.UUID `gorm:"column:sku_id"`
		ID           uuid.UUID
		ExpiryDate   time.Time
		ReceivedQty  int64
		RemainingQty int64
		MovementID   uuid.UUID
	}
	if err := db.Raw(`SELECT o.sku_id, o.id, o.expiry_date, o.received_qty, o.remaining_qty, o.movement_id
		FROM unnest(?::uuid[]) AS k(sku_id)
			CROSS JOIN LATERAL (SELECT * FROM stock_lots WHERE tenant_id = ? AND store_id = ? AND sku_id = k.sku_id AND remaining_qty > 0
				OFFSET 0) o -- OFFSET 0 keeps it a probe per SKU, never a join over the store's lots
		ORDER BY o.sku_id, o.expiry_date, o.id`, uuidArray(skus), tenantID, storeID).Scan(&rows).Error; err != nil {
		return fmt.Errorf("inventory: read lots: %w", err)
	}
	for _, r := range rows {
		lv := levels[r.SKUID]
		lv.lots = append(lv.lots, &lot{ID: r.ID, ExpiryDate: dateOf(r.ExpiryDate), ReceivedQty: r.ReceivedQty, RemainingQty: r.RemainingQty, MovementID: r.MovementID})
	}
	return nil
}

// moveWrite gathers what a document writes, column by column, for one
// statement: the levels (once per SKU), the movements (one per line), the
// lots taken from or opened, and the alert events.
type moveWrite struct {
	levels    columns // sku_id, on_hand, stock_value, avg_cost, lot_qty
	movements columns // id, sku_id, qty, cost_amount, unit_cost, on_hand_after
	lots      columns // id, sku_id, expiry_date, received_qty, remaining_qty, movement_id
	alerts    columns // id, sku_id, kind, qty, threshold
}

// writeMoves is the one statement that writes a document, whatever its
// number of lines (every row set is an unnest of array parameters, so the
// text, and the plan the driver prepares for it, stay the same). Levels
// (all locked by lockLevels) and lots (those taken from, locked under
// their level, and those opened) are written by upserts, so each row is
// found by its primary key whatever the planner guesses of the arrays'
// size or the table's: an UPDATE … FROM unnest scanned a whole store's
// levels on a table without statistics.
const writeMoves = `WITH levels AS (
		INSERT INTO stock_levels AS l (tenant_id, store_id, sku_id, on_hand, stock_value, avg_cost, lot_qty, last_sale_at, last_movement_at)
		SELECT ?, ?, v.sku_id, v.on_hand, v.stock_value, v.avg_cost, v.lot_qty, ?::timestamptz, ?
		FROM unnest(?::uuid[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[]) AS v(sku_id, on_hand, stock_value, avg_cost, lot_qty)
		ON CONFLICT (tenant_id, store_id, sku_id) DO UPDATE SET on_hand = EXCLUDED.on_hand, stock_value = EXCLUDED.stock_value,
			avg_cost = EXCLUDED.avg_cost, lot_qty = EXCLUDED.lot_qty, last_sale_at = coalesce(EXCLUDED.last_sale_at, l.last_sale_at),
			last_movement_at = EXCLUDED.last_movement_at, version = l.version + 1, updated_at = now()),
	movements AS (
		INSERT INTO stock_movements (tenant_id, id, store_id, sku_id, kind, qty, cost_amount, unit_cost, on_hand_after,
			source_type, source_id, reason, user_id, occurred_at)
		SELECT ?, v.id, ?, v.sku_id, ?, v.qty, v.cost_amount, v.unit_cost, v.on_hand_after, ?, ?, ?, ?, ?
		FROM unnest(?::uuid[], ?::uuid[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[]) AS v(id, sku_id, qty, cost_amount, unit_cost, on_hand_after)),
	lots AS (
		INSERT INTO stock_lots AS o (tenant_id, id, store_id, sku_id, expiry_date, received_qty, remaining_qty, movement_id, received_at)
		SELECT ?, v.id, ?, v.sku_id, v.expiry_date, v.received_qty, v.remaining_qty, v.movement_id, ?
		FROM unnest(?::uuid[], ?::uuid[], ?::date[], ?::bigint[], ?::bigint[], ?::uuid[]) AS v(id, sku_id, expiry_date, received_qty, remaining_qty, movement_id)
		ON CONFLICT (tenant_id, id) DO UPDATE SET remaining_qty = EXCLUDED.remaining_qty),
	alerts AS (
		INSERT INTO inventory_alert_events (tenant_id, id, store_id, sku_id, kind, qty, threshold, created_at)
		SELECT ?, v.id, ?, v.sku_id, v.kind, v.qty, v.threshold, ?
		FROM unnest(?::uuid[], ?::uuid[], ?::text[], ?::bigint[], ?::bigint[]) AS v(id, sku_id, kind, qty, threshold))
	SELECT 1`

func (w *moveWrite) exec(db *gorm.DB, tenantID uuid.UUID, in MoveInput, at time.Time, lastSale *time.Time) error {
	args := []any{tenantID, in.StoreID, lastSale, at}
	args = append(args, w.levels.arrays(5)...)
	args = append(args, tenantID, in.StoreID, string(in.Kind), in.Source.Type, in.Source.ID, in.Reason, in.UserID, at)
	args = append(args, w.movements.arrays(6)...)
	args = append(args, tenantID, in.StoreID, at)
	args = append(args, w.lots.arrays(6)...)
	args = append(args, tenantID, in.StoreID, at)
	args = append(args, w.alerts.arrays(5)...)
	if err := db.Exec(writeMoves, args...).Error; err != nil {
		return fmt.Errorf("inventory: write movements: %w", err)
	}
	return nil
}

// columns holds rows column by column, as PostgreSQL array literals are
// written: GORM expands a Go slice into a list, so a multi-row write
// passes one array literal per column and unnests them.
type columns [][]string

// add appends one row.
func (c *columns) add(row ...string) {
	if *c == nil {
		*c = make(columns, len(row))
	}
	for i, v := range row {
		(*c)[i] = append((*c)[i], v)
	}
}

// arrays returns the n columns as array literals ('{}' when empty).
func (c columns) arrays(n int) []any {
	out := make([]any, n)
	for i := range out {
		var col []string
		if i < len(c) {
			col = c[i]
		}
		out[i] = "{" + strings.Join(col, ",") + "}"
	}
	return out
}

// uuidArray renders ids as a PostgreSQL array literal.
func uuidArray(ids []uuid.UUID) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = id.String()
	}
	return "{" + strings.Join(parts, ",") + "}"
}

func i64(v int64) string { return strconv.FormatInt(v, 10) }

// optI64 is v, or NULL.
func optI64(v *int64) string {
	if v == nil {
		return "NULL"
	}
	return i64(*v)
}

// quoted is s as a quoted element of an array literal.
func quoted(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// ── console movements ──

// Document types of the console's stock documents (ApplyManual): one per
// movement kind, named the same by the document's movements and by the
// journal entry it posts (the journal's source types of these rules).
const (
	DocStockReceipt    = "stock_receipt"    // goods received without a purchase order
	DocStockReturn     = "stock_return"     // goods a customer returned (the refund is the POS's document)
	DocStockAdjustment = "stock_adjustment" // a correction of the book quantity
	DocWriteOff        = "write_off"        // damaged or expired goods written off
)

// consoleDocs maps a console movement kind to its document type.
var consoleDocs = map[Kind]string{
	KindReceipt: DocStockReceipt, KindReturn: DocStockReturn, KindAdjustment: DocStockAdjustment,
	KindDamage: DocWriteOff, KindExpiry: DocWriteOff,
}

// ApplyManual records a movement entered in the console (receipt, return,
// adjustment, write-off) as one document, doc.Of(DocStockReceipt…, a new
// id), and posts it to the ledger under the same document in the same
// transaction (see postManual), dated the store's day of the movement;
// adjustments and write-offs are audited.
func (s *Service) ApplyManual(ctx context.Context, actor *tenant.Principal, in ManualMovementInput) ([]MoveResult, error) {
	kind := Kind(in.Kind)
	mv := MoveInput{StoreID: in.StoreID, Kind: kind, Reason: in.Reason, UserID: &actor.UserID,
		Source: doc.Of(consoleDocs[kind], uuid.Must(uuid.NewV7())), OccurredAt: s.clock.Now()}
	var bad []problem.FieldError
	for i, l := range in.Lines {
		ml := MoveLine{SKUID: l.SKUID, Qty: l.Qty, UnitCost: l.UnitCost}
		if l.ExpiryDate != nil {
			d, err := time.Parse(time.DateOnly, *l.ExpiryDate)
			if err != nil {
				bad = append(bad, problem.FieldError{Field: fmt.Sprintf("lines[%d].expiry_date", i), Message: "must be a date (YYYY-MM-DD)"})
			}
			ml.ExpiryDate = &d
		}
		mv.Lines = append(mv.Lines, ml)
	}
	if (kind == KindAdjustment || kind == KindDamage || kind == KindExpiry) && strings.TrimSpace(in.Reason) == "" {
		bad = append(bad, problem.FieldError{Field: "reason", Message: "is required for adjustments and write-offs"})
	}
	if len(bad) > 0 {
		return nil, ErrBadMovement.WithFields(bad...)
	}
	var out []MoveResult
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		var err error
		if out, err = s.Apply(ctx, actor.TenantID, mv); err != nil {
			return err
		}
		if err := s.postManual(ctx, actor.TenantID, mv, out); err != nil {
			return err
		}
		if kind == KindReceipt || kind == KindReturn {
			return nil
		}
		return audit.Record(ctx, audit.Entry{Action: "inventory." + in.Kind, ObjectType: "stock_movement", ObjectID: out[0].MovementID.String(),
			StoreID: &in.StoreID, Detail: map[string]any{"reason": in.Reason, "lines": out}})
	})
	return out, err
}

// postManual posts a console movement document at the value its
// movements moved, under the document's own Source:
//   - receipt: Dr 库存商品 / Cr 应付账款—暂估应付 (no supplier until
//     purchasing exists; the accrual is cleared when an invoice is matched);
//   - return: stock back at cost against cost of goods sold (the refund is
//     the POS's document);
//   - adjustment: gain or loss against 管理费用, like a stocktake variance;
//   - damage, expiry: finance.PostWriteOff (营业外支出).
func (s *Service) postManual(ctx context.Context, tenantID uuid.UUID, mv MoveInput, res []MoveResult) error {
	var value, goods int64
	for _, r := range res {
		value += r.CostAmount
		goods += r.GoodsValue
	}
	date, err := s.businessDate(ctx, tenantID, mv.StoreID, mv.OccurredAt)
	if err != nil {
		return err
	}
	switch mv.Kind {
	case KindReceipt:
		_, err = s.fin.PostStockReceipt(ctx, tenantID, finance.StockReceiptEvent{Source: mv.Source, StoreID: mv.StoreID, BusinessDate: date, Inventory: value, Goods: goods})
	case KindReturn:
		_, err = s.fin.PostStockReturn(ctx, tenantID, finance.StockValueEvent{Source: mv.Source, StoreID: mv.StoreID, BusinessDate: date, Amount: value})
	case KindAdjustment:
		_, err = s.fin.PostStockAdjustment(ctx, tenantID, finance.StockValueEvent{Source: mv.Source, StoreID: mv.StoreID, BusinessDate: date, Amount: value})
	case KindDamage, KindExpiry:
		if value != 0 {
			_, err = s.fin.PostWriteOff(ctx, tenantID, finance.WriteOffEvent{Source: mv.Source, StoreID: mv.StoreID, BusinessDate: date, Amount: -value})
		}
	}
	return err
}
