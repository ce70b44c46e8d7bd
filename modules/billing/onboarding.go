package billing

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"chainstore/tenant"
)

// onboardingSteps is the guided checklist after signup, in order. Derived
// steps read the data (a store, a product, stock received, a till sale, a
// second user, a subscription exists) — the path to a first sale — and the
// others are marked by the console when the step is done.
var onboardingSteps = []struct {
	key, title string
	derived    string // SQL returning a boolean for tenant ?; "" = marked only
}{
	{"chain_profile", "Complete the chain profile", ""},
	{"first_store", "Open the first store", `SELECT EXISTS (SELECT 1 FROM stores WHERE tenant_id = ?)`},
	{"import_products", "Add or import products", `SELECT EXISTS (SELECT 1 FROM products WHERE tenant_id = ?)`},
	{"receive_stock", "Receive the first stock", `SELECT EXISTS (SELECT 1 FROM stock_movements WHERE tenant_id = ? AND qty > 0)`},
	{"first_sale", "Register a till and make the first sale", `SELECT EXISTS (SELECT 1 FROM pos_sales WHERE tenant_id = ?)`},
	{"import_members", "Import members", ""},
	{"invite_staff", "Invite staff", `SELECT count(*) > 1 FROM users WHERE tenant_id = ?`},
	{"choose_plan", "Choose a plan", `SELECT EXISTS (SELECT 1 FROM billing_accounts WHERE tenant_id = ? AND stripe_subscription_id IS NOT NULL)`},
}

// Onboarding returns the chain's checklist.
func (s *Service) Onboarding(ctx context.Context, tenantID uuid.UUID) (Onboarding, error) {
	out := Onboarding{Steps: []OnboardingStep{}}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var marks []struct {
			Step   string
			DoneAt time.Time
		}
		if err := tenant.DB(ctx).Raw(`SELECT step, done_at FROM onboarding_steps WHERE tenant_id = ?`, tenantID).Scan(&marks).Error; err != nil {
			return fmt.Errorf("billing: onboarding: %w", err)
		}
		marked := map[string]time.Time{}
		for _, m := range marks {
			marked[m.Step] = m.DoneAt
		}
		for _, st := range onboardingSteps {
			step := OnboardingStep{Key: st.key, Title: st.title, Derived: st.derived != ""}
			if at, ok := marked[st.key]; ok {
				step.Done, step.DoneAt = true, &at
			}
			if !step.Done && st.derived != "" {
				if err := tenant.DB(ctx).Raw(st.derived, tenantID).Scan(&step.Done).Error; err != nil {
					return fmt.Errorf("billing: onboarding %s: %w", st.key, err)
				}
			}
			if step.Done {
				out.Completed++
			}
			out.Steps = append(out.Steps, step)
		}
		out.Total = len(out.Steps)
		return nil
	})
	return out, err
}

// MarkStep marks a step done (or clears the mark) and returns the checklist.
func (s *Service) MarkStep(ctx context.Context, actor *tenant.Principal, step string, done bool) (Onboarding, error) {
	known := false
	for _, st := range onboardingSteps {
		known = known || st.key == step
	}
	if !known {
		return Onboarding{}, ErrUnknownStep
	}
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		if done {
			return tenant.DB(ctx).Exec(`INSERT INTO onboarding_steps (tenant_id, step, done_by) VALUES (?, ?, ?) ON CONFLICT (tenant_id, step) DO NOTHING`,
				actor.TenantID, step, actor.UserID).Error
		}
		return tenant.DB(ctx).Exec(`DELETE FROM onboarding_steps WHERE tenant_id = ? AND step = ?`, actor.TenantID, step).Error
	})
	if err != nil {
		return Onboarding{}, err
	}
	return s.Onboarding(ctx, actor.TenantID)
}
