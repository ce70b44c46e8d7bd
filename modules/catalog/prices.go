package catalog

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"chainstore/infra/problem"
	"chainstore/infra/web"
	"chainstore/tenant"
	"chainstore/tenant/audit"
	"chainstore/tenant/authz"
)

// priceCols selects, for sku row s, the store's and HQ's latest version of
// each kind in force at a time. Args (in order): store, at repeated for the
// six columns; see priceArgs.
const priceCols = `
	(SELECT v.amount FROM price_versions v WHERE v.tenant_id = s.tenant_id AND v.sku_id = s.id AND v.kind = 'list' AND v.store_id = ? AND v.effective_from <= ? ORDER BY v.effective_from DESC, v.id DESC LIMIT 1) AS list_store,
	(SELECT v.amount FROM price_versions v WHERE v.tenant_id = s.tenant_id AND v.sku_id = s.id AND v.kind = 'list' AND v.store_id IS NULL AND v.effective_from <= ? ORDER BY v.effective_from DESC, v.id DESC LIMIT 1) AS list_hq,
	(SELECT v.amount FROM price_versions v WHERE v.tenant_id = s.tenant_id AND v.sku_id = s.id AND v.kind = 'member' AND v.store_id = ? AND v.effective_from <= ? ORDER BY v.effective_from DESC, v.id DESC LIMIT 1) AS member_store,
	(SELECT v.amount FROM price_versions v WHERE v.tenant_id = s.tenant_id AND v.sku_id = s.id AND v.kind = 'member' AND v.store_id IS NULL AND v.effective_from <= ? ORDER BY v.effective_from DESC, v.id DESC LIMIT 1) AS member_hq`

const costCols = `,
	(SELECT v.amount FROM price_versions v WHERE v.tenant_id = s.tenant_id AND v.sku_id = s.id AND v.kind = 'cost' AND v.store_id = ? AND v.effective_from <= ? ORDER BY v.effective_from DESC, v.id DESC LIMIT 1) AS cost_store,
	(SELECT v.amount FROM price_versions v WHERE v.tenant_id = s.tenant_id AND v.sku_id = s.id AND v.kind = 'cost' AND v.store_id IS NULL AND v.effective_from <= ? ORDER BY v.effective_from DESC, v.id DESC LIMIT 1) AS cost_hq`

func priceArgs(store *uuid.UUID, at time.Time, withCost bool) []any {
	a := []any{store, at, at, store, at, at}
	if withCost {
		a = append(a, store, at, at)
	}
	return a
}

type priceRow struct {
	ID          uuid.UUID
	TaxRateBP   int
	ListStore   *int64
	ListHQ      *int64
	MemberStore *int64
	MemberHQ    *int64
	CostStore   *int64
	CostHQ      *int64
}

func (r priceRow) price() Price {
	p := Price{SKUID: r.ID, TaxRateBP: r.TaxRateBP}
	p.List, p.ListSource = pick(r.ListStore, r.ListHQ)
	p.Member, p.MemberSource = pick(r.MemberStore, r.MemberHQ)
	p.Cost, _ = pick(r.CostStore, r.CostHQ)
	return p
}

func pick(store, hq *int64) (*int64, string) {
	switch {
	case store != nil:
		return store, "store"
	case hq != nil:
		return hq, "hq"
	}
	return nil, ""
}

// PriceAt returns what each SKU cost in a store at a time: the effective
// list price (the store's override if one was in force, else HQ's), the
// member price, the cost and the tax rate. storeID nil asks for HQ's
// prices. SKUs unknown to the tenant are absent from the map. One query for
// all SKUs; the POS calls it inside its sale transaction.
func (s *Service) PriceAt(ctx context.Context, tenantID uuid.UUID, store *uuid.UUID, skuIDs []uuid.UUID, at time.Time) (map[uuid.UUID]Price, error) {
	out := make(map[uuid.UUID]Price, len(skuIDs))
	if len(skuIDs) == 0 {
		return out, nil
	}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var err error
		out, err = pricesAt(tenant.DB(ctx), tenantID, store, skuIDs, at, true)
		return err
	})
	return out, err
}

