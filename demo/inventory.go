package demo

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/google/uuid"

	"chainstore/modules/inventory"
	"chainstore/tenant"
)

// seedInventory adds the demo chain's stock (inside the seed's
// transaction), the way the chain would: an opening receipt of every SKU in
// every store entered in the console (dated lots for goods with a shelf
// life, some close to expiry; posted to the ledger) and min/max
// thresholds on some SKUs (the till sales are the POS seed's). No SKUs,
// nothing to do.
func seedInventory(ctx context.Context, d demo) error {
	inv, cat := d.srv.Inventory, d.srv.Catalog
	tenantID := d.admin.TenantID
	var skus []struct {
		ID            uuid.UUID
		ShelfLifeDays *int
	}
	if err := tenant.DB(ctx).Raw(`SELECT s.id, p.shelf_life_days FROM skus s JOIN products p ON p.tenant_id = s.tenant_id AND p.id = s.product_id
		WHERE s.tenant_id = ? AND s.status = 'active' ORDER BY s.code`, tenantID).Scan(&skus).Error; err != nil {
		return err
	}
	if len(skus) == 0 {
		return nil
	}
	codes := make([]string, 0, len(d.stores))
	for code := range d.stores {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	now := d.srv.Clock.Now()
	ids := make([]uuid.UUID, len(skus))
	for i, s := range skus {
		ids[i] = s.ID
	}
	for si, code := range codes {
		store := d.stores[code]
		prices, err := cat.PriceAt(ctx, tenantID, &store, ids, now)
		if err != nil {
			return err
		}
		var lines []inventory.ManualMovementLine
		for i, s := range skus {
			cost := int64(150 + 37*i%900) // fen per unit, when the catalog has no cost price
			if p := prices[s.ID]; p.Cost != nil {
				cost = *p.Cost
			} else if p.List != nil {
				cost = *p.List * 7 / 10
			}
			l := inventory.ManualMovementLine{SKUID: s.ID, Qty: int64(20+(i*7+si*3)%40) * 1000, UnitCost: &cost}
			if s.ShelfLifeDays != nil {
				exp := now.AddDate(0, 0, *s.ShelfLifeDays)
				if i%5 == 0 {
					exp = now.AddDate(0, 0, 3) // something for the near-expiry list
				}
				day := exp.Format(time.DateOnly)
				l.ExpiryDate = &day
			}
			lines = append(lines, l)
		}
		if _, err := inv.ApplyManual(ctx, d.admin, inventory.ManualMovementInput{StoreID: store, Kind: string(inventory.KindReceipt),
			Reason: "期初库存 opening stock", Lines: lines}); err != nil {
			return fmt.Errorf("opening stock of %s: %w", code, err)
		}
		for i, s := range skus {
			if i%4 != 0 {
				continue
			}
			minQ, maxQ := int64(25_000), int64(80_000)
			if _, err := inv.SetThresholds(ctx, d.admin, store, s.ID, inventory.ThresholdsInput{MinQty: &minQ, MaxQty: &maxQ, SafetyQty: 5_000}); err != nil {
				return fmt.Errorf("thresholds in %s: %w", code, err)
			}
		}
	}
	return nil
}
