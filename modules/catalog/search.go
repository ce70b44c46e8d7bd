package catalog

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"chainstore/infra/postgres"
	"chainstore/infra/web"
	"chainstore/tenant"
)

// skuMatchColumns read a SKUMatch from skus s, products p and units u,
// its barcodes aggregated in the same statement.
const skuMatchColumns = `s.id AS sku_id, s.product_id, s.code, s.name, p.name AS product_name, s.specs,
	u.code AS unit, u.name AS unit_name, u.kind AS unit_kind,
	CASE WHEN s.status = 'active' AND p.status = 'active' THEN 'active' ELSE 'discontinued' END AS status,
	p.category_id, p.brand_id,
	coalesce((SELECT string_agg(b.barcode, ',' ORDER BY b.barcode) FROM sku_barcodes b WHERE b.tenant_id = s.tenant_id AND b.sku_id = s.id), '') AS barcodes_csv`

// skuMatches is the set of SKU ids a query matches: a SKU code by prefix
// (skus_code_lower_idx), a barcode as given or normalised (its key), a SKU
// or product name by substring (the trigram indexes). Args: skuMatchArgs.
const skuMatches = `s.id IN (
	SELECT id FROM skus WHERE tenant_id = ? AND lower(code) LIKE ?
	UNION SELECT sku_id FROM sku_barcodes WHERE tenant_id = ? AND barcode IN ?
	UNION SELECT id FROM skus WHERE tenant_id = ? AND name ILIKE ?
	UNION SELECT k.id FROM skus k JOIN products n ON n.tenant_id = k.tenant_id AND n.id = k.product_id
		WHERE n.tenant_id = ? AND n.name ILIKE ?)`

func skuMatchArgs(tenantID uuid.UUID, q string) []any {
	codes := []string{q}
	if code, _, err := NormalizeBarcode(q); err == nil && code != q {
		codes = append(codes, code) // UPC-A is stored in its EAN-13 form
	}
	prefix := postgres.EscapeLike(strings.ToLower(q)) + "%"
	like := "%" + postgres.EscapeLike(q) + "%"
	return []any{tenantID, prefix, tenantID, codes, tenantID, like, tenantID, like}
}

type skuMatchRow struct {
	SKUMatch
	BarcodesCSV string
}

// SearchSKUs finds the chain's SKUs for HQ's pickers (no store needed), in
// id order, a page at a time: one statement a page, barcodes included.
// Discontinued SKUs are found too unless f.Status says otherwise; f.IDs
// narrows to given SKUs (a picker naming the SKUs a form holds).
func (s *Service) SearchSKUs(ctx context.Context, tenantID uuid.UUID, f SKUFilter, page web.Page) ([]SKUMatch, error) {
	var rows []skuMatchRow
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		q := tenant.DB(ctx).Table("skus s").Select(skuMatchColumns).
			Joins("JOIN products p ON p.tenant_id = s.tenant_id AND p.id = s.product_id").
			Joins("JOIN units u ON u.tenant_id = p.tenant_id AND u.id = p.unit_id").
			Where("s.tenant_id = ?", tenantID)
		if f.Query != "" {
			q = q.Where(skuMatches, skuMatchArgs(tenantID, f.Query)...)
		}
		if len(f.IDs) > 0 {
			q = q.Where("s.id IN ?", f.IDs)
		}
		switch f.Status {
		case "active":
			q = q.Where("s.status = 'active' AND p.status = 'active'")
		case "discontinued":
			q = q.Where("(s.status = 'discontinued' OR p.status = 'discontinued')")
		}
		if page.Cursor != uuid.Nil {
			q = q.Where("s.id > ?", page.Cursor)
		}
		if err := q.Order("s.id").Limit(page.Limit + 1).Scan(&rows).Error; err != nil {
			return fmt.Errorf("catalog: search skus: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]SKUMatch, len(rows))
	for i, r := range rows {
		m := r.SKUMatch
		if m.Specs == nil {
			m.Specs = Specs{}
		}
		m.Barcodes = []string{}
		if r.BarcodesCSV != "" {
			m.Barcodes = strings.Split(r.BarcodesCSV, ",")
		}
		out[i] = m
	}
	return out, nil
}
