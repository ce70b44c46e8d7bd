package finance

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"chainstore/tenant"
	"chainstore/tenant/authz"
	"chainstore/tenant/org"
)

// The books: one entity per owner of stores. Org says who owns a store (a
// franchise store's franchisee; HQ for a direct-owned one); finance keeps
// the entity of each owner (fin_entities) and posts a store's lines there.

// owners maps the owners of stores to their entities: HQ's, and each
// franchisee's by franchisee id.
type owners struct {
	hq         uuid.UUID
	franchisee map[uuid.UUID]uuid.UUID
}

// of returns the entity of an owner (nil: HQ).
func (o owners) of(franchisee *uuid.UUID) (uuid.UUID, bool) {
	if franchisee == nil {
		return o.hq, o.hq != uuid.Nil
	}
	e, ok := o.franchisee[*franchisee]
	return e, ok
}

// ofStore returns the entity whose books a store's postings go to: its
// franchisee's for a franchise store, HQ's for a direct-owned one.
func (o owners) ofStore(f org.Facts) (uuid.UUID, bool) {
	if f.Franchise() {
		if f.FranchiseeID == nil {
			return uuid.Nil, false
		}
		return o.of(f.FranchiseeID)
	}
	return o.of(nil)
}

func (o owners) hasAll(franchisees []*uuid.UUID) bool {
	for _, f := range franchisees {
		if _, ok := o.of(f); !ok {
			return false
		}
	}
	return true
}

// ownersOf returns the tenant's entities, sure to hold those of the given
// owners (nil: HQ) when they exist: a franchisee without books gets them
// (EnsureEntities); an unknown one stays missing. Entities are cached per
// instance (they never change, and a miss reads them again), so a posting
// usually reads none.
func (s *Service) ownersOf(ctx context.Context, tenantID uuid.UUID, franchisees ...*uuid.UUID) (owners, error) {
	if o, ok := s.books.Load(tenantID); ok && o.(owners).hasAll(franchisees) {
		return o.(owners), nil
	}
	var o owners
	for attempt := 0; attempt < 2; attempt++ {
		var err error
		if o, err = loadOwners(ctx, tenantID); err != nil {
			return owners{}, err
		}
		if o.hasAll(franchisees) {
			break
		}
		if attempt == 0 {
			if err := s.EnsureEntities(ctx, tenantID); err != nil {
				return owners{}, err
			}
		}
	}
	if o.hq == uuid.Nil {
		return owners{}, fmt.Errorf("finance: HQ entity missing after EnsureEntities")
	}
	tenant.AfterCommit(ctx, func(context.Context) { s.books.Store(tenantID, o) })
	return o, nil
}

func loadOwners(ctx context.Context, tenantID uuid.UUID) (owners, error) {
	var rows []struct {
		ID           uuid.UUID
		FranchiseeID *uuid.UUID
	}
	if err := tenant.DB(ctx).Raw(`SELECT id, franchisee_id FROM fin_entities WHERE tenant_id = ?`, tenantID).Scan(&rows).Error; err != nil {
		return owners{}, fmt.Errorf("finance: entities: %w", err)
	}
	o := owners{franchisee: make(map[uuid.UUID]uuid.UUID, len(rows))}
	for _, r := range rows {
		if r.FranchiseeID == nil {
			o.hq = r.ID
		} else {
			o.franchisee[*r.FranchiseeID] = r.ID
		}
	}
	return o, nil
}

