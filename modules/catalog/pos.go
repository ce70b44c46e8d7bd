package catalog

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"chainstore/infra/money"
	"chainstore/infra/postgres"
	"chainstore/infra/problem"
	"chainstore/tenant"
	"chainstore/tenant/audit"
)

// MaxChangesPage is the largest delta-feed page.
const MaxChangesPage = 5000

// itemSelect reads the till's view of SKUs in one statement: product and
// unit facts, barcodes, the store's and HQ's prices in force at a time and
// the scheduled changes after it. Args: priceArgs(store, at), then store
// and at for the schedule, then the tenant, then the caller's WHERE args.
const itemSelect = `SELECT s.id AS sku_id, s.product_id, s.code, s.name, p.name AS product_name, s.specs, p.category_id, p.brand_id,
	u.code AS unit, u.kind AS unit_kind, p.weighed, p.tax_rate_bp, p.shelf_life_days,
	CASE WHEN s.status = 'active' AND p.status = 'active' THEN 'active' ELSE 'discontinued' END AS status,
	s.plu, s.change_seq,
	coalesce((SELECT string_agg(b.barcode, ',' ORDER BY b.barcode) FROM sku_barcodes b WHERE b.tenant_id = s.tenant_id AND b.sku_id = s.id), '') AS barcodes_csv,
	` + priceCols + `,
	(SELECT json_agg(json_build_object('kind', v.kind, 'amount', v.amount, 'store_override', v.store_id IS NOT NULL,
			'effective_from', v.effective_from) ORDER BY v.effective_from, v.id)
		FROM price_versions v WHERE v.tenant_id = s.tenant_id AND v.sku_id = s.id AND v.kind IN ('list', 'member')
		AND (v.store_id IS NULL OR v.store_id = ?) AND v.effective_from > ?) AS scheduled
	FROM skus s
	JOIN products p ON p.tenant_id = s.tenant_id AND p.id = s.product_id
	JOIN units u ON u.tenant_id = p.tenant_id AND u.id = p.unit_id
	WHERE s.tenant_id = ? AND `

type itemRow struct {
	SKUID         uuid.UUID `gorm:"column:sku_id"`
	ProductID     uuid.UUID
	Code          string
	Name          string
	ProductName   string
	Specs         Specs
	CategoryID    uuid.UUID
	BrandID       *uuid.UUID
	Unit          string
	UnitKind      string
	Weighed       bool
	TaxRateBP     int
	ShelfLifeDays *int
	Status        string
	PLU           *string
	ChangeSeq     int64
	BarcodesCSV   string
	ListStore     *int64
	ListHQ        *int64
	MemberStore   *int64
	MemberHQ      *int64
	Scheduled     jsonList[ScheduledPrice]
	// CategoryPath is read only by a sale's look-up (pathCol).
	CategoryPath postgres.UUIDList
}

// pathCol is the item's category path from the root, the column a sale's
// look-up adds to itemSelect, so a cart's SKUs and their paths cost one
// statement.
const pathCol = `SELECT (SELECT c.path FROM categories c WHERE c.tenant_id = s.tenant_id AND c.id = p.category_id) AS category_path,`

// items loads the till's view of the SKUs matching where (with args), in
// order, priced for the store now, with scheduled price changes: one
// statement however many SKUs match.
func items(db *gorm.DB, tenantID, storeID uuid.UUID, now time.Time, where string, args ...any) ([]Item, error) {
	out, _, err := itemsWith(db, itemSelect, tenantID, storeID, now, where, args...)
	return out, err
}

