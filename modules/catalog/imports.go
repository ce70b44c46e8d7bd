package catalog

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"chainstore/infra/money"
	"chainstore/infra/postgres"
	"chainstore/infra/sheet"
	"chainstore/infra/web"
	"chainstore/tenant"
	"chainstore/tenant/audit"
)

// Columns of the product file (import and export): one row per SKU; the
// product columns repeat on each SKU of a product.
var fileColumns = []string{"product_code", "product_name", "category_code", "brand", "unit", "weighed", "tax_rate",
	"shelf_life_days", "status", "sku_code", "sku_name", "specs", "plu", "barcodes", "list_price", "member_price", "cost_price"}

var requiredColumns = []string{"product_code", "product_name", "category_code", "unit", "sku_code"}

const (
	// SyncImportRows: imports up to this many good rows commit inside the
	// request (one transaction); larger ones commit in the background in
	// batches, with progress on the import.
	SyncImportRows  = 1000
	importBatchRows = 500
	maxStoredErrors = 1000
)

// importRow is a validated row.
type importRow struct {
	line                                   int
	productCode, productName, categoryCode string
	brand, unit                            string
	weighed                                bool
	taxBP                                  int
	shelfLife                              *int
	status                                 string
	skuCode, skuName                       string
	specs                                  Specs
	plu                                    *string
	barcodes                               []string
	list, member, cost                     *int64
}

// ParseYuan reads a money amount written in yuan ("12.5", "12.50", "¥3")
// as fen, exactly (no floating point). At most two decimals.
func ParseYuan(s string) (int64, error) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(s), "¥"), "￥"))
	if s == "" {
		return 0, errors.New("is empty")
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" || !isDigits(whole) || len(whole) > 9 || (hasFrac && (len(frac) == 0 || len(frac) > 2 || !isDigits(frac))) {
		return 0, errors.New("must be an amount in yuan with at most two decimals, such as 12.50")
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	f, _ := strconv.ParseInt(frac, 10, 64)
	return w*100 + f, nil
}

// FormatYuan writes fen as yuan with two decimals (spreadsheets show yuan).
func FormatYuan(fen int64) string { return money.FormatYuan(fen) }

// parseTaxRate reads "13", "13%" or "9.5%" as basis points.
func parseTaxRate(s string) (int, error) {
	s = strings.TrimSuffix(strings.TrimSpace(s), "%")
	bp, err := ParseYuan(s) // same shape: a number with up to two decimals
	if err != nil || bp > 10000 {
		return 0, errors.New("must be a percentage from 0 to 100, such as 13 or 9%")
	}
	return int(bp), nil
}

func parseBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "0", "false", "no", "n", "否":
		return false, true
	case "1", "true", "yes", "y", "是":
		return true, true
	}
	return false, false
}

// parseSpecs reads "颜色=红;规格=500ml".
func parseSpecs(s string) (Specs, error) {
	out := Specs{}
	if strings.TrimSpace(s) == "" {
		return out, nil
	}
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '；' }) {
		k, v, ok := strings.Cut(part, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" || len(k) > 40 || len(v) > 100 || !web.IsText(k) || !web.IsText(v) {
			return nil, errors.New("must be name=value pairs separated by ';', such as 规格=500ml;口味=原味")
		}
		out[k] = v
	}
	if len(out) > 20 {
		return nil, errors.New("has more than 20 attributes")
	}
	return out, nil
}

// refs are the chain's existing rows an import is checked against.
type refs struct {
	categories map[string]uuid.UUID
	units      map[string]uuid.UUID
	brands     map[string]uuid.UUID
	skuProduct map[string]string // sku code → product code
	barcodeSKU map[string]string // barcode → sku code
	pluSKU     map[string]string // plu → sku code
}

