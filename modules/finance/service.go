package finance

import (
	"context"
	"fmt"
	"sync"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"chainstore/tenant"
	"chainstore/tenant/authz"
)

// Service keeps the chain's books.
type Service struct {
	pool  *tenant.Pool
	authz *authz.Authorizer
	// charts caches each tenant's chart (code → account). Accounts are
	// never changed or deleted, only added; the cache is filled and
	// dropped after commit.
	charts sync.Map
}

// New builds the service.
func New(pool *tenant.Pool, az *authz.Authorizer) *Service { return &Service{pool: pool, authz: az} }

// accountsWith is accounts, reloaded from PostgreSQL when one of codes is
// missing from the cached chart: another instance may have added it.
func (s *Service) accountsWith(ctx context.Context, tenantID uuid.UUID, codes []string) (map[string]acctInfo, error) {
	m, err := s.accounts(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	for _, c := range codes {
		if _, ok := m[c]; !ok {
			s.charts.Delete(tenantID)
			return s.accounts(ctx, tenantID)
		}
	}
	return m, nil
}

// accounts returns the tenant's chart by code, seeding it from the
// template the first time. The chart is cached per instance; accountsWith
// refreshes it when a code is unknown.
func (s *Service) accounts(ctx context.Context, tenantID uuid.UUID) (map[string]acctInfo, error) {
	if m, ok := s.charts.Load(tenantID); ok {
		return m.(map[string]acctInfo), nil
	}
	db := tenant.DB(ctx)
	load := func() (map[string]acctInfo, error) {
		var rows []acctInfo
		if err := db.Raw(`SELECT id, code, type, is_cash, is_internal FROM fin_accounts WHERE tenant_id = ?`, tenantID).Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("finance: load chart: %w", err)
		}
		m := make(map[string]acctInfo, len(rows))
		for _, r := range rows {
			m[r.Code] = r
		}
		return m, nil
	}
	m, err := load()
	if err != nil {
		return nil, err
	}
	if !hasTemplate(m) {
		// A new chain, or a chart seeded before the template grew.
		if err := seedChart(db, tenantID); err != nil {
			return nil, err
		}
		if m, err = load(); err != nil {
			return nil, err
		}
	}
	tenant.AfterCommit(ctx, func(context.Context) { s.charts.Store(tenantID, m) })
	return m, nil
}

// hasTemplate reports whether the chart holds every template account.
func hasTemplate(m map[string]acctInfo) bool {
	for _, a := range chartTemplate {
		if _, ok := m[a.code]; !ok {
			return false
		}
	}
	return true
}

// seedChart adds the template accounts the chart lacks (all of them for a
// new chain), parents first as the template lists them, each under its
// parent as stored; accounts already there are left as they are.
func seedChart(db *gorm.DB, tenantID uuid.UUID) error {
	for _, a := range chartTemplate {
		if err := db.Exec(`INSERT INTO fin_accounts (tenant_id, id, code, name, name_en, type, normal_side, parent_id, is_cash, is_internal, system)
			VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT id FROM fin_accounts WHERE tenant_id = ? AND code = ?), ?, ?, true)
			ON CONFLICT (tenant_id, code) DO NOTHING`,
			tenantID, uuid.Must(uuid.NewV7()), a.code, a.name, a.nameEn, a.typ, a.side, tenantID, a.parent, a.cash, a.internal).Error; err != nil {
			return fmt.Errorf("finance: seed chart: %w", err)
		}
	}
	return nil
}

