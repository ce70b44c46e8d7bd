// Package auth is identity: self-serve signup, login, refresh-token
// rotation with reuse detection, logout, one-time invitation and reset
// tokens, and verifying the access token of every request.
package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"

	"chainstore/infra/cache"
	"chainstore/infra/clock"
	"chainstore/infra/postgres"
	"chainstore/infra/problem"
	"chainstore/infra/ratelimit"
	"chainstore/infra/redisx"
	"chainstore/infra/web"
	"chainstore/tenant"
	"chainstore/tenant/audit"
	"chainstore/tenant/authz"
)

// Service is identity for every tenant.
type Service struct {
	pool         *tenant.Pool
	authz        *authz.Authorizer
	tokens       *Tokens
	clock        *clock.Clock // the tokens' clock
	redis        *redisx.Client
	perIP        *ratelimit.Limiter
	perAccount   *ratelimit.Limiter
	refreshTTL   time.Duration
	userTokenTTL time.Duration
	afterSignup  func(ctx context.Context, tenantID uuid.UUID) error
	billingFlags func(ctx context.Context, tenantID uuid.UUID) (Billing, error)
	// sessions is this instance's own view of sessions it has checked:
	// true = revoked. See CheckSession for how long each answer is kept.
	sessions *cache.Local[sessionRef, bool]
}

type sessionRef struct{ tenantID, sessionID uuid.UUID }

// Options configure the service.
type Options struct {
	RefreshTTL       time.Duration
	LoginPerAccount  int
	LoginPerIP       int
	LoginLimitWindow time.Duration
	// AfterSignup runs inside the signup transaction once the chain exists
	// (billing starts the trial); its error fails the signup.
	AfterSignup func(ctx context.Context, tenantID uuid.UUID) error
	// BillingFlags gives /me its billing flags (tenant/* cannot import the
	// billing module, so the API wiring passes it in).
	BillingFlags func(ctx context.Context, tenantID uuid.UUID) (Billing, error)
}

// New builds the service.
func New(pool *tenant.Pool, az *authz.Authorizer, tokens *Tokens, rc *redisx.Client, opt Options) *Service {
	return &Service{
		pool: pool, authz: az, tokens: tokens, clock: tokens.clock, redis: rc,
		sessions:     cache.NewLocal[sessionRef, bool](100_000),
		perIP:        ratelimit.New(rc, opt.LoginPerIP, opt.LoginLimitWindow),
		perAccount:   ratelimit.New(rc, opt.LoginPerAccount, opt.LoginLimitWindow),
		refreshTTL:   opt.RefreshTTL,
		userTokenTTL: 72 * time.Hour,
		afterSignup:  opt.AfterSignup,
		billingFlags: opt.BillingFlags,
	}
}

// Tokens exposes the access-token signer (for tests and the bench).
func (s *Service) Tokens() *Tokens { return s.tokens }