func loadRefs(db *gorm.DB, tenantID uuid.UUID) (*refs, error) {
	r := &refs{categories: map[string]uuid.UUID{}, units: map[string]uuid.UUID{}, brands: map[string]uuid.UUID{},
		skuProduct: map[string]string{}, barcodeSKU: map[string]string{}, pluSKU: map[string]string{}}
	type kv struct {
		K string
		V uuid.UUID
	}
	type ks struct{ K, V string }
	for _, q := range []struct {
		sql string
		m   map[string]uuid.UUID
	}{
		{`SELECT code AS k, id AS v FROM categories WHERE tenant_id = ?`, r.categories},
		{`SELECT code AS k, id AS v FROM units WHERE tenant_id = ?`, r.units},
		{`SELECT name AS k, id AS v FROM brands WHERE tenant_id = ?`, r.brands},
	} {
		var rows []kv
		if err := db.Raw(q.sql, tenantID).Scan(&rows).Error; err != nil {
			return nil, err
		}
		for _, x := range rows {
			q.m[x.K] = x.V
		}
	}
	for _, q := range []struct {
		sql string
		m   map[string]string
	}{
		{`SELECT s.code AS k, p.code AS v FROM skus s JOIN products p ON p.tenant_id = s.tenant_id AND p.id = s.product_id WHERE s.tenant_id = ?`, r.skuProduct},
		{`SELECT b.barcode AS k, s.code AS v FROM sku_barcodes b JOIN skus s ON s.tenant_id = b.tenant_id AND s.id = b.sku_id WHERE b.tenant_id = ?`, r.barcodeSKU},
		{`SELECT plu AS k, code AS v FROM skus WHERE tenant_id = ? AND plu IS NOT NULL`, r.pluSKU},
	} {
		var rows []ks
		if err := db.Raw(q.sql, tenantID).Scan(&rows).Error; err != nil {
			return nil, err
		}
		for _, x := range rows {
			q.m[x.K] = x.V
		}
	}
	return r, nil
}

