package billing

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/google/uuid"

	"chainstore/infra/problem"
	"chainstore/infra/web"
	"chainstore/tenant"
	"chainstore/tenant/audit"
	"chainstore/tenant/auth"
)

// RequireOperator returns the request's principal when it is a platform
// operator (a user listed in platform_operators, in the operator chain).
// Anyone else gets 404, as if the platform API did not exist.
func (s *Service) RequireOperator(ctx context.Context) (*tenant.Principal, error) {
	p, ok := tenant.From(ctx)
	if !ok {
		return nil, problem.ErrUnauthenticated
	}
	var n int
	if err := s.pool.Platform(ctx).Raw(`SELECT count(*) FROM platform_operators WHERE user_id = ? AND tenant_id = ?`,
		p.UserID, p.TenantID).Scan(&n).Error; err != nil {
		return nil, fmt.Errorf("billing: operator: %w", err)
	}
	if n == 0 {
		return nil, ErrNotOperator
	}
	return p, nil
}

// GrantOperator makes a user of the operator chain a platform operator, and
// comps that chain's own subscription (it never pays and never goes
// read-only).
func (s *Service) GrantOperator(ctx context.Context, tenantID, userID uuid.UUID) error {
	return s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var n int
		if err := tenant.DB(ctx).Raw(`SELECT count(*) FROM users WHERE tenant_id = ? AND id = ?`, tenantID, userID).Scan(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("billing: grant operator: user %s is not in chain %s", userID, tenantID)
		}
		if err := tenant.DB(ctx).Exec(`INSERT INTO platform_operators (user_id, tenant_id) VALUES (?, ?) ON CONFLICT (user_id) DO NOTHING`,
			userID, tenantID).Error; err != nil {
			return fmt.Errorf("billing: grant operator: %w", err)
		}
		a, err := s.ensureAccount(ctx, tenantID)
		if err != nil {
			return err
		}
		a.Comped = true
		return s.save(ctx, a)
	})
}

// CreateOperator opens the operator chain (a normal signup with slug
// `slug`) with its first user as a platform operator; `chainstore
// platform-admin create` calls it. Signing in is then the ordinary login to
// that chain.
func (s *Service) CreateOperator(ctx context.Context, au *auth.Service, in auth.SignupInput) (*auth.SignupResult, error) {
	res, err := au.Signup(ctx, in)
	if err != nil {
		return nil, err
	}
	if err := s.GrantOperator(ctx, res.Tenant.ID, res.User.ID); err != nil {
		return nil, err
	}
	return res, nil
}

const summaryColumns = `t.id, t.name, t.slug, t.status AS tenant_status, t.created_at,
	coalesce(b.plan, '` + TrialPlan + `') AS plan, coalesce(b.status, 'trialing') AS status, coalesce(b.comped, false) AS comped,
	coalesce(b.trial_ends_at, t.created_at + make_interval(days => ?)) AS trial_ends_at,
	b.current_period_end, b.past_due_since, coalesce(b.quantity, 0) AS quantity, coalesce(b.mrr, 0) AS mrr,
	coalesce(b.currency, t.currency) AS currency`

// ListTenants lists chains for the operator, by id, with their billing
// summary (from the platform directory; no tenant table is read).
func (s *Service) ListTenants(ctx context.Context, f TenantFilter, page web.Page) ([]TenantSummary, error) {
	q := s.pool.Platform(ctx).Table("tenants t").Select(summaryColumns, s.trialDays).
		Joins("LEFT JOIN billing_customers b ON b.tenant_id = t.id")
	if f.Status != "" {
		q = q.Where("coalesce(b.status, 'trialing') = ?", f.Status)
	}
	if f.PastDue {
		q = q.Where("b.past_due_since IS NOT NULL")
	}
	if page.Cursor != uuid.Nil {
		q = q.Where("t.id > ?", page.Cursor)
	}
	var out []TenantSummary
	if err := q.Order("t.id").Limit(page.Limit + 1).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("billing: list tenants: %w", err)
	}
	return out, nil
}

