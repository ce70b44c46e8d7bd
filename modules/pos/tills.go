package pos

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/redisx"
	"chainstore/tenant"
)

// tillCache keeps, per instance, what a device credential proved a moment
// ago, so a till's requests do not read pos_registers each time. A change
// to a register (revoked, re-keyed, renamed) drops it here and, through a
// Redis notice, on every instance; tillTTL bounds a missed notice.
type tillCache struct {
	redis *redisx.Client
	mu    sync.Mutex
	byKey map[tillKey]tillEntry
	byID  map[uuid.UUID]tillKey
}

type tillKey struct {
	tenantID uuid.UUID
	hash     [32]byte
}

type tillEntry struct {
	row tillRow
	exp time.Time
}

const (
	tillTTL       = 10 * time.Second
	tillChannel   = "pos:register_changed"
	maxTillsCache = 50_000
)

func newTillCache(rc *redisx.Client) *tillCache {
	return &tillCache{redis: rc, byKey: map[tillKey]tillEntry{}, byID: map[uuid.UUID]tillKey{}}
}

// Get returns the register behind hash, loading it on a miss.
func (c *tillCache) Get(_ context.Context, tenantID uuid.UUID, hash []byte, load func() (tillRow, error)) (tillRow, error) {
	k := tillKey{tenantID: tenantID}
	copy(k.hash[:], hash)
	c.mu.Lock()
	e, ok := c.byKey[k]
	c.mu.Unlock()
	if ok && time.Now().Before(e.exp) {
		return e.row, nil
	}
	row, err := load()
	if err != nil {
		return row, err
	}
	if row.ID != uuid.Nil {
		c.mu.Lock()
		if len(c.byKey) >= maxTillsCache {
			clear(c.byKey)
			clear(c.byID)
		}
		c.byKey[k] = tillEntry{row: row, exp: time.Now().Add(tillTTL)}
		c.byID[row.ID] = k
		c.mu.Unlock()
	}
	return row, nil
}

func (c *tillCache) drop(registerID uuid.UUID) {
	c.mu.Lock()
	if k, ok := c.byID[registerID]; ok {
		delete(c.byKey, k)
		delete(c.byID, registerID)
	}
	c.mu.Unlock()
}

// Forget drops a register here at once and, after the changing
// transaction commits, again and on every instance (a reader that loaded
// before the commit cannot keep the old row).
func (c *tillCache) Forget(ctx context.Context, tenantID, registerID uuid.UUID) {
	c.drop(registerID)
	tenant.AfterCommit(ctx, func(ctx context.Context) {
		c.drop(registerID)
		_ = c.redis.Publish(ctx, tillChannel, tenantID.String()+":"+registerID.String())
	})
}

// Watch applies other instances' register changes until ctx ends.
func (c *tillCache) Watch(ctx context.Context) {
	c.redis.Subscribe(ctx, tillChannel, func(payload string) {
		_, id, ok := strings.Cut(payload, ":")
		if rid, err := uuid.Parse(id); ok && err == nil {
			c.drop(rid)
		}
	})
}
