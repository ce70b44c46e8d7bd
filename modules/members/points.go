package members

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"chainstore/infra/doc"
	"chainstore/infra/money"
	"chainstore/infra/problem"
	"chainstore/tenant"
	"chainstore/tenant/audit"
)

// PointsRuleOf returns the chain's points rule (the default — 1 point per
// yuan, lots expiring at the end of next year, 100 points = 1 yuan off —
// when HQ has not set one).
func (s *Service) PointsRuleOf(ctx context.Context, tenantID uuid.UUID) (PointsRule, error) {
	var out PointsRule
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var err error
		out, err = s.pointsRule(ctx, tenantID)
		return err
	})
	return out, err
}

func loadPointsRule(db *gorm.DB, tenantID uuid.UUID) (PointsRule, error) {
	var rows []struct {
		PointsPerYuan    int
		Excluded         string
		Expiry           string
		ExpiryDays       int
		PointsPerYuanOff int
	}
	err := db.Raw(`SELECT points_per_yuan, array_to_json(excluded_category_ids)::text AS excluded, expiry, expiry_days, points_per_yuan_off
		FROM points_rules WHERE tenant_id = ?`, tenantID).Scan(&rows).Error
	if err != nil {
		return PointsRule{}, fmt.Errorf("members: points rule: %w", err)
	}
	r := PointsRule{PointsPerYuan: 1, Expiry: "end_of_next_year", ExpiryDays: 365, PointsPerYuanOff: 100, ExcludedCategoryIDs: []uuid.UUID{}}
	if len(rows) == 1 {
		r = PointsRule{PointsPerYuan: rows[0].PointsPerYuan, Expiry: rows[0].Expiry, ExpiryDays: rows[0].ExpiryDays, PointsPerYuanOff: rows[0].PointsPerYuanOff}
		if err := jsonUnmarshal(rows[0].Excluded, &r.ExcludedCategoryIDs); err != nil {
			return r, err
		}
		if r.ExcludedCategoryIDs == nil {
			r.ExcludedCategoryIDs = []uuid.UUID{}
		}
	}
	return r, nil
}

// SetPointsRule replaces the chain's points rule (audited).
func (s *Service) SetPointsRule(ctx context.Context, tenantID uuid.UUID, in PointsRuleInput) (PointsRule, error) {
	var out PointsRule
	if in.ExpiryDays == 0 {
		in.ExpiryDays = 365
	}
	if in.ExcludedCategoryIDs == nil {
		in.ExcludedCategoryIDs = []uuid.UUID{}
	}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		ids := make([]string, len(in.ExcludedCategoryIDs))
		for i, id := range in.ExcludedCategoryIDs {
			ids[i] = id.String()
		}
		err := db.Exec(`INSERT INTO points_rules (tenant_id, id, points_per_yuan, excluded_category_ids, expiry, expiry_days, points_per_yuan_off)
			VALUES (?, ?, ?, ARRAY(SELECT jsonb_array_elements_text(?::jsonb))::uuid[], ?, ?, ?)
			ON CONFLICT (tenant_id) DO UPDATE SET points_per_yuan = EXCLUDED.points_per_yuan, excluded_category_ids = EXCLUDED.excluded_category_ids,
				expiry = EXCLUDED.expiry, expiry_days = EXCLUDED.expiry_days, points_per_yuan_off = EXCLUDED.points_per_yuan_off, updated_at = now()`,
			tenantID, uuid.Must(uuid.NewV7()), in.PointsPerYuan, jsonArray(ids), in.Expiry, in.ExpiryDays, in.PointsPerYuanOff).Error
		if err != nil {
			return fmt.Errorf("members: set points rule: %w", err)
		}
		s.rulesChanged(ctx, tenantID)
		if out, err = s.pointsRule(ctx, tenantID); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "points_rule.update", ObjectType: "points_rule", ObjectID: tenantID.String(),
			Detail: map[string]any{"rule": out}})
	})
	return out, err
}

// expiryOf is when points earned at `at` expire: at the first instant of
// the year after next, in the zone of the place they were earned (the
// store's; the chain's for HQ), so a lot earned on a store's New Year's Eve
// belongs to the year of that store's business date; after N days; or
// never.
func expiryOf(r PointsRule, loc *time.Location, at time.Time) *time.Time {
	var t time.Time
	switch r.Expiry {
	case "never":
		return nil
	case "days":
		t = at.Add(time.Duration(r.ExpiryDays) * 24 * time.Hour)
	default:
		t = time.Date(at.In(loc).Year()+2, 1, 1, 0, 0, 0, 0, loc)
	}
	t = t.UTC()
	return &t
}

