package inventory

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"slices"
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
	"chainstore/tenant/authz"
	"chainstore/tenant/users"
)

// Stocktake is a count of a store's stock (盘点).
type Stocktake struct {
	ID           uuid.UUID   `json:"id"`
	StoreID      uuid.UUID   `json:"store_id"`
	Status       string      `json:"status"`
	Scope        string      `json:"scope"`
	CategoryIDs  []uuid.UUID `json:"category_ids" gorm:"-"`
	Blind        bool        `json:"blind"`
	Note         string      `json:"note"`
	OpenedBy     *uuid.UUID  `json:"opened_by"`
	OpenedByName string      `json:"opened_by_name" gorm:"-"`
	OpenedAt     time.Time   `json:"opened_at"`
	PostedBy     *uuid.UUID  `json:"posted_by"`
	PostedByName string      `json:"posted_by_name" gorm:"-"`
	PostedAt     *time.Time  `json:"posted_at"`
	CancelledAt  *time.Time  `json:"cancelled_at"`
	LineCount    int         `json:"line_count"`
	CountedLines int         `json:"counted_lines"`

	RawCategories string `json:"-" gorm:"column:category_ids_raw"`
}

const stocktakeColumns = `t.id, t.store_id, t.status, t.scope, array_to_string(t.category_ids, ',') AS category_ids_raw, t.blind, t.note, t.opened_by, t.opened_at,
	t.posted_by, t.posted_at, t.cancelled_at,
	(SELECT count(*) FROM stocktake_lines x WHERE x.tenant_id = t.tenant_id AND x.stocktake_id = t.id) AS line_count,
	(SELECT count(*) FROM stocktake_lines x WHERE x.tenant_id = t.tenant_id AND x.stocktake_id = t.id AND x.counted_qty IS NOT NULL) AS counted_lines`

// StocktakeLine is one SKU of a stocktake. BookQty is hidden (null) from
// users without stocktake:approve while a blind count is in progress.
type StocktakeLine struct {
	SKUID      uuid.UUID `json:"sku_id" gorm:"column:sku_id"`
	SKUCode    string    `json:"sku_code"`
	SKUName    string    `json:"sku_name"`
	Unit       Unit      `json:"unit" gorm:"embedded;embeddedPrefix:unit_"`
	BookQty    *int64    `json:"book_qty"`
	CountedQty *int64    `json:"counted_qty"`
	UnitCost   *int64    `json:"unit_cost"`
}

// StocktakeDetail is a stocktake with its lines.
type StocktakeDetail struct {
	Stocktake
	Lines []StocktakeLine `json:"lines"`
}

// OpenStocktakeInput opens a count of a store: every SKU stocked there, or
// those under some categories.
type OpenStocktakeInput struct {
	StoreID     uuid.UUID   `json:"store_id" validate:"required"`
	CategoryIDs []uuid.UUID `json:"category_ids" validate:"max=100"`
	Blind       bool        `json:"blind"`
	Note        string      `json:"note" validate:"max=500,text"`
}

// CountBatchInput is one scanner's batch of counts. The same batch id
// sent again with the same lines counts once; with other lines it is 409.
type CountBatchInput struct {
	BatchID string      `json:"batch_id" validate:"required,min=1,max=100,text"`
	Lines   []CountLine `json:"lines" validate:"required,min=1,max=2000,dive"`
}

// CountLine is a counted quantity (thousandths) of a SKU; batches add up.
type CountLine struct {
	SKUID uuid.UUID `json:"sku_id" validate:"required"`
	Qty   int64     `json:"qty" validate:"min=0,max=1000000000000"`
}

// CountBatchResult says whether the batch was counted now or earlier.
type CountBatchResult struct {
	StocktakeID uuid.UUID `json:"stocktake_id"`
	BatchID     string    `json:"batch_id"`
	Lines       int       `json:"lines"`
	Replayed    bool      `json:"replayed"`
}

// Variance is a line's difference between count and frozen book.
type Variance struct {
	SKUID        uuid.UUID `json:"sku_id" gorm:"column:sku_id"`
	SKUCode      string    `json:"sku_code"`
	SKUName      string    `json:"sku_name"`
	Unit         Unit      `json:"unit" gorm:"embedded;embeddedPrefix:unit_"`
	BookQty      int64     `json:"book_qty"`
	CountedQty   *int64    `json:"counted_qty"`
	VarianceQty  int64     `json:"variance_qty"`
	UnitCost     int64     `json:"unit_cost"`
	VarianceCost int64     `json:"variance_cost"`
}

