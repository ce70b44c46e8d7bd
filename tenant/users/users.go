// Package users is staff administration: invite, list, change, disable,
// reset passwords, and assign roles in stores. Who may manage whom follows
// store scope: HQ manages everyone; a store manager manages the staff whose
// every role is in their stores.
package users

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
	"chainstore/tenant/auth"
	"chainstore/tenant/authz"
)

// Errors of staff administration.
var (
	ErrNotFound   = problem.New(404, "users.not_found", "User not found")
	ErrSelf       = problem.New(409, "users.self", "You cannot disable your own account")
	ErrNoLogin    = problem.New(422, "users.no_login", "Give an e-mail or a phone number to sign in with")
	ErrNeedsScope = problem.New(403, "users.needs_assignment", "Staff you create must be given a role in one of your stores")
)

// Detail is a user with their role assignments.
type Detail struct {
	auth.User
	Assignments []authz.Assignment `json:"assignments"`
}

// Created is a new user and, for an invitation, the one-time token to
// pass on (the mail module will send it later).
type Created struct {
	Detail
	InviteToken     *string    `json:"invite_token"`
	InviteExpiresAt *time.Time `json:"invite_expires_at"`
}

// CreateInput invites a user, or creates them active with a password.
type CreateInput struct {
	Name         string                  `json:"name" validate:"required,min=1,max=100,text"`
	Email        string                  `json:"email" validate:"omitempty,email,max=254"`
	Phone        string                  `json:"phone" validate:"omitempty,phone"`
	Password     string                  `json:"password" validate:"max=128"`
	FranchiseeID *uuid.UUID              `json:"franchisee_id"`
	Assignments  []authz.AssignmentInput `json:"assignments" validate:"max=50,dive"`
}

// UpdateInput changes a user's profile; nil fields stay.
type UpdateInput struct {
	Name  *string `json:"name" validate:"omitnil,min=1,max=100,text"`
	Email *string `json:"email" validate:"omitnil,omitempty,email,max=254"`
	Phone *string `json:"phone" validate:"omitnil,omitempty,phone"`
}

// AssignInput replaces a user's roles.
type AssignInput struct {
	Assignments []authz.AssignmentInput `json:"assignments" validate:"required,max=50,dive"`
}

// ResetResult carries the one-time reset token.
type ResetResult struct {
	ResetToken string    `json:"reset_token"`
	ExpiresAt  time.Time `json:"expires_at"`
}

// Filter narrows the user list.
type Filter struct {
	Status  string
	StoreID *uuid.UUID
	Query   string
}

// Service administers staff.
type Service struct {
	pool  *tenant.Pool
	authz *authz.Authorizer
	auth  *auth.Service
	// SeatGuard, when set (by the API wiring: billing), runs inside the
	// transaction after a user is added or re-enabled; its error refuses it
	// (a plan's staff-seat limit).
	SeatGuard func(ctx context.Context, tenantID uuid.UUID) error
}

// New builds the service.
func New(pool *tenant.Pool, az *authz.Authorizer, au *auth.Service) *Service {
	return &Service{pool: pool, authz: az, auth: au}
}

// inScope restricts a users query to staff holding a role in the scope's
// stores (directly or through their franchisee).
func inScope(q *gorm.DB, scope authz.StoreScope) *gorm.DB {
	if scope.All {
		return q
	}
	return q.Where(`EXISTS (
		SELECT 1 FROM user_store_assignments a
		LEFT JOIN stores s ON s.tenant_id = a.tenant_id AND s.franchisee_id = a.franchisee_id
		WHERE a.tenant_id = users.tenant_id AND a.user_id = users.id AND COALESCE(a.store_id, s.id) IN ?)`,
		append(scope.Stores, uuid.Nil))
}

// List returns the staff visible in scope.
func (s *Service) List(ctx context.Context, tenantID uuid.UUID, scope authz.StoreScope, f Filter, page web.Page) ([]Detail, error) {
	var out []Detail
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		q := inScope(tenant.DB(ctx).Table("users").Select(auth.UserColumns).Where("tenant_id = ?", tenantID), scope)
		if f.Status != "" {
			q = q.Where("status = ?", f.Status)
		}
		if f.StoreID != nil {
			q = inScope(q, authz.StoreScope{Stores: []uuid.UUID{*f.StoreID}})
		}
		if f.Query != "" {
			like := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(f.Query) + "%"
			q = q.Where("(name ILIKE ? OR email ILIKE ? OR phone ILIKE ?)", like, like, like)
		}
		if page.Cursor != uuid.Nil {
			q = q.Where("id > ?", page.Cursor)
		}
		var us []auth.User
		if err := q.Order("id").Limit(page.Limit + 1).Scan(&us).Error; err != nil {
			return fmt.Errorf("users: list: %w", err)
		}
		var err error
		out, err = s.withAssignments(ctx, tenantID, us)
		return err
	})
	return out, err
}

