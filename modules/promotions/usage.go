package promotions

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"chainstore/infra/doc"
	"chainstore/infra/postgres"
	"chainstore/tenant"
)

// The usage ledger: what the POS's sales used, written through Consume in
// the sale's transaction, and given back through Release. Every statement
// takes all of a sale's promotions at once (jsonb_to_recordset or IN), so
// the round trips are fixed however many promotions a sale used. Budgeted
// promotions are locked in id order before they are charged, so two sales
// charging the same budgets never deadlock; unbudgeted ones are not locked
// at all, so a chain-wide 满减 never makes the tills queue.

// MemberUsesLeft returns, for those of the promotions that have a
// per-member limit, how many more sales the member may use each in (0 or
// more); unlimited ones are absent. One query.
func (s *Service) MemberUsesLeft(ctx context.Context, tenantID, memberID uuid.UUID, promotionIDs []uuid.UUID) (map[uuid.UUID]int, error) {
	out := map[uuid.UUID]int{}
	// Only promotions with a per-member limit have uses to count; the
	// chain's snapshot (cached) says which, so a cart of promotions without
	// limits costs no query.
	snap, err := s.snapshot(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	limited := make([]uuid.UUID, 0, len(promotionIDs))
	for _, id := range promotionIDs {
		for i := range snap.promos {
			if snap.promos[i].p.ID == id && snap.promos[i].perMember {
				limited = append(limited, id)
				break
			}
		}
	}
	if len(limited) == 0 {
		return out, nil
	}
	promotionIDs = limited
	err = s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var rows []struct {
			ID   uuid.UUID
			Left int
		}
		if err := tenant.DB(ctx).Raw(`SELECT p.id, greatest(p.per_member_limit - coalesce(u.uses, 0), 0) AS left
			FROM promotions p LEFT JOIN promotion_member_uses u ON u.tenant_id = p.tenant_id AND u.promotion_id = p.id AND u.member_id = ?
			WHERE p.tenant_id = ? AND p.id IN ? AND p.per_member_limit IS NOT NULL`, memberID, tenantID, promotionIDs).Scan(&rows).Error; err != nil {
			return fmt.Errorf("promotions: member uses: %w", err)
		}
		for _, r := range rows {
			out[r.ID] = r.Left
		}
		return nil
	})
	return out, err
}

// usageRow is one ledger row as it is written (jsonb_to_recordset).
type usageRow struct {
	ID            uuid.UUID  `json:"id"`
	RefID         uuid.UUID  `json:"ref_id"`
	PromotionID   *uuid.UUID `json:"promotion_id"`
	BatchID       *uuid.UUID `json:"batch_id"`
	CouponID      *uuid.UUID `json:"coupon_id"`
	Discount      int64      `json:"discount"`
	Units         int64      `json:"units"`
	BudgetCharged int64      `json:"budget_charged"`
	UseCounted    int        `json:"use_counted"`
	Over          *string    `json:"over"`
}

// promotion is the promotion a row's budget and limit are about (false
// for a coupon's row, which has neither).
func (u *usageRow) promotion() (uuid.UUID, bool) {
	if u.PromotionID == nil {
		return uuid.Nil, false
	}
	return *u.PromotionID, true
}

