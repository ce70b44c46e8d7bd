package org

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"chainstore/infra/postgres"
	"chainstore/infra/problem"
	"chainstore/infra/web"
	"chainstore/tenant"
	"chainstore/tenant/audit"
	"chainstore/tenant/authz"
)

// Service manages stores and franchisees.
type Service struct {
	pool  *tenant.Pool
	authz *authz.Authorizer
	// StoresChanged, when set (by the API wiring: billing), runs inside the
	// transaction after a store opens (created or reopened; opened true) or
	// closes. Its error refuses the change (a plan's store limit).
	StoresChanged func(ctx context.Context, tenantID uuid.UUID, opened bool) error
	facts         *factCache
}

// New builds the service.
func New(pool *tenant.Pool, az *authz.Authorizer) *Service {
	return &Service{pool: pool, authz: az, facts: newFactCache()}
}

// ListStores returns the stores in scope, ordered by id (creation order).
func (s *Service) ListStores(ctx context.Context, tenantID uuid.UUID, scope authz.StoreScope, f StoreFilter, page web.Page) ([]Store, error) {
	var out []Store
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		q := tenant.DB(ctx).Table("stores").Select(storeColumns).Where("tenant_id = ?", tenantID)
		if !scope.All {
			q = q.Where("id IN ?", append(scope.Stores, uuid.Nil))
		}
		if f.Status != "" {
			q = q.Where("status = ?", f.Status)
		}
		if f.Type != "" {
			q = q.Where("type = ?", f.Type)
		}
		if f.FranchiseeID != nil {
			q = q.Where("franchisee_id = ?", *f.FranchiseeID)
		}
		if f.Query != "" {
			like := "%" + postgres.EscapeLike(f.Query) + "%"
			q = q.Where("(name ILIKE ? OR code ILIKE ?)", like, like)
		}
		if page.Cursor != uuid.Nil {
			q = q.Where("id > ?", page.Cursor)
		}
		return q.Order("id").Limit(page.Limit + 1).Scan(&out).Error
	})
	return out, err
}

// GetStore returns one store, or ErrStoreNotFound.
func (s *Service) GetStore(ctx context.Context, tenantID, id uuid.UUID) (Store, error) {
	var out Store
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var err error
		out, err = getStore(tenant.DB(ctx), tenantID, id)
		return err
	})
	return out, err
}

func getStore(db *gorm.DB, tenantID, id uuid.UUID) (Store, error) {
	return postgres.One[Store](db, ErrStoreNotFound, `SELECT `+storeColumns+` FROM stores WHERE tenant_id = ? AND id = ?`, tenantID, id)
}

// CreateStore opens a store (audited). A franchise store changes what its
// franchisee's users may reach, so the policy version moves.
func (s *Service) CreateStore(ctx context.Context, actor *tenant.Principal, in CreateStoreInput) (Store, error) {
	var out Store
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		if err := s.checkFranchise(db, actor.TenantID, in.Type, in.FranchiseeID); err != nil {
			return err
		}
		tz := in.TimeZone
		if tz == "" {
			if err := db.Raw(`SELECT time_zone FROM tenants WHERE id = ?`, actor.TenantID).Scan(&tz).Error; err != nil {
				return err
			}
		}
		var fid *uuid.UUID
		if in.Type == "franchise" {
			fid = in.FranchiseeID
		}
		err := db.Raw(`INSERT INTO stores (tenant_id, id, code, name, type, franchisee_id, address, phone, time_zone, opened_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING `+storeColumns,
			actor.TenantID, uuid.Must(uuid.NewV7()), in.Code, in.Name, in.Type, fid, in.Address, in.Phone, tz, in.OpenedAt).Scan(&out).Error
		if c, ok := postgres.IsUniqueViolation(err); ok && c == "stores_code_key" {
			return ErrStoreCodeTaken.WithFields(problem.FieldError{Field: "code", Message: "is taken by another store"})
		}
		if err != nil {
			return fmt.Errorf("org: create store: %w", err)
		}
		if err := audit.Record(ctx, audit.Entry{Action: "store.create", ObjectType: "store", ObjectID: out.ID.String(), StoreID: &out.ID,
			Detail: map[string]any{"code": out.Code, "type": out.Type, "franchisee_id": out.FranchiseeID}}); err != nil {
			return err
		}
		if s.StoresChanged != nil {
			if err := s.StoresChanged(ctx, actor.TenantID, true); err != nil {
				return err
			}
		}
		if fid != nil {
			return s.authz.Bump(ctx, actor.TenantID)
		}
		return nil
	})
	return out, err
}