func (s *Service) withAssignments(ctx context.Context, tenantID uuid.UUID, us []auth.User) ([]Detail, error) {
	out := make([]Detail, len(us))
	if len(us) == 0 {
		return out, nil
	}
	ids := make([]uuid.UUID, len(us))
	for i, u := range us {
		ids[i] = u.ID
	}
	as, err := s.authz.Assignments(ctx, tenantID, ids...)
	if err != nil {
		return nil, err
	}
	for i, u := range us {
		out[i] = Detail{User: u, Assignments: as[u.ID]}
		if out[i].Assignments == nil {
			out[i].Assignments = []authz.Assignment{}
		}
	}
	return out, nil
}

// Get returns a user visible in scope, or ErrNotFound.
func (s *Service) Get(ctx context.Context, tenantID uuid.UUID, scope authz.StoreScope, id uuid.UUID) (Detail, error) {
	var out Detail
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var us []auth.User
		q := inScope(tenant.DB(ctx).Table("users").Select(auth.UserColumns).Where("tenant_id = ? AND id = ?", tenantID, id), scope)
		if err := q.Scan(&us).Error; err != nil {
			return fmt.Errorf("users: get: %w", err)
		}
		if len(us) == 0 {
			return ErrNotFound
		}
		ds, err := s.withAssignments(ctx, tenantID, us)
		if err != nil {
			return err
		}
		out = ds[0]
		return nil
	})
	return out, err
}

