package finance

import (
	"context"
	"sync"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/clock"
	"chainstore/tenant"
	"chainstore/tenant/authz"
	"chainstore/tenant/org"
	"chainstore/tenant/users"
)

// Service keeps the chain's books.
type Service struct {
	pool  *tenant.Pool
	authz *authz.Authorizer
	clock *clock.Clock
	org   *org.Service
	users *users.Service
	// charts caches each tenant's chart (code → account). Accounts are
	// never changed or deleted, only added; the cache is filled after
	// commit and dropped when an account is added.
	charts sync.Map
	// books caches each tenant's entities by owner (HQ, each franchisee).
	// An entity is never changed or deleted, only added, so a cached map
	// is only ever missing one; a miss reads them again (entities.go).
	books sync.Map
}

// New builds the service. Store facts (who owns a store, its time zone)
// come from orgs; the names of the people who wrote and approved entries
// from people; business times from clk.
func New(pool *tenant.Pool, az *authz.Authorizer, clk *clock.Clock, orgs *org.Service, people *users.Service) *Service {
	return &Service{pool: pool, authz: az, clock: clk, org: orgs, users: people}
}

// today is the chain's business date now (org.BusinessDate for HQ work,
// on the shared clock): the day finance stamps itself on work done in the
// books rather than in a store, a reversal's default date and this year's
// periods.
func (s *Service) today(ctx context.Context, tenantID uuid.UUID) (time.Time, error) {
	return s.org.BusinessDate(ctx, tenantID, nil, s.clock.Now())
}

// postEvent resolves the books of stores, builds an event's entries and
// posts them, inside the caller's transaction when ctx carries one.
func (s *Service) postEvent(ctx context.Context, tenantID uuid.UUID, stores []uuid.UUID, build func(books) ([]Entry, error)) ([]Posted, error) {
	var out []Posted
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		b, loadErr, err := s.booksOf(ctx, tenantID, stores)
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
		out, err = s.postEntries(ctx, tenantID, es)
		return err
	})
	return out, err
}

// PostSale posts a sale: revenue net of VAT, output VAT, money by method,
// stored value and points (with due-to/due-from entries in the books that
// loaded or issued them when those are another entity's), and cost of goods
// sold against inventory. Idempotent per ev.Source. Returns one Posted per
// entity whose books it touched; ErrInvalidEvent when it does not add up.
//
// The checkout calls it inside its sale's transaction: whatever the number
// of revenue rates, payments, stored-value uses and points, and of the
// entities they touch, it sends one statement (the entries, their lines
// and the roll-ups, with the period checks and the idempotency check in
// it), after the store facts (org, once per transaction) and, for value
// loaded in another entity's books, the clearing ratios (once per
// transaction).
func (s *Service) PostSale(ctx context.Context, tenantID uuid.UUID, ev SaleEvent) ([]Posted, error) {
	return s.postEvent(ctx, tenantID, saleStores(ev), func(b books) ([]Entry, error) { return buildSale(ev, b, "sale") })
}

// PostReturn posts a return (refund) as the mirror of a sale: ev describes
// what is given back; ev.Source is the return (doc.Return). It costs what
// PostSale costs.
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
// Errors: org.ErrFranchiseeNotFound.
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
