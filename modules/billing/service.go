// Package billing is the SaaS's own subscription billing: plans as data, a
// 14-day trial on signup, Stripe Checkout and the customer portal, webhooks
// that move each chain's subscription state, the access state that gates
// every write (cached in Redis, PostgreSQL when Redis is down), plan
// entitlements checked inside the transaction that would exceed them, the
// store-count quantity kept in step with Stripe, the onboarding checklist
// and the platform operator's API.
package billing

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"chainstore/infra/cache"
	"chainstore/infra/clock"
	"chainstore/infra/config"
	"chainstore/infra/problem"
	"chainstore/infra/redisx"
	"chainstore/infra/web"
	"chainstore/tenant"
	"chainstore/tenant/audit"
)

// TrialPlan is the plan whose entitlements a chain has during its trial.
const TrialPlan = "growth"

// Service is subscription billing for every tenant.
type Service struct {
	pool          *tenant.Pool
	redis         *redisx.Client
	stripe        *stripeAPI // nil when STRIPE_SECRET_KEY is not set
	webhookSecret string
	grace         time.Duration
	trialDays     int
	successURL    string
	cancelURL     string
	returnURL     string
	clock         *clock.Clock
	// access is this instance's copy of each chain's access inputs (see
	// accessInputs for how long it is trusted).
	access *cache.Local[uuid.UUID, accessInputs]
}

// New builds the service from the configuration. Without a Stripe secret
// key, Stripe calls answer ErrNotConfigured and trials still work.
func New(pool *tenant.Pool, rc *redisx.Client, cfg *config.Config, clk *clock.Clock) *Service {
	s := &Service{pool: pool, redis: rc, clock: clk, access: cache.NewLocal[uuid.UUID, accessInputs](100_000), webhookSecret: cfg.StripeWebhookSecret, grace: cfg.BillingGracePeriod,
		trialDays: cfg.BillingTrialDays, successURL: cfg.BillingSuccessURL, cancelURL: cfg.BillingCancelURL,
		returnURL: cfg.BillingPortalReturnURL}
	if s.grace <= 0 {
		s.grace = 7 * 24 * time.Hour
	}
	if s.trialDays <= 0 {
		s.trialDays = 14
	}
	if cfg.StripeSecretKey != "" {
		s.stripe = newStripe(cfg.StripeSecretKey, cfg.StripeAPIURL)
	}
	return s
}

func (s *Service) now() time.Time { return s.clock.Now() }

// Configured reports whether Stripe is configured.
func (s *Service) Configured() bool { return s.stripe != nil }

// account is a row of billing_accounts.
type account struct {
	TenantID             uuid.UUID
	ID                   uuid.UUID
	Plan                 string
	Status               string
	Comped               bool
	StripeCustomerID     *string
	StripeSubscriptionID *string
	StripeItemID         *string
	TrialEndsAt          time.Time
	CurrentPeriodEnd     *time.Time
	PastDueSince         *time.Time
	CanceledAt           *time.Time
	QuantitySynced       int
	LastEventCreated     *time.Time
}

const accountColumns = `tenant_id, id, plan, status, comped, stripe_customer_id, stripe_subscription_id, stripe_item_id,
	trial_ends_at, current_period_end, past_due_since, canceled_at, quantity_synced, last_event_created`