// validateFile checks every row of t against the chain's data and returns
// the good rows, the per-row errors and how many rows were bad.
func validateFile(t *sheet.Table, r *refs) ([]importRow, []RowError, int, error) {
	col := map[string]int{}
	var missing []string
	for _, c := range fileColumns {
		col[c] = t.Column(c)
	}
	for _, c := range requiredColumns {
		if col[c] < 0 {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, nil, 0, fmt.Errorf("the header lacks the columns %s (expected: %s)", strings.Join(missing, ", "), strings.Join(fileColumns, ", "))
	}
	var good []importRow
	var errs []RowError
	bad := 0
	seenSKU := map[string]int{}
	seenBarcode := map[string]string{}
	seenPLU := map[string]string{}
	product := map[string]importRow{} // first row of each product code
	for i := range t.Rows {
		line := sheet.Line(i)
		cell := func(name string) string { return t.Cell(i, col[name]) }
		var rowErrs []RowError
		fail := func(field, msg string) { rowErrs = append(rowErrs, RowError{Line: line, Field: field, Message: msg}) }
		row := importRow{line: line, productCode: cell("product_code"), productName: cell("product_name"), categoryCode: cell("category_code"),
			brand: cell("brand"), unit: cell("unit"), skuCode: cell("sku_code"), skuName: cell("sku_name"), status: cell("status"), taxBP: 1300}
		if !web.Matches("itemcode", row.productCode) {
			fail("product_code", "must be 1-40 letters, digits, '.', '-' or '_'")
		}
		if row.productName == "" || len([]rune(row.productName)) > 200 || !web.IsText(row.productName) {
			fail("product_name", "must be 1-200 characters of text")
		}
		if _, ok := r.categories[row.categoryCode]; !ok {
			fail("category_code", "is not a category code of this chain")
		}
		if len([]rune(row.brand)) > 100 || !web.IsText(row.brand) {
			fail("brand", "must be at most 100 characters of text")
		}
		if _, ok := r.units[row.unit]; !ok {
			fail("unit", "is not a unit code of this chain")
		}
		var ok bool
		if row.weighed, ok = parseBool(cell("weighed")); !ok {
			fail("weighed", "must be yes/no, true/false or 1/0")
		}
		if v := cell("tax_rate"); v != "" {
			bp, err := parseTaxRate(v)
			if err != nil {
				fail("tax_rate", err.Error())
			}
			row.taxBP = bp
		}
		if v := cell("shelf_life_days"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 36500 {
				fail("shelf_life_days", "must be a whole number of days from 1 to 36500")
			}
			row.shelfLife = &n
		}
		switch row.status {
		case "":
			row.status = "active"
		case "active", "discontinued":
		default:
			fail("status", "must be active or discontinued")
		}
		if !web.Matches("itemcode", row.skuCode) {
			fail("sku_code", "must be 1-40 letters, digits, '.', '-' or '_'")
		} else if first, dup := seenSKU[row.skuCode]; dup {
			fail("sku_code", fmt.Sprintf("is also on line %d", first))
		} else if pc, exists := r.skuProduct[row.skuCode]; exists && pc != row.productCode {
			fail("sku_code", fmt.Sprintf("belongs to product %s", pc))
		}
		if row.skuName == "" {
			row.skuName = row.productName
		}
		if len([]rune(row.skuName)) > 200 || !web.IsText(row.skuName) {
			fail("sku_name", "must be at most 200 characters of text")
		}
		specs, err := parseSpecs(cell("specs"))
		if err != nil {
			fail("specs", err.Error())
		}
		row.specs = specs
		if v := cell("plu"); v != "" {
			if !isDigits(v) || len(v) > 6 {
				fail("plu", "must be 1-6 digits")
			} else {
				p := normPLU(&v)
				row.plu = p
				if owner, ok := r.pluSKU[*p]; ok && owner != row.skuCode {
					fail("plu", "belongs to SKU "+owner)
				} else if owner, ok := seenPLU[*p]; ok && owner != row.skuCode {
					fail("plu", "is also given to SKU "+owner)
				}
			}
		}
		for _, b := range strings.FieldsFunc(cell("barcodes"), func(r rune) bool { return r == ';' || r == '|' || r == ' ' || r == ',' }) {
			code, _, err := NormalizeBarcode(b)
			if err != nil {
				fail("barcodes", b+" "+err.Error())
				continue
			}
			if owner, ok := r.barcodeSKU[code]; ok && owner != row.skuCode {
				fail("barcodes", b+" belongs to SKU "+owner)
			} else if owner, ok := seenBarcode[code]; ok && owner != row.skuCode {
				fail("barcodes", b+" is also given to SKU "+owner)
			}
			row.barcodes = append(row.barcodes, code)
		}
		for _, pc := range []struct {
			name string
			dst  **int64
		}{{"list_price", &row.list}, {"member_price", &row.member}, {"cost_price", &row.cost}} {
			if v := cell(pc.name); v != "" {
				fen, err := ParseYuan(v)
				if err != nil {
					fail(pc.name, err.Error())
					continue
				}
				*pc.dst = &fen
			}
		}
		if first, ok := product[row.productCode]; ok && len(rowErrs) == 0 {
			if first.productName != row.productName || first.categoryCode != row.categoryCode || first.unit != row.unit {
				fail("product_code", fmt.Sprintf("has another name, category or unit on line %d", first.line))
			}
		}
		if len(rowErrs) > 0 {
			bad++
			if len(errs) < maxStoredErrors {
				errs = append(errs, rowErrs...)
			}
			continue
		}
		seenSKU[row.skuCode] = line
		if row.plu != nil {
			seenPLU[*row.plu] = row.skuCode
		}
		for _, b := range row.barcodes {
			seenBarcode[b] = row.skuCode
		}
		if _, ok := product[row.productCode]; !ok {
			product[row.productCode] = row
		}
		good = append(good, row)
	}
	if len(errs) > maxStoredErrors {
		errs = errs[:maxStoredErrors]
	}
	return good, errs, bad, nil
}

// checkFile validates every row of t against the chain as it is now, in
// the caller's transaction: the chain's rows it was checked against, the
// good rows, the report of the bad ones and how many are bad. A file
// without the required columns is ErrImportFile.
func checkFile(db *gorm.DB, tenantID uuid.UUID, t *sheet.Table) (*refs, []importRow, RowErrors, int, error) {
	r, err := loadRefs(db, tenantID)
	if err != nil {
		return nil, nil, nil, 0, err
	}
	good, errs, bad, err := validateFile(t, r)
	if err != nil {
		return nil, nil, nil, 0, ErrImportFile.WithDetail("%s", err.Error())
	}
	return r, good, RowErrors(errs), bad, nil
}

// CreateImport reads an uploaded product file (CSV or XLSX), validates every
// row without writing any product (a dry run) and stores the file with its
// report, status validated. An unreadable file is ErrImportFile.
func (s *Service) CreateImport(ctx context.Context, actor *tenant.Principal, filename string, data []byte) (Import, error) {
	t, err := sheet.Read(data)
	if err != nil {
		return Import{}, ErrImportFile.WithDetail("%s", strings.TrimPrefix(err.Error(), "sheet: "))
	}
	format := "csv"
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		format = "xlsx"
	}
	var out Import
	err = s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		_, good, errs, bad, err := checkFile(db, actor.TenantID, t)
		if err != nil {
			return err
		}
		id := uuid.Must(uuid.NewV7())
		if err := db.Exec(`INSERT INTO catalog_imports (tenant_id, id, filename, format, status, data, total_rows, valid_rows, error_rows, errors, created_by)
			VALUES (?, ?, ?, ?, 'validated', ?, ?, ?, ?, ?::jsonb, ?)`, actor.TenantID, id, filename, format, data, len(t.Rows), len(good), bad,
			errs, nilIfZero(actor.UserID)).Error; err != nil {
			return fmt.Errorf("catalog: store import: %w", err)
		}
		out, err = getImport(db, actor.TenantID, id)
		return err
	})
	return out, err
}

