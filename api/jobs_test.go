package api_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/jobs"
)

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// A task runs once per tenant per period, however often it is fanned out.
func TestTasksRunOncePerTenantPerPeriod(t *testing.T) {
	ctx := context.Background()
	a, b := uuid.New(), uuid.New()
	var mu sync.Mutex
	runs := map[uuid.UUID]int{}
	task := "test.count_" + uuid.NewString()[:8]
	r, err := jobs.New(ctx, jobs.Options{
		DatabaseURL: env.Config.DatabaseURL,
		Tenants:     func(context.Context) ([]uuid.UUID, error) { return []uuid.UUID{a, b}, nil },
		Tasks: []jobs.Task{{Name: task, Every: 24 * time.Hour, Run: func(_ context.Context, id uuid.UUID, now time.Time) error {
			if !now.Equal(now.Truncate(24 * time.Hour)) {
				t.Errorf("now %s is not the period's start", now)
			}
			mu.Lock()
			runs[id]++
			mu.Unlock()
			return nil
		}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer r.Stop(ctx)
	for range 3 {
		if err := r.RunNow(ctx, task); err != nil {
			t.Fatal(err)
		}
	}
	doneFanOuts := func() int {
		return env.Count(t, `SELECT count(*) FROM river_job WHERE kind = 'fan_out' AND args->>'task' = $1 AND state = 'completed'`, task)
	}
	waitFor(t, "four fan-outs (one on start, three asked)", func() bool { return doneFanOuts() == 4 })
	waitFor(t, "the tenant jobs", func() bool {
		return env.Count(t, `SELECT count(*) FROM river_job WHERE kind = 'tenant_task' AND args->>'task' = $1 AND state = 'completed'`, task) == 2
	})
	if n := env.Count(t, `SELECT count(*) FROM river_job WHERE kind = 'tenant_task' AND args->>'task' = $1`, task); n != 2 {
		t.Fatalf("%d tenant jobs for two tenants in one period, want 2", n)
	}
	mu.Lock()
	defer mu.Unlock()
	if runs[a] != 1 || runs[b] != 1 {
		t.Fatalf("runs %v, want one per tenant", runs)
	}
	if err := r.RunNow(ctx, "no.such.task"); err == nil {
		t.Fatal("an unknown task was accepted")
	}
}

// The server's own prune task deletes idempotency keys past their life and
// keeps fresh ones.
func TestPruneTaskForgetsOldIdempotencyKeys(t *testing.T) {
	ctx := context.Background()
	tn := env.Signup(t)
	for key, age := range map[string]string{"old": "30 hours", "fresh": "1 hour"} {
		if _, err := env.Owner.ExecContext(ctx, `INSERT INTO idempotency_keys (tenant_id, user_id, key, request_hash, created_at)
			VALUES ($1, $2, $3, '\x00', now() - $4::interval)`, tn.ID, tn.AdminID, key, age); err != nil {
			t.Fatal(err)
		}
	}
	srv := env.Another(t, nil)
	if err := srv.Server.Jobs.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer srv.Server.Jobs.Stop(ctx)
	keys := func(key string) int {
		return env.Count(t, `SELECT count(*) FROM idempotency_keys WHERE tenant_id = $1 AND key = $2`, tn.ID, key)
	}
	waitFor(t, "the old key to go", func() bool { return keys("old") == 0 })
	if keys("fresh") != 1 {
		t.Fatal("a fresh key was pruned")
	}
}
