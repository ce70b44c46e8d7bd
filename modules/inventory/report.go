package inventory

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/money"
	"chainstore/infra/postgres"
	"chainstore/infra/sheet"
	"chainstore/infra/web"
	"chainstore/tenant"
	"chainstore/tenant/authz"
	"chainstore/tenant/org"
)

// ── alerts ──

// ListAlerts returns a store's current alert conditions, by SKU id: out of
// stock (on hand <= 0 for a SKU with a minimum or that has sold there), low
// stock (below min) and overstock (above max).
func (s *Service) ListAlerts(ctx context.Context, tenantID, storeID uuid.UUID, kind string, page web.Page) ([]Alert, error) {
	var out []Alert
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		if err := s.CheckStore(ctx, tenantID, storeID); err != nil {
			return err
		}
		db := tenant.DB(ctx)
		current := db.Raw(`SELECT l.store_id, l.sku_id, s.code AS sku_code, s.name AS sku_name, l.on_hand,
				CASE WHEN l.on_hand <= 0 THEN 'out_of_stock' WHEN l.on_hand < l.min_qty THEN 'low_stock' ELSE 'overstock' END AS kind,
				CASE WHEN l.on_hand <= 0 THEN NULL WHEN l.on_hand < l.min_qty THEN l.min_qty ELSE l.max_qty END AS threshold
			FROM stock_levels l JOIN skus s ON s.tenant_id = l.tenant_id AND s.id = l.sku_id
			WHERE l.tenant_id = ? AND l.store_id = ? AND l.sku_id > ? AND s.status = 'active'
			  AND ((l.on_hand <= 0 AND (l.min_qty IS NOT NULL OR l.last_sale_at IS NOT NULL))
			    OR l.on_hand < l.min_qty OR l.on_hand > l.max_qty)`, tenantID, storeID, page.Cursor)
		q := db.Table("(?) AS a", current)
		if kind != "" {
			q = q.Where("a.kind = ?", kind)
		}
		return q.Order("a.sku_id").Limit(page.Limit + 1).Scan(&out).Error
	})
	return out, err
}

// PendingAlertEvents returns up to limit unsent alert events, oldest
// first, for the notification module to send.
func (s *Service) PendingAlertEvents(ctx context.Context, tenantID uuid.UUID, limit int) ([]AlertEvent, error) {
	var out []AlertEvent
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		return tenant.DB(ctx).Raw(`SELECT id, store_id, sku_id, kind, qty, threshold, created_at, sent_at FROM inventory_alert_events
			WHERE tenant_id = ? AND sent_at IS NULL ORDER BY id LIMIT ?`, tenantID, limit).Scan(&out).Error
	})
	return out, err
}

// MarkAlertEventsSent marks events as sent (idempotent).
func (s *Service) MarkAlertEventsSent(ctx context.Context, tenantID uuid.UUID, ids []uuid.UUID) error {
	if len(ids) == 0 {
		return nil
	}
	return s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		return tenant.DB(ctx).Exec(`UPDATE inventory_alert_events SET sent_at = now() WHERE tenant_id = ? AND id IN ? AND sent_at IS NULL`,
			tenantID, ids).Error
	})
}

