package inventory

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"chainstore/tenant"
	"chainstore/tenant/audit"
)

// GetSettings returns the chain's inventory settings (defaults when never set).
func (s *Service) GetSettings(ctx context.Context, tenantID uuid.UUID) (Settings, error) {
	var out Settings
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var err error
		out, err = getSettings(tenant.DB(ctx), tenantID)
		return err
	})
	return out, err
}

func getSettings(db *gorm.DB, tenantID uuid.UUID) (Settings, error) {
	var rows []Settings
	if err := db.Raw(`SELECT allow_negative_stock, near_expiry_days, review_days, over_receipt_pct, updated_at FROM inventory_settings WHERE tenant_id = ?`,
		tenantID).Scan(&rows).Error; err != nil {
		return Settings{}, fmt.Errorf("inventory: read settings: %w", err)
	}
	if len(rows) == 0 {
		return Settings{AllowNegativeStock: true, NearExpiryDays: 7, ReviewDays: 7, OverReceiptPct: 10}, nil
	}
	return rows[0], nil
}

// UpdateSettings changes the settings (audited).
func (s *Service) UpdateSettings(ctx context.Context, actor *tenant.Principal, in SettingsInput) (Settings, error) {
	var out Settings
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		cur, err := getSettings(db, actor.TenantID)
		if err != nil {
			return err
		}
		next := cur
		if in.AllowNegativeStock != nil {
			next.AllowNegativeStock = *in.AllowNegativeStock
		}
		if in.NearExpiryDays != nil {
			next.NearExpiryDays = *in.NearExpiryDays
		}
		if in.ReviewDays != nil {
			next.ReviewDays = *in.ReviewDays
		}
		if in.OverReceiptPct != nil {
			next.OverReceiptPct = *in.OverReceiptPct
		}
		if err := db.Exec(`INSERT INTO inventory_settings (tenant_id, id, allow_negative_stock, near_expiry_days, review_days, over_receipt_pct, updated_by, updated_at)
			VALUES (?, 1, ?, ?, ?, ?, ?, now())
			ON CONFLICT (tenant_id, id) DO UPDATE SET allow_negative_stock = EXCLUDED.allow_negative_stock,
				near_expiry_days = EXCLUDED.near_expiry_days, review_days = EXCLUDED.review_days,
				over_receipt_pct = EXCLUDED.over_receipt_pct, updated_by = EXCLUDED.updated_by, updated_at = now()`,
			actor.TenantID, next.AllowNegativeStock, next.NearExpiryDays, next.ReviewDays, next.OverReceiptPct, actor.UserID).Error; err != nil {
			return fmt.Errorf("inventory: write settings: %w", err)
		}
		if out, err = getSettings(db, actor.TenantID); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "inventory.settings_update", ObjectType: "inventory_settings", ObjectID: actor.TenantID.String(),
			Detail: map[string]any{"before": cur, "after": out}})
	})
	return out, err
}