// Signup creates a tenant, its built-in roles and its first HQ admin, and
// signs the admin in, all in one transaction.
func (s *Service) Signup(ctx context.Context, in SignupInput) (*SignupResult, error) {
	email := strings.ToLower(strings.TrimSpace(in.AdminEmail))
	if err := CheckPasswordStrength("admin_password", in.AdminPassword, email, in.Slug); err != nil {
		return nil, err
	}
	hash, err := HashPassword(in.AdminPassword)
	if err != nil {
		return nil, err
	}
	t := Tenant{ID: uuid.Must(uuid.NewV7()), Name: in.ChainName, Slug: in.Slug, Kind: or(in.Kind, "supermarket"),
		Status: "active", Currency: or(in.Currency, "CNY"), TimeZone: or(in.TimeZone, "Asia/Shanghai")}
	var res *SignupResult
	err = s.pool.WithTx(ctx, t.ID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		err := db.Raw(`INSERT INTO tenants (id, name, slug, kind, currency, time_zone) VALUES (?, ?, ?, ?, ?, ?) RETURNING created_at`,
			t.ID, t.Name, t.Slug, t.Kind, t.Currency, t.TimeZone).Scan(&t.CreatedAt).Error
		if c, ok := postgres.IsUniqueViolation(err); ok && c == "tenants_slug_key" {
			return ErrSlugTaken
		}
		if err != nil {
			return fmt.Errorf("signup: tenant: %w", err)
		}
		err = db.Exec(`INSERT INTO signup_emails (email, tenant_id) VALUES (?, ?)`, email, t.ID).Error
		if _, ok := postgres.IsUniqueViolation(err); ok {
			return ErrEmailTaken
		}
		if err != nil {
			return fmt.Errorf("signup: email: %w", err)
		}
		if err := s.authz.SeedBuiltins(ctx, t.ID); err != nil {
			return err
		}
		u, err := s.CreateUser(ctx, t.ID, NewUser{Name: in.AdminName, Email: email, Phone: in.AdminPhone, PasswordHash: hash, Status: "active"})
		if err != nil {
			return err
		}
		p := &tenant.Principal{TenantID: t.ID, UserID: u.ID}
		if err := s.authz.GrantInitial(tenant.WithPrincipal(ctx, p), t.ID, u.ID, "hq_admin", nil, nil); err != nil {
			return err
		}
		if s.afterSignup != nil {
			if err := s.afterSignup(ctx, t.ID); err != nil {
				return err
			}
		}
		pair, err := s.startSession(ctx, t.ID, u.ID)
		if err != nil {
			return err
		}
		res = &SignupResult{Tenant: t, User: u, TokenPair: *pair}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// NewUser is a user row to insert; Email is already lower-cased.
type NewUser struct {
	Name         string
	Email        string
	Phone        string
	PasswordHash string
	Status       string
	FranchiseeID *uuid.UUID
}

// CreateUser inserts a user in the tenant transaction of ctx; a taken
// e-mail or phone is reported per field.
func (s *Service) CreateUser(ctx context.Context, tenantID uuid.UUID, nu NewUser) (User, error) {
	var u User
	id := uuid.Must(uuid.NewV7())
	err := tenant.DB(ctx).Raw(`INSERT INTO users (tenant_id, id, name, email, phone, password_hash, status, franchisee_id, password_changed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, CASE WHEN ? <> '' THEN now() END) RETURNING `+UserColumns,
		tenantID, id, nu.Name, nullable(nu.Email), nullable(nu.Phone), nu.PasswordHash, nu.Status, nu.FranchiseeID, nu.PasswordHash).Scan(&u).Error
	if c, ok := postgres.IsUniqueViolation(err); ok {
		switch c {
		case "users_email_key":
			return User{}, ErrUserEmailTaken
		case "users_phone_key":
			return User{}, ErrUserPhoneTaken
		}
	}
	if err != nil {
		return User{}, fmt.Errorf("auth: create user: %w", err)
	}
	return u, nil
}

// Login checks a password and opens a session. Attempts are limited per IP
// and per account before any password is compared.
func (s *Service) Login(ctx context.Context, in LoginInput) (*LoginResult, error) {
	login := strings.ToLower(strings.TrimSpace(in.Login))
	slug := strings.ToLower(strings.TrimSpace(in.Tenant))
	ip := web.MetaFrom(ctx).IP
	if r := s.perIP.Hit(ctx, "rl:login:ip:{"+ip+"}"); !r.Allowed {
		return nil, tooMany(r)
	}
	if r := s.perAccount.Hit(ctx, "rl:login:acct:{"+slug+"}:"+login); !r.Allowed {
		return nil, tooMany(r)
	}
	var t Tenant
	err := s.pool.Platform(ctx).Raw(`SELECT id, name, slug, kind, status, currency, time_zone, created_at FROM tenants WHERE slug = ?`, slug).Scan(&t).Error
	if err != nil {
		return nil, fmt.Errorf("auth: find tenant: %w", err)
	}
	if t.ID == uuid.Nil {
		verifyPassword(in.Password, "") // same cost as a real check
		return nil, ErrInvalidCredentials
	}
	var res *LoginResult
	err = s.pool.WithTx(ctx, t.ID, func(ctx context.Context) error {
		var row struct {
			User
			PasswordHash string
		}
		err := tenant.DB(ctx).Raw(`SELECT `+UserColumns+`, password_hash FROM users WHERE tenant_id = ? AND (email = ? OR phone = ?)`,
			t.ID, login, login).Scan(&row).Error
		if err != nil {
			return fmt.Errorf("auth: find user: %w", err)
		}
		if !verifyPassword(in.Password, row.PasswordHash) || row.ID == uuid.Nil {
			return ErrInvalidCredentials
		}
		if row.Status == "disabled" {
			return ErrAccountDisabled
		}
		if row.Status != "active" {
			return ErrInvalidCredentials
		}
		if t.Status == "suspended" || t.Status == "closed" {
			return ErrTenantSuspended
		}
		if err := tenant.DB(ctx).Exec(`UPDATE users SET last_login_at = now() WHERE tenant_id = ? AND id = ?`, t.ID, row.ID).Error; err != nil {
			return err
		}
		pair, err := s.startSession(ctx, t.ID, row.ID)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		row.User.LastLoginAt = &now
		res = &LoginResult{TokenPair: *pair, User: row.User}
		return nil
	})
	return res, err
}

func tooMany(r ratelimit.Result) error {
	e := ErrTooManyAttempts.WithDetail("retry in %d seconds", int(r.RetryAfter.Seconds()+0.999))
	e.RetryAfter = int(r.RetryAfter.Seconds() + 0.999)
	return e
}

// startSession opens a session (a refresh-token family) and issues its
// first token pair, in the tenant transaction of ctx.
func (s *Service) startSession(ctx context.Context, tenantID, userID uuid.UUID) (*TokenPair, error) {
	meta := web.MetaFrom(ctx)
	sid := uuid.Must(uuid.NewV7())
	err := tenant.DB(ctx).Exec(`INSERT INTO sessions (tenant_id, id, user_id, user_agent, ip, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		tenantID, sid, userID, truncate(meta.UserAgent, 300), meta.IP, s.clock.Now().Add(s.refreshTTL)).Error
	if err != nil {
		return nil, fmt.Errorf("auth: create session: %w", err)
	}
	return s.issuePair(ctx, tenantID, userID, sid)
}

func (s *Service) issuePair(ctx context.Context, tenantID, userID, sid uuid.UUID) (*TokenPair, error) {
	refresh, hash := newOpaque(tenantID)
	err := tenant.DB(ctx).Exec(`INSERT INTO refresh_tokens (tenant_id, id, session_id, token_hash, expires_at) VALUES (?, ?, ?, ?, ?)`,
		tenantID, uuid.Must(uuid.NewV7()), sid, hash, s.clock.Now().Add(s.refreshTTL)).Error
	if err != nil {
		return nil, fmt.Errorf("auth: store refresh token: %w", err)
	}
	sum, err := s.authz.Summarize(ctx, tenantID, userID)
	if err != nil {
		return nil, err
	}
	access, err := s.tokens.Issue(tenantID, userID, sid, sum.Roles, sum.Stores)
	if err != nil {
		return nil, fmt.Errorf("auth: sign access token: %w", err)
	}
	return &TokenPair{AccessToken: access, RefreshToken: refresh, TokenType: "Bearer", ExpiresIn: int(s.tokens.TTL().Seconds())}, nil
}

// Refresh rotates a refresh token: the presented one is spent and a new
// pair issued. Presenting a spent token again means it leaked: the whole
// session is revoked, for the thief and the owner alike.
func (s *Service) Refresh(ctx context.Context, in RefreshInput) (*TokenPair, error) {
	tenantID, ok := parseOpaque(in.RefreshToken)
	if !ok {
		return nil, ErrInvalidRefresh
	}
	var pair *TokenPair
	reused := false
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		var row struct {
			ID        uuid.UUID
			SessionID uuid.UUID
			UserID    uuid.UUID
			ExpiresAt time.Time
			Used      bool
			Revoked   bool
			Status    string
		}
		err := db.Raw(`
			SELECT r.id, r.session_id, s.user_id, r.expires_at, r.used_at IS NOT NULL AS used, s.revoked_at IS NOT NULL AS revoked, u.status
			FROM refresh_tokens r
			JOIN sessions s ON s.tenant_id = r.tenant_id AND s.id = r.session_id
			JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
			WHERE r.tenant_id = ? AND r.token_hash = ?
			FOR UPDATE OF r`, tenantID, hashOpaque(in.RefreshToken)).Scan(&row).Error
		if err != nil {
			return fmt.Errorf("auth: find refresh token: %w", err)
		}
		switch {
		case row.ID == uuid.Nil, row.Revoked, row.Status != "active", s.clock.Now().After(row.ExpiresAt):
			return ErrInvalidRefresh
		case row.Used:
			reused = true
			return s.revokeSession(ctx, tenantID, row.SessionID, "refresh_token_reused")
		}
		if err := db.Exec(`UPDATE refresh_tokens SET used_at = now() WHERE tenant_id = ? AND id = ?`, tenantID, row.ID).Error; err != nil {
			return err
		}
		pair, err = s.issuePair(ctx, tenantID, row.UserID, row.SessionID)
		return err
	})
	if err != nil {
		return nil, err
	}
	if reused {
		return nil, ErrRefreshReused
	}
	return pair, nil
}

// Logout revokes the principal's session.
func (s *Service) Logout(ctx context.Context, p *tenant.Principal) error {
	return s.pool.WithTx(ctx, p.TenantID, func(ctx context.Context) error {
		return s.revokeSession(ctx, p.TenantID, p.SessionID, "logout")
	})
}

// RevokeUserSessions ends every session of a user (disabled, password
// reset), in the tenant transaction of ctx.
func (s *Service) RevokeUserSessions(ctx context.Context, tenantID, userID uuid.UUID, reason string) error {
	var ids []uuid.UUID
	err := tenant.DB(ctx).Raw(`UPDATE sessions SET revoked_at = now(), revoked_reason = ? WHERE tenant_id = ? AND user_id = ? AND revoked_at IS NULL RETURNING id`,
		reason, tenantID, userID).Scan(&ids).Error
	if err != nil {
		return fmt.Errorf("auth: revoke sessions: %w", err)
	}
	for _, id := range ids {
		s.denyAfterCommit(ctx, tenantID, id)
	}
	return nil
}

func (s *Service) revokeSession(ctx context.Context, tenantID, sid uuid.UUID, reason string) error {
	err := tenant.DB(ctx).Exec(`UPDATE sessions SET revoked_at = now(), revoked_reason = ? WHERE tenant_id = ? AND id = ? AND revoked_at IS NULL`,
		reason, tenantID, sid).Error
	if err != nil {
		return fmt.Errorf("auth: revoke session: %w", err)
	}
	s.denyAfterCommit(ctx, tenantID, sid)
	return nil
}

// Session state is kept at three levels, PostgreSQL always right:
//   - in this instance: "ok" for sessionLocalTTL, "revoked" until every
//     access token of the session has expired; a revocation anywhere reaches
//     every instance at once as a Redis notice, and sessionLocalTTL bounds a
//     missed one (Redis down): a revoked session is refused at once on the
//     instance that revoked it, within milliseconds elsewhere, and within
//     sessionLocalTTL at worst;
//   - in Redis: "revoked" likewise, "ok" for sessionOKTTL (written SET NX,
//     so it never overwrites a revocation);
//   - a miss, or Redis down, reads PostgreSQL.
const (
	sessionOK       = "ok"
	sessionRevoked  = "revoked"
	sessionOKTTL    = 30 * time.Second
	sessionLocalTTL = 3 * time.Second
	sessionChannel  = "auth:session_revoked"
)

func sessionKey(tenantID, sid uuid.UUID) string {
	return redisx.TenantKey(tenantID.String(), "session", sid.String())
}

func (s *Service) denyAfterCommit(ctx context.Context, tenantID, sid uuid.UUID) {
	tenant.AfterCommit(ctx, func(ctx context.Context) {
		s.sessions.Set(sessionRef{tenantID, sid}, true, s.revokedTTL())
		err := s.redis.Do(ctx, func(ctx context.Context, rdb redis.UniversalClient) error {
			return rdb.Set(ctx, sessionKey(tenantID, sid), sessionRevoked, s.revokedTTL()).Err()
		})
		if err == nil {
			err = s.redis.Publish(ctx, sessionChannel, tenantID.String()+":"+sid.String())
		}
		if err != nil {
			// Other instances' "ok" then lives out sessionLocalTTL, and
			// Redis's sessionOKTTL; after them every check reads
			// PostgreSQL, which has the revocation.
			slog.WarnContext(ctx, "auth: session revocation not written to Redis; PostgreSQL remains authoritative", "err", err)
		}
	})
}

// revokedTTL is how long a revocation must be remembered: until the last
// access token of the session has expired.
func (s *Service) revokedTTL() time.Duration { return s.tokens.TTL() + time.Minute }

// Watch applies other instances' session revocations until ctx ends.
func (s *Service) Watch(ctx context.Context) {
	s.redis.Subscribe(ctx, sessionChannel, func(payload string) {
		t, sid, ok := strings.Cut(payload, ":")
		tid, err1 := uuid.Parse(t)
		id, err2 := uuid.Parse(sid)
		if ok && err1 == nil && err2 == nil {
			s.sessions.Set(sessionRef{tid, id}, true, s.revokedTTL())
		}
	})
}

// CheckSession reports whether the token's session is still live, in the
// tenant transaction of ctx (used for the PostgreSQL fallback).
func (s *Service) CheckSession(ctx context.Context, v *Verified) error {
	ref := sessionRef{v.TenantID, v.SessionID}
	if revoked, ok := s.sessions.Get(ref); ok {
		if revoked {
			return ErrSessionRevoked
		}
		return nil
	}
	key := sessionKey(v.TenantID, v.SessionID)
	var state string
	err := s.redis.Do(ctx, func(ctx context.Context, rdb redis.UniversalClient) error {
		var err error
		state, err = rdb.Get(ctx, key).Result()
		return err
	})
	switch {
	case err == nil && state == sessionRevoked:
		s.sessions.Set(ref, true, s.revokedTTL())
		return ErrSessionRevoked
	case err == nil && state == sessionOK:
		s.sessions.Set(ref, false, sessionLocalTTL)
		return nil
	}
	var row struct {
		Revoked bool
		Found   bool
	}
	if err := tenant.DB(ctx).Raw(`SELECT true AS found, revoked_at IS NOT NULL AS revoked FROM sessions WHERE tenant_id = ? AND id = ? AND user_id = ?`,
		v.TenantID, v.SessionID, v.UserID).Scan(&row).Error; err != nil {
		return fmt.Errorf("auth: check session: %w", err)
	}
	if !row.Found || row.Revoked {
		s.sessions.Set(ref, true, s.revokedTTL())
		return ErrSessionRevoked
	}
	s.sessions.Set(ref, false, sessionLocalTTL)
	if !errors.Is(err, redisx.ErrDown) {
		// SET NX: a concurrent revocation's "revoked" is never overwritten.
		_ = s.redis.Do(ctx, func(ctx context.Context, rdb redis.UniversalClient) error {
			return rdb.SetNX(ctx, key, sessionOK, sessionOKTTL).Err()
		})
	}
	return nil
}

// Authenticate verifies an access token (signature, expiry, issuer,
// audience). The session check needs the tenant transaction: CheckSession.
func (s *Service) Authenticate(raw string) (*Verified, error) { return s.tokens.Verify(raw) }

// Me describes the principal: user, tenant, roles, stores, chain-level
// permissions and billing flags.
func (s *Service) Me(ctx context.Context, p *tenant.Principal) (*Me, error) {
	var me Me
	err := s.pool.WithTx(ctx, p.TenantID, func(ctx context.Context) error {
		// One round trip for the user and their chain (tenants is a platform table).
		var row struct {
			User
			TID        uuid.UUID
			TName      string
			TSlug      string
			TKind      string
			TStatus    string
			TCurrency  string
			TTimeZone  string
			TCreatedAt time.Time
		}
		err := tenant.DB(ctx).Raw(`
			SELECT u.id, u.name, u.email, u.phone, u.status, u.franchisee_id, u.last_login_at, u.created_at, u.updated_at,
			       t.id AS t_id, t.name AS t_name, t.slug AS t_slug, t.kind AS t_kind, t.status AS t_status,
			       t.currency AS t_currency, t.time_zone AS t_time_zone, t.created_at AS t_created_at
			FROM users u JOIN tenants t ON t.id = u.tenant_id
			WHERE u.tenant_id = ? AND u.id = ?`, p.TenantID, p.UserID).Scan(&row).Error
		if err != nil {
			return err
		}
		if row.User.ID == uuid.Nil {
			return ErrSessionRevoked
		}
		me.User = row.User
		t := Tenant{ID: row.TID, Name: row.TName, Slug: row.TSlug, Kind: row.TKind, Status: row.TStatus,
			Currency: row.TCurrency, TimeZone: row.TTimeZone, CreatedAt: row.TCreatedAt}
		me.Tenant = t
		sum, err := s.authz.Summarize(ctx, p.TenantID, p.UserID)
		if err != nil {
			return err
		}
		me.Roles, me.Stores, me.ChainWide = sum.Roles, sum.Stores, sum.Chain
		me.Permissions = []string{}
		for perm := range authz.Catalogue {
			scope, err := s.authz.ScopeOf(ctx, p, perm)
			if err != nil {
				return err
			}
			if !scope.Empty() {
				me.Permissions = append(me.Permissions, string(perm))
			}
		}
		sort.Strings(me.Permissions)
		if s.billingFlags != nil {
			me.Billing, err = s.billingFlags(ctx, p.TenantID)
			return err
		}
		me.Billing = Billing{Status: "active", Access: "full"}
		if t.Status != "active" {
			me.Billing = Billing{Status: t.Status, ReadOnly: true, Access: "read_only", Banner: "This chain is " + t.Status + "; data is read-only."}
		}
		return nil
	})
	return &me, err
}

// IssueUserToken makes a one-time invitation or reset token for a user,
// in the tenant transaction of ctx, voiding earlier unused ones.
func (s *Service) IssueUserToken(ctx context.Context, tenantID, userID uuid.UUID, purpose string) (string, time.Time, error) {
	db := tenant.DB(ctx)
	if err := db.Exec(`UPDATE user_tokens SET used_at = now() WHERE tenant_id = ? AND user_id = ? AND used_at IS NULL`, tenantID, userID).Error; err != nil {
		return "", time.Time{}, err
	}
	tok, hash := newOpaque(tenantID)
	exp := s.clock.Now().Add(s.userTokenTTL).UTC()
	err := db.Exec(`INSERT INTO user_tokens (tenant_id, id, user_id, purpose, token_hash, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		tenantID, uuid.Must(uuid.NewV7()), userID, purpose, hash, exp).Error
	if err != nil {
		return "", time.Time{}, fmt.Errorf("auth: issue %s token: %w", purpose, err)
	}
	return tok, exp, nil
}

// SetPassword spends an invitation or reset token: sets the password,
// activates an invited user, and ends the user's other sessions.
func (s *Service) SetPassword(ctx context.Context, in SetPasswordInput) error {
	tenantID, ok := parseOpaque(in.Token)
	if !ok {
		return ErrInvalidUserToken
	}
	return s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		var row struct {
			ID      uuid.UUID
			UserID  uuid.UUID
			Purpose string
			Email   *string
			Status  string
		}
		err := db.Raw(`
			UPDATE user_tokens t SET used_at = now()
			FROM users u
			WHERE t.tenant_id = ? AND t.token_hash = ? AND t.used_at IS NULL AND t.expires_at > now()
			  AND u.tenant_id = t.tenant_id AND u.id = t.user_id
			RETURNING t.id, t.user_id, t.purpose, u.email, u.status`, tenantID, hashOpaque(in.Token)).Scan(&row).Error
		if err != nil {
			return err
		}
		if row.ID == uuid.Nil || row.Status == "disabled" {
			return ErrInvalidUserToken
		}
		email := ""
		if row.Email != nil {
			email = *row.Email
		}
		if err := CheckPasswordStrength("password", in.Password, email); err != nil {
			return err
		}
		hash, err := HashPassword(in.Password)
		if err != nil {
			return err
		}
		if err := db.Exec(`UPDATE users SET password_hash = ?, password_changed_at = now(), status = 'active', updated_at = now() WHERE tenant_id = ? AND id = ?`,
			hash, tenantID, row.UserID).Error; err != nil {
			return err
		}
		if err := s.RevokeUserSessions(ctx, tenantID, row.UserID, "password_set"); err != nil {
			return err
		}
		if err := audit.Record(ctx, audit.Entry{Action: "user.password_set", ObjectType: "user", ObjectID: row.UserID.String(),
			Detail: map[string]any{"via": row.Purpose}}); err != nil {
			return err
		}
		if row.Purpose == "invite" {
			// An invitation that activates an account changes who holds roles.
			return s.authz.Bump(ctx, tenantID)
		}
		return nil
	})
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

const tenantColumns = `id, name, slug, kind, status, currency, time_zone, created_at`

// Tenant returns the caller's own chain profile. There is no tenant id to
// ask for: a token reads its own chain and nothing else.
func (s *Service) Tenant(ctx context.Context, tenantID uuid.UUID) (Tenant, error) {
	var out Tenant
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		return tenant.DB(ctx).Raw(`SELECT `+tenantColumns+` FROM tenants WHERE id = ?`, tenantID).Scan(&out).Error
	})
	if err != nil {
		return Tenant{}, fmt.Errorf("auth: tenant: %w", err)
	}
	return out, nil
}

