// Package catalog holds what a chain sells: categories, brands, units, products,
// SKUs, barcodes and versioned prices, with the look-ups and the delta feed
// the POS uses.
package catalog

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"chainstore/infra/clock"
	"chainstore/infra/postgres"
	"chainstore/infra/problem"
	"chainstore/infra/web"
	"chainstore/tenant"
	"chainstore/tenant/audit"
	"chainstore/tenant/authz"
	"chainstore/tenant/org"
)

// Service is the catalog module's business logic.
type Service struct {
	pool  *tenant.Pool
	authz *authz.Authorizer
	clock *clock.Clock
	org   *org.Service
}

// New builds the service. The clock sets every business time the catalog
// stamps or prices at (effective times, "now" at the till); org answers
// whether a store exists.
func New(pool *tenant.Pool, az *authz.Authorizer, clk *clock.Clock, orgs *org.Service) *Service {
	return &Service{pool: pool, authz: az, clock: clk, org: orgs}
}

// lockFeed serialises a tenant's catalog writers until commit, so change_seq
// values (drawn after the lock) commit in order and the delta feed never
// skips a row that commits late. Every write that touches skus or prices
// takes it first.
func lockFeed(ctx context.Context, tenantID uuid.UUID) error {
	return tenant.DB(ctx).Exec(`SELECT pg_advisory_xact_lock(hashtextextended('catalog-feed:' || ?::text, 0))`, tenantID.String()).Error
}

// bump stamps SKUs with the next change_seq so the feed re-sends them.
func bump(ctx context.Context, tenantID uuid.UUID, where string, args ...any) error {
	q := `UPDATE skus SET change_seq = nextval('catalog_change_seq'), updated_at = now() WHERE tenant_id = ? AND ` + where
	if err := tenant.DB(ctx).Exec(q, append([]any{tenantID}, args...)...).Error; err != nil {
		return fmt.Errorf("catalog: bump change_seq: %w", err)
	}
	return nil
}

// ── categories ──

// ListCategories returns categories flat (each with parent_id and depth),
// in id order; parentID narrows to the direct children of one category.
func (s *Service) ListCategories(ctx context.Context, tenantID uuid.UUID, parentID *uuid.UUID, roots bool, page web.Page) ([]Category, error) {
	var out []Category
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		q := tenant.DB(ctx).Table("categories").Select(categoryColumns).Where("tenant_id = ?", tenantID)
		if parentID != nil {
			q = q.Where("parent_id = ?", *parentID)
		} else if roots {
			q = q.Where("parent_id IS NULL")
		}
		if page.Cursor != uuid.Nil {
			q = q.Where("id > ?", page.Cursor)
		}
		return q.Order("id").Limit(page.Limit + 1).Scan(&out).Error
	})
	return out, err
}

// GetCategory returns one category, or ErrCategoryNotFound.
func (s *Service) GetCategory(ctx context.Context, tenantID, id uuid.UUID) (Category, error) {
	var out Category
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var err error
		out, err = getCategory(tenant.DB(ctx), tenantID, id)
		return err
	})
	return out, err
}

func getCategory(db *gorm.DB, tenantID, id uuid.UUID) (Category, error) {
	return postgres.One[Category](db, ErrCategoryNotFound, `SELECT `+categoryColumns+` FROM categories WHERE tenant_id = ? AND id = ?`, tenantID, id)
}

// CreateCategory adds a category (under an existing parent of the chain).
func (s *Service) CreateCategory(ctx context.Context, actor *tenant.Principal, in CreateCategoryInput) (Category, error) {
	var out Category
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		if in.ParentID != nil {
			if _, err := getCategory(db, actor.TenantID, *in.ParentID); err != nil {
				return ErrInvalid.WithFields(problem.FieldError{Field: "parent_id", Message: "is not a category of this chain"})
			}
		}
		id := uuid.Must(uuid.NewV7())
		err := db.Exec(`INSERT INTO categories (tenant_id, id, parent_id, code, name, path, sort_order)
			VALUES (?, ?, ?, ?, ?, coalesce((SELECT path FROM categories WHERE tenant_id = ? AND id = ?), '{}') || ?::uuid, ?)`,
			actor.TenantID, id, in.ParentID, in.Code, in.Name, actor.TenantID, in.ParentID, id, in.SortOrder).Error
		if c, ok := postgres.IsUniqueViolation(err); ok && c == "categories_code_key" {
			return ErrCategoryCodeTkn.WithFields(problem.FieldError{Field: "code", Message: "is taken by another category"})
		}
		if err != nil {
			return fmt.Errorf("catalog: create category: %w", err)
		}
		out, err = getCategory(db, actor.TenantID, id)
		return err
	})
	return out, err
}