// EnsureEntities creates the missing books: HQ's and one per franchisee,
// and the chart of accounts. Safe to call any time; it changes nothing
// when everything exists.
func (s *Service) EnsureEntities(ctx context.Context, tenantID uuid.UUID) error {
	return s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		// Reads call this on every request: a read answers when nothing is
		// missing, and only a missing book or chart costs writes.
		var complete bool
		if err := db.Raw(`SELECT EXISTS (SELECT 1 FROM fin_entities WHERE tenant_id = ? AND kind = 'hq')
			AND NOT EXISTS (SELECT 1 FROM franchisees f WHERE f.tenant_id = ?
				AND NOT EXISTS (SELECT 1 FROM fin_entities e WHERE e.tenant_id = f.tenant_id AND e.franchisee_id = f.id))
			AND EXISTS (SELECT 1 FROM fin_accounts WHERE tenant_id = ?)`, tenantID, tenantID, tenantID).Scan(&complete).Error; err != nil {
			return fmt.Errorf("finance: check books: %w", err)
		}
		if complete {
			return nil
		}
		if err := db.Exec(`INSERT INTO fin_entities (tenant_id, id, kind, name)
			SELECT id, ?, 'hq', left(name || ' 总部', 200) FROM tenants WHERE id = ?
			ON CONFLICT ON CONSTRAINT fin_entities_franchisee_key DO NOTHING`, uuid.Must(uuid.NewV7()), tenantID).Error; err != nil {
			return fmt.Errorf("finance: ensure HQ entity: %w", err)
		}
		var missing []struct {
			ID   uuid.UUID
			Name string
		}
		if err := db.Raw(`SELECT f.id, coalesce(nullif(f.legal_name, ''), f.name) AS name FROM franchisees f
			WHERE f.tenant_id = ? AND NOT EXISTS (SELECT 1 FROM fin_entities e WHERE e.tenant_id = f.tenant_id AND e.franchisee_id = f.id)`,
			tenantID).Scan(&missing).Error; err != nil {
			return fmt.Errorf("finance: find franchisees: %w", err)
		}
		for _, f := range missing {
			if err := db.Exec(`INSERT INTO fin_entities (tenant_id, id, kind, franchisee_id, name) VALUES (?, ?, 'franchisee', ?, ?)
				ON CONFLICT ON CONSTRAINT fin_entities_franchisee_key DO NOTHING`, tenantID, uuid.Must(uuid.NewV7()), f.ID, f.Name).Error; err != nil {
				return fmt.Errorf("finance: ensure franchisee entity: %w", err)
			}
		}
		_, err := s.accounts(ctx, tenantID)
		return err
	})
}

// HQEntity returns the id of HQ's books, creating the books if needed.
func (s *Service) HQEntity(ctx context.Context, tenantID uuid.UUID) (uuid.UUID, error) {
	var id uuid.UUID
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		o, err := s.ownersOf(ctx, tenantID, nil)
		id = o.hq
		return err
	})
	return id, err
}

// EntityOfStore returns the books a store's postings go to: HQ's for a
// direct-owned store, its franchisee's for a franchise store. Errors:
// org.ErrStoreNotFound (also for another tenant's store).
func (s *Service) EntityOfStore(ctx context.Context, tenantID, storeID uuid.UUID) (uuid.UUID, error) {
	var id uuid.UUID
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		f, err := s.org.Store(ctx, tenantID, storeID)
		if err != nil {
			return err
		}
		o, err := s.ownersOf(ctx, tenantID, f.FranchiseeID)
		if err != nil {
			return err
		}
		var ok bool
		if id, ok = o.ofStore(f); !ok {
			return org.ErrStoreNotFound
		}
		return nil
	})
	return id, err
}

