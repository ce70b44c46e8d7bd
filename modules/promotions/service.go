package promotions

// The service half of the package: promotions, coupon batches and coupons
// as the chain stores and manages them, and the calls the POS makes around
// Price, each inside the sale's tenant transaction:
//
//	InForce(ctx, tenantID, store, at) ([]Promotion, error)                  // no round trip when warm
//	MemberUsesLeft(ctx, tenantID, memberID, promotionIDs) (map[id]int, error) // one query
//	CouponsFor(ctx, tenantID, codes, memberID, at) ([]Coupon, []Refused, error) // one query
//	Consume(ctx, tenantID, Consumption) (Consumed, error)                    // at most 6 statements
//	Release(ctx, tenantID, sale, reversal, Share) (Released, error)           // at most 9 statements
//
// Franchise rules. HQ's promotions (no owner) apply in every store their
// scope covers; in a franchise store, unless the store opted out of one
// that is not forced, while the settings let franchise stores opt out.
// A franchisee's promotion applies only in that franchisee's stores, and
// only while the settings let franchisees run their own; it is checked
// against the settings' depth (FranchiseMaxOffBP, see depth.go) when it is
// created, changed or activated.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/cache"
	"chainstore/infra/clock"
	"chainstore/infra/problem"
	"chainstore/infra/redisx"
	"chainstore/infra/web"
	"chainstore/tenant"
	"chainstore/tenant/authz"
	"chainstore/tenant/org"
)

// Service is the promotions module's business logic.
type Service struct {
	pool  *tenant.Pool
	authz *authz.Authorizer
	redis *redisx.Client
	clk   *clock.Clock
	org   *org.Service

	// ListPrices, set by the wiring (the catalog's prices), returns the list
	// price in force (fen per unit) of SKUs in a store; SKUs without one are
	// absent. A franchisee's special price, amount off and bundle are
	// checked against it; without it they are refused.
	ListPrices func(ctx context.Context, tenantID, storeID uuid.UUID, skuIDs []uuid.UUID, at time.Time) (map[uuid.UUID]int64, error)

	inForce *cache.Local[uuid.UUID, *snapshot]
	genMu   sync.Mutex
	gen     map[uuid.UUID]uint64 // bumped by every invalidation: a load that raced one is not kept
}

// New builds the service over the pool, the authorizer, Redis (change
// notices between instances), the clock and org (store facts).
func New(pool *tenant.Pool, az *authz.Authorizer, rc *redisx.Client, clk *clock.Clock, orgs *org.Service) *Service {
	return &Service{pool: pool, authz: az, redis: rc, clk: clk, org: orgs,
		inForce: cache.NewLocal[uuid.UUID, *snapshot](10_000), gen: map[uuid.UUID]uint64{}}
}

// ── what is in force, cached per tenant ──

// inForceTTL bounds how long an instance prices with its copy of a chain's
// promotions when a change notice is lost (Redis down); a notice drops the
// copy at once. Remaining budgets in the copy may be a few sales behind:
// Consume's conditional update is what never overspends, and a refusal
// drops the copy so the repricing sees the real figure.
const (
	inForceTTL    = 10 * time.Second
	changeChannel = "promotions:changed"
	dirtyMark     = "promotions.dirty"
)

// snapshot is a chain's active promotions and franchise settings.
type snapshot struct {
	promos   []cached
	settings Settings
}

type cached struct {
	p      Promotion // RemainingBudget filled
	owner  *uuid.UUID
	forced bool
	optOut []uuid.UUID
	// perMember: the promotion limits how often one member uses it.
	perMember bool
}

func (s *Service) generation(tenantID uuid.UUID) uint64 {
	s.genMu.Lock()
	defer s.genMu.Unlock()
	return s.gen[tenantID]
}

// forget drops this instance's copy of the chain's promotions.
func (s *Service) forget(tenantID uuid.UUID) {
	s.genMu.Lock()
	s.gen[tenantID]++
	s.genMu.Unlock()
	s.inForce.Delete(tenantID)
}