// GetImport returns an import with its report and progress.
func (s *Service) GetImport(ctx context.Context, tenantID, id uuid.UUID) (Import, error) {
	return readTx(ctx, s, tenantID, func(db *gorm.DB) (Import, error) { return getImport(db, tenantID, id) })
}

func getImport(db *gorm.DB, tenantID, id uuid.UUID) (Import, error) {
	imp, err := postgres.One[Import](db, ErrImportNotFound, `SELECT `+importColumns+` FROM catalog_imports WHERE tenant_id = ? AND id = ?`, tenantID, id)
	if err != nil {
		return imp, err
	}
	if imp.Errors == nil {
		imp.Errors = RowErrors{}
	}
	return imp, nil
}

// CommitImport writes an import's good rows: products, SKUs, barcodes and
// HQ prices upserted by code. Rows are validated again against the chain as
// it is now; with bad rows the caller must accept them (acceptErrors) or
// ErrImportHasErrors is returned and nothing is written. Up to
// SyncImportRows good rows commit in the caller's transaction (the import
// comes back committed); more commit in the background in batches of
// importBatchRows, each in its own tenant transaction, and the import comes
// back committing with processed_rows advancing.
func (s *Service) CommitImport(ctx context.Context, actor *tenant.Principal, id uuid.UUID, acceptErrors bool) (Import, error) {
	var out Import
	var background []importRow
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		var data []byte
		var status string
		row := struct {
			Data   []byte
			Status string
		}{}
		if err := db.Raw(`SELECT data, status FROM catalog_imports WHERE tenant_id = ? AND id = ? FOR UPDATE`, actor.TenantID, id).Scan(&row).Error; err != nil {
			return err
		}
		data, status = row.Data, row.Status
		if status == "" {
			return ErrImportNotFound
		}
		if status != "validated" {
			return ErrImportState.WithDetail("the import is %s", status)
		}
		t, err := sheet.Read(data)
		if err != nil {
			return ErrImportFile.WithDetail("%s", err.Error())
		}
		if err := s.lockFeed(ctx, actor.TenantID); err != nil {
			return err
		}
		r, good, errs, bad, err := checkFile(db, actor.TenantID, t)
		if err != nil {
			return err
		}
		if bad > 0 && !acceptErrors {
			return ErrImportHasErrors.WithDetail("%d of %d rows are bad", bad, len(t.Rows))
		}
		if err := db.Exec(`UPDATE catalog_imports SET valid_rows = ?, error_rows = ?, errors = ?::jsonb, accepted_errors = ?, status = 'committing', updated_at = now()
			WHERE tenant_id = ? AND id = ?`, len(good), bad, errs, acceptErrors, actor.TenantID, id).Error; err != nil {
			return err
		}
		if err := audit.Record(ctx, audit.Entry{Action: "catalog.import", ObjectType: "catalog_import", ObjectID: id.String(),
			Detail: map[string]any{"rows": len(t.Rows), "good": len(good), "bad": bad, "accepted_errors": acceptErrors}}); err != nil {
			return err
		}
		if len(good) > SyncImportRows {
			background = good
			out, err = getImport(db, actor.TenantID, id)
			return err
		}
		if err := writeRows(ctx, actor, r, good, s.clock.Now()); err != nil {
			return err
		}
		if err := db.Exec(`UPDATE catalog_imports SET status = 'committed', processed_rows = total_rows, written_rows = ?, committed_at = now(), updated_at = now()
			WHERE tenant_id = ? AND id = ?`, len(good), actor.TenantID, id).Error; err != nil {
			return err
		}
		out, err = getImport(db, actor.TenantID, id)
		return err
	})
	if err != nil || background == nil {
		return out, err
	}
	// Start only once the committing status is visible; the goroutine runs
	// in fresh transactions of its own, never the request's.
	meta := web.MetaFrom(ctx)
	p := *actor
	tenant.AfterCommit(ctx, func(context.Context) {
		bg := tenant.WithPrincipal(web.WithMeta(context.Background(), meta), &p)
		go s.runImport(bg, &p, id, background)
	})
	return out, nil
}

