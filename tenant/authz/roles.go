package authz

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"chainstore/infra/postgres"
	"chainstore/infra/problem"
	"chainstore/tenant"
	"chainstore/tenant/audit"
)

// Role is a role as the console shows it.
type Role struct {
	ID          uuid.UUID    `json:"id"`
	Key         string       `json:"key"`
	Name        string       `json:"name"`
	Description string       `json:"description"`
	Builtin     bool         `json:"builtin"`
	Scope       Scope        `json:"scope"`
	Inherits    []string     `json:"inherits"`
	Permissions []Permission `json:"permissions"`
	CreatedAt   time.Time    `json:"created_at"`
}

type roleRow struct {
	ID          uuid.UUID
	Key         string
	Name        string
	Description string
	Builtin     bool
	Scope       string
	Permissions string // comma-joined text[]
	CreatedAt   time.Time
}

func (r roleRow) view() Role {
	out := Role{ID: r.ID, Key: r.Key, Name: r.Name, Description: r.Description, Builtin: r.Builtin,
		Scope: Scope(r.Scope), CreatedAt: r.CreatedAt, Inherits: []string{}}
	if t, ok := TemplateByKey(r.Key); ok && r.Builtin {
		// Built-in permissions come from code, so template changes reach
		// every tenant without a data migration.
		out.Permissions = t.EffectivePermissions()
		out.Inherits = append(out.Inherits, t.Inherits...)
		return out
	}
	out.Permissions = []Permission{}
	for _, p := range strings.Split(r.Permissions, ",") {
		if p != "" {
			out.Permissions = append(out.Permissions, Permission(p))
		}
	}
	return out
}

const roleColumns = `id, key, name, description, builtin, scope, array_to_string(permissions, ',') AS permissions, created_at`

// SeedBuiltins inserts the assignable built-in roles for a new tenant.
func (a *Authorizer) SeedBuiltins(ctx context.Context, tenantID uuid.UUID) error {
	db := tenant.DB(ctx)
	for _, t := range Templates {
		if !t.Assignable {
			continue
		}
		err := db.Exec(`INSERT INTO roles (tenant_id, id, key, name, description, builtin, scope)
			VALUES (?, ?, ?, ?, ?, true, ?) ON CONFLICT (tenant_id, key) DO NOTHING`,
			tenantID, uuid.Must(uuid.NewV7()), t.Key, t.Name, t.Description, string(t.Scope)).Error
		if err != nil {
			return fmt.Errorf("authz: seed role %s: %w", t.Key, err)
		}
	}
	return nil
}

// ListRoles returns every role of the tenant, built-in first.
func (a *Authorizer) ListRoles(ctx context.Context, tenantID uuid.UUID) ([]Role, error) {
	var rows []roleRow
	err := tenant.DB(ctx).Raw(`SELECT `+roleColumns+` FROM roles WHERE tenant_id = ? ORDER BY builtin DESC, key`, tenantID).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("authz: list roles: %w", err)
	}
	out := make([]Role, len(rows))
	for i, r := range rows {
		out[i] = r.view()
	}
	return out, nil
}

// GetRole returns one role by id, or ErrRoleNotFound.
func (a *Authorizer) GetRole(ctx context.Context, tenantID, id uuid.UUID) (Role, error) {
	var rows []roleRow
	err := tenant.DB(ctx).Raw(`SELECT `+roleColumns+` FROM roles WHERE tenant_id = ? AND id = ?`, tenantID, id).Scan(&rows).Error
	if err != nil {
		return Role{}, fmt.Errorf("authz: get role: %w", err)
	}
	if len(rows) == 0 {
		return Role{}, ErrRoleNotFound
	}
	return rows[0].view(), nil
}

func (a *Authorizer) roleByKey(ctx context.Context, tenantID uuid.UUID, key string) (Role, error) {
	var rows []roleRow
	err := tenant.DB(ctx).Raw(`SELECT `+roleColumns+` FROM roles WHERE tenant_id = ? AND key = ?`, tenantID, key).Scan(&rows).Error
	if err != nil {
		return Role{}, fmt.Errorf("authz: get role: %w", err)
	}
	if len(rows) == 0 {
		return Role{}, ErrRoleNotFound
	}
	return rows[0].view(), nil
}

