package finance

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"chainstore/infra/doc"
	"chainstore/infra/postgres"
	"chainstore/infra/web"
	"chainstore/tenant"
	"chainstore/tenant/audit"
	"chainstore/tenant/users"
)

type clearingKey struct{ tenantID uuid.UUID }

// clearingByEntity returns the clearing ratios by the entity they apply
// to (uuid.Nil: the chain default), read once per transaction (SetClearing
// forgets them).
func (s *Service) clearingByEntity(ctx context.Context, tenantID uuid.UUID) (map[uuid.UUID]ClearingRule, error) {
	return tenant.Memo(ctx, clearingKey{tenantID}, func() (map[uuid.UUID]ClearingRule, error) {
		var rows []struct {
			FranchiseeID, EntityID         *uuid.UUID
			PrincipalBP, BonusBP, PointsBP int
		}
		if err := tenant.DB(ctx).Raw(`SELECT r.franchisee_id, e.id AS entity_id, r.principal_bp, r.bonus_bp, r.points_bp
			FROM fin_clearing_rules r LEFT JOIN fin_entities e ON e.tenant_id = r.tenant_id AND e.franchisee_id = r.franchisee_id
			WHERE r.tenant_id = ?`, tenantID).Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("finance: clearing rules: %w", err)
		}
		out := map[uuid.UUID]ClearingRule{uuid.Nil: DefaultClearing}
		for _, r := range rows {
			rule := ClearingRule{FranchiseeID: r.FranchiseeID, PrincipalBP: r.PrincipalBP, BonusBP: r.BonusBP, PointsBP: r.PointsBP}
			switch {
			case r.FranchiseeID == nil:
				out[uuid.Nil] = rule
			case r.EntityID != nil:
				out[*r.EntityID] = rule
			}
		}
		return out, nil
	})
}

// DefaultClearing applies until HQ finance sets ratios: the loading entity
// passes on all principal, bonus and points value it received.
var DefaultClearing = ClearingRule{PrincipalBP: 10000, BonusBP: 10000, PointsBP: 10000}

func (s *Service) listClearing(db *gorm.DB, tenantID uuid.UUID) ([]ClearingRule, error) {
	var rows []ClearingRule
	if err := db.Raw(`SELECT franchisee_id, principal_bp, bonus_bp, points_bp, updated_at FROM fin_clearing_rules
		WHERE tenant_id = ? ORDER BY franchisee_id NULLS FIRST`, tenantID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("finance: clearing rules: %w", err)
	}
	if len(rows) == 0 || rows[0].FranchiseeID != nil {
		rows = append([]ClearingRule{DefaultClearing}, rows...)
	}
	return rows, nil
}

// ListClearing returns the chain's clearing ratios (the default first).
func (s *Service) ListClearing(ctx context.Context, tenantID uuid.UUID) ([]ClearingRule, error) {
	var out []ClearingRule
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var err error
		out, err = s.listClearing(tenant.DB(ctx), tenantID)
		return err
	})
	return out, err
}

// SetClearing sets the ratios for the chain or one franchisee (audited).
func (s *Service) SetClearing(ctx context.Context, actor *tenant.Principal, in ClearingInput) (ClearingRule, error) {
	var out ClearingRule
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		if err := s.checkFranchisee(ctx, actor.TenantID, in.FranchiseeID); err != nil {
			return err
		}
		if err := db.Raw(`INSERT INTO fin_clearing_rules (tenant_id, id, franchisee_id, principal_bp, bonus_bp, points_bp) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT ON CONSTRAINT fin_clearing_rules_key DO UPDATE SET principal_bp = EXCLUDED.principal_bp, bonus_bp = EXCLUDED.bonus_bp,
				points_bp = EXCLUDED.points_bp, updated_at = now()
			RETURNING franchisee_id, principal_bp, bonus_bp, points_bp, updated_at`,
			actor.TenantID, uuid.Must(uuid.NewV7()), in.FranchiseeID, *in.PrincipalBP, *in.BonusBP, *in.PointsBP).Scan(&out).Error; err != nil {
			return fmt.Errorf("finance: set clearing: %w", err)
		}
		tenant.Forget(ctx, clearingKey{actor.TenantID})
		return audit.Record(ctx, audit.Entry{Action: "finance.clearing.set", ObjectType: "fin_clearing_rule", ObjectID: idOrChain(in.FranchiseeID),
			Detail: map[string]any{"principal_bp": out.PrincipalBP, "bonus_bp": out.BonusBP, "points_bp": out.PointsBP}})
	})
	return out, err
}