func (s *Service) runImport(ctx context.Context, actor *tenant.Principal, id uuid.UUID, rows []importRow) {
	written := 0
	for start := 0; start < len(rows); start += importBatchRows {
		batch := rows[start:min(start+importBatchRows, len(rows))]
		err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
			if err := s.lockFeed(ctx, actor.TenantID); err != nil {
				return err
			}
			r, err := loadRefs(tenant.DB(ctx), actor.TenantID)
			if err != nil {
				return err
			}
			if err := writeRows(ctx, actor, r, batch, s.clock.Now()); err != nil {
				return err
			}
			return tenant.DB(ctx).Exec(`UPDATE catalog_imports SET processed_rows = error_rows + ?, written_rows = ?, updated_at = now() WHERE tenant_id = ? AND id = ?`,
				start+len(batch), written+len(batch), actor.TenantID, id).Error
		})
		if err != nil {
			slog.ErrorContext(ctx, "catalog import batch failed", "import", id, "err", err)
			_ = s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
				return tenant.DB(ctx).Exec(`UPDATE catalog_imports SET status = 'failed', failure = ?, updated_at = now() WHERE tenant_id = ? AND id = ?`,
					fmt.Sprintf("rows from line %d on were not written: %v", batch[0].line, err), actor.TenantID, id).Error
			})
			return
		}
		written += len(batch)
	}
	_ = s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		return tenant.DB(ctx).Exec(`UPDATE catalog_imports SET status = 'committed', processed_rows = total_rows, committed_at = now(), updated_at = now()
			WHERE tenant_id = ? AND id = ?`, actor.TenantID, id).Error
	})
}

