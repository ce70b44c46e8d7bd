// Package ratelimit counts attempts in fixed windows, in Redis so every
// instance shares the count, and in process memory when Redis is down, so
// a limit still holds (per instance) rather than failing open.
package ratelimit

import (
	"context"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"chainstore/infra/redisx"
)

// Limiter allows Limit hits per key per Window.
type Limiter struct {
	redis  *redisx.Client
	local  *memory
	Limit  int
	Window time.Duration
}

// New builds a limiter.
func New(client *redisx.Client, limit int, window time.Duration) *Limiter {
	return &Limiter{redis: client, local: &memory{counts: map[string]*bucket{}}, Limit: limit, Window: window}
}

// Result of a hit.
type Result struct {
	Allowed    bool
	Count      int
	RetryAfter time.Duration
}

// INCR the window's counter and set its expiry on the first hit, atomically.
var hitScript = redis.NewScript(`
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('PTTL', KEYS[1])}`)

// Hit counts one attempt for key (which must carry its own hash tag for
// Redis Cluster) and says whether it is within the limit.
func (l *Limiter) Hit(ctx context.Context, key string) Result {
	var n, ttl int64
	err := l.redis.Do(ctx, func(ctx context.Context, rdb redis.UniversalClient) error {
		res, err := hitScript.Run(ctx, rdb, []string{key}, l.Window.Milliseconds()).Int64Slice()
		if err != nil {
			return err
		}
		n, ttl = res[0], res[1]
		return nil
	})
	if err != nil {
		return l.local.hit(key, l.Limit, l.Window)
	}
	r := Result{Count: int(n), Allowed: n <= int64(l.Limit)}
	if !r.Allowed {
		r.RetryAfter = time.Duration(max(ttl, 1000)) * time.Millisecond
	}
	return r
}

type bucket struct {
	count int
	reset time.Time
}

type memory struct {
	mu     sync.Mutex
	counts map[string]*bucket
	sweep  time.Time
}

func (m *memory) hit(key string, limit int, window time.Duration) Result {
	now := time.Now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if now.After(m.sweep) { // keep memory bounded: drop expired windows
		for k, b := range m.counts {
			if now.After(b.reset) {
				delete(m.counts, k)
			}
		}
		m.sweep = now.Add(window)
	}
	b := m.counts[key]
	if b == nil || now.After(b.reset) {
		b = &bucket{reset: now.Add(window)}
		m.counts[key] = b
	}
	b.count++
	r := Result{Count: b.count, Allowed: b.count <= limit}
	if !r.Allowed {
		r.RetryAfter = max(b.reset.Sub(now), time.Second)
	}
	return r
}
