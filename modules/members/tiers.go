package members

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"chainstore/infra/doc"
	"chainstore/infra/postgres"
	"chainstore/infra/problem"
	"chainstore/tenant"
	"chainstore/tenant/audit"
)

// ListTiers returns the chain's tiers by rank.
func (s *Service) ListTiers(ctx context.Context, tenantID uuid.UUID) ([]Tier, error) {
	out := []Tier{}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		return tenant.DB(ctx).Raw(`SELECT `+tierColumns+` FROM member_tiers WHERE tenant_id = ? ORDER BY rank`, tenantID).Scan(&out).Error
	})
	return out, err
}

func getTier(db *gorm.DB, tenantID, id uuid.UUID) (Tier, error) {
	return postgres.One[Tier](db, ErrTierNotFound, `SELECT `+tierColumns+` FROM member_tiers WHERE tenant_id = ? AND id = ?`, tenantID, id)
}

func tierTaken(err error) error {
	if c, ok := postgres.IsUniqueViolation(err); ok {
		field := "code"
		if c == "member_tiers_rank_key" {
			field = "rank"
		}
		return ErrTierTaken.WithFields(problem.FieldError{Field: field, Message: "is taken by another tier"})
	}
	return err
}

// CreateTier adds a tier (audited).
func (s *Service) CreateTier(ctx context.Context, tenantID uuid.UUID, in TierInput) (Tier, error) {
	var out Tier
	if in.WindowDays == 0 {
		in.WindowDays = 365
	}
	if in.PointsMultiplier == 0 {
		in.PointsMultiplier = 100
	}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		id := uuid.Must(uuid.NewV7())
		err := db.Exec(`INSERT INTO member_tiers (tenant_id, id, code, name, rank, basis, threshold, window_days, discount_bp, points_multiplier,
			birthday_points, birthday_coupon, member_price) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			tenantID, id, in.Code, in.Name, in.Rank, in.Basis, in.Threshold, in.WindowDays, in.DiscountBP, in.PointsMultiplier,
			in.BirthdayPoints, in.BirthdayCoupon, in.MemberPrice).Error
		if err != nil {
			return tierTaken(err)
		}
		if out, err = getTier(db, tenantID, id); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "member_tier.create", ObjectType: "member_tier", ObjectID: id.String(), Detail: map[string]any{"tier": out}})
	})
	return out, err
}

// UpdateTier changes a tier (audited). Members move on the next
// re-evaluation or earn.
func (s *Service) UpdateTier(ctx context.Context, tenantID, id uuid.UUID, in TierUpdate) (Tier, error) {
	var out Tier
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		cur, err := getTier(db, tenantID, id)
		if err != nil {
			return err
		}
		set := map[string]any{}
		if in.Name != nil {
			set["name"] = *in.Name
		}
		if in.Threshold != nil {
			set["threshold"] = *in.Threshold
		}
		if in.WindowDays != nil {
			set["window_days"] = *in.WindowDays
		}
		if in.DiscountBP != nil {
			set["discount_bp"] = *in.DiscountBP
		}
		if in.PointsMultiplier != nil {
			set["points_multiplier"] = *in.PointsMultiplier
		}
		if in.BirthdayPoints != nil {
			set["birthday_points"] = *in.BirthdayPoints
		}
		if in.BirthdayCoupon != nil {
			set["birthday_coupon"] = *in.BirthdayCoupon
		}
		if in.MemberPrice != nil {
			set["member_price"] = *in.MemberPrice
		}
		if len(set) == 0 {
			out = cur
			return nil
		}
		set["updated_at"] = gorm.Expr("now()")
		if err := db.Table("member_tiers").Where("tenant_id = ? AND id = ?", tenantID, id).Updates(set).Error; err != nil {
			return tierTaken(err)
		}
		if out, err = getTier(db, tenantID, id); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "member_tier.update", ObjectType: "member_tier", ObjectID: id.String(),
			Detail: map[string]any{"before": cur, "after": out}})
	})
	return out, err
}

// qualifyingTierSQL picks, for member m2, the highest tier whose threshold
// the points earned (tier_points) or spend within its window before ?
// reaches. Inactive tiers qualify nobody.
const qualifyingTierSQL = `SELECT t.id FROM member_tiers t WHERE t.tenant_id = m2.tenant_id AND t.active AND t.threshold <= (
	SELECT CASE t.basis WHEN 'points' THEN coalesce(sum(l.tier_points), 0) ELSE coalesce(sum(l.spend), 0) END
	FROM points_ledger l WHERE l.tenant_id = m2.tenant_id AND l.member_id = m2.id
	  AND l.at > ?::timestamptz - make_interval(days => t.window_days) AND l.at <= ?::timestamptz)
	ORDER BY t.rank DESC LIMIT 1`

// retier moves one member to the tier it qualifies for at `at`: only
// upward when upOnly (an earn upgrades at once; downgrades wait for the
// re-evaluation job). Reports whether the tier changed.
func (s *Service) retier(ctx context.Context, tenantID, memberID uuid.UUID, at time.Time, upOnly bool) (bool, error) {
	db := tenant.DB(ctx)
	cond := "q.tier IS DISTINCT FROM m.tier_id"
	if upOnly {
		cond = `q.tier IS NOT NULL AND (m.tier_id IS NULL OR (SELECT rank FROM member_tiers WHERE tenant_id = m.tenant_id AND id = q.tier) >
			(SELECT rank FROM member_tiers WHERE tenant_id = m.tenant_id AND id = m.tier_id))`
	}
	res := db.Exec(`UPDATE members m SET tier_id = q.tier, updated_at = now()
		FROM (SELECT m2.id, (`+qualifyingTierSQL+`) AS tier FROM members m2 WHERE m2.tenant_id = ? AND m2.id = ?) q
		WHERE m.tenant_id = ? AND m.id = q.id AND `+cond,
		at, at, tenantID, memberID, tenantID)
	if res.Error != nil {
		return false, fmt.Errorf("members: retier: %w", res.Error)
	}
	if res.RowsAffected > 0 {
		return true, s.touched(ctx, tenantID, memberID)
	}
	return false, nil
}

// ReevaluateTiers is the periodic job's body for one tenant: every active
// member moves to the tier its window qualifies for at now, up or down.
// Idempotent; returns how many members changed tier.
func (s *Service) ReevaluateTiers(ctx context.Context, tenantID uuid.UUID, now time.Time) (int, error) {
	var n int
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		var changed []uuid.UUID
		err := db.Raw(`UPDATE members m SET tier_id = q.tier, updated_at = now()
			FROM (SELECT m2.id, (`+qualifyingTierSQL+`) AS tier FROM members m2 WHERE m2.tenant_id = ? AND m2.status = 'active') q
			WHERE m.tenant_id = ? AND m.id = q.id AND q.tier IS DISTINCT FROM m.tier_id RETURNING m.id`,
			now, now, tenantID, tenantID).Scan(&changed).Error
		if err != nil {
			return fmt.Errorf("members: reevaluate tiers: %w", err)
		}
		for _, id := range changed {
			if err := s.touched(ctx, tenantID, id); err != nil {
				return err
			}
		}
		n = len(changed)
		return nil
	})
	return n, err
}

// IssueBirthdayGifts is the birthday job's body for one tenant: members
// whose birthday month is now's month (in the chain's time zone) get their
// tier's birthday points (through the points ledger) and coupon (valid to
// the month's end), once per member and year. Returns members served.
func (s *Service) IssueBirthdayGifts(ctx context.Context, tenantID uuid.UUID, now time.Time) (int, error) {
	var n int
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		loc, err := s.org.ChainLocation(ctx, tenantID)
		if err != nil {
			return err
		}
		local := now.In(loc)
		var due []struct {
			ID             uuid.UUID
			BirthdayPoints int64
			BirthdayCoupon *string
		}
		err = db.Raw(`SELECT m.id, t.birthday_points, t.birthday_coupon FROM members m
			JOIN member_tiers t ON t.tenant_id = m.tenant_id AND t.id = m.tier_id
			WHERE m.tenant_id = ? AND m.status = 'active' AND m.birth_month = ? AND (t.birthday_points > 0 OR t.birthday_coupon IS NOT NULL)
			AND NOT EXISTS (SELECT 1 FROM member_birthday_gifts g WHERE g.tenant_id = m.tenant_id AND g.member_id = m.id AND g.year = ?)`,
			tenantID, int(local.Month()), local.Year()).Scan(&due).Error
		if err != nil {
			return fmt.Errorf("members: birthday members: %w", err)
		}
		monthEnd := time.Date(local.Year(), local.Month()+1, 1, 0, 0, 0, 0, loc).UTC()
		rule, err := s.pointsRule(ctx, tenantID)
		if err != nil {
			return err
		}
		for _, d := range due {
			res := db.Exec(`INSERT INTO member_birthday_gifts (tenant_id, member_id, year) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, tenantID, d.ID, local.Year())
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 0 {
				continue
			}
			if d.BirthdayPoints > 0 {
				acc, err := lockAccount(db, tenantID, d.ID)
				if err != nil {
					return err
				}
				if _, err := s.credit(ctx, tenantID, acc, entryArgs{memberID: d.ID, kind: "birthday", points: d.BirthdayPoints,
					src: birthdaySource(d.ID, local.Year()), at: now}, expiryOf(rule, loc, now)); err != nil {
					return err
				}
			}
			if d.BirthdayCoupon != nil {
				if err := db.Exec(`INSERT INTO member_coupons (tenant_id, id, member_id, code, source, valid_until) VALUES (?, ?, ?, ?, 'birthday', ?)`,
					tenantID, uuid.Must(uuid.NewV7()), d.ID, *d.BirthdayCoupon, monthEnd).Error; err != nil {
					return err
				}
			}
			n++
		}
		return nil
	})
	return n, err
}

