// Package inventory keeps stock per store and SKU as immutable movements,
// with stocktakes, transfers, alerts, replenishment and stock analysis.
//
// The invariants it keeps, per (store, SKU): on_hand is the sum of the
// movements' qty and stock_value the sum of their cost_amount; in_transit
// is the quantity shipped to the store by transfers not yet received; an
// empty shelf has no value.
//
// Methods take ctx, then the tenant id, or the acting *tenant.Principal
// when they audit or record who acted; a store the call needs is a
// uuid.UUID, an optional store filter a *uuid.UUID. Every movement names
// its document as a doc.Source, and every posting's business date is
// org's (the store's day of the movement). The files follow the nouns:
// stock.go (levels, movements, Apply), stocktake.go, transfer.go,
// settings.go, report.go (alerts, replenishment, analysis); each holds its
// queries, and http.go holds none.
package inventory

import (
	"context"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/clock"
	"chainstore/modules/finance"
	"chainstore/tenant"
	"chainstore/tenant/authz"
	"chainstore/tenant/org"
	"chainstore/tenant/users"
)

// Limits of one movement document.
const (
	MaxLines    = 1000
	MaxQty      = 1_000_000_000_000 // a billion units, in thousandths
	MaxUnitCost = 10_000_000_000    // 100 million yuan per unit, in fen
	// MaxValue bounds the value one line moves and one level holds (a
	// trillion yuan, in fen; the ledger's bound for one event), so sums of
	// values never overflow int64.
	MaxValue = 100_000_000_000_000
	// MaxOnHand bounds the quantity one level holds (a trillion units).
	MaxOnHand = 1_000_000_000_000_000
)

// OnOrderFunc reports, for a store, the quantity per SKU ordered and not
// yet received from outside the chain (purchase orders). The purchasing
// module registers one with RegisterOnOrder; replenishment subtracts it.
type OnOrderFunc func(ctx context.Context, tenantID, storeID uuid.UUID) (map[uuid.UUID]int64, error)

// Service is the inventory module's business logic.
type Service struct {
	pool    *tenant.Pool
	authz   *authz.Authorizer
	clock   *clock.Clock
	org     *org.Service
	users   *users.Service
	fin     *finance.Service
	onOrder []OnOrderFunc
}

// New builds the service. clk is the one clock (movement times, business
// dates, report windows); orgs answers for stores (existence, franchisee,
// business date); people names who opened, posted and moved documents;
// fin (required) posts the ledger entries of the documents
// inventory owns — console receipts, returns, adjustments and write-offs,
// stocktakes, transfers — in the same transaction as their movements.
func New(pool *tenant.Pool, az *authz.Authorizer, clk *clock.Clock, orgs *org.Service, people *users.Service, fin *finance.Service) *Service {
	return &Service{pool: pool, authz: az, clock: clk, org: orgs, users: people, fin: fin}
}

// RegisterOnOrder adds a source of on-order quantities (the hook for
// purchase orders). Call it while wiring, before serving.
func (s *Service) RegisterOnOrder(f OnOrderFunc) { s.onOrder = append(s.onOrder, f) }

// CheckStore returns org.ErrStoreNotFound unless the store is the chain's.
func (s *Service) CheckStore(ctx context.Context, tenantID, storeID uuid.UUID) error {
	_, err := s.org.Store(ctx, tenantID, storeID)
	return err
}

// businessDate is the store's day at t: the day a posting of a movement
// made at t belongs to (org's rule, so stock and journal agree).
func (s *Service) businessDate(ctx context.Context, tenantID, storeID uuid.UUID, t time.Time) (time.Time, error) {
	return s.org.BusinessDate(ctx, tenantID, &storeID, t)
}

// ── arithmetic ──

// within reports -bound <= x <= bound (unlike abs, safe for MinInt64).
func within(x, bound int64) bool { return x >= -bound && x <= bound }

// storableDate: PostgreSQL's date type has no year 0 (Go parses
// "0000-01-01"); dates are kept to years 1-9999.
func storableDate(d time.Time) bool { return d.Year() >= 1 && d.Year() <= 9999 }

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}