// CreateRoleInput defines a custom role from catalogue permissions.
type CreateRoleInput struct {
	Key         string   `json:"key" validate:"required,key"`
	Name        string   `json:"name" validate:"required,min=1,max=100,text"`
	Description string   `json:"description" validate:"max=500,text"`
	Scope       Scope    `json:"scope" validate:"required,oneof=chain store"`
	Permissions []string `json:"permissions" validate:"required,min=1,max=100,dive,required,max=64"`
}

// UpdateRoleInput changes a custom role; nil fields stay as they are.
type UpdateRoleInput struct {
	Name        *string   `json:"name" validate:"omitnil,min=1,max=100,text"`
	Description *string   `json:"description" validate:"omitnil,max=500,text"`
	Permissions *[]string `json:"permissions" validate:"omitnil,min=1,max=100,dive,required,max=64"`
}

func (a *Authorizer) checkPermissions(ctx context.Context, actor *tenant.Principal, perms []string) ([]string, error) {
	set := map[string]bool{}
	var bad []problem.FieldError
	for i, p := range perms {
		if _, ok := Catalogue[Permission(p)]; !ok {
			bad = append(bad, problem.FieldError{Field: fmt.Sprintf("permissions[%d]", i), Message: fmt.Sprintf("%q is not a permission; see GET /api/v1/permissions", p)})
			continue
		}
		set[p] = true
	}
	if len(bad) > 0 {
		return nil, ErrUnknownPermission.WithFields(bad...)
	}
	out := make([]string, 0, len(set))
	for p := range set {
		// Nobody defines a role stronger than themselves.
		ok, err := a.CanChain(ctx, actor, Permission(p))
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, ErrEscalation.WithDetail("you do not hold %s", p)
		}
		out = append(out, p)
	}
	slices.Sort(out)
	return out, nil
}

// CreateRole adds a custom role (audited, policy bumped).
func (a *Authorizer) CreateRole(ctx context.Context, actor *tenant.Principal, in CreateRoleInput) (Role, error) {
	var out Role
	err := a.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		if _, ok := TemplateByKey(in.Key); ok {
			return ErrRoleKeyTaken.WithDetail("%q is a built-in role", in.Key)
		}
		perms, err := a.checkPermissions(ctx, actor, in.Permissions)
		if err != nil {
			return err
		}
		id := uuid.Must(uuid.NewV7())
		err = tenant.DB(ctx).Exec(`INSERT INTO roles (tenant_id, id, key, name, description, builtin, scope, permissions)
			VALUES (?, ?, ?, ?, ?, false, ?, string_to_array(?, ','))`,
			actor.TenantID, id, in.Key, in.Name, in.Description, string(in.Scope), strings.Join(perms, ",")).Error
		if c, ok := postgres.IsUniqueViolation(err); ok && c == "roles_key_key" {
			return ErrRoleKeyTaken
		}
		if err != nil {
			return fmt.Errorf("authz: create role: %w", err)
		}
		if err := audit.Record(ctx, audit.Entry{Action: "role.create", ObjectType: "role", ObjectID: id.String(),
			Detail: map[string]any{"key": in.Key, "scope": in.Scope, "permissions": perms}}); err != nil {
			return err
		}
		if err := a.Bump(ctx, actor.TenantID); err != nil {
			return err
		}
		out, err = a.GetRole(ctx, actor.TenantID, id)
		return err
	})
	return out, err
}

