package pos

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/postgres"
	"chainstore/tenant"
	"chainstore/tenant/authz"
)

// Takings are the money figures of a set of sales and returns.
type Takings struct {
	Sales        int64          `json:"sales"`
	Gross        int64          `json:"gross"`
	Discount     int64          `json:"discount"`
	Rounding     int64          `json:"rounding"`
	Total        int64          `json:"total"`
	Returns      int64          `json:"returns"`
	Refunded     int64          `json:"refunded"`
	Voids        int64          `json:"voids"`
	Voided       int64          `json:"voided"`
	Net          int64          `json:"net"`
	COGS         int64          `json:"cogs"`
	PointsUsed   int64          `json:"points_used"`
	PointsEarned int64          `json:"points_earned"`
	Members      int64          `json:"member_sales"`
	ByTender     []TenderTotals `json:"by_tender" gorm:"-"`
}

// TenderTotals are one tender's takings and refunds.
type TenderTotals struct {
	Method   string `json:"method"`
	Taken    int64  `json:"taken"`
	Refunded int64  `json:"refunded"`
	Net      int64  `json:"net"`
}

// ShiftReport is a shift's statement (收银对账单): its takings by tender,
// expected against counted, and its returns and voids.
type ShiftReport struct {
	Shift   Shift   `json:"shift"`
	Takings Takings `json:"takings"`
}

// DayEnd is a store's day-end report (日结) for one business date: the
// day's takings, its shifts and their variances, and revenue by VAT rate.
type DayEnd struct {
	StoreID      uuid.UUID `json:"store_id"`
	BusinessDate string    `json:"business_date"`
	Takings      Takings   `json:"takings"`
	Shifts       []Shift   `json:"shifts"`
	Open         int       `json:"open_shifts"`
	Variance     int64     `json:"cash_variance"`
	ByVATRate    []struct {
		VATRateBP int   `json:"vat_rate_bp"`
		Net       int64 `json:"net"`
	} `json:"by_vat_rate" gorm:"-"`
}

// takings sums sales and returns matching where (on pos_sales s and
// pos_returns r, each with its own args): three statements.
func takings(ctx context.Context, tenantID uuid.UUID, saleWhere string, saleArgs []any, retWhere string, retArgs []any) (Takings, error) {
	db := tenant.DB(ctx)
	var t Takings
	if err := db.Raw(`SELECT count(*) FILTER (WHERE s.status = 'completed') AS sales,
			coalesce(sum(s.gross) FILTER (WHERE s.status = 'completed'), 0) AS gross,
			coalesce(sum(s.discount) FILTER (WHERE s.status = 'completed'), 0) AS discount,
			coalesce(sum(s.rounding) FILTER (WHERE s.status = 'completed'), 0) AS rounding,
			coalesce(sum(s.total) FILTER (WHERE s.status = 'completed'), 0) AS total,
			coalesce(sum(s.cogs) FILTER (WHERE s.status = 'completed'), 0) AS cogs,
			coalesce(sum(s.points_used) FILTER (WHERE s.status = 'completed'), 0) AS points_used,
			coalesce(sum(s.points_earned) FILTER (WHERE s.status = 'completed'), 0) AS points_earned,
			count(*) FILTER (WHERE s.status = 'completed' AND s.member_id IS NOT NULL) AS members
		FROM pos_sales s WHERE s.tenant_id = ? AND `+saleWhere, append([]any{tenantID}, saleArgs...)...).Scan(&t).Error; err != nil {
		return t, fmt.Errorf("pos: takings: %w", err)
	}
	var r struct {
		Returns, Refunded, Voids, Voided int64
	}
	if err := db.Raw(`SELECT count(*) FILTER (WHERE r.kind = 'return') AS returns,
			coalesce(sum(r.refund_total) FILTER (WHERE r.kind = 'return'), 0) AS refunded,
			count(*) FILTER (WHERE r.kind = 'void') AS voids,
			coalesce(sum(r.refund_total) FILTER (WHERE r.kind = 'void'), 0) AS voided
		FROM pos_returns r WHERE r.tenant_id = ? AND `+retWhere, append([]any{tenantID}, retArgs...)...).Scan(&r).Error; err != nil {
		return t, fmt.Errorf("pos: returns: %w", err)
	}
	t.Returns, t.Refunded, t.Voids, t.Voided = r.Returns, r.Refunded, r.Voids, r.Voided
	// Voided sales are left out of the takings above, so only returns
	// reduce the net.
	t.Net = t.Total - t.Refunded
	var tenders []struct {
		Method          string
		Taken, Refunded int64
	}
	args := append(append([]any{tenantID}, saleArgs...), append([]any{tenantID}, retArgs...)...)
	if err := db.Raw(`SELECT method, sum(taken)::bigint AS taken, sum(refunded)::bigint AS refunded FROM (
			SELECT t.method, t.amount AS taken, 0 AS refunded FROM pos_sale_tenders t
			JOIN pos_sales s ON s.tenant_id = t.tenant_id AND s.id = t.sale_id WHERE s.tenant_id = ? AND s.status = 'completed' AND `+saleWhere+`
			UNION ALL
			SELECT rt.method, 0, rt.amount FROM pos_return_tenders rt
			JOIN pos_returns r ON r.tenant_id = rt.tenant_id AND r.id = rt.return_id WHERE r.tenant_id = ? AND r.kind = 'return' AND `+retWhere+`
		) m GROUP BY method ORDER BY method`, args...).Scan(&tenders).Error; err != nil {
		return t, fmt.Errorf("pos: takings by tender: %w", err)
	}
	t.ByTender = []TenderTotals{}
	for _, x := range tenders {
		t.ByTender = append(t.ByTender, TenderTotals{Method: x.Method, Taken: x.Taken, Refunded: x.Refunded, Net: x.Taken - x.Refunded})
	}
	return t, nil
}

