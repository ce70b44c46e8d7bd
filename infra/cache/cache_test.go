package cache

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"os"

	"github.com/google/uuid"

	"chainstore/infra/redisx"
)

type val struct{ N int }

func TestGetLoadsOnceCachesAndInvalidates(t *testing.T) {
	rc, err := redisx.New(redisURL(), redisx.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	c := New(rc, time.Second)
	ctx := context.Background()
	key := redisx.TenantKey(uuid.NewString(), "test", "k")
	var loads atomic.Int32
	load := func(context.Context) (val, bool, error) {
		loads.Add(1)
		time.Sleep(20 * time.Millisecond)
		return val{N: 7}, true, nil
	}
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if v, ok, _, err := Get(ctx, c, key, time.Minute, load); err != nil || !ok || v.N != 7 {
				t.Errorf("get: %v %v %v", v, ok, err)
			}
		}()
	}
	wg.Wait()
	if n := loads.Load(); n != 1 {
		t.Fatalf("%d loads for 20 concurrent misses, want 1", n)
	}
	if _, _, src, _ := Get(ctx, c, key, time.Minute, load); src != FromCache {
		t.Fatal("second get was not served from the cache")
	}
	c.Invalidate(ctx, key)
	if _, _, src, _ := Get(ctx, c, key, time.Minute, load); src != FromLoad || loads.Load() != 2 {
		t.Fatal("get after invalidate did not load")
	}
	// Misses are cached briefly; load errors are returned and not cached.
	miss := redisx.TenantKey(uuid.NewString(), "test", "missing")
	none := func(context.Context) (val, bool, error) { loads.Add(1); return val{}, false, nil }
	Get(ctx, c, miss, time.Minute, none)
	if _, ok, src, _ := Get(ctx, c, miss, time.Minute, none); ok || src != FromCache {
		t.Fatal("a miss was not cached")
	}
	boom := errors.New("boom")
	bad := redisx.TenantKey(uuid.NewString(), "test", "bad")
	if _, _, _, err := Get(ctx, c, bad, time.Minute, func(context.Context) (val, bool, error) { return val{}, false, boom }); !errors.Is(err, boom) {
		t.Fatalf("load error: %v", err)
	}
}

func TestGetWithRedisDownLoadsEveryTime(t *testing.T) {
	rc, _ := redisx.New("redis://127.0.0.1:1/0", redisx.Options{})
	defer rc.Close()
	c := New(rc, time.Second)
	var loads int
	for i := 0; i < 5; i++ {
		v, ok, src, err := Get(context.Background(), c, "t:{x}:k", time.Minute, func(context.Context) (val, bool, error) {
			loads++
			return val{N: 1}, true, nil
		})
		if err != nil || !ok || v.N != 1 || src != FromLoad {
			t.Fatalf("redis down: %v %v %v %v", v, ok, src, err)
		}
	}
	if loads != 5 {
		t.Fatalf("%d loads", loads)
	}
	c.Invalidate(context.Background(), "t:{x}:k")
}

func redisURL() string {
	if v := os.Getenv("TEST_REDIS_URL"); v != "" {
		return v
	}
	return "redis://127.0.0.1:6379/15"
}