// UpdateRole changes a custom role's name, description or permissions.
func (a *Authorizer) UpdateRole(ctx context.Context, actor *tenant.Principal, id uuid.UUID, in UpdateRoleInput) (Role, error) {
	var out Role
	err := a.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		cur, err := a.GetRole(ctx, actor.TenantID, id)
		if err != nil {
			return err
		}
		if cur.Builtin {
			return ErrBuiltinRole
		}
		db := tenant.DB(ctx)
		detail := map[string]any{"key": cur.Key}
		if in.Name != nil {
			detail["name"] = *in.Name
			if err := db.Exec(`UPDATE roles SET name = ?, updated_at = now() WHERE tenant_id = ? AND id = ?`, *in.Name, actor.TenantID, id).Error; err != nil {
				return err
			}
		}
		if in.Description != nil {
			if err := db.Exec(`UPDATE roles SET description = ?, updated_at = now() WHERE tenant_id = ? AND id = ?`, *in.Description, actor.TenantID, id).Error; err != nil {
				return err
			}
		}
		if in.Permissions != nil {
			perms, err := a.checkPermissions(ctx, actor, *in.Permissions)
			if err != nil {
				return err
			}
			detail["permissions_before"] = cur.Permissions
			detail["permissions"] = perms
			if err := db.Exec(`UPDATE roles SET permissions = string_to_array(?, ','), updated_at = now() WHERE tenant_id = ? AND id = ?`,
				strings.Join(perms, ","), actor.TenantID, id).Error; err != nil {
				return err
			}
			if err := a.Bump(ctx, actor.TenantID); err != nil {
				return err
			}
		}
		if err := audit.Record(ctx, audit.Entry{Action: "role.update", ObjectType: "role", ObjectID: id.String(), Detail: detail}); err != nil {
			return err
		}
		out, err = a.GetRole(ctx, actor.TenantID, id)
		return err
	})
	return out, err
}

// DeleteRole removes a custom role that nobody holds.
func (a *Authorizer) DeleteRole(ctx context.Context, actor *tenant.Principal, id uuid.UUID) error {
	return a.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		cur, err := a.GetRole(ctx, actor.TenantID, id)
		if err != nil {
			return err
		}
		if cur.Builtin {
			return ErrBuiltinRole
		}
		err = tenant.DB(ctx).Exec(`DELETE FROM roles WHERE tenant_id = ? AND id = ?`, actor.TenantID, id).Error
		if _, ok := postgres.IsForeignKeyViolation(err); ok {
			return ErrRoleInUse
		}
		if err != nil {
			return fmt.Errorf("authz: delete role: %w", err)
		}
		if err := audit.Record(ctx, audit.Entry{Action: "role.delete", ObjectType: "role", ObjectID: id.String(),
			Detail: map[string]any{"key": cur.Key}}); err != nil {
			return err
		}
		return a.Bump(ctx, actor.TenantID)
	})
}

// Assignment is a role held by a user in a scope.
type Assignment struct {
	ID           uuid.UUID  `json:"id"`
	RoleID       uuid.UUID  `json:"role_id"`
	Role         string     `json:"role"`
	Scope        Scope      `json:"scope"`
	StoreID      *uuid.UUID `json:"store_id"`
	FranchiseeID *uuid.UUID `json:"franchisee_id"`
	CreatedAt    time.Time  `json:"created_at"`
}

// AssignmentInput names a role (by key) and, for store and franchise
// roles, where it applies.
type AssignmentInput struct {
	Role         string     `json:"role" validate:"required,key"`
	StoreID      *uuid.UUID `json:"store_id"`
	FranchiseeID *uuid.UUID `json:"franchisee_id"`
}

// Assignments lists the roles a user holds.
func (a *Authorizer) Assignments(ctx context.Context, tenantID uuid.UUID, userIDs ...uuid.UUID) (map[uuid.UUID][]Assignment, error) {
	var rows []struct {
		Assignment
		UserID uuid.UUID
	}
	err := tenant.DB(ctx).Raw(`
		SELECT a.id, a.user_id, a.role_id, r.key AS role, r.scope, a.store_id, a.franchisee_id, a.created_at
		FROM user_store_assignments a JOIN roles r ON r.tenant_id = a.tenant_id AND r.id = a.role_id
		WHERE a.tenant_id = ? AND a.user_id IN ? ORDER BY a.id`, tenantID, userIDs).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("authz: list assignments: %w", err)
	}
	out := make(map[uuid.UUID][]Assignment, len(userIDs))
	for _, r := range rows {
		out[r.UserID] = append(out[r.UserID], r.Assignment)
	}
	return out, nil
}

