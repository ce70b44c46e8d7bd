package finance

import (
	"chainstore/infra/doc"
	"context"
	"time"

	"github.com/google/uuid"
)

// Accounts of the inventory rules (in the chart template; a chart seeded
// before they were gets them when it is next loaded, see seedChart).
const (
	AcctInTransit      = "1402"    // 在途物资 — goods shipped between stores, not yet received
	AcctPayableAccrued = "2202.01" // 应付账款—暂估应付 — stock received without a supplier invoice
)

// Source types of the inventory rules' entries. Each entry names the
// inventory document it came from (Source).
const (
	SrcStockReceipt    = "stock_receipt"    // a receipt entered in the console (no purchase order)
	SrcStockReturn     = "stock_return"     // a customer return entered in the console (cost only)
	SrcStockAdjustment = "stock_adjustment" // a manual stock adjustment
	SrcTransfer        = "transfer"         // a transfer between stores
)

// StockReceiptEvent is stock received without a supplier document (a
// manual receipt in the console, until purchasing exists). Inventory is
// the value the stock took on (the sum of the movements' cost_amount);
// Goods is what the goods are worth at the unit costs given (what will be
// owed to the still unspecified supplier). They differ only when the
// receipt settles negative stock, whose sales were costed at the old
// average: the difference corrects cost of goods sold.
type StockReceiptEvent struct {
	Source       doc.Source
	StoreID      uuid.UUID
	BusinessDate time.Time
	Inventory    int64
	Goods        int64
}

// StockValueEvent is a change of a store's stock value with no other
// party: a manual adjustment (Amount signed: positive is a gain) or a
// console return (positive: stock back at cost).
type StockValueEvent struct {
	Source       doc.Source
	StoreID      uuid.UUID
	BusinessDate time.Time
	Amount       int64
}

// TransferShipEvent is a transfer shipped: Value (at the source's moving
// average) leaves the source store's inventory for goods in transit.
type TransferShipEvent struct {
	Source       doc.Source
	FromStoreID  uuid.UUID
	ToStoreID    uuid.UUID
	BusinessDate time.Time
	Value        int64
}

// TransferReceiveEvent is a shipped transfer received. Shipped is the value
// that left the source (released from goods in transit); Goods the value
// of what arrived at the shipped unit cost (Shipped − Goods is the transit
// loss, negative for an over-receipt); Inventory the value the
// destination's stock took on (differs from Goods only when it settles
// negative stock: the difference corrects cost of goods sold there).
type TransferReceiveEvent struct {
	Source       doc.Source
	FromStoreID  uuid.UUID
	ToStoreID    uuid.UUID
	BusinessDate time.Time
	Shipped      int64
	Goods        int64
	Inventory    int64
}

// PostStockReceipt posts a manual receipt: Dr 库存商品, Cr 应付账款—暂估应付
// (an accrual until the supplier's invoice is matched), with a cost of
// goods sold correction when the receipt settles negative stock. Posts
// nothing when every amount is zero. Idempotent per Source.
func (s *Service) PostStockReceipt(ctx context.Context, tenantID uuid.UUID, ev StockReceiptEvent) ([]Posted, error) {
	return s.postInventoryEvent(ctx, tenantID, []uuid.UUID{ev.StoreID}, ev.Inventory == 0 && ev.Goods == 0, func(b books) ([]Entry, error) {
		e, d, err := b.open(ev.Source, ev.BusinessDate, &ev.StoreID, "手工入库 stock receipt (暂估)")
		if err != nil {
			return nil, err
		}
		if err := checkAmounts(true, []string{"inventory", "goods"}, ev.Inventory, ev.Goods); err != nil {
			return nil, err
		}
		st := &ev.StoreID
		d.dr(e, "stock_receipt", AcctInventory, st, ev.Inventory, "", nil)
		d.dr(e, "stock_receipt", AcctCOGS, st, ev.Goods-ev.Inventory, "", nil)
		d.cr(e, "stock_receipt", AcctPayableAccrued, st, ev.Goods, "", nil)
		return d.entries(), nil
	})
}

// PostStockAdjustment posts a manual stock adjustment at cost on the
// accounts of PostStocktakeVariance (库存商品 against 管理费用; positive
// Amount is a gain), under its own source type so the entry names the
// adjustment document. Posts nothing for a zero amount.
func (s *Service) PostStockAdjustment(ctx context.Context, tenantID uuid.UUID, ev StockValueEvent) ([]Posted, error) {
	return s.postInventoryEvent(ctx, tenantID, []uuid.UUID{ev.StoreID}, ev.Amount == 0, func(b books) ([]Entry, error) {
		return storePair(b, storeMove{"stock_adjustment", "库存调整 stock adjustment", AcctInventory, AcctAdmin, true},
			ev.Source, ev.BusinessDate, ev.StoreID, ev.Amount)
	})
}

