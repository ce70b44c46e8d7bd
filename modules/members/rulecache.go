package members

import (
	"context"
	"sync"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/cache"
	"chainstore/infra/redisx"
	"chainstore/tenant"
)

// ruleCache keeps each instance's copy of the chain's points rule across
// requests: every cart with a member and every sale that earns reads it,
// and HQ changes it rarely. A change drops it here at once and, after its
// commit, again and on every instance through a Redis notice; rulesTTL
// bounds a missed notice. A load that raced a change is not kept (the
// chain's generation moved), and a transaction that changed the rule
// reads its own.
type ruleCache struct {
	local *cache.Local[uuid.UUID, PointsRule]
	redis *redisx.Client
	mu    sync.Mutex
	gen   map[uuid.UUID]uint64
}

const (
	rulesTTL      = 30 * time.Second
	rulesChannel  = "members:points_rule_changed"
	rulesDirty    = "members:points_rule_dirty"
	maxRulesCache = 10_000
)

func newRuleCache(rc *redisx.Client) *ruleCache {
	return &ruleCache{local: cache.NewLocal[uuid.UUID, PointsRule](maxRulesCache), redis: rc, gen: map[uuid.UUID]uint64{}}
}

func (c *ruleCache) generation(tenantID uuid.UUID) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen[tenantID]
}

func (c *ruleCache) drop(tenantID uuid.UUID) {
	c.mu.Lock()
	c.gen[tenantID]++
	c.mu.Unlock()
	c.local.Delete(tenantID)
}

type pointsRuleKey struct{ tenantID uuid.UUID }

// pointsRule is the chain's points rule: from this instance's memory when
// fresh, else read once per transaction (a sale that earns and redeems
// reads it once).
func (s *Service) pointsRule(ctx context.Context, tenantID uuid.UUID) (PointsRule, error) {
	dirty := tenant.Marked(ctx, rulesDirty)
	if !dirty {
		if r, ok := s.rules.local.Get(tenantID); ok {
			return r, nil
		}
	}
	gen := s.rules.generation(tenantID)
	r, err := tenant.Memo(ctx, pointsRuleKey{tenantID}, func() (PointsRule, error) { return loadPointsRule(tenant.DB(ctx), tenantID) })
	if err == nil && !dirty && s.rules.generation(tenantID) == gen {
		s.rules.local.Set(tenantID, r, rulesTTL)
	}
	return r, err
}

// rulesChanged marks the transaction as having changed the rule and drops
// it everywhere after the commit.
func (s *Service) rulesChanged(ctx context.Context, tenantID uuid.UUID) {
	tenant.Mark(ctx, rulesDirty)
	tenant.Forget(ctx, pointsRuleKey{tenantID})
	s.rules.drop(tenantID)
	tenant.AfterCommit(ctx, func(ctx context.Context) {
		s.rules.drop(tenantID)
		_ = s.rules.redis.Publish(ctx, rulesChannel, tenantID.String())
	})
}

// Watch applies other instances' points rule changes until ctx ends.
func (s *Service) Watch(ctx context.Context) {
	s.rules.redis.Subscribe(ctx, rulesChannel, func(payload string) {
		if id, err := uuid.Parse(payload); err == nil {
			s.rules.drop(id)
		}
	})
}