// usagesOf turns a priced sale into ledger rows: one per applied promotion
// or coupon, with the units of the lines that carry its allocations.
func usagesOf(in *Consumption) ([]usageRow, error) {
	units := map[uuid.UUID]int64{}
	for i, pl := range in.Result.Lines {
		if i >= len(in.Sale.Lines) {
			return nil, ErrBadConsumption.WithDetail("the result has more lines than the sale")
		}
		seen := map[uuid.UUID]bool{}
		for _, a := range pl.Discounts {
			ref := a.PromotionID
			if a.CouponID != nil {
				ref = a.CouponID
			}
			if ref != nil && !seen[*ref] {
				seen[*ref] = true
				units[*ref] += in.Sale.Lines[i].Qty
			}
		}
	}
	rows := make([]usageRow, 0, len(in.Result.Applied))
	refs := map[uuid.UUID]bool{}
	for i, a := range in.Result.Applied {
		if a.Discount < 0 || a.PromotionID == uuid.Nil {
			return nil, ErrBadConsumption.WithDetail("applied[%d] has no promotion or a negative discount", i)
		}
		r := usageRow{ID: uuid.Must(uuid.NewV7()), RefID: a.PromotionID, Discount: a.Discount}
		if a.CouponID != nil {
			r.RefID, r.BatchID, r.CouponID = *a.CouponID, &a.PromotionID, a.CouponID
		} else {
			r.PromotionID = &a.PromotionID
		}
		if refs[r.RefID] {
			return nil, ErrBadConsumption.WithDetail("applied[%d] repeats %s", i, r.RefID)
		}
		refs[r.RefID] = true
		r.Units = units[r.RefID]
		rows = append(rows, r)
	}
	return rows, nil
}

// What the budget update and the uses upsert return, and a ledger row as
// a replay reads it.
type (
	charged struct {
		ID   uuid.UUID
		Over bool
	}
	counted struct {
		PromotionID uuid.UUID
		Uses        int
	}
	ledgerRef struct {
		RefID       uuid.UUID
		PromotionID *uuid.UUID
		BatchID     *uuid.UUID
		CouponID    *uuid.UUID
		Discount    int64
		Over        *string
	}
)

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only plain structs of ids and integers are encoded here
	}
	return string(b)
}

// lockedBudget is the budget statement (its two %s are the new spent and
// the condition): it locks the budgeted promotions named in the recordset
// in id order, then sets spent where the condition holds, returning the ids
// it changed and whether each is now over its budget.
const lockedBudget = `WITH want AS (SELECT * FROM jsonb_to_recordset(?::jsonb) AS w(id uuid, amount bigint)),
	locked AS (SELECT p.id FROM promotions p WHERE p.tenant_id = ? AND p.id IN (SELECT id FROM want) AND p.budget IS NOT NULL
		ORDER BY p.id FOR UPDATE)
	UPDATE promotions p SET spent = %s FROM want w
	WHERE p.tenant_id = ? AND p.id = w.id AND p.id IN (SELECT id FROM locked) AND %s
	RETURNING p.id, p.spent > p.budget AS over`

