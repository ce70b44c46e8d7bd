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
	"chainstore/tenant/authz"
)

// EntityScope is the books a caller may read: all of them, or the listed.
type EntityScope struct {
	All bool
	IDs []uuid.UUID
}

// Contains reports whether the scope covers an entity.
func (e EntityScope) Contains(id uuid.UUID) bool {
	if e.All {
		return true
	}
	for _, x := range e.IDs {
		if x == id {
			return true
		}
	}
	return false
}

// ReadableEntities derives entity access from store scope: finance:read
// for the whole chain reads every entity (HQ finance, HQ admin); otherwise a
// franchisee's books are readable by whoever holds finance:read in every
// one of that franchisee's stores (the franchisee's own users). HQ's books
// need the chain-wide permission. A store manager reads their store's
// figures through store_id, not the entity.
func (s *Service) ReadableEntities(ctx context.Context, p *tenant.Principal) (EntityScope, error) {
	var out EntityScope
	err := s.pool.WithTx(ctx, p.TenantID, func(ctx context.Context) error {
		if err := s.EnsureEntities(ctx, p.TenantID); err != nil {
			return err
		}
		sc, err := s.authz.ScopeOf(ctx, p, authz.FinanceRead)
		if err != nil {
			return err
		}
		if sc.All {
			out.All = true
			return nil
		}
		if len(sc.Stores) == 0 {
			return nil
		}
		return tenant.DB(ctx).Raw(`SELECT e.id FROM fin_entities e WHERE e.tenant_id = ? AND e.kind = 'franchisee'
			AND EXISTS (SELECT 1 FROM stores s WHERE s.tenant_id = e.tenant_id AND s.type = 'franchise' AND s.franchisee_id = e.franchisee_id)
			AND NOT EXISTS (SELECT 1 FROM stores s WHERE s.tenant_id = e.tenant_id AND s.type = 'franchise' AND s.franchisee_id = e.franchisee_id
				AND s.id NOT IN ?)`, p.TenantID, sc.Stores).Scan(&out.IDs).Error
	})
	return out, err
}

func (s *Service) clearingByEntity(ctx context.Context, tenantID uuid.UUID) (map[uuid.UUID]ClearingRule, error) {
	rules, err := s.listClearing(tenant.DB(ctx), tenantID)
	if err != nil {
		return nil, err
	}
	var ents []Entity
	if err := tenant.DB(ctx).Raw(`SELECT id, franchisee_id FROM fin_entities WHERE tenant_id = ? AND franchisee_id IS NOT NULL`, tenantID).Scan(&ents).Error; err != nil {
		return nil, err
	}
	byFr := map[uuid.UUID]ClearingRule{}
	out := map[uuid.UUID]ClearingRule{}
	for _, r := range rules {
		if r.FranchiseeID == nil {
			out[uuid.Nil] = r
		} else {
			byFr[*r.FranchiseeID] = r
		}
	}
	for _, e := range ents {
		if r, ok := byFr[*e.FranchiseeID]; ok {
			out[e.ID] = r
		}
	}
	return out, nil
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
		if err := checkFranchisee(db, actor.TenantID, in.FranchiseeID); err != nil {
			return err
		}
		if err := db.Raw(`INSERT INTO fin_clearing_rules (tenant_id, id, franchisee_id, principal_bp, bonus_bp, points_bp) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT ON CONSTRAINT fin_clearing_rules_key DO UPDATE SET principal_bp = EXCLUDED.principal_bp, bonus_bp = EXCLUDED.bonus_bp,
				points_bp = EXCLUDED.points_bp, updated_at = now()
			RETURNING franchisee_id, principal_bp, bonus_bp, points_bp, updated_at`,
			actor.TenantID, uuid.Must(uuid.NewV7()), in.FranchiseeID, *in.PrincipalBP, *in.BonusBP, *in.PointsBP).Scan(&out).Error; err != nil {
			return fmt.Errorf("finance: set clearing: %w", err)
		}
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

func checkFranchisee(db *gorm.DB, tenantID uuid.UUID, id *uuid.UUID) error {
	if id == nil {
		return nil
	}
	var n int64
	if err := db.Raw(`SELECT count(*) FROM franchisees WHERE tenant_id = ? AND id = ?`, tenantID, *id).Scan(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return ErrFranchiseeNotFound
	}
	return nil
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
		if err := checkFranchisee(db, actor.TenantID, in.FranchiseeID); err != nil {
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
		if err := checkFranchisee(db, actor.TenantID, &in.FranchiseeID); err != nil {
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
		var stores []SettlementStore
		if err := db.Raw(`SELECT s.id AS store_id, coalesce((SELECT sum(b.credit - b.debit) FROM fin_balances_monthly b
				WHERE b.tenant_id = s.tenant_id AND b.entity_id = ? AND b.store_id = s.id AND b.account_id = ? AND b.month = ? AND b.kind = 0), 0) AS net_sales
			FROM stores s WHERE s.tenant_id = ? AND s.type = 'franchise' AND s.franchisee_id = ? ORDER BY s.code`,
			ent, accts[AcctRevenue].ID, month, actor.TenantID, in.FranchiseeID).Scan(&stores).Error; err != nil {
			return fmt.Errorf("finance: settlement sales: %w", err)
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
		return audit.Record(ctx, audit.Entry{Action: "finance.settlement.generate", ObjectType: "fin_settlement", ObjectID: out.ID.String(),
			Detail: map[string]any{"franchisee_id": in.FranchiseeID, "year": in.Year, "month": in.Month, "royalty": out.Royalty}})
	})
	return out, err
}

// ListSettlements returns settlements, optionally of some franchisees only, in id order.
func (s *Service) ListSettlements(ctx context.Context, tenantID uuid.UUID, franchisees []uuid.UUID, page web.Page) ([]Settlement, error) {
	var out []Settlement
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		q := tenant.DB(ctx).Table("fin_settlements").Select(settlementColumns).Where("tenant_id = ?", tenantID)
		if franchisees != nil {
			q = q.Where("franchisee_id IN ?", append(franchisees, uuid.Nil))
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
		return nil
	})
	return out, err
}

// GetSettlement returns one settlement, or ErrSettlementNotFound.
func (s *Service) GetSettlement(ctx context.Context, tenantID, id uuid.UUID) (Settlement, error) {
	var out Settlement
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		r, err := getSettlement(tenant.DB(ctx), tenantID, id, false)
		out = r.view()
		return err
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
		return audit.Record(ctx, audit.Entry{Action: "finance.settlement.post", ObjectType: "fin_settlement", ObjectID: id.String(),
			Detail: map[string]any{"royalty": out.Royalty, "balance_due": out.BalanceDue}})
	})
	return out, err
}