// VarianceReport is the review of a stocktake before posting.
type VarianceReport struct {
	StocktakeID     uuid.UUID  `json:"stocktake_id"`
	UncountedAsZero bool       `json:"uncounted_as_zero"`
	Lines           []Variance `json:"lines"`
	GainCost        int64      `json:"gain_cost"`
	LossCost        int64      `json:"loss_cost"`
	NetCost         int64      `json:"net_cost"`
	UncountedLines  int        `json:"uncounted_lines"`
}

// PostStocktakeInput posts a stocktake. Lines never counted keep their
// stock unless UncountedAsZero (a full count where "not found" means none).
type PostStocktakeInput struct {
	UncountedAsZero bool `json:"uncounted_as_zero"`
}

// OpenStocktake freezes the book quantity of the SKUs in scope. One
// stocktake per store is counting at a time (ErrStocktakeOpen).
func (s *Service) OpenStocktake(ctx context.Context, actor *tenant.Principal, in OpenStocktakeInput) (StocktakeDetail, error) {
	var out StocktakeDetail
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		if err := s.CheckStore(ctx, actor.TenantID, in.StoreID); err != nil {
			return err
		}
		cats := uniqueIDs(in.CategoryIDs)
		if len(cats) > 0 {
			var n int
			if err := db.Raw(`SELECT count(*) FROM categories WHERE tenant_id = ? AND id IN ?`, actor.TenantID, cats).Scan(&n).Error; err != nil {
				return err
			}
			if n != len(cats) {
				return ErrBadStocktake.WithFields(problem.FieldError{Field: "category_ids", Message: "names a category that is not in this chain's catalog"})
			}
		}
		// Serialise openings per store (the open check and the insert are
		// one step) with a lock of inventory's own, held to commit.
		if err := db.Exec(`SELECT pg_advisory_xact_lock(hashtextextended('inventory-stocktake:' || ?::text || ':' || ?::text, 0))`,
			actor.TenantID.String(), in.StoreID.String()).Error; err != nil {
			return fmt.Errorf("inventory: lock stocktakes of the store: %w", err)
		}
		var open int
		if err := db.Raw(`SELECT count(*) FROM stocktakes WHERE tenant_id = ? AND store_id = ? AND status = 'counting'`, actor.TenantID, in.StoreID).Scan(&open).Error; err != nil {
			return err
		}
		if open > 0 {
			return ErrStocktakeOpen
		}
		id := uuid.Must(uuid.NewV7())
		scope := "all"
		if len(cats) > 0 {
			scope = "categories"
		}
		if err := db.Exec(`INSERT INTO stocktakes (tenant_id, id, store_id, scope, category_ids, blind, note, opened_by, opened_at)
			VALUES (?, ?, ?, ?, ?::uuid[], ?, ?, ?, ?)`, actor.TenantID, id, in.StoreID, scope, uuidArray(cats), in.Blind, in.Note, actor.UserID, s.clock.Now()).Error; err != nil {
			return fmt.Errorf("inventory: open stocktake: %w", err)
		}
		// Freeze the book of every SKU stocked in the store, or of those
		// under the categories (a category's path holds its ancestors).
		if err := db.Exec(`INSERT INTO stocktake_lines (tenant_id, stocktake_id, sku_id, book_qty, unit_cost)
			SELECT l.tenant_id, ?, l.sku_id, l.on_hand, l.avg_cost FROM stock_levels l
			WHERE l.tenant_id = ? AND l.store_id = ? AND (cardinality(?::uuid[]) = 0 OR EXISTS (
				SELECT 1 FROM skus s JOIN products p ON p.tenant_id = s.tenant_id AND p.id = s.product_id
					JOIN categories c ON c.tenant_id = p.tenant_id AND c.id = p.category_id
				WHERE s.tenant_id = l.tenant_id AND s.id = l.sku_id AND c.path && ?::uuid[]))`,
			id, actor.TenantID, in.StoreID, uuidArray(cats), uuidArray(cats)).Error; err != nil {
			return fmt.Errorf("inventory: freeze book: %w", err)
		}
		if err := audit.Record(ctx, audit.Entry{Action: "stocktake.open", ObjectType: "stocktake", ObjectID: id.String(), StoreID: &in.StoreID,
			Detail: map[string]any{"scope": scope, "category_ids": cats, "blind": in.Blind}}); err != nil {
			return err
		}
		var err error
		if out, err = s.stocktakeDetail(db, actor.TenantID, id, true); err != nil {
			return err
		}
		return s.nameStocktake(ctx, actor.TenantID, &out.Stocktake)
	})
	return out, err
}