// Consume records what a priced sale used, inside the sale's transaction,
// in a fixed number of statements however many promotions it used (at most
// five): the sale's gate row (idempotency) with the promotions' limits, one
// conditional update charging the budgets, one conditional upsert counting
// the member's uses, one conditional update redeeming the coupons, and the
// ledger rows.
//
// A budget never overspends: when one cannot cover its discount Consume
// returns ErrBudgetExhausted (409) and drops the cached figures, so the
// POS prices the sale again with the real remaining budget. Likewise
// ErrMemberLimit for a member's limit, and ErrCouponUsed, ErrCouponVoid,
// ErrCouponExpired or ErrCouponOtherMember for a coupon that is no longer
// redeemable (single use: the redemption is a conditional status change).
// Consumed.Over says which. On any error the caller rolls its transaction
// back (as an API handler that answers an error does). An offline upload
// (Offline) is accepted whatever: budgets and uses are charged past their
// limits and flagged, and an unredeemable coupon is recorded, flagged, and
// left as it is.
//
// Idempotent per Doc: a retried sale consumes nothing again and returns
// the first outcome (Replayed); the same Doc with other promotions or
// discounts is ErrSaleReused. A sale that used nothing writes nothing.
// ErrBadConsumption (422) for a sale without its store or business date,
// and for promotions or coupons that do not exist or do not match.
func (s *Service) Consume(ctx context.Context, tenantID uuid.UUID, in Consumption) (Consumed, error) {
	out := Consumed{Over: []Over{}}
	if err := in.Doc.Valid(); err != nil {
		return out, ErrBadConsumption.WithDetail("%s", err)
	}
	if in.Sale.StoreID == uuid.Nil || in.BusinessDate.IsZero() {
		return out, ErrBadConsumption.WithDetail("a consumption names its store (Sale.StoreID) and business date")
	}
	rows, err := usagesOf(&in)
	if err != nil || len(rows) == 0 {
		return out, err
	}
	at := in.Sale.Local.UTC()
	if in.Sale.Local.IsZero() {
		at = s.clk.Now()
	}
	day := in.BusinessDate.UTC().Format(time.DateOnly)
	member := in.Sale.Customer.MemberID
	err = s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		// 1. The gate (a sale consumes once; a concurrent retry waits
		// here) and, in the same statement, 2. the promotions' limits.
		var pids []uuid.UUID
		for i := range rows {
			if id, ok := rows[i].promotion(); ok {
				pids = append(pids, id)
			}
		}
		type limits struct {
			ID             uuid.UUID
			Budget         *int64
			PerMemberLimit *int
		}
		var gated []struct {
			Fresh          bool
			ID             *uuid.UUID
			Budget         *int64
			PerMemberLimit *int
		}
		if err := db.Raw(`WITH g AS (
				INSERT INTO promotion_sales (tenant_id, sale_type, sale_id, store_id, member_id, business_date, offline)
				VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING true)
			SELECT EXISTS (SELECT 1 FROM g) AS fresh, p.id, p.budget, p.per_member_limit
			FROM (SELECT 1) one LEFT JOIN promotions p ON p.tenant_id = ? AND p.id = ANY(?)`,
			tenantID, in.Doc.Type, in.Doc.ID, in.Sale.StoreID, member, day, in.Offline, tenantID, postgres.UUIDs(pids)).Scan(&gated).Error; err != nil {
			return fmt.Errorf("promotions: consume: %w", err)
		}
		if len(gated) == 0 || !gated[0].Fresh {
			return replay(db, tenantID, in.Doc, rows, &out)
		}
		var facts []limits
		for _, g := range gated {
			if g.ID != nil {
				facts = append(facts, limits{ID: *g.ID, Budget: g.Budget, PerMemberLimit: g.PerMemberLimit})
			}
		}
		if len(facts) != len(pids) {
			return ErrBadConsumption.WithDetail("a promotion applied is not one of this chain's")
		}
		fact := func(id uuid.UUID) limits {
			for _, f := range facts {
				if f.ID == id {
					return f
				}
			}
			return limits{}
		}
		over := func(r *usageRow, why string) {
			r.Over = &why
			o := Over{PromotionID: r.RefID, Why: why}
			if r.CouponID != nil {
				o.PromotionID, o.CouponID = *r.BatchID, r.CouponID
			}
			out.Over = append(out.Over, o)
		}
		// 3. Budgets: one conditional update (offline: unconditional).
		type charge struct {
			ID     uuid.UUID `json:"id"`
			Amount int64     `json:"amount"`
		}
		var charges []charge
		for i := range rows {
			if id, ok := rows[i].promotion(); ok && fact(id).Budget != nil && rows[i].Discount > 0 {
				charges = append(charges, charge{id, rows[i].Discount})
				rows[i].BudgetCharged = rows[i].Discount
			}
		}
		if len(charges) > 0 {
			var got []charged
			if err := db.Raw(fmt.Sprintf(lockedBudget, "p.spent + w.amount", "(p.spent + w.amount <= p.budget OR ?)"),
				jsonText(charges), tenantID, tenantID, in.Offline).Scan(&got).Error; err != nil {
				return fmt.Errorf("promotions: charge budgets: %w", err)
			}
			for i := range rows {
				if rows[i].BudgetCharged == 0 {
					continue
				}
				k := slices.IndexFunc(got, func(g charged) bool { return g.ID == rows[i].RefID })
				if k < 0 || got[k].Over {
					over(&rows[i], OverBudget)
				}
			}
			if !in.Offline && len(out.Over) > 0 {
				s.Invalidate(ctx, tenantID) // the committed figures moved on: reprice with them
				return ErrBudgetExhausted.WithDetail("%s", describe(out.Over))
			}
		}
		// 4. The member's uses: one conditional upsert.
		var limited []uuid.UUID
		for i := range rows {
			if id, ok := rows[i].promotion(); ok && fact(id).PerMemberLimit != nil && member != nil {
				limited = append(limited, id)
				rows[i].UseCounted = 1
			}
		}
		if len(limited) > 0 {
			var got []counted
			if err := db.Raw(`INSERT INTO promotion_member_uses (tenant_id, promotion_id, member_id, uses)
				SELECT p.tenant_id, p.id, ?, 1 FROM promotions p WHERE p.tenant_id = ? AND p.id IN ? ORDER BY p.id
				ON CONFLICT (tenant_id, promotion_id, member_id) DO UPDATE SET uses = promotion_member_uses.uses + 1, updated_at = now()
				WHERE ? OR promotion_member_uses.uses < (SELECT l.per_member_limit FROM promotions l
					WHERE l.tenant_id = promotion_member_uses.tenant_id AND l.id = promotion_member_uses.promotion_id)
				RETURNING promotion_id, uses`, *member, tenantID, limited, in.Offline).Scan(&got).Error; err != nil {
				return fmt.Errorf("promotions: count member uses: %w", err)
			}
			before := len(out.Over)
			for i := range rows {
				if rows[i].UseCounted == 0 {
					continue
				}
				id, _ := rows[i].promotion()
				k := slices.IndexFunc(got, func(g counted) bool { return g.PromotionID == id })
				if k < 0 {
					rows[i].UseCounted = 0
					over(&rows[i], OverMemberLimit)
				} else if got[k].Uses > *fact(id).PerMemberLimit && rows[i].Over == nil {
					over(&rows[i], OverMemberLimit)
				}
			}
			if !in.Offline && len(out.Over) > before {
				s.Invalidate(ctx, tenantID)
				return ErrMemberLimit.WithDetail("%s", describe(out.Over[before:]))
			}
		}
		// 5. Coupons: one conditional update, single use.
		var coupons []uuid.UUID
		for i := range rows {
			if rows[i].CouponID != nil {
				coupons = append(coupons, *rows[i].CouponID)
			}
		}
		if len(coupons) > 0 {
			var got []struct{ ID, BatchID uuid.UUID }
			if err := db.Raw(`UPDATE coupons SET status = 'redeemed', redeemed_at = ?, redeemed_doc_type = ?, redeemed_doc_id = ?, redeemed_store_id = ?
				WHERE tenant_id = ? AND id IN ? AND status = 'issued' AND (member_id IS NULL OR member_id = ?) AND valid_from <= ? AND valid_until > ?
				RETURNING id, batch_id`, at, in.Doc.Type, in.Doc.ID, in.Sale.StoreID, tenantID, coupons, member, at, at).Scan(&got).Error; err != nil {
				return fmt.Errorf("promotions: redeem coupons: %w", err)
			}
			var missed []uuid.UUID
			for i := range rows {
				if rows[i].CouponID == nil {
					continue
				}
				k := slices.IndexFunc(got, func(g struct{ ID, BatchID uuid.UUID }) bool { return g.ID == *rows[i].CouponID })
				switch {
				case k >= 0 && got[k].BatchID != *rows[i].BatchID:
					return ErrBadConsumption.WithDetail("coupon %s is not of batch %s", *rows[i].CouponID, *rows[i].BatchID)
				case k < 0:
					missed = append(missed, *rows[i].CouponID)
					over(&rows[i], OverCouponUsed)
				}
			}
			if len(missed) > 0 && !in.Offline {
				return couponRefusal(db, tenantID, missed, member, at)
			}
		}
		// 6. The ledger.
		if err := db.Exec(`INSERT INTO promotion_usage (tenant_id, id, doc_type, doc_id, sale_type, sale_id, ref_id, promotion_id, batch_id,
				coupon_id, store_id, member_id, business_date, discount, units, budget_charged, use_counted, over)
			SELECT ?, r.id, ?, ?, ?, ?, r.ref_id, r.promotion_id, r.batch_id, r.coupon_id, ?, ?, ?, r.discount, r.units, r.budget_charged,
				r.use_counted, r.over
			FROM jsonb_to_recordset(?::jsonb) AS r(id uuid, ref_id uuid, promotion_id uuid, batch_id uuid, coupon_id uuid, discount bigint,
				units bigint, budget_charged bigint, use_counted smallint, over text)`,
			tenantID, in.Doc.Type, in.Doc.ID, in.Doc.Type, in.Doc.ID, in.Sale.StoreID, member, day, jsonText(rows)).Error; err != nil {
			return fmt.Errorf("promotions: usage ledger: %w", err)
		}
		return nil
	})
	return out, err
}

