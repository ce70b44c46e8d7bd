package members

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"chainstore/infra/doc"
	"chainstore/infra/problem"
	"chainstore/tenant"
	"chainstore/tenant/audit"
)

// historyIDs is the member and every member merged into it.
func historyIDs(ctx context.Context, tenantID, id uuid.UUID) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	err := tenant.DB(ctx).Raw(`WITH RECURSIVE h(id) AS (SELECT ?::uuid UNION SELECT m.id FROM members m JOIN h ON m.merged_into = h.id WHERE m.tenant_id = ?)
		SELECT id FROM h`, id, tenantID).Scan(&ids).Error
	return ids, err
}

// View returns the member 360 view: profile, cards, points and
// stored-value ledgers (newest first, including members merged into it),
// coupons. full reveals personal data and is audited.
func (s *Service) View(ctx context.Context, tenantID, id uuid.UUID, full bool) (View360, error) {
	var out View360
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		snap, err := s.get(ctx, tenantID, id)
		if err != nil {
			return err
		}
		if out.Member, err = s.reveal(ctx, tenantID, snap, full, "view", nil); err != nil {
			return err
		}
		ids, err := historyIDs(ctx, tenantID, id)
		if err != nil {
			return err
		}
		out.PointsLedger, out.ValueLedger, out.Coupons, out.Cards = []PointsEntry{}, []ValueEntry{}, []Coupon{}, []Card{}
		if err := db.Raw(`SELECT `+pointsEntryColumns+` FROM points_ledger WHERE tenant_id = ? AND member_id IN ? ORDER BY id DESC LIMIT 200`, tenantID, ids).Scan(&out.PointsLedger).Error; err != nil {
			return err
		}
		if err := db.Raw(`SELECT `+valueEntryColumns+` FROM stored_value_ledger WHERE tenant_id = ? AND member_id IN ? ORDER BY id DESC LIMIT 200`, tenantID, ids).Scan(&out.ValueLedger).Error; err != nil {
			return err
		}
		if err := db.Raw(`SELECT id, code, source, status, valid_until, issued_at FROM member_coupons WHERE tenant_id = ? AND member_id IN ? ORDER BY id DESC`, tenantID, ids).Scan(&out.Coupons).Error; err != nil {
			return err
		}
		if err := db.Raw(`SELECT id, number, kind, status, issued_at FROM member_cards WHERE tenant_id = ? AND member_id = ? ORDER BY id DESC`, tenantID, id).Scan(&out.Cards).Error; err != nil {
			return err
		}
		out.RecentPurchases = []any{}
		if s.Purchases != nil {
			p, err := s.Purchases(ctx, tenantID, id, 20)
			if err != nil {
				return err
			}
			out.RecentPurchases = p
		}
		return nil
	})
	return out, err
}

// Export returns everything held about the member, decrypted, for a PIPL
// access request (audited as an export).
func (s *Service) Export(ctx context.Context, tenantID, id uuid.UUID) (View360, error) {
	var out View360
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var err error
		if out, err = s.View(ctx, tenantID, id, true); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "member.export", ObjectType: "member", ObjectID: id.String()})
	})
	return out, err
}

// Erase anonymises a member on request (PIPL): personal columns, blind
// index, tags and birth month are cleared and the card cancelled; ledgers
// stay intact (they hold no personal data). Refused while stored value
// remains (it must be cashed out first). Audited.
func (s *Service) Erase(ctx context.Context, tenantID, id uuid.UUID) error {
	return s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		acc, err := lockAccount(db, tenantID, id)
		if err != nil {
			return err
		}
		// Any stored value left (bonus too) must be cashed out first, so the
		// ledger releases the liability (a bonus left on an erased member
		// would be owed forever).
		if acc.BalancePrincipal+acc.BalanceBonus > 0 {
			return ErrBalanceNotZero.WithDetail("%d fen of principal and %d of bonus remain; cash out first", acc.BalancePrincipal, acc.BalanceBonus)
		}
		if err := s.touched(ctx, tenantID, id); err != nil {
			return err
		}
		if err := db.Exec(`UPDATE members SET name_enc = NULL, phone_enc = NULL, birthday_enc = NULL, address_enc = NULL, phone_index = NULL,
			birth_month = NULL, gender = 'unknown', tags = '{}', marketing_consent = false, status = 'erased', erased_at = now(), updated_at = now()
			WHERE tenant_id = ? AND id = ?`, tenantID, id).Error; err != nil {
			return fmt.Errorf("members: erase: %w", err)
		}
		if err := db.Exec(`UPDATE member_cards SET status = 'cancelled', changed_at = now() WHERE tenant_id = ? AND member_id = ? AND status <> 'cancelled'`, tenantID, id).Error; err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "member.erase", ObjectType: "member", ObjectID: id.String()})
	})
}

