package pos

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"chainstore/tenant"
	"chainstore/tenant/audit"
)

// defaultSettings apply until a chain saves its own.
var defaultSettings = Settings{Rounding: "fen", VarianceTolerance: 1000, ReturnApprovalLimit: 20000}

type settingsKey struct{ tenantID uuid.UUID }

// Settings returns the chain's POS settings (read once per transaction).
func (s *Service) Settings(ctx context.Context, tenantID uuid.UUID) (Settings, error) {
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
	return out, err
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
		tenant.Forget(ctx, settingsKey{actor.TenantID})
		return audit.Record(ctx, audit.Entry{Action: "pos.settings_update", ObjectType: "pos_settings", ObjectID: actor.TenantID.String(),
			Detail: map[string]any{"rounding": in.Rounding, "variance_tolerance": in.VarianceTolerance,
				"return_approval_limit": in.ReturnApprovalLimit, "cashier_discount_bp": in.CashierDiscountBP}})
	})
	return out, err
}
