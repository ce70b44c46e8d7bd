package org

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"chainstore/tenant"
	"chainstore/tenant/authz"
)

// Facts are what other modules need to know about a store to do its work:
// that it exists, whether it is direct-owned or a franchise, who owns it
// (its franchisee; nil is HQ, whose legal entity finance keeps), whether it
// is open, and its time zone. Modules ask org for them instead of reading
// the stores table.
type Facts struct {
	ID           uuid.UUID
	Code         string
	Name         string
	Type         string // direct | franchise
	FranchiseeID *uuid.UUID
	Status       string // active | closed
	Location     *time.Location
}

// BusinessDate is the store's calendar day at t, in its own time zone, as
// midnight UTC of that date (how dates are stored and compared). A sale at
// 23:59:59 store time belongs to that day, whatever the server's zone.
func (f Facts) BusinessDate(t time.Time) time.Time { return dayIn(t, f.Location) }

// Franchise reports whether the store is a franchise store.
func (f Facts) Franchise() bool { return f.Type == "franchise" }

func dayIn(t time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

type factsKey struct{ tenantID, storeID uuid.UUID }

type zoneKey struct{ tenantID uuid.UUID }
type currencyKey struct{ tenantID uuid.UUID }

// Store returns a store's facts, or ErrStoreNotFound (also for another
// tenant's store). Inside a transaction each store is read once, however
// many modules ask.
func (s *Service) Store(ctx context.Context, tenantID, storeID uuid.UUID) (Facts, error) {
	m, err := s.Stores(ctx, tenantID, []uuid.UUID{storeID})
	if err != nil {
		return Facts{}, err
	}
	return m[storeID], nil
}

// Stores returns the facts of several stores in one query (those neither
// the transaction nor this instance's cache has), or ErrStoreNotFound when
// any is unknown.
func (s *Service) Stores(ctx context.Context, tenantID uuid.UUID, ids []uuid.UUID) (map[uuid.UUID]Facts, error) {
	out := make(map[uuid.UUID]Facts, len(ids))
	var missing []uuid.UUID
	for _, id := range ids {
		k := factsKey{tenantID, id}
		if f, ok := tenant.Recall[Facts](ctx, k); ok {
			out[id] = f
		} else if f, ok := s.facts.get(ctx, k); ok {
			out[id] = f
		} else if !slices.Contains(missing, id) {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	gen := s.facts.generation(tenantID)
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		rows, err := readFacts(ctx, tenantID, `SELECT `+factsColumns+` FROM stores WHERE tenant_id = ? AND id IN ?`, tenantID, missing)
		if err != nil {
			return err
		}
		if len(rows) != len(missing) {
			return ErrStoreNotFound
		}
		for _, f := range rows {
			out[f.ID] = f
		}
		s.facts.put(ctx, gen, rows, tenantID)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// StoresIn returns the facts of every store in scope (every store of the
// chain for scope.All, open or closed), ordered by code, in one query, for
// reports with a row per store. Stores of the scope that are not the
// chain's are left out.
func (s *Service) StoresIn(ctx context.Context, tenantID uuid.UUID, scope authz.StoreScope) ([]Facts, error) {
	var out []Facts
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var err error
		if scope.All {
			out, err = readFacts(ctx, tenantID, `SELECT `+factsColumns+` FROM stores WHERE tenant_id = ? ORDER BY code`, tenantID)
		} else {
			out, err = readFacts(ctx, tenantID, `SELECT `+factsColumns+` FROM stores WHERE tenant_id = ? AND id IN ? ORDER BY code`,
				tenantID, append(scope.Stores, uuid.Nil))
		}
		return err
	})
	return out, err
}

const factsColumns = `id, code, name, type, franchisee_id, status, time_zone`

// readFacts runs a query of the tenant's stores that selects factsColumns,
// and remembers each store's facts for the transaction.
func readFacts(ctx context.Context, tenantID uuid.UUID, q string, args ...any) ([]Facts, error) {
	var rows []struct {
		ID           uuid.UUID
		Code, Name   string
		Type         string
		FranchiseeID *uuid.UUID
		Status       string
		TimeZone     string
	}
	if err := tenant.DB(ctx).Raw(q, args...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("org: store facts: %w", err)
	}
	out := make([]Facts, 0, len(rows))
	for _, r := range rows {
		loc, err := time.LoadLocation(r.TimeZone)
		if err != nil {
			return nil, fmt.Errorf("org: store %s has time zone %q: %w", r.Code, r.TimeZone, err)
		}
		f := Facts{ID: r.ID, Code: r.Code, Name: r.Name, Type: r.Type, FranchiseeID: r.FranchiseeID, Status: r.Status, Location: loc}
		tenant.Remember(ctx, factsKey{tenantID, f.ID}, f)
		out = append(out, f)
	}
	return out, nil
}

// ChainLocation is the chain's own time zone (tenants.time_zone): the day
// of work done at HQ rather than in a store (an online top-up).
func (s *Service) ChainLocation(ctx context.Context, tenantID uuid.UUID) (*time.Location, error) {
	var loc *time.Location
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var err error
		loc, err = tenant.Memo(ctx, zoneKey{tenantID}, func() (*time.Location, error) {
			var tz string
			if err := tenant.DB(ctx).Raw(`SELECT time_zone FROM tenants WHERE id = ?`, tenantID).Scan(&tz).Error; err != nil {
				return nil, fmt.Errorf("org: chain time zone: %w", err)
			}
			l, err := time.LoadLocation(tz)
			if err != nil {
				return nil, fmt.Errorf("org: chain time zone %q: %w", tz, err)
			}
			return l, nil
		})
		return err
	})
	return loc, err
}