// writeRows upserts validated rows, their prices in force from now; the
// caller holds the feed lock.
func writeRows(ctx context.Context, actor *tenant.Principal, r *refs, rows []importRow, now time.Time) error {
	db := tenant.DB(ctx)
	tid := actor.TenantID
	productIDs := map[string]uuid.UUID{}
	for _, row := range rows {
		var brand *uuid.UUID
		if row.brand != "" {
			b, ok := r.brands[row.brand]
			if !ok {
				if err := db.Raw(`INSERT INTO brands (tenant_id, id, name) VALUES (?, ?, ?)
					ON CONFLICT (tenant_id, name) DO UPDATE SET name = EXCLUDED.name RETURNING id`, tid, uuid.Must(uuid.NewV7()), row.brand).Row().Scan(&b); err != nil {
					return fmt.Errorf("catalog: import brand: %w", err)
				}
				r.brands[row.brand] = b
			}
			brand = &b
		}
		pid, ok := productIDs[row.productCode]
		if !ok {
			if err := db.Raw(`INSERT INTO products (tenant_id, id, code, name, category_id, brand_id, unit_id, tax_rate_bp, shelf_life_days, weighed, status)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (tenant_id, code) DO UPDATE SET name = EXCLUDED.name, category_id = EXCLUDED.category_id, brand_id = EXCLUDED.brand_id,
					unit_id = EXCLUDED.unit_id, tax_rate_bp = EXCLUDED.tax_rate_bp, shelf_life_days = EXCLUDED.shelf_life_days,
					weighed = EXCLUDED.weighed, updated_at = now()
				RETURNING id`, tid, uuid.Must(uuid.NewV7()), row.productCode, row.productName, r.categories[row.categoryCode], brand,
				r.units[row.unit], row.taxBP, row.shelfLife, row.weighed, "active").Row().Scan(&pid); err != nil {
				return fmt.Errorf("catalog: import product %s (line %d): %w", row.productCode, row.line, err)
			}
			productIDs[row.productCode] = pid
		}
		var sid uuid.UUID
		if err := db.Raw(`INSERT INTO skus (tenant_id, id, product_id, code, name, specs, plu, status)
			VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?)
			ON CONFLICT (tenant_id, code) DO UPDATE SET name = EXCLUDED.name, specs = EXCLUDED.specs, plu = EXCLUDED.plu, status = EXCLUDED.status,
				change_seq = nextval('catalog_change_seq'), updated_at = now()
			RETURNING id`, tid, uuid.Must(uuid.NewV7()), pid, row.skuCode, row.skuName, row.specs, row.plu, row.status).Row().Scan(&sid); err != nil {
			return fmt.Errorf("catalog: import sku %s (line %d): %w", row.skuCode, row.line, err)
		}
		for _, b := range row.barcodes {
			_, kind, _ := NormalizeBarcode(b)
			if err := db.Exec(`INSERT INTO sku_barcodes (tenant_id, barcode, sku_id, kind) VALUES (?, ?, ?, ?) ON CONFLICT (tenant_id, barcode) DO NOTHING`,
				tid, b, sid, kind).Error; err != nil {
				return fmt.Errorf("catalog: import barcode %s (line %d): %w", b, row.line, err)
			}
		}
		for _, pc := range []struct {
			kind   string
			amount *int64
		}{{PriceList, row.list}, {PriceMember, row.member}, {PriceCost, row.cost}} {
			if pc.amount == nil {
				continue
			}
			// A new version only when the price changes, so re-importing a
			// file does not grow the history.
			if err := db.Exec(`INSERT INTO price_versions (tenant_id, id, sku_id, store_id, kind, amount, effective_from, created_by)
				SELECT ?, ?, ?, NULL, ?, ?, ?, ?
				WHERE (SELECT amount FROM price_versions WHERE tenant_id = ? AND sku_id = ? AND kind = ? AND store_id IS NULL AND effective_from <= ?
					ORDER BY effective_from DESC, id DESC LIMIT 1) IS DISTINCT FROM ?::bigint`,
				tid, uuid.Must(uuid.NewV7()), sid, pc.kind, *pc.amount, now, nilIfZero(actor.UserID),
				tid, sid, pc.kind, now, *pc.amount).Error; err != nil {
				return fmt.Errorf("catalog: import price (line %d): %w", row.line, err)
			}
		}
	}
	if len(productIDs) > 0 {
		ids := make([]uuid.UUID, 0, len(productIDs))
		for _, id := range productIDs {
			ids = append(ids, id)
		}
		// Product changes reach every SKU of the product on the feed.
		return bump(ctx, tid, "product_id IN ?", ids)
	}
	return nil
}

