package members_test

import (
	"net/http"
	"testing"

	"chainstore/api/apitest"
)

// A member look-up answered from the cache touches no PostgreSQL
// connection: the session, the policy and the billing gate come from
// memory, the member from Redis, so the request's tenant transaction never
// starts (issue 11).
func TestACachedLookupOpensNoTransaction(t *testing.T) {
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	cashier := env.CreateUser(t, tn, "cashier", &store, nil)
	phone := newPhone()
	createMember(t, tn, phone, nil)
	get := func() {
		t.Helper()
		r := env.Do(t, apitest.Req{Method: http.MethodGet, Path: lookupPath(store, "phone="+phone), Token: cashier.Token})
		if r.Status != 200 {
			t.Fatalf("lookup: %d %s", r.Status, r.Body)
		}
	}
	get() // loads the member into Redis, and the session and policy into memory
	get()
	begun := env.Server.Pool.Begun()
	for i := 0; i < 5; i++ {
		get()
	}
	if n := env.Server.Pool.Begun() - begun; n != 0 {
		t.Errorf("5 cached look-ups began %d transactions, want 0", n)
	}
}
