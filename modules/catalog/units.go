package catalog

import (
	"context"

	"github.com/google/uuid"

	"chainstore/infra/postgres"
	"chainstore/infra/problem"
	"chainstore/tenant"
)

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
