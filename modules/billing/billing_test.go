package billing_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"chainstore/api/apitest"
)

func customerOf(t *testing.T, tn *apitest.Tenant) string {
	t.Helper()
	var c *string
	if err := env.Owner.QueryRow(`SELECT stripe_customer_id FROM billing_customers WHERE tenant_id = $1`, tn.ID).Scan(&c); err != nil {
		t.Fatalf("billing_customers row of %s: %v", tn.ID, err)
	}
	if c == nil {
		t.Fatalf("tenant %s has no Stripe customer", tn.ID)
	}
	return *c
}

func priceOf(t *testing.T, plan string) string {
	t.Helper()
	var p string
	if err := env.Owner.QueryRow(`SELECT stripe_price_id FROM billing_plans WHERE code = $1`, plan).Scan(&p); err != nil {
		t.Fatal(err)
	}
	return p
}

type subState struct {
	id, item string
}

// subscribe makes the chain's subscription exist at "Stripe" with status
// and plan, and delivers checkout.session.completed for it.
func subscribe(t *testing.T, tn *apitest.Tenant, plan string, quantity int) subState {
	t.Helper()
	s := subState{id: "sub_" + env.Unique("t"), item: "si_" + env.Unique("t")}
	fake.setSub(s.id, fakeSub{Customer: customerOf(t, tn), Status: "active", Item: s.item, Price: priceOf(t, plan),
		Quantity: quantity, PeriodEnd: time.Now().Add(30 * 24 * time.Hour).Unix()})
	r := deliver(t, event("evt_"+env.Unique("co"), "checkout.session.completed", time.Now(), map[string]any{
		"id": "cs_" + env.Unique("x"), "object": "checkout.session", "customer": customerOf(t, tn), "subscription": s.id,
		"client_reference_id": tn.ID.String(), "mode": "subscription",
	}))
	if r.Status != http.StatusOK || !strings.Contains(string(r.Body), `"applied"`) {
		t.Fatalf("checkout.session.completed: %d %s", r.Status, r.Body)
	}
	return s
}

// setStatus changes the subscription at "Stripe" and delivers evType.
func setStatus(t *testing.T, tn *apitest.Tenant, s subState, plan, status, evType string, created time.Time) *apitest.Response {
	t.Helper()
	fake.setSub(s.id, fakeSub{Customer: customerOf(t, tn), Status: status, Item: s.item, Price: priceOf(t, plan), Quantity: 1})
	obj := map[string]any{"id": "in_" + env.Unique("x"), "object": "invoice", "customer": customerOf(t, tn), "subscription": s.id}
	if strings.HasPrefix(evType, "customer.subscription.") {
		obj = map[string]any{"id": s.id, "object": "subscription", "customer": customerOf(t, tn), "status": status}
	}
	return deliver(t, event("evt_"+env.Unique("e"), evType, created, obj))
}

func subscription(t *testing.T, tn *apitest.Tenant) map[string]any {
	t.Helper()
	r := env.Do(t, apitest.Req{Method: http.MethodGet, Path: "/api/v1/billing/subscription", Token: tn.AdminToken})
	if r.Status != http.StatusOK {
		t.Fatalf("subscription: %d %s", r.Status, r.Body)
	}
	return r.Map(t)
}

func meBilling(t *testing.T, token string) map[string]any {
	t.Helper()
	r := env.Do(t, apitest.Req{Method: http.MethodGet, Path: "/api/v1/me", Token: token})
	if r.Status != http.StatusOK {
		t.Fatalf("me: %d %s", r.Status, r.Body)
	}
	return r.Map(t)["billing"].(map[string]any)
}

func createStore(t *testing.T, tn *apitest.Tenant) *apitest.Response {
	t.Helper()
	return env.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/stores", Token: tn.AdminToken,
		Body: map[string]any{"code": env.Unique("S"), "name": "门店", "type": "direct"}})
}

// moveClock moves the one clock every service reads by d, and signs tn's
// admin and users in again: access tokens read that clock too, so the old
// ones have expired in the moved time.
func moveClock(t *testing.T, tn *apitest.Tenant, d time.Duration, users ...*apitest.User) {
	t.Helper()
	env.Server.Clock.Set(func() time.Time { return time.Now().Add(d) })
	t.Cleanup(func() { env.Server.Clock.Set(nil) })
	tn.AdminToken, tn.AdminRefresh = env.Login(t, tn.Slug, tn.AdminEmail, apitest.Password)
	for _, u := range users {
		u.Token, u.Refresh = env.Login(t, tn.Slug, u.Email, apitest.Password)
	}
}

func wantStatus(t *testing.T, r *apitest.Response, status int, code string) {
	t.Helper()
	if r.Status != status || (code != "" && r.Code() != code) {
		t.Fatalf("got %d %s, want %d %s", r.Status, r.Body, status, code)
	}
}