// Invalidate drops the chain's cached promotions here and, through a Redis
// notice, on every instance. With Redis down the other copies live out
// inForceTTL.
func (s *Service) Invalidate(ctx context.Context, tenantID uuid.UUID) {
	s.forget(tenantID)
	if s.redis == nil {
		return
	}
	if err := s.redis.Publish(ctx, changeChannel, tenantID.String()); err != nil && !errors.Is(err, redisx.ErrDown) {
		slog.WarnContext(ctx, "promotions: change notice not sent; other instances catch up within their TTL", "tenant", tenantID, "err", err)
	}
}

// Watch applies other instances' changes until ctx ends.
func (s *Service) Watch(ctx context.Context) {
	s.redis.Subscribe(ctx, changeChannel, func(payload string) {
		if id, err := uuid.Parse(payload); err == nil {
			s.forget(id)
		}
	})
}

// changed marks the transaction as having changed promotions (reads in it
// bypass the cache) and invalidates every copy after commit.
func (s *Service) changed(ctx context.Context, tenantID uuid.UUID) {
	tenant.Mark(ctx, dirtyMark)
	tenant.AfterCommit(ctx, func(ctx context.Context) { s.Invalidate(ctx, tenantID) })
}

func (s *Service) snapshot(ctx context.Context, tenantID uuid.UUID) (*snapshot, error) {
	if tenant.Marked(ctx, dirtyMark) {
		return s.loadSnapshot(ctx, tenantID) // uncommitted changes never reach the cache
	}
	if snap, ok := s.inForce.Get(tenantID); ok {
		return snap, nil
	}
	// Each miss loads in its own transaction. Collapsing concurrent misses
	// onto one loader would make sales that hold a connection wait on a
	// loader that may need another: a small pool could deadlock.
	g := s.generation(tenantID)
	snap, err := s.loadSnapshot(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	if s.generation(tenantID) == g { // no invalidation raced the load
		s.inForce.Set(tenantID, snap, inForceTTL)
	}
	return snap, nil
}

func (s *Service) loadSnapshot(ctx context.Context, tenantID uuid.UUID) (*snapshot, error) {
	snap := &snapshot{}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		var rows []promotionRow
		if err := db.Raw(`SELECT `+promotionColumns+` FROM promotions p
			WHERE p.tenant_id = ? AND p.status = 'active' AND (p.ends_at IS NULL OR p.ends_at > ?) ORDER BY p.id`,
			tenantID, s.clk.Now()).Scan(&rows).Error; err != nil {
			return fmt.Errorf("promotions: in force: %w", err)
		}
		defs, err := definitions(rows)
		if err != nil {
			return err
		}
		for i := range defs {
			d := &defs[i]
			c := cached{p: d.Engine(), owner: d.FranchiseeID, forced: d.Forced, optOut: d.OptedOut, perMember: d.PerMemberLimit != nil}
			if d.Budget != nil {
				left := max(0, *d.Budget-d.Spent)
				c.p.RemainingBudget = &left
			}
			snap.promos = append(snap.promos, c)
		}
		snap.settings, err = readSettings(db, tenantID)
		return err
	})
	return snap, err
}

// inWindow reports whether the window contains local (the store's wall
// clock): its instants, weekdays and hours.
func inWindow(w *Window, local time.Time) bool {
	return (w.Starts.IsZero() || !local.Before(w.Starts)) && (w.Ends.IsZero() || local.Before(w.Ends)) && w.onClock(local)
}

// coversStore reports whether a store scope takes the store.
func coversStore(st Stores, store org.Facts) bool {
	switch st.Scope {
	case StoresList:
		return slices.Contains(st.IDs, store.ID)
	case StoresDirect:
		return store.Type == string(StoreDirect)
	case StoresFranchise:
		return store.Type == string(StoreFranchise)
	}
	return true
}

