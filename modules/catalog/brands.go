package catalog

import (
	"context"

	"github.com/google/uuid"

	"chainstore/infra/postgres"
	"chainstore/infra/problem"
	"chainstore/infra/web"
	"chainstore/tenant"
)

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
