package members

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"chainstore/tenant"
	"chainstore/tenant/audit"
)

// Tiers, gifts and top-up rules are deactivated, never deleted: members,
// ledger entries and audit rows point at them. An inactive tier is not the
// entry tier of new members and nobody qualifies for it (members on it
// move at the next re-evaluation); an inactive gift cannot be redeemed; an
// inactive top-up rule grants no bonus.

func activeAction(active bool) string {
	if active {
		return "activate"
	}
	return "deactivate"
}

// SetTierActive activates or deactivates a tier (audited).
func (s *Service) SetTierActive(ctx context.Context, tenantID, id uuid.UUID, active bool) (Tier, error) {
	var out Tier
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		res := tenant.DB(ctx).Exec(`UPDATE member_tiers SET active = ?, updated_at = now() WHERE tenant_id = ? AND id = ? AND active <> ?`,
			active, tenantID, id, active)
		if res.Error != nil {
			return fmt.Errorf("members: set tier active: %w", res.Error)
		}
		var err error
		if out, err = getTier(tenant.DB(ctx), tenantID, id); err != nil {
			return err
		}
		if res.RowsAffected == 0 {
			return nil
		}
		return audit.Record(ctx, audit.Entry{Action: "member_tier." + activeAction(active), ObjectType: "member_tier", ObjectID: id.String()})
	})
	return out, err
}

// SetGiftActive activates or deactivates a gift of the catalog (audited).
func (s *Service) SetGiftActive(ctx context.Context, tenantID, id uuid.UUID, active bool) (Gift, error) {
	var out Gift
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		res := db.Exec(`UPDATE member_gifts SET active = ? WHERE tenant_id = ? AND id = ? AND active <> ?`, active, tenantID, id, active)
		if res.Error != nil {
			return fmt.Errorf("members: set gift active: %w", res.Error)
		}
		var rows []Gift
		if err := db.Raw(`SELECT id, name, points_cost, stock, active, created_at FROM member_gifts WHERE tenant_id = ? AND id = ?`, tenantID, id).Scan(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return ErrGiftNotFound
		}
		out = rows[0]
		if res.RowsAffected == 0 {
			return nil
		}
		return audit.Record(ctx, audit.Entry{Action: "member_gift." + activeAction(active), ObjectType: "member_gift", ObjectID: id.String()})
	})
	return out, err
}

// SetTopupRuleActive activates or deactivates a top-up bonus rule (audited).
func (s *Service) SetTopupRuleActive(ctx context.Context, tenantID, id uuid.UUID, active bool) (TopupRule, error) {
	var out TopupRule
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		res := db.Exec(`UPDATE topup_rules SET active = ? WHERE tenant_id = ? AND id = ? AND active <> ?`, active, tenantID, id, active)
		if res.Error != nil {
			return fmt.Errorf("members: set top-up rule active: %w", res.Error)
		}
		var rows []TopupRule
		if err := db.Raw(`SELECT id, name, min_amount, bonus, active, created_at FROM topup_rules WHERE tenant_id = ? AND id = ?`, tenantID, id).Scan(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return ErrRuleNotFound
		}
		out = rows[0]
		if res.RowsAffected == 0 {
			return nil
		}
		return audit.Record(ctx, audit.Entry{Action: "topup_rule." + activeAction(active), ObjectType: "topup_rule", ObjectID: id.String()})
	})
	return out, err
}