// UpdateTenant changes the actor's chain profile (name, kind, time zone),
// audited with before and after. Another currency than the chain's is
// ErrBadTenant (a field error on currency), and nothing is written.
func (s *Service) UpdateTenant(ctx context.Context, actor *tenant.Principal, in UpdateTenantInput) (Tenant, error) {
	var out Tenant
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		var cur Tenant
		if err := db.Raw(`SELECT `+tenantColumns+` FROM tenants WHERE id = ? FOR UPDATE`, actor.TenantID).Scan(&cur).Error; err != nil {
			return fmt.Errorf("auth: update tenant: %w", err)
		}
		if in.Currency != nil && *in.Currency != cur.Currency {
			return ErrBadTenant.WithFields(problem.FieldError{Field: "currency", Message: "cannot be changed: every amount of the chain is in " + cur.Currency})
		}
		next := cur
		if in.Name != nil {
			next.Name = *in.Name
		}
		if in.Kind != nil {
			next.Kind = *in.Kind
		}
		if in.TimeZone != nil {
			next.TimeZone = *in.TimeZone
		}
		out = next
		if next == cur {
			return nil
		}
		if err := db.Exec(`UPDATE tenants SET name = ?, kind = ?, time_zone = ?, updated_at = now() WHERE id = ?`,
			next.Name, next.Kind, next.TimeZone, actor.TenantID).Error; err != nil {
			return fmt.Errorf("auth: update tenant: %w", err)
		}
		return audit.Record(ctx, audit.Entry{Action: "tenant.update", ObjectType: "tenant", ObjectID: actor.TenantID.String(),
			Detail: map[string]any{"before": map[string]any{"name": cur.Name, "kind": cur.Kind, "time_zone": cur.TimeZone},
				"after": map[string]any{"name": next.Name, "kind": next.Kind, "time_zone": next.TimeZone}}})
	})
	if err != nil {
		return Tenant{}, err
	}
	return out, nil
}