// storeFacts returns the facts of the stores that are the chain's,
// leaving out ids that are not (the rules answer those with a field
// error, as a manual entry does).
func (s *Service) storeFacts(ctx context.Context, tenantID uuid.UUID, stores []uuid.UUID) (map[uuid.UUID]org.Facts, error) {
	facts, err := s.org.Stores(ctx, tenantID, stores)
	if !errors.Is(err, org.ErrStoreNotFound) {
		return facts, err
	}
	// Rare: find the known ones one by one (each is remembered).
	facts = map[uuid.UUID]org.Facts{}
	for _, id := range stores {
		f, err := s.org.Store(ctx, tenantID, id)
		if errors.Is(err, org.ErrStoreNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		facts[id] = f
	}
	return facts, nil
}

// storeEntities maps the chain's stores among stores to the entities
// whose books they post to (storeFacts leaves the others out).
func (s *Service) storeEntities(ctx context.Context, tenantID uuid.UUID, stores []uuid.UUID) (owners, map[uuid.UUID]uuid.UUID, error) {
	facts, err := s.storeFacts(ctx, tenantID, stores)
	if err != nil {
		return owners{}, nil, err
	}
	need := []*uuid.UUID{nil}
	for _, f := range facts {
		if f.Franchise() && f.FranchiseeID != nil {
			need = append(need, f.FranchiseeID)
		}
	}
	o, err := s.ownersOf(ctx, tenantID, need...)
	if err != nil {
		return owners{}, nil, err
	}
	out := make(map[uuid.UUID]uuid.UUID, len(facts))
	for id, f := range facts {
		if e, ok := o.ofStore(f); ok {
			out[id] = e
		}
	}
	return o, out, nil
}

// booksOf resolves the entities of stores and the clearing ratios (read
// when a rule first needs them; their error is returned through the
// pointer).
func (s *Service) booksOf(ctx context.Context, tenantID uuid.UUID, stores []uuid.UUID) (books, *error, error) {
	o, m, err := s.storeEntities(ctx, tenantID, stores)
	if err != nil {
		return books{}, nil, err
	}
	var loadErr error
	var rules map[uuid.UUID]ClearingRule // entity → rule; uuid.Nil → default
	hq := o.hq
	b := books{hq: hq, stores: m}
	b.clearing = func(a, c uuid.UUID) ClearingRule {
		if rules == nil && loadErr == nil {
			rules, loadErr = s.clearingByEntity(ctx, tenantID)
		}
		for _, e := range []uuid.UUID{c, a} { // the franchisee's own rule, the spender's first
			if r, ok := rules[e]; ok && e != hq {
				return r
			}
		}
		return rules[uuid.Nil]
	}
	return b, &loadErr, nil
}

// franchiseeEntity returns a franchisee's books. Errors:
// org.ErrFranchiseeNotFound.
func (s *Service) franchiseeEntity(ctx context.Context, tenantID, franchiseeID uuid.UUID) (uuid.UUID, error) {
	o, err := s.ownersOf(ctx, tenantID, &franchiseeID)
	if err != nil {
		return uuid.Nil, err
	}
	e, ok := o.of(&franchiseeID)
	if !ok {
		return uuid.Nil, org.ErrFranchiseeNotFound
	}
	return e, nil
}

// EntityScope is the books a caller may read: all of them, or the listed.
type EntityScope struct {
	All bool
	IDs []uuid.UUID
}

// Contains reports whether the scope covers an entity.
func (e EntityScope) Contains(id uuid.UUID) bool {
	return e.All || slices.Contains(e.IDs, id)
}

// ReadableEntities derives entity access from store scope: finance:read
// for the whole chain reads every entity (HQ finance, HQ admin); otherwise a
// franchisee's books are readable by whoever holds finance:read in every
// one of that franchisee's stores (the franchisee's own users). HQ's books
// need the chain-wide permission. A store manager reads their store's
// figures through store_id, not the entity.
func (s *Service) ReadableEntities(ctx context.Context, p *tenant.Principal) (EntityScope, error) {
	var out EntityScope
	err := s.pool.WithTx(ctx, p.TenantID, func(ctx context.Context) error {
		if err := s.EnsureEntities(ctx, p.TenantID); err != nil {
			return err
		}
		sc, err := s.authz.ScopeOf(ctx, p, authz.FinanceRead)
		if err != nil {
			return err
		}
		if sc.All {
			out.All = true
			return nil
		}
		if len(sc.Stores) == 0 {
			return nil
		}
		// The franchisees with a store in scope, then all their stores: a
		// franchisee's books are readable when none of its stores is out
		// of scope.
		facts, err := s.storeFacts(ctx, p.TenantID, sc.Stores)
		if err != nil {
			return err
		}
		var frs []*uuid.UUID
		covered := map[uuid.UUID]bool{}
		for _, f := range facts {
			if f.Franchise() && f.FranchiseeID != nil && !covered[*f.FranchiseeID] {
				frs = append(frs, f.FranchiseeID)
				covered[*f.FranchiseeID] = true
			}
		}
		ids := make([]uuid.UUID, len(frs))
		for i, fr := range frs {
			ids[i] = *fr
		}
		all, err := s.org.FranchiseStores(ctx, p.TenantID, ids)
		if err != nil {
			return err
		}
		for _, f := range all {
			if !sc.Contains(f.ID) {
				covered[*f.FranchiseeID] = false
			}
		}
		o, err := s.ownersOf(ctx, p.TenantID, frs...)
		if err != nil {
			return err
		}
		for _, fr := range frs {
			if e, ok := o.of(fr); ok && covered[*fr] {
				out.IDs = append(out.IDs, e)
			}
		}
		slices.SortFunc(out.IDs, func(a, b uuid.UUID) int { return strings.Compare(a.String(), b.String()) })
		return nil
	})
	return out, err
}