// UpdateCategory renames or moves a category; a move carries its subtree
// and refuses to put a category under itself or its descendants.
func (s *Service) UpdateCategory(ctx context.Context, actor *tenant.Principal, id uuid.UUID, in UpdateCategoryInput) (Category, error) {
	var out Category
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		if _, err := getCategory(db, actor.TenantID, id); err != nil {
			return err
		}
		set := map[string]any{}
		if in.Code != nil {
			set["code"] = *in.Code
		}
		if in.Name != nil {
			set["name"] = *in.Name
		}
		if in.SortOrder != nil {
			set["sort_order"] = *in.SortOrder
		}
		if len(set) > 0 {
			set["updated_at"] = gorm.Expr("now()")
			err := db.Table("categories").Where("tenant_id = ? AND id = ?", actor.TenantID, id).Updates(set).Error
			if c, ok := postgres.IsUniqueViolation(err); ok && c == "categories_code_key" {
				return ErrCategoryCodeTkn.WithFields(problem.FieldError{Field: "code", Message: "is taken by another category"})
			}
			if err != nil {
				return fmt.Errorf("catalog: update category: %w", err)
			}
		}
		if in.ParentID != nil || in.MoveToRoot {
			if in.ParentID != nil && in.MoveToRoot {
				return ErrInvalid.WithFields(problem.FieldError{Field: "parent_id", Message: "cannot be set with move_to_root"})
			}
			var newBase string // the new parent's path, as SQL
			args := []any{}
			if in.ParentID != nil {
				var under int64
				if err := db.Raw(`SELECT count(*) FROM categories WHERE tenant_id = ? AND id = ? AND NOT (path @> ARRAY[?::uuid])`,
					actor.TenantID, *in.ParentID, id).Scan(&under).Error; err != nil {
					return err
				}
				if under == 0 {
					return ErrInvalid.WithFields(problem.FieldError{Field: "parent_id", Message: "must be a category of this chain outside this category's subtree"})
				}
				newBase = `(SELECT path FROM categories WHERE tenant_id = ? AND id = ?)`
				args = append(args, actor.TenantID, *in.ParentID)
			} else {
				newBase = `'{}'::uuid[]`
			}
			// Every row of the subtree: new parent path || the row's path from this category down.
			q := `UPDATE categories c SET path = ` + newBase + ` || c.path[array_position(c.path, ?::uuid):cardinality(c.path)], updated_at = now()
				WHERE c.tenant_id = ? AND c.path @> ARRAY[?::uuid]`
			args = append(args, id, actor.TenantID, id)
			if err := db.Exec(q, args...).Error; err != nil {
				return fmt.Errorf("catalog: move category: %w", err)
			}
			if err := db.Exec(`UPDATE categories SET parent_id = ? WHERE tenant_id = ? AND id = ?`, in.ParentID, actor.TenantID, id).Error; err != nil {
				return fmt.Errorf("catalog: move category: %w", err)
			}
		}
		var err error
		out, err = getCategory(db, actor.TenantID, id)
		return err
	})
	return out, err
}

// DeleteCategory removes an empty category (no subcategories, no products).
func (s *Service) DeleteCategory(ctx context.Context, actor *tenant.Principal, id uuid.UUID) error {
	return s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		if _, err := getCategory(db, actor.TenantID, id); err != nil {
			return err
		}
		var used int64
		if err := db.Raw(`SELECT (SELECT count(*) FROM categories WHERE tenant_id = ? AND parent_id = ?) +
			(SELECT count(*) FROM products WHERE tenant_id = ? AND category_id = ?)`, actor.TenantID, id, actor.TenantID, id).Scan(&used).Error; err != nil {
			return err
		}
		if used > 0 {
			return ErrCategoryInUse
		}
		return db.Exec(`DELETE FROM categories WHERE tenant_id = ? AND id = ?`, actor.TenantID, id).Error
	})
}

// ── brands and units ──