// loadAccount reads the tenant's account in the transaction of ctx, locking
// it when lock is set (every writer locks it first, so entitlement checks
// and webhook updates of one chain serialise).
func loadAccount(ctx context.Context, tenantID uuid.UUID, lock bool) (*account, error) {
	q := `SELECT ` + accountColumns + ` FROM billing_accounts WHERE tenant_id = ?`
	if lock {
		q += ` FOR UPDATE`
	}
	var rows []account
	if err := tenant.DB(ctx).Raw(q, tenantID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("billing: load account: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return &rows[0], nil
}

// ensureAccount returns the locked account, creating the trial one if the
// chain predates billing (its trial then runs from the chain's creation).
func (s *Service) ensureAccount(ctx context.Context, tenantID uuid.UUID) (*account, error) {
	a, err := loadAccount(ctx, tenantID, true)
	if err != nil || a != nil {
		return a, err
	}
	var created time.Time
	if err := tenant.DB(ctx).Raw(`SELECT created_at FROM tenants WHERE id = ?`, tenantID).Scan(&created).Error; err != nil {
		return nil, fmt.Errorf("billing: tenant: %w", err)
	}
	if created.IsZero() {
		return nil, ErrTenantNotFound
	}
	if err := s.insertTrial(ctx, tenantID, created.Add(s.trialLength())); err != nil {
		return nil, err
	}
	return loadAccount(ctx, tenantID, true)
}

func (s *Service) trialLength() time.Duration { return time.Duration(s.trialDays) * 24 * time.Hour }

func (s *Service) insertTrial(ctx context.Context, tenantID uuid.UUID, ends time.Time) error {
	err := tenant.DB(ctx).Exec(`INSERT INTO billing_accounts (tenant_id, id, plan, status, trial_ends_at)
		VALUES (?, ?, ?, 'trialing', ?) ON CONFLICT (tenant_id) DO NOTHING`,
		tenantID, uuid.Must(uuid.NewV7()), TrialPlan, ends).Error
	if err != nil {
		return fmt.Errorf("billing: start trial: %w", err)
	}
	a, err := loadAccount(ctx, tenantID, true)
	if err != nil {
		return err
	}
	return s.mirror(ctx, a)
}

// save writes the account and its platform mirror in the transaction of
// ctx, and drops the cached access state once that commits.
func (s *Service) save(ctx context.Context, a *account) error {
	err := tenant.DB(ctx).Exec(`UPDATE billing_accounts SET plan = ?, status = ?, comped = ?, stripe_customer_id = ?,
		stripe_subscription_id = ?, stripe_item_id = ?, trial_ends_at = ?, current_period_end = ?, past_due_since = ?,
		canceled_at = ?, quantity_synced = ?, last_event_created = ?, updated_at = now()
		WHERE tenant_id = ? AND id = ?`,
		a.Plan, a.Status, a.Comped, a.StripeCustomerID, a.StripeSubscriptionID, a.StripeItemID, a.TrialEndsAt,
		a.CurrentPeriodEnd, a.PastDueSince, a.CanceledAt, a.QuantitySynced, a.LastEventCreated, a.TenantID, a.ID).Error
	if err != nil {
		return fmt.Errorf("billing: save account: %w", err)
	}
	return s.mirror(ctx, a)
}

// mirror copies the operator-visible summary to billing_customers (a
// platform table) in the same transaction.
func (s *Service) mirror(ctx context.Context, a *account) error {
	var mrr int64
	var currency string
	if err := tenant.DB(ctx).Raw(`SELECT currency FROM billing_plans WHERE code = ?`, a.Plan).Scan(&currency).Error; err != nil {
		return fmt.Errorf("billing: plan: %w", err)
	}
	if !a.Comped && (a.Status == StatusActive || a.Status == StatusPastDue) {
		if err := tenant.DB(ctx).Raw(`SELECT unit_amount * ? FROM billing_plans WHERE code = ?`, int64(a.QuantitySynced), a.Plan).Scan(&mrr).Error; err != nil {
			return fmt.Errorf("billing: mrr: %w", err)
		}
	}
	err := tenant.DB(ctx).Exec(`INSERT INTO billing_customers (tenant_id, stripe_customer_id, plan, status, comped, trial_ends_at,
			current_period_end, past_due_since, quantity, mrr, currency, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())
		ON CONFLICT (tenant_id) DO UPDATE SET stripe_customer_id = EXCLUDED.stripe_customer_id, plan = EXCLUDED.plan,
			status = EXCLUDED.status, comped = EXCLUDED.comped, trial_ends_at = EXCLUDED.trial_ends_at,
			current_period_end = EXCLUDED.current_period_end, past_due_since = EXCLUDED.past_due_since,
			quantity = EXCLUDED.quantity, mrr = EXCLUDED.mrr, currency = EXCLUDED.currency, updated_at = now()`,
		a.TenantID, a.StripeCustomerID, a.Plan, a.Status, a.Comped, a.TrialEndsAt, a.CurrentPeriodEnd, a.PastDueSince,
		a.QuantitySynced, mrr, or(currency, "CNY")).Error
	if err != nil {
		return fmt.Errorf("billing: mirror: %w", err)
	}
	s.invalidateAfterCommit(ctx, a.TenantID)
	return nil
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// StartTrial opens the chain's trial (signup calls it inside its
// transaction) and, once that commits, makes its Stripe customer when
// Stripe is configured (best effort: checkout makes it otherwise).
func (s *Service) StartTrial(ctx context.Context, tenantID uuid.UUID) error {
	return s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		if err := s.insertTrial(ctx, tenantID, s.now().Add(s.trialLength())); err != nil {
			return err
		}
		if s.stripe != nil {
			tenant.AfterCommit(ctx, func(ctx context.Context) {
				ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
				defer cancel()
				if _, err := s.EnsureCustomer(ctx, tenantID); err != nil {
					slog.WarnContext(ctx, "billing: Stripe customer not created at signup; checkout will retry", "tenant", tenantID, "err", err)
				}
			})
		}
		return nil
	})
}

// EnsureCustomer returns the chain's Stripe customer id, creating the
// customer (idempotently: the key is the tenant id) when it has none.
func (s *Service) EnsureCustomer(ctx context.Context, tenantID uuid.UUID) (string, error) {
	if s.stripe == nil {
		return "", ErrNotConfigured
	}
	var id string
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		a, err := s.ensureAccount(ctx, tenantID)
		if err != nil {
			return err
		}
		if a.StripeCustomerID != nil {
			id = *a.StripeCustomerID
			return nil
		}
		var t struct {
			Name  string
			Email string
		}
		if err := tenant.DB(ctx).Raw(`SELECT t.name, coalesce((SELECT e.email FROM signup_emails e WHERE e.tenant_id = t.id ORDER BY e.created_at LIMIT 1), '') AS email
			FROM tenants t WHERE t.id = ?`, tenantID).Scan(&t).Error; err != nil {
			return err
		}
		id, err = s.stripe.createCustomer(ctx, tenantID.String(), t.Name, t.Email, "chainstore:customer:"+tenantID.String())
		if err != nil {
			return err
		}
		a.StripeCustomerID = &id
		return s.save(ctx, a)
	})
	return id, err
}