func describe(over []Over) string {
	parts := make([]string, len(over))
	for i, o := range over {
		parts[i] = o.Why + " " + o.PromotionID.String()
		if o.CouponID != nil {
			parts[i] += " coupon " + o.CouponID.String()
		}
	}
	return strings.Join(parts, "; ")
}

// couponRefusal is the coded error for coupons Consume could not redeem
// (the failure path: one more read to say why).
func couponRefusal(db *gorm.DB, tenantID uuid.UUID, ids []uuid.UUID, member *uuid.UUID, at time.Time) error {
	var rows []struct {
		Code       string
		Status     string
		MemberID   *uuid.UUID
		ValidFrom  time.Time
		ValidUntil time.Time
	}
	if err := db.Raw(`SELECT code, status, member_id, valid_from, valid_until FROM coupons WHERE tenant_id = ? AND id IN ? ORDER BY code`,
		tenantID, ids).Scan(&rows).Error; err != nil {
		return fmt.Errorf("promotions: why coupons were refused: %w", err)
	}
	if len(rows) < len(ids) {
		return ErrBadConsumption.WithDetail("a coupon applied is not one of this chain's")
	}
	for _, r := range rows {
		switch {
		case r.Status == "redeemed":
			return ErrCouponUsed.WithDetail("coupon %s", r.Code)
		case r.Status == "void":
			return ErrCouponVoid.WithDetail("coupon %s", r.Code)
		case r.MemberID != nil && (member == nil || *member != *r.MemberID):
			return ErrCouponOtherMember.WithDetail("coupon %s", r.Code)
		case r.Status == "expired" || !at.Before(r.ValidUntil) || at.Before(r.ValidFrom):
			return ErrCouponExpired.WithDetail("coupon %s is valid %s to %s", r.Code, r.ValidFrom.Format(time.RFC3339), r.ValidUntil.Format(time.RFC3339))
		}
	}
	return ErrCouponUsed
}