// EmitNearExpiryAlerts writes one near_expiry alert event per lot that
// comes within the chain's near_expiry_days (a job runs it daily); it
// returns how many it wrote.
func (s *Service) EmitNearExpiryAlerts(ctx context.Context, tenantID uuid.UUID) (int, error) {
	var n int
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		set, err := getSettings(db, tenantID)
		if err != nil {
			return err
		}
		// "Within n days" counts from each store's own day.
		var stores []uuid.UUID
		if err := db.Raw(`SELECT DISTINCT store_id FROM stock_lots WHERE tenant_id = ? AND remaining_qty > 0 AND alerted_at IS NULL`,
			tenantID).Scan(&stores).Error; err != nil {
			return fmt.Errorf("inventory: stores with lots: %w", err)
		}
		if len(stores) == 0 {
			return nil
		}
		facts, err := s.org.Stores(ctx, tenantID, stores)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		var today columns // store_id, date
		for _, st := range stores {
			today.add(st.String(), facts[st].BusinessDate(now).Format(time.DateOnly))
		}
		var due []struct {
			StoreID      uuid.UUID
			SKUID        uuid.UUID `gorm:"column:sku_id"`
			RemainingQty int64
		}
		// The lots are locked in the order a sale takes them (store, SKU,
		// expiry), so the job and a sale never wait on each other in a cycle.
		if err := db.Raw(`WITH due AS (
				SELECT t.id FROM stock_lots t JOIN unnest(?::uuid[], ?::date[]) AS d(store_id, today) ON t.store_id = d.store_id
				WHERE t.tenant_id = ? AND t.remaining_qty > 0 AND t.alerted_at IS NULL AND t.expiry_date <= d.today + ?::int
				ORDER BY t.store_id, t.sku_id, t.expiry_date, t.id
				FOR UPDATE OF t)
			UPDATE stock_lots t SET alerted_at = now() FROM due WHERE t.tenant_id = ? AND t.id = due.id
			RETURNING t.store_id, t.sku_id, t.remaining_qty`, append(today.arrays(2), tenantID, set.NearExpiryDays, tenantID)...).Scan(&due).Error; err != nil {
			return fmt.Errorf("inventory: due lots: %w", err)
		}
		var events columns // id, store_id, sku_id, qty
		for _, d := range due {
			events.add(uuid.Must(uuid.NewV7()).String(), d.StoreID.String(), d.SKUID.String(), i64(d.RemainingQty))
		}
		if err := db.Exec(`INSERT INTO inventory_alert_events (tenant_id, id, store_id, sku_id, kind, qty, created_at)
			SELECT ?, v.id, v.store_id, v.sku_id, 'near_expiry', v.qty, ?
			FROM unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::bigint[]) AS v(id, store_id, sku_id, qty)`,
			append([]any{tenantID, now}, events.arrays(4)...)...).Error; err != nil {
			return fmt.Errorf("inventory: near-expiry events: %w", err)
		}
		n = len(due)
		return nil
	})
	return n, err
}

// NearExpiry lists a store's lots with stock that expire within days
// (expired ones included), earliest first.
func (s *Service) NearExpiry(ctx context.Context, tenantID, storeID uuid.UUID, days int, limit int) ([]ExpiringLot, error) {
	var out []ExpiringLot
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		store, err := s.org.Store(ctx, tenantID, storeID)
		if err != nil {
			return err
		}
		today := store.BusinessDate(s.clock.Now()).Format(time.DateOnly)
		return tenant.DB(ctx).Raw(`SELECT t.id AS lot_id, t.store_id, t.sku_id, s.code AS sku_code, s.name AS sku_name, `+unitColumns+`, to_char(t.expiry_date, 'YYYY-MM-DD') AS expiry_date,
				(t.expiry_date - ?::date) AS days_left, t.remaining_qty, t.received_at
			FROM stock_lots t JOIN skus s ON s.tenant_id = t.tenant_id AND s.id = t.sku_id `+unitJoin+`
			WHERE t.tenant_id = ? AND t.store_id = ? AND t.remaining_qty > 0 AND t.expiry_date <= ?::date + ?::int
			ORDER BY t.expiry_date, t.id LIMIT ?`, today, tenantID, storeID, today, days, limit).Scan(&out).Error
	})
	return out, err
}

// ── replenishment ──

// Suggestion is a replenishment line for one SKU of a store. Velocity is
// thousandths of a unit sold per day (net of returns) over the window.
type Suggestion struct {
	SKUID        uuid.UUID `json:"sku_id" gorm:"column:sku_id"`
	SKUCode      string    `json:"sku_code"`
	SKUName      string    `json:"sku_name"`
	OnHand       int64     `json:"on_hand"`
	InTransit    int64     `json:"in_transit"`
	OnOrder      int64     `json:"on_order"`
	SafetyQty    int64     `json:"safety_qty"`
	LeadTimeDays int       `json:"lead_time_days"`
	SoldQty      int64     `json:"sold_qty"`
	DailyQty     int64     `json:"daily_qty"`
	SuggestedQty int64     `json:"suggested_qty"`
	UnitCost     int64     `json:"unit_cost"`
	Amount       int64     `json:"amount"`
	Weighed      bool      `json:"-"`
}