// PostStockReturn posts goods a customer returned, entered in the console:
// stock back at cost against cost of goods sold. The refund itself is the
// POS's document (PostReturn); this rule books only the goods. Posts
// nothing for a zero amount.
func (s *Service) PostStockReturn(ctx context.Context, tenantID uuid.UUID, ev StockValueEvent) ([]Posted, error) {
	return s.postInventoryEvent(ctx, tenantID, []uuid.UUID{ev.StoreID}, ev.Amount == 0, func(b books) ([]Entry, error) {
		return storePair(b, storeMove{"stock_return", "退货入库 goods returned (at cost)", AcctInventory, AcctCOGS, true},
			ev.Source, ev.BusinessDate, ev.StoreID, ev.Amount)
	})
}

// PostTransferShip posts a shipped transfer in the source store's books:
// Dr 在途物资, Cr 库存商品, both on the source store. The goods stay the
// shipper's until received (title passes on receipt), so goods in transit
// per store is the value it shipped and is not yet received. Posts nothing
// for a zero value. Idempotent per transfer.
func (s *Service) PostTransferShip(ctx context.Context, tenantID uuid.UUID, ev TransferShipEvent) ([]Posted, error) {
	return s.postInventoryEvent(ctx, tenantID, []uuid.UUID{ev.FromStoreID, ev.ToStoreID}, ev.Value == 0, func(b books) ([]Entry, error) {
		e, d, err := b.open(ev.Source, ev.BusinessDate, &ev.FromStoreID, "调拨出库 transfer shipped")
		if err != nil {
			return nil, err
		}
		if err := checkAmount("value", ev.Value, true); err != nil {
			return nil, err
		}
		d.dr(e, "transfer_ship", AcctInTransit, &ev.FromStoreID, ev.Value, "", nil)
		d.cr(e, "transfer_ship", AcctInventory, &ev.FromStoreID, ev.Value, "", nil)
		return d.entries(), nil
	})
}

// PostTransferReceive posts a received transfer. Goods in transit on the
// source store is released by Shipped; the transit loss (Shipped − Goods,
// a gain when over-received) is the shipper's, in 管理费用 on the source
// store. Within one legal entity the goods go straight into the
// destination store's inventory. Between legal entities (HQ ↔ franchisee,
// franchisee ↔ franchisee) the receipt is a supply at cost, as
// PostSupply books it but without margin or VAT: the shipper books a
// due-from, revenue and cost of goods sold of Goods, the receiver the
// stock and a due-to of Goods; those lines name the other entity
// (internal), so consolidation removes them and still balances. Posts
// nothing when every amount is zero. Idempotent per transfer.
func (s *Service) PostTransferReceive(ctx context.Context, tenantID uuid.UUID, ev TransferReceiveEvent) ([]Posted, error) {
	zero := ev.Shipped == 0 && ev.Goods == 0 && ev.Inventory == 0
	return s.postInventoryEvent(ctx, tenantID, []uuid.UUID{ev.FromStoreID, ev.ToStoreID}, zero, func(b books) ([]Entry, error) {
		from, to := &ev.FromStoreID, &ev.ToStoreID
		src, d, err := b.open(ev.Source, ev.BusinessDate, from, "调拨入库 transfer received")
		if err != nil {
			return nil, err
		}
		dst, err := b.entity("to_store_id", to)
		if err != nil {
			return nil, err
		}
		if err := checkAmounts(true, []string{"shipped", "goods", "inventory"}, ev.Shipped, ev.Goods, ev.Inventory); err != nil {
			return nil, err
		}
		d.cr(src, "transfer_receive", AcctInTransit, from, ev.Shipped, "", nil)
		d.dr(src, "transfer_receive", AcctAdmin, from, ev.Shipped-ev.Goods, "", nil)
		if src == dst {
			d.dr(src, "transfer_receive", AcctInventory, to, ev.Inventory, "", nil)
			d.dr(src, "transfer_receive", AcctCOGS, to, ev.Goods-ev.Inventory, "", nil)
			return d.entries(), nil
		}
		d.dr(src, "transfer_receive", AcctDueFrom, from, ev.Goods, "", &dst)
		d.cr(src, "transfer_receive", AcctRevenue, from, ev.Goods, "", &dst)
		d.dr(src, "transfer_receive", AcctCOGS, from, ev.Goods, "", &dst)
		d.dr(dst, "transfer_supply", AcctInventory, to, ev.Inventory, "", nil)
		d.dr(dst, "transfer_supply", AcctCOGS, to, ev.Goods-ev.Inventory, "", nil)
		d.cr(dst, "transfer_supply", AcctDueTo, to, ev.Goods, "", &src)
		return d.entries(), nil
	})
}

// postInventoryEvent posts an inventory rule's entries; skip posts nothing.
func (s *Service) postInventoryEvent(ctx context.Context, tenantID uuid.UUID, stores []uuid.UUID, skip bool, build func(books) ([]Entry, error)) ([]Posted, error) {
	if skip {
		return nil, nil
	}
	return s.postEvent(ctx, tenantID, sortedStores(ptrs(stores)...), build)
}

func ptrs(ids []uuid.UUID) []*uuid.UUID {
	out := make([]*uuid.UUID, len(ids))
	for i := range ids {
		out[i] = &ids[i]
	}
	return out
}