// InForce returns the promotions that may apply in the store at `at`, as
// the engine takes them, with RemainingBudget filled: active, their window
// containing at (in the store's time zone), their store scope covering the
// store, and the franchise rules (see the package's service doc) applied.
// A warm call reads this instance's copy of the chain's promotions and
// makes no round trip. The promotions share their slices with the copy:
// callers must not modify them (Price does not).
func (s *Service) InForce(ctx context.Context, tenantID uuid.UUID, store org.Facts, at time.Time) ([]Promotion, error) {
	snap, err := s.snapshot(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	loc := store.Location
	if loc == nil {
		loc = time.UTC
	}
	local := at.In(loc)
	out := make([]Promotion, 0, len(snap.promos))
	for i := range snap.promos {
		c := &snap.promos[i]
		if !inWindow(&c.p.Window, local) || !coversStore(c.p.Stores, store) || !franchiseAdmits(c, store, snap.settings) {
			continue
		}
		out = append(out, c.p)
	}
	return out, nil
}

// franchiseAdmits applies the franchise rules to one promotion in one store.
func franchiseAdmits(c *cached, store org.Facts, set Settings) bool {
	if c.owner != nil {
		return set.FranchisePromotions && store.FranchiseeID != nil && *store.FranchiseeID == *c.owner
	}
	if store.Franchise() && !c.forced && set.FranchiseOptOut && slices.Contains(c.optOut, store.ID) {
		return false
	}
	return true
}

// ── who is asking ──

// viewer is who reads or changes promotions: HQ (the permission
// chain-wide) or a user holding it in some stores, with those stores' facts.
type viewer struct {
	p      *tenant.Principal
	hq     bool
	stores []org.Facts
}

func (s *Service) viewerOf(ctx context.Context, p *tenant.Principal, perm authz.Permission) (viewer, error) {
	v := viewer{p: p}
	scope, err := s.authz.ScopeOf(ctx, p, perm)
	if err != nil {
		return v, err
	}
	if scope.All {
		v.hq = true
		return v, nil
	}
	if scope.Empty() {
		return v, problem.ErrForbidden.WithDetail("this needs %s", perm)
	}
	facts, err := s.org.Stores(ctx, p.TenantID, scope.Stores)
	if err != nil {
		return v, err
	}
	for _, id := range scope.Stores {
		v.stores = append(v.stores, facts[id])
	}
	return v, nil
}

// franchisees are the owners of the viewer's franchise stores.
func (v *viewer) franchisees() []uuid.UUID {
	var out []uuid.UUID
	for _, f := range v.stores {
		if f.FranchiseeID != nil && !slices.Contains(out, *f.FranchiseeID) {
			out = append(out, *f.FranchiseeID)
		}
	}
	return out
}

func (v *viewer) storeIDs() []uuid.UUID {
	out := make([]uuid.UUID, len(v.stores))
	for i, f := range v.stores {
		out[i] = f.ID
	}
	return out
}

// visibility is what a store-scoped viewer may see: HQ promotions that
// cover one of their stores, and their franchisees' own.
func (v *viewer) visibility() *condition {
	if v.hq {
		return nil
	}
	var direct, franchise bool
	for _, f := range v.stores {
		direct = direct || !f.Franchise()
		franchise = franchise || f.Franchise()
	}
	return &condition{sql: `((p.franchisee_id IS NULL AND (p.store_scope = 'all' OR (p.store_scope = 'direct' AND ?)
		OR (p.store_scope = 'franchise' AND ?) OR p.store_ids && string_to_array(?, ',')::uuid[])) OR p.franchisee_id IN ?)`,
		args: []any{direct, franchise, joinIDs(v.storeIDs()), append(v.franchisees(), uuid.Nil)}}
}

// sees reports whether the viewer may see d (the Go form of visibility).
func (v *viewer) sees(d *Definition) bool {
	if v.hq {
		return true
	}
	if d.FranchiseeID != nil {
		return slices.Contains(v.franchisees(), *d.FranchiseeID)
	}
	for _, f := range v.stores {
		if coversStore(d.Stores, f) {
			return true
		}
	}
	return false
}

// mayChange reports whether the viewer (holding promotions:write) may
// change d: HQ anything; a franchisee's user their franchisee's own, with
// every listed store in their scope. Otherwise an error: 404 when d is
// invisible to them, 403 when they may only see it.
func (v *viewer) mayChange(d *Definition) error {
	if v.hq {
		return nil
	}
	if !v.sees(d) {
		return ErrNotFound
	}
	if d.FranchiseeID == nil {
		return problem.ErrForbidden.WithDetail("HQ's promotions are changed by HQ")
	}
	for _, id := range d.Stores.IDs {
		if !slices.Contains(v.storeIDs(), id) {
			return problem.ErrForbidden.WithDetail("the promotion runs in stores outside your scope")
		}
	}
	return nil
}

// ── settings ──

// GetSettings returns the chain's franchise settings (the defaults when
// never set: no franchise promotions, no opting out).
func (s *Service) GetSettings(ctx context.Context, tenantID uuid.UUID) (Settings, error) {
	var out Settings
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var err error
		out, err = readSettings(tenant.DB(ctx), tenantID)
		return err
	})
	return out, err
}