func (s *Service) checkFranchise(db *gorm.DB, tenantID uuid.UUID, typ string, fid *uuid.UUID) error {
	if typ == "direct" {
		if fid != nil {
			return ErrBadStore.WithFields(problem.FieldError{Field: "franchisee_id", Message: "must be empty for a direct-owned store"})
		}
		return nil
	}
	if fid == nil {
		return ErrBadStore.WithFields(problem.FieldError{Field: "franchisee_id", Message: "is required for a franchise store"})
	}
	var status string
	if err := db.Raw(`SELECT status FROM franchisees WHERE tenant_id = ? AND id = ?`, tenantID, *fid).Scan(&status).Error; err != nil {
		return err
	}
	switch status {
	case "":
		return ErrBadStore.WithFields(problem.FieldError{Field: "franchisee_id", Message: "is not a franchisee of this chain"})
	case "terminated":
		return ErrBadStore.WithFields(problem.FieldError{Field: "franchisee_id", Message: "belongs to a terminated franchisee"})
	}
	return nil
}

// UpdateStore changes a store (audited with before and after).
func (s *Service) UpdateStore(ctx context.Context, actor *tenant.Principal, id uuid.UUID, in UpdateStoreInput) (Store, error) {
	var out Store
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		cur, err := getStore(db, actor.TenantID, id)
		if err != nil {
			return err
		}
		next := cur
		set := map[string]any{}
		if in.Code != nil {
			next.Code, set["code"] = *in.Code, *in.Code
		}
		if in.Name != nil {
			next.Name, set["name"] = *in.Name, *in.Name
		}
		if in.Address != nil {
			next.Address, set["address"] = *in.Address, *in.Address
		}
		if in.Phone != nil {
			next.Phone, set["phone"] = *in.Phone, *in.Phone
		}
		if in.TimeZone != nil {
			next.TimeZone, set["time_zone"] = *in.TimeZone, *in.TimeZone
		}
		if in.Type != nil || in.FranchiseeID != nil {
			if in.Type != nil {
				next.Type = *in.Type
			}
			next.FranchiseeID = in.FranchiseeID
			if in.FranchiseeID == nil && next.Type == "franchise" {
				next.FranchiseeID = cur.FranchiseeID
			}
			if err := s.checkFranchise(db, actor.TenantID, next.Type, next.FranchiseeID); err != nil {
				return err
			}
			set["type"], set["franchisee_id"] = next.Type, next.FranchiseeID
		}
		if in.Status != nil && *in.Status != cur.Status {
			set["status"] = *in.Status
			if *in.Status == "closed" {
				set["closed_at"] = gorm.Expr("now()")
			} else {
				set["closed_at"] = nil
			}
		}
		if len(set) == 0 {
			out = cur
			return nil
		}
		set["updated_at"] = gorm.Expr("now()")
		s.facts.changed(ctx, actor.TenantID, id)
		err = db.Table("stores").Where("tenant_id = ? AND id = ?", actor.TenantID, id).Updates(set).Error
		if c, ok := postgres.IsUniqueViolation(err); ok && c == "stores_code_key" {
			return ErrStoreCodeTaken.WithFields(problem.FieldError{Field: "code", Message: "is taken by another store"})
		}
		if err != nil {
			return fmt.Errorf("org: update store: %w", err)
		}
		forgetStore(ctx, actor.TenantID, id)
		if out, err = getStore(db, actor.TenantID, id); err != nil {
			return err
		}
		if err := audit.Record(ctx, audit.Entry{Action: "store.update", ObjectType: "store", ObjectID: id.String(), StoreID: &id,
			Detail: map[string]any{"before": cur, "after": out}}); err != nil {
			return err
		}
		if s.StoresChanged != nil && cur.Status != out.Status {
			if err := s.StoresChanged(ctx, actor.TenantID, out.Status == "active"); err != nil {
				return err
			}
		}
		if !sameID(cur.FranchiseeID, out.FranchiseeID) {
			return s.authz.Bump(ctx, actor.TenantID)
		}
		return nil
	})
	return out, err
}

// CloseStore closes a store; its history stays (DELETE does this).
func (s *Service) CloseStore(ctx context.Context, actor *tenant.Principal, id uuid.UUID) error {
	closed := "closed"
	_, err := s.UpdateStore(ctx, actor, id, UpdateStoreInput{Status: &closed})
	return err
}