// ShiftReport is the statement of one shift of a store.
func (s *Service) ShiftReport(ctx context.Context, tenantID, storeID, shiftID uuid.UUID) (ShiftReport, error) {
	var out ShiftReport
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		sh, err := getShift(ctx, tenantID, storeID, shiftID, false)
		if err != nil {
			return err
		}
		if sh.Counts, err = shiftCounts(ctx, tenantID, shiftID); err != nil {
			return err
		}
		out.Shift = sh
		out.Takings, err = takings(ctx, tenantID, `s.shift_id = ?`, []any{shiftID}, `r.shift_id = ?`, []any{shiftID})
		return err
	})
	return out, err
}

// DayEnd is a store's day-end report for a business date.
func (s *Service) DayEnd(ctx context.Context, tenantID, storeID uuid.UUID, day time.Time) (DayEnd, error) {
	d := day.Format(dayLayout)
	out := DayEnd{StoreID: storeID, BusinessDate: d, Shifts: []Shift{}}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		if _, err := s.org.Store(ctx, tenantID, storeID); err != nil {
			return err
		}
		var err error
		if out.Takings, err = takings(ctx, tenantID, `s.store_id = ? AND s.business_date = ?`, []any{storeID, d},
			`r.store_id = ? AND r.business_date = ?`, []any{storeID, d}); err != nil {
			return err
		}
		db := tenant.DB(ctx)
		if err := db.Raw(`SELECT `+shiftColumns+` FROM pos_shifts WHERE tenant_id = ? AND store_id = ? AND business_date = ? ORDER BY opened_at`,
			tenantID, storeID, d).Scan(&out.Shifts).Error; err != nil {
			return err
		}
		for _, sh := range out.Shifts {
			if sh.Status == "open" {
				out.Open++
			}
			if sh.CashVariance != nil {
				out.Variance += *sh.CashVariance
			}
		}
		return db.Raw(`SELECT vat_rate_bp, sum(net - returned_net)::bigint AS net FROM pos_sale_lines l
			JOIN pos_sales s ON s.tenant_id = l.tenant_id AND s.id = l.sale_id
			WHERE s.tenant_id = ? AND s.store_id = ? AND s.business_date = ? AND s.status = 'completed'
			GROUP BY vat_rate_bp ORDER BY vat_rate_bp`, tenantID, storeID, d).Scan(&out.ByVATRate).Error
	})
	return out, err
}