func idOrChain(id *uuid.UUID) string {
	if id == nil {
		return "chain"
	}
	return id.String()
}

// checkFranchisee refuses a franchisee that is not the chain's
// (org.ErrFranchiseeNotFound); nil is the chain default.
func (s *Service) checkFranchisee(ctx context.Context, tenantID uuid.UUID, id *uuid.UUID) error {
	if id == nil {
		return nil
	}
	_, err := s.org.GetFranchisee(ctx, tenantID, *id)
	return err
}

// ListRoyalty returns the royalty rules (the chain default first; rate 0
// when none is set).
func (s *Service) ListRoyalty(ctx context.Context, tenantID uuid.UUID) ([]RoyaltyRule, error) {
	var out []RoyaltyRule
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var err error
		out, err = listRoyalty(tenant.DB(ctx), tenantID)
		return err
	})
	return out, err
}

func listRoyalty(db *gorm.DB, tenantID uuid.UUID) ([]RoyaltyRule, error) {
	var rows []RoyaltyRule
	if err := db.Raw(`SELECT franchisee_id, rate_bp, minimum_fee, updated_at FROM fin_royalty_rules WHERE tenant_id = ? ORDER BY franchisee_id NULLS FIRST`,
		tenantID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("finance: royalty rules: %w", err)
	}
	if len(rows) == 0 || rows[0].FranchiseeID != nil {
		rows = append([]RoyaltyRule{{}}, rows...)
	}
	return rows, nil
}

// SetRoyalty sets a royalty rule (audited).
func (s *Service) SetRoyalty(ctx context.Context, actor *tenant.Principal, in RoyaltyInput) (RoyaltyRule, error) {
	var out RoyaltyRule
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		if err := s.checkFranchisee(ctx, actor.TenantID, in.FranchiseeID); err != nil {
			return err
		}
		if err := db.Raw(`INSERT INTO fin_royalty_rules (tenant_id, id, franchisee_id, rate_bp, minimum_fee) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT ON CONSTRAINT fin_royalty_rules_key DO UPDATE SET rate_bp = EXCLUDED.rate_bp, minimum_fee = EXCLUDED.minimum_fee, updated_at = now()
			RETURNING franchisee_id, rate_bp, minimum_fee, updated_at`,
			actor.TenantID, uuid.Must(uuid.NewV7()), in.FranchiseeID, *in.RateBP, in.MinimumFee).Scan(&out).Error; err != nil {
			return fmt.Errorf("finance: set royalty: %w", err)
		}
		return audit.Record(ctx, audit.Entry{Action: "finance.royalty.set", ObjectType: "fin_royalty_rule", ObjectID: idOrChain(in.FranchiseeID),
			Detail: map[string]any{"rate_bp": out.RateBP, "minimum_fee": out.MinimumFee}})
	})
	return out, err
}

type settlementRow struct {
	ID           uuid.UUID
	FranchiseeID uuid.UUID
	Year, Month  int
	Status       string
	NetSales     int64
	Royalty      int64
	Supplies     int64
	Payments     int64
	BalanceDue   int64
	Stores       []byte
	CreatedAt    time.Time
	PostedAt     *time.Time
	PostedBy     *uuid.UUID
}

func (r settlementRow) view() Settlement {
	out := Settlement{ID: r.ID, FranchiseeID: r.FranchiseeID, Year: r.Year, Month: r.Month, Status: r.Status, NetSales: r.NetSales,
		Royalty: r.Royalty, Supplies: r.Supplies, Payments: r.Payments, BalanceDue: r.BalanceDue, CreatedAt: r.CreatedAt,
		PostedAt: r.PostedAt, PostedBy: r.PostedBy}
	_ = json.Unmarshal(r.Stores, &out.Stores)
	if out.Stores == nil {
		out.Stores = []SettlementStore{}
	}
	return out
}

const settlementColumns = `id, franchisee_id, year, month, status, net_sales, royalty, supplies, payments, balance_due, stores, created_at, posted_at, posted_by`