// SetAssignments replaces the roles a user holds. The actor must hold
// users:write, and every permission of the role, in the scope of each
// assignment they add or remove: a store manager can hire a cashier for
// their store but cannot make anyone an HQ admin, nor demote one.
// Audited; the policy version is bumped.
func (a *Authorizer) SetAssignments(ctx context.Context, actor *tenant.Principal, userID uuid.UUID, in []AssignmentInput) ([]Assignment, error) {
	var out []Assignment
	err := a.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		type key struct {
			role              uuid.UUID
			store, franchisee uuid.UUID
		}
		want := map[key]Role{}
		var fieldErrs []problem.FieldError
		for i, as := range in {
			role, err := a.roleByKey(ctx, actor.TenantID, as.Role)
			if errors.Is(err, ErrRoleNotFound) {
				fieldErrs = append(fieldErrs, problem.FieldError{Field: fmt.Sprintf("assignments[%d].role", i), Message: "is not a role of this chain"})
				continue
			}
			if err != nil {
				return err
			}
			k := key{role: role.ID}
			msg := ""
			switch role.Scope {
			case ScopeChain:
				if as.StoreID != nil || as.FranchiseeID != nil {
					msg = "is a chain-wide role: give neither store_id nor franchisee_id"
				}
			case ScopeStore:
				if as.StoreID == nil || as.FranchiseeID != nil {
					msg = "is a store role: give store_id"
				} else if ok, err := exists(db, "stores", actor.TenantID, *as.StoreID); err != nil {
					return err
				} else if !ok {
					msg = "store_id is not a store of this chain"
				} else {
					k.store = *as.StoreID
				}
			case ScopeFranchise:
				if as.FranchiseeID == nil || as.StoreID != nil {
					msg = "is a franchise role: give franchisee_id"
				} else if ok, err := exists(db, "franchisees", actor.TenantID, *as.FranchiseeID); err != nil {
					return err
				} else if !ok {
					msg = "franchisee_id is not a franchisee of this chain"
				} else {
					k.franchisee = *as.FranchiseeID
				}
			}
			if msg != "" {
				fieldErrs = append(fieldErrs, problem.FieldError{Field: fmt.Sprintf("assignments[%d]", i), Message: as.Role + " " + msg})
				continue
			}
			want[k] = role
		}
		if len(fieldErrs) > 0 {
			return ErrBadAssignment.WithFields(fieldErrs...)
		}
		current, err := a.Assignments(ctx, actor.TenantID, userID)
		if err != nil {
			return err
		}
		have := map[key]Assignment{}
		for _, as := range current[userID] {
			k := key{role: as.RoleID}
			if as.StoreID != nil {
				k.store = *as.StoreID
			}
			if as.FranchiseeID != nil {
				k.franchisee = *as.FranchiseeID
			}
			have[k] = as
		}
		var added, removed []map[string]any
		for k, role := range want {
			if _, ok := have[k]; ok {
				continue
			}
			if err := a.mayGrant(ctx, actor, role, k.store); err != nil {
				return err
			}
			err := db.Exec(`INSERT INTO user_store_assignments (tenant_id, id, user_id, role_id, store_id, franchisee_id, created_by)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, actor.TenantID, uuid.Must(uuid.NewV7()), userID, role.ID,
				nilIfZero(k.store), nilIfZero(k.franchisee), actor.UserID).Error
			if err != nil {
				return fmt.Errorf("authz: add assignment: %w", err)
			}
			added = append(added, map[string]any{"role": role.Key, "store_id": nilIfZero(k.store), "franchisee_id": nilIfZero(k.franchisee)})
		}
		for k, as := range have {
			if _, ok := want[k]; ok {
				continue
			}
			role, err := a.GetRole(ctx, actor.TenantID, as.RoleID)
			if err != nil {
				return err
			}
			if err := a.mayGrant(ctx, actor, role, k.store); err != nil {
				return err
			}
			if err := db.Exec(`DELETE FROM user_store_assignments WHERE tenant_id = ? AND id = ?`, actor.TenantID, as.ID).Error; err != nil {
				return fmt.Errorf("authz: remove assignment: %w", err)
			}
			removed = append(removed, map[string]any{"role": role.Key, "store_id": as.StoreID, "franchisee_id": as.FranchiseeID})
		}
		if len(added)+len(removed) > 0 {
			if err := audit.Record(ctx, audit.Entry{Action: "user.roles_changed", ObjectType: "user", ObjectID: userID.String(),
				Detail: map[string]any{"added": added, "removed": removed}}); err != nil {
				return err
			}
			if err := a.Bump(ctx, actor.TenantID); err != nil {
				return err
			}
		}
		res, err := a.Assignments(ctx, actor.TenantID, userID)
		out = res[userID]
		if out == nil {
			out = []Assignment{}
		}
		return err
	})
	return out, err
}

// mayGrant: users:write and every permission of the role, in the scope
// the role is (or was) granted in. Franchise-wide grants are chain work.
func (a *Authorizer) mayGrant(ctx context.Context, actor *tenant.Principal, role Role, store uuid.UUID) error {
	domain := ChainDomain(actor.TenantID)
	if role.Scope == ScopeStore && store != uuid.Nil {
		domain = StoreDomain(actor.TenantID, store)
	}
	for _, p := range append([]Permission{UsersWrite}, role.Permissions...) {
		ok, err := a.Can(ctx, actor, domain, p)
		if err != nil {
			return err
		}
		if !ok {
			return ErrEscalation.WithDetail("granting or removing %s needs %s there, which you do not hold", role.Key, p)
		}
	}
	return nil
}

func exists(db *gorm.DB, table string, tenantID, id uuid.UUID) (bool, error) {
	var n int64
	err := db.Raw(`SELECT count(*) FROM `+table+` WHERE tenant_id = ? AND id = ?`, tenantID, id).Scan(&n).Error
	return n > 0, err
}

func nilIfZero(id uuid.UUID) *uuid.UUID {
	if id == uuid.Nil {
		return nil
	}
	return &id
}

// GrantInitial gives a user a built-in role without an acting principal:
// the first HQ admin of a new chain and the demo seed. Audited and bumped
// like any other assignment.
func (a *Authorizer) GrantInitial(ctx context.Context, tenantID, userID uuid.UUID, roleKey string, storeID, franchiseeID *uuid.UUID) error {
	role, err := a.roleByKey(ctx, tenantID, roleKey)
	if err != nil {
		return fmt.Errorf("authz: grant %s: %w", roleKey, err)
	}
	err = tenant.DB(ctx).Exec(`INSERT INTO user_store_assignments (tenant_id, id, user_id, role_id, store_id, franchisee_id)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT ON CONSTRAINT usa_unique DO NOTHING`,
		tenantID, uuid.Must(uuid.NewV7()), userID, role.ID, storeID, franchiseeID).Error
	if err != nil {
		return fmt.Errorf("authz: grant %s: %w", roleKey, err)
	}
	if err := audit.Record(ctx, audit.Entry{Action: "user.roles_changed", ObjectType: "user", ObjectID: userID.String(),
		Detail: map[string]any{"added": []map[string]any{{"role": roleKey, "store_id": storeID, "franchisee_id": franchiseeID}}}}); err != nil {
		return err
	}
	return a.Bump(ctx, tenantID)
}

// Summary is what a user's token and /me say about their roles: the roles
// that are in force (a disabled user or a terminated franchisee holds none).
type Summary struct {
	Roles  []string
	Stores []uuid.UUID // stores of store- and franchise-scoped roles
	Chain  bool        // holds a chain-wide role
}

func (s *Summary) addRole(key string) {
	if !slices.Contains(s.Roles, key) {
		s.Roles = append(s.Roles, key)
		slices.Sort(s.Roles)
	}
}

func (s *Summary) addStore(id uuid.UUID) {
	if !slices.Contains(s.Stores, id) {
		s.Stores = append(s.Stores, id)
	}
}

// Summarize lists a user's role keys and the stores they are assigned to,
// from the tenant's loaded policy (no query when it is cached).
func (a *Authorizer) Summarize(ctx context.Context, tenantID, userID uuid.UUID) (Summary, error) {
	pol, err := a.policy(ctx, tenantID)
	if err != nil {
		return Summary{}, err
	}
	if sum := pol.summaries[userID]; sum != nil {
		return Summary{Roles: slices.Clone(sum.Roles), Stores: slices.Clone(sum.Stores), Chain: sum.Chain}, nil
	}
	return Summary{Roles: []string{}, Stores: []uuid.UUID{}}, nil
}