// Dashboard is what HQ, a franchisee or a store manager sees first.
type Dashboard struct {
	Today         string        `json:"today"`
	Sales         int64         `json:"sales"`
	Orders        int64         `json:"orders"`
	LastWeek      int64         `json:"same_day_last_week"`
	LastWeekCount int64         `json:"same_day_last_week_orders"`
	MembersAdded  int64         `json:"members_added"`
	LowStock      int64         `json:"low_stock"`
	NearExpiry    int64         `json:"near_expiry"`
	ByStore       []StoreSales  `json:"sales_by_store"`
	TopProducts   []TopProduct  `json:"top_products"`
	ByHour        []HourlySales `json:"sales_by_hour"`
}

// StoreSales is one store's sales of the day, and of the same weekday a
// week before.
type StoreSales struct {
	StoreID        uuid.UUID `json:"store_id"`
	Code           string    `json:"code"`
	Name           string    `json:"name"`
	Sales          int64     `json:"sales"`
	Orders         int64     `json:"orders"`
	LastWeek       int64     `json:"same_day_last_week"`
	LastWeekOrders int64     `json:"same_day_last_week_orders"`
}

// TopProduct is one of the day's best sellers by takings.
type TopProduct struct {
	SKUID uuid.UUID `json:"sku_id" gorm:"column:sku_id"`
	Name  string    `json:"name"`
	Qty   int64     `json:"qty"`
	Sales int64     `json:"sales"`
}

// HourlySales are the day's takings in one hour of the chain's clock, and
// that hour's a week before (the chart's comparison line).
type HourlySales struct {
	Hour     int   `json:"hour"`
	Sales    int64 `json:"sales"`
	LastWeek int64 `json:"same_day_last_week"`
}