// PutSettings replaces the chain's franchise settings. They apply at once
// to what is in force (franchisee promotions stop while disallowed;
// opt-outs count only while allowed); depths are checked when a
// franchisee's promotion is next created, changed or activated.
func (s *Service) PutSettings(ctx context.Context, actor *tenant.Principal, in SettingsInput) (Settings, error) {
	var out Settings
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		if err := db.Exec(`INSERT INTO promotion_settings (tenant_id, id, franchise_promotions, franchise_max_off_bp, franchise_opt_out, updated_by)
			VALUES (?, 1, ?, ?, ?, ?)
			ON CONFLICT (tenant_id, id) DO UPDATE SET franchise_promotions = EXCLUDED.franchise_promotions,
				franchise_max_off_bp = EXCLUDED.franchise_max_off_bp, franchise_opt_out = EXCLUDED.franchise_opt_out,
				updated_by = EXCLUDED.updated_by, updated_at = now()`,
			actor.TenantID, *in.FranchisePromotions, *in.FranchiseMaxOffBP, *in.FranchiseOptOut, nilIfZero(actor.UserID)).Error; err != nil {
			return fmt.Errorf("promotions: put settings: %w", err)
		}
		s.changed(ctx, actor.TenantID)
		var err error
		out, err = readSettings(db, actor.TenantID)
		return err
	})
	return out, err
}

func nilIfZero(id uuid.UUID) *uuid.UUID {
	if id == uuid.Nil {
		return nil
	}
	return &id
}

// ── promotions ──

// List returns the promotions the actor may see (promotions:read; a
// store-scoped reader sees HQ promotions covering their stores and their
// franchisees' own), newest first.
func (s *Service) List(ctx context.Context, actor *tenant.Principal, f Filter, page web.Page) ([]Definition, error) {
	var out []Definition
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		v, err := s.viewerOf(ctx, actor, authz.PromotionsRead)
		if err != nil {
			return err
		}
		var at *storeFilter
		if f.StoreID != nil {
			if !v.hq && !slices.Contains(v.storeIDs(), *f.StoreID) {
				return ErrStoreNotFound
			}
			facts, err := s.org.Store(ctx, actor.TenantID, *f.StoreID)
			if errors.Is(err, org.ErrStoreNotFound) {
				return ErrStoreNotFound
			} else if err != nil {
				return err
			}
			at = &storeFilter{ID: facts.ID, Type: facts.Type, FranchiseeID: facts.FranchiseeID}
		}
		out, err = listPromotions(tenant.DB(ctx), actor.TenantID, f, at, v.visibility(), page)
		return err
	})
	return out, err
}

// Get returns one promotion the actor may see, or ErrNotFound.
func (s *Service) Get(ctx context.Context, actor *tenant.Principal, id uuid.UUID) (Definition, error) {
	var out Definition
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		v, err := s.viewerOf(ctx, actor, authz.PromotionsRead)
		if err != nil {
			return err
		}
		out, err = onePromotion(tenant.DB(ctx), actor.TenantID, id, false)
		if err == nil && !v.sees(&out) {
			err = ErrNotFound
		}
		return err
	})
	return out, err
}