type entryArgs struct {
	memberID   uuid.UUID
	kind       string
	points     int64 // signed
	tierPoints int64
	spend      int64
	value      int64
	storeID    *uuid.UUID
	src        doc.Source // a nil id is stored as NULL (a person's adjustment)
	reverses   *uuid.UUID
	note       string
	at         time.Time
}

func actorOf(ctx context.Context) *uuid.UUID {
	if p, ok := tenant.From(ctx); ok {
		return &p.UserID
	}
	return nil
}

// writeEntry records a points entry and the member's new balance in one
// statement (account locked by the caller).
func (s *Service) writeEntry(ctx context.Context, tenantID uuid.UUID, a entryArgs, balanceAfter int64) (PointsEntry, error) {
	var rows []PointsEntry
	err := tenant.DB(ctx).Raw(`WITH balance AS (UPDATE member_accounts SET points = ?, updated_at = now() WHERE tenant_id = ? AND member_id = ?)
		INSERT INTO points_ledger (tenant_id, id, member_id, kind, points, balance_after, tier_points, spend, value, store_id,
			source_type, source_id, reverses_id, note, actor_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING `+pointsEntryColumns,
		balanceAfter, tenantID, a.memberID,
		tenantID, uuid.Must(uuid.NewV7()), a.memberID, a.kind, a.points, balanceAfter, a.tierPoints, a.spend, a.value, a.storeID,
		a.src.Type, sourceID(a.src), a.reverses, a.note, actorOf(ctx), a.at).Scan(&rows).Error
	e, err := pointsLedger.written(rows, err, a.kind, a.src)
	if err != nil {
		return e, err
	}
	return e, s.touched(ctx, tenantID, a.memberID)
}

