package members

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"chainstore/infra/postgres"
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
	return setActive[Tier](s, ctx, tenantID, id, active, switchable{"member_tiers", tierColumns, "member_tier", ErrTierNotFound, true})
}

// SetGiftActive activates or deactivates a gift of the catalog (audited).
func (s *Service) SetGiftActive(ctx context.Context, tenantID, id uuid.UUID, active bool) (Gift, error) {
	return setActive[Gift](s, ctx, tenantID, id, active, switchable{"member_gifts", giftColumns, "member_gift", ErrGiftNotFound, false})
}

// SetTopupRuleActive activates or deactivates a top-up bonus rule (audited).
func (s *Service) SetTopupRuleActive(ctx context.Context, tenantID, id uuid.UUID, active bool) (TopupRule, error) {
	return setActive[TopupRule](s, ctx, tenantID, id, active, switchable{"topup_rules", topupRuleColumns, "topup_rule", ErrRuleNotFound, false})
}

// switchable is a table whose rows are switched on and off (constants of
// this file, never input).
type switchable struct {
	table, columns, object string
	notFound               error
	touches                bool // the table keeps updated_at
}

// setActive sets a row's active flag and returns the row; a change (not a
// repeat) is audited as <object>.activate or .deactivate.
func setActive[T any](s *Service, ctx context.Context, tenantID, id uuid.UUID, active bool, t switchable) (T, error) {
	var out T
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		set := "active = ?"
		if t.touches {
			set += ", updated_at = now()"
		}
		res := db.Exec(`UPDATE `+t.table+` SET `+set+` WHERE tenant_id = ? AND id = ? AND active <> ?`, active, tenantID, id, active)
		if res.Error != nil {
			return fmt.Errorf("members: set %s active: %w", t.object, res.Error)
		}
		var err error
		if out, err = postgres.One[T](db, t.notFound, `SELECT `+t.columns+` FROM `+t.table+` WHERE tenant_id = ? AND id = ?`, tenantID, id); err != nil {
			return err
		}
		if res.RowsAffected == 0 {
			return nil
		}
		return audit.Record(ctx, audit.Entry{Action: t.object + "." + activeAction(active), ObjectType: t.object, ObjectID: id.String()})
	})
	return out, err
}