func TestSignupStartsTrialWithStripeCustomer(t *testing.T) {
	mark := fake.mark()
	tn := env.Signup(t)
	sub := subscription(t, tn)
	if sub["status"] != "trialing" || sub["access"] != "full" || sub["plan"] != "growth" || sub["has_subscription"] != false {
		t.Fatalf("new chain: %v", sub)
	}
	ends, _ := time.Parse(time.RFC3339, sub["trial_ends_at"].(string))
	if d := time.Until(ends); d < 13*24*time.Hour || d > 14*24*time.Hour+time.Minute {
		t.Fatalf("trial ends in %s, want 14 days", d)
	}
	cus := customerOf(t, tn)
	var created *recorded
	for _, r := range fake.since(mark) {
		if r.Method == http.MethodPost && r.Path == "/v1/customers" && r.Form.Get("metadata[tenant_id]") == tn.ID.String() {
			created = &r
		}
	}
	if created == nil || created.IdempotencyKey != "chainstore:customer:"+tn.ID.String() {
		t.Fatalf("customer creation not sent with the tenant's idempotency key: %+v", created)
	}
	if !strings.HasPrefix(cus, "cus_") {
		t.Fatalf("customer id %q", cus)
	}
	b := meBilling(t, tn.AdminToken)
	if b["status"] != "trialing" || b["read_only"] != false || b["past_due"] != false || b["access"] != "full" ||
		!strings.Contains(b["banner"].(string), "trial") {
		t.Fatalf("/me billing: %v", b)
	}
}

func TestPlansList(t *testing.T) {
	tn := env.Signup(t)
	r := env.Do(t, apitest.Req{Method: http.MethodGet, Path: "/api/v1/billing/plans", Token: tn.AdminToken})
	wantStatus(t, r, 200, "")
	var out struct {
		Data []struct {
			Code      string
			MaxStores *int `json:"max_stores"`
		}
	}
	r.JSON(t, &out)
	if len(out.Data) < 3 || out.Data[0].Code != "starter" || out.Data[0].MaxStores == nil || *out.Data[0].MaxStores != 3 {
		t.Fatalf("plans: %s", r.Body)
	}
	wantStatus(t, env.Do(t, apitest.Req{Method: http.MethodGet, Path: "/api/v1/billing/plans"}), 401, "auth.unauthenticated")
}

func TestCheckoutSession(t *testing.T) {
	tn := env.Signup(t)
	env.CreateStore(t, tn, nil)
	env.CreateStore(t, tn, nil)
	mark := fake.mark()
	r := env.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/billing/checkout", Token: tn.AdminToken, Body: map[string]any{"plan": "growth"}})
	wantStatus(t, r, 201, "")
	out := r.Map(t)
	if !strings.HasPrefix(out["url"].(string), "https://") || !strings.HasPrefix(out["session_id"].(string), "cs_") {
		t.Fatalf("checkout: %v", out)
	}
	var sent *recorded
	for _, q := range fake.since(mark) {
		if q.Method == http.MethodPost && q.Path == "/v1/checkout/sessions" {
			sent = &q
		}
	}
	if sent == nil {
		t.Fatal("no checkout session request reached Stripe")
	}
	f := sent.Form
	if f.Get("mode") != "subscription" || f.Get("customer") != customerOf(t, tn) || f.Get("client_reference_id") != tn.ID.String() ||
		f.Get("line_items[0][price]") != priceOf(t, "growth") || f.Get("line_items[0][quantity]") != "2" ||
		f.Get("subscription_data[trial_end]") == "" || !strings.HasPrefix(sent.IdempotencyKey, "chainstore:checkout:"+tn.ID.String()+":growth:2:") {
		t.Fatalf("checkout request: key %q form %v", sent.IdempotencyKey, f)
	}
	if n := env.Count(t, `SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND action = 'billing.checkout'`, tn.ID); n != 1 {
		t.Fatalf("checkout audit rows = %d", n)
	}

	t.Run("unknown plan 422", func(t *testing.T) {
		r := env.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/billing/checkout", Token: tn.AdminToken, Body: map[string]any{"plan": "platinum"}})
		wantStatus(t, r, 422, "billing.unknown_plan")
	})
	t.Run("bad body 422", func(t *testing.T) {
		r := env.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/billing/checkout", Token: tn.AdminToken, Body: map[string]any{"plan": "growth", "price": 1}})
		wantStatus(t, r, 422, "request.invalid")
	})
	t.Run("cashier 403", func(t *testing.T) {
		store := env.CreateStore(t, tn, nil)
		u := env.CreateUser(t, tn, "cashier", &store, nil)
		wantStatus(t, env.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/billing/checkout", Token: u.Token, Body: map[string]any{"plan": "growth"}}), 403, "auth.forbidden")
		wantStatus(t, env.Do(t, apitest.Req{Method: http.MethodGet, Path: "/api/v1/billing/subscription", Token: u.Token}), 403, "auth.forbidden")
	})
	t.Run("plan smaller than open stores 402", func(t *testing.T) {
		env.CreateStore(t, tn, nil)
		env.CreateStore(t, tn, nil) // 5 open stores; starter allows 3
		r := env.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/billing/checkout", Token: tn.AdminToken, Body: map[string]any{"plan": "starter"}})
		wantStatus(t, r, 402, "billing.plan_limit")
	})
	t.Run("portal", func(t *testing.T) {
		r := env.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/billing/portal", Token: tn.AdminToken})
		wantStatus(t, r, 201, "")
		if u, _ := r.Map(t)["url"].(string); u == "" {
			t.Fatalf("portal: %s", r.Body)
		}
	})
}

func TestWebhookSignature(t *testing.T) {
	tn := env.Signup(t)
	s := subscribe(t, tn, "growth", 1)
	fake.setSub(s.id, fakeSub{Customer: customerOf(t, tn), Status: "past_due", Item: s.item, Price: priceOf(t, "growth"), Quantity: 1})
	sigID := "evt_" + env.Unique("sig")
	payload := event(sigID, "invoice.payment_failed", time.Now(), map[string]any{
		"id": "in_1", "object": "invoice", "customer": customerOf(t, tn), "subscription": s.id})
	cases := []struct {
		name, header string
	}{
		{"missing", ""},
		{"wrong secret", sign(payload, "whsec_wrong", time.Now())},
		{"stale", sign(payload, webhookSecret, time.Now().Add(-10*time.Minute))},
		{"garbage", "t=abc,v1=zz"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := map[string]string{}
			if c.header != "" {
				h["Stripe-Signature"] = c.header
			}
			r := env.Do(t, apitest.Req{Method: http.MethodPost, Path: "/webhooks/stripe", RawBody: payload, Header: h})
			wantStatus(t, r, 400, "billing.bad_signature")
		})
	}
	t.Run("tampered body", func(t *testing.T) {
		h := sign(payload, webhookSecret, time.Now())
		bad := []byte(strings.Replace(string(payload), "invoice.payment_failed", "invoice.paid", 1))
		r := env.Do(t, apitest.Req{Method: http.MethodPost, Path: "/webhooks/stripe", RawBody: bad, Header: map[string]string{"Stripe-Signature": h}})
		wantStatus(t, r, 400, "billing.bad_signature")
	})
	if n := env.Count(t, `SELECT count(*) FROM billing_events WHERE event_id = $1`, sigID); n != 0 {
		t.Fatalf("a refused delivery recorded the event (%d rows)", n)
	}
	if sub := subscription(t, tn); sub["status"] != "active" {
		t.Fatalf("a refused delivery changed the state: %v", sub["status"])
	}
	t.Run("other API version 400", func(t *testing.T) {
		p := []byte(strings.Replace(string(event("evt_"+env.Unique("v"), "invoice.paid", time.Now(), map[string]any{"object": "invoice"})), "2023-10-16", "2020-08-27", 1))
		r := env.Do(t, apitest.Req{Method: http.MethodPost, Path: "/webhooks/stripe", RawBody: p, Header: map[string]string{"Stripe-Signature": sign(p, webhookSecret, time.Now())}})
		wantStatus(t, r, 400, "billing.bad_event")
	})
	t.Run("unknown event type is acknowledged and ignored", func(t *testing.T) {
		evID := "evt_" + env.Unique("unk")
		r := deliver(t, event(evID, "customer.tax_id.created", time.Now(), map[string]any{"object": "tax_id", "customer": customerOf(t, tn)}))
		wantStatus(t, r, 200, "")
		if r.Map(t)["outcome"] != "ignored" {
			t.Fatalf("unknown type: %s", r.Body)
		}
		if n := env.Count(t, `SELECT count(*) FROM billing_events WHERE event_id = $1 AND outcome = 'ignored'`, evID); n != 1 {
			t.Fatal("unknown event not recorded")
		}
	})
	t.Run("unknown customer is acknowledged and ignored", func(t *testing.T) {
		r := deliver(t, event("evt_"+env.Unique("nc"), "invoice.paid", time.Now(), map[string]any{"object": "invoice", "customer": "cus_nobody", "subscription": "sub_nobody"}))
		wantStatus(t, r, 200, "")
		if r.Map(t)["outcome"] != "ignored" {
			t.Fatalf("unknown customer: %s", r.Body)
		}
	})
	t.Run("valid", func(t *testing.T) {
		wantStatus(t, deliver(t, payload), 200, "")
		if sub := subscription(t, tn); sub["status"] != "past_due" {
			t.Fatalf("after payment_failed: %v", sub["status"])
		}
	})
}