// ReplenishmentPlan is a store's draft purchase plan.
type ReplenishmentPlan struct {
	StoreID    uuid.UUID    `json:"store_id"`
	Days       int          `json:"days"`
	ReviewDays int          `json:"review_days"`
	Lines      []Suggestion `json:"lines"`
	Amount     int64        `json:"amount"`
}

// Replenishment suggests, per SKU stocked in the store, the quantity to
// order: max(0, velocity × (lead time + review days) + safety stock −
// on hand − in transit − on order), whole units for goods sold by the
// piece. On order is inbound transfers not yet shipped plus what every
// registered OnOrderFunc (purchase orders) reports. reviewDays < 0 takes
// the chain's setting. Only SKUs with a suggestion are listed.
func (s *Service) Replenishment(ctx context.Context, tenantID, storeID uuid.UUID, days, reviewDays int) (ReplenishmentPlan, error) {
	out := ReplenishmentPlan{StoreID: storeID, Days: days, Lines: []Suggestion{}}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		if err := s.CheckStore(ctx, tenantID, storeID); err != nil {
			return err
		}
		if reviewDays < 0 {
			set, err := getSettings(db, tenantID)
			if err != nil {
				return err
			}
			reviewDays = set.ReviewDays
		}
		out.ReviewDays = reviewDays
		since := s.clock.Now().Add(-time.Duration(days) * 24 * time.Hour)
		var rows []Suggestion
		if err := db.Raw(`SELECT l.sku_id, s.code AS sku_code, s.name AS sku_name, l.on_hand, l.in_transit, l.safety_qty, l.lead_time_days,
				l.avg_cost AS unit_cost, p.weighed,
				coalesce((SELECT -sum(m.qty) FROM stock_movements m WHERE m.tenant_id = l.tenant_id AND m.store_id = l.store_id
					AND m.sku_id = l.sku_id AND m.kind IN ('sale', 'return') AND m.occurred_at >= ?), 0) AS sold_qty,
				coalesce((SELECT sum(x.requested_qty) FROM transfer_lines x JOIN transfers t ON t.tenant_id = x.tenant_id AND t.id = x.transfer_id
					WHERE x.tenant_id = l.tenant_id AND x.sku_id = l.sku_id AND t.to_store_id = l.store_id AND t.status IN ('requested', 'approved')), 0) AS on_order
			FROM stock_levels l JOIN skus s ON s.tenant_id = l.tenant_id AND s.id = l.sku_id
				JOIN products p ON p.tenant_id = s.tenant_id AND p.id = s.product_id
			WHERE l.tenant_id = ? AND l.store_id = ? AND s.status = 'active'
			ORDER BY s.code`, since, tenantID, storeID).Scan(&rows).Error; err != nil {
			return fmt.Errorf("inventory: replenishment: %w", err)
		}
		extra := map[uuid.UUID]int64{}
		for _, f := range s.onOrder {
			m, err := f(ctx, tenantID, storeID)
			if err != nil {
				return err
			}
			for k, v := range m {
				extra[k] += v
			}
		}
		for _, r := range rows {
			r.OnOrder += extra[r.SKUID]
			r.SoldQty = max(r.SoldQty, 0)
			r.DailyQty = money.MulDiv(r.SoldQty, 1, int64(max(days, 1)))
			need := money.MulDiv(r.SoldQty, int64(r.LeadTimeDays+reviewDays), int64(max(days, 1))) + r.SafetyQty -
				r.OnHand - r.InTransit - r.OnOrder
			if need <= 0 {
				continue
			}
			if !r.Weighed && need%1000 != 0 {
				need += 1000 - need%1000 // whole pieces, rounded up
			}
			r.SuggestedQty = need
			r.Amount = money.MulDiv(need, r.UnitCost, 1000)
			out.Amount += r.Amount
			out.Lines = append(out.Lines, r)
		}
		return nil
	})
	return out, err
}

