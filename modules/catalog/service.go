// Package catalog holds what a chain sells: categories, brands, units, products,
// SKUs, barcodes and versioned prices, with the look-ups and the delta feed
// the POS uses.
//
// Each file serves one noun and holds its queries: categories.go, brands.go,
// units.go, products.go (products, their SKUs and barcodes), prices.go,
// pos.go (the till's look-up and delta feed) and imports.go (the product
// file, in and out); barcode.go parses codes; http.go never touches the
// database.
//
// Method shapes: reads take the tenant id after ctx; writes take the acting
// principal, because they audit or check rights. A required store is a
// uuid.UUID, an optional one (HQ's prices when nil) a *uuid.UUID, and an
// unknown store is org.ErrStoreNotFound. Every method joins the tenant
// transaction its ctx carries, so the POS, inventory and the rest call
// GetSKUs, PriceAt and Lookup inside their own.
package catalog

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"chainstore/infra/clock"
	"chainstore/tenant"
	"chainstore/tenant/authz"
	"chainstore/tenant/org"
)

// Service is the catalog module's business logic.
type Service struct {
	pool  *tenant.Pool
	authz *authz.Authorizer
	clock *clock.Clock
	org   *org.Service
	sales *saleCache
}

// New builds the service. The clock sets every business time the catalog
// stamps or prices at (effective times, "now" at the till); org answers
// whether a store exists.
func New(pool *tenant.Pool, az *authz.Authorizer, clk *clock.Clock, orgs *org.Service) *Service {
	return &Service{pool: pool, authz: az, clock: clk, org: orgs, sales: newSaleCache()}
}

// lockFeed serialises a tenant's catalog writers until commit, so change_seq
// values (drawn after the lock) commit in order and the delta feed never
// skips a row that commits late. Every write that touches skus or prices
// takes it first, so it is also where the sale cache learns of the change.
func (s *Service) lockFeed(ctx context.Context, tenantID uuid.UUID) error {
	s.changed(ctx, tenantID)
	return tenant.DB(ctx).Exec(`SELECT pg_advisory_xact_lock(hashtextextended('catalog-feed:' || ?::text, 0))`, tenantID.String()).Error
}

// bump stamps SKUs with the next change_seq so the feed re-sends them.
func bump(ctx context.Context, tenantID uuid.UUID, where string, args ...any) error {
	q := `UPDATE skus SET change_seq = nextval('catalog_change_seq'), updated_at = now() WHERE tenant_id = ? AND ` + where
	if err := tenant.DB(ctx).Exec(q, append([]any{tenantID}, args...)...).Error; err != nil {
		return fmt.Errorf("catalog: bump change_seq: %w", err)
	}
	return nil
}

// readTx runs fn in the tenant's transaction (joining the one ctx carries)
// and returns what it read.
func readTx[T any](ctx context.Context, s *Service, tenantID uuid.UUID, fn func(db *gorm.DB) (T, error)) (T, error) {
	var out T
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var err error
		out, err = fn(tenant.DB(ctx))
		return err
	})
	return out, err
}

// storeExists answers org.ErrStoreNotFound for a store the chain does not
// have (a chain-wide role may name any id). org reads a store's facts once
// per transaction, so a caller that already asked (the POS's sale) pays
// nothing.
func (s *Service) storeExists(ctx context.Context, tenantID, storeID uuid.UUID) error {
	_, err := s.org.Store(ctx, tenantID, storeID)
	return err
}

func nilIfZero(id uuid.UUID) *uuid.UUID {
	if id == uuid.Nil {
		return nil
	}
	return &id
}

// put sets column col to *v in a PATCH's change set when v is given.
func put[T any](set map[string]any, col string, v *T) {
	if v != nil {
		set[col] = *v
	}
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