func TestReplayedEventIsProcessedOnce(t *testing.T) {
	tn := env.Signup(t)
	s := subscribe(t, tn, "growth", 1)
	fake.setSub(s.id, fakeSub{Customer: customerOf(t, tn), Status: "past_due", Item: s.item, Price: priceOf(t, "growth"), Quantity: 1})
	payload := event("evt_"+env.Unique("rp"), "invoice.payment_failed", time.Now(), map[string]any{
		"object": "invoice", "customer": customerOf(t, tn), "subscription": s.id})
	r := deliver(t, payload)
	if r.Status != 200 || r.Map(t)["outcome"] != "applied" {
		t.Fatalf("first delivery: %d %s", r.Status, r.Body)
	}
	first := subscription(t, tn)["past_due_since"]
	// Stripe's state moves on; a replay of the old event must change nothing.
	fake.setSub(s.id, fakeSub{Customer: customerOf(t, tn), Status: "active", Item: s.item, Price: priceOf(t, "growth"), Quantity: 1})
	r = deliver(t, payload)
	if r.Status != 200 || r.Map(t)["outcome"] != "duplicate" {
		t.Fatalf("replay: %d %s", r.Status, r.Body)
	}
	sub := subscription(t, tn)
	if sub["status"] != "past_due" || sub["past_due_since"] != first {
		t.Fatalf("a replayed event was processed again: %v", sub)
	}
}