// Create stores a new promotion as a draft. HQ's (promotions:write
// chain-wide) has no owner and may be forced. A franchisee's user's
// (promotions:write in their franchise stores) belongs to their
// franchisee, covers only its stores, and is refused with
// ErrFranchiseNotAllowed (403) unless the settings allow franchise
// promotions, with ErrTooDeep (422) when deeper than they allow.
// Errors: ErrInvalid (422, every field), 403.
func (s *Service) Create(ctx context.Context, actor *tenant.Principal, in PromotionInput) (Definition, error) {
	id := uuid.Must(uuid.NewV7())
	d, f := in.definition(id)
	d.CreatedBy = nilIfZero(actor.UserID)
	var out Definition
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		v, err := s.viewerOf(ctx, actor, authz.PromotionsWrite)
		if err != nil {
			return err
		}
		if v.hq {
			if in.FranchiseeID != nil {
				f.add("franchisee_id", "is only for a franchisee's own promotion; HQ's have none")
			}
			if err := s.checkStoresExist(ctx, actor.TenantID, d.Stores, &f); err != nil {
				return err
			}
		} else {
			owner, err := s.ownerFor(&v, in.FranchiseeID, &f)
			if err != nil {
				return err
			}
			d.FranchiseeID, d.Owner = owner, OwnerFranchisee
		}
		if err := errFields(ErrInvalid, f); err != nil {
			return err
		}
		if !v.hq {
			if err := s.franchiseRules(ctx, &v, &d); err != nil {
				return err
			}
		}
		db := tenant.DB(ctx)
		if err := insertPromotion(db, actor.TenantID, &d); err != nil {
			return err
		}
		s.changed(ctx, actor.TenantID)
		out, err = onePromotion(db, actor.TenantID, id, false)
		return err
	})
	return out, err
}

// Update changes a promotion that has not ended (the PATCH is merged and
// the whole promotion validated again). Errors: ErrNotFound, ErrState
// (ended), ErrInvalid, ErrTooDeep, 403.
func (s *Service) Update(ctx context.Context, actor *tenant.Principal, id uuid.UUID, u PromotionUpdate) (Definition, error) {
	var out Definition
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		v, err := s.viewerOf(ctx, actor, authz.PromotionsWrite)
		if err != nil {
			return err
		}
		db := tenant.DB(ctx)
		cur, err := onePromotion(db, actor.TenantID, id, true)
		if err != nil {
			return err
		}
		if err := v.mayChange(&cur); err != nil {
			return err
		}
		if cur.Status == StatusEnded {
			return ErrState.WithDetail("the promotion has ended")
		}
		d, f := u.apply(cur)
		if d.FranchiseeID != nil && d.Forced {
			f.add("forced", "is only for HQ's promotions")
		}
		if d.FranchiseeID == nil {
			if err := s.checkStoresExist(ctx, actor.TenantID, d.Stores, &f); err != nil {
				return err
			}
		} else if !v.hq {
			s.checkFranchiseStores(&v, *d.FranchiseeID, d.Stores, &f)
		}
		if err := errFields(ErrInvalid, f); err != nil {
			return err
		}
		if !v.hq {
			if err := s.franchiseRules(ctx, &v, &d); err != nil {
				return err
			}
		}
		if err := updatePromotion(db, actor.TenantID, &d); err != nil {
			return err
		}
		s.changed(ctx, actor.TenantID)
		out, err = onePromotion(db, actor.TenantID, id, false)
		return err
	})
	return out, err
}

// Delete removes a draft (anything that ran stays, for its ledger: end it
// instead). Errors: ErrNotFound, ErrState, 403.
func (s *Service) Delete(ctx context.Context, actor *tenant.Principal, id uuid.UUID) error {
	return s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		v, err := s.viewerOf(ctx, actor, authz.PromotionsWrite)
		if err != nil {
			return err
		}
		db := tenant.DB(ctx)
		cur, err := onePromotion(db, actor.TenantID, id, true)
		if err != nil {
			return err
		}
		if err := v.mayChange(&cur); err != nil {
			return err
		}
		if cur.Status != StatusDraft {
			return ErrState.WithDetail("only a draft can be deleted; end the promotion instead")
		}
		if err := db.Exec(`DELETE FROM promotions WHERE tenant_id = ? AND id = ?`, actor.TenantID, id).Error; err != nil {
			return fmt.Errorf("promotions: delete: %w", err)
		}
		s.changed(ctx, actor.TenantID)
		return nil
	})
}

// Status actions.
const (
	ActionActivate = "activate" // draft or paused → active
	ActionPause    = "pause"    // active → paused
	ActionEnd      = "end"      // draft, active or paused → ended (final)
)