// GenerateSettlement computes (or recomputes, while a draft) a franchisee's
// settlement for a month: each franchise store's net sales (主营业务收入 in
// the franchisee's books, from the roll-ups) and royalty
// max(round(net × rate_bp / 10000), minimum_fee), supplies bought from HQ
// and payments made to HQ that month. ErrSettlementPosted once posted.
func (s *Service) GenerateSettlement(ctx context.Context, actor *tenant.Principal, in SettlementInput) (Settlement, error) {
	var out Settlement
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		if err := s.checkFranchisee(ctx, actor.TenantID, &in.FranchiseeID); err != nil {
			return err
		}
		ent, err := s.franchiseeEntity(ctx, actor.TenantID, in.FranchiseeID)
		if err != nil {
			return err
		}
		accts, err := s.accounts(ctx, actor.TenantID)
		if err != nil {
			return err
		}
		rules, err := listRoyalty(db, actor.TenantID)
		if err != nil {
			return err
		}
		rule := rules[0]
		for _, r := range rules {
			if r.FranchiseeID != nil && *r.FranchiseeID == in.FranchiseeID {
				rule = r
			}
		}
		month := time.Date(in.Year, time.Month(in.Month), 1, 0, 0, 0, 0, time.UTC)
		facts, err := s.org.FranchiseStores(ctx, actor.TenantID, []uuid.UUID{in.FranchiseeID})
		if err != nil {
			return err
		}
		stores := make([]SettlementStore, len(facts))
		if len(facts) > 0 {
			ids := make([]uuid.UUID, len(facts))
			for i, f := range facts {
				ids[i] = f.ID
			}
			var sales []SettlementStore
			if err := db.Raw(`SELECT store_id, sum(credit - debit)::bigint AS net_sales FROM fin_balances_monthly
				WHERE tenant_id = ? AND entity_id = ? AND account_id = ? AND month = ? AND kind = 0 AND store_id IN ?
				GROUP BY store_id`, actor.TenantID, ent, accts[AcctRevenue].ID, month, ids).Scan(&sales).Error; err != nil {
				return fmt.Errorf("finance: settlement sales: %w", err)
			}
			for i, f := range facts {
				stores[i].StoreID = f.ID
				for _, x := range sales {
					if x.StoreID == f.ID {
						stores[i].NetSales = x.NetSales
					}
				}
			}
		}
		st := Settlement{FranchiseeID: in.FranchiseeID, Year: in.Year, Month: in.Month, Stores: stores}
		for i := range st.Stores {
			ss := &st.Stores[i]
			ss.Royalty = max(RatioOf(max(ss.NetSales, 0), rule.RateBP), rule.MinimumFee)
			st.NetSales += ss.NetSales
			st.Royalty += ss.Royalty
		}
		sum := func(source string, credit bool) (int64, error) {
			col := "l.debit"
			if credit {
				col = "l.credit"
			}
			var v int64
			err := db.Raw(`SELECT coalesce(sum(`+col+`), 0) FROM fin_lines l JOIN fin_entries e ON e.tenant_id = l.tenant_id AND e.id = l.entry_id
				WHERE l.tenant_id = ? AND l.entity_id = ? AND l.account_id = ? AND e.source_type = ? AND e.period_year = ? AND e.period_month = ?`,
				actor.TenantID, ent, accts[AcctDueTo].ID, source, in.Year, in.Month).Scan(&v).Error
			return v, err
		}
		if st.Supplies, err = sum("supply", true); err != nil {
			return err
		}
		if st.Payments, err = sum("franchisee_payment", false); err != nil {
			return err
		}
		st.BalanceDue = st.Royalty + st.Supplies - st.Payments
		storesJSON, _ := json.Marshal(st.Stores)
		var row settlementRow
		err = db.Raw(`INSERT INTO fin_settlements (tenant_id, id, franchisee_id, year, month, net_sales, royalty, supplies, payments, balance_due, stores)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT ON CONSTRAINT fin_settlements_month_key DO UPDATE SET net_sales = EXCLUDED.net_sales, royalty = EXCLUDED.royalty,
				supplies = EXCLUDED.supplies, payments = EXCLUDED.payments, balance_due = EXCLUDED.balance_due, stores = EXCLUDED.stores, created_at = now()
				WHERE fin_settlements.status = 'draft'
			RETURNING `+settlementColumns,
			actor.TenantID, uuid.Must(uuid.NewV7()), in.FranchiseeID, in.Year, in.Month, st.NetSales, st.Royalty, st.Supplies, st.Payments,
			st.BalanceDue, string(storesJSON)).Scan(&row).Error
		if err != nil {
			return fmt.Errorf("finance: save settlement: %w", err)
		}
		if row.ID == uuid.Nil {
			return ErrSettlementPosted
		}
		out = row.view()
		if err := s.nameSettlement(ctx, actor.TenantID, &out); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "finance.settlement.generate", ObjectType: "fin_settlement", ObjectID: out.ID.String(),
			Detail: map[string]any{"franchisee_id": in.FranchiseeID, "year": in.Year, "month": in.Month, "royalty": out.Royalty}})
	})
	return out, err
}