// WritePlan writes a replenishment plan as a spreadsheet: quantities in
// units with three decimals, money in yuan with two.
func WritePlan(w io.Writer, f sheet.Format, p ReplenishmentPlan) error {
	header := []string{"sku_code", "sku_name", "on_hand", "in_transit", "on_order", "daily_sales", "suggested_qty", "unit_cost", "amount"}
	rows := make([][]string, 0, len(p.Lines))
	for _, l := range p.Lines {
		rows = append(rows, []string{l.SKUCode, l.SKUName, decimal(l.OnHand, 3), decimal(l.InTransit, 3), decimal(l.OnOrder, 3),
			decimal(l.DailyQty, 3), decimal(l.SuggestedQty, 3), decimal(l.UnitCost, 2), decimal(l.Amount, 2)})
	}
	return sheet.Write(w, f, "purchase plan", header, rows)
}

// decimal renders v / 10^places exactly ("-1.250").
func decimal(v int64, places int) string {
	neg := v < 0
	u := uint64(v)
	if neg {
		u = uint64(-v)
	}
	s := strconv.FormatUint(u, 10)
	for len(s) <= places {
		s = "0" + s
	}
	s = s[:len(s)-places] + "." + s[len(s)-places:]
	if neg {
		s = "-" + s
	}
	return s
}

// ── analysis ──

// StoreValue is the stock held by one store.
type StoreValue struct {
	StoreID     uuid.UUID `json:"store_id"`
	StoreCode   string    `json:"store_code"`
	StoreName   string    `json:"store_name"`
	SKUsInStock int64     `json:"skus_in_stock" gorm:"column:skus_in_stock"`
	StockValue  int64     `json:"stock_value"`
	InTransit   int64     `json:"in_transit_qty"`
}

// StockValueByStore returns the stock value of each store in scope, by
// store code (a store with no stock has a row of zeros).
func (s *Service) StockValueByStore(ctx context.Context, tenantID uuid.UUID, scope authz.StoreScope) ([]StoreValue, error) {
	out := []StoreValue{}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		stores, err := s.org.StoresIn(ctx, tenantID, scope)
		if err != nil {
			return err
		}
		var rows []StoreValue
		if err := tenant.DB(ctx).Raw(`SELECT store_id, count(*) FILTER (WHERE on_hand > 0) AS skus_in_stock,
				sum(stock_value) AS stock_value, sum(in_transit) AS in_transit
			FROM stock_levels WHERE tenant_id = ? AND store_id = ANY (?::uuid[]) GROUP BY store_id`,
			tenantID, uuidArray(factIDs(stores))).Scan(&rows).Error; err != nil {
			return fmt.Errorf("inventory: stock value: %w", err)
		}
		for _, f := range stores {
			v := StoreValue{StoreID: f.ID}
			if i := slices.IndexFunc(rows, func(r StoreValue) bool { return r.StoreID == f.ID }); i >= 0 {
				v = rows[i]
			}
			v.StoreCode, v.StoreName = f.Code, f.Name
			out = append(out, v)
		}
		return nil
	})
	return out, err
}

// factIDs are the stores' ids.
func factIDs(stores []org.Facts) []uuid.UUID {
	ids := make([]uuid.UUID, len(stores))
	for i, f := range stores {
		ids[i] = f.ID
	}
	return ids
}

// Turnover is stock turnover over a period for one group (a SKU, a
// category or a store). TurnoverDays = average stock value / daily cost
// of goods sold; null when nothing sold.
type Turnover struct {
	Key          uuid.UUID `json:"key"`
	Label        string    `json:"label"`
	StartValue   int64     `json:"start_value"`
	EndValue     int64     `json:"end_value"`
	AvgValue     int64     `json:"avg_value"`
	COGS         int64     `json:"cogs"`
	TurnoverDays *float64  `json:"turnover_days"`
}

// TurnoverFilter picks the period, grouping and stores.
type TurnoverFilter struct {
	Days    int
	GroupBy string // sku, category, store
	StoreID *uuid.UUID
	Limit   int
}