func TestOutOfOrderEventsApplyCurrentState(t *testing.T) {
	tn := env.Signup(t)
	s := subscribe(t, tn, "growth", 1)
	now := time.Now()
	// Stripe's current state is active (the invoice was paid after failing);
	// the later invoice.paid arrives first, the earlier payment_failed last.
	wantStatus(t, setStatus(t, tn, s, "growth", "active", "invoice.paid", now), 200, "")
	wantStatus(t, setStatus(t, tn, s, "growth", "active", "invoice.payment_failed", now.Add(-time.Hour)), 200, "")
	if sub := subscription(t, tn); sub["status"] != "active" || sub["access"] != "full" {
		t.Fatalf("late payment_failed overrode the current state: %v", sub)
	}
	// An upgrade lands as an update; an older update for a replaced, canceled
	// subscription must not cancel the chain.
	wantStatus(t, setStatus(t, tn, s, "enterprise", "active", "customer.subscription.updated", now), 200, "")
	if sub := subscription(t, tn); sub["plan"] != "enterprise" {
		t.Fatalf("plan after upgrade: %v", sub["plan"])
	}
	old := subState{id: "sub_" + env.Unique("old"), item: "si_" + env.Unique("old")}
	r := setStatus(t, tn, old, "starter", "canceled", "customer.subscription.deleted", now.Add(-48*time.Hour))
	wantStatus(t, r, 200, "")
	if r.Map(t)["outcome"] != "ignored" {
		t.Fatalf("late event of a replaced subscription: %s", r.Body)
	}
	if sub := subscription(t, tn); sub["status"] != "active" || sub["plan"] != "enterprise" {
		t.Fatalf("a replaced subscription's cancellation changed the chain: %v", sub)
	}
}

// TestStateMachine walks trialing → active → past_due (grace) → read-only →
// active again → canceled (read-only, still readable and exportable).
func TestStateMachine(t *testing.T) {
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	cashier := env.CreateUser(t, tn, "cashier", &store, nil)
	if sub := subscription(t, tn); sub["status"] != "trialing" {
		t.Fatalf("start: %v", sub["status"])
	}
	s := subscribe(t, tn, "growth", 1)
	if sub := subscription(t, tn); sub["status"] != "active" || sub["access"] != "full" || sub["has_subscription"] != true {
		t.Fatalf("after checkout: %v", sub)
	}

	wantStatus(t, setStatus(t, tn, s, "growth", "past_due", "invoice.payment_failed", time.Now()), 200, "")
	b := meBilling(t, tn.AdminToken)
	if b["status"] != "past_due" || b["past_due"] != true || b["read_only"] != false || b["access"] != "grace" || b["grace_ends_at"] == nil || b["banner"] == "" {
		t.Fatalf("/me in grace: %v", b)
	}
	wantStatus(t, createStore(t, tn), 201, "") // grace: full access

	moveClock(t, tn, 8*24*time.Hour, cashier) // past the 7-day grace period
	b = meBilling(t, tn.AdminToken)
	if b["read_only"] != true || b["access"] != "read_only" || b["past_due"] != true {
		t.Fatalf("/me after grace: %v", b)
	}
	before := env.Count(t, `SELECT count(*) FROM stores WHERE tenant_id = $1`, tn.ID)
	wantStatus(t, createStore(t, tn), 402, "billing.read_only")
	if env.Count(t, `SELECT count(*) FROM stores WHERE tenant_id = $1`, tn.ID) != before {
		t.Fatal("a refused write was written")
	}
	wantStatus(t, env.Do(t, apitest.Req{Method: http.MethodPatch, Path: "/api/v1/stores/" + store.String(), Token: tn.AdminToken, Body: map[string]any{"name": "x"}}), 402, "billing.read_only")
	wantStatus(t, env.Do(t, apitest.Req{Method: http.MethodGet, Path: "/api/v1/stores", Token: tn.AdminToken}), 200, "")
	wantStatus(t, env.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/billing/portal", Token: tn.AdminToken}), 201, "")
	wantStatus(t, env.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/billing/checkout", Token: tn.AdminToken, Body: map[string]any{"plan": "growth"}}), 201, "")

	// The POS never stops: a cashier's look-up and a member registration at the till.
	wantStatus(t, env.Do(t, apitest.Req{Method: http.MethodGet, Path: "/api/v1/stores/" + store.String() + "/pos/lookup?q=milk", Token: cashier.Token}), 200, "")
	r := env.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/stores/" + store.String() + "/pos/members", Token: cashier.Token,
		Body: map[string]any{"phone": "13800138000"}})
	wantStatus(t, r, 201, "")

	wantStatus(t, setStatus(t, tn, s, "growth", "active", "invoice.paid", time.Now()), 200, "")
	if sub := subscription(t, tn); sub["status"] != "active" || sub["access"] != "full" || sub["past_due_since"] != nil {
		t.Fatalf("after invoice.paid: %v", sub)
	}
	wantStatus(t, createStore(t, tn), 201, "")

	wantStatus(t, setStatus(t, tn, s, "growth", "canceled", "customer.subscription.deleted", time.Now()), 200, "")
	b = meBilling(t, tn.AdminToken)
	if b["status"] != "canceled" || b["read_only"] != true {
		t.Fatalf("/me after cancel: %v", b)
	}
	wantStatus(t, createStore(t, tn), 402, "billing.read_only")
	wantStatus(t, env.Do(t, apitest.Req{Method: http.MethodGet, Path: "/api/v1/catalog/products/export", Token: tn.AdminToken}), 200, "")
}