// SetStatus moves a promotion through its states; asking for the state it
// is in changes nothing. Activating checks it again (Validate, and for a
// franchisee's user the settings and depth). Errors: ErrNotFound,
// ErrState, ErrFranchiseNotAllowed, ErrTooDeep, 403.
func (s *Service) SetStatus(ctx context.Context, actor *tenant.Principal, id uuid.UUID, action string) (Definition, error) {
	var out Definition
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		v, err := s.viewerOf(ctx, actor, authz.PromotionsWrite)
		if err != nil {
			return err
		}
		db := tenant.DB(ctx)
		cur, err := onePromotion(db, actor.TenantID, id, true)
		if err != nil {
			return err
		}
		if err := v.mayChange(&cur); err != nil {
			return err
		}
		next, ok := map[string]map[string]string{
			ActionActivate: {StatusDraft: StatusActive, StatusPaused: StatusActive, StatusActive: StatusActive},
			ActionPause:    {StatusActive: StatusPaused, StatusPaused: StatusPaused},
			ActionEnd:      {StatusDraft: StatusEnded, StatusActive: StatusEnded, StatusPaused: StatusEnded, StatusEnded: StatusEnded},
		}[action][cur.Status]
		if !ok {
			return ErrState.WithDetail("a %s promotion cannot %s", cur.Status, action)
		}
		if next == cur.Status {
			out = cur
			return nil
		}
		if next == StatusActive {
			if err := errFields(ErrInvalid, cur.check()); err != nil {
				return err
			}
			if !v.hq {
				if err := s.franchiseRules(ctx, &v, &cur); err != nil {
					return err
				}
			}
		}
		if err := db.Exec(`UPDATE promotions SET status = ?, updated_at = now() WHERE tenant_id = ? AND id = ?`, next, actor.TenantID, id).Error; err != nil {
			return fmt.Errorf("promotions: %s: %w", action, err)
		}
		s.changed(ctx, actor.TenantID)
		out, err = onePromotion(db, actor.TenantID, id, false)
		return err
	})
	return out, err
}

// SetOptOut opts a franchise store out of an HQ promotion that is not
// forced (out true), or back in. The caller holds promotions:write in the
// store (the HTTP layer checks). Errors: ErrNotFound, ErrStoreNotFound,
// ErrNotOptable (409: a direct store or a franchisee's promotion),
// ErrForced (409), ErrOptOutNotAllowed (403: the settings do not allow
// opting out; opting back in is always allowed).
func (s *Service) SetOptOut(ctx context.Context, actor *tenant.Principal, id, storeID uuid.UUID, out bool) (Definition, error) {
	var res Definition
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		v, err := s.viewerOf(ctx, actor, authz.PromotionsRead)
		if err != nil {
			return err
		}
		db := tenant.DB(ctx)
		d, err := onePromotion(db, actor.TenantID, id, true)
		if err != nil {
			return err
		}
		if !v.sees(&d) {
			return ErrNotFound
		}
		store, err := s.org.Store(ctx, actor.TenantID, storeID)
		if errors.Is(err, org.ErrStoreNotFound) {
			return ErrStoreNotFound
		} else if err != nil {
			return err
		}
		if !store.Franchise() || d.FranchiseeID != nil {
			return ErrNotOptable
		}
		if out {
			if d.Forced {
				return ErrForced
			}
			set, err := readSettings(db, actor.TenantID)
			if err != nil {
				return err
			}
			if !set.FranchiseOptOut {
				return ErrOptOutNotAllowed
			}
			err = db.Exec(`INSERT INTO promotion_opt_outs (tenant_id, promotion_id, store_id, created_by) VALUES (?, ?, ?, ?)
				ON CONFLICT DO NOTHING`, actor.TenantID, id, storeID, nilIfZero(actor.UserID)).Error
			if err != nil {
				return fmt.Errorf("promotions: opt out: %w", err)
			}
		} else if err := db.Exec(`DELETE FROM promotion_opt_outs WHERE tenant_id = ? AND promotion_id = ? AND store_id = ?`,
			actor.TenantID, id, storeID).Error; err != nil {
			return fmt.Errorf("promotions: opt in: %w", err)
		}
		s.changed(ctx, actor.TenantID)
		res, err = onePromotion(db, actor.TenantID, id, false)
		return err
	})
	return res, err
}