// Merge folds member `from` into `into`: points lots (with their expiry)
// and stored-value lots (with their loading store) move whole, points and
// stored value through 'merge' ledger entries; from's card
// is cancelled, its phone index cleared and it is marked merged, so its
// history shows in into's 360 view. Audited.
func (s *Service) Merge(ctx context.Context, tenantID, into, from uuid.UUID) (Member, error) {
	var out Member
	if into == from {
		return out, ErrInvalid.WithFields(problem.FieldError{Field: "from_member_id", Message: "must be another member"})
	}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		// Lock in id order so two opposite merges cannot deadlock.
		first, second := into, from
		if from.String() < into.String() {
			first, second = from, into
		}
		accs := map[uuid.UUID]account{}
		for _, id := range []uuid.UUID{first, second} {
			a, err := lockAccount(db, tenantID, id)
			if err != nil {
				return err
			}
			accs[id] = a
		}
		if err := s.touched(ctx, tenantID, from); err != nil {
			return err
		}
		src, srcOut := doc.Of("merge", from), doc.Of("merge_out", from)
		at := s.clock.Now()
		fa, ia := accs[from], accs[into]
		if fa.Points > 0 {
			if _, err := s.writeEntry(ctx, tenantID, entryArgs{memberID: from, kind: "merge", points: -fa.Points, src: srcOut,
				note: "merged into " + into.String(), at: at}, 0); err != nil {
				return err
			}
			if _, err := s.writeEntry(ctx, tenantID, entryArgs{memberID: into, kind: "merge", points: fa.Points, src: src,
				note: "merged from " + from.String(), at: at}, ia.Points+fa.Points); err != nil {
				return err
			}
			if err := db.Exec(`UPDATE points_lots SET member_id = ? WHERE tenant_id = ? AND member_id = ? AND remaining > 0`, into, tenantID, from).Error; err != nil {
				return err
			}
		}
		if fa.BalancePrincipal+fa.BalanceBonus > 0 {
			if _, err := s.moveValue(ctx, tenantID, fa, valueArgs{memberID: from, kind: "merge", principal: -fa.BalancePrincipal, bonus: -fa.BalanceBonus,
				src: srcOut}); err != nil {
				return err
			}
			if _, err := s.moveValue(ctx, tenantID, ia, valueArgs{memberID: into, kind: "merge", principal: fa.BalancePrincipal, bonus: fa.BalanceBonus, src: src}); err != nil {
				return err
			}
			// The lots move whole, keeping where they were loaded.
			if err := db.Exec(`UPDATE stored_value_lots SET member_id = ? WHERE tenant_id = ? AND member_id = ? AND remaining_principal + remaining_bonus > 0`,
				into, tenantID, from).Error; err != nil {
				return err
			}
		}
		if err := db.Exec(`UPDATE members SET status = 'merged', merged_into = ?, phone_index = NULL, updated_at = now() WHERE tenant_id = ? AND id = ?`, into, tenantID, from).Error; err != nil {
			return err
		}
		if err := db.Exec(`UPDATE members i SET total_spend = i.total_spend + f.total_spend, visit_count = i.visit_count + f.visit_count,
			last_visit_at = GREATEST(i.last_visit_at, f.last_visit_at), updated_at = now()
			FROM members f WHERE i.tenant_id = ? AND i.id = ? AND f.tenant_id = i.tenant_id AND f.id = ?`, tenantID, into, from).Error; err != nil {
			return err
		}
		if err := db.Exec(`UPDATE member_cards SET status = 'cancelled', changed_at = now() WHERE tenant_id = ? AND member_id = ? AND status <> 'cancelled'`, tenantID, from).Error; err != nil {
			return err
		}
		if _, err := s.retier(ctx, tenantID, into, at, true); err != nil {
			return err
		}
		if err := s.touched(ctx, tenantID, into); err != nil {
			return err
		}
		if err := audit.Record(ctx, audit.Entry{Action: "member.merge", ObjectType: "member", ObjectID: into.String(),
			Detail: map[string]any{"from": from, "points": fa.Points, "principal": fa.BalancePrincipal, "bonus": fa.BalanceBonus}}); err != nil {
			return err
		}
		snap, err := s.get(ctx, tenantID, into)
		if err != nil {
			return err
		}
		out, err = s.render(tenantID, snap, false)
		return err
	})
	return out, err
}
