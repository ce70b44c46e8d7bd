package api_test

import (
	"sync"
	"testing"

	"chainstore/api/apitest"
)

func TestIdempotencyKeyReplaysTheFirstResponse(t *testing.T) {
	tn := env.Signup(t)
	count := func() int { return env.Count(t, `SELECT count(*) FROM stores WHERE tenant_id = $1`, tn.ID) }
	body := map[string]any{"code": "IDEM-1", "name": "幂等店", "type": "direct"}
	hdr := map[string]string{"Idempotency-Key": "till-7-sale-0001"}
	first := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/stores", Token: tn.AdminToken, Body: body, Header: hdr})
	if first.Status != 201 {
		t.Fatalf("first: %d %s", first.Status, first.Body)
	}
	again := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/stores", Token: tn.AdminToken, Body: body, Header: hdr})
	if again.Status != 201 || string(again.Body) != string(first.Body) || again.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay: %d %s (replayed=%q)", again.Status, again.Body, again.Header.Get("Idempotent-Replayed"))
	}
	if n := count(); n != 1 {
		t.Fatalf("%d stores after a retried create, want 1", n)
	}
	other := map[string]any{"code": "IDEM-2", "name": "另一家", "type": "direct"}
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/stores", Token: tn.AdminToken, Body: other, Header: hdr})
	if r.Status != 409 || r.Code() != "idempotency.key_reused" {
		t.Fatalf("same key, other body: %d %s", r.Status, r.Body)
	}
	if n := count(); n != 1 {
		t.Fatalf("a refused key reuse wrote a store")
	}
	// Keys are per user: another user's identical key is a new request.
	mgr := env.CreateUser(t, tn, "hq_admin", nil, nil)
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/stores", Token: mgr.Token, Body: other, Header: hdr}); r.Status != 201 {
		t.Fatalf("another user's key: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/stores", Token: tn.AdminToken, Body: body, Header: map[string]string{"Idempotency-Key": "bad\x01key"}}); r.Status != 400 {
		t.Fatalf("control character in key: %d", r.Status)
	}
}

// A failed request stores nothing: fixing the body and retrying with the
// same key runs the request.
func TestIdempotencyKeyOfAFailedRequestCanBeRetried(t *testing.T) {
	tn := env.Signup(t)
	hdr := map[string]string{"Idempotency-Key": "retry-after-422"}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/franchisees", Token: tn.AdminToken, Body: map[string]any{"name": ""}, Header: hdr}); r.Status != 422 {
		t.Fatalf("invalid: %d", r.Status)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/franchisees", Token: tn.AdminToken, Body: map[string]any{"name": "重试加盟"}, Header: hdr}); r.Status != 201 {
		t.Fatalf("retry with a fixed body: %d %s", r.Status, r.Body)
	}
}

// Concurrent requests with one key: one does the work, the rest replay it.
func TestIdempotencyKeyUnderConcurrency(t *testing.T) {
	tn := env.Signup(t)
	body := map[string]any{"code": "RACE-1", "name": "并发店", "type": "direct"}
	hdr := map[string]string{"Idempotency-Key": "double-click"}
	var wg sync.WaitGroup
	statuses := make([]int, 6)
	for i := range statuses {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			statuses[i] = env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/stores", Token: tn.AdminToken, Body: body, Header: hdr}).Status
		}(i)
	}
	wg.Wait()
	for i, s := range statuses {
		if s != 201 {
			t.Errorf("request %d: %d", i, s)
		}
	}
	if n := env.Count(t, `SELECT count(*) FROM stores WHERE tenant_id = $1 AND code = 'RACE-1'`, tn.ID); n != 1 {
		t.Fatalf("%d stores from one idempotency key", n)
	}
}