// ListSettlements returns settlements narrowed by f, in id order.
func (s *Service) ListSettlements(ctx context.Context, tenantID uuid.UUID, f SettlementFilter, page web.Page) ([]Settlement, error) {
	var out []Settlement
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		q := tenant.DB(ctx).Table("fin_settlements").Select(settlementColumns).Where("tenant_id = ?", tenantID)
		if f.FranchiseeIDs != nil {
			q = q.Where("franchisee_id IN ?", append(f.FranchiseeIDs, uuid.Nil))
		}
		if f.Year != 0 {
			q = q.Where("year = ? AND month = ?", f.Year, f.Month)
		}
		if f.Status != "" {
			q = q.Where("status = ?", f.Status)
		}
		if page.Cursor != uuid.Nil {
			q = q.Where("id > ?", page.Cursor)
		}
		var rows []settlementRow
		if err := q.Order("id").Limit(page.Limit + 1).Scan(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			out = append(out, r.view())
		}
		return s.nameSettlements(ctx, tenantID, out)
	})
	return out, err
}

// nameSettlements fills who posted each settlement (one statement).
func (s *Service) nameSettlements(ctx context.Context, tenantID uuid.UUID, sts []Settlement) error {
	return users.FillNames(ctx, s.users, tenantID, sts, func(st *Settlement) []users.NameField {
		return []users.NameField{{ID: st.PostedBy, Name: &st.PostedByName}}
	})
}

// nameSettlement is nameSettlements for one settlement.
func (s *Service) nameSettlement(ctx context.Context, tenantID uuid.UUID, st *Settlement) error {
	return users.One(st, func(rows []Settlement) error { return s.nameSettlements(ctx, tenantID, rows) })
}

// GetSettlement returns one settlement, or ErrSettlementNotFound.
func (s *Service) GetSettlement(ctx context.Context, tenantID, id uuid.UUID) (Settlement, error) {
	var out Settlement
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		r, err := getSettlement(tenant.DB(ctx), tenantID, id, false)
		if err != nil {
			return err
		}
		out = r.view()
		return s.nameSettlement(ctx, tenantID, &out)
	})
	return out, err
}

func getSettlement(db *gorm.DB, tenantID, id uuid.UUID, lock bool) (settlementRow, error) {
	q := `SELECT ` + settlementColumns + ` FROM fin_settlements WHERE tenant_id = ? AND id = ?`
	if lock {
		q += ` FOR UPDATE`
	}
	return postgres.One[settlementRow](db, ErrSettlementNotFound, q, tenantID, id)
}

// PostSettlement posts a draft settlement's royalties, one royalty per
// store in both books, dated the month's last day (audited).
func (s *Service) PostSettlement(ctx context.Context, actor *tenant.Principal, id uuid.UUID) (Settlement, error) {
	var out Settlement
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		r, err := getSettlement(db, actor.TenantID, id, true)
		if err != nil {
			return err
		}
		if r.Status != "draft" {
			return ErrSettlementPosted
		}
		st := r.view()
		last := time.Date(st.Year, time.Month(st.Month)+1, 0, 0, 0, 0, 0, time.UTC)
		for _, ss := range st.Stores {
			if ss.Royalty <= 0 {
				continue
			}
			src := uuid.NewSHA1(st.ID, ss.StoreID[:])
			if _, err := s.PostRoyalty(ctx, actor.TenantID, RoyaltyEvent{Source: doc.Of("royalty", src), StoreID: ss.StoreID, BusinessDate: last, Amount: ss.Royalty}); err != nil {
				return err
			}
		}
		if err := db.Exec(`UPDATE fin_settlements SET status = 'posted', posted_at = now(), posted_by = ? WHERE tenant_id = ? AND id = ?`,
			actor.UserID, actor.TenantID, id).Error; err != nil {
			return fmt.Errorf("finance: post settlement: %w", err)
		}
		if r, err = getSettlement(db, actor.TenantID, id, false); err != nil {
			return err
		}
		out = r.view()
		if err := s.nameSettlement(ctx, actor.TenantID, &out); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "finance.settlement.post", ObjectType: "fin_settlement", ObjectID: id.String(),
			Detail: map[string]any{"royalty": out.Royalty, "balance_due": out.BalanceDue}})
	})
	return out, err
}
