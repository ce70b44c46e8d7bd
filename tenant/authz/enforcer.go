// Package authz decides what a principal may do, with Casbin over scoped
// domains (<tenant>/<store> for store work, <tenant>/hq for chain work), and
// manages the roles and role assignments it decides from.
//
// Role templates and their hierarchy live in the shared "*" domain; a
// tenant's custom roles and every assignment are rows in PostgreSQL (roles,
// user_store_assignments). Each instance keeps one enforcer per tenant,
// loaded on first use inside the tenant's transaction (so row-level security
// applies to the load too) and dropped when the tenant's policy_version
// moves: at once through Redis pub/sub, and within PolicyPollInterval from
// PostgreSQL when Redis was down.
package authz

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	"github.com/casbin/casbin/v2/util"
	"github.com/google/uuid"
	"golang.org/x/sync/singleflight"

	"github.com/redis/go-redis/v9"

	"chainstore/infra/redisx"
	"chainstore/tenant"
)

// casbinModel: a request is (subject, domain, object, action). g links a user
// to a role in a domain; assignments carry their scope as a domain pattern
// (<tenant>/* or <tenant>/<store>) matched with keyMatch, and templates'
// inheritance sits in the "*" domain that matches every request domain.
const casbinModel = `
[request_definition]
r = sub, dom, obj, act

[policy_definition]
p = sub, dom, obj, act

[role_definition]
g = _, _, _

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = g(r.sub, p.sub, r.dom) && keyMatch(r.dom, p.dom) && r.obj == p.obj && r.act == p.act
`

// ChainDomain is the domain of chain-level work (create a store, define a role).
func ChainDomain(tenantID uuid.UUID) string { return tenantID.String() + "/hq" }

// StoreDomain is the domain of work in one store.
func StoreDomain(tenantID, storeID uuid.UUID) string {
	return tenantID.String() + "/" + storeID.String()
}

func chainPattern(tenantID uuid.UUID) string { return tenantID.String() + "/*" }

func userSubject(id uuid.UUID) string { return "u:" + id.String() }

// roleSubject namespaces tenant-defined roles by tenant; built-in ones are
// the shared templates.
func roleSubject(tenantID uuid.UUID, key string, builtin bool) string {
	if builtin {
		return key
	}
	return tenantID.String() + ":" + key
}

// Authorizer answers permission questions for every tenant.
type Authorizer struct {
	pool  *tenant.Pool
	redis *redisx.Client
	model model.Model

	mu       sync.RWMutex
	policies map[uuid.UUID]*policy
	loads    singleflight.Group
	// invalidations counts Invalidate calls: a load that overlapped one may
	// have read the old policy, so it is used once but not cached.
	invalidations atomic.Uint64
}

// maxCachedTenants bounds memory: past it, an arbitrary tenant's enforcer
// is dropped (it reloads on its next request).
const maxCachedTenants = 5000

type policy struct {
	version int64
	enf     *casbin.SyncedCachedEnforcer
	// summaries hold each user's role keys and the stores their store- and
	// franchise-scoped assignments expand to: for tokens, /me, and "which
	// stores may I see".
	summaries map[uuid.UUID]*Summary
}

// New builds an Authorizer. Call Watch to follow policy changes made by
// other instances.
func New(pool *tenant.Pool, redis *redisx.Client) (*Authorizer, error) {
	m, err := model.NewModelFromString(casbinModel)
	if err != nil {
		return nil, fmt.Errorf("authz: model: %w", err)
	}
	return &Authorizer{pool: pool, redis: redis, model: m, policies: map[uuid.UUID]*policy{}}, nil
}

// ErrForbidden is returned by Require when the permission is missing.
var ErrForbidden = errors.New("authz: forbidden")

// Can reports whether the principal holds perm in domain (ChainDomain or
// StoreDomain of the principal's tenant).
func (a *Authorizer) Can(ctx context.Context, p *tenant.Principal, domain string, perm Permission) (bool, error) {
	if !strings.HasPrefix(domain, p.TenantID.String()+"/") {
		return false, nil // never across tenants, whatever the policy says
	}
	pol, err := a.policy(ctx, p.TenantID)
	if err != nil {
		return false, err
	}
	obj, act, _ := strings.Cut(string(perm), ":")
	ok, err := pol.enf.Enforce(userSubject(p.UserID), domain, obj, act)
	if err != nil {
		return false, fmt.Errorf("authz: enforce: %w", err)
	}
	return ok, nil
}

// CanChain is Can in the chain domain.
func (a *Authorizer) CanChain(ctx context.Context, p *tenant.Principal, perm Permission) (bool, error) {
	return a.Can(ctx, p, ChainDomain(p.TenantID), perm)
}

// CanStore is Can in one store's domain.
func (a *Authorizer) CanStore(ctx context.Context, p *tenant.Principal, storeID uuid.UUID, perm Permission) (bool, error) {
	return a.Can(ctx, p, StoreDomain(p.TenantID, storeID), perm)
}

