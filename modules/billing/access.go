package billing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"

	"chainstore/infra/redisx"
	"chainstore/tenant"
	"chainstore/tenant/auth"
)

// accessInputs are what the access decision depends on besides the clock.
// They change only when billing writes (webhooks, checkout, suspension),
// which drop the cached copy after commit; the decision itself is made per
// request, so a grace period or trial ends on time even while cached.
type accessInputs struct {
	TenantStatus string     `json:"ts"`
	Status       string     `json:"s"`
	Plan         string     `json:"p"`
	Comped       bool       `json:"c"`
	TrialEndsAt  time.Time  `json:"te"`
	PastDueSince *time.Time `json:"pd"`
}

func inputsOf(tenantStatus string, a *account) accessInputs {
	return accessInputs{TenantStatus: tenantStatus, Status: a.Status, Plan: a.Plan, Comped: a.Comped,
		TrialEndsAt: a.TrialEndsAt, PastDueSince: a.PastDueSince}
}

// decide is the state machine's access rule:
//
//	suspended or closed chain           → read-only (the operator's switch wins)
//	comped (the operator chain)         → full
//	active                              → full
//	trialing, incomplete before trial end → full; after → read-only
//	past_due within the grace period    → grace (full, with a banner)
//	past_due after it, canceled         → read-only (data kept and exportable)
func decide(in accessInputs, now time.Time, grace time.Duration) Access {
	a := Access{Status: in.Status, Plan: in.Plan, TrialEndsAt: in.TrialEndsAt}
	set := func(mode, reason string) Access { a.Mode, a.Reason = mode, reason; return a }
	switch {
	case in.TenantStatus == "suspended":
		return set(AccessReadOnly, "suspended")
	case in.TenantStatus == "closed":
		return set(AccessReadOnly, "closed")
	case in.Comped:
		return set(AccessFull, "comped")
	}
	switch in.Status {
	case StatusActive:
		return set(AccessFull, "subscription")
	case StatusPastDue:
		since := now
		if in.PastDueSince != nil {
			since = *in.PastDueSince
		}
		end := since.Add(grace)
		a.GraceEndsAt = &end
		if now.Before(end) {
			return set(AccessGrace, "grace")
		}
		return set(AccessReadOnly, "past_due")
	case StatusCanceled:
		return set(AccessReadOnly, "canceled")
	default: // trialing, incomplete (checkout started, not paid)
		if now.Before(in.TrialEndsAt) {
			return set(AccessFull, "trial")
		}
		return set(AccessReadOnly, "trial_ended")
	}
}

// accessTTL bounds how long a cached copy in Redis can outlive a missed
// invalidation (a reader that loaded just before a commit and stored just
// after its invalidation). Each instance also keeps its own copy for
// accessLocalTTL, dropped at once by the notice every billing change
// publishes; the TTL bounds a missed notice. The decision itself uses the
// clock on every request, so a trial or grace period ends on time.
const (
	accessTTL      = 30 * time.Second
	accessLocalTTL = 5 * time.Second
	accessChannel  = "billing:access_changed"
)

func accessKey(tenantID uuid.UUID) string {
	return redisx.TenantKey(tenantID.String(), "billing", "access")
}

func (s *Service) invalidateAfterCommit(ctx context.Context, tenantID uuid.UUID) {
	tenant.AfterCommit(ctx, func(ctx context.Context) { s.Invalidate(ctx, tenantID) })
}

// Invalidate drops the tenant's cached access state, here, in Redis and on
// every instance. When Redis is down the copies (if any) live out their TTLs.
func (s *Service) Invalidate(ctx context.Context, tenantID uuid.UUID) {
	s.access.Delete(tenantID)
	err := s.redis.Do(ctx, func(ctx context.Context, rdb redis.UniversalClient) error {
		return rdb.Del(ctx, accessKey(tenantID)).Err()
	})
	if err == nil {
		err = s.redis.Publish(ctx, accessChannel, tenantID.String())
	}
	if err != nil && !errors.Is(err, redisx.ErrDown) {
		slog.WarnContext(ctx, "billing: access cache not invalidated; it expires within its TTL", "tenant", tenantID, "err", err)
	}
}

// AccessFor returns the chain's access now: from Redis when cached, else
// from PostgreSQL (in the transaction of ctx when it carries one), which is
// also the answer whenever Redis is down.
func (s *Service) AccessFor(ctx context.Context, tenantID uuid.UUID) (Access, error) {
	in, err := s.accessInputs(ctx, tenantID)
	if err != nil {
		return Access{}, err
	}
	return decide(in, s.now(), s.grace), nil
}

// Watch applies other instances' billing changes until ctx ends.
func (s *Service) Watch(ctx context.Context) {
	s.redis.Subscribe(ctx, accessChannel, func(payload string) {
		if id, err := uuid.Parse(payload); err == nil {
			s.access.Delete(id)
		}
	})
}

func (s *Service) accessInputs(ctx context.Context, tenantID uuid.UUID) (accessInputs, error) {
	if in, ok := s.access.Get(tenantID); ok {
		return in, nil
	}
	in, err := s.loadAccessInputs(ctx, tenantID)
	if err == nil {
		s.access.Set(tenantID, in, accessLocalTTL)
	}
	return in, err
}