// Names returns the names of the users with the given ids, for rows that
// record who did something (an entry's author, a shift's cashier): one
// statement for all of them, inside the caller's tenant transaction when
// ctx carries one. Disabled and invited users are named like active ones,
// since the rows outlive their authors' accounts. Duplicates and uuid.Nil
// are ignored; an id that is no user of the tenant is missing from the
// map. With no id to look up it sends nothing. It answers whatever the
// caller's scope: a name is what the row already shows by id.
func (s *Service) Names(ctx context.Context, tenantID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]string, error) {
	out := map[uuid.UUID]string{}
	want := make([]uuid.UUID, 0, len(ids))
	seen := map[uuid.UUID]bool{uuid.Nil: true}
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			want = append(want, id)
		}
	}
	if len(want) == 0 {
		return out, nil
	}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var rows []struct {
			ID   uuid.UUID
			Name string
		}
		if err := tenant.DB(ctx).Raw(`SELECT id, name FROM users WHERE tenant_id = ? AND id = ANY(?)`, tenantID, postgres.UUIDs(want)).
			Scan(&rows).Error; err != nil {
			return fmt.Errorf("users: names: %w", err)
		}
		for _, r := range rows {
			out[r.ID] = r.Name
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// NameField is a row's user id and the name field it fills.
type NameField struct {
	ID   *uuid.UUID
	Name *string
}

// FillNames fills the name fields of every row with one Names call (none
// when no row records a user): fields lists a row's ids and where their
// names go. A nil id, or one that is no user, leaves its name "".
func FillNames[T any](ctx context.Context, s *Service, tenantID uuid.UUID, rows []T, fields func(*T) []NameField) error {
	var ids []uuid.UUID
	for i := range rows {
		for _, f := range fields(&rows[i]) {
			if f.ID != nil {
				ids = append(ids, *f.ID)
			}
		}
	}
	names, err := s.Names(ctx, tenantID, ids)
	if err != nil {
		return err
	}
	for i := range rows {
		for _, f := range fields(&rows[i]) {
			if f.ID != nil {
				*f.Name = names[*f.ID]
			} else {
				*f.Name = ""
			}
		}
	}
	return nil
}

// One runs fill, which fills a page of rows (their names, say), on one row.
func One[T any](row *T, fill func([]T) error) error {
	rows := []T{*row}
	err := fill(rows)
	*row = rows[0]
	return err
}

// manageable loads a user the actor may change: visible in the actor's
// users:write scope and, for store-scoped actors, holding no role outside it.
func (s *Service) manageable(ctx context.Context, actor *tenant.Principal, id uuid.UUID) (Detail, error) {
	readScope, err := s.authz.ScopeOf(ctx, actor, authz.UsersRead)
	if err != nil {
		return Detail{}, err
	}
	d, err := s.Get(ctx, actor.TenantID, readScope, id)
	if err != nil {
		return Detail{}, err
	}
	writeScope, err := s.authz.ScopeOf(ctx, actor, authz.UsersWrite)
	if err != nil {
		return Detail{}, err
	}
	if writeScope.All {
		return d, nil
	}
	if len(d.Assignments) == 0 {
		return Detail{}, problem.ErrForbidden.WithDetail("only HQ can manage staff without a store role")
	}
	for _, a := range d.Assignments {
		if a.StoreID == nil || !writeScope.Contains(*a.StoreID) {
			return Detail{}, problem.ErrForbidden.WithDetail("this user holds roles outside your stores")
		}
	}
	return d, nil
}

// Create invites (or creates active, with a password) a user and assigns
// their roles; a store-scoped actor must place them in one of its stores.
func (s *Service) Create(ctx context.Context, actor *tenant.Principal, in CreateInput) (Created, error) {
	var out Created
	email := strings.ToLower(strings.TrimSpace(in.Email))
	if email == "" && in.Phone == "" {
		return out, ErrNoLogin.WithFields(problem.FieldError{Field: "email", Message: "or phone is required"})
	}
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		chain, err := s.authz.CanChain(ctx, actor, authz.UsersWrite)
		if err != nil {
			return err
		}
		if !chain && len(in.Assignments) == 0 {
			return ErrNeedsScope
		}
		nu := auth.NewUser{Name: in.Name, Email: email, Phone: in.Phone, Status: "invited", FranchiseeID: in.FranchiseeID}
		if in.Password != "" {
			if err := auth.CheckPasswordStrength("password", in.Password, email); err != nil {
				return err
			}
			if nu.PasswordHash, err = auth.HashPassword(in.Password); err != nil {
				return err
			}
			nu.Status = "active"
		}
		if in.FranchiseeID != nil {
			var n int64
			if err := tenant.DB(ctx).Raw(`SELECT count(*) FROM franchisees WHERE tenant_id = ? AND id = ?`, actor.TenantID, *in.FranchiseeID).Scan(&n).Error; err != nil {
				return err
			}
			if n == 0 {
				return problem.ErrValidation.WithFields(problem.FieldError{Field: "franchisee_id", Message: "is not a franchisee of this chain"})
			}
		}
		u, err := s.auth.CreateUser(ctx, actor.TenantID, nu)
		if err != nil {
			return err
		}
		if s.SeatGuard != nil {
			if err := s.SeatGuard(ctx, actor.TenantID); err != nil {
				return err
			}
		}
		if err := audit.Record(ctx, audit.Entry{Action: "user.create", ObjectType: "user", ObjectID: u.ID.String(),
			Detail: map[string]any{"status": u.Status}}); err != nil {
			return err
		}
		as, err := s.authz.SetAssignments(ctx, actor, u.ID, in.Assignments)
		if err != nil {
			return err
		}
		out.Detail = Detail{User: u, Assignments: as}
		if u.Status == "invited" {
			tok, exp, err := s.auth.IssueUserToken(ctx, actor.TenantID, u.ID, "invite")
			if err != nil {
				return err
			}
			out.InviteToken, out.InviteExpiresAt = &tok, &exp
		}
		return nil
	})
	return out, err
}

