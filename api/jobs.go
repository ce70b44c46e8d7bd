package api

import (
	"context"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/jobs"
	"chainstore/tenant"
)

// tasks is every background task, one line each: what runs for each tenant
// and how often. Bodies are idempotent service methods.
func tasks(d Deps) []jobs.Task {
	return []jobs.Task{
		{Name: "idempotency.prune", Every: time.Hour, Run: pruneIdempotencyKeys(d.Pool)},
		{Name: "billing.sync_quantity", Every: 15 * time.Minute, Run: d.Billing.ReconcileQuantity},
		{Name: "members.expire_points", Every: time.Hour, Run: count(d.Members.ExpirePoints)},
		{Name: "members.reevaluate_tiers", Every: 24 * time.Hour, Run: count(d.Members.ReevaluateTiers)},
		{Name: "members.birthday_gifts", Every: 24 * time.Hour, Run: count(d.Members.IssueBirthdayGifts)},
		{Name: "promotions.tidy", Every: time.Hour, Run: count(d.Promotions.Tidy)},
		{Name: "pos.cancel_unused_payments", Every: 15 * time.Minute, Run: count(d.POS.CancelUnusedPayments)},
		{Name: "pos.settle_refunds", Every: 5 * time.Minute, Run: func(ctx context.Context, tenantID uuid.UUID, _ time.Time) error {
			_, err := d.POS.SettleRefunds(ctx, tenantID)
			return err
		}},
		{Name: "inventory.near_expiry_alerts", Every: 6 * time.Hour, Run: func(ctx context.Context, tenantID uuid.UUID, _ time.Time) error {
			_, err := d.Inventory.EmitNearExpiryAlerts(ctx, tenantID)
			return err
		}},
	}
}

// count adapts a job body that reports how much it did.
func count(f func(context.Context, uuid.UUID, time.Time) (int, error)) func(context.Context, uuid.UUID, time.Time) error {
	return func(ctx context.Context, tenantID uuid.UUID, now time.Time) error {
		_, err := f(ctx, tenantID, now)
		return err
	}
}

// activeTenants lists the tenants background tasks run for.
func activeTenants(pool *tenant.Pool) func(context.Context) ([]uuid.UUID, error) {
	return func(ctx context.Context) ([]uuid.UUID, error) {
		var ids []uuid.UUID
		err := pool.Platform(ctx).Raw(`SELECT id FROM tenants WHERE status <> 'closed' ORDER BY id`).Scan(&ids).Error
		return ids, err
	}
}

// pruneIdempotencyKeys forgets keys past their 24-hour life.
func pruneIdempotencyKeys(pool *tenant.Pool) func(context.Context, uuid.UUID, time.Time) error {
	return func(ctx context.Context, tenantID uuid.UUID, now time.Time) error {
		return pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
			return tenant.DB(ctx).Exec(`DELETE FROM idempotency_keys WHERE tenant_id = ? AND created_at < ?`,
				tenantID, now.Add(-idempotencyTTL)).Error
		})
	}
}