// checkStoresExist reports list-scope stores that are not the chain's.
func (s *Service) checkStoresExist(ctx context.Context, tenantID uuid.UUID, st Stores, f *fields) error {
	if st.Scope != StoresList || len(st.IDs) == 0 || len(st.IDs) > maxListIDs {
		return nil
	}
	_, err := s.org.Stores(ctx, tenantID, st.IDs)
	if errors.Is(err, org.ErrStoreNotFound) {
		f.add("stores.ids", "names a store that is not one of this chain's")
		return nil
	}
	return err
}

// Effect is what a promotion did between two business dates (inclusive;
// nil: open), net of voids and returns, from the usage ledger.
func (s *Service) Effect(ctx context.Context, actor *tenant.Principal, id uuid.UUID, from, to *time.Time) (Effect, error) {
	var out Effect
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		v, err := s.viewerOf(ctx, actor, authz.PromotionsRead)
		if err != nil {
			return err
		}
		db := tenant.DB(ctx)
		d, err := onePromotion(db, actor.TenantID, id, false)
		if err != nil {
			return err
		}
		if !v.sees(&d) {
			return ErrNotFound
		}
		lo, hi := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
		if from != nil {
			lo = *from
		}
		if to != nil {
			hi = *to
		}
		out = Effect{PromotionID: id, Budget: d.Budget, Spent: d.Spent, Days: []EffectDay{}}
		// A sale counts on its day while it stands (not voided); discount
		// and units are net: a reversal's rows count, negative, on its day.
		const saleRow = `u.doc_type = u.sale_type AND u.doc_id = u.sale_id AND s.voided_at IS NULL`
		src := `FROM promotion_usage u JOIN promotion_sales s ON s.tenant_id = u.tenant_id AND s.sale_type = u.sale_type AND s.sale_id = u.sale_id
			WHERE u.tenant_id = ? AND u.promotion_id = ? AND u.business_date BETWEEN ? AND ?`
		if err := db.Raw(`SELECT to_char(u.business_date, 'YYYY-MM-DD') AS date, count(*) FILTER (WHERE `+saleRow+`) AS sales,
				coalesce(sum(u.discount), 0) AS discount, coalesce(sum(u.units), 0) AS units `+src+` GROUP BY u.business_date ORDER BY u.business_date`,
			actor.TenantID, id, lo, hi).Scan(&out.Days).Error; err != nil {
			return fmt.Errorf("promotions: effect by day: %w", err)
		}
		var tot struct {
			Sales, Members, Over int
			Discount, Units      int64
		}
		if err := db.Raw(`SELECT count(*) FILTER (WHERE `+saleRow+`) AS sales, count(DISTINCT u.member_id) FILTER (WHERE `+saleRow+`) AS members,
				count(*) FILTER (WHERE u.over IS NOT NULL) AS over, coalesce(sum(u.discount), 0) AS discount, coalesce(sum(u.units), 0) AS units `+src,
			actor.TenantID, id, lo, hi).Scan(&tot).Error; err != nil {
			return fmt.Errorf("promotions: effect: %w", err)
		}
		out.Sales, out.Members, out.Over, out.Discount, out.Units = tot.Sales, tot.Members, tot.Over, tot.Discount, tot.Units
		return nil
	})
	return out, err
}

// Tidy is the housekeeping task: coupons past their validity become
// expired, and promotions past their end become ended. It returns how many
// rows it changed; running it again changes nothing.
func (s *Service) Tidy(ctx context.Context, tenantID uuid.UUID, now time.Time) (int, error) {
	var n int
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		res := db.Exec(`UPDATE coupons SET status = 'expired' WHERE tenant_id = ? AND status = 'issued' AND valid_until <= ?`, tenantID, now)
		if res.Error != nil {
			return fmt.Errorf("promotions: expire coupons: %w", res.Error)
		}
		n += int(res.RowsAffected)
		res = db.Exec(`UPDATE promotions SET status = 'ended', updated_at = now()
			WHERE tenant_id = ? AND status IN ('active', 'paused') AND ends_at <= ?`, tenantID, now)
		if res.Error != nil {
			return fmt.Errorf("promotions: end finished promotions: %w", res.Error)
		}
		if res.RowsAffected > 0 {
			s.changed(ctx, tenantID)
		}
		n += int(res.RowsAffected)
		return nil
	})
	return n, err
}