// TurnoverReport groups stock in scope by SKU, category or store over the
// last Days: start value (end value minus the period's movements), end
// value, their average, and COGS (sales net of returns). Largest average
// value first.
func (s *Service) TurnoverReport(ctx context.Context, tenantID uuid.UUID, scope authz.StoreScope, f TurnoverFilter) ([]Turnover, error) {
	out := []Turnover{}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		key, label := "l.sku_id", "max(s.code || ' ' || s.name)"
		switch f.GroupBy {
		case "category":
			key, label = "p.category_id", "max(c.name)"
		case "store":
			key, label = "l.store_id", "''" // the store's name, from org below
		}
		since := s.clock.Now().Add(-time.Duration(f.Days) * 24 * time.Hour)
		q := tenant.DB(ctx).Table("stock_levels l").
			Select(key+` AS key, `+label+` AS label, sum(l.stock_value) AS end_value,
				sum(l.stock_value) - coalesce(sum(m.moved), 0) AS start_value, coalesce(sum(m.cogs), 0) AS cogs`).
			Joins(`JOIN skus s ON s.tenant_id = l.tenant_id AND s.id = l.sku_id
				JOIN products p ON p.tenant_id = s.tenant_id AND p.id = s.product_id
				JOIN categories c ON c.tenant_id = p.tenant_id AND c.id = p.category_id`).
			Joins(`LEFT JOIN LATERAL (SELECT sum(x.cost_amount) AS moved,
					-sum(x.cost_amount) FILTER (WHERE x.kind IN ('sale', 'return')) AS cogs
				FROM stock_movements x WHERE x.tenant_id = l.tenant_id AND x.store_id = l.store_id AND x.sku_id = l.sku_id
				AND x.occurred_at >= ?) m ON true`, since).
			Where("l.tenant_id = ?", tenantID)
		if !scope.All {
			q = q.Where("l.store_id IN ?", append(scope.Stores, uuid.Nil))
		}
		if f.StoreID != nil {
			q = q.Where("l.store_id = ?", *f.StoreID)
		}
		if err := q.Group(key).Order("(sum(l.stock_value) + sum(l.stock_value) - coalesce(sum(m.moved), 0)) DESC, 1").
			Limit(f.Limit).Scan(&out).Error; err != nil {
			return fmt.Errorf("inventory: turnover: %w", err)
		}
		if f.GroupBy == "store" && len(out) > 0 {
			keys := make([]uuid.UUID, len(out))
			for i, t := range out {
				keys[i] = t.Key
			}
			stores, err := s.org.Stores(ctx, tenantID, keys)
			if err != nil {
				return err
			}
			for i := range out {
				out[i].Label = stores[out[i].Key].Name
			}
		}
		for i := range out {
			t := &out[i]
			t.AvgValue = money.MulDiv(t.StartValue+t.EndValue, 1, 2)
			if t.COGS > 0 {
				// A displayed ratio, not money: days of stock at the period's pace.
				d := float64(t.AvgValue) * float64(f.Days) / float64(t.COGS)
				d = float64(int64(d*10+0.5)) / 10
				t.TurnoverDays = &d
			}
		}
		return nil
	})
	return out, err
}

// SlowMover is stock that has not sold for a while.
type SlowMover struct {
	StoreID    uuid.UUID  `json:"store_id"`
	SKUID      uuid.UUID  `json:"sku_id" gorm:"column:sku_id"`
	SKUCode    string     `json:"sku_code"`
	SKUName    string     `json:"sku_name"`
	OnHand     int64      `json:"on_hand"`
	StockValue int64      `json:"stock_value"`
	LastSaleAt *time.Time `json:"last_sale_at"`
}

// SlowMovers lists stock in scope with on hand > 0 and no sale in the last
// days, largest value first.
func (s *Service) SlowMovers(ctx context.Context, tenantID uuid.UUID, scope authz.StoreScope, storeID *uuid.UUID, days, limit int) ([]SlowMover, error) {
	out := []SlowMover{}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		since := s.clock.Now().Add(-time.Duration(days) * 24 * time.Hour)
		q := tenant.DB(ctx).Table("stock_levels l").
			Select(`l.store_id, l.sku_id, s.code AS sku_code, s.name AS sku_name, l.on_hand, l.stock_value, l.last_sale_at`).
			Joins("JOIN skus s ON s.tenant_id = l.tenant_id AND s.id = l.sku_id").
			Where("l.tenant_id = ? AND l.on_hand > 0 AND (l.last_sale_at IS NULL OR l.last_sale_at < ?)", tenantID, since)
		if !scope.All {
			q = q.Where("l.store_id IN ?", append(scope.Stores, uuid.Nil))
		}
		if storeID != nil {
			q = q.Where("l.store_id = ?", *storeID)
		}
		return q.Order("l.stock_value DESC, l.sku_id").Limit(limit).Scan(&out).Error
	})
	return out, err
}