// ListFranchisees returns franchisees ordered by id.
func (s *Service) ListFranchisees(ctx context.Context, tenantID uuid.UUID, status string, page web.Page) ([]Franchisee, error) {
	var out []Franchisee
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		q := tenant.DB(ctx).Table("franchisees f").Select(franchiseeColumns).Where("f.tenant_id = ?", tenantID)
		if status != "" {
			q = q.Where("f.status = ?", status)
		}
		if page.Cursor != uuid.Nil {
			q = q.Where("f.id > ?", page.Cursor)
		}
		return q.Order("f.id").Limit(page.Limit + 1).Scan(&out).Error
	})
	return out, err
}

// GetFranchisee returns one franchisee, or ErrFranchiseeNotFound.
func (s *Service) GetFranchisee(ctx context.Context, tenantID, id uuid.UUID) (Franchisee, error) {
	var out Franchisee
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var err error
		out, err = getFranchisee(tenant.DB(ctx), tenantID, id)
		return err
	})
	return out, err
}

func getFranchisee(db *gorm.DB, tenantID, id uuid.UUID) (Franchisee, error) {
	var rows []Franchisee
	if err := db.Raw(`SELECT `+franchiseeColumns+` FROM franchisees f WHERE f.tenant_id = ? AND f.id = ?`, tenantID, id).Scan(&rows).Error; err != nil {
		return Franchisee{}, fmt.Errorf("org: get franchisee: %w", err)
	}
	if len(rows) == 0 {
		return Franchisee{}, ErrFranchiseeNotFound
	}
	return rows[0], nil
}

// CreateFranchisee adds a franchisee (audited).
func (s *Service) CreateFranchisee(ctx context.Context, actor *tenant.Principal, in FranchiseeInput) (Franchisee, error) {
	var out Franchisee
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		id := uuid.Must(uuid.NewV7())
		err := db.Exec(`INSERT INTO franchisees (tenant_id, id, name, legal_name, contact_name, contact_phone, contact_email)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, actor.TenantID, id, in.Name, in.LegalName, in.ContactName, in.ContactPhone,
			strings.ToLower(in.ContactEmail)).Error
		if c, ok := postgres.IsUniqueViolation(err); ok && c == "franchisees_name_key" {
			return ErrFranchiseeNameTkn.WithFields(problem.FieldError{Field: "name", Message: "is taken by another franchisee"})
		}
		if err != nil {
			return fmt.Errorf("org: create franchisee: %w", err)
		}
		if out, err = getFranchisee(db, actor.TenantID, id); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "franchisee.create", ObjectType: "franchisee", ObjectID: id.String(),
			Detail: map[string]any{"name": in.Name}})
	})
	return out, err
}

// UpdateFranchisee changes a franchisee (audited).
func (s *Service) UpdateFranchisee(ctx context.Context, actor *tenant.Principal, id uuid.UUID, in UpdateFranchiseeInput) (Franchisee, error) {
	var out Franchisee
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		cur, err := getFranchisee(db, actor.TenantID, id)
		if err != nil {
			return err
		}
		set := map[string]any{}
		put := func(col string, v *string) {
			if v != nil {
				set[col] = *v
			}
		}
		put("name", in.Name)
		put("legal_name", in.LegalName)
		put("contact_name", in.ContactName)
		put("contact_phone", in.ContactPhone)
		if in.ContactEmail != nil {
			set["contact_email"] = strings.ToLower(*in.ContactEmail)
		}
		put("status", in.Status)
		if len(set) == 0 {
			out = cur
			return nil
		}
		set["updated_at"] = gorm.Expr("now()")
		err = db.Table("franchisees").Where("tenant_id = ? AND id = ?", actor.TenantID, id).Updates(set).Error
		if c, ok := postgres.IsUniqueViolation(err); ok && c == "franchisees_name_key" {
			return ErrFranchiseeNameTkn.WithFields(problem.FieldError{Field: "name", Message: "is taken by another franchisee"})
		}
		if err != nil {
			return fmt.Errorf("org: update franchisee: %w", err)
		}
		if out, err = getFranchisee(db, actor.TenantID, id); err != nil {
			return err
		}
		if err := audit.Record(ctx, audit.Entry{Action: "franchisee.update", ObjectType: "franchisee", ObjectID: id.String(),
			Detail: map[string]any{"before": cur, "after": out}}); err != nil {
			return err
		}
		if cur.Status != out.Status {
			return s.authz.Bump(ctx, actor.TenantID)
		}
		return nil
	})
	return out, err
}

func sameID(a, b *uuid.UUID) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
