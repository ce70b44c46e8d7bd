// Package cache is cache-aside over Redis: get a JSON value or load it from
// the source of truth, with concurrent misses of one key collapsed into one
// load (singleflight), "not found" remembered briefly, and invalidation
// meant to run after the writing transaction commits. When Redis is down
// (the client's breaker is open or a call fails) every Get loads from the
// source: slower, never wrong.
package cache

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/singleflight"

	"chainstore/infra/redisx"
)

// Cache is a cache-aside helper over one Redis client.
type Cache struct {
	rc     *redisx.Client
	group  singleflight.Group
	negTTL time.Duration
}

// New builds a cache; negTTL is how long "not found" is remembered
// (default 5 s).
func New(rc *redisx.Client, negTTL time.Duration) *Cache {
	if negTTL <= 0 {
		negTTL = 5 * time.Second
	}
	return &Cache{rc: rc, negTTL: negTTL}
}

// notFound is the stored marker of a cached miss (never valid JSON of a value).
const notFound = "\x00nf"

// Source says where a Get answer came from (for metrics and benches).
type Source int

// Where an answer came from.
const (
	FromCache Source = iota
	FromLoad
)

// Load fetches a value from the source of truth; found=false is a miss
// worth caching briefly.
type Load[T any] func(ctx context.Context) (v T, found bool, err error)

type result[T any] struct {
	v     T
	found bool
}

// Get returns the value under key, loading and storing it (for ttl) on a
// miss. Concurrent misses of the same key in this process share one load.
// Redis errors are never returned: they turn into a load.
func Get[T any](ctx context.Context, c *Cache, key string, ttl time.Duration, load Load[T]) (T, bool, Source, error) {
	var zero T
	var raw string
	getErr := c.rc.Do(ctx, func(ctx context.Context, rdb redis.UniversalClient) error {
		var err error
		raw, err = rdb.Get(ctx, key).Result()
		return err
	})
	if getErr == nil {
		if raw == notFound {
			return zero, false, FromCache, nil
		}
		var v T
		if json.Unmarshal([]byte(raw), &v) == nil {
			return v, true, FromCache, nil
		}
	}
	// Do (not DoChan) runs the load in the first caller's goroutine: the
	// load may use that caller's transaction, which must not outlive it.
	r, err, _ := c.group.Do(key, func() (any, error) {
		v, found, err := load(ctx)
		if err != nil {
			return nil, err
		}
		val := notFound
		exp := c.negTTL
		if found {
			b, err := json.Marshal(v)
			if err != nil {
				return nil, err
			}
			val, exp = string(b), ttl
		}
		if !errors.Is(getErr, redisx.ErrDown) {
			_ = c.rc.Do(context.WithoutCancel(ctx), func(ctx context.Context, rdb redis.UniversalClient) error {
				return rdb.Set(ctx, key, val, exp).Err()
			})
		}
		return result[T]{v: v, found: found}, nil
	})
	if err != nil {
		return zero, false, FromLoad, err
	}
	res := r.(result[T])
	return res.v, res.found, FromLoad, nil
}

// Invalidate deletes keys. Call it after the writing transaction commits
// (tenant.AfterCommit), so a reader cannot cache the old value again. With
// Redis down it does nothing: entries expire by their TTL, which is why TTLs
// of cached values are short.
func (c *Cache) Invalidate(ctx context.Context, keys ...string) {
	if len(keys) == 0 {
		return
	}
	_ = c.rc.Do(ctx, func(ctx context.Context, rdb redis.UniversalClient) error {
		return rdb.Del(ctx, keys...).Err()
	})
}