// Dashboard sums today's sales (each store's business day) against the
// same weekday a week ago, by store and hour, the top products, members
// added and stock alerts, over the stores in scope (HQ: every store; a
// franchisee: theirs; a manager: theirs), or one of them.
func (s *Service) Dashboard(ctx context.Context, tenantID uuid.UUID, scope authz.StoreScope, storeID *uuid.UUID) (Dashboard, error) {
	var out Dashboard
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var facts []storeDay
		var err error
		if storeID != nil {
			f, err := s.org.Store(ctx, tenantID, *storeID)
			if err != nil {
				return err
			}
			facts = []storeDay{{f.ID, f.Code, f.Name, f.BusinessDate(s.clock.Now())}}
		} else {
			fs, err := s.org.StoresIn(ctx, tenantID, scope)
			if err != nil {
				return err
			}
			for _, f := range fs {
				facts = append(facts, storeDay{f.ID, f.Code, f.Name, f.BusinessDate(s.clock.Now())})
			}
		}
		loc, err := s.org.ChainLocation(ctx, tenantID)
		if err != nil {
			return err
		}
		today := s.clock.Now().In(loc)
		out.Today = today.Format(dayLayout)
		out.ByStore, out.TopProducts, out.ByHour = []StoreSales{}, []TopProduct{}, []HourlySales{}
		if len(facts) == 0 {
			return nil
		}
		ids := make([]uuid.UUID, len(facts))
		days := make([]string, len(facts))
		weekAgo := make([]string, len(facts))
		for i, f := range facts {
			ids[i], days[i], weekAgo[i] = f.id, f.day.Format(dayLayout), f.day.AddDate(0, 0, -7).Format(dayLayout)
		}
		db := tenant.DB(ctx)
		var rows []struct {
			StoreID    uuid.UUID
			Sales      int64
			Orders     int64
			LastSales  int64
			LastOrders int64
		}
		if err := db.Raw(`SELECT d.store_id,
				coalesce(sum(s.total - s.returned_total) FILTER (WHERE s.business_date = d.day), 0) AS sales,
				count(s.id) FILTER (WHERE s.business_date = d.day) AS orders,
				coalesce(sum(s.total - s.returned_total) FILTER (WHERE s.business_date = d.week_ago), 0) AS last_sales,
				count(s.id) FILTER (WHERE s.business_date = d.week_ago) AS last_orders
			FROM unnest(?::uuid[], ?::date[], ?::date[]) AS d(store_id, day, week_ago)
			LEFT JOIN pos_sales s ON s.tenant_id = ? AND s.store_id = d.store_id AND s.business_date IN (d.day, d.week_ago) AND s.status = 'completed'
			GROUP BY d.store_id`, postgres.UUIDs(ids), postgres.Texts(days), postgres.Texts(weekAgo), tenantID).Scan(&rows).Error; err != nil {
			return fmt.Errorf("pos: dashboard: %w", err)
		}
		by := map[uuid.UUID]int{}
		for i, f := range facts {
			by[f.id] = i
			out.ByStore = append(out.ByStore, StoreSales{StoreID: f.id, Code: f.code, Name: f.name})
		}
		for _, r := range rows {
			st := &out.ByStore[by[r.StoreID]]
			st.Sales, st.Orders, st.LastWeek, st.LastWeekOrders = r.Sales, r.Orders, r.LastSales, r.LastOrders
			out.Sales += r.Sales
			out.Orders += r.Orders
			out.LastWeek += r.LastSales
			out.LastWeekCount += r.LastOrders
		}
		if err := db.Raw(`SELECT l.sku_id, min(l.name) AS name, sum(l.qty - l.returned_qty)::bigint AS qty, sum(l.net - l.returned_net)::bigint AS sales
			FROM unnest(?::uuid[], ?::date[]) AS d(store_id, day)
			JOIN pos_sales s ON s.tenant_id = ? AND s.store_id = d.store_id AND s.business_date = d.day AND s.status = 'completed'
			JOIN pos_sale_lines l ON l.tenant_id = s.tenant_id AND l.sale_id = s.id
			GROUP BY l.sku_id ORDER BY sales DESC, l.sku_id LIMIT 10`, postgres.UUIDs(ids), postgres.Texts(days), tenantID).Scan(&out.TopProducts).Error; err != nil {
			return err
		}
		if err := db.Raw(`SELECT extract(hour FROM s.sold_at AT TIME ZONE ?)::int AS hour,
				coalesce(sum(s.total - s.returned_total) FILTER (WHERE s.business_date = d.day), 0)::bigint AS sales,
				coalesce(sum(s.total - s.returned_total) FILTER (WHERE s.business_date = d.week_ago), 0)::bigint AS last_week
			FROM unnest(?::uuid[], ?::date[], ?::date[]) AS d(store_id, day, week_ago)
			JOIN pos_sales s ON s.tenant_id = ? AND s.store_id = d.store_id AND s.business_date IN (d.day, d.week_ago) AND s.status = 'completed'
			GROUP BY 1 ORDER BY 1`, loc.String(), postgres.UUIDs(ids), postgres.Texts(days), postgres.Texts(weekAgo), tenantID).Scan(&out.ByHour).Error; err != nil {
			return err
		}
		// A scan of no rows leaves nil: the lists are [] on a day without sales.
		out.ByStore = nonNil(out.ByStore)
		out.TopProducts = nonNil(out.TopProducts)
		out.ByHour = nonNil(out.ByHour)
		from := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, loc)
		var stores []uuid.UUID
		if storeID != nil || !scope.All {
			stores = ids
		}
		if out.MembersAdded, err = s.members.CountJoined(ctx, tenantID, stores, from, from.AddDate(0, 0, 1)); err != nil {
			return err
		}
		out.LowStock, out.NearExpiry, err = s.inventory.AlertCounts(ctx, tenantID, ids)
		return err
	})
	return out, err
}

type storeDay struct {
	id         uuid.UUID
	code, name string
	day        time.Time
}

// MemberPurchases are a member's latest sales for the 360 view (the
// members module asks through a hook, since it cannot import the POS).
func (s *Service) MemberPurchases(ctx context.Context, tenantID, memberID uuid.UUID, limit int) ([]Sale, error) {
	var out []Sale
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		sales, _, err := loadSales(ctx, tenantID, `s.member_id = ? ORDER BY s.sold_at DESC LIMIT ?`, memberID, limit)
		for _, sale := range sales {
			out = append(out, s.linked(sale))
		}
		return err
	})
	if out == nil {
		out = []Sale{}
	}
	return out, err
}

// nonNil is s, or an empty slice for nil (so it encodes as []).
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
