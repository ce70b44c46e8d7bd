package pos

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"chainstore/tenant"
	"chainstore/tenant/audit"
)

// defaultSettings apply until a chain saves its own.
var defaultSettings = Settings{Rounding: "fen", VarianceTolerance: 1000, ReturnApprovalLimit: 20000}

type settingsKey struct{ tenantID uuid.UUID }

const (
	// settingsTTL bounds how long an instance that missed a change notice
	// keeps the old settings.
	settingsTTL     = 30 * time.Second
	settingsChannel = "pos:settings_changed"
)

// Settings returns the chain's POS settings: from this instance's memory
// when fresh (every cart and sale reads them), else read once per
// transaction. A change drops them here and, through a Redis notice, on
// every instance; a transaction that changed them reads its own.
func (s *Service) Settings(ctx context.Context, tenantID uuid.UUID) (Settings, error) {
	if !tenant.Marked(ctx, settingsDirty) {
		if set, ok := s.settings.Get(tenantID); ok {
			return set, nil
		}
	}
	var out Settings
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var err error
		out, err = tenant.Memo(ctx, settingsKey{tenantID}, func() (Settings, error) {
			var rows []Settings
			if err := tenant.DB(ctx).Raw(`SELECT rounding, variance_tolerance, return_approval_limit, cashier_discount_bp, receipt_footer, seller_name, seller_tax_id, updated_at
				FROM pos_settings WHERE tenant_id = ?`, tenantID).Scan(&rows).Error; err != nil {
				return Settings{}, fmt.Errorf("pos: settings: %w", err)
			}
			if len(rows) == 0 {
				return defaultSettings, nil
			}
			return rows[0], nil
		})
		return err
	})
	if err == nil && !tenant.Marked(ctx, settingsDirty) {
		s.settings.Set(tenantID, out, settingsTTL)
	}
	return out, err
}

// settingsDirty marks a transaction that changed the settings.
const settingsDirty = "pos:settings_dirty"

// forgetSettings drops the chain's settings here now and, after the
// commit, again and on every instance.
func (s *Service) forgetSettings(ctx context.Context, tenantID uuid.UUID) {
	tenant.Mark(ctx, settingsDirty)
	tenant.Forget(ctx, settingsKey{tenantID})
	s.settings.Delete(tenantID)
	tenant.AfterCommit(ctx, func(ctx context.Context) {
		s.settings.Delete(tenantID)
		_ = s.redis.Publish(ctx, settingsChannel, tenantID.String())
	})
}

// watchSettings applies other instances' settings changes until ctx ends.
func (s *Service) watchSettings(ctx context.Context) {
	s.redis.Subscribe(ctx, settingsChannel, func(payload string) {
		if id, err := uuid.Parse(payload); err == nil {
			s.settings.Delete(id)
		}
	})
}

// SetSettings replaces the chain's POS settings (audited).
func (s *Service) SetSettings(ctx context.Context, actor *tenant.Principal, in SettingsInput) (Settings, error) {
	var out Settings
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		err := tenant.DB(ctx).Raw(`INSERT INTO pos_settings (tenant_id, rounding, variance_tolerance, return_approval_limit, cashier_discount_bp, receipt_footer,
				seller_name, seller_tax_id, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, now())
			ON CONFLICT (tenant_id, id) DO UPDATE SET rounding = EXCLUDED.rounding, variance_tolerance = EXCLUDED.variance_tolerance,
				return_approval_limit = EXCLUDED.return_approval_limit, cashier_discount_bp = EXCLUDED.cashier_discount_bp,
				receipt_footer = EXCLUDED.receipt_footer, seller_name = EXCLUDED.seller_name, seller_tax_id = EXCLUDED.seller_tax_id,
				updated_by = EXCLUDED.updated_by, updated_at = now()
			RETURNING rounding, variance_tolerance, return_approval_limit, cashier_discount_bp, receipt_footer, seller_name, seller_tax_id, updated_at`,
			actor.TenantID, in.Rounding, in.VarianceTolerance, in.ReturnApprovalLimit, in.CashierDiscountBP, in.ReceiptFooter,
			in.SellerName, in.SellerTaxID, actor.UserID).Scan(&out).Error
		if err != nil {
			return fmt.Errorf("pos: save settings: %w", err)
		}
		s.forgetSettings(ctx, actor.TenantID)
		return audit.Record(ctx, audit.Entry{Action: "pos.settings_update", ObjectType: "pos_settings", ObjectID: actor.TenantID.String(),
			Detail: map[string]any{"rounding": in.Rounding, "variance_tolerance": in.VarianceTolerance,
				"return_approval_limit": in.ReturnApprovalLimit, "cashier_discount_bp": in.CashierDiscountBP}})
	})
	return out, err
}