// ChainCurrency is the ISO code every amount of the chain is in
// (tenants.currency, fixed at signup).
func (s *Service) ChainCurrency(ctx context.Context, tenantID uuid.UUID) (string, error) {
	var code string
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var err error
		code, err = tenant.Memo(ctx, currencyKey{tenantID}, func() (string, error) {
			var c string
			if err := tenant.DB(ctx).Raw(`SELECT currency FROM tenants WHERE id = ?`, tenantID).Scan(&c).Error; err != nil {
				return "", fmt.Errorf("org: chain currency: %w", err)
			}
			return c, nil
		})
		return err
	})
	return code, err
}

// BusinessDate is the day at t of the store, or of the chain when storeID
// is nil (work done at HQ). It is the one way every module works out the
// day a sale, a movement, a ledger entry or a journal entry belongs to, so
// around midnight they all land on the same day. Errors: ErrStoreNotFound.
func (s *Service) BusinessDate(ctx context.Context, tenantID uuid.UUID, storeID *uuid.UUID, t time.Time) (time.Time, error) {
	if storeID == nil {
		loc, err := s.ChainLocation(ctx, tenantID)
		if err != nil {
			return time.Time{}, err
		}
		return dayIn(t, loc), nil
	}
	f, err := s.Store(ctx, tenantID, *storeID)
	if err != nil {
		return time.Time{}, err
	}
	return f.BusinessDate(t), nil
}

// FranchiseStores returns the facts of the franchise stores of the given
// franchisees (open or closed), ordered by code, in one query; an unknown
// franchisee has none. The facts answer Store later in the transaction.
// Finance asks it for the stores whose books are a franchisee's.
func (s *Service) FranchiseStores(ctx context.Context, tenantID uuid.UUID, franchiseeIDs []uuid.UUID) ([]Facts, error) {
	out := []Facts{}
	if len(franchiseeIDs) == 0 {
		return out, nil
	}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var err error
		out, err = readFacts(ctx, tenantID, `SELECT `+factsColumns+` FROM stores
			WHERE tenant_id = ? AND type = 'franchise' AND franchisee_id IN ? ORDER BY code`, tenantID, franchiseeIDs)
		return err
	})
	return out, err
}

// forgetStore drops a store's remembered facts after it changed in this
// transaction.
func forgetStore(ctx context.Context, tenantID, storeID uuid.UUID) {
	tenant.Forget(ctx, factsKey{tenantID, storeID})
}

// RequireStore authorises perm in a store and checks the store is the
// chain's: a chain-wide role grants its permissions in any store id, so
// authz alone would let HQ of one chain reach a route of another chain's
// store with an empty answer instead of notFound. The facts come from
// memory once read, so the check is free on a warm instance.
func (s *Service) RequireStore(ctx context.Context, storeID uuid.UUID, perm authz.Permission, notFound error) (*tenant.Principal, error) {
	p, err := s.authz.RequireStore(ctx, storeID, perm, notFound)
	if err != nil {
		return nil, err
	}
	if _, err := s.Store(ctx, p.TenantID, storeID); err != nil {
		if errors.Is(err, ErrStoreNotFound) {
			return nil, notFound
		}
		return nil, err
	}
	return p, nil
}