// GetTenant returns one chain's summary, or ErrTenantNotFound.
func (s *Service) GetTenant(ctx context.Context, id uuid.UUID) (TenantSummary, error) {
	var out []TenantSummary
	err := s.pool.Platform(ctx).Table("tenants t").Select(summaryColumns, s.trialDays).
		Joins("LEFT JOIN billing_customers b ON b.tenant_id = t.id").Where("t.id = ?", id).Scan(&out).Error
	if err != nil {
		return TenantSummary{}, fmt.Errorf("billing: get tenant: %w", err)
	}
	if len(out) == 0 {
		return TenantSummary{}, ErrTenantNotFound
	}
	return out[0], nil
}

// Stats are the platform's totals: chains by status and MRR (minor units;
// every plan is priced in one currency).
func (s *Service) Stats(ctx context.Context) (PlatformStats, error) {
	var out PlatformStats
	err := s.pool.Platform(ctx).Raw(`SELECT count(*) AS tenants,
			count(*) FILTER (WHERE coalesce(b.status, 'trialing') = 'trialing') AS trialing,
			count(*) FILTER (WHERE b.status = 'active') AS active,
			count(*) FILTER (WHERE b.status = 'past_due') AS past_due,
			count(*) FILTER (WHERE b.status = 'canceled') AS canceled,
			coalesce(sum(b.mrr), 0) AS mrr
		FROM tenants t LEFT JOIN billing_customers b ON b.tenant_id = t.id WHERE t.status <> 'closed'`).Scan(&out).Error
	return out, err
}

// SetTenantStatus suspends (read-only, sign-in refused) or reactivates a
// chain; audited in the operator's chain. An operator cannot suspend their
// own chain, and a closed chain stays closed.
func (s *Service) SetTenantStatus(ctx context.Context, actor *tenant.Principal, id uuid.UUID, status, reason string) (TenantSummary, error) {
	if id == actor.TenantID {
		return TenantSummary{}, problem.ErrValidation.WithDetail("the operator chain cannot suspend itself").
			WithFields(problem.FieldError{Field: "id", Message: "is the operator's own chain"})
	}
	var out TenantSummary
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		var prev []string
		if err := tenant.DB(ctx).Raw(`SELECT status FROM tenants WHERE id = ? FOR UPDATE`, id).Scan(&prev).Error; err != nil {
			return err
		}
		if len(prev) == 0 {
			return ErrTenantNotFound
		}
		if prev[0] == "closed" {
			return problem.ErrConflict.WithDetail("the chain is closed")
		}
		if prev[0] != status {
			if err := tenant.DB(ctx).Exec(`UPDATE tenants SET status = ?, updated_at = now() WHERE id = ?`, status, id).Error; err != nil {
				return fmt.Errorf("billing: set tenant status: %w", err)
			}
			action := "platform.tenant_reactivate"
			if status == "suspended" {
				action = "platform.tenant_suspend"
			}
			detail := map[string]any{"before": prev[0], "after": status, "reason": reason}
			if err := audit.Record(ctx, audit.Entry{Action: action, ObjectType: "tenant", ObjectID: id.String(), Detail: detail}); err != nil {
				return err
			}
			// The chain's own log says it too, so its admins see who switched
			// it and why. Another tenant's rows need that tenant's transaction,
			// so this runs after the operator's commit; the operator chain's
			// row above is the authoritative one.
			tenant.AfterCommit(ctx, func(c context.Context) {
				mirror := map[string]any{"operator_user_id": actor.UserID, "operator_tenant_id": actor.TenantID}
				for k, v := range detail {
					mirror[k] = v
				}
				c = web.WithMeta(context.Background(), web.MetaFrom(c)) // no principal: the actor is not a user of this chain
				if err := s.pool.WithTx(c, id, func(c context.Context) error {
					return audit.Record(c, audit.Entry{Action: action, ObjectType: "tenant", ObjectID: id.String(), Detail: mirror})
				}); err != nil {
					slog.ErrorContext(c, "billing: audit in the suspended chain", "tenant_id", id, "err", err)
				}
			})
			s.invalidateAfterCommit(ctx, id)
		}
		var err error
		out, err = s.GetTenant(ctx, id)
		return err
	})
	return out, err
}
