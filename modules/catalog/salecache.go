package catalog

import (
	"context"
	"sync"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/cache"
	"chainstore/infra/redisx"
	"chainstore/tenant"
)

// saleCache keeps each instance's copy of the SKUs a store's carts priced
// a moment ago, so a cart of known SKUs (named by id) is priced without a
// round trip. An entry holds the item as priced at some time and is good
// from then until its next scheduled price change (its Scheduled list);
// nothing else moves a price in force. Any catalog write that touches
// SKUs, products, barcodes or prices (lockFeed) or moves a category drops
// the chain's entries here at once and, after its commit, again and on
// every instance through a Redis notice; saleTTL bounds a missed notice. A
// load that raced a change is not kept (the chain's generation moved), and
// a transaction that changed the catalog reads PostgreSQL.
type saleCache struct {
	local *cache.Local[saleKey, saleEntry]
	redis *redisx.Client
	mu    sync.Mutex
	gen   map[uuid.UUID]uint64
}

type saleKey struct{ tenantID, storeID, skuID uuid.UUID }

type saleEntry struct {
	item        SaleItem
	gen         uint64
	from, until time.Time // the times the item is priced right for
}

const (
	saleTTL      = 30 * time.Second
	saleChannel  = "catalog:changed"
	catalogDirty = "catalog:dirty"
	maxSaleCache = 200_000
	saleForever  = 100 * 365 * 24 * time.Hour
)

func newSaleCache() *saleCache {
	return &saleCache{local: cache.NewLocal[saleKey, saleEntry](maxSaleCache), gen: map[uuid.UUID]uint64{}}
}

func (c *saleCache) generation(tenantID uuid.UUID) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen[tenantID]
}

func (c *saleCache) drop(tenantID uuid.UUID) {
	c.mu.Lock()
	c.gen[tenantID]++
	c.mu.Unlock()
}

// get returns the cached items of ids priced for the store at at, and the
// ids it does not hold.
func (c *saleCache) get(tenantID, storeID uuid.UUID, at time.Time, ids []uuid.UUID) (map[uuid.UUID]SaleItem, []uuid.UUID) {
	gen := c.generation(tenantID)
	out := make(map[uuid.UUID]SaleItem, len(ids))
	var missing []uuid.UUID
	for _, id := range ids {
		e, ok := c.local.Get(saleKey{tenantID, storeID, id})
		if !ok || e.gen != gen || at.Before(e.from) || !at.Before(e.until) {
			missing = append(missing, id)
			continue
		}
		out[id] = e.item
	}
	return out, missing
}

// put keeps items priced at at, loaded under generation gen.
func (c *saleCache) put(tenantID, storeID uuid.UUID, at time.Time, gen uint64, items map[uuid.UUID]SaleItem) {
	if c.generation(tenantID) != gen {
		return
	}
	for id, it := range items {
		until := at.Add(saleForever)
		for _, sp := range it.Scheduled {
			if sp.EffectiveFrom.Before(until) {
				until = sp.EffectiveFrom
			}
		}
		c.local.Set(saleKey{tenantID, storeID, id}, saleEntry{item: it, gen: gen, from: at, until: until}, saleTTL)
	}
}

// changed marks the transaction as having changed the catalog and drops
// the chain's entries everywhere after the commit.
func (s *Service) changed(ctx context.Context, tenantID uuid.UUID) {
	tenant.Mark(ctx, catalogDirty)
	s.sales.drop(tenantID)
	tenant.AfterCommit(ctx, func(ctx context.Context) {
		s.sales.drop(tenantID)
		if s.sales.redis != nil {
			_ = s.sales.redis.Publish(ctx, saleChannel, tenantID.String())
		}
	})
}

// Watch applies other instances' catalog changes until ctx ends; rc also
// carries this instance's notices.
func (s *Service) Watch(ctx context.Context, rc *redisx.Client) {
	s.sales.redis = rc
	rc.Subscribe(ctx, saleChannel, func(payload string) {
		if id, err := uuid.Parse(payload); err == nil {
			s.sales.drop(id)
		}
	})
}