// pricesAt is PriceAt's one statement, inside the caller's transaction;
// withCost false does not read cost (Cost stays nil).
func pricesAt(db *gorm.DB, tenantID uuid.UUID, store *uuid.UUID, skuIDs []uuid.UUID, at time.Time, withCost bool) (map[uuid.UUID]Price, error) {
	out := make(map[uuid.UUID]Price, len(skuIDs))
	if len(skuIDs) == 0 {
		return out, nil
	}
	cols := priceCols
	if withCost {
		cols += costCols
	}
	var rows []priceRow
	args := append(priceArgs(store, at, withCost), tenantID, skuIDs)
	err := db.Raw(`SELECT s.id, p.tax_rate_bp, `+cols+`
		FROM skus s JOIN products p ON p.tenant_id = s.tenant_id AND p.id = s.product_id
		WHERE s.tenant_id = ? AND s.id IN ?`, args...).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("catalog: price at: %w", err)
	}
	for _, r := range rows {
		out[r.ID] = r.price()
	}
	return out, nil
}

// SetPrice records a price version (audited). HQ prices (no store) need
// prices:write for the chain. A store override needs prices:write in the
// store; a caller without it chain-wide (a franchisee) may set list and
// member prices only, within HQ's bounds for the SKU (ErrOutOfBounds), and
// never cost. The SKU goes out on the feed, scheduled or not.
func (s *Service) SetPrice(ctx context.Context, actor *tenant.Principal, skuID uuid.UUID, in SetPriceInput) (PriceVersion, error) {
	var out PriceVersion
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		if in.StoreID == nil && in.Amount == nil {
			return ErrInvalid.WithFields(problem.FieldError{Field: "amount", Message: "is required for HQ's price (null only ends a store override)"})
		}
		if in.StoreID != nil {
			if err := s.storeExists(ctx, actor.TenantID, *in.StoreID); err != nil {
				return err
			}
		}
		if err := s.lockFeed(ctx, actor.TenantID); err != nil {
			return err
		}
		if _, err := oneSKU(db, actor.TenantID, skuID); err != nil {
			return err
		}
		now := s.clock.Now()
		eff := now
		if in.EffectiveFrom != nil {
			eff = in.EffectiveFrom.UTC()
		}
		if in.StoreID != nil {
			chain, err := s.authz.CanChain(ctx, actor, authz.PricesWrite)
			if err != nil {
				return err
			}
			if !chain {
				if in.Kind == PriceCost {
					return problem.ErrForbidden.WithDetail("only HQ sets cost prices")
				}
				if err := checkBounds(db, actor.TenantID, skuID, in.Amount); err != nil {
					return err
				}
				// The price in force at a past time is what past sales and
				// returns were priced at: only HQ may record history (audited,
				// as every price change); a store's change starts now or later.
				if eff.Before(now.Add(-backdateSkew)) {
					return ErrInvalid.WithFields(problem.FieldError{Field: "effective_from", Message: "must not be in the past for a store's own price"})
				}
			}
		}
		id := uuid.Must(uuid.NewV7())
		if err := db.Exec(`INSERT INTO price_versions (tenant_id, id, sku_id, store_id, kind, amount, effective_from, created_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, actor.TenantID, id, skuID, in.StoreID, in.Kind, in.Amount, eff, nilIfZero(actor.UserID)).Error; err != nil {
			return fmt.Errorf("catalog: set price: %w", err)
		}
		if err := bump(ctx, actor.TenantID, "id = ?", skuID); err != nil {
			return err
		}
		if err := db.Raw(`SELECT `+priceVersionColumns+` FROM price_versions WHERE tenant_id = ? AND id = ?`, actor.TenantID, id).Scan(&out).Error; err != nil {
			return err
		}
		action := "price.set"
		if in.StoreID != nil {
			action = "price.override"
		}
		return audit.Record(ctx, audit.Entry{Action: action, ObjectType: "sku", ObjectID: skuID.String(), StoreID: in.StoreID,
			Detail: map[string]any{"kind": in.Kind, "amount": in.Amount, "effective_from": eff, "price_version_id": id}})
	})
	return out, err
}

func checkBounds(db *gorm.DB, tenantID, skuID uuid.UUID, amount *int64) error {
	if amount == nil {
		return nil // ending an override returns to HQ's price: always allowed
	}
	b, err := bounds(db, tenantID, skuID)
	if err != nil {
		return err
	}
	if b == nil {
		return ErrOutOfBounds.WithDetail("HQ has set no bounds for this SKU, so only HQ sets its store prices").
			WithFields(problem.FieldError{Field: "amount", Message: "HQ allows no store price for this SKU"})
	}
	if *amount < b.MinAmount || *amount > b.MaxAmount {
		return ErrOutOfBounds.WithDetail("HQ allows %d to %d", b.MinAmount, b.MaxAmount).
			WithFields(problem.FieldError{Field: "amount", Message: fmt.Sprintf("must be between %d and %d", b.MinAmount, b.MaxAmount)})
	}
	return nil
}

// bounds reads HQ's bounds for a SKU (nil when none are set).
func bounds(db *gorm.DB, tenantID, skuID uuid.UUID) (*PriceBounds, error) {
	var b []PriceBounds
	if err := db.Raw(`SELECT sku_id, min_amount, max_amount, updated_at FROM price_bounds WHERE tenant_id = ? AND sku_id = ?`, tenantID, skuID).Scan(&b).Error; err != nil {
		return nil, fmt.Errorf("catalog: price bounds: %w", err)
	}
	if len(b) == 0 {
		return nil, nil
	}
	return &b[0], nil
}

// PriceHistory lists a SKU's price versions newest first (by id): HQ's,
// and the store's when storeID is set; withCost false leaves cost out.
func (s *Service) PriceHistory(ctx context.Context, tenantID, skuID uuid.UUID, storeID *uuid.UUID, withCost bool, page web.Page) ([]PriceVersion, error) {
	var out []PriceVersion
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		if storeID != nil {
			if err := s.storeExists(ctx, tenantID, *storeID); err != nil {
				return err
			}
		}
		if _, err := oneSKU(db, tenantID, skuID); err != nil {
			return err
		}
		q := db.Table("price_versions").Select(priceVersionColumns).Where("tenant_id = ? AND sku_id = ?", tenantID, skuID)
		if storeID != nil {
			q = q.Where("(store_id IS NULL OR store_id = ?)", *storeID)
		} else {
			q = q.Where("store_id IS NULL")
		}
		if !withCost {
			q = q.Where("kind <> 'cost'")
		}
		if page.Cursor != uuid.Nil {
			q = q.Where("id < ?", page.Cursor)
		}
		return q.Order("id DESC").Limit(page.Limit + 1).Scan(&out).Error
	})
	return out, err
}

// SKUPrice is the price of one SKU in force at a time (the handler's view of PriceAt).
func (s *Service) SKUPrice(ctx context.Context, tenantID, skuID uuid.UUID, storeID *uuid.UUID, at time.Time) (Price, error) {
	var out Price
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		if storeID != nil {
			if err := s.storeExists(ctx, tenantID, *storeID); err != nil {
				return err
			}
		}
		m, err := s.PriceAt(ctx, tenantID, storeID, []uuid.UUID{skuID}, at)
		if err != nil {
			return err
		}
		p, ok := m[skuID]
		if !ok {
			return ErrSKUNotFound
		}
		out = p
		return nil
	})
	return out, err
}

// GetBounds returns HQ's bounds for a SKU (nil when none are set).
func (s *Service) GetBounds(ctx context.Context, tenantID, skuID uuid.UUID) (*PriceBounds, error) {
	var out *PriceBounds
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		if _, err := oneSKU(db, tenantID, skuID); err != nil {
			return err
		}
		var err error
		out, err = bounds(db, tenantID, skuID)
		return err
	})
	return out, err
}

// SetBounds sets HQ's bounds for franchise stores' prices of a SKU (audited).
func (s *Service) SetBounds(ctx context.Context, actor *tenant.Principal, skuID uuid.UUID, in PriceBoundsInput) (PriceBounds, error) {
	var out PriceBounds
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		if _, err := oneSKU(db, actor.TenantID, skuID); err != nil {
			return err
		}
		if err := db.Raw(`INSERT INTO price_bounds (tenant_id, sku_id, min_amount, max_amount, updated_by) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (tenant_id, sku_id) DO UPDATE SET min_amount = EXCLUDED.min_amount, max_amount = EXCLUDED.max_amount,
				updated_by = EXCLUDED.updated_by, updated_at = now()
			RETURNING sku_id, min_amount, max_amount, updated_at`, actor.TenantID, skuID, in.MinAmount, in.MaxAmount, nilIfZero(actor.UserID)).Scan(&out).Error; err != nil {
			return fmt.Errorf("catalog: set bounds: %w", err)
		}
		return audit.Record(ctx, audit.Entry{Action: "price.bounds", ObjectType: "sku", ObjectID: skuID.String(),
			Detail: map[string]any{"min_amount": in.MinAmount, "max_amount": in.MaxAmount}})
	})
	return out, err
}

// backdateSkew forgives a till's or console's clock running a little ahead
// of the server's when a store sets a price "now".
const backdateSkew = 5 * time.Minute