// birthdaySource is the document of a member's birthday gift of a year: an
// id derived from both (UUIDv5), so each member's gift is its own document.
func birthdaySource(memberID uuid.UUID, year int) doc.Source {
	return doc.Of("birthday", uuid.NewSHA1(memberID, []byte(strconv.Itoa(year))))
}

const (
	giftColumns      = `id, name, points_cost, stock, active, created_at`
	topupRuleColumns = `id, name, min_amount, bonus, active, created_at`
)

// ListGifts returns the gift catalog.
func (s *Service) ListGifts(ctx context.Context, tenantID uuid.UUID) ([]Gift, error) {
	out := []Gift{}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		return tenant.DB(ctx).Raw(`SELECT `+giftColumns+` FROM member_gifts WHERE tenant_id = ? ORDER BY id`, tenantID).Scan(&out).Error
	})
	return out, err
}

// CreateGift adds a gift to the catalog (audited).
func (s *Service) CreateGift(ctx context.Context, tenantID uuid.UUID, in GiftInput) (Gift, error) {
	var out Gift
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		id := uuid.Must(uuid.NewV7())
		if err := tenant.DB(ctx).Raw(`INSERT INTO member_gifts (tenant_id, id, name, points_cost, stock) VALUES (?, ?, ?, ?, ?)
			RETURNING `+giftColumns, tenantID, id, in.Name, in.PointsCost, in.Stock).Scan(&out).Error; err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "member_gift.create", ObjectType: "member_gift", ObjectID: id.String(), Detail: map[string]any{"gift": out}})
	})
	return out, err
}

// ListTopupRules returns the top-up bonus rules.
func (s *Service) ListTopupRules(ctx context.Context, tenantID uuid.UUID) ([]TopupRule, error) {
	out := []TopupRule{}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		return tenant.DB(ctx).Raw(`SELECT `+topupRuleColumns+` FROM topup_rules WHERE tenant_id = ? ORDER BY min_amount`, tenantID).Scan(&out).Error
	})
	return out, err
}

// CreateTopupRule adds a top-up bonus rule (audited).
func (s *Service) CreateTopupRule(ctx context.Context, tenantID uuid.UUID, in TopupRuleInput) (TopupRule, error) {
	var out TopupRule
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		id := uuid.Must(uuid.NewV7())
		if err := tenant.DB(ctx).Raw(`INSERT INTO topup_rules (tenant_id, id, name, min_amount, bonus) VALUES (?, ?, ?, ?, ?)
			RETURNING `+topupRuleColumns, tenantID, id, in.Name, in.MinAmount, in.Bonus).Scan(&out).Error; err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "topup_rule.create", ObjectType: "topup_rule", ObjectID: id.String(), Detail: map[string]any{"rule": out}})
	})
	return out, err
}