// credit adds points as a new lot (account already locked).
func (s *Service) credit(ctx context.Context, tenantID uuid.UUID, acc account, a entryArgs, expires *time.Time) (PointsEntry, error) {
	e, err := s.writeEntry(ctx, tenantID, a, acc.Points+a.points)
	if err != nil || a.points <= 0 {
		return e, err
	}
	err = tenant.DB(ctx).Exec(`INSERT INTO points_lots (tenant_id, id, member_id, ledger_id, points, remaining, store_id, earned_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, tenantID, uuid.Must(uuid.NewV7()), a.memberID, e.ID, a.points, a.points, a.storeID, a.at, expires).Error
	if err != nil {
		return e, fmt.Errorf("members: points lot: %w", err)
	}
	return e, nil
}

// pointsTake is what a burn takes from one lot.
type pointsTake struct {
	LotID  uuid.UUID `json:"lot_id"`
	Points int64     `json:"points"` // positive
}

// debit takes -a.points from the member's lots, oldest expiry first (after
// expiring what is due at a.at); preferLot is drained first (a reversed
// earn takes back its own lot). The moves record which lots paid. However
// many lots pay, it costs the same statements.
func (s *Service) debit(ctx context.Context, tenantID uuid.UUID, acc account, a entryArgs, preferLot *uuid.UUID) (PointsEntry, error) {
	db := tenant.DB(ctx)
	expired, err := s.expireMember(ctx, tenantID, a.memberID, acc.Points, a.at)
	if err != nil {
		return PointsEntry{}, err
	}
	acc.Points -= expired
	need := -a.points
	if need > acc.Points {
		return PointsEntry{}, ErrInsufficientPoints.WithDetail("the member has %d points; %d needed", acc.Points, need)
	}
	var lots []struct {
		ID        uuid.UUID
		Remaining int64
	}
	order := "expires_at NULLS LAST, earned_at, id"
	args := []any{tenantID, a.memberID}
	if preferLot != nil {
		order = "(id = ?) DESC, " + order
		args = append(args, *preferLot)
	}
	if err := db.Raw(`SELECT id, remaining FROM points_lots WHERE tenant_id = ? AND member_id = ? AND remaining > 0
		ORDER BY `+order+` FOR UPDATE`, args...).Scan(&lots).Error; err != nil {
		return PointsEntry{}, fmt.Errorf("members: lots: %w", err)
	}
	var takes []pointsTake
	left := need
	for _, l := range lots {
		if left == 0 {
			break
		}
		take := min(left, l.Remaining)
		takes, left = append(takes, pointsTake{LotID: l.ID, Points: take}), left-take
	}
	if left != 0 {
		return PointsEntry{}, fmt.Errorf("members: lots of %s do not cover the balance (%d short)", a.memberID, left)
	}
	e, err := s.writeEntry(ctx, tenantID, a, acc.Points-need)
	if err != nil {
		return e, err
	}
	if len(takes) == 0 {
		return e, nil
	}
	err = db.Exec(`WITH t AS (SELECT * FROM jsonb_to_recordset(?::jsonb) AS t(lot_id uuid, points bigint)),
			lots AS (UPDATE points_lots l SET remaining = l.remaining - t.points FROM t WHERE l.tenant_id = ? AND l.id = t.lot_id)
		INSERT INTO points_lot_moves (tenant_id, ledger_id, lot_id, points) SELECT ?::uuid, ?::uuid, t.lot_id, -t.points FROM t`,
		rowsJSON(takes), tenantID, tenantID, e.ID).Error
	if err != nil {
		return e, fmt.Errorf("members: consume lots: %w", err)
	}
	return e, nil
}

// earnLineLimit bounds the lines of one sale.
const earnLineLimit = 1000

// EarnPoints credits the points a sale at in.StoreID earns: eligible amount
// (lines in excluded categories earn nothing) × points per yuan × the
// tier's multiplier, rounded down, as a lot expiring by the rule (in the
// store's zone). The sale's whole amount counts as spend; the member is
// upgraded at once if it qualifies. Idempotent per source. An unknown
// store is org.ErrStoreNotFound.
func (s *Service) EarnPoints(ctx context.Context, tenantID uuid.UUID, in EarnInput) (PointsEntry, error) {
	var out PointsEntry
	if in.At.IsZero() {
		in.At = s.clock.Now()
	}
	var bad []problem.FieldError
	if len(in.Lines) == 0 || len(in.Lines) > earnLineLimit {
		bad = append(bad, problem.FieldError{Field: "lines", Message: "must have 1 to 1000 lines"})
	}
	for i, l := range in.Lines {
		if l.Amount < 0 || l.Amount > 1e12 {
			bad = append(bad, problem.FieldError{Field: fmt.Sprintf("lines[%d].amount", i), Message: "must be 0 to 10^12 fen"})
		}
	}
	if err := in.Source.Valid(); err != nil {
		bad = append(bad, problem.FieldError{Field: "source", Message: err.Error()})
	}
	if len(bad) > 0 {
		return out, ErrInvalid.WithFields(bad...)
	}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		acc, err := lockForEarn(db, tenantID, in.MemberID, in.Source)
		if err != nil {
			return err
		}
		if acc.PrevID != nil {
			prev, err := pointsLedger.replay(db, tenantID, in.MemberID, "earn", in.Source, &in.StoreID, always)
			if prev != nil {
				out = *prev
			}
			return err
		}
		rule, err := s.pointsRule(ctx, tenantID)
		if err != nil {
			return err
		}
		store, err := s.org.Store(ctx, tenantID, in.StoreID)
		if err != nil {
			return err
		}
		points, total := rule.Earned(in.Lines, acc.PointsMultiplier)
		a := entryArgs{memberID: in.MemberID, kind: "earn", points: points, tierPoints: points, spend: total,
			storeID: &in.StoreID, src: in.Source, at: in.At}
		if out, err = writeEarn(db, tenantID, a, acc.Points+points, expiryOf(rule, store.Location, in.At), actorOf(ctx)); err != nil {
			return err
		}
		return s.touchedKeys(ctx, tenantID, in.MemberID, acc.PhoneIndex, acc.Cards)
	})
	return out, err
}

// writeEarnSQL books an earn in one statement (the account locked by the
// caller): the new balance, the ledger entry, its lot (when it earns any
// points), and the member's spend, visit and tier. The tier is retier's
// upward move, weighed over the ledger as the statement found it plus this
// entry (a statement does not see its own inserts; the entry is at the
// window's end, inside every window of at least a day).
const writeEarnSQL = `WITH balance AS (
		UPDATE member_accounts SET points = ?, updated_at = now() WHERE tenant_id = ? AND member_id = ?),
	lot AS (
		INSERT INTO points_lots (tenant_id, id, member_id, ledger_id, points, remaining, store_id, earned_at, expires_at)
		SELECT ?::uuid, ?::uuid, ?::uuid, ?::uuid, ?::bigint, ?::bigint, ?::uuid, ?::timestamptz, ?::timestamptz WHERE ?::bigint > 0),
	q AS (
		SELECT m2.id, (SELECT t.id FROM member_tiers t WHERE t.tenant_id = m2.tenant_id AND t.active AND t.threshold <= (
			SELECT CASE t.basis WHEN 'points' THEN coalesce(sum(l.tier_points), 0) + ?::bigint ELSE coalesce(sum(l.spend), 0) + ?::bigint END
			FROM points_ledger l WHERE l.tenant_id = m2.tenant_id AND l.member_id = m2.id
			  AND l.at > ?::timestamptz - make_interval(days => t.window_days) AND l.at <= ?::timestamptz)
			ORDER BY t.rank DESC LIMIT 1) AS tier
		FROM members m2 WHERE m2.tenant_id = ? AND m2.id = ?),
	member AS (
		UPDATE members m SET total_spend = m.total_spend + ?, visit_count = m.visit_count + 1,
			last_visit_at = GREATEST(m.last_visit_at, ?), updated_at = now(),
			tier_id = CASE WHEN q.tier IS NOT NULL AND (m.tier_id IS NULL OR (SELECT rank FROM member_tiers WHERE tenant_id = m.tenant_id AND id = q.tier) >
				(SELECT rank FROM member_tiers WHERE tenant_id = m.tenant_id AND id = m.tier_id)) THEN q.tier ELSE m.tier_id END
		FROM q WHERE m.tenant_id = ? AND m.id = q.id)
	INSERT INTO points_ledger (tenant_id, id, member_id, kind, points, balance_after, tier_points, spend, value, store_id,
		source_type, source_id, reverses_id, note, actor_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	RETURNING ` + pointsEntryColumns

// writeEarn runs writeEarnSQL for a (an earn of a.points ≥ 0 and a.spend).
func writeEarn(db *gorm.DB, tenantID uuid.UUID, a entryArgs, balanceAfter int64, expires *time.Time, actor *uuid.UUID) (PointsEntry, error) {
	entryID := uuid.Must(uuid.NewV7())
	var rows []PointsEntry
	err := db.Raw(writeEarnSQL,
		balanceAfter, tenantID, a.memberID,
		tenantID, uuid.Must(uuid.NewV7()), a.memberID, entryID, a.points, a.points, a.storeID, a.at, expires, a.points,
		a.tierPoints, a.spend, a.at, a.at, tenantID, a.memberID,
		a.spend, a.at, tenantID,
		tenantID, entryID, a.memberID, a.kind, a.points, balanceAfter, a.tierPoints, a.spend, a.value, a.storeID,
		a.src.Type, sourceID(a.src), a.reverses, a.note, actor, a.at).Scan(&rows).Error
	return pointsLedger.written(rows, err, a.kind, a.src)
}

// Earned is what a sale's lines earn under the rule: whole points, rounded
// down, of the fen in categories the rule does not exclude, at the rule's
// rate (points per yuan) and the tier's multiplier in percent (100 = 1×);
// and the sale's whole amount, which counts as spend. EarnPoints books
// exactly this; a till shows it before the sale.
func (r PointsRule) Earned(lines []EarnLine, multiplier int64) (points, total int64) {
	var eligible int64
	for _, l := range lines {
		total += l.Amount
		if l.CategoryID == nil || !slices.Contains(r.ExcludedCategoryIDs, *l.CategoryID) {
			eligible += l.Amount
		}
	}
	points = money.MulDivDown(money.MulDivDown(eligible, int64(r.PointsPerYuan), 100), multiplier, 100)
	return points, total
}

// PointsValue is what points are worth as a deduction, in fen, rounded
// down: points × 100 / points_per_yuan_off (the RedeemPoints rule).
func (r PointsRule) PointsValue(points int64) int64 {
	if r.PointsPerYuanOff <= 0 {
		return 0
	}
	return money.MulDivDown(points, 100, int64(r.PointsPerYuanOff))
}

// RedeemPoints burns points as a cash deduction at a checkout in storeID:
// any amount the member chooses up to the balance; the entry's Value is the
// fen deducted (points × 100 / points_per_yuan_off, rounded down, at least
// 1 fen). The points come from lots oldest expiry first; the entry's Uses
// is the points and value per earning store (PointsUses() is the finance
// shape the sale's Points takes, so points earned in another entity's
// store are cleared with it). Idempotent per source (a repeat returns the
// first entry, with its Uses).
func (s *Service) RedeemPoints(ctx context.Context, tenantID, memberID, storeID uuid.UUID, points int64, src doc.Source) (PointsEntry, error) {
	var out PointsEntry
	if points <= 0 {
		return out, ErrInvalid.WithFields(problem.FieldError{Field: "points", Message: "must be positive"})
	}
	if err := checkSource(src); err != nil {
		return out, err
	}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		acc, err := lockAccount(db, tenantID, memberID)
		if err != nil {
			return err
		}
		if prev, err := pointsLedger.replay(db, tenantID, memberID, "redeem", src, &storeID, func(e *PointsEntry) bool { return -e.Points == points }); err != nil || prev != nil {
			if prev != nil {
				out = *prev
				return loadPointsUses(db, tenantID, &out)
			}
			return err
		}
		if err := acc.cardUsable(); err != nil {
			return err
		}
		rule, err := s.pointsRule(ctx, tenantID)
		if err != nil {
			return err
		}
		value := rule.PointsValue(points)
		if value <= 0 {
			return ErrInvalid.WithFields(problem.FieldError{Field: "points", Message: fmt.Sprintf("is worth less than 1 fen (%d points = 1 yuan)", rule.PointsPerYuanOff)})
		}
		out, err = s.debit(ctx, tenantID, acc, entryArgs{memberID: memberID, kind: "redeem", points: -points, value: value, storeID: &storeID,
			src: src, at: s.clock.Now()}, nil)
		if err != nil {
			return err
		}
		return loadPointsUses(db, tenantID, &out)
	})
	return out, err
}

// RedeemGift exchanges points for a gift of the catalog (积分兑换), taking
// one from its stock, at storeID (nil: HQ or online). Idempotent per source.
func (s *Service) RedeemGift(ctx context.Context, tenantID, memberID, giftID uuid.UUID, storeID *uuid.UUID, src doc.Source) (PointsEntry, error) {
	var out PointsEntry
	if err := checkSource(src); err != nil {
		return out, err
	}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		acc, err := lockAccount(db, tenantID, memberID)
		if err != nil {
			return err
		}
		if prev, err := pointsLedger.replay(db, tenantID, memberID, "redeem", src, storeID, always); err != nil || prev != nil {
			if prev != nil {
				out = *prev
			}
			return err
		}
		if err := acc.cardUsable(); err != nil {
			return err
		}
		var gifts []Gift
		if err := db.Raw(`UPDATE member_gifts SET stock = stock - 1 WHERE tenant_id = ? AND id = ? AND active AND (stock IS NULL OR stock > 0)
			RETURNING id, name, points_cost, stock, active, created_at`, tenantID, giftID).Scan(&gifts).Error; err != nil {
			return err
		}
		if len(gifts) == 0 {
			var n int64
			if err := db.Raw(`SELECT count(*) FROM member_gifts WHERE tenant_id = ? AND id = ?`, tenantID, giftID).Scan(&n).Error; err != nil {
				return err
			}
			if n == 0 {
				return ErrGiftNotFound
			}
			return ErrGiftUnavailable
		}
		out, err = s.debit(ctx, tenantID, acc, entryArgs{memberID: memberID, kind: "redeem", points: -gifts[0].PointsCost, storeID: storeID,
			src: src, note: "gift " + giftID.String() + " " + gifts[0].Name, at: s.clock.Now()}, nil)
		if err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "member.gift_redeem", ObjectType: "member", ObjectID: memberID.String(), StoreID: storeID,
			Detail: map[string]any{"gift_id": giftID, "points": gifts[0].PointsCost}})
	})
	return out, err
}

// ReversePoints undoes an earn (its points are taken back, its own lot
// first, and its spend no longer counts toward tiers) or a redeem (the
// points come back as a lot expiring with the latest lot it consumed),
// recorded at the original entry's store. One reversal per entry; a repeat
// returns the first.
func (s *Service) ReversePoints(ctx context.Context, tenantID, entryID uuid.UUID, src doc.Source) (PointsEntry, error) {
	var out PointsEntry
	if err := checkSource(src); err != nil {
		return out, err
	}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		orig, err := pointsLedger.find(db, tenantID, "id = ?", entryID)
		if err != nil {
			return err
		}
		if orig == nil {
			return ErrEntryNotFound
		}
		memberID := orig.MemberID
		acc, err := lockAccount(db, tenantID, memberID)
		if err != nil {
			return err
		}
		if prev, err := pointsLedger.find(db, tenantID, "kind = 'reverse' AND reverses_id = ?", entryID); err != nil || prev != nil {
			if prev != nil && prev.Points != -orig.Points {
				return ErrInvalid.WithDetail("the entry was partly reversed by a return; reverse what is left with the return's own document")
			}
			if prev != nil {
				out = *prev
			}
			return err
		}
		a := entryArgs{memberID: memberID, kind: "reverse", points: -orig.Points, value: -orig.Value, storeID: orig.StoreID, src: src,
			reverses: &orig.ID, at: s.clock.Now()}
		switch orig.Kind {
		case "earn":
			a.tierPoints, a.spend = -orig.Points, -orig.Spend
			var lot *uuid.UUID
			var lots []uuid.UUID
			if err := db.Raw(`SELECT id FROM points_lots WHERE tenant_id = ? AND ledger_id = ?`, tenantID, orig.ID).Scan(&lots).Error; err != nil {
				return err
			}
			if len(lots) > 0 {
				lot = &lots[0]
			}
			if orig.Points > 0 {
				out, err = s.debit(ctx, tenantID, acc, a, lot)
			} else {
				out, err = s.writeEntry(ctx, tenantID, a, acc.Points)
			}
			if err != nil {
				return err
			}
			if err := db.Exec(`UPDATE members SET total_spend = total_spend - ?, updated_at = now() WHERE tenant_id = ? AND id = ?`, orig.Spend, tenantID, memberID).Error; err != nil {
				return err
			}
			_, err = s.retier(ctx, tenantID, memberID, a.at, false)
			return err
		case "redeem":
			var exp *time.Time
			if err := db.Raw(`SELECT max(l.expires_at) FROM points_lot_moves mv JOIN points_lots l ON l.tenant_id = mv.tenant_id AND l.id = mv.lot_id
				WHERE mv.tenant_id = ? AND mv.ledger_id = ?`, tenantID, orig.ID).Scan(&exp).Error; err != nil {
				return err
			}
			out, err = s.credit(ctx, tenantID, acc, a, exp)
			return err
		default:
			return ErrInvalid.WithDetail("only earn and redeem entries can be reversed")
		}
	})
	return out, err
}

// ReversePointsPart gives back part of an earn or a redeem for a return
// (src is the return's document): for an earn, points of it are taken
// back (its own lot first) with the same share of its spend; for a
// redeem, points come back as a lot expiring with the latest lot it
// consumed, with the same share of its value. Several parts may reverse
// one entry, never more than it moved (ErrInvalid). Idempotent per src.
func (s *Service) ReversePointsPart(ctx context.Context, tenantID, entryID uuid.UUID, points int64, src doc.Source) (PointsEntry, error) {
	var out PointsEntry
	if err := checkSource(src); err != nil {
		return out, err
	}
	if points <= 0 {
		return out, ErrInvalid.WithFields(problem.FieldError{Field: "points", Message: "must be positive"})
	}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		orig, err := pointsLedger.find(db, tenantID, "id = ?", entryID)
		if err != nil {
			return err
		}
		if orig == nil {
			return ErrEntryNotFound
		}
		if orig.Kind != "earn" && orig.Kind != "redeem" {
			return ErrInvalid.WithDetail("only earn and redeem entries can be reversed")
		}
		acc, err := lockAccount(db, tenantID, orig.MemberID)
		if err != nil {
			return err
		}
		// One return may reverse both the earn and the redeem of its sale:
		// a replay is the same document reversing the same entry.
		if prev, err := pointsLedger.find(db, tenantID, "kind = 'reverse' AND source_type = ? AND source_id = ? AND reverses_id = ?",
			src.Type, src.ID, entryID); err != nil || prev != nil {
			if prev != nil && abs64(prev.Points) != points {
				return ErrSourceReused.WithDetail("%s already reversed %d points of the entry", src, abs64(prev.Points))
			}
			if prev != nil {
				out = *prev
			}
			return err
		}
		var done int64
		if err := db.Raw(`SELECT coalesce(sum(abs(points)), 0) FROM points_ledger WHERE tenant_id = ? AND kind = 'reverse' AND reverses_id = ?`,
			tenantID, entryID).Scan(&done).Error; err != nil {
			return err
		}
		whole := abs64(orig.Points)
		if done+points > whole {
			return ErrInvalid.WithDetail("%d points of the entry are left to reverse; %d asked", whole-done, points)
		}
		sign := int64(1)
		if orig.Points > 0 {
			sign = -1
		}
		a := entryArgs{memberID: orig.MemberID, kind: "reverse", points: sign * points, storeID: orig.StoreID, src: src, reverses: &orig.ID,
			value: -money.MulDiv(orig.Value, points, whole), at: s.clock.Now()}
		if orig.Kind == "earn" {
			spend := money.MulDiv(orig.Spend, points, whole)
			a.tierPoints, a.spend = a.points, -spend
			var lots []uuid.UUID
			if err := db.Raw(`SELECT id FROM points_lots WHERE tenant_id = ? AND ledger_id = ?`, tenantID, orig.ID).Scan(&lots).Error; err != nil {
				return err
			}
			var lot *uuid.UUID
			if len(lots) > 0 {
				lot = &lots[0]
			}
			if out, err = s.debit(ctx, tenantID, acc, a, lot); err != nil {
				return err
			}
			if err := db.Exec(`UPDATE members SET total_spend = total_spend - ?, updated_at = now() WHERE tenant_id = ? AND id = ?`,
				spend, tenantID, orig.MemberID).Error; err != nil {
				return err
			}
			_, err = s.retier(ctx, tenantID, orig.MemberID, a.at, false)
			return err
		}
		var exp *time.Time
		if err := db.Raw(`SELECT max(l.expires_at) FROM points_lot_moves mv JOIN points_lots l ON l.tenant_id = mv.tenant_id AND l.id = mv.lot_id
			WHERE mv.tenant_id = ? AND mv.ledger_id = ?`, tenantID, orig.ID).Scan(&exp).Error; err != nil {
			return err
		}
		out, err = s.credit(ctx, tenantID, acc, a, exp)
		return err
	})
	return out, err
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// AdjustPoints adds (positive) or removes (negative) points by hand at HQ,
// with a reason (points added expire by the rule in the chain's zone);
// audited.
func (s *Service) AdjustPoints(ctx context.Context, tenantID, memberID uuid.UUID, delta int64, note string) (PointsEntry, error) {
	var out PointsEntry
	if delta == 0 {
		return out, ErrInvalid.WithFields(problem.FieldError{Field: "points", Message: "must not be zero"})
	}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		acc, err := lockAccount(tenant.DB(ctx), tenantID, memberID)
		if err != nil {
			return err
		}
		now := s.clock.Now()
		a := entryArgs{memberID: memberID, kind: "adjust", points: delta, src: doc.Source{Type: doc.Manual}, note: note, at: now}
		if delta > 0 {
			rule, err := s.pointsRule(ctx, tenantID)
			if err != nil {
				return err
			}
			loc, err := s.org.ChainLocation(ctx, tenantID)
			if err != nil {
				return err
			}
			out, err = s.credit(ctx, tenantID, acc, a, expiryOf(rule, loc, now))
		} else {
			out, err = s.debit(ctx, tenantID, acc, a, nil)
		}
		if err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "member.points_adjust", ObjectType: "member", ObjectID: memberID.String(),
			Detail: map[string]any{"points": delta, "note": note, "entry_id": out.ID}})
	})
	return out, err
}

// expireMember expires the member's lots due at `at` (account locked, its
// balance points): one 'expire' entry per lot, all written in one
// statement; returns the points expired.
func (s *Service) expireMember(ctx context.Context, tenantID, memberID uuid.UUID, points int64, at time.Time) (int64, error) {
	db := tenant.DB(ctx)
	var lots []struct {
		ID        uuid.UUID
		Remaining int64
	}
	if err := db.Raw(`SELECT id, remaining FROM points_lots WHERE tenant_id = ? AND member_id = ? AND remaining > 0 AND expires_at <= ?
		ORDER BY expires_at, id FOR UPDATE`, tenantID, memberID, at).Scan(&lots).Error; err != nil {
		return 0, fmt.Errorf("members: due lots: %w", err)
	}
	if len(lots) == 0 {
		return 0, nil
	}
	type expiry struct {
		LotID        uuid.UUID `json:"lot_id"`
		EntryID      uuid.UUID `json:"entry_id"`
		Points       int64     `json:"points"`
		BalanceAfter int64     `json:"balance_after"`
	}
	rows := make([]expiry, len(lots))
	var total int64
	for i, l := range lots {
		total += l.Remaining
		rows[i] = expiry{LotID: l.ID, EntryID: uuid.Must(uuid.NewV7()), Points: l.Remaining, BalanceAfter: points - total}
	}
	err := db.Exec(`WITH d AS (SELECT * FROM jsonb_to_recordset(?::jsonb) AS d(lot_id uuid, entry_id uuid, points bigint, balance_after bigint)),
			entries AS (INSERT INTO points_ledger (tenant_id, id, member_id, kind, points, balance_after, source_type, source_id, actor_id, at)
				SELECT ?::uuid, d.entry_id, ?::uuid, 'expire', -d.points, d.balance_after, 'lot', d.lot_id, ?::uuid, ?::timestamptz FROM d),
			lots AS (UPDATE points_lots l SET remaining = 0 FROM d WHERE l.tenant_id = ? AND l.id = d.lot_id),
			moves AS (INSERT INTO points_lot_moves (tenant_id, ledger_id, lot_id, points) SELECT ?::uuid, d.entry_id, d.lot_id, -d.points FROM d)
		UPDATE member_accounts SET points = ?, updated_at = now() WHERE tenant_id = ? AND member_id = ?`,
		rowsJSON(rows), tenantID, memberID, actorOf(ctx), at, tenantID, tenantID, points-total, tenantID, memberID).Error
	if err != nil {
		return 0, fmt.Errorf("members: expire lots: %w", err)
	}
	return total, s.touched(ctx, tenantID, memberID)
}

// ExpirePoints is the expiry job's body for one tenant: every lot due at
// now loses what remains, one 'expire' entry per lot (merged and erased
// members' too). Idempotent; returns the number of members touched.
func (s *Service) ExpirePoints(ctx context.Context, tenantID uuid.UUID, now time.Time) (int, error) {
	var n int
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		var ids []uuid.UUID
		if err := db.Raw(`SELECT DISTINCT member_id FROM points_lots WHERE tenant_id = ? AND remaining > 0 AND expires_at <= ?`, tenantID, now).Scan(&ids).Error; err != nil {
			return err
		}
		for _, id := range ids {
			acc, err := lockAccount(db, tenantID, id)
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil && !errors.Is(err, ErrInactive) {
				return err
			}
			if _, err := s.expireMember(ctx, tenantID, id, acc.Points, now); err != nil {
				return err
			}
			n++
		}
		return db.Exec(`DELETE FROM member_qr_uses WHERE tenant_id = ? AND expires_at < ?`, tenantID, now.Add(-time.Hour)).Error
	})
	return n, err
}

// CorrectPoints is HQ's correction of one points entry of the member: it
// reverses the entry (ReversePoints: earns and redeems only; once per
// entry, a repeat returns the first reversal) and records why. An entry of
// another member is ErrEntryNotFound. Audited.
func (s *Service) CorrectPoints(ctx context.Context, tenantID, memberID, entryID uuid.UUID, note string) (PointsEntry, error) {
	var out PointsEntry
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		e, err := pointsLedger.find(tenant.DB(ctx), tenantID, "id = ? AND member_id = ?", entryID, memberID)
		if err != nil {
			return err
		}
		if e == nil {
			return ErrEntryNotFound
		}
		if out, err = s.ReversePoints(ctx, tenantID, entryID, doc.Of("correction", entryID)); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "member.points_reverse", ObjectType: "member", ObjectID: memberID.String(),
			Detail: map[string]any{"entry_id": entryID, "reversal_id": out.ID, "points": out.Points, "note": note}})
	})
	return out, err
}