// Plans lists the active plans, cheapest first.
func (s *Service) Plans(ctx context.Context) ([]Plan, error) {
	var rows []planRow
	err := s.pool.Platform(ctx).Raw(`SELECT ` + planColumns + ` FROM billing_plans WHERE active ORDER BY sort, code`).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("billing: plans: %w", err)
	}
	out := make([]Plan, len(rows))
	for i, r := range rows {
		out[i] = r.plan()
	}
	return out, nil
}

type planRow struct {
	Code, Name, StripePriceID, Currency string
	UnitAmount                          int64
	MaxStores, MaxMembers, MaxStaff     *int
	ModulesCSV                          string
}

const planColumns = `code, name, stripe_price_id, currency, unit_amount, max_stores, max_members, max_staff,
	array_to_string(modules, ',') AS modules_csv`

func (r planRow) plan() Plan {
	m := []string{}
	if r.ModulesCSV != "" {
		m = strings.Split(r.ModulesCSV, ",")
	}
	return Plan{Code: r.Code, Name: r.Name, StripePriceID: r.StripePriceID, Currency: r.Currency, UnitAmount: r.UnitAmount,
		MaxStores: r.MaxStores, MaxMembers: r.MaxMembers, MaxStaff: r.MaxStaff, Modules: m}
}

