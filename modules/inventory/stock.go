package inventory

import (
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
	"chainstore/infra/problem"
	"chainstore/infra/web"
	"chainstore/modules/finance"
	"chainstore/tenant"
	"chainstore/tenant/audit"
)

// ── levels ──

// ListLevels returns a store's stock ordered by SKU id.
func (s *Service) ListLevels(ctx context.Context, tenantID, storeID uuid.UUID, f LevelFilter, page web.Page) ([]Level, error) {
	var out []Level
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		if err := s.CheckStore(ctx, tenantID, storeID); err != nil {
			return err
		}
		q := tenant.DB(ctx).Table("stock_levels l").Select(levelColumns).
			Joins("JOIN skus s ON s.tenant_id = l.tenant_id AND s.id = l.sku_id").
			Where("l.tenant_id = ? AND l.store_id = ? AND l.sku_id > ?", tenantID, storeID, page.Cursor)
		if f.CategoryID != nil {
			q = q.Joins(`JOIN products p ON p.tenant_id = s.tenant_id AND p.id = s.product_id
				JOIN categories c ON c.tenant_id = p.tenant_id AND c.id = p.category_id AND c.path @> ARRAY[?]::uuid[]`, *f.CategoryID)
		}
		if f.BelowMin {
			q = q.Where("l.min_qty IS NOT NULL AND l.on_hand < l.min_qty")
		}
		return q.Order("l.sku_id").Limit(page.Limit + 1).Scan(&out).Error
	})
	return out, err
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
	err := tenant.DB(ctx).Raw(`SELECT ? AS store_id, s.id AS sku_id, s.code AS sku_code, s.name AS sku_name,
			coalesce(l.on_hand, 0) AS on_hand, coalesce(l.in_transit, 0) AS in_transit, coalesce(l.stock_value, 0) AS stock_value,
			coalesce(l.avg_cost, 0) AS avg_cost, l.min_qty, l.max_qty, coalesce(l.safety_qty, 0) AS safety_qty,
			coalesce(l.lead_time_days, 2) AS lead_time_days, l.last_sale_at, l.last_movement_at, coalesce(l.updated_at, s.created_at) AS updated_at
		FROM skus s LEFT JOIN stock_levels l ON l.tenant_id = s.tenant_id AND l.sku_id = s.id AND l.store_id = ?
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

// ListMovements returns a store's movements, newest first.
func (s *Service) ListMovements(ctx context.Context, tenantID, storeID uuid.UUID, f MovementFilter, page web.Page) ([]Movement, error) {
	var out []Movement
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		if err := s.CheckStore(ctx, tenantID, storeID); err != nil {
			return err
		}
		q := tenant.DB(ctx).Table("stock_movements").
			Select(`id, store_id, sku_id, kind, qty, cost_amount, unit_cost, on_hand_after, source_type, source_id, reason, user_id, occurred_at`).
			Where("tenant_id = ? AND store_id = ?", tenantID, storeID)
		if f.SKUID != nil {
			q = q.Where("sku_id = ?", *f.SKUID)
		}
		if f.Kind != "" {
			q = q.Where("kind = ?", f.Kind)
		}
		if page.Cursor != uuid.Nil {
			q = q.Where("id < ?", page.Cursor)
		}
		return q.Order("id DESC").Limit(page.Limit + 1).Scan(&out).Error
	})
	return out, err
}

// ── movements ──

// Apply records one movement document: for each line (taken in SKU order,
// so concurrent multi-line sales never deadlock) it locks the level, checks
// the chain's negative-stock rule for issues, values the line at the moving
// average (issues) or the given cost (receipts), writes the movement,
// consumes or opens expiry lots and emits alert events on threshold
// crossings. It runs in the caller's transaction when ctx carries one (the
// POS calls it inside the sale's transaction). It returns one result per
// input line, in input order. The store's facts come from org, once per
// transaction.
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

type lockedLevel struct {
	OnHand        int64
	StockValue    int64
	AvgCost       int64
	LotQty        int64
	MinQty        *int64
	MaxQty        *int64
	AllowNegative bool
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
	slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(in.Lines[a].SKUID.String(), in.Lines[b].SKUID.String()) })

	out := make([]MoveResult, len(in.Lines))
	for _, i := range order {
		l := in.Lines[i]
		lv, err := lockLevel(db, tenantID, in.StoreID, l.SKUID)
		if err != nil {
			return nil, err
		}
		delta := l.Qty
		if dir != 0 {
			delta = dir * l.Qty
		}
		var cost int64     // signed value moved
		var incoming int64 // inbound: the goods at their own cost
		newOnHand := lv.OnHand + delta
		if delta > 0 {
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
				cost = incoming
			case newOnHand <= 0:
				// Still negative: the units coming in settle negative stock
				// at the value it was booked at.
				cost = money.MulDiv(lv.StockValue, newOnHand, lv.OnHand) - lv.StockValue
			default:
				// Through zero: clear the negative value, keep the rest at
				// the incoming cost.
				cost = -lv.StockValue + money.MulDiv(incoming, newOnHand, delta)
			}
		} else {
			q := -delta
			if in.Kind != KindAdjustment && in.Kind != KindStocktake && !lv.AllowNegative && lv.OnHand < q {
				avail := max(lv.OnHand, 0)
				return nil, ErrInsufficientStock.WithDetail("SKU %s has %d available; %d asked", l.SKUID, avail, q).
					WithFields(problem.FieldError{Field: fmt.Sprintf("lines[%d].qty", i), Message: fmt.Sprintf("only %d available", avail)})
			}
			var issued int64
			switch {
			case lv.OnHand > 0 && q <= lv.OnHand:
				issued = money.MulDiv(lv.StockValue, q, lv.OnHand)
			case lv.OnHand > 0:
				issued = lv.StockValue + money.MulDiv(q-lv.OnHand, lv.AvgCost, 1000)
			default:
				issued = money.MulDiv(q, lv.AvgCost, 1000)
			}
			cost = -issued
		}
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
		// Lots: issues consume first-expiring-first; dated receipts open one.
		newLots := lv.LotQty
		var taken []LotQty
		if delta < 0 && lv.LotQty > 0 {
			if taken, err = consumeLots(db, tenantID, in.StoreID, l.SKUID, min(-delta, lv.LotQty)); err != nil {
				return nil, err
			}
			for _, t := range taken {
				newLots -= t.Qty
			}
		}
		opens := l.Lots
		if delta > 0 && l.ExpiryDate != nil {
			opens = []LotQty{{ExpiryDate: *l.ExpiryDate, Qty: delta}}
		}
		if delta < 0 {
			opens = nil
		}
		for _, o := range opens {
			newLots += o.Qty
		}
		id := uuid.Must(uuid.NewV7())
		var lastSale any
		if in.Kind == KindSale {
			lastSale = at
		}
		err = db.Exec(`WITH u AS (
				UPDATE stock_levels SET on_hand = ?, stock_value = ?, avg_cost = ?, lot_qty = ?,
					last_sale_at = coalesce(?::timestamptz, last_sale_at), last_movement_at = ?, version = version + 1, updated_at = now()
				WHERE tenant_id = ? AND store_id = ? AND sku_id = ? RETURNING tenant_id)
			INSERT INTO stock_movements (tenant_id, id, store_id, sku_id, kind, qty, cost_amount, unit_cost, on_hand_after,
				source_type, source_id, reason, user_id, occurred_at)
			SELECT tenant_id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM u`,
			newOnHand, newValue, newAvg, newLots, lastSale, at, tenantID, in.StoreID, l.SKUID,
			id, in.StoreID, l.SKUID, string(in.Kind), delta, cost, unitCost, newOnHand,
			in.Source.Type, in.Source.ID, in.Reason, in.UserID, at).Error
		if err != nil {
			return nil, fmt.Errorf("inventory: write movement: %w", err)
		}
		for _, o := range opens {
			if err := db.Exec(`INSERT INTO stock_lots (tenant_id, id, store_id, sku_id, expiry_date, received_qty, remaining_qty, movement_id, received_at)
				VALUES (?, ?, ?, ?, ?::date, ?, ?, ?, ?)`, tenantID, uuid.Must(uuid.NewV7()), in.StoreID, l.SKUID,
				o.ExpiryDate.Format(time.DateOnly), o.Qty, o.Qty, id, at).Error; err != nil {
				return nil, fmt.Errorf("inventory: open lot: %w", err)
			}
		}
		if err := emitCrossings(db, tenantID, in.StoreID, l.SKUID, lv, newOnHand, at); err != nil {
			return nil, err
		}
		out[i] = MoveResult{SKUID: l.SKUID, MovementID: id, Qty: delta, CostAmount: cost, UnitCost: unitCost, OnHandAfter: newOnHand,
			GoodsValue: incoming, Lots: taken}
	}
	return out, nil
}

// lockLevel locks (store, sku)'s level, creating it on first touch (the
// store is known to be the chain's), and reads the chain's negative-stock
// rule in the same round trip.
func lockLevel(db *gorm.DB, tenantID, storeID, skuID uuid.UUID) (lockedLevel, error) {
	const q = `SELECT l.on_hand, l.stock_value, l.avg_cost, l.lot_qty, l.min_qty, l.max_qty,
			coalesce((SELECT allow_negative_stock FROM inventory_settings WHERE tenant_id = l.tenant_id), true) AS allow_negative
		FROM stock_levels l WHERE l.tenant_id = ? AND l.store_id = ? AND l.sku_id = ? FOR UPDATE OF l`
	for attempt := 0; attempt < 2; attempt++ {
		var rows []lockedLevel
		if err := db.Raw(q, tenantID, storeID, skuID).Scan(&rows).Error; err != nil {
			return lockedLevel{}, fmt.Errorf("inventory: lock level: %w", err)
		}
		if len(rows) == 1 {
			return rows[0], nil
		}
		if attempt == 0 {
			if err := db.Exec(`INSERT INTO stock_levels (tenant_id, store_id, sku_id)
				SELECT tenant_id, ?, id FROM skus WHERE tenant_id = ? AND id = ?
				ON CONFLICT DO NOTHING`, storeID, tenantID, skuID).Error; err != nil {
				return lockedLevel{}, fmt.Errorf("inventory: create level: %w", err)
			}
		}
	}
	return lockedLevel{}, ErrSKUNotFound.WithDetail("SKU %s is not in this chain's catalog", skuID)
}

// consumeLots takes up to qty from the store's open lots of the SKU,
// earliest expiry first, and returns what it took per expiry date (in
// date order; lots of one date merged).
func consumeLots(db *gorm.DB, tenantID, storeID, skuID uuid.UUID, qty int64) ([]LotQty, error) {
	var lots []struct {
		ID           uuid.UUID
		ExpiryDate   time.Time
		RemainingQty int64
	}
	if err := db.Raw(`SELECT id, expiry_date, remaining_qty FROM stock_lots
		WHERE tenant_id = ? AND store_id = ? AND sku_id = ? AND remaining_qty > 0
		ORDER BY expiry_date, id FOR UPDATE`, tenantID, storeID, skuID).Scan(&lots).Error; err != nil {
		return nil, fmt.Errorf("inventory: read lots: %w", err)
	}
	var used int64
	var out []LotQty
	for _, lot := range lots {
		if used == qty {
			break
		}
		take := min(lot.RemainingQty, qty-used)
		if err := db.Exec(`UPDATE stock_lots SET remaining_qty = remaining_qty - ? WHERE tenant_id = ? AND id = ?`, take, tenantID, lot.ID).Error; err != nil {
			return nil, fmt.Errorf("inventory: consume lot: %w", err)
		}
		used += take
		d := time.Date(lot.ExpiryDate.Year(), lot.ExpiryDate.Month(), lot.ExpiryDate.Day(), 0, 0, 0, 0, time.UTC)
		if n := len(out); n > 0 && out[n-1].ExpiryDate.Equal(d) {
			out[n-1].Qty += take
		} else {
			out = append(out, LotQty{ExpiryDate: d, Qty: take})
		}
	}
	return out, nil
}

// emitCrossings writes an alert event when this movement crossed a
// threshold: into out of stock, below min, or above max. Staying below min
// emits nothing, so a run of sales makes one event.
func emitCrossings(db *gorm.DB, tenantID, storeID, skuID uuid.UUID, before lockedLevel, after int64, at time.Time) error {
	type ev struct {
		kind      string
		threshold *int64
	}
	var evs []ev
	switch {
	case before.OnHand > 0 && after <= 0:
		evs = append(evs, ev{"out_of_stock", nil})
	case before.MinQty != nil && before.OnHand >= *before.MinQty && after < *before.MinQty:
		evs = append(evs, ev{"low_stock", before.MinQty})
	}
	if before.MaxQty != nil && before.OnHand <= *before.MaxQty && after > *before.MaxQty {
		evs = append(evs, ev{"overstock", before.MaxQty})
	}
	for _, e := range evs {
		if err := db.Exec(`INSERT INTO inventory_alert_events (tenant_id, id, store_id, sku_id, kind, qty, threshold, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, tenantID, uuid.Must(uuid.NewV7()), storeID, skuID, e.kind, after, e.threshold, at).Error; err != nil {
			return fmt.Errorf("inventory: alert event: %w", err)
		}
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