// Update changes a user's name, e-mail or phone.
func (s *Service) Update(ctx context.Context, actor *tenant.Principal, id uuid.UUID, in UpdateInput) (Detail, error) {
	var out Detail
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		cur, err := s.manageable(ctx, actor, id)
		if err != nil {
			return err
		}
		set := map[string]any{}
		if in.Name != nil {
			set["name"] = *in.Name
		}
		if in.Email != nil {
			set["email"] = nullable(strings.ToLower(strings.TrimSpace(*in.Email)))
		}
		if in.Phone != nil {
			set["phone"] = nullable(*in.Phone)
		}
		if len(set) > 0 {
			set["updated_at"] = gorm.Expr("now()")
			err := tenant.DB(ctx).Table("users").Where("tenant_id = ? AND id = ?", actor.TenantID, id).Updates(set).Error
			if c, ok := postgres.IsUniqueViolation(err); ok {
				switch c {
				case "users_phone_key":
					return auth.ErrUserPhoneTaken
				case "users_email_key":
					return auth.ErrUserEmailTaken
				}
			}
			if pe, ok := problem.As(err); ok {
				return pe
			}
			if err != nil && strings.Contains(err.Error(), "users_has_login") {
				return ErrNoLogin
			}
			if err != nil {
				return fmt.Errorf("users: update: %w", err)
			}
			if err := audit.Record(ctx, audit.Entry{Action: "user.update", ObjectType: "user", ObjectID: id.String(),
				Detail: map[string]any{"before": cur.User, "changed": keys(set)}}); err != nil {
				return err
			}
		}
		out, err = s.Get(ctx, actor.TenantID, authz.StoreScope{All: true}, id)
		return err
	})
	return out, err
}

// SetStatus disables or re-enables a user. Disabling ends every session
// at once and removes the user from every role decision.
func (s *Service) SetStatus(ctx context.Context, actor *tenant.Principal, id uuid.UUID, status string) (Detail, error) {
	var out Detail
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		cur, err := s.manageable(ctx, actor, id)
		if err != nil {
			return err
		}
		if id == actor.UserID && status == "disabled" {
			return ErrSelf
		}
		next := status
		if status == "active" && cur.Status == "invited" {
			next = "invited" // enabling does not skip the invitation
		}
		if cur.Status != next {
			if err := tenant.DB(ctx).Exec(`UPDATE users SET status = ?, updated_at = now() WHERE tenant_id = ? AND id = ?`, next, actor.TenantID, id).Error; err != nil {
				return err
			}
			if next == "disabled" {
				if err := s.auth.RevokeUserSessions(ctx, actor.TenantID, id, "disabled"); err != nil {
					return err
				}
			} else if cur.Status == "disabled" && s.SeatGuard != nil {
				if err := s.SeatGuard(ctx, actor.TenantID); err != nil {
					return err
				}
			}
			action := "user.enable"
			if next == "disabled" {
				action = "user.disable"
			}
			if err := audit.Record(ctx, audit.Entry{Action: action, ObjectType: "user", ObjectID: id.String()}); err != nil {
				return err
			}
			if err := s.authz.Bump(ctx, actor.TenantID); err != nil {
				return err
			}
		}
		out, err = s.Get(ctx, actor.TenantID, authz.StoreScope{All: true}, id)
		return err
	})
	return out, err
}

// ResetPassword issues a one-time reset token and ends the user's sessions.
func (s *Service) ResetPassword(ctx context.Context, actor *tenant.Principal, id uuid.UUID) (ResetResult, error) {
	var out ResetResult
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		cur, err := s.manageable(ctx, actor, id)
		if err != nil {
			return err
		}
		if cur.Status == "disabled" {
			return problem.ErrConflict.WithDetail("enable the user before resetting their password")
		}
		purpose := "reset"
		if cur.Status == "invited" {
			purpose = "invite"
		}
		tok, exp, err := s.auth.IssueUserToken(ctx, actor.TenantID, id, purpose)
		if err != nil {
			return err
		}
		if err := s.auth.RevokeUserSessions(ctx, actor.TenantID, id, "password_reset"); err != nil {
			return err
		}
		out = ResetResult{ResetToken: tok, ExpiresAt: exp}
		return audit.Record(ctx, audit.Entry{Action: "user.password_reset", ObjectType: "user", ObjectID: id.String()})
	})
	return out, err
}

// Assign replaces a user's roles (escalation rules in authz.SetAssignments).
func (s *Service) Assign(ctx context.Context, actor *tenant.Principal, id uuid.UUID, in AssignInput) (Detail, error) {
	var out Detail
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		readScope, err := s.authz.ScopeOf(ctx, actor, authz.UsersRead)
		if err != nil {
			return err
		}
		cur, err := s.Get(ctx, actor.TenantID, readScope, id)
		if err != nil {
			return err
		}
		as, err := s.authz.SetAssignments(ctx, actor, id, in.Assignments)
		if err != nil {
			return err
		}
		out = Detail{User: cur.User, Assignments: as}
		return nil
	})
	return out, err
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
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