// ExportProducts returns every SKU as a row of the product file, with HQ's
// prices in force now (cost included when withCost).
func (s *Service) ExportProducts(ctx context.Context, tenantID uuid.UUID, withCost bool) ([]string, [][]string, error) {
	var rows [][]string
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var recs []struct {
			ProductCode   string
			ProductName   string
			CategoryCode  string
			Brand         string
			Unit          string
			Weighed       bool
			TaxRateBP     int
			ShelfLifeDays *int
			Status        string
			SKUCode       string
			SKUName       string
			Specs         Specs
			PLU           *string
			BarcodesCSV   string
			ListHQ        *int64
			MemberHQ      *int64
			CostHQ        *int64
		}
		now := s.clock.Now()
		err := tenant.DB(ctx).Raw(`SELECT p.code AS product_code, p.name AS product_name, c.code AS category_code, coalesce(b.name, '') AS brand,
			u.code AS unit, p.weighed, p.tax_rate_bp, p.shelf_life_days,
			CASE WHEN s.status = 'active' AND p.status = 'active' THEN 'active' ELSE 'discontinued' END AS status,
			s.code AS sku_code, s.name AS sku_name, s.specs, s.plu,
			coalesce((SELECT string_agg(x.barcode, ';' ORDER BY x.barcode) FROM sku_barcodes x WHERE x.tenant_id = s.tenant_id AND x.sku_id = s.id), '') AS barcodes_csv,
			(SELECT v.amount FROM price_versions v WHERE v.tenant_id = s.tenant_id AND v.sku_id = s.id AND v.kind = 'list' AND v.store_id IS NULL AND v.effective_from <= ? ORDER BY v.effective_from DESC, v.id DESC LIMIT 1) AS list_hq,
			(SELECT v.amount FROM price_versions v WHERE v.tenant_id = s.tenant_id AND v.sku_id = s.id AND v.kind = 'member' AND v.store_id IS NULL AND v.effective_from <= ? ORDER BY v.effective_from DESC, v.id DESC LIMIT 1) AS member_hq,
			(SELECT v.amount FROM price_versions v WHERE v.tenant_id = s.tenant_id AND v.sku_id = s.id AND v.kind = 'cost' AND v.store_id IS NULL AND v.effective_from <= ? ORDER BY v.effective_from DESC, v.id DESC LIMIT 1) AS cost_hq
			FROM skus s
			JOIN products p ON p.tenant_id = s.tenant_id AND p.id = s.product_id
			JOIN categories c ON c.tenant_id = p.tenant_id AND c.id = p.category_id
			JOIN units u ON u.tenant_id = p.tenant_id AND u.id = p.unit_id
			LEFT JOIN brands b ON b.tenant_id = p.tenant_id AND b.id = p.brand_id
			WHERE s.tenant_id = ? ORDER BY p.code, s.code`, now, now, now, tenantID).Scan(&recs).Error
		if err != nil {
			return fmt.Errorf("catalog: export: %w", err)
		}
		money := func(v *int64) string {
			if v == nil {
				return ""
			}
			return FormatYuan(*v)
		}
		for _, r := range recs {
			shelf, plu := "", ""
			if r.ShelfLifeDays != nil {
				shelf = strconv.Itoa(*r.ShelfLifeDays)
			}
			if r.PLU != nil {
				plu = *r.PLU
			}
			weighed := "no"
			if r.Weighed {
				weighed = "yes"
			}
			var specs []string
			for k, v := range r.Specs {
				specs = append(specs, k+"="+v)
			}
			slices.Sort(specs)
			cost := ""
			if withCost {
				cost = money(r.CostHQ)
			}
			rows = append(rows, []string{r.ProductCode, r.ProductName, r.CategoryCode, r.Brand, r.Unit, weighed,
				strings.TrimSuffix(strings.TrimSuffix(FormatYuan(int64(r.TaxRateBP)), "00"), ".") + "%", shelf, r.Status, r.SKUCode, r.SKUName,
				strings.Join(specs, ";"), plu, r.BarcodesCSV, money(r.ListHQ), money(r.MemberHQ), cost})
		}
		return nil
	})
	return fileColumns, rows, err
}