func planBy(db *gorm.DB, column, value string) (*Plan, error) {
	var rows []planRow
	if err := db.Raw(`SELECT `+planColumns+` FROM billing_plans WHERE `+column+` = ?`, value).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("billing: plan: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	p := rows[0].plan()
	return &p, nil
}

func countActiveStores(ctx context.Context, tenantID uuid.UUID) (int, error) {
	var n int
	err := tenant.DB(ctx).Raw(`SELECT count(*) FROM stores WHERE tenant_id = ? AND status = 'active'`, tenantID).Scan(&n).Error
	return n, err
}

func countStaff(ctx context.Context, tenantID uuid.UUID) (int, error) {
	var n int
	err := tenant.DB(ctx).Raw(`SELECT count(*) FROM users WHERE tenant_id = ? AND status <> 'disabled'`, tenantID).Scan(&n).Error
	return n, err
}

// Subscription returns the chain's billing state, usage and entitlements.
func (s *Service) Subscription(ctx context.Context, tenantID uuid.UUID) (Subscription, error) {
	var out Subscription
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		a, err := s.ensureAccount(ctx, tenantID)
		if err != nil {
			return err
		}
		p, err := planBy(tenant.DB(ctx), "code", a.Plan)
		if err != nil || p == nil {
			return errors.Join(err, fmt.Errorf("billing: account plan %q is missing", a.Plan))
		}
		var ts string
		if err := tenant.DB(ctx).Raw(`SELECT status FROM tenants WHERE id = ?`, tenantID).Scan(&ts).Error; err != nil {
			return err
		}
		acc := decide(inputsOf(ts, a), s.now(), s.grace)
		out = Subscription{Plan: a.Plan, Status: a.Status, Access: acc.Mode, AccessReason: acc.Reason, TrialEndsAt: a.TrialEndsAt,
			CurrentPeriodEnd: a.CurrentPeriodEnd, PastDueSince: a.PastDueSince, GraceEndsAt: acc.GraceEndsAt,
			HasSubscription: a.StripeSubscriptionID != nil, Quantity: a.QuantitySynced, Entitlements: *p}
		if out.Usage.ActiveStores, err = countActiveStores(ctx, tenantID); err != nil {
			return err
		}
		out.Usage.Staff, err = countStaff(ctx, tenantID)
		return err
	})
	return out, err
}

// Checkout opens a Stripe Checkout Session subscribing the chain to plan,
// quantity = its active stores (at least one). A remaining trial carries
// over as the subscription's trial, so the first charge waits for it.
func (s *Service) Checkout(ctx context.Context, actor *tenant.Principal, in CheckoutInput) (Redirect, error) {
	var out Redirect
	if s.stripe == nil {
		return out, ErrNotConfigured
	}
	customer, err := s.EnsureCustomer(ctx, actor.TenantID)
	if err != nil {
		return out, err
	}
	err = s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		p, err := planBy(tenant.DB(ctx), "code", strings.TrimSpace(in.Plan))
		if err != nil {
			return err
		}
		if p == nil {
			return ErrUnknownPlan.WithFields(problem.FieldError{Field: "plan", Message: "is not a plan"})
		}
		a, err := s.ensureAccount(ctx, actor.TenantID)
		if err != nil {
			return err
		}
		stores, err := countActiveStores(ctx, actor.TenantID)
		if err != nil {
			return err
		}
		if p.MaxStores != nil && stores > *p.MaxStores {
			return ErrPlanLimit.WithDetail("the %s plan allows %d stores and this chain has %d open", p.Name, *p.MaxStores, stores).
				WithFields(problem.FieldError{Field: "plan", Message: "allows fewer stores than are open"})
		}
		req := checkoutRequest{tenantID: actor.TenantID.String(), customerID: customer, priceID: p.StripePriceID,
			quantity: max(stores, 1), successURL: s.successURL, cancelURL: s.cancelURL}
		if a.Status == StatusTrialing && a.TrialEndsAt.After(s.now().Add(49*time.Hour)) {
			te := a.TrialEndsAt
			req.trialEnd = &te
		}
		rid := web.MetaFrom(ctx).RequestID
		if rid == "" {
			rid = uuid.Must(uuid.NewV7()).String()
		}
		req.idemKey = fmt.Sprintf("chainstore:checkout:%s:%s:%d:%s", actor.TenantID, p.Code, req.quantity, rid)
		cs, err := s.stripe.createCheckout(ctx, req)
		if err != nil {
			return err
		}
		out = Redirect{URL: cs.URL, SessionID: cs.ID}
		return audit.Record(ctx, audit.Entry{Action: "billing.checkout", ObjectType: "billing_account", ObjectID: a.ID.String(),
			Detail: map[string]any{"plan": p.Code, "quantity": req.quantity, "session_id": cs.ID}})
	})
	return out, err
}

// Portal opens a Stripe customer portal session (card changes, invoices).
func (s *Service) Portal(ctx context.Context, actor *tenant.Principal) (Redirect, error) {
	if s.stripe == nil {
		return Redirect{}, ErrNotConfigured
	}
	customer, err := s.EnsureCustomer(ctx, actor.TenantID)
	if err != nil {
		return Redirect{}, err
	}
	url, id, err := s.stripe.createPortal(ctx, customer, s.returnURL)
	return Redirect{URL: url, SessionID: id}, err
}