// EnsureEntities creates the missing books: HQ's and one per franchisee,
// and the chart of accounts. Safe to call any time; it changes nothing
// when everything exists.
func (s *Service) EnsureEntities(ctx context.Context, tenantID uuid.UUID) error {
	return s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		// Reads call this on every request: a read answers when nothing is
		// missing, and only a missing book or chart costs writes.
		var complete bool
		if err := db.Raw(`SELECT EXISTS (SELECT 1 FROM fin_entities WHERE tenant_id = ? AND kind = 'hq')
			AND NOT EXISTS (SELECT 1 FROM franchisees f WHERE f.tenant_id = ?
				AND NOT EXISTS (SELECT 1 FROM fin_entities e WHERE e.tenant_id = f.tenant_id AND e.franchisee_id = f.id))
			AND EXISTS (SELECT 1 FROM fin_accounts WHERE tenant_id = ?)`, tenantID, tenantID, tenantID).Scan(&complete).Error; err != nil {
			return fmt.Errorf("finance: check books: %w", err)
		}
		if complete {
			return nil
		}
		if err := db.Exec(`INSERT INTO fin_entities (tenant_id, id, kind, name)
			SELECT id, ?, 'hq', left(name || ' 总部', 200) FROM tenants WHERE id = ?
			ON CONFLICT ON CONSTRAINT fin_entities_franchisee_key DO NOTHING`, uuid.Must(uuid.NewV7()), tenantID).Error; err != nil {
			return fmt.Errorf("finance: ensure HQ entity: %w", err)
		}
		var missing []struct {
			ID   uuid.UUID
			Name string
		}
		if err := db.Raw(`SELECT f.id, coalesce(nullif(f.legal_name, ''), f.name) AS name FROM franchisees f
			WHERE f.tenant_id = ? AND NOT EXISTS (SELECT 1 FROM fin_entities e WHERE e.tenant_id = f.tenant_id AND e.franchisee_id = f.id)`,
			tenantID).Scan(&missing).Error; err != nil {
			return fmt.Errorf("finance: find franchisees: %w", err)
		}
		for _, f := range missing {
			if err := db.Exec(`INSERT INTO fin_entities (tenant_id, id, kind, franchisee_id, name) VALUES (?, ?, 'franchisee', ?, ?)
				ON CONFLICT ON CONSTRAINT fin_entities_franchisee_key DO NOTHING`, tenantID, uuid.Must(uuid.NewV7()), f.ID, f.Name).Error; err != nil {
				return fmt.Errorf("finance: ensure franchisee entity: %w", err)
			}
		}
		_, err := s.accounts(ctx, tenantID)
		return err
	})
}

// HQEntity returns the id of HQ's books, creating the books if needed.
func (s *Service) HQEntity(ctx context.Context, tenantID uuid.UUID) (uuid.UUID, error) {
	var id uuid.UUID
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var err error
		id, err = s.hqEntity(ctx, tenantID)
		return err
	})
	return id, err
}

func (s *Service) hqEntity(ctx context.Context, tenantID uuid.UUID) (uuid.UUID, error) {
	for attempt := 0; attempt < 2; attempt++ {
		var ids []uuid.UUID
		if err := tenant.DB(ctx).Raw(`SELECT id FROM fin_entities WHERE tenant_id = ? AND kind = 'hq'`, tenantID).Scan(&ids).Error; err != nil {
			return uuid.Nil, fmt.Errorf("finance: HQ entity: %w", err)
		}
		if len(ids) > 0 {
			return ids[0], nil
		}
		if err := s.EnsureEntities(ctx, tenantID); err != nil {
			return uuid.Nil, err
		}
	}
	return uuid.Nil, fmt.Errorf("finance: HQ entity missing after EnsureEntities")
}

// EntityOfStore returns the books a store's postings go to: HQ's for a
// direct-owned store, its franchisee's for a franchise store.
func (s *Service) EntityOfStore(ctx context.Context, tenantID, storeID uuid.UUID) (uuid.UUID, error) {
	var id uuid.UUID
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		m, err := s.storeEntities(ctx, tenantID, []uuid.UUID{storeID})
		id = m[storeID]
		if err == nil && id == uuid.Nil {
			err = ErrStoreNotFound
		}
		return err
	})
	return id, err
}