func TestTrialEndsReadOnly(t *testing.T) {
	tn := env.Signup(t)
	moveClock(t, tn, 15*24*time.Hour)
	wantStatus(t, createStore(t, tn), 402, "billing.read_only")
	if b := meBilling(t, tn.AdminToken); b["read_only"] != true || b["status"] != "trialing" {
		t.Fatalf("/me after trial: %v", b)
	}
	// Logout stays possible.
	wantStatus(t, env.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/auth/logout", Token: tn.AdminToken}), 204, "")
}

// TestReadOnlyWithoutRedis: a second instance whose Redis is down decides
// from PostgreSQL.
func TestReadOnlyWithoutRedis(t *testing.T) {
	tn := env.Signup(t)
	ok := env.Signup(t)
	s := subscribe(t, tn, "growth", 1)
	wantStatus(t, setStatus(t, tn, s, "growth", "canceled", "customer.subscription.deleted", time.Now()), 200, "")
	port, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	other := env.Another(t, map[string]string{"REDIS_URL": "redis://127.0.0.1:" + port + "/0",
		"STRIPE_SECRET_KEY": "sk_test_chainstore", "STRIPE_WEBHOOK_SECRET": webhookSecret, "STRIPE_API_URL": fake.URL})
	wantStatus(t, other.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/stores", Token: tn.AdminToken,
		Body: map[string]any{"code": env.Unique("S"), "name": "门店", "type": "direct"}}), 402, "billing.read_only")
	wantStatus(t, other.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/stores", Token: ok.AdminToken,
		Body: map[string]any{"code": env.Unique("S"), "name": "门店", "type": "direct"}}), 201, "")
}

func TestNotConfigured(t *testing.T) {
	other := env.Another(t, map[string]string{"STRIPE_SECRET_KEY": "", "STRIPE_WEBHOOK_SECRET": ""})
	slug := env.Unique("nc")
	r := other.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/signup", Body: map[string]any{
		"chain_name": "Local", "slug": slug, "admin_name": "A", "admin_email": slug + "@example.test", "admin_password": apitest.Password}})
	wantStatus(t, r, 201, "")
	var res struct {
		AccessToken string `json:"access_token"`
	}
	r.JSON(t, &res)
	wantStatus(t, other.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/billing/checkout", Token: res.AccessToken, Body: map[string]any{"plan": "growth"}}), 503, "billing.not_configured")
	r = other.Do(t, apitest.Req{Method: http.MethodGet, Path: "/api/v1/billing/subscription", Token: res.AccessToken})
	wantStatus(t, r, 200, "")
	if r.Map(t)["status"] != "trialing" {
		t.Fatalf("trial without Stripe: %s", r.Body)
	}
	p := event("evt_"+env.Unique("nc"), "invoice.paid", time.Now(), map[string]any{"object": "invoice"})
	wantStatus(t, other.Do(t, apitest.Req{Method: http.MethodPost, Path: "/webhooks/stripe", RawBody: p,
		Header: map[string]string{"Stripe-Signature": sign(p, webhookSecret, time.Now())}}), 503, "billing.not_configured")
}

// tinyPlan is a test plan: one store, two staff seats.
func tinyPlan(t *testing.T) string {
	t.Helper()
	code := "tiny" + strings.ReplaceAll(uuid.NewString()[:8], "-", "")
	if _, err := env.Owner.Exec(`INSERT INTO billing_plans (code, name, stripe_price_id, unit_amount, max_stores, max_members, max_staff, sort)
		VALUES ($1, 'Tiny', $2, 100, 1, 10, 2, 99)`, code, "price_"+code); err != nil {
		t.Fatal(err)
	}
	return code
}

func TestEntitlementLimits(t *testing.T) {
	tn := env.Signup(t)
	plan := tinyPlan(t)
	subscribe(t, tn, plan, 1)
	if sub := subscription(t, tn); sub["plan"] != plan {
		t.Fatalf("plan: %v", sub["plan"])
	}
	first := env.CreateStore(t, tn, nil)
	r := createStore(t, tn)
	wantStatus(t, r, 402, "billing.plan_limit")
	if !strings.Contains(string(r.Body), `"field":"stores"`) {
		t.Fatalf("limit problem without field: %s", r.Body)
	}
	if n := env.Count(t, `SELECT count(*) FROM stores WHERE tenant_id = $1`, tn.ID); n != 1 {
		t.Fatalf("stores after refusal = %d", n)
	}
	// Closing frees the slot; reopening beyond the limit is refused too.
	wantStatus(t, env.Do(t, apitest.Req{Method: http.MethodDelete, Path: "/api/v1/stores/" + first.String(), Token: tn.AdminToken}), 204, "")
	second := env.CreateStore(t, tn, nil)
	_ = second
	wantStatus(t, env.Do(t, apitest.Req{Method: http.MethodPatch, Path: "/api/v1/stores/" + first.String(), Token: tn.AdminToken,
		Body: map[string]any{"status": "active"}}), 402, "billing.plan_limit")

	// Staff seats: the admin plus one more.
	env.CreateUser(t, tn, "hq_finance", nil, nil)
	r = env.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/users", Token: tn.AdminToken, Body: map[string]any{
		"name": "Third", "email": env.Unique("u") + "@example.test", "assignments": []any{map[string]any{"role": "hq_marketing"}}}})
	wantStatus(t, r, 402, "billing.plan_limit")
	if n := env.Count(t, `SELECT count(*) FROM users WHERE tenant_id = $1`, tn.ID); n != 2 {
		t.Fatalf("users after refusal = %d", n)
	}

	// Members: ten on the tiny plan, the eleventh refused and not written.
	member := func(i int) *apitest.Response {
		return env.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/members", Token: tn.AdminToken,
			Body: map[string]any{"name": "会员", "phone": fmt.Sprintf("1390000%04d", i)}})
	}
	for i := range 10 {
		wantStatus(t, member(i), 201, "")
	}
	r = member(10)
	wantStatus(t, r, 402, "billing.plan_limit")
	if !strings.Contains(string(r.Body), `"field":"members"`) {
		t.Fatalf("member limit problem without field: %s", r.Body)
	}
	if n := env.Count(t, `SELECT count(*) FROM members WHERE tenant_id = $1`, tn.ID); n != 10 {
		t.Fatalf("members after refusal = %d", n)
	}
}