// StoreScope is where a principal holds a permission: every store of the
// chain, or the listed ones.
type StoreScope struct {
	All    bool
	Stores []uuid.UUID
}

// Contains reports whether the scope covers a store.
func (s StoreScope) Contains(id uuid.UUID) bool {
	if s.All {
		return true
	}
	for _, x := range s.Stores {
		if x == id {
			return true
		}
	}
	return false
}

// Empty reports whether the scope covers nothing.
func (s StoreScope) Empty() bool { return !s.All && len(s.Stores) == 0 }

// ScopeOf returns the stores in which the principal holds perm: all of them
// when a chain-wide role grants it, else those of their store assignments.
func (a *Authorizer) ScopeOf(ctx context.Context, p *tenant.Principal, perm Permission) (StoreScope, error) {
	if ok, err := a.CanChain(ctx, p, perm); err != nil || ok {
		return StoreScope{All: ok}, err
	}
	pol, err := a.policy(ctx, p.TenantID)
	if err != nil {
		return StoreScope{}, err
	}
	var out StoreScope
	sum := pol.summaries[p.UserID]
	if sum == nil {
		return out, nil
	}
	for _, sid := range sum.Stores {
		ok, err := a.CanStore(ctx, p, sid, perm)
		if err != nil {
			return StoreScope{}, err
		}
		if ok {
			out.Stores = append(out.Stores, sid)
		}
	}
	return out, nil
}

// policy returns the tenant's enforcer, loading it inside the tenant
// transaction when it is not cached.
func (a *Authorizer) policy(ctx context.Context, tenantID uuid.UUID) (*policy, error) {
	dirty := tenant.Marked(ctx, policyDirtyMark)
	if !dirty {
		a.mu.RLock()
		pol := a.policies[tenantID]
		a.mu.RUnlock()
		if pol != nil {
			return pol, nil
		}
	}
	if dirty {
		// This transaction changed the policy and has not committed: load
		// what it sees for its own questions, but never cache it.
		return a.load(ctx, tenantID)
	}
	v, err, _ := a.loads.Do(tenantID.String(), func() (any, error) {
		gen := a.invalidations.Load()
		pol, err := a.load(ctx, tenantID)
		if err != nil {
			return nil, err
		}
		a.mu.Lock()
		if a.invalidations.Load() == gen {
			if len(a.policies) >= maxCachedTenants {
				for id := range a.policies {
					delete(a.policies, id)
					break
				}
			}
			a.policies[tenantID] = pol
		}
		a.mu.Unlock()
		return pol, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*policy), nil
}

type assignmentRow struct {
	UserID       uuid.UUID
	RoleKey      string
	Builtin      bool
	StoreID      *uuid.UUID
	FranchiseeID *uuid.UUID
}

func (a *Authorizer) load(ctx context.Context, tenantID uuid.UUID) (*policy, error) {
	var pol *policy
	err := a.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		pol = &policy{summaries: map[uuid.UUID]*Summary{}}
		if err := db.Raw(`SELECT policy_version FROM tenants WHERE id = ?`, tenantID).Scan(&pol.version).Error; err != nil {
			return fmt.Errorf("authz: policy version: %w", err)
		}
		enf, err := casbin.NewSyncedCachedEnforcer(a.model.Copy())
		if err != nil {
			return err
		}
		enf.AddNamedDomainMatchingFunc("g", "keyMatch", util.KeyMatch)
		var rules [][]string
		var links [][]string
		for _, t := range Templates {
			for _, p := range t.Permissions {
				obj, act, _ := strings.Cut(string(p), ":")
				rules = append(rules, []string{t.Key, "*", obj, act})
			}
			for _, parent := range t.Inherits {
				links = append(links, []string{t.Key, parent, "*"})
			}
		}
		var custom []struct {
			Key         string
			Permissions string
		}
		if err := db.Raw(`SELECT key, array_to_string(permissions, ',') AS permissions FROM roles WHERE tenant_id = ? AND NOT builtin`, tenantID).Scan(&custom).Error; err != nil {
			return fmt.Errorf("authz: load roles: %w", err)
		}
		for _, r := range custom {
			for _, p := range strings.Split(r.Permissions, ",") {
				if obj, act, ok := strings.Cut(p, ":"); ok {
					rules = append(rules, []string{roleSubject(tenantID, r.Key, false), chainPattern(tenantID), obj, act})
				}
			}
		}
		var rows []assignmentRow
		if err := db.Raw(`
			SELECT a.user_id, r.key AS role_key, r.builtin, a.store_id, a.franchisee_id
			FROM user_store_assignments a
			JOIN roles r ON r.tenant_id = a.tenant_id AND r.id = a.role_id
			JOIN users u ON u.tenant_id = a.tenant_id AND u.id = a.user_id
			LEFT JOIN franchisees f ON f.tenant_id = a.tenant_id AND f.id = a.franchisee_id
			WHERE a.tenant_id = ? AND u.status = 'active' AND (a.franchisee_id IS NULL OR f.status = 'active')
			ORDER BY a.id`, tenantID).Scan(&rows).Error; err != nil {
			return fmt.Errorf("authz: load assignments: %w", err)
		}
		var franchiseStores []struct {
			ID           uuid.UUID
			FranchiseeID uuid.UUID
		}
		if err := db.Raw(`SELECT id, franchisee_id FROM stores WHERE tenant_id = ? AND franchisee_id IS NOT NULL`, tenantID).Scan(&franchiseStores).Error; err != nil {
			return fmt.Errorf("authz: load franchise stores: %w", err)
		}
		for _, r := range rows {
			sub, role := userSubject(r.UserID), roleSubject(tenantID, r.RoleKey, r.Builtin)
			sum := pol.summaries[r.UserID]
			if sum == nil {
				sum = &Summary{Roles: []string{}, Stores: []uuid.UUID{}}
				pol.summaries[r.UserID] = sum
			}
			sum.addRole(r.RoleKey)
			switch {
			case r.StoreID != nil:
				links = append(links, []string{sub, role, StoreDomain(tenantID, *r.StoreID)})
				sum.addStore(*r.StoreID)
			case r.FranchiseeID != nil:
				for _, s := range franchiseStores {
					if s.FranchiseeID == *r.FranchiseeID {
						links = append(links, []string{sub, role, StoreDomain(tenantID, s.ID)})
						sum.addStore(s.ID)
					}
				}
			default:
				links = append(links, []string{sub, role, chainPattern(tenantID)})
				sum.Chain = true
			}
		}
		if len(rules) > 0 {
			if _, err := enf.AddPolicies(rules); err != nil {
				return fmt.Errorf("authz: add policies: %w", err)
			}
		}
		if len(links) > 0 {
			if _, err := enf.AddGroupingPolicies(links); err != nil {
				return fmt.Errorf("authz: add grouping policies: %w", err)
			}
		}
		pol.enf = enf
		return nil
	})
	return pol, err
}