// itemsWith is items from the given select (itemSelect, or itemSelect
// with pathCol), with each item's category path.
func itemsWith(db *gorm.DB, sel string, tenantID, storeID uuid.UUID, now time.Time, where string, args ...any) ([]Item, [][]uuid.UUID, error) {
	var rows []itemRow
	all := append(priceArgs(&storeID, now, false), storeID, now, tenantID)
	all = append(all, args...)
	if err := db.Raw(sel+where, all...).Scan(&rows).Error; err != nil {
		return nil, nil, fmt.Errorf("catalog: items: %w", err)
	}
	out := make([]Item, len(rows))
	paths := make([][]uuid.UUID, len(rows))
	for i, r := range rows {
		it := Item{SKUID: r.SKUID, ProductID: r.ProductID, Code: r.Code, Name: r.Name, ProductName: r.ProductName, Specs: r.Specs,
			CategoryID: r.CategoryID, BrandID: r.BrandID, Unit: r.Unit, UnitKind: r.UnitKind, Weighed: r.Weighed, TaxRateBP: r.TaxRateBP,
			ShelfLifeDays: r.ShelfLifeDays, Status: r.Status, PLU: r.PLU, ChangeSeq: r.ChangeSeq, Barcodes: []string{}, Scheduled: []ScheduledPrice{}}
		if it.Specs == nil {
			it.Specs = Specs{}
		}
		if r.BarcodesCSV != "" {
			it.Barcodes = strings.Split(r.BarcodesCSV, ",")
		}
		it.ListPrice, _ = pick(r.ListStore, r.ListHQ)
		it.MemberPrice, _ = pick(r.MemberStore, r.MemberHQ)
		for _, sp := range r.Scheduled {
			sp.EffectiveFrom = sp.EffectiveFrom.UTC()
			it.Scheduled = append(it.Scheduled, sp)
		}
		out[i], paths[i] = it, r.CategoryPath
	}
	return out, paths, nil
}

// Changes is the delta feed of a store: SKUs changed after since, in
// change order, each a full snapshot priced for the store now with its
// scheduled price changes (a till applies those at their time; a scheduled
// store row with a null amount ends the override). A till starts at since=0
// and pages with next_since until has_more is false.
func (s *Service) Changes(ctx context.Context, tenantID, storeID uuid.UUID, since int64, limit int) (Changes, error) {
	out := Changes{NextSince: since}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		if err := s.storeExists(ctx, tenantID, storeID); err != nil {
			return err
		}
		rows, err := items(db, tenantID, storeID, s.clock.Now(), `s.change_seq > ? ORDER BY s.change_seq LIMIT ?`, since, limit+1)
		if err != nil {
			return err
		}
		if len(rows) > limit {
			rows, out.HasMore = rows[:limit], true
		}
		out.Data = rows
		if len(rows) > 0 {
			out.NextSince = rows[len(rows)-1].ChangeSeq
		}
		return nil
	})
	return out, err
}

// LookupQuery is one POS look-up: exactly one of Barcode, Code, Query.
type LookupQuery struct {
	Barcode string
	Code    string
	Query   string
	Limit   int
}

