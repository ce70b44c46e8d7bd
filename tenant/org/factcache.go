package org

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/cache"
	"chainstore/infra/redisx"
	"chainstore/tenant"
)

// factCache keeps each instance's copy of store facts across requests:
// every till call and store-scoped route asks for its store's facts, and
// they change only when a store is edited or closed. A change drops the
// chain's facts here at once and, after its commit, again and on every
// instance through a Redis notice; factsTTL bounds a missed notice. A load
// that raced a change is not kept (the chain's generation moved).
type factCache struct {
	local *cache.Local[factsKey, Facts]
	redis *redisx.Client
	mu    sync.Mutex
	gen   map[uuid.UUID]uint64
}

const (
	factsTTL      = 30 * time.Second
	factsChannel  = "org:stores_changed"
	factsDirty    = "org:stores_dirty"
	maxFactsCache = 100_000
)

func newFactCache() *factCache {
	return &factCache{local: cache.NewLocal[factsKey, Facts](maxFactsCache), gen: map[uuid.UUID]uint64{}}
}

func (c *factCache) generation(tenantID uuid.UUID) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen[tenantID]
}

// get answers a store's facts from memory, unless ctx's transaction
// changed stores (it reads its own writes).
func (c *factCache) get(ctx context.Context, k factsKey) (Facts, bool) {
	if tenant.Marked(ctx, factsDirty) {
		return Facts{}, false
	}
	return c.local.Get(k)
}

func (c *factCache) put(ctx context.Context, gen uint64, fs []Facts, tenantID uuid.UUID) {
	if tenant.Marked(ctx, factsDirty) || c.generation(tenantID) != gen {
		return
	}
	for _, f := range fs {
		c.local.Set(factsKey{tenantID, f.ID}, f, factsTTL)
	}
}

// drop forgets the chain's stores on this instance.
func (c *factCache) drop(tenantID uuid.UUID, storeID uuid.UUID) {
	c.mu.Lock()
	c.gen[tenantID]++
	c.mu.Unlock()
	c.local.Delete(factsKey{tenantID, storeID})
}

// changed marks the transaction as having changed a store and drops it
// everywhere after the commit.
func (c *factCache) changed(ctx context.Context, tenantID, storeID uuid.UUID) {
	tenant.Mark(ctx, factsDirty)
	tenant.Forget(ctx, factsKey{tenantID, storeID})
	c.drop(tenantID, storeID)
	tenant.AfterCommit(ctx, func(ctx context.Context) {
		c.drop(tenantID, storeID)
		if c.redis != nil {
			_ = c.redis.Publish(ctx, factsChannel, tenantID.String()+":"+storeID.String())
		}
	})
}

// Watch applies other instances' store changes until ctx ends; rc also
// carries this instance's notices.
func (s *Service) Watch(ctx context.Context, rc *redisx.Client) {
	s.facts.redis = rc
	rc.Subscribe(ctx, factsChannel, func(payload string) {
		t, st, ok := strings.Cut(payload, ":")
		tid, err1 := uuid.Parse(t)
		sid, err2 := uuid.Parse(st)
		if ok && err1 == nil && err2 == nil {
			s.facts.drop(tid, sid)
		}
	})
}