// ListBrands returns brands in id order.
func (s *Service) ListBrands(ctx context.Context, tenantID uuid.UUID, q string, page web.Page) ([]Brand, error) {
	var out []Brand
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx).Table("brands").Select("id, name, created_at").Where("tenant_id = ?", tenantID)
		if q != "" {
			db = db.Where("name ILIKE ?", "%"+postgres.EscapeLike(q)+"%")
		}
		if page.Cursor != uuid.Nil {
			db = db.Where("id > ?", page.Cursor)
		}
		return db.Order("id").Limit(page.Limit + 1).Scan(&out).Error
	})
	return out, err
}

// CreateBrand adds a brand.
func (s *Service) CreateBrand(ctx context.Context, actor *tenant.Principal, in BrandInput) (Brand, error) {
	var out Brand
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		err := tenant.DB(ctx).Raw(`INSERT INTO brands (tenant_id, id, name) VALUES (?, ?, ?) RETURNING id, name, created_at`,
			actor.TenantID, uuid.Must(uuid.NewV7()), in.Name).Scan(&out).Error
		if c, ok := postgres.IsUniqueViolation(err); ok && c == "brands_name_key" {
			return ErrBrandNameTaken.WithFields(problem.FieldError{Field: "name", Message: "is taken by another brand"})
		}
		return err
	})
	return out, err
}

// UpdateBrand renames a brand.
func (s *Service) UpdateBrand(ctx context.Context, actor *tenant.Principal, id uuid.UUID, in BrandInput) (Brand, error) {
	var rows []Brand
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		err := tenant.DB(ctx).Raw(`UPDATE brands SET name = ? WHERE tenant_id = ? AND id = ? RETURNING id, name, created_at`,
			in.Name, actor.TenantID, id).Scan(&rows).Error
		if c, ok := postgres.IsUniqueViolation(err); ok && c == "brands_name_key" {
			return ErrBrandNameTaken.WithFields(problem.FieldError{Field: "name", Message: "is taken by another brand"})
		}
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			return ErrBrandNotFound
		}
		return nil
	})
	if err != nil {
		return Brand{}, err
	}
	return rows[0], nil
}

// ListUnits returns every unit of the chain (a short list).
func (s *Service) ListUnits(ctx context.Context, tenantID uuid.UUID) ([]Unit, error) {
	out := []Unit{}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		return tenant.DB(ctx).Raw(`SELECT id, code, name, kind, created_at FROM units WHERE tenant_id = ? ORDER BY code`, tenantID).Scan(&out).Error
	})
	return out, err
}

// CreateUnit adds a unit.
func (s *Service) CreateUnit(ctx context.Context, actor *tenant.Principal, in UnitInput) (Unit, error) {
	var out Unit
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		err := tenant.DB(ctx).Raw(`INSERT INTO units (tenant_id, id, code, name, kind) VALUES (?, ?, ?, ?, ?) RETURNING id, code, name, kind, created_at`,
			actor.TenantID, uuid.Must(uuid.NewV7()), in.Code, in.Name, in.Kind).Scan(&out).Error
		if c, ok := postgres.IsUniqueViolation(err); ok && c == "units_code_key" {
			return ErrUnitCodeTaken.WithFields(problem.FieldError{Field: "code", Message: "is taken by another unit"})
		}
		return err
	})
	return out, err
}

// ── products and SKUs ──

// ListProducts returns products in id order (without their SKUs).
func (s *Service) ListProducts(ctx context.Context, tenantID uuid.UUID, f ProductFilter, page web.Page) ([]Product, error) {
	var out []Product
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		q := tenant.DB(ctx).Table("products p").Select("p."+strings.ReplaceAll(productColumns, ", ", ", p.")).Where("p.tenant_id = ?", tenantID)
		if f.CategoryID != nil {
			q = q.Where(`p.category_id IN (SELECT id FROM categories WHERE tenant_id = ? AND path @> ARRAY[?::uuid])`, tenantID, *f.CategoryID)
		}
		if f.BrandID != nil {
			q = q.Where("p.brand_id = ?", *f.BrandID)
		}
		if f.Status != "" {
			q = q.Where("p.status = ?", f.Status)
		}
		if f.Query != "" {
			like := "%" + postgres.EscapeLike(f.Query) + "%"
			q = q.Where("(p.name ILIKE ? OR p.code ILIKE ?)", like, like)
		}
		if page.Cursor != uuid.Nil {
			q = q.Where("p.id > ?", page.Cursor)
		}
		if err := q.Order("p.id").Limit(page.Limit + 1).Scan(&out).Error; err != nil {
			return err
		}
		for i := range out {
			out[i].SKUs = []SKU{}
		}
		return nil
	})
	return out, err
}