// replay answers a retried Consume from the ledger: the same promotions
// and discounts replay the first outcome, anything else is ErrSaleReused.
func replay(db *gorm.DB, tenantID uuid.UUID, sale doc.Source, rows []usageRow, out *Consumed) error {
	var first []ledgerRef
	if err := db.Raw(`SELECT ref_id, promotion_id, batch_id, coupon_id, discount, over FROM promotion_usage
		WHERE tenant_id = ? AND doc_type = ? AND doc_id = ? ORDER BY id`, tenantID, sale.Type, sale.ID).Scan(&first).Error; err != nil {
		return fmt.Errorf("promotions: replay consume: %w", err)
	}
	same := len(first) == len(rows)
	for _, r := range rows {
		same = same && slices.ContainsFunc(first, func(f ledgerRef) bool { return f.RefID == r.RefID && f.Discount == r.Discount })
	}
	if !same {
		return ErrSaleReused.WithDetail("%s", sale)
	}
	out.Replayed = true
	for _, f := range first {
		if f.Over == nil {
			continue
		}
		o := Over{Why: *f.Over, CouponID: f.CouponID}
		if f.PromotionID != nil {
			o.PromotionID = *f.PromotionID
		} else if f.BatchID != nil {
			o.PromotionID = *f.BatchID
		}
		out.Over = append(out.Over, o)
	}
	return nil
}