func (s *Service) storeEntities(ctx context.Context, tenantID uuid.UUID, stores []uuid.UUID) (map[uuid.UUID]uuid.UUID, error) {
	out := map[uuid.UUID]uuid.UUID{}
	if len(stores) == 0 {
		return out, nil
	}
	for attempt := 0; attempt < 2; attempt++ {
		var rows []struct {
			StoreID  uuid.UUID
			EntityID *uuid.UUID
		}
		if err := tenant.DB(ctx).Raw(`SELECT s.id AS store_id, e.id AS entity_id FROM stores s
			LEFT JOIN fin_entities e ON e.tenant_id = s.tenant_id AND
				((s.type = 'franchise' AND e.franchisee_id = s.franchisee_id) OR (s.type = 'direct' AND e.kind = 'hq'))
			WHERE s.tenant_id = ? AND s.id IN ?`, tenantID, stores).Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("finance: store entities: %w", err)
		}
		missing := false
		for _, r := range rows {
			if r.EntityID == nil {
				missing = true
				continue
			}
			out[r.StoreID] = *r.EntityID
		}
		if !missing {
			return out, nil
		}
		if err := s.EnsureEntities(ctx, tenantID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// books resolves the entities of stores and the clearing ratios.
func (s *Service) books(ctx context.Context, tenantID uuid.UUID, stores []uuid.UUID) (books, *error, error) {
	hq, err := s.hqEntity(ctx, tenantID)
	if err != nil {
		return books{}, nil, err
	}
	m, err := s.storeEntities(ctx, tenantID, stores)
	if err != nil {
		return books{}, nil, err
	}
	var loadErr error
	var rules map[uuid.UUID]ClearingRule // entity → rule; uuid.Nil → default
	b := books{hq: hq, stores: m}
	b.clearing = func(a, c uuid.UUID) ClearingRule {
		if rules == nil {
			rules, loadErr = s.clearingByEntity(ctx, tenantID)
		}
		for _, e := range []uuid.UUID{c, a} { // the franchisee's own rule, the spender's first
			if r, ok := rules[e]; ok && e != hq {
				return r
			}
		}
		return rules[uuid.Nil]
	}
	return b, &loadErr, nil
}

func (s *Service) postEvent(ctx context.Context, tenantID uuid.UUID, stores []uuid.UUID, build func(books) ([]Entry, error)) ([]Posted, error) {
	var out []Posted
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		b, loadErr, err := s.books(ctx, tenantID, stores)
		if err != nil {
			return err
		}
		es, err := build(b)
		if *loadErr != nil {
			return *loadErr
		}
		if err != nil {
			return err
		}
		for _, e := range es {
			p, err := s.post(ctx, tenantID, e)
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

// PostSale posts a sale: revenue net of VAT, output VAT, money by method,
// stored value and points (with due-to/due-from entries in the books that
// loaded or issued them when those are another entity's), and cost of goods
// sold against inventory. Idempotent per ev.Source. Returns one Posted per
// entity whose books it touched; ErrInvalidEvent when it does not add up.
func (s *Service) PostSale(ctx context.Context, tenantID uuid.UUID, ev SaleEvent) ([]Posted, error) {
	return s.postEvent(ctx, tenantID, saleStores(ev), func(b books) ([]Entry, error) { return buildSale(ev, b, "sale") })
}

// PostReturn posts a return (refund) as the mirror of a sale: ev describes
// what is given back; ev.Source is the return (doc.Return).
func (s *Service) PostReturn(ctx context.Context, tenantID uuid.UUID, ev SaleEvent) ([]Posted, error) {
	return s.postEvent(ctx, tenantID, saleStores(ev), func(b books) ([]Entry, error) {
		es, err := buildSale(ev, b, "return")
		return reversed(es), err
	})
}

func saleStores(ev SaleEvent) []uuid.UUID {
	ids := []*uuid.UUID{&ev.StoreID}
	for i := range ev.StoredValue {
		ids = append(ids, ev.StoredValue[i].LoadedStoreID)
	}
	for i := range ev.Points {
		ids = append(ids, ev.Points[i].IssuedStoreID)
	}
	return sortedStores(ids...)
}

// PostTopUp posts a stored-value top-up: money in, principal and bonus as
// contract liabilities (the bonus against selling expense).
func (s *Service) PostTopUp(ctx context.Context, tenantID uuid.UUID, ev TopUpEvent) ([]Posted, error) {
	return s.postEvent(ctx, tenantID, sortedStores(ev.StoreID), func(b books) ([]Entry, error) { return buildTopUp(ev, b) })
}

// PostPointsRedemption posts a gift taken from stock for points (selling
// expense at cost, cleared with the issuing entity when another).
func (s *Service) PostPointsRedemption(ctx context.Context, tenantID uuid.UUID, ev PointsRedemptionEvent) ([]Posted, error) {
	return s.postEvent(ctx, tenantID, sortedStores(&ev.StoreID, ev.IssuedStoreID), func(b books) ([]Entry, error) { return buildPointsRedemption(ev, b) })
}

// PostGoodsReceipt posts goods received: inventory, input VAT, payable.
func (s *Service) PostGoodsReceipt(ctx context.Context, tenantID uuid.UUID, ev GoodsReceiptEvent) ([]Posted, error) {
	return s.postEvent(ctx, tenantID, sortedStores(ev.StoreID), func(b books) ([]Entry, error) { return buildGoodsReceipt(ev, b) })
}

// PostSupplierPayment posts a payment to a supplier.
func (s *Service) PostSupplierPayment(ctx context.Context, tenantID uuid.UUID, ev SupplierPaymentEvent) ([]Posted, error) {
	return s.postEvent(ctx, tenantID, sortedStores(ev.StoreID), func(b books) ([]Entry, error) { return buildSupplierPayment(ev, b) })
}

// PostStocktakeVariance posts a stocktake gain (positive) or loss (negative) at cost.
func (s *Service) PostStocktakeVariance(ctx context.Context, tenantID uuid.UUID, ev StocktakeVarianceEvent) ([]Posted, error) {
	return s.postEvent(ctx, tenantID, sortedStores(&ev.StoreID), func(b books) ([]Entry, error) { return buildStocktakeVariance(ev, b) })
}

// PostWriteOff posts stock written off at cost.
func (s *Service) PostWriteOff(ctx context.Context, tenantID uuid.UUID, ev WriteOffEvent) ([]Posted, error) {
	return s.postEvent(ctx, tenantID, sortedStores(&ev.StoreID), func(b books) ([]Entry, error) { return buildWriteOff(ev, b) })
}

// PostRoyalty posts a franchise store's royalty in both books (internal lines).
func (s *Service) PostRoyalty(ctx context.Context, tenantID uuid.UUID, ev RoyaltyEvent) ([]Posted, error) {
	return s.postEvent(ctx, tenantID, sortedStores(&ev.StoreID), func(b books) ([]Entry, error) { return buildRoyalty(ev, b) })
}

// PostSupply posts goods HQ sells to a franchise store, in both books.
func (s *Service) PostSupply(ctx context.Context, tenantID uuid.UUID, ev SupplyEvent) ([]Posted, error) {
	return s.postEvent(ctx, tenantID, sortedStores(&ev.StoreID), func(b books) ([]Entry, error) { return buildSupply(ev, b) })
}

// PostFranchiseePayment posts money a franchisee pays HQ, in both books.
func (s *Service) PostFranchiseePayment(ctx context.Context, tenantID uuid.UUID, ev FranchiseePaymentEvent) ([]Posted, error) {
	var out []Posted
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		f, err := s.franchiseeEntity(ctx, tenantID, ev.FranchiseeID)
		if err != nil {
			return err
		}
		out, err = s.postEvent(ctx, tenantID, nil, func(b books) ([]Entry, error) { return buildFranchiseePayment(ev, b, f) })
		return err
	})
	return out, err
}

func (s *Service) franchiseeEntity(ctx context.Context, tenantID, franchiseeID uuid.UUID) (uuid.UUID, error) {
	for attempt := 0; attempt < 2; attempt++ {
		var ids []uuid.UUID
		if err := tenant.DB(ctx).Raw(`SELECT id FROM fin_entities WHERE tenant_id = ? AND franchisee_id = ?`, tenantID, franchiseeID).Scan(&ids).Error; err != nil {
			return uuid.Nil, fmt.Errorf("finance: franchisee entity: %w", err)
		}
		if len(ids) > 0 {
			return ids[0], nil
		}
		if err := s.EnsureEntities(ctx, tenantID); err != nil {
			return uuid.Nil, err
		}
	}
	return uuid.Nil, ErrFranchiseeNotFound
}