const (
	policyDirtyMark = "authz.policy_changed"
	policyChannel   = "authz:policy_changed"
)

// Bump records, inside the caller's tenant transaction, that the tenant's
// policy changed: it increments tenants.policy_version (the fallback every
// instance polls) and, after commit, drops the local enforcer and tells the
// other instances through Redis.
func (a *Authorizer) Bump(ctx context.Context, tenantID uuid.UUID) error {
	if err := tenant.DB(ctx).Exec(`UPDATE tenants SET policy_version = policy_version + 1, updated_at = now() WHERE id = ?`, tenantID).Error; err != nil {
		return fmt.Errorf("authz: bump policy version: %w", err)
	}
	tenant.Mark(ctx, policyDirtyMark)
	tenant.AfterCommit(ctx, func(ctx context.Context) {
		a.Invalidate(tenantID)
		err := a.redis.Do(ctx, func(ctx context.Context, rdb redis.UniversalClient) error {
			return rdb.Publish(ctx, policyChannel, tenantID.String()).Err()
		})
		if err != nil {
			slog.WarnContext(ctx, "authz: policy change not published; other instances will see it when they poll", "tenant", tenantID, "err", err)
		}
	})
	return nil
}

// Invalidate drops the cached enforcer (and so its decision cache) of a tenant.
func (a *Authorizer) Invalidate(tenantID uuid.UUID) {
	a.invalidations.Add(1)
	a.mu.Lock()
	delete(a.policies, tenantID)
	a.mu.Unlock()
	a.loads.Forget(tenantID.String())
}

// Watch follows policy changes until ctx ends: Redis pub/sub for immediate
// notice and a poll of tenants.policy_version for changes whose notice was
// lost (Redis down, instance restarting).
func (a *Authorizer) Watch(ctx context.Context, pollEvery time.Duration) {
	a.redis.Subscribe(ctx, policyChannel, func(payload string) {
		if id, err := uuid.Parse(payload); err == nil {
			a.Invalidate(id)
		}
	})
	go a.poll(ctx, pollEvery)
}

func (a *Authorizer) poll(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			a.PollOnce(ctx)
		}
	}
}

// PollOnce compares cached versions with PostgreSQL and drops stale ones.
func (a *Authorizer) PollOnce(ctx context.Context) {
	a.mu.RLock()
	ids := make([]uuid.UUID, 0, len(a.policies))
	for id := range a.policies {
		ids = append(ids, id)
	}
	a.mu.RUnlock()
	if len(ids) == 0 {
		return
	}
	var rows []struct {
		ID            uuid.UUID
		PolicyVersion int64
	}
	if err := a.pool.Platform(ctx).Raw(`SELECT id, policy_version FROM tenants WHERE id IN ?`, ids).Scan(&rows).Error; err != nil {
		slog.WarnContext(ctx, "authz: poll policy versions", "err", err)
		return
	}
	current := make(map[uuid.UUID]int64, len(rows))
	for _, r := range rows {
		current[r.ID] = r.PolicyVersion
	}
	for _, id := range ids {
		a.mu.RLock()
		pol := a.policies[id]
		a.mu.RUnlock()
		if pol != nil && pol.version != current[id] {
			a.Invalidate(id)
		}
	}
}