// Release gives back what a sale consumed, inside the reversal's
// transaction: for a void (share.Void) everything the sale still holds —
// its discounts back to the budgets, the member's uses, and its coupons
// re-issued (status issued again; one past its validity reads as
// expired); for a return, the discounts of the returned lines
// (share.Returned, each capped at what the sale still holds of that
// promotion) back to the budgets, while member uses and coupons stay used
// (the customer had them; a return is no second chance at a single-use
// coupon). The ledger gets the reversal's rows, negative. Idempotent per
// reversal document (Replayed); a sale that consumed nothing releases
// nothing. At most nine statements, however many promotions.
func (s *Service) Release(ctx context.Context, tenantID uuid.UUID, sale, reversal doc.Source, share Share) (Released, error) {
	var out Released
	if err := sale.Valid(); err != nil {
		return out, ErrBadConsumption.WithDetail("%s", err)
	}
	if err := reversal.Valid(); err != nil {
		return out, ErrBadConsumption.WithDetail("%s", err)
	}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		// 1. The sale, locked: reversals of one sale queue here.
		var head []struct {
			StoreID      uuid.UUID
			MemberID     *uuid.UUID
			BusinessDate time.Time
			VoidedAt     *time.Time
		}
		if err := db.Raw(`SELECT store_id, member_id, business_date, voided_at FROM promotion_sales
			WHERE tenant_id = ? AND sale_type = ? AND sale_id = ? FOR UPDATE`, tenantID, sale.Type, sale.ID).Scan(&head).Error; err != nil {
			return fmt.Errorf("promotions: release: %w", err)
		}
		if len(head) == 0 {
			return nil // nothing was consumed
		}
		h := head[0]
		day := h.BusinessDate
		if !share.BusinessDate.IsZero() {
			day = share.BusinessDate
		}
		// 2. The gate.
		var gate []bool
		if err := db.Raw(`INSERT INTO promotion_reversals (tenant_id, doc_type, doc_id, sale_type, sale_id, void, business_date)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING true`,
			tenantID, reversal.Type, reversal.ID, sale.Type, sale.ID, share.Void, day.UTC().Format(time.DateOnly)).Scan(&gate).Error; err != nil {
			return fmt.Errorf("promotions: release: %w", err)
		}
		if len(gate) == 0 {
			out.Replayed = true
			return nil
		}
		// 3. What the sale still holds, per promotion or coupon.
		var held []struct {
			RefID         uuid.UUID
			PromotionID   *uuid.UUID
			BatchID       *uuid.UUID
			CouponID      *uuid.UUID
			Discount      int64
			Units         int64
			BudgetCharged int64
			UseCounted    int
		}
		if err := db.Raw(`SELECT ref_id, promotion_id, batch_id, coupon_id, sum(discount) AS discount, sum(units) AS units,
				sum(budget_charged) AS budget_charged, sum(use_counted) AS use_counted
			FROM promotion_usage WHERE tenant_id = ? AND sale_type = ? AND sale_id = ?
			GROUP BY ref_id, promotion_id, batch_id, coupon_id ORDER BY ref_id`, tenantID, sale.Type, sale.ID).Scan(&held).Error; err != nil {
			return fmt.Errorf("promotions: release: %w", err)
		}
		var rows []usageRow
		var coupons, usesBack []uuid.UUID
		type credit struct {
			ID     uuid.UUID `json:"id"`
			Amount int64     `json:"amount"`
		}
		var credits []credit
		for _, hd := range held {
			r := usageRow{ID: uuid.Must(uuid.NewV7()), RefID: hd.RefID, PromotionID: hd.PromotionID, BatchID: hd.BatchID, CouponID: hd.CouponID}
			if share.Void && h.VoidedAt == nil {
				r.Discount, r.Units, r.BudgetCharged = -hd.Discount, -hd.Units, -hd.BudgetCharged
				if hd.UseCounted > 0 && h.MemberID != nil && hd.PromotionID != nil {
					r.UseCounted = -1
					usesBack = append(usesBack, *hd.PromotionID)
				}
				if hd.CouponID != nil {
					coupons = append(coupons, *hd.CouponID)
				}
			} else if !share.Void {
				for _, ret := range share.Returned {
					ref := ret.PromotionID
					if ret.CouponID != nil {
						ref = *ret.CouponID
					}
					if ref != hd.RefID || ret.Discount <= 0 {
						continue
					}
					give := min(ret.Discount, hd.Discount)
					r.Discount = -give
					r.Units = -min(max(ret.Units, 0), hd.Units)
					r.BudgetCharged = -min(give, hd.BudgetCharged)
				}
			}
			if r.Discount == 0 && r.Units == 0 && r.UseCounted == 0 && (r.CouponID == nil || !slices.Contains(coupons, *r.CouponID)) {
				continue
			}
			if r.BudgetCharged < 0 {
				credits = append(credits, credit{*r.PromotionID, -r.BudgetCharged})
			}
			out.Discount -= r.Discount
			out.Budget -= r.BudgetCharged
			rows = append(rows, r)
		}
		// 4. Budgets back.
		if len(credits) > 0 {
			if err := db.Exec(fmt.Sprintf(lockedBudget, "greatest(p.spent - w.amount, 0)", "true"), jsonText(credits), tenantID, tenantID).Error; err != nil {
				return fmt.Errorf("promotions: give budgets back: %w", err)
			}
		}
		// 5. The member's uses back (void).
		if len(usesBack) > 0 {
			if err := db.Exec(`UPDATE promotion_member_uses SET uses = uses - 1, updated_at = now()
				WHERE tenant_id = ? AND member_id = ? AND promotion_id IN ? AND uses > 0`, tenantID, *h.MemberID, usesBack).Error; err != nil {
				return fmt.Errorf("promotions: give uses back: %w", err)
			}
			out.Uses = len(usesBack)
		}
		// 6. Coupons re-issued (void).
		if len(coupons) > 0 {
			res := db.Exec(`UPDATE coupons SET status = 'issued', redeemed_at = NULL, redeemed_doc_type = NULL, redeemed_doc_id = NULL,
					redeemed_store_id = NULL
				WHERE tenant_id = ? AND id IN ? AND status = 'redeemed' AND redeemed_doc_type = ? AND redeemed_doc_id = ?`,
				tenantID, coupons, sale.Type, sale.ID)
			if res.Error != nil {
				return fmt.Errorf("promotions: re-issue coupons: %w", res.Error)
			}
			out.Coupons = int(res.RowsAffected)
		}
		// 7. The reversal's ledger rows.
		if len(rows) > 0 {
			if err := db.Exec(`INSERT INTO promotion_usage (tenant_id, id, doc_type, doc_id, sale_type, sale_id, ref_id, promotion_id, batch_id,
					coupon_id, store_id, member_id, business_date, discount, units, budget_charged, use_counted)
				SELECT ?, r.id, ?, ?, ?, ?, r.ref_id, r.promotion_id, r.batch_id, r.coupon_id, ?, ?, ?, r.discount, r.units, r.budget_charged, r.use_counted
				FROM jsonb_to_recordset(?::jsonb) AS r(id uuid, ref_id uuid, promotion_id uuid, batch_id uuid, coupon_id uuid, discount bigint,
					units bigint, budget_charged bigint, use_counted smallint)`,
				tenantID, reversal.Type, reversal.ID, sale.Type, sale.ID, h.StoreID, h.MemberID, day.UTC().Format(time.DateOnly), jsonText(rows)).Error; err != nil {
				return fmt.Errorf("promotions: release ledger: %w", err)
			}
		}
		// 8. A void marks the sale, so a second void gives nothing again.
		if share.Void && h.VoidedAt == nil {
			if err := db.Exec(`UPDATE promotion_sales SET voided_at = ? WHERE tenant_id = ? AND sale_type = ? AND sale_id = ?`,
				s.clk.Now(), tenantID, sale.Type, sale.ID).Error; err != nil {
				return fmt.Errorf("promotions: mark void: %w", err)
			}
		}
		if len(credits) > 0 || len(usesBack) > 0 {
			s.changed(ctx, tenantID)
		}
		return nil
	})
	return out, err
}
