package cache

import (
	"sync"
	"time"
)

// Local is a bounded in-process map of values that expire: the instance's
// own copy of a few hot facts (a session is live, a chain's billing state),
// so a warm request costs no round trip. Whoever keeps something here also
// drops it when told it changed (a Redis notice) and keeps the TTL short
// enough that a missed notice matters only briefly.
type Local[K comparable, V any] struct {
	mu      sync.RWMutex
	entries map[K]localEntry[V]
	max     int
	now     func() time.Time
}

type localEntry[V any] struct {
	v   V
	exp time.Time
}

// NewLocal holds at most max entries (when full, it starts again empty:
// crude, bounded, and it refills with what is live).
func NewLocal[K comparable, V any](max int) *Local[K, V] {
	return &Local[K, V]{entries: map[K]localEntry[V]{}, max: max, now: time.Now}
}

// Get returns the value under k if it has not expired.
func (l *Local[K, V]) Get(k K) (V, bool) {
	l.mu.RLock()
	e, ok := l.entries[k]
	l.mu.RUnlock()
	if !ok || !l.now().Before(e.exp) {
		var zero V
		return zero, false
	}
	return e.v, true
}

// Set keeps v under k for ttl.
func (l *Local[K, V]) Set(k K, v V, ttl time.Duration) {
	l.mu.Lock()
	if len(l.entries) >= l.max {
		if _, ok := l.entries[k]; !ok {
			clear(l.entries)
		}
	}
	l.entries[k] = localEntry[V]{v: v, exp: l.now().Add(ttl)}
	l.mu.Unlock()
}

// Delete drops k.
func (l *Local[K, V]) Delete(k K) {
	l.mu.Lock()
	delete(l.entries, k)
	l.mu.Unlock()
}