// GetStocktake returns a stocktake (store not checked: callers authorise
// on its StoreID first).
func (s *Service) GetStocktake(ctx context.Context, tenantID, id uuid.UUID) (Stocktake, error) {
	var out Stocktake
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var err error
		out, err = getStocktake(tenant.DB(ctx), tenantID, id, "")
		return err
	})
	return out, err
}

// StocktakeDetail returns a stocktake with its lines; showBook false hides
// the book quantities of a blind count in progress.
func (s *Service) StocktakeDetail(ctx context.Context, tenantID, id uuid.UUID, showBook bool) (StocktakeDetail, error) {
	var out StocktakeDetail
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var err error
		if out, err = s.stocktakeDetail(tenant.DB(ctx), tenantID, id, showBook); err != nil {
			return err
		}
		return s.nameStocktake(ctx, tenantID, &out.Stocktake)
	})
	return out, err
}

func (s *Service) stocktakeDetail(db *gorm.DB, tenantID, id uuid.UUID, showBook bool) (StocktakeDetail, error) {
	st, err := getStocktake(db, tenantID, id, "")
	if err != nil {
		return StocktakeDetail{}, err
	}
	out := StocktakeDetail{Stocktake: st, Lines: []StocktakeLine{}}
	if err := db.Raw(`SELECT x.sku_id, s.code AS sku_code, s.name AS sku_name, `+unitColumns+`, x.book_qty, x.counted_qty, x.unit_cost
		FROM stocktake_lines x JOIN skus s ON s.tenant_id = x.tenant_id AND s.id = x.sku_id `+unitJoin+`
		WHERE x.tenant_id = ? AND x.stocktake_id = ? ORDER BY s.code`, tenantID, id).Scan(&out.Lines).Error; err != nil {
		return out, fmt.Errorf("inventory: stocktake lines: %w", err)
	}
	if st.Blind && st.Status == "counting" && !showBook {
		for i := range out.Lines {
			out.Lines[i].BookQty, out.Lines[i].UnitCost = nil, nil
		}
	}
	return out, nil
}

func getStocktake(db *gorm.DB, tenantID, id uuid.UUID, lock string) (Stocktake, error) {
	if lock != "" {
		if err := db.Exec(`SELECT 1 FROM stocktakes WHERE tenant_id = ? AND id = ? `+lock, tenantID, id).Error; err != nil {
			return Stocktake{}, fmt.Errorf("inventory: lock stocktake: %w", err)
		}
	}
	st, err := postgres.One[Stocktake](db, ErrStocktakeNotFound, `SELECT `+stocktakeColumns+` FROM stocktakes t WHERE t.tenant_id = ? AND t.id = ?`, tenantID, id)
	if err != nil {
		return st, err
	}
	st.fill()
	return st, nil
}

func (st *Stocktake) fill() {
	st.CategoryIDs = []uuid.UUID{}
	for _, c := range strings.Split(st.RawCategories, ",") {
		if id, err := uuid.Parse(c); err == nil {
			st.CategoryIDs = append(st.CategoryIDs, id)
		}
	}
}

// ListStocktakes returns stocktakes of the stores in scope, newest first.
func (s *Service) ListStocktakes(ctx context.Context, tenantID uuid.UUID, scope authz.StoreScope, storeID *uuid.UUID, status string, page web.Page) ([]Stocktake, error) {
	var out []Stocktake
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		q := tenant.DB(ctx).Table("stocktakes t").Select(stocktakeColumns).Where("t.tenant_id = ?", tenantID)
		if !scope.All {
			q = q.Where("t.store_id IN ?", append(scope.Stores, uuid.Nil))
		}
		if storeID != nil {
			q = q.Where("t.store_id = ?", *storeID)
		}
		if status != "" {
			q = q.Where("t.status = ?", status)
		}
		if page.Cursor != uuid.Nil {
			q = q.Where("t.id < ?", page.Cursor)
		}
		if err := q.Order("t.id DESC").Limit(page.Limit + 1).Scan(&out).Error; err != nil {
			return err
		}
		for i := range out {
			out[i].fill()
		}
		return s.nameStocktakes(ctx, tenantID, out)
	})
	return out, err
}

