package billing

import (
	"encoding/json"
	"testing"
	"time"

	"chainstore/infra/clock"
	"chainstore/infra/config"
)

func TestDecide(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	grace := 7 * 24 * time.Hour
	ago := func(d time.Duration) *time.Time { v := now.Add(-d); return &v }
	cases := []struct {
		name   string
		in     accessInputs
		mode   string
		reason string
	}{
		{"trial running", accessInputs{TenantStatus: "active", Status: StatusTrialing, TrialEndsAt: now.Add(time.Hour)}, AccessFull, "trial"},
		{"trial over", accessInputs{TenantStatus: "active", Status: StatusTrialing, TrialEndsAt: now}, AccessReadOnly, "trial_ended"},
		{"checkout unpaid during trial", accessInputs{TenantStatus: "active", Status: StatusIncomplete, TrialEndsAt: now.Add(time.Hour)}, AccessFull, "trial"},
		{"checkout unpaid after trial", accessInputs{TenantStatus: "active", Status: StatusIncomplete, TrialEndsAt: now.Add(-time.Hour)}, AccessReadOnly, "trial_ended"},
		{"active", accessInputs{TenantStatus: "active", Status: StatusActive}, AccessFull, "subscription"},
		{"past due in grace", accessInputs{TenantStatus: "active", Status: StatusPastDue, PastDueSince: ago(6 * 24 * time.Hour)}, AccessGrace, "grace"},
		{"past due at grace end", accessInputs{TenantStatus: "active", Status: StatusPastDue, PastDueSince: ago(grace)}, AccessReadOnly, "past_due"},
		{"canceled", accessInputs{TenantStatus: "active", Status: StatusCanceled}, AccessReadOnly, "canceled"},
		{"suspended beats active", accessInputs{TenantStatus: "suspended", Status: StatusActive}, AccessReadOnly, "suspended"},
		{"suspended beats comped", accessInputs{TenantStatus: "suspended", Status: StatusActive, Comped: true}, AccessReadOnly, "suspended"},
		{"closed", accessInputs{TenantStatus: "closed", Status: StatusActive}, AccessReadOnly, "closed"},
		{"comped", accessInputs{TenantStatus: "active", Status: StatusCanceled, Comped: true}, AccessFull, "comped"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := decide(c.in, now, grace)
			if a.Mode != c.mode || a.Reason != c.reason {
				t.Fatalf("decide = %s/%s, want %s/%s", a.Mode, a.Reason, c.mode, c.reason)
			}
			if a.ReadOnly() != (c.mode == AccessReadOnly) {
				t.Fatal("ReadOnly disagrees with Mode")
			}
			if banner(a) == "" && c.reason != "subscription" && c.reason != "comped" {
				t.Fatalf("no banner for %s", c.reason)
			}
		})
	}
}

func TestExempt(t *testing.T) {
	cases := []struct {
		method, path string
		exempt       bool
	}{
		{"GET", "/api/v1/stores", true},
		{"HEAD", "/api/v1/members/1/export", true},
		{"POST", "/api/v1/stores", false},
		{"PATCH", "/api/v1/stores/1", false},
		{"DELETE", "/api/v1/users/1", false},
		{"PUT", "/api/v1/onboarding/steps/chain_profile", false},
		{"POST", "/api/v1/billing/checkout", true},
		{"POST", "/api/v1/billing/portal", true},
		{"POST", "/api/v1/auth/logout", true},
		{"POST", "/api/v1/platform/tenants/1/reactivate", true},
		{"POST", "/api/v1/pos/sales", true},
		{"POST", "/api/v1/stores/0190f5a4/pos/members", true},
		{"POST", "/api/v1/stores/0190f5a4/pos", true},
		{"POST", "/api/v1/stores/0190f5a4/posx", false},
		{"POST", "/api/v1/stores/a/b/pos/members", false},
		{"POST", "/api/v1/billingx", false},
	}
	for _, c := range cases {
		if got := Exempt(c.method, c.path); got != c.exempt {
			t.Errorf("Exempt(%s %s) = %v, want %v", c.method, c.path, got, c.exempt)
		}
	}
}

func TestMapStatus(t *testing.T) {
	for in, want := range map[string]string{"active": StatusActive, "trialing": StatusActive, "past_due": StatusPastDue,
		"unpaid": StatusPastDue, "incomplete": StatusIncomplete, "incomplete_expired": StatusCanceled, "canceled": StatusCanceled,
		"paused": StatusCanceled, "something_new": StatusCanceled} {
		if got := mapStatus(stripeStatus(in)); got != want {
			t.Errorf("mapStatus(%s) = %s, want %s", in, got, want)
		}
	}
}

// FuzzWebhookPayload: any body, correctly signed, is either an event or a
// 4xx problem, never a panic; its object always decodes or fails cleanly.
func FuzzWebhookPayload(f *testing.F) {
	f.Add([]byte(`{"id":"evt_1","object":"event","api_version":"2023-10-16","created":1,"type":"invoice.paid","data":{"object":{"object":"invoice","customer":"cus_1","subscription":{"id":"sub_1"}}}}`))
	f.Add([]byte(`{"id":"evt_1","api_version":"2023-10-16","type":"x","data":{"object":null}}`))
	f.Add([]byte(`{"data":{"object":{"customer":7}}}`))
	f.Add([]byte(`[]`))
	cfg, err := config.Load(func(k string) string {
		if k == "STRIPE_WEBHOOK_SECRET" {
			return "whsec_fuzz"
		}
		return ""
	})
	if err != nil {
		f.Fatal(err)
	}
	s := New(nil, nil, cfg, clock.New())
	f.Fuzz(func(t *testing.T, payload []byte) {
		ev, err := s.ParseEvent(payload, signFuzz(payload, "whsec_fuzz"))
		if err != nil {
			return
		}
		var obj eventObject
		if json.Unmarshal(ev.Data.Raw, &obj) == nil && obj.Object == "subscription" && obj.ID == "" {
			_ = obj.Customer
		}
		if ev.ID == "" || ev.Type == "" {
			t.Fatalf("accepted an event without id or type: %q", payload)
		}
	})
}