// GetProduct returns a product with its SKUs and their barcodes.
func (s *Service) GetProduct(ctx context.Context, tenantID, id uuid.UUID) (Product, error) {
	var out Product
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var err error
		out, err = getProduct(tenant.DB(ctx), tenantID, id)
		return err
	})
	return out, err
}

func getProduct(db *gorm.DB, tenantID, id uuid.UUID) (Product, error) {
	p, err := postgres.One[Product](db, ErrProductNotFound, `SELECT `+productColumns+` FROM products WHERE tenant_id = ? AND id = ?`, tenantID, id)
	if err != nil {
		return p, err
	}
	skus, err := listSKUs(db, tenantID, "product_id = ?", id)
	if err != nil {
		return Product{}, err
	}
	p.SKUs = skus
	return p, nil
}

func listSKUs(db *gorm.DB, tenantID uuid.UUID, where string, args ...any) ([]SKU, error) {
	skus := []SKU{}
	if err := db.Raw(`SELECT `+skuColumns+` FROM skus WHERE tenant_id = ? AND `+where+` ORDER BY id`, append([]any{tenantID}, args...)...).Scan(&skus).Error; err != nil {
		return nil, fmt.Errorf("catalog: list skus: %w", err)
	}
	if len(skus) == 0 {
		return skus, nil
	}
	ids := make([]uuid.UUID, len(skus))
	for i, s := range skus {
		ids[i] = s.ID
		skus[i].Barcodes = []Barcode{}
	}
	var bcs []Barcode
	if err := db.Raw(`SELECT barcode, kind, sku_id FROM sku_barcodes WHERE tenant_id = ? AND sku_id IN ? ORDER BY barcode`, tenantID, ids).Scan(&bcs).Error; err != nil {
		return nil, fmt.Errorf("catalog: list barcodes: %w", err)
	}
	for _, b := range bcs {
		for i := range skus {
			if skus[i].ID == b.SKUID {
				skus[i].Barcodes = append(skus[i].Barcodes, b)
			}
		}
	}
	return skus, nil
}

// GetSKUs returns the SKUs with the given ids (with barcodes); ids of
// another tenant or unknown ids are simply absent from the map. Inventory
// and the POS call it inside their own transaction.
func (s *Service) GetSKUs(ctx context.Context, tenantID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]SKU, error) {
	out := map[uuid.UUID]SKU{}
	if len(ids) == 0 {
		return out, nil
	}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		skus, err := listSKUs(tenant.DB(ctx), tenantID, "id IN ?", ids)
		for _, k := range skus {
			out[k.ID] = k
		}
		return err
	})
	return out, err
}

// GetSKU returns one SKU, or ErrSKUNotFound.
func (s *Service) GetSKU(ctx context.Context, tenantID, id uuid.UUID) (SKU, error) {
	m, err := s.GetSKUs(ctx, tenantID, []uuid.UUID{id})
	if err != nil {
		return SKU{}, err
	}
	k, ok := m[id]
	if !ok {
		return SKU{}, ErrSKUNotFound
	}
	return k, nil
}

// checkRefs verifies that a product's category, brand and unit belong to the chain.
func checkRefs(db *gorm.DB, tenantID uuid.UUID, category, brand, unit *uuid.UUID) error {
	var bad []problem.FieldError
	exists := func(table string, id *uuid.UUID, field, msg string) error {
		if id == nil {
			return nil
		}
		var n int64
		if err := db.Raw(`SELECT count(*) FROM `+table+` WHERE tenant_id = ? AND id = ?`, tenantID, *id).Scan(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			bad = append(bad, problem.FieldError{Field: field, Message: msg})
		}
		return nil
	}
	if err := exists("categories", category, "category_id", "is not a category of this chain"); err != nil {
		return err
	}
	if err := exists("brands", brand, "brand_id", "is not a brand of this chain"); err != nil {
		return err
	}
	if err := exists("units", unit, "unit_id", "is not a unit of this chain"); err != nil {
		return err
	}
	if len(bad) > 0 {
		return ErrInvalid.WithFields(bad...)
	}
	return nil
}

