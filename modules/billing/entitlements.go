package billing

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/problem"
	"chainstore/tenant"
)

// accountPlan locks the chain's account and returns it with its plan. The
// lock serialises every entitlement check of one chain, so two concurrent
// store openings cannot both pass a limit of one more store.
func (s *Service) accountPlan(ctx context.Context, tenantID uuid.UUID) (*account, *Plan, error) {
	a, err := s.ensureAccount(ctx, tenantID)
	if err != nil {
		return nil, nil, err
	}
	p, err := planBy(tenant.DB(ctx), "code", a.Plan)
	if err != nil {
		return nil, nil, err
	}
	if p == nil {
		return nil, nil, fmt.Errorf("billing: account plan %q is missing", a.Plan)
	}
	return a, p, nil
}

// StoresChanged is org's hook, run inside the transaction that opened or
// closed a store. An opening beyond the plan's store limit is refused with
// 402 billing.plan_limit (the store is not created). Once the change
// commits, the subscription's quantity follows the active store count.
func (s *Service) StoresChanged(ctx context.Context, tenantID uuid.UUID, opened bool) error {
	a, p, err := s.accountPlan(ctx, tenantID)
	if err != nil {
		return err
	}
	if opened && p.MaxStores != nil {
		n, err := countActiveStores(ctx, tenantID)
		if err != nil {
			return err
		}
		if n > *p.MaxStores {
			return ErrPlanLimit.WithDetail("the %s plan allows %d open stores; choose a larger plan to open more", p.Name, *p.MaxStores).
				WithFields(problem.FieldError{Field: "stores", Message: fmt.Sprintf("at most %d open stores on the %s plan", *p.MaxStores, p.Name)})
		}
	}
	if a.StripeSubscriptionID != nil && s.stripe != nil {
		change := uuid.Must(uuid.NewV7()).String()
		tenant.AfterCommit(ctx, func(ctx context.Context) {
			ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			if err := s.SyncQuantity(ctx, tenantID, "store-change:"+change); err != nil {
				// The billing.sync_quantity task reconciles within 15 minutes.
				slog.WarnContext(ctx, "billing: quantity not synced after a store change; the periodic task will retry", "tenant", tenantID, "err", err)
			}
		})
	}
	return nil
}

// SeatGuard is users' hook: staff who are not disabled may not exceed the
// plan's seats (402 billing.plan_limit).
func (s *Service) SeatGuard(ctx context.Context, tenantID uuid.UUID) error {
	_, p, err := s.accountPlan(ctx, tenantID)
	if err != nil || p.MaxStaff == nil {
		return err
	}
	n, err := countStaff(ctx, tenantID)
	if err != nil {
		return err
	}
	if n > *p.MaxStaff {
		return ErrPlanLimit.WithDetail("the %s plan includes %d staff seats; disable a user or choose a larger plan", p.Name, *p.MaxStaff).
			WithFields(problem.FieldError{Field: "users", Message: fmt.Sprintf("at most %d staff on the %s plan", *p.MaxStaff, p.Name)})
	}
	return nil
}

// MemberGuard is the members module's hook, run inside the transaction
// that added members: beyond the plan's member limit it refuses with 402
// billing.plan_limit (nothing is added). total counts the chain's active
// members, stopping at atMost, so an unlimited plan counts nothing and a
// limited one reads at most limit+1 rows.
func (s *Service) MemberGuard(ctx context.Context, tenantID uuid.UUID, total func(atMost int) (int, error)) error {
	return s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		// Registrations at the tills of an unlimited plan take no lock: only a
		// limited plan serialises them on the account to count.
		p, err := currentPlan(ctx, tenantID)
		if err != nil || p == nil || p.MaxMembers == nil {
			return err
		}
		if _, p, err = s.accountPlan(ctx, tenantID); err != nil || p.MaxMembers == nil {
			return err
		}
		n, err := total(*p.MaxMembers + 1)
		if err != nil || n <= *p.MaxMembers {
			return err
		}
		return ErrPlanLimit.WithDetail("the %s plan includes %d members; choose a larger plan", p.Name, *p.MaxMembers).
			WithFields(problem.FieldError{Field: "members", Message: fmt.Sprintf("at most %d members on the %s plan", *p.MaxMembers, p.Name)})
	})
}

// currentPlan is the chain's plan without locking its account (the trial
// plan before it has one).
func currentPlan(ctx context.Context, tenantID uuid.UUID) (*Plan, error) {
	a, err := loadAccount(ctx, tenantID, false)
	if err != nil {
		return nil, err
	}
	code := TrialPlan
	if a != nil {
		code = a.Plan
	}
	return planBy(tenant.DB(ctx), "code", code)
}

// Entitled reports whether the chain's plan switches module on
// (ModuleCRMCampaigns, ModuleFranchiseSettlement, ...).
func (s *Service) Entitled(ctx context.Context, tenantID uuid.UUID, module string) (bool, error) {
	var ok bool
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		p, err := currentPlan(ctx, tenantID)
		if err != nil || p == nil {
			return err
		}
		ok = slices.Contains(p.Modules, module)
		return nil
	})
	return ok, err
}

// SyncQuantity sets the Stripe subscription item's quantity to the active
// store count (with proration) when they differ. The idempotency key is
// (subscription, target quantity, change), so a retried change is one
// change at Stripe. No subscription, or Stripe not configured: nothing to do.
func (s *Service) SyncQuantity(ctx context.Context, tenantID uuid.UUID, change string) error {
	if s.stripe == nil {
		return nil
	}
	return s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		a, err := loadAccount(ctx, tenantID, true)
		if err != nil || a == nil || a.StripeSubscriptionID == nil || a.StripeItemID == nil || a.Status == StatusCanceled {
			return err
		}
		n, err := countActiveStores(ctx, tenantID)
		if err != nil {
			return err
		}
		n = max(n, 1) // a subscription bills at least one store
		if n == a.QuantitySynced {
			return nil
		}
		key := fmt.Sprintf("chainstore:quantity:%s:%d:%s", *a.StripeSubscriptionID, n, change)
		if err := s.stripe.setQuantity(ctx, *a.StripeItemID, n, key); err != nil {
			return err
		}
		a.QuantitySynced = n
		return s.save(ctx, a)
	})
}

// ReconcileQuantity is the billing.sync_quantity task: the same sync, keyed
// by the task's period so a retried run repeats the same request.
func (s *Service) ReconcileQuantity(ctx context.Context, tenantID uuid.UUID, now time.Time) error {
	return s.SyncQuantity(ctx, tenantID, fmt.Sprintf("reconcile:%d", now.Unix()))
}