// StockOut is a store's stock-out rate: the share of its stocked active
// SKUs (those with a stock level) at or below zero.
type StockOut struct {
	StoreID    uuid.UUID `json:"store_id"`
	StoreCode  string    `json:"store_code"`
	StockedSKU int64     `json:"stocked_skus"`
	OutOfStock int64     `json:"out_of_stock_skus"`
	Rate       float64   `json:"rate"`
}

// StockOuts returns the stock-out rate of each store in scope, by store
// code.
func (s *Service) StockOuts(ctx context.Context, tenantID uuid.UUID, scope authz.StoreScope) ([]StockOut, error) {
	out := []StockOut{}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		stores, err := s.org.StoresIn(ctx, tenantID, scope)
		if err != nil {
			return err
		}
		var rows []StockOut
		if err := tenant.DB(ctx).Raw(`SELECT l.store_id, count(*) AS stocked_sku, count(*) FILTER (WHERE l.on_hand <= 0) AS out_of_stock
			FROM stock_levels l JOIN skus s ON s.tenant_id = l.tenant_id AND s.id = l.sku_id AND s.status = 'active'
			WHERE l.tenant_id = ? AND l.store_id = ANY (?::uuid[]) GROUP BY l.store_id`,
			tenantID, uuidArray(factIDs(stores))).Scan(&rows).Error; err != nil {
			return fmt.Errorf("inventory: stock-outs: %w", err)
		}
		for _, f := range stores {
			o := StockOut{StoreID: f.ID}
			if i := slices.IndexFunc(rows, func(r StockOut) bool { return r.StoreID == f.ID }); i >= 0 {
				o = rows[i]
			}
			o.StoreCode = f.Code
			if o.StockedSKU > 0 {
				// A displayed ratio, rounded to 4 places.
				o.Rate = float64(money.MulDiv(o.OutOfStock, 10000, o.StockedSKU)) / 10000
			}
			out = append(out, o)
		}
		return nil
	})
	return out, err
}

// AlertCounts counts, over stores, the SKUs at or below their minimum (or
// out of stock after selling) and the lots expiring within the chain's
// near-expiry days: the two numbers a dashboard shows. One statement.
func (s *Service) AlertCounts(ctx context.Context, tenantID uuid.UUID, stores []uuid.UUID) (low, nearExpiry int64, err error) {
	err = s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var row struct{ Low, NearExpiry int64 }
		if err := tenant.DB(ctx).Raw(`SELECT
				(SELECT count(*) FROM stock_levels l JOIN skus s ON s.tenant_id = l.tenant_id AND s.id = l.sku_id
				 WHERE l.tenant_id = ? AND l.store_id = ANY(?) AND s.status = 'active'
				   AND ((l.on_hand <= 0 AND (l.min_qty IS NOT NULL OR l.last_sale_at IS NOT NULL)) OR l.on_hand < l.min_qty)) AS low,
				(SELECT count(*) FROM stock_lots t WHERE t.tenant_id = ? AND t.store_id = ANY(?) AND t.remaining_qty > 0
				   AND t.expiry_date <= (now() AT TIME ZONE 'UTC')::date
				       + coalesce((SELECT near_expiry_days FROM inventory_settings WHERE tenant_id = ?), 7)) AS near_expiry`,
			tenantID, postgres.UUIDs(stores), tenantID, postgres.UUIDs(stores), tenantID).Scan(&row).Error; err != nil {
			return fmt.Errorf("inventory: alert counts: %w", err)
		}
		low, nearExpiry = row.Low, row.NearExpiry
		return nil
	})
	return low, nearExpiry, err
}