// Lookup finds items for a till in a store, priced for the store now. A
// barcode is tried as registered (EAN/UPC/in-store), then as a weighed-goods
// code of the chain's scale layouts (the SKU by PLU, with the embedded
// weight or price in Scan). Code is a SKU or product code; Query searches
// names (trigram index) and returns active items only. Nothing found is
// ErrNotFoundInLookup for barcode and code, an empty list for a query.
func (s *Service) Lookup(ctx context.Context, tenantID, storeID uuid.UUID, q LookupQuery) (LookupResult, error) {
	out := LookupResult{Data: []Item{}}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		if err := s.storeExists(ctx, tenantID, storeID); err != nil {
			return err
		}
		now := s.clock.Now()
		var err error
		switch {
		case q.Barcode != "":
			// A registered code wins, even one shaped like a scale code, so
			// it is tried first (as scanned and normalised: UPC-A as EAN-13);
			// the chain's scale layouts are read only when it is not one.
			raw := strings.TrimSpace(q.Barcode)
			codes, kind := []string{raw}, KindInStore
			if code, k, err := NormalizeBarcode(raw); err == nil {
				kind = k
				if code != raw {
					codes = append(codes, code)
				}
			}
			out.Data, err = items(db, tenantID, storeID, now,
				`s.id = (SELECT b.sku_id FROM sku_barcodes b WHERE b.tenant_id = ? AND b.barcode IN ? LIMIT 1)`, tenantID, codes)
			if err != nil {
				return err
			}
			if len(out.Data) > 0 {
				out.Scan = &ScanInfo{Barcode: raw, Kind: kind}
				return nil
			}
			if !scaleShaped(raw) {
				return ErrNotFoundInLookup // no layout reads it: skip reading them
			}
			layouts, err := scaleLayouts(db, tenantID)
			if err != nil {
				return err
			}
			if sc, _ := ParseScan(raw, layouts); sc.Weighed {
				out.Data, err = items(db, tenantID, storeID, now, `s.plu = ?`, sc.PLU)
				if err != nil {
					return err
				}
				if len(out.Data) > 0 {
					out.Scan = &ScanInfo{Barcode: raw, Kind: sc.Kind, Weighed: true, PLU: sc.PLU, Quantity: sc.Quantity, Amount: sc.Amount}
					deriveWeight(out.Scan, out.Data[0])
				}
			}
			if len(out.Data) == 0 {
				return ErrNotFoundInLookup
			}
		case q.Code != "":
			out.Data, err = items(db, tenantID, storeID, now,
				`(s.code = ? OR s.product_id = (SELECT id FROM products WHERE tenant_id = ? AND code = ?)) ORDER BY s.code LIMIT 50`, q.Code, tenantID, q.Code)
			if err != nil {
				return err
			}
			if len(out.Data) == 0 {
				return ErrNotFoundInLookup
			}
		default:
			like := "%" + postgres.EscapeLike(q.Query) + "%"
			out.Data, err = items(db, tenantID, storeID, now,
				`s.name ILIKE ? AND s.status = 'active' AND p.status = 'active' ORDER BY length(s.name), s.id LIMIT ?`, like, q.Limit)
			if err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// deriveWeight estimates the weight of a price-only scale label: the
// label's amount at the item's list price in force per unit, in thousandths
// of the unit (grams for kg), rounded half away from zero. The till charges
// the label's amount and deducts this weight from stock. A markdown label
// (printed below the list price) under-states the weight and the gap shows
// as a stocktake loss; chains that mark down by scale should print weight
// too (price_weight layouts). Nothing is derived without a list price.
func deriveWeight(scan *ScanInfo, it Item) {
	if scan.Quantity != nil || scan.Amount == nil || !it.Weighed || it.ListPrice == nil || *it.ListPrice <= 0 {
		return
	}
	q := money.MulDiv(*scan.Amount, 1000, *it.ListPrice)
	scan.Quantity, scan.QuantityDerived = &q, true
}

func scaleLayouts(db *gorm.DB, tenantID uuid.UUID) ([]ScaleLayout, error) {
	var out []ScaleLayout
	if err := db.Raw(`SELECT prefix, plu_length, value_kind, value_length FROM scale_barcode_layouts WHERE tenant_id = ? ORDER BY length(prefix) DESC, prefix`, tenantID).
		Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("catalog: scale layouts: %w", err)
	}
	if len(out) == 0 {
		out = []ScaleLayout{DefaultScaleLayout}
	}
	return out, nil
}

// ScaleLayouts returns the chain's weighed-goods barcode layouts (the
// default when it has set none).
func (s *Service) ScaleLayouts(ctx context.Context, tenantID uuid.UUID) ([]ScaleLayout, error) {
	return readTx(ctx, s, tenantID, func(db *gorm.DB) ([]ScaleLayout, error) { return scaleLayouts(db, tenantID) })
}

// SetScaleLayouts replaces the chain's layouts (audited). Prefixes must be
// distinct and describe 13- or 18-digit codes.
func (s *Service) SetScaleLayouts(ctx context.Context, actor *tenant.Principal, layouts []ScaleLayout) ([]ScaleLayout, error) {
	var bad []problem.FieldError
	seen := map[string]bool{}
	for i, l := range layouts {
		if err := l.Check(); err != nil {
			bad = append(bad, problem.FieldError{Field: fmt.Sprintf("layouts[%d]", i), Message: err.Error()})
		}
		if seen[l.Prefix] {
			bad = append(bad, problem.FieldError{Field: fmt.Sprintf("layouts[%d].prefix", i), Message: "is given twice"})
		}
		seen[l.Prefix] = true
	}
	if len(bad) > 0 {
		return nil, ErrInvalid.WithFields(bad...)
	}
	var out []ScaleLayout
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		if err := db.Exec(`DELETE FROM scale_barcode_layouts WHERE tenant_id = ?`, actor.TenantID).Error; err != nil {
			return err
		}
		for _, l := range layouts {
			if err := db.Exec(`INSERT INTO scale_barcode_layouts (tenant_id, prefix, plu_length, value_kind, value_length) VALUES (?, ?, ?, ?, ?)`,
				actor.TenantID, l.Prefix, l.PLULength, l.ValueKind, l.ValueLength).Error; err != nil {
				return fmt.Errorf("catalog: set scale layouts: %w", err)
			}
		}
		if err := audit.Record(ctx, audit.Entry{Action: "catalog.scale_layouts", ObjectType: "tenant", ObjectID: actor.TenantID.String(),
			Detail: map[string]any{"layouts": layouts}}); err != nil {
			return err
		}
		var err error
		out, err = scaleLayouts(db, actor.TenantID)
		return err
	})
	return out, err
}
