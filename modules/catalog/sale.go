package catalog

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/postgres"
	"chainstore/tenant"
)

// SaleItem is a SKU as a sale prices it: the till's item (prices in force
// at the store and time, tax rate, unit, weighed or not) with its
// category's path from the root, for promotions on a category's subtree.
type SaleItem struct {
	Item
	CategoryPath []uuid.UUID
}

// Scan is what one scanned code resolved to: its SKU and what the code
// itself said (kind; for a scale label the embedded weight or price).
type Scan struct {
	SKUID uuid.UUID
	Info  ScanInfo
}

type layoutsKey struct{ tenantID uuid.UUID }

// saleItemSelect is itemSelect with each item's category path.
var saleItemSelect = pathCol + strings.TrimPrefix(itemSelect, "SELECT")

// ForSale resolves a cart: the SKUs named by id, and those behind the
// scanned codes — a registered barcode first (as scanned and normalised:
// UPC-A as EAN-13), else a weighed-goods label of the chain's scale layouts
// by its PLU, with the embedded weight or price (a price-only label's
// weight derived at the list price in force) — all priced for the store
// at at. It costs one statement whatever the number of lines (the items
// with their categories' paths), plus the scale layouts once per transaction
// when a code is shaped like one; none when every line names a SKU by id
// that this instance priced for the store a moment ago (saleCache). Unknown ids and codes are absent from
// the maps; the store must exist (org.ErrStoreNotFound).
func (s *Service) ForSale(ctx context.Context, tenantID, storeID uuid.UUID, at time.Time, skuIDs []uuid.UUID, codes []string) (map[uuid.UUID]SaleItem, map[string]Scan, error) {
	out := map[uuid.UUID]SaleItem{}
	scans := map[string]Scan{}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		if err := s.storeExists(ctx, tenantID, storeID); err != nil {
			return err
		}
		// A cart of SKUs named by id is answered from this instance's
		// cache when it holds them all (a scanned code still reads
		// PostgreSQL); what is missing is read, and kept.
		cached := len(codes) == 0 && !tenant.Marked(ctx, catalogDirty)
		gen := s.sales.generation(tenantID)
		if cached {
			hits, missing := s.sales.get(tenantID, storeID, at, skuIDs)
			if len(missing) == 0 {
				out = hits
				return nil
			}
		}
		db := tenant.DB(ctx)
		type candidate struct {
			raw, code, kind string
			scale           *Scanned
		}
		var lookups, plus []string
		cands := make([]candidate, 0, len(codes))
		for _, raw := range codes {
			raw = strings.TrimSpace(raw)
			c := candidate{raw: raw, code: raw, kind: KindInStore}
			if code, k, err := NormalizeBarcode(raw); err == nil {
				c.code, c.kind = code, k
			}
			lookups = append(lookups, raw, c.code)
			if scaleShaped(raw) {
				layouts, err := tenant.Memo(ctx, layoutsKey{tenantID}, func() ([]ScaleLayout, error) { return scaleLayouts(db, tenantID) })
				if err != nil {
					return err
				}
				if sc, _ := ParseScan(raw, layouts); sc.Weighed {
					c.scale = &sc
					plus = append(plus, sc.PLU)
				}
			}
			cands = append(cands, c)
		}
		if len(skuIDs) == 0 && len(lookups) == 0 {
			return nil
		}
		if skuIDs == nil {
			skuIDs = []uuid.UUID{}
		}
		if lookups == nil {
			lookups = []string{}
		}
		if plus == nil {
			plus = []string{}
		}
		rows, paths, err := itemsWith(db, saleItemSelect, tenantID, storeID, at, `(s.id = ANY(?) OR s.plu = ANY(?)
			OR s.id IN (SELECT b.sku_id FROM sku_barcodes b WHERE b.tenant_id = s.tenant_id AND b.barcode = ANY(?)))`,
			postgres.UUIDs(skuIDs), postgres.Texts(plus), postgres.Texts(lookups))
		if err != nil {
			return err
		}
		for i, it := range rows {
			out[it.SKUID] = SaleItem{Item: it, CategoryPath: paths[i]}
		}
		if cached {
			s.sales.put(tenantID, storeID, at, gen, out)
		}
		for _, c := range cands {
			if sc, ok := registered(rows, c.raw, c.code, c.kind); ok {
				scans[c.raw] = sc
				continue
			}
			if c.scale == nil {
				continue
			}
			for _, it := range rows {
				if it.PLU != nil && strings.TrimLeft(*it.PLU, "0") == strings.TrimLeft(c.scale.PLU, "0") {
					info := ScanInfo{Barcode: c.raw, Kind: c.scale.Kind, Weighed: true, PLU: c.scale.PLU, Quantity: c.scale.Quantity, Amount: c.scale.Amount}
					deriveWeight(&info, it)
					scans[c.raw] = Scan{SKUID: it.SKUID, Info: info}
					break
				}
			}
		}
		return nil
	})
	return out, scans, err
}

// registered finds the item a registered code names, as scanned or
// normalised.
func registered(rows []Item, raw, code, kind string) (Scan, bool) {
	for _, it := range rows {
		if slices.Contains(it.Barcodes, raw) || slices.Contains(it.Barcodes, code) {
			return Scan{SKUID: it.SKUID, Info: ScanInfo{Barcode: raw, Kind: kind}}, true
		}
	}
	return Scan{}, false
}
