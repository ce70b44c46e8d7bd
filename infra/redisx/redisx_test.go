package redisx

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// With Redis unreachable the breaker opens after TripAfter failures, and
// from then on calls return ErrDown at once instead of dialing again.
func TestBreakerOpensAndSkipsRedis(t *testing.T) {
	c, err := New("redis://127.0.0.1:1/0", Options{Timeout: 50 * time.Millisecond, TripAfter: 2, OpenFor: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	calls := 0
	do := func() error {
		return c.Do(ctx, func(ctx context.Context, rdb redis.UniversalClient) error {
			calls++
			return rdb.Ping(ctx).Err()
		})
	}
	for i := 0; i < 2; i++ {
		if err := do(); err == nil || errors.Is(err, ErrDown) {
			t.Fatalf("call %d: %v, want a dial error", i, err)
		}
	}
	if err := do(); !errors.Is(err, ErrDown) {
		t.Fatalf("after two failures: %v, want ErrDown", err)
	}
	if calls != 2 {
		t.Fatalf("Redis was called %d times; the open breaker must skip it", calls)
	}
	if c.Available() {
		t.Fatal("Available() with the breaker open")
	}
}

// A cache miss (redis.Nil) is not a failure and never opens the breaker.
func TestMissDoesNotTripBreaker(t *testing.T) {
	url := os.Getenv("TEST_REDIS_URL")
	if url == "" {
		url = "redis://127.0.0.1:6379/15"
	}
	c, err := New(url, Options{TripAfter: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	if err := c.Ping(ctx); err != nil {
		t.Fatalf("no Redis at %s (set TEST_REDIS_URL): %v", url, err)
	}
	for i := 0; i < 3; i++ {
		err := c.Do(ctx, func(ctx context.Context, rdb redis.UniversalClient) error {
			return rdb.Get(ctx, "redisx-test-missing-key").Err()
		})
		if !errors.Is(err, redis.Nil) {
			t.Fatalf("miss %d: %v", i, err)
		}
	}
	if !c.Available() {
		t.Fatal("misses opened the breaker")
	}
}

func TestTenantKeyHashTag(t *testing.T) {
	if got := TenantKey("abc", "member", "phone", "x"); got != "t:{abc}:member:phone:x" {
		t.Fatal(got)
	}
}