func (s *Service) loadAccessInputs(ctx context.Context, tenantID uuid.UUID) (accessInputs, error) {
	key := accessKey(tenantID)
	var raw string
	err := s.redis.Do(ctx, func(ctx context.Context, rdb redis.UniversalClient) error {
		var err error
		raw, err = rdb.Get(ctx, key).Result()
		return err
	})
	var in accessInputs
	if err == nil && json.Unmarshal([]byte(raw), &in) == nil && in.Status != "" {
		return in, nil
	}
	err2 := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var row struct {
			TenantStatus string
			CreatedAt    time.Time
			Found        bool
			Status       *string
			Plan         *string
			Comped       *bool
			TrialEndsAt  *time.Time
			PastDueSince *time.Time
		}
		if err := tenant.DB(ctx).Raw(`SELECT true AS found, t.status AS tenant_status, t.created_at, a.status, a.plan, a.comped,
				a.trial_ends_at, a.past_due_since
			FROM tenants t LEFT JOIN billing_accounts a ON a.tenant_id = t.id WHERE t.id = ?`, tenantID).Scan(&row).Error; err != nil {
			return fmt.Errorf("billing: access: %w", err)
		}
		if !row.Found {
			return ErrTenantNotFound
		}
		in = accessInputs{TenantStatus: row.TenantStatus, Status: StatusTrialing, Plan: TrialPlan,
			TrialEndsAt: row.CreatedAt.Add(s.trialLength())}
		if row.Status != nil { // a chain from before billing has no row yet: its trial runs from creation
			in.Status, in.Plan, in.Comped, in.TrialEndsAt, in.PastDueSince = *row.Status, *row.Plan, *row.Comped, *row.TrialEndsAt, row.PastDueSince
		}
		return nil
	})
	if err2 != nil {
		return in, err2
	}
	if !errors.Is(err, redisx.ErrDown) {
		if b, err := json.Marshal(in); err == nil {
			_ = s.redis.Do(ctx, func(ctx context.Context, rdb redis.UniversalClient) error {
				return rdb.Set(ctx, key, b, accessTTL).Err()
			})
		}
	}
	return in, nil
}

// exemptPrefixes never stop for billing: paying must stay possible, a
// signed-in user can always sign out, the operator can always act, and the
// POS never stops a store from selling.
var (
	exemptPrefixes = []string{"/api/v1/billing/", "/api/v1/auth/logout", "/api/v1/platform/", "/api/v1/pos/"}
	storePOS       = regexp.MustCompile(`^/api/v1/stores/[^/]+/pos(/|$)`)
)

// Exempt reports whether a request goes through whatever the chain's
// billing state: reads (GET, HEAD, OPTIONS), billing and logout, the
// platform API, and the POS (/api/v1/pos/... and /api/v1/stores/{id}/pos/...).
func Exempt(method, path string) bool {
	switch method {
	case "GET", "HEAD", "OPTIONS":
		return true
	}
	for _, p := range exemptPrefixes {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return storePOS.MatchString(path)
}

// CheckWrite refuses a write of a read-only chain with 402 billing.read_only.
func (s *Service) CheckWrite(ctx context.Context, tenantID uuid.UUID) error {
	a, err := s.AccessFor(ctx, tenantID)
	if err != nil {
		return err
	}
	if a.ReadOnly() {
		return ErrReadOnly.WithDetail("%s", banner(a))
	}
	return nil
}

func banner(a Access) string {
	day := func(t time.Time) string { return t.UTC().Format("2006-01-02") }
	switch a.Reason {
	case "trial":
		return "Free trial until " + day(a.TrialEndsAt) + "; choose a plan to keep full access."
	case "grace":
		return "The last payment failed. Update the card before " + day(*a.GraceEndsAt) + " to keep full access."
	case "trial_ended":
		return "The free trial has ended; data is read-only until a plan is chosen."
	case "past_due":
		return "Payment is overdue; data is read-only until the subscription is paid. The tills keep selling."
	case "canceled":
		return "The subscription is canceled; data is read-only and can still be exported."
	case "suspended":
		return "This chain is suspended; data is read-only. Contact support."
	case "closed":
		return "This chain is closed; data is read-only."
	}
	return ""
}

// MeFlags are the billing flags of GET /me.
func (s *Service) MeFlags(ctx context.Context, tenantID uuid.UUID) (auth.Billing, error) {
	a, err := s.AccessFor(ctx, tenantID)
	if err != nil {
		return auth.Billing{}, err
	}
	te := a.TrialEndsAt
	status := a.Status
	if a.Reason == "suspended" || a.Reason == "closed" {
		status = a.Reason
	}
	return auth.Billing{Status: status, ReadOnly: a.ReadOnly(), PastDue: a.Status == StatusPastDue, Banner: banner(a),
		Access: a.Mode, Plan: a.Plan, TrialEndsAt: &te, GraceEndsAt: a.GraceEndsAt}, nil
}
