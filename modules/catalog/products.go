package catalog

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"chainstore/infra/postgres"
	"chainstore/infra/problem"
	"chainstore/infra/web"
	"chainstore/tenant"
	"chainstore/tenant/audit"
)

// ListProducts returns products in id order, without their SKUs unless
// with.Prices asks for them with HQ's prices in force now (see
// ProductWith): three statements a page however many products and SKUs it
// holds, the prices chosen by PriceAt's rule.
func (s *Service) ListProducts(ctx context.Context, tenantID uuid.UUID, f ProductFilter, with ProductWith, page web.Page) ([]Product, error) {
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
		if with.Prices {
			return s.embedPrices(ctx, tenantID, out, with.Cost)
		}
		return nil
	})
	return out, err
}

// embedPrices fills the products' SKUs, each with HQ's price in force now:
// one statement for the SKUs, one for their prices.
func (s *Service) embedPrices(ctx context.Context, tenantID uuid.UUID, products []Product, withCost bool) error {
	if len(products) == 0 {
		return nil
	}
	db := tenant.DB(ctx)
	at := make(map[uuid.UUID]int, len(products))
	ids := make([]uuid.UUID, len(products))
	for i, p := range products {
		at[p.ID], ids[i] = i, p.ID
	}
	skus, err := listSKUs(db, tenantID, "product_id IN ?", ids)
	if err != nil {
		return err
	}
	skuIDs := make([]uuid.UUID, len(skus))
	for i, k := range skus {
		skuIDs[i] = k.ID
	}
	prices, err := pricesAt(db, tenantID, nil, skuIDs, s.clock.Now(), withCost)
	if err != nil {
		return err
	}
	for _, k := range skus {
		p := prices[k.ID]
		k.Price = &p
		i := at[k.ProductID]
		products[i].SKUs = append(products[i].SKUs, k)
	}
	return nil
}

// GetProduct returns a product with its SKUs and their barcodes.
func (s *Service) GetProduct(ctx context.Context, tenantID, id uuid.UUID) (Product, error) {
	return readTx(ctx, s, tenantID, func(db *gorm.DB) (Product, error) { return getProduct(db, tenantID, id) })
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

// skuRow is a SKU with its barcodes, read in one statement.
type skuRow struct {
	SKU
	BarcodeList jsonList[Barcode] `gorm:"column:barcode_list"`
}

// listSKUs reads the tenant's SKUs matching where (on skus), in id order,
// each with its barcodes: one statement however many SKUs match.
func listSKUs(db *gorm.DB, tenantID uuid.UUID, where string, args ...any) ([]SKU, error) {
	var rows []skuRow
	if err := db.Raw(`SELECT `+skuColumns+`,
		(SELECT json_agg(json_build_object('barcode', b.barcode, 'kind', b.kind) ORDER BY b.barcode)
			FROM sku_barcodes b WHERE b.tenant_id = skus.tenant_id AND b.sku_id = skus.id) AS barcode_list
		FROM skus WHERE tenant_id = ? AND `+where+` ORDER BY id`, append([]any{tenantID}, args...)...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("catalog: list skus: %w", err)
	}
	skus := make([]SKU, len(rows))
	for i, r := range rows {
		skus[i] = r.SKU
		skus[i].Barcodes = r.BarcodeList
		if skus[i].Barcodes == nil {
			skus[i].Barcodes = []Barcode{}
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
		if err := s.lockFeed(ctx, actor.TenantID); err != nil {
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

// UpdateProduct changes a product (audited); its SKUs go out on the feed.
func (s *Service) UpdateProduct(ctx context.Context, actor *tenant.Principal, id uuid.UUID, in UpdateProductInput) (Product, error) {
	var out Product
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		if err := s.lockFeed(ctx, actor.TenantID); err != nil {
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
		put(set, "code", in.Code)
		put(set, "name", in.Name)
		put(set, "category_id", in.CategoryID)
		if in.BrandID != nil {
			set["brand_id"] = *in.BrandID
		} else if in.ClearBrand {
			set["brand_id"] = nil
		}
		put(set, "unit_id", in.UnitID)
		put(set, "tax_rate_bp", in.TaxRateBP)
		put(set, "shelf_life_days", in.ShelfLifeDays)
		put(set, "weighed", in.Weighed)
		put(set, "status", in.Status)
		put(set, "description", in.Description)
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

// AddSKU adds a SKU to a product.
func (s *Service) AddSKU(ctx context.Context, actor *tenant.Principal, productID uuid.UUID, in CreateSKUInput) (SKU, error) {
	var out SKU
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		if err := s.lockFeed(ctx, actor.TenantID); err != nil {
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
		if err := s.lockFeed(ctx, actor.TenantID); err != nil {
			return err
		}
		if _, err := oneSKU(db, actor.TenantID, id); err != nil {
			return err
		}
		set := map[string]any{}
		put(set, "name", in.Name)
		if in.Specs != nil {
			set["specs"] = gorm.Expr("?::jsonb", Specs(*in.Specs))
		}
		put(set, "status", in.Status)
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
		if err := s.lockFeed(ctx, actor.TenantID); err != nil {
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
		if err := s.lockFeed(ctx, actor.TenantID); err != nil {
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