// nameStocktakes fills who opened and posted each stocktake (one statement).
func (s *Service) nameStocktakes(ctx context.Context, tenantID uuid.UUID, sts []Stocktake) error {
	return users.FillNames(ctx, s.users, tenantID, sts, func(st *Stocktake) []users.NameField {
		return []users.NameField{{ID: st.OpenedBy, Name: &st.OpenedByName}, {ID: st.PostedBy, Name: &st.PostedByName}}
	})
}

// nameStocktake is nameStocktakes for one stocktake.
func (s *Service) nameStocktake(ctx context.Context, tenantID uuid.UUID, st *Stocktake) error {
	return users.One(st, func(rows []Stocktake) error { return s.nameStocktakes(ctx, tenantID, rows) })
}

// AddCounts adds a scanner batch to a counting stocktake. Idempotent per
// batch id: the same lines again replay; other lines are ErrBatchReused.
// A SKU outside the stocktake's categories is ErrBadStocktake.
func (s *Service) AddCounts(ctx context.Context, actor *tenant.Principal, id uuid.UUID, in CountBatchInput) (CountBatchResult, error) {
	out := CountBatchResult{StocktakeID: id, BatchID: in.BatchID, Lines: len(in.Lines)}
	lines := slices.Clone(in.Lines)
	slices.SortStableFunc(lines, func(a, b CountLine) int { return strings.Compare(a.SKUID.String(), b.SKUID.String()) })
	canon, _ := json.Marshal(lines)
	hash := sha256.Sum256(canon)
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		st, err := getStocktake(db, actor.TenantID, id, "FOR SHARE")
		if err != nil {
			return err
		}
		res := db.Exec(`INSERT INTO stocktake_batches (tenant_id, stocktake_id, batch_id, request_hash, line_count, created_by)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, actor.TenantID, id, in.BatchID, hash[:], len(lines), actor.UserID)
		if res.Error != nil {
			return fmt.Errorf("inventory: record batch: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			var prior []byte
			if err := db.Raw(`SELECT request_hash FROM stocktake_batches WHERE tenant_id = ? AND stocktake_id = ? AND batch_id = ?`,
				actor.TenantID, id, in.BatchID).Row().Scan(&prior); err != nil {
				return fmt.Errorf("inventory: read batch: %w", err)
			}
			if string(prior) != string(hash[:]) {
				return ErrBatchReused.WithFields(problem.FieldError{Field: "batch_id", Message: "was sent before with other counts"})
			}
			out.Replayed = true
			return nil
		}
		if st.Status != "counting" {
			return ErrStocktakeState.WithDetail("the stocktake is %s", st.Status)
		}
		// Every SKU must be the chain's and, for a category count, in scope.
		counts := map[uuid.UUID]int64{} // a batch may name a SKU twice: its counts add up
		var skuIDs []uuid.UUID
		for _, l := range lines {
			if _, ok := counts[l.SKUID]; !ok {
				skuIDs = append(skuIDs, l.SKUID)
			}
			counts[l.SKUID] += l.Qty
		}
		var found []uuid.UUID
		if err := db.Raw(`SELECT s.id FROM skus s WHERE s.tenant_id = ? AND s.id IN ? AND (? <> 'categories' OR EXISTS (
				SELECT 1 FROM products p JOIN categories c ON c.tenant_id = p.tenant_id AND c.id = p.category_id
				WHERE p.tenant_id = s.tenant_id AND p.id = s.product_id AND c.path && ?::uuid[]))`,
			actor.TenantID, skuIDs, st.Scope, uuidArray(st.CategoryIDs)).Scan(&found).Error; err != nil {
			return fmt.Errorf("inventory: check skus: %w", err)
		}
		var bad []problem.FieldError
		for i, l := range in.Lines {
			if !slices.Contains(found, l.SKUID) {
				bad = append(bad, problem.FieldError{Field: fmt.Sprintf("lines[%d].sku_id", i), Message: "is not a SKU of this stocktake"})
			}
		}
		if len(bad) > 0 {
			return ErrBadStocktake.WithFields(bad...)
		}
		// One statement for the batch, in SKU order (the lines are sorted).
		var c columns // sku_id, qty
		for _, id := range skuIDs {
			c.add(id.String(), i64(counts[id]))
		}
		var totals []countTotal
		if err := db.Raw(`INSERT INTO stocktake_lines AS x (tenant_id, stocktake_id, sku_id, book_qty, unit_cost, counted_qty)
			SELECT ?, ?, v.sku_id, 0, coalesce(l.avg_cost, 0), v.qty
			FROM unnest(?::uuid[], ?::bigint[]) AS v(sku_id, qty)
				LEFT JOIN LATERAL (SELECT avg_cost FROM stock_levels WHERE tenant_id = ? AND store_id = ? AND sku_id = v.sku_id LIMIT 1) l ON true
			ORDER BY v.sku_id
			ON CONFLICT (tenant_id, stocktake_id, sku_id) DO UPDATE SET counted_qty = coalesce(x.counted_qty, 0) + EXCLUDED.counted_qty
			RETURNING x.sku_id, x.counted_qty`, append(append([]any{actor.TenantID, id}, c.arrays(2)...), actor.TenantID, st.StoreID)...).Scan(&totals).Error; err != nil {
			return fmt.Errorf("inventory: count: %w", err)
		}
		// Batches add up; the total stays a quantity a movement can carry.
		slices.SortFunc(totals, func(a, b countTotal) int { return bytes.Compare(a.SKUID[:], b.SKUID[:]) })
		for _, t := range totals {
			if t.CountedQty > MaxQty {
				return ErrBadStocktake.WithDetail("SKU %s would be counted at more than %d thousandths", t.SKUID, int64(MaxQty)).
					WithFields(problem.FieldError{Field: "lines", Message: fmt.Sprintf("the counts of SKU %s add up to more than 1e12", t.SKUID)})
			}
		}
		return nil
	})
	return out, err
}

// countTotal is a SKU's count after a batch.
type countTotal struct {
	SKUID      uuid.UUID `gorm:"column:sku_id"`
	CountedQty int64
}

// Variances reviews a stocktake: each line's counted - book at open,
// valued at the unit cost at open, with gain, loss and net totals.
func (s *Service) Variances(ctx context.Context, tenantID, id uuid.UUID, uncountedAsZero bool) (VarianceReport, error) {
	var out VarianceReport
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		if _, err := getStocktake(tenant.DB(ctx), tenantID, id, ""); err != nil {
			return err
		}
		var err error
		out, err = variances(tenant.DB(ctx), tenantID, id, uncountedAsZero)
		return err
	})
	return out, err
}

func variances(db *gorm.DB, tenantID, id uuid.UUID, uncountedAsZero bool) (VarianceReport, error) {
	out := VarianceReport{StocktakeID: id, UncountedAsZero: uncountedAsZero, Lines: []Variance{}}
	var rows []Variance
	if err := db.Raw(`SELECT x.sku_id, s.code AS sku_code, s.name AS sku_name, `+unitColumns+`, x.book_qty, x.counted_qty, x.unit_cost
		FROM stocktake_lines x JOIN skus s ON s.tenant_id = x.tenant_id AND s.id = x.sku_id `+unitJoin+`
		WHERE x.tenant_id = ? AND x.stocktake_id = ? ORDER BY x.sku_id`, tenantID, id).Scan(&rows).Error; err != nil {
		return out, fmt.Errorf("inventory: variances: %w", err)
	}
	for _, v := range rows {
		counted := int64(0)
		switch {
		case v.CountedQty != nil:
			counted = *v.CountedQty
		case uncountedAsZero:
		default:
			out.UncountedLines++
			continue
		}
		v.VarianceQty = counted - v.BookQty
		if v.VarianceQty == 0 {
			continue
		}
		v.VarianceCost = money.MulDiv(v.VarianceQty, v.UnitCost, 1000)
		if v.VarianceCost > 0 {
			out.GainCost += v.VarianceCost
		} else {
			out.LossCost -= v.VarianceCost
		}
		out.Lines = append(out.Lines, v)
	}
	out.NetCost = out.GainCost - out.LossCost
	return out, nil
}

// PostStocktake applies the variances as stocktake movements (gains at the
// unit cost at open, losses at the moving average) and closes the count.
// The frozen book is the reference: sales during the count are not
// counted twice. Needs stocktake:approve (checked by the caller); audited.
func (s *Service) PostStocktake(ctx context.Context, actor *tenant.Principal, id uuid.UUID, in PostStocktakeInput) (VarianceReport, error) {
	var out VarianceReport
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		st, err := getStocktake(db, actor.TenantID, id, "FOR UPDATE")
		if err != nil {
			return err
		}
		if st.Status != "counting" {
			return ErrStocktakeState.WithDetail("the stocktake is %s", st.Status)
		}
		if out, err = variances(db, actor.TenantID, id, in.UncountedAsZero); err != nil {
			return err
		}
		now := s.clock.Now()
		if len(out.Lines) > 0 {
			mv := MoveInput{StoreID: st.StoreID, Kind: KindStocktake, Source: doc.Of(doc.Stocktake, id),
				Reason: "stocktake variance", UserID: &actor.UserID, OccurredAt: now}
			for _, v := range out.Lines {
				uc := v.UnitCost
				mv.Lines = append(mv.Lines, MoveLine{SKUID: v.SKUID, Qty: v.VarianceQty, UnitCost: ptrIf(v.VarianceQty > 0, uc)})
			}
			var value int64 // what the movements moved, gains less losses
			for start := 0; start < len(mv.Lines); start += MaxLines {
				part := mv
				part.Lines = mv.Lines[start:min(start+MaxLines, len(mv.Lines))]
				res, err := s.Apply(ctx, actor.TenantID, part)
				if err != nil {
					return err
				}
				for _, r := range res {
					value += r.CostAmount
				}
			}
			// The ledger takes the value the movements really moved (a loss
			// at the moving average of the moment), one entry per stocktake.
			if value != 0 {
				date, err := s.businessDate(ctx, actor.TenantID, st.StoreID, mv.OccurredAt)
				if err != nil {
					return err
				}
				if _, err := s.fin.PostStocktakeVariance(ctx, actor.TenantID, finance.StocktakeVarianceEvent{
					Source: mv.Source, StoreID: st.StoreID, BusinessDate: date, Amount: value}); err != nil {
					return err
				}
			}
		}
		if err := db.Exec(`UPDATE stocktakes SET status = 'posted', posted_by = ?, posted_at = ? WHERE tenant_id = ? AND id = ?`,
			actor.UserID, now, actor.TenantID, id).Error; err != nil {
			return fmt.Errorf("inventory: post stocktake: %w", err)
		}
		return audit.Record(ctx, audit.Entry{Action: "stocktake.post", ObjectType: "stocktake", ObjectID: id.String(), StoreID: &st.StoreID,
			Detail: map[string]any{"lines": len(out.Lines), "gain_cost": out.GainCost, "loss_cost": out.LossCost, "uncounted_as_zero": in.UncountedAsZero}})
	})
	return out, err
}

// CancelStocktake abandons a counting stocktake; nothing moves.
func (s *Service) CancelStocktake(ctx context.Context, actor *tenant.Principal, id uuid.UUID) (Stocktake, error) {
	var out Stocktake
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		st, err := getStocktake(db, actor.TenantID, id, "FOR UPDATE")
		if err != nil {
			return err
		}
		if st.Status != "counting" {
			return ErrStocktakeState.WithDetail("the stocktake is %s", st.Status)
		}
		if err := db.Exec(`UPDATE stocktakes SET status = 'cancelled', cancelled_at = ? WHERE tenant_id = ? AND id = ?`, s.clock.Now(), actor.TenantID, id).Error; err != nil {
			return err
		}
		if err := audit.Record(ctx, audit.Entry{Action: "stocktake.cancel", ObjectType: "stocktake", ObjectID: id.String(), StoreID: &st.StoreID}); err != nil {
			return err
		}
		if out, err = getStocktake(db, actor.TenantID, id, ""); err != nil {
			return err
		}
		return s.nameStocktake(ctx, actor.TenantID, &out)
	})
	return out, err
}

func ptrIf(ok bool, v int64) *int64 {
	if !ok {
		return nil
	}
	return &v
}

func uniqueIDs(ids []uuid.UUID) []uuid.UUID {
	out := []uuid.UUID{}
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}