func TestQuantityFollowsStores(t *testing.T) {
	tn := env.Signup(t)
	s := subscribe(t, tn, "growth", 1)
	env.CreateStore(t, tn, nil) // 1 store: already billed for one
	mark := fake.mark()
	second := env.CreateStore(t, tn, nil)
	qty := func(from int) []recorded {
		var out []recorded
		for _, r := range fake.since(from) {
			if r.Method == http.MethodPost && r.Path == "/v1/subscription_items/"+s.item {
				out = append(out, r)
			}
		}
		return out
	}
	got := qty(mark)
	if len(got) != 1 || got[0].Form.Get("quantity") != "2" || got[0].Form.Get("proration_behavior") != "create_prorations" ||
		!strings.HasPrefix(got[0].IdempotencyKey, "chainstore:quantity:"+s.id+":2:store-change:") {
		t.Fatalf("quantity update after opening a store: %+v", got)
	}
	if sub := subscription(t, tn); sub["quantity"] != float64(2) {
		t.Fatalf("quantity synced: %v", sub["quantity"])
	}
	mark = fake.mark()
	wantStatus(t, env.Do(t, apitest.Req{Method: http.MethodDelete, Path: "/api/v1/stores/" + second.String(), Token: tn.AdminToken}), 204, "")
	if got := qty(mark); len(got) != 1 || got[0].Form.Get("quantity") != "1" {
		t.Fatalf("quantity update after closing a store: %+v", got)
	}
	// The periodic reconcile is a no-op when in step, and keyed by period otherwise.
	mark = fake.mark()
	ctx := context.Background()
	if err := env.Server.Billing.ReconcileQuantity(ctx, tn.ID, time.Unix(1700000000, 0)); err != nil {
		t.Fatal(err)
	}
	if got := qty(mark); len(got) != 0 {
		t.Fatalf("reconcile in step called Stripe: %+v", got)
	}
	if _, err := env.Owner.Exec(`UPDATE billing_accounts SET quantity_synced = 5 WHERE tenant_id = $1`, tn.ID); err != nil {
		t.Fatal(err)
	}
	if err := env.Server.Billing.ReconcileQuantity(ctx, tn.ID, time.Unix(1700000000, 0)); err != nil {
		t.Fatal(err)
	}
	if got := qty(mark); len(got) != 1 || got[0].Form.Get("quantity") != "1" || got[0].IdempotencyKey != fmt.Sprintf("chainstore:quantity:%s:1:reconcile:1700000000", s.id) {
		t.Fatalf("reconcile: %+v", got)
	}
}

func TestOnboardingChecklist(t *testing.T) {
	tn := env.Signup(t)
	get := func() map[string]map[string]any {
		r := env.Do(t, apitest.Req{Method: http.MethodGet, Path: "/api/v1/onboarding", Token: tn.AdminToken})
		wantStatus(t, r, 200, "")
		var out struct {
			Steps []map[string]any
		}
		r.JSON(t, &out)
		m := map[string]map[string]any{}
		for _, s := range out.Steps {
			m[s["key"].(string)] = s
		}
		if len(m) != 8 {
			t.Fatalf("steps: %s", r.Body)
		}
		return m
	}
	if s := get(); s["first_store"]["done"] != false || s["chain_profile"]["done"] != false || s["choose_plan"]["done"] != false ||
		s["import_products"]["done"] != false || s["receive_stock"]["done"] != false || s["first_sale"]["done"] != false {
		t.Fatalf("fresh checklist: %v", s)
	}
	env.CreateStore(t, tn, nil)
	r := env.Do(t, apitest.Req{Method: http.MethodPut, Path: "/api/v1/onboarding/steps/chain_profile", Token: tn.AdminToken, Body: map[string]any{"done": true}})
	wantStatus(t, r, 200, "")
	subscribe(t, tn, "growth", 1)
	if s := get(); s["first_store"]["done"] != true || s["chain_profile"]["done"] != true || s["choose_plan"]["done"] != true || s["import_members"]["done"] != false {
		t.Fatalf("checklist: %v", s)
	}
	wantStatus(t, env.Do(t, apitest.Req{Method: http.MethodPut, Path: "/api/v1/onboarding/steps/chain_profile", Token: tn.AdminToken, Body: map[string]any{"done": false}}), 200, "")
	if s := get(); s["chain_profile"]["done"] != false {
		t.Fatal("unmarking did not clear the step")
	}
	wantStatus(t, env.Do(t, apitest.Req{Method: http.MethodPut, Path: "/api/v1/onboarding/steps/nope", Token: tn.AdminToken, Body: map[string]any{"done": true}, SkipSpec: true}), 404, "onboarding.unknown_step")
	wantStatus(t, env.Do(t, apitest.Req{Method: http.MethodPut, Path: "/api/v1/onboarding/steps/chain_profile", Token: tn.AdminToken, Body: map[string]any{}}), 422, "request.invalid")
	store := env.CreateStore(t, tn, nil)
	mgr := env.CreateUser(t, tn, "store_manager", &store, nil)
	wantStatus(t, env.Do(t, apitest.Req{Method: http.MethodPut, Path: "/api/v1/onboarding/steps/chain_profile", Token: mgr.Token, Body: map[string]any{"done": true}}), 403, "auth.forbidden")
	wantStatus(t, env.Do(t, apitest.Req{Method: http.MethodGet, Path: "/api/v1/onboarding", Token: mgr.Token}), 403, "auth.forbidden")
}