// CreateProduct creates a product with its SKUs, barcodes and opening HQ
// prices in one transaction (audited).
func (s *Service) CreateProduct(ctx context.Context, actor *tenant.Principal, in CreateProductInput) (Product, error) {
	var out Product
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		if err := lockFeed(ctx, actor.TenantID); err != nil {
			return err
		}
		if err := checkRefs(db, actor.TenantID, &in.CategoryID, in.BrandID, &in.UnitID); err != nil {
			return err
		}
		// Validate every barcode before writing anything.
		var bad []problem.FieldError
		for i, k := range in.SKUs {
			for j, b := range k.Barcodes {
				if _, _, err := NormalizeBarcode(b); err != nil {
					bad = append(bad, problem.FieldError{Field: fmt.Sprintf("skus[%d].barcodes[%d]", i, j), Message: err.Error()})
				}
			}
		}
		if len(bad) > 0 {
			return ErrInvalid.WithFields(bad...)
		}
		tax := 1300
		if in.TaxRateBP != nil {
			tax = *in.TaxRateBP
		}
		id := uuid.Must(uuid.NewV7())
		err := db.Exec(`INSERT INTO products (tenant_id, id, code, name, category_id, brand_id, unit_id, tax_rate_bp, shelf_life_days, weighed, description)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, actor.TenantID, id, in.Code, in.Name, in.CategoryID, in.BrandID, in.UnitID,
			tax, in.ShelfLifeDays, in.Weighed, in.Description).Error
		if c, ok := postgres.IsUniqueViolation(err); ok && c == "products_code_key" {
			return ErrProductCodeTaken.WithFields(problem.FieldError{Field: "code", Message: "is taken by another product"})
		}
		if err != nil {
			return fmt.Errorf("catalog: create product: %w", err)
		}
		for i, k := range in.SKUs {
			if _, err := insertSKU(ctx, actor, id, k, fmt.Sprintf("skus[%d].", i), s.clock.Now()); err != nil {
				return err
			}
		}
		if out, err = getProduct(db, actor.TenantID, id); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "product.create", ObjectType: "product", ObjectID: id.String(),
			Detail: map[string]any{"code": in.Code, "name": in.Name, "skus": len(in.SKUs)}})
	})
	return out, err
}

// insertSKU writes one SKU with its barcodes and opening prices, in force
// from now; the caller holds the feed lock.
func insertSKU(ctx context.Context, actor *tenant.Principal, productID uuid.UUID, k CreateSKUInput, field string, now time.Time) (uuid.UUID, error) {
	db := tenant.DB(ctx)
	specs := Specs(k.Specs)
	id := uuid.Must(uuid.NewV7())
	err := db.Exec(`INSERT INTO skus (tenant_id, id, product_id, code, name, specs, plu) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?)`,
		actor.TenantID, id, productID, k.Code, k.Name, specs, normPLU(k.PLU)).Error
	if c, ok := postgres.IsUniqueViolation(err); ok {
		switch c {
		case "skus_code_key":
			return id, ErrSKUCodeTaken.WithFields(problem.FieldError{Field: field + "code", Message: "is taken by another SKU"})
		case "skus_plu_key":
			return id, ErrPLUTaken.WithFields(problem.FieldError{Field: field + "plu", Message: "is taken by another SKU"})
		}
	}
	if err != nil {
		return id, fmt.Errorf("catalog: create sku: %w", err)
	}
	for j, b := range k.Barcodes {
		if err := insertBarcode(db, actor.TenantID, id, b, fmt.Sprintf("%sbarcodes[%d]", field, j)); err != nil {
			return id, err
		}
	}
	if p := k.Prices; p != nil {
		for _, kv := range []struct {
			kind   string
			amount *int64
		}{{PriceList, p.List}, {PriceMember, p.Member}, {PriceCost, p.Cost}} {
			if kv.amount == nil {
				continue
			}
			if err := db.Exec(`INSERT INTO price_versions (tenant_id, id, sku_id, store_id, kind, amount, effective_from, created_by)
				VALUES (?, ?, ?, NULL, ?, ?, ?, ?)`, actor.TenantID, uuid.Must(uuid.NewV7()), id, kv.kind, *kv.amount, now, nilIfZero(actor.UserID)).Error; err != nil {
				return id, fmt.Errorf("catalog: opening price: %w", err)
			}
		}
	}
	return id, nil
}

func insertBarcode(db *gorm.DB, tenantID, skuID uuid.UUID, raw, field string) error {
	code, kind, err := NormalizeBarcode(raw)
	if err != nil {
		return ErrInvalid.WithFields(problem.FieldError{Field: field, Message: err.Error()})
	}
	err = db.Exec(`INSERT INTO sku_barcodes (tenant_id, barcode, sku_id, kind) VALUES (?, ?, ?, ?)`, tenantID, code, skuID, kind).Error
	if _, ok := postgres.IsUniqueViolation(err); ok {
		return ErrBarcodeTaken.WithFields(problem.FieldError{Field: field, Message: "already names a SKU of this chain"})
	}
	if err != nil {
		return fmt.Errorf("catalog: add barcode: %w", err)
	}
	return nil
}

func normPLU(p *string) *string {
	if p == nil {
		return nil
	}
	v := strings.TrimLeft(*p, "0")
	if v == "" {
		v = "0"
	}
	return &v
}

func nilIfZero(id uuid.UUID) *uuid.UUID {
	if id == uuid.Nil {
		return nil
	}
	return &id
}

// UpdateProduct changes a product (audited); its SKUs go out on the feed.
func (s *Service) UpdateProduct(ctx context.Context, actor *tenant.Principal, id uuid.UUID, in UpdateProductInput) (Product, error) {
	var out Product
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		if err := lockFeed(ctx, actor.TenantID); err != nil {
			return err
		}
		cur, err := getProduct(db, actor.TenantID, id)
		if err != nil {
			return err
		}
		if err := checkRefs(db, actor.TenantID, in.CategoryID, in.BrandID, in.UnitID); err != nil {
			return err
		}
		set := map[string]any{}
		if in.Code != nil {
			set["code"] = *in.Code
		}
		if in.Name != nil {
			set["name"] = *in.Name
		}
		if in.CategoryID != nil {
			set["category_id"] = *in.CategoryID
		}
		if in.BrandID != nil {
			set["brand_id"] = *in.BrandID
		} else if in.ClearBrand {
			set["brand_id"] = nil
		}
		if in.UnitID != nil {
			set["unit_id"] = *in.UnitID
		}
		if in.TaxRateBP != nil {
			set["tax_rate_bp"] = *in.TaxRateBP
		}
		if in.ShelfLifeDays != nil {
			set["shelf_life_days"] = *in.ShelfLifeDays
		}
		if in.Weighed != nil {
			set["weighed"] = *in.Weighed
		}
		if in.Status != nil {
			set["status"] = *in.Status
		}
		if in.Description != nil {
			set["description"] = *in.Description
		}
		if len(set) == 0 {
			out = cur
			return nil
		}
		set["updated_at"] = gorm.Expr("now()")
		err = db.Table("products").Where("tenant_id = ? AND id = ?", actor.TenantID, id).Updates(set).Error
		if c, ok := postgres.IsUniqueViolation(err); ok && c == "products_code_key" {
			return ErrProductCodeTaken.WithFields(problem.FieldError{Field: "code", Message: "is taken by another product"})
		}
		if err != nil {
			return fmt.Errorf("catalog: update product: %w", err)
		}
		if err := bump(ctx, actor.TenantID, "product_id = ?", id); err != nil {
			return err
		}
		if out, err = getProduct(db, actor.TenantID, id); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "product.update", ObjectType: "product", ObjectID: id.String(),
			Detail: map[string]any{"changed": keys(set)}})
	})
	return out, err
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		if k != "updated_at" {
			out = append(out, k)
		}
	}
	return out
}

// AddSKU adds a SKU to a product.
func (s *Service) AddSKU(ctx context.Context, actor *tenant.Principal, productID uuid.UUID, in CreateSKUInput) (SKU, error) {
	var out SKU
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		if err := lockFeed(ctx, actor.TenantID); err != nil {
			return err
		}
		var n int64
		if err := db.Raw(`SELECT count(*) FROM products WHERE tenant_id = ? AND id = ?`, actor.TenantID, productID).Scan(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return ErrProductNotFound
		}
		id, err := insertSKU(ctx, actor, productID, in, "", s.clock.Now())
		if err != nil {
			return err
		}
		skus, err := listSKUs(db, actor.TenantID, "id = ?", id)
		if err != nil {
			return err
		}
		out = skus[0]
		return audit.Record(ctx, audit.Entry{Action: "sku.create", ObjectType: "sku", ObjectID: id.String(),
			Detail: map[string]any{"code": in.Code, "product_id": productID}})
	})
	return out, err
}

// UpdateSKU changes a SKU; the feed re-sends it.
func (s *Service) UpdateSKU(ctx context.Context, actor *tenant.Principal, id uuid.UUID, in UpdateSKUInput) (SKU, error) {
	var out SKU
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		if err := lockFeed(ctx, actor.TenantID); err != nil {
			return err
		}
		if _, err := oneSKU(db, actor.TenantID, id); err != nil {
			return err
		}
		set := map[string]any{}
		if in.Name != nil {
			set["name"] = *in.Name
		}
		if in.Specs != nil {
			set["specs"] = gorm.Expr("?::jsonb", Specs(*in.Specs))
		}
		if in.Status != nil {
			set["status"] = *in.Status
		}
		if in.PLU != nil {
			set["plu"] = normPLU(in.PLU)
		} else if in.ClearPLU {
			set["plu"] = nil
		}
		if len(set) > 0 {
			set["change_seq"] = gorm.Expr("nextval('catalog_change_seq')")
			set["updated_at"] = gorm.Expr("now()")
			err := db.Table("skus").Where("tenant_id = ? AND id = ?", actor.TenantID, id).Updates(set).Error
			if c, ok := postgres.IsUniqueViolation(err); ok && c == "skus_plu_key" {
				return ErrPLUTaken.WithFields(problem.FieldError{Field: "plu", Message: "is taken by another SKU"})
			}
			if err != nil {
				return fmt.Errorf("catalog: update sku: %w", err)
			}
			if err := audit.Record(ctx, audit.Entry{Action: "sku.update", ObjectType: "sku", ObjectID: id.String(),
				Detail: map[string]any{"changed": keys(set)}}); err != nil {
				return err
			}
		}
		var err error
		out, err = oneSKU(db, actor.TenantID, id)
		return err
	})
	return out, err
}

func oneSKU(db *gorm.DB, tenantID, id uuid.UUID) (SKU, error) {
	skus, err := listSKUs(db, tenantID, "id = ?", id)
	if err != nil {
		return SKU{}, err
	}
	if len(skus) == 0 {
		return SKU{}, ErrSKUNotFound
	}
	return skus[0], nil
}

// AddBarcode registers a barcode for a SKU (check digit validated).
func (s *Service) AddBarcode(ctx context.Context, actor *tenant.Principal, skuID uuid.UUID, in BarcodeInput) (SKU, error) {
	var out SKU
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		if err := lockFeed(ctx, actor.TenantID); err != nil {
			return err
		}
		if _, err := oneSKU(db, actor.TenantID, skuID); err != nil {
			return err
		}
		if err := insertBarcode(db, actor.TenantID, skuID, in.Barcode, "barcode"); err != nil {
			return err
		}
		if err := bump(ctx, actor.TenantID, "id = ?", skuID); err != nil {
			return err
		}
		var err error
		out, err = oneSKU(db, actor.TenantID, skuID)
		return err
	})
	return out, err
}

// RemoveBarcode unregisters a barcode of a SKU; the feed re-sends the SKU
// without it (tills drop it).
func (s *Service) RemoveBarcode(ctx context.Context, actor *tenant.Principal, skuID uuid.UUID, barcode string) error {
	return s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		if err := lockFeed(ctx, actor.TenantID); err != nil {
			return err
		}
		if _, err := oneSKU(db, actor.TenantID, skuID); err != nil {
			return err
		}
		code := barcode
		if c, _, err := NormalizeBarcode(barcode); err == nil {
			code = c
		}
		res := db.Exec(`DELETE FROM sku_barcodes WHERE tenant_id = ? AND sku_id = ? AND barcode = ?`, actor.TenantID, skuID, code)
		if res.Error != nil {
			return fmt.Errorf("catalog: remove barcode: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrBarcodeNotFound
		}
		return bump(ctx, actor.TenantID, "id = ?", skuID)
	})
}

// storeExists answers org.ErrStoreNotFound for a store the chain does not
// have (a chain-wide role may name any id). org reads a store's facts once
// per transaction, so a caller that already asked (the POS's sale) pays
// nothing.
func (s *Service) storeExists(ctx context.Context, tenantID, storeID uuid.UUID) error {
	_, err := s.org.Store(ctx, tenantID, storeID)
	return err
}