// TestBillingIsolation: another chain's token sees only its own billing,
// and its webhooks and store changes never touch this chain.
func TestBillingIsolation(t *testing.T) {
	a, b := env.Signup(t), env.Signup(t)
	sa := subscribe(t, a, "enterprise", 1)
	wantStatus(t, setStatus(t, a, sa, "enterprise", "past_due", "invoice.payment_failed", time.Now()), 200, "")
	sb := subscription(t, b)
	if sb["status"] != "trialing" || sb["plan"] != "growth" || sb["has_subscription"] != false {
		t.Fatalf("chain B sees A's billing: %v", sb)
	}
	if bb := meBilling(t, b.AdminToken); bb["past_due"] != false {
		t.Fatalf("B's /me: %v", bb)
	}
	// A Checkout completed with B's id as reference but A's customer stays A's.
	r := deliver(t, event("evt_"+env.Unique("x"), "checkout.session.completed", time.Now(), map[string]any{
		"object": "checkout.session", "customer": customerOf(t, a), "subscription": sa.id, "client_reference_id": b.ID.String()}))
	wantStatus(t, r, 200, "")
	if sb := subscription(t, b); sb["has_subscription"] != false {
		t.Fatalf("another chain's checkout attached to B: %v", sb)
	}
	// The platform API does not exist for a tenant admin.
	wantStatus(t, env.Do(t, apitest.Req{Method: http.MethodGet, Path: "/api/v1/platform/tenants/" + a.ID.String(), Token: b.AdminToken}), 404, "route.not_found")
	wantStatus(t, env.Do(t, apitest.Req{Method: http.MethodGet, Path: "/api/v1/platform/tenants", Token: b.AdminToken}), 404, "route.not_found")
	wantStatus(t, env.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/platform/tenants/" + a.ID.String() + "/suspend", Token: b.AdminToken}), 404, "route.not_found")
	wantStatus(t, env.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/platform/tenants/" + a.ID.String() + "/reactivate", Token: b.AdminToken}), 404, "route.not_found")
	wantStatus(t, env.Do(t, apitest.Req{Method: http.MethodGet, Path: "/api/v1/platform/stats", Token: b.AdminToken}), 404, "route.not_found")
	// Onboarding is per chain: A's progress is not B's, and B's marks leave A's alone.
	env.CreateStore(t, a, nil)
	wantStatus(t, env.Do(t, apitest.Req{Method: http.MethodPut, Path: "/api/v1/onboarding/steps/chain_profile", Token: a.AdminToken, Body: map[string]any{"done": true}}), 200, "")
	wantStatus(t, env.Do(t, apitest.Req{Method: http.MethodPut, Path: "/api/v1/onboarding/steps/import_members", Token: b.AdminToken, Body: map[string]any{"done": true}}), 200, "")
	steps := func(tn *apitest.Tenant) map[string]any {
		t.Helper()
		r := env.Do(t, apitest.Req{Method: http.MethodGet, Path: "/api/v1/onboarding", Token: tn.AdminToken})
		wantStatus(t, r, 200, "")
		var out struct{ Steps []map[string]any }
		r.JSON(t, &out)
		m := map[string]any{}
		for _, s := range out.Steps {
			m[s["key"].(string)] = s["done"]
		}
		return m
	}
	if s := steps(b); s["first_store"] != false || s["chain_profile"] != false || s["choose_plan"] != false || s["import_members"] != true {
		t.Fatalf("chain B's onboarding shows A's progress: %v", s)
	}
	if s := steps(a); s["first_store"] != true || s["chain_profile"] != true || s["choose_plan"] != true || s["import_members"] != false {
		t.Fatalf("chain A's onboarding: %v", s)
	}
	// B's Checkout and portal sessions are opened for B's Stripe customer, never A's.
	mark := fake.mark()
	wantStatus(t, env.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/billing/checkout", Token: b.AdminToken, Body: map[string]any{"plan": "growth"}}), 201, "")
	wantStatus(t, env.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/billing/portal", Token: b.AdminToken}), 201, "")
	custA, custB := customerOf(t, a), customerOf(t, b)
	sessions := 0
	for _, q := range fake.since(mark) {
		if q.Method != http.MethodPost || (q.Path != "/v1/checkout/sessions" && !strings.HasPrefix(q.Path, "/v1/billing_portal/")) {
			continue
		}
		sessions++
		if c := q.Form.Get("customer"); c != custB || c == custA {
			t.Errorf("chain B's %s went to Stripe for customer %q (A %q, B %q)", q.Path, c, custA, custB)
		}
	}
	if sessions != 2 {
		t.Errorf("%d checkout/portal requests reached Stripe, want 2", sessions)
	}
	// Row-level security: B's transaction reads none of A's billing rows.
	var n int
	err := env.Server.Pool.WithTx(context.Background(), b.ID, func(ctx context.Context) error {
		return tenantDB(ctx).Raw(`SELECT count(*) FROM billing_accounts WHERE tenant_id = ?`, a.ID).Scan(&n).Error
	})
	if err != nil || n != 0 {
		t.Fatalf("B's transaction sees A's billing account: %d %v", n, err)
	}
}

func TestPlatformOperator(t *testing.T) {
	op := env.Signup(t)
	if err := env.Server.Billing.GrantOperator(context.Background(), op.ID, op.AdminID); err != nil {
		t.Fatal(err)
	}
	chain := env.Signup(t)
	s := subscribe(t, chain, "growth", 3)
	wantStatus(t, setStatus(t, chain, s, "growth", "past_due", "invoice.payment_failed", time.Now()), 200, "")

	r := env.Do(t, apitest.Req{Method: http.MethodGet, Path: "/api/v1/platform/tenants?past_due=true&limit=200", Token: op.AdminToken})
	wantStatus(t, r, 200, "")
	var list struct {
		Data []map[string]any
	}
	r.JSON(t, &list)
	var found map[string]any
	for _, row := range list.Data {
		if row["past_due_since"] == nil {
			t.Fatalf("past_due list has a chain in good standing: %v", row)
		}
		if row["id"] == chain.ID.String() {
			found = row
		}
	}
	if found == nil || found["status"] != "past_due" || found["plan"] != "growth" || found["mrr"] != float64(49900) {
		t.Fatalf("operator's view of the chain: %v", found)
	}
	r = env.Do(t, apitest.Req{Method: http.MethodGet, Path: "/api/v1/platform/tenants?status=bogus", Token: op.AdminToken})
	wantStatus(t, r, 400, "request.bad_query")
	r = env.Do(t, apitest.Req{Method: http.MethodGet, Path: "/api/v1/platform/stats", Token: op.AdminToken})
	wantStatus(t, r, 200, "")
	if st := r.Map(t); st["past_due"].(float64) < 1 || st["mrr"].(float64) < 49900 {
		t.Fatalf("stats: %v", st)
	}
	if tr := env.Do(t, apitest.Req{Method: http.MethodGet, Path: "/api/v1/platform/tenants/" + op.ID.String(), Token: op.AdminToken}).Map(t); tr["comped"] != true {
		t.Fatalf("operator chain not comped: %v", tr)
	}

	// Suspend: audited, the chain goes read-only and cannot sign in; POS still sells.
	r = env.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/platform/tenants/" + chain.ID.String() + "/suspend", Token: op.AdminToken, Body: map[string]any{"reason": "chargeback"}})
	wantStatus(t, r, 200, "")
	if r.Map(t)["tenant_status"] != "suspended" {
		t.Fatalf("suspend: %s", r.Body)
	}
	if n := env.Count(t, `SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND action = 'platform.tenant_suspend' AND actor_id IS NULL
		AND detail->>'operator_tenant_id' = $2 AND detail->>'reason' = 'chargeback'`, chain.ID, op.ID.String()); n != 1 {
		t.Fatalf("%d suspension rows in the suspended chain's own log", n)
	}
	if n := env.Count(t, `SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND action = 'platform.tenant_suspend' AND object_id = $2`, op.ID, chain.ID.String()); n != 1 {
		t.Fatalf("suspension audit rows = %d", n)
	}
	wantStatus(t, createStore(t, chain), 402, "billing.read_only")
	if b := meBilling(t, chain.AdminToken); b["status"] != "suspended" || b["read_only"] != true {
		t.Fatalf("/me suspended: %v", b)
	}
	wantStatus(t, env.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/auth/login", Body: map[string]any{
		"tenant": chain.Slug, "login": chain.AdminEmail, "password": apitest.Password}}), 403, "auth.tenant_suspended")

	r = env.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/platform/tenants/" + chain.ID.String() + "/reactivate", Token: op.AdminToken})
	wantStatus(t, r, 200, "")
	// Still past due within grace: writes allowed again.
	wantStatus(t, createStore(t, chain), 201, "")
	if n := env.Count(t, `SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND action = 'platform.tenant_reactivate'`, op.ID); n != 1 {
		t.Fatalf("reactivation audit rows = %d", n)
	}

	wantStatus(t, env.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/platform/tenants/" + op.ID.String() + "/suspend", Token: op.AdminToken}), 422, "request.invalid")
	wantStatus(t, env.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/platform/tenants/" + uuid.NewString() + "/suspend", Token: op.AdminToken}), 404, "platform.tenant_not_found")
	// Another user of the operator chain without the grant is not an operator.
	other := env.CreateUser(t, op, "hq_admin", nil, nil)
	wantStatus(t, env.Do(t, apitest.Req{Method: http.MethodGet, Path: "/api/v1/platform/stats", Token: other.Token}), 404, "route.not_found")
}

// Each instance keeps its own copy of a chain's access for a few seconds;
// a change made through another instance reaches it at once (the Redis
// notice), so a suspended chain cannot keep writing through a warm one.
func TestAccessChangeReachesAWarmInstanceAtOnce(t *testing.T) {
	op := env.Signup(t)
	if err := env.Server.Billing.GrantOperator(context.Background(), op.ID, op.AdminID); err != nil {
		t.Fatal(err)
	}
	chain := env.Signup(t)
	warm := env.Another(t, nil)
	create := func() *apitest.Response {
		return warm.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/franchisees", Token: chain.AdminToken,
			Body: map[string]any{"name": env.Unique("加盟商")}})
	}
	wantStatus(t, create(), 201, "") // the warm instance now holds "full access"
	r := env.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/platform/tenants/" + chain.ID.String() + "/suspend", Token: op.AdminToken, Body: map[string]any{"reason": "test"}})
	wantStatus(t, r, 200, "")
	deadline := time.Now().Add(time.Second) // well inside accessLocalTTL (5 s): only the notice explains it
	for {
		r := create()
		if r.Status == 402 && r.Code() == "billing.read_only" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the warm instance still writes for a suspended chain: %d %s", r.Status, r.Body)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
