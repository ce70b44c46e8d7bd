package inventory

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"chainstore/infra/doc"
	"chainstore/infra/money"
	"chainstore/infra/postgres"
	"chainstore/infra/problem"
	"chainstore/infra/web"
	"chainstore/modules/finance"
	"chainstore/tenant"
	"chainstore/tenant/audit"
	"chainstore/tenant/authz"
	"chainstore/tenant/org"
	"chainstore/tenant/users"
)

// Transfer moves stock between two stores of the chain: requested,
// approved (in the source store), shipped (stock leaves the source and is
// in transit to the destination), received (with short or over
// quantities), or cancelled before shipping.
type Transfer struct {
	ID               uuid.UUID      `json:"id"`
	FromStoreID      uuid.UUID      `json:"from_store_id"`
	ToStoreID        uuid.UUID      `json:"to_store_id"`
	Status           string         `json:"status"`
	CrossEntity      bool           `json:"cross_entity"`
	SettlementStatus *string        `json:"settlement_status"`
	Note             string         `json:"note"`
	RequestedBy      *uuid.UUID     `json:"requested_by"`
	RequestedByName  string         `json:"requested_by_name" gorm:"-"`
	ApprovedBy       *uuid.UUID     `json:"approved_by"`
	ApprovedByName   string         `json:"approved_by_name" gorm:"-"`
	ShippedBy        *uuid.UUID     `json:"shipped_by"`
	ShippedByName    string         `json:"shipped_by_name" gorm:"-"`
	ReceivedBy       *uuid.UUID     `json:"received_by"`
	ReceivedByName   string         `json:"received_by_name" gorm:"-"`
	CreatedAt        time.Time      `json:"created_at"`
	ApprovedAt       *time.Time     `json:"approved_at"`
	ShippedAt        *time.Time     `json:"shipped_at"`
	ReceivedAt       *time.Time     `json:"received_at"`
	CancelledAt      *time.Time     `json:"cancelled_at"`
	Lines            []TransferLine `json:"lines" gorm:"-"`
}

const transferColumns = `id, from_store_id, to_store_id, status, cross_entity, settlement_status, note, requested_by, approved_by, shipped_by,
	received_by, created_at, approved_at, shipped_at, received_at, cancelled_at`

// TransferLine is one SKU of a transfer. Values are fen; DifferenceQty is
// received - shipped (negative: short), valued at the shipped unit cost.
type TransferLine struct {
	SKUID           uuid.UUID `json:"sku_id" gorm:"column:sku_id"`
	SKUCode         string    `json:"sku_code"`
	SKUName         string    `json:"sku_name"`
	Unit            Unit      `json:"unit" gorm:"embedded;embeddedPrefix:unit_"`
	RequestedQty    int64     `json:"requested_qty"`
	ShippedQty      *int64    `json:"shipped_qty"`
	ReceivedQty     *int64    `json:"received_qty"`
	UnitCost        *int64    `json:"unit_cost"`
	ShippedValue    *int64    `json:"shipped_value"`
	ReceivedValue   *int64    `json:"received_value"`
	DifferenceQty   *int64    `json:"difference_qty"`
	DifferenceValue *int64    `json:"difference_value"`
}

// CreateTransferInput requests stock from one store for another.
type CreateTransferInput struct {
	FromStoreID uuid.UUID          `json:"from_store_id" validate:"required"`
	ToStoreID   uuid.UUID          `json:"to_store_id" validate:"required"`
	Note        string             `json:"note" validate:"max=500,text"`
	Lines       []TransferQtyInput `json:"lines" validate:"required,min=1,max=500,dive"`
}

// TransferQtyInput is a SKU and a quantity (thousandths).
type TransferQtyInput struct {
	SKUID uuid.UUID `json:"sku_id" validate:"required"`
	Qty   int64     `json:"qty" validate:"min=0,max=1000000000000"`
}

// TransferQtysInput optionally overrides the quantities shipped or
// received per SKU; SKUs not named ship as requested / receive as shipped.
type TransferQtysInput struct {
	Lines []TransferQtyInput `json:"lines" validate:"max=500,dive"`
}

// TransferFilter narrows the transfer list.
type TransferFilter struct {
	StoreID *uuid.UUID // from or to this store
	Status  string
}

// CreateTransfer records a request. The stores must differ and both be
// the chain's; a transfer between legal entities (HQ vs a franchisee, or
// two franchisees) is flagged cross_entity for settlement.
func (s *Service) CreateTransfer(ctx context.Context, actor *tenant.Principal, in CreateTransferInput) (Transfer, error) {
	var out Transfer
	var bad []problem.FieldError
	if in.FromStoreID == in.ToStoreID {
		bad = append(bad, problem.FieldError{Field: "to_store_id", Message: "must differ from from_store_id"})
	}
	seen := map[uuid.UUID]bool{}
	for i, l := range in.Lines {
		if seen[l.SKUID] {
			bad = append(bad, problem.FieldError{Field: fmt.Sprintf("lines[%d].sku_id", i), Message: "is listed twice"})
		}
		seen[l.SKUID] = true
		if l.Qty <= 0 {
			bad = append(bad, problem.FieldError{Field: fmt.Sprintf("lines[%d].qty", i), Message: "must be positive"})
		}
	}
	if len(bad) > 0 {
		return out, ErrBadTransfer.WithFields(bad...)
	}
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		// The legal entity of each store: HQ's, or its franchisee's.
		entity := map[uuid.UUID]string{}
		for _, st := range []struct {
			field string
			id    uuid.UUID
		}{{"from_store_id", in.FromStoreID}, {"to_store_id", in.ToStoreID}} {
			f, err := s.org.Store(ctx, actor.TenantID, st.id)
			switch {
			case errors.Is(err, org.ErrStoreNotFound):
				bad = append(bad, problem.FieldError{Field: st.field, Message: "is not a store of this chain"})
			case err != nil:
				return err
			case f.FranchiseeID != nil:
				entity[st.id] = f.FranchiseeID.String()
			default:
				entity[st.id] = "hq"
			}
		}
		skuIDs := make([]uuid.UUID, 0, len(in.Lines))
		for _, l := range in.Lines {
			skuIDs = append(skuIDs, l.SKUID)
		}
		var found []uuid.UUID
		if err := db.Raw(`SELECT id FROM skus WHERE tenant_id = ? AND id IN ?`, actor.TenantID, skuIDs).Scan(&found).Error; err != nil {
			return err
		}
		have := map[uuid.UUID]bool{}
		for _, id := range found {
			have[id] = true
		}
		for i, l := range in.Lines {
			if !have[l.SKUID] {
				bad = append(bad, problem.FieldError{Field: fmt.Sprintf("lines[%d].sku_id", i), Message: "is not a SKU of this chain"})
			}
		}
		if len(bad) > 0 {
			return ErrBadTransfer.WithFields(bad...)
		}
		id := uuid.Must(uuid.NewV7())
		cross := entity[in.FromStoreID] != entity[in.ToStoreID]
		if err := db.Exec(`INSERT INTO transfers (tenant_id, id, from_store_id, to_store_id, cross_entity, note, requested_by)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, actor.TenantID, id, in.FromStoreID, in.ToStoreID, cross, in.Note, actor.UserID).Error; err != nil {
			return fmt.Errorf("inventory: create transfer: %w", err)
		}
		var lines columns // sku_id, requested_qty
		for _, l := range in.Lines {
			lines.add(l.SKUID.String(), i64(l.Qty))
		}
		if err := db.Exec(`INSERT INTO transfer_lines (tenant_id, transfer_id, sku_id, requested_qty)
			SELECT ?, ?, v.sku_id, v.qty FROM unnest(?::uuid[], ?::bigint[]) AS v(sku_id, qty)`,
			append([]any{actor.TenantID, id}, lines.arrays(2)...)...).Error; err != nil {
			return fmt.Errorf("inventory: transfer lines: %w", err)
		}
		if err := audit.Record(ctx, audit.Entry{Action: "transfer.request", ObjectType: "transfer", ObjectID: id.String(), StoreID: &in.ToStoreID,
			Detail: map[string]any{"from_store_id": in.FromStoreID, "to_store_id": in.ToStoreID, "cross_entity": cross}}); err != nil {
			return err
		}
		var err error
		if out, err = getTransfer(db, actor.TenantID, id, ""); err != nil {
			return err
		}
		return s.nameTransfer(ctx, actor.TenantID, &out)
	})
	return out, err
}

// GetTransfer returns a transfer with its lines (callers authorise on its
// stores).
func (s *Service) GetTransfer(ctx context.Context, tenantID, id uuid.UUID) (Transfer, error) {
	var out Transfer
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var err error
		if out, err = getTransfer(tenant.DB(ctx), tenantID, id, ""); err != nil {
			return err
		}
		return s.nameTransfer(ctx, tenantID, &out)
	})
	return out, err
}

func getTransfer(db *gorm.DB, tenantID, id uuid.UUID, lock string) (Transfer, error) {
	t, err := postgres.One[Transfer](db, ErrTransferNotFound, `SELECT `+transferColumns+` FROM transfers WHERE tenant_id = ? AND id = ? `+lock, tenantID, id)
	if err != nil {
		return t, err
	}
	t.Lines = []TransferLine{}
	if err := db.Raw(`SELECT x.sku_id, s.code AS sku_code, s.name AS sku_name, `+unitColumns+`, x.requested_qty, x.shipped_qty, x.received_qty, x.unit_cost,
			x.shipped_value, x.received_value, x.difference_qty, x.difference_value
		FROM transfer_lines x JOIN skus s ON s.tenant_id = x.tenant_id AND s.id = x.sku_id `+unitJoin+`
		WHERE x.tenant_id = ? AND x.transfer_id = ? ORDER BY x.sku_id`, tenantID, id).Scan(&t.Lines).Error; err != nil {
		return Transfer{}, fmt.Errorf("inventory: transfer lines: %w", err)
	}
	return t, nil
}

// ListTransfers returns transfers touching the stores in scope, newest first.
func (s *Service) ListTransfers(ctx context.Context, tenantID uuid.UUID, scope authz.StoreScope, f TransferFilter, page web.Page) ([]Transfer, error) {
	var out []Transfer
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		q := tenant.DB(ctx).Table("transfers").Select(transferColumns).Where("tenant_id = ?", tenantID)
		if !scope.All {
			ids := append(scope.Stores, uuid.Nil)
			q = q.Where("(from_store_id IN ? OR to_store_id IN ?)", ids, ids)
		}
		if f.StoreID != nil {
			q = q.Where("(from_store_id = ? OR to_store_id = ?)", *f.StoreID, *f.StoreID)
		}
		if f.Status != "" {
			q = q.Where("status = ?", f.Status)
		}
		if page.Cursor != uuid.Nil {
			q = q.Where("id < ?", page.Cursor)
		}
		if err := q.Order("id DESC").Limit(page.Limit + 1).Scan(&out).Error; err != nil {
			return err
		}
		for i := range out {
			out[i].Lines = []TransferLine{}
		}
		return s.nameTransfers(ctx, tenantID, out)
	})
	return out, err
}

// nameTransfers fills who requested, approved, shipped and received each
// transfer (one statement).
func (s *Service) nameTransfers(ctx context.Context, tenantID uuid.UUID, ts []Transfer) error {
	return users.FillNames(ctx, s.users, tenantID, ts, func(t *Transfer) []users.NameField {
		return []users.NameField{{ID: t.RequestedBy, Name: &t.RequestedByName}, {ID: t.ApprovedBy, Name: &t.ApprovedByName},
			{ID: t.ShippedBy, Name: &t.ShippedByName}, {ID: t.ReceivedBy, Name: &t.ReceivedByName}}
	})
}

// nameTransfer is nameTransfers for one transfer.
func (s *Service) nameTransfer(ctx context.Context, tenantID uuid.UUID, t *Transfer) error {
	return users.One(t, func(rows []Transfer) error { return s.nameTransfers(ctx, tenantID, rows) })
}

// ApproveTransfer approves a requested transfer (transfers:approve in the
// source store, checked by the caller).
func (s *Service) ApproveTransfer(ctx context.Context, actor *tenant.Principal, id uuid.UUID) (Transfer, error) {
	return s.transition(ctx, actor, id, "requested", func(ctx context.Context, t Transfer) error {
		db := tenant.DB(ctx)
		return db.Exec(`UPDATE transfers SET status = 'approved', approved_by = ?, approved_at = ?, updated_at = now() WHERE tenant_id = ? AND id = ?`,
			actor.UserID, s.clock.Now(), actor.TenantID, id).Error
	}, "transfer.approve")
}

// CancelTransfer cancels a transfer that has not shipped.
func (s *Service) CancelTransfer(ctx context.Context, actor *tenant.Principal, id uuid.UUID) (Transfer, error) {
	return s.transition(ctx, actor, id, "requested,approved", func(ctx context.Context, t Transfer) error {
		db := tenant.DB(ctx)
		return db.Exec(`UPDATE transfers SET status = 'cancelled', cancelled_at = ?, updated_at = now() WHERE tenant_id = ? AND id = ?`,
			s.clock.Now(), actor.TenantID, id).Error
	}, "transfer.cancel")
}

// ShipTransfer ships an approved transfer: a transfer_out movement at the
// source for each line (costed at the source's moving average; refused by
// the negative-stock rule like any issue) and in_transit at the
// destination. Lines default to the requested quantity. The expiry lots
// the shipment takes at the source (first-expiring-first) are kept with
// the line for the receipt. The shipped value moves from the source
// store's 库存商品 to 在途物资 in the ledger (finance.PostTransferShip).
func (s *Service) ShipTransfer(ctx context.Context, actor *tenant.Principal, id uuid.UUID, in TransferQtysInput) (Transfer, error) {
	return s.transition(ctx, actor, id, "approved", func(ctx context.Context, t Transfer) error {
		db := tenant.DB(ctx)
		qty, err := overrides(t, in, func(l TransferLine) int64 { return l.RequestedQty })
		if err != nil {
			return err
		}
		mv := MoveInput{StoreID: t.FromStoreID, Kind: KindTransferOut, Source: doc.Of(doc.Transfer, t.ID),
			Reason: "transfer to " + t.ToStoreID.String(), UserID: &actor.UserID, OccurredAt: s.clock.Now()}
		var total int64
		for _, l := range t.Lines {
			if qty[l.SKUID] > 0 {
				mv.Lines = append(mv.Lines, MoveLine{SKUID: l.SKUID, Qty: qty[l.SKUID]})
				total += qty[l.SKUID]
			}
		}
		if total == 0 {
			return ErrBadTransfer.WithFields(problem.FieldError{Field: "lines", Message: "nothing to ship"})
		}
		res, err := s.apply(ctx, actor.TenantID, mv)
		if err != nil {
			return err
		}
		value := map[uuid.UUID]MoveResult{}
		for _, r := range res {
			value[r.SKUID] = r
		}
		var shipped int64
		for _, l := range t.Lines {
			q := qty[l.SKUID]
			r := value[l.SKUID]
			shipped -= r.CostAmount
			if err := db.Exec(`UPDATE transfer_lines SET shipped_qty = ?, unit_cost = ?, shipped_value = ? WHERE tenant_id = ? AND transfer_id = ? AND sku_id = ?`,
				q, r.UnitCost, -r.CostAmount, actor.TenantID, id, l.SKUID).Error; err != nil {
				return err
			}
			if q == 0 {
				continue
			}
			for _, lot := range r.Lots {
				if err := db.Exec(`INSERT INTO transfer_line_lots (tenant_id, transfer_id, sku_id, expiry_date, qty) VALUES (?, ?, ?, ?::date, ?)`,
					actor.TenantID, id, l.SKUID, lot.ExpiryDate.Format(time.DateOnly), lot.Qty).Error; err != nil {
					return fmt.Errorf("inventory: shipped lot: %w", err)
				}
			}
			if err := db.Exec(`INSERT INTO stock_levels (tenant_id, store_id, sku_id, in_transit) VALUES (?, ?, ?, ?)
				ON CONFLICT (tenant_id, store_id, sku_id) DO UPDATE SET in_transit = stock_levels.in_transit + EXCLUDED.in_transit,
					version = stock_levels.version + 1, updated_at = now()`, actor.TenantID, t.ToStoreID, l.SKUID, q).Error; err != nil {
				return fmt.Errorf("inventory: in transit: %w", err)
			}
		}
		date, err := s.businessDate(ctx, actor.TenantID, t.FromStoreID, mv.OccurredAt)
		if err != nil {
			return err
		}
		if _, err := s.fin.PostTransferShip(ctx, actor.TenantID, finance.TransferShipEvent{Source: mv.Source, FromStoreID: t.FromStoreID,
			ToStoreID: t.ToStoreID, BusinessDate: date, Value: shipped}); err != nil {
			return err
		}
		return db.Exec(`UPDATE transfers SET status = 'shipped', shipped_by = ?, shipped_at = ?, updated_at = now() WHERE tenant_id = ? AND id = ?`,
			actor.UserID, mv.OccurredAt, actor.TenantID, id).Error
	}, "transfer.ship")
}

// ReceiveTransfer receives a shipped transfer at the destination: a
// transfer_in movement for each received quantity at the shipped cost (a
// full receipt books exactly the shipped value), in_transit released by
// the shipped quantity. A short or over receipt is recorded on the line as
// difference_qty/difference_value (the short value left the source at
// shipping and entered no store: a transit loss for finance).
//
// Expiry lots: the received quantity opens lots at the destination with
// the dates the shipment took at the source (receivedLots: earliest expiry
// first, then the undated part), so a shortage comes off the undated part
// and then the latest-expiring lots, and an excess joins the earliest lot.
//
// Ledger (finance.PostTransferReceive): 在途物资 of the source is released
// by the shipped value, the received value enters the destination's
// 库存商品 and the difference is the shipper's transit loss (or gain). A
// transfer between legal entities is a supply at cost booked in both
// entities' books (due-from/due-to, internal); its settlement_status
// becomes 'pending' until the franchise settlement clears it.
func (s *Service) ReceiveTransfer(ctx context.Context, actor *tenant.Principal, id uuid.UUID, in TransferQtysInput) (Transfer, error) {
	return s.transition(ctx, actor, id, "shipped", func(ctx context.Context, t Transfer) error {
		db := tenant.DB(ctx)
		qty, err := overrides(t, in, func(l TransferLine) int64 { return deref(l.ShippedQty) })
		if err != nil {
			return err
		}
		if err := checkOverReceipt(db, actor.TenantID, t, in, qty); err != nil {
			return err
		}
		var lotRows []struct {
			SKUID      uuid.UUID `gorm:"column:sku_id"`
			ExpiryDate time.Time
			Qty        int64
		}
		if err := db.Raw(`SELECT sku_id, expiry_date, qty FROM transfer_line_lots WHERE tenant_id = ? AND transfer_id = ? ORDER BY sku_id, expiry_date`,
			actor.TenantID, id).Scan(&lotRows).Error; err != nil {
			return fmt.Errorf("inventory: shipped lots: %w", err)
		}
		shippedLots := map[uuid.UUID][]LotQty{}
		for _, r := range lotRows {
			shippedLots[r.SKUID] = append(shippedLots[r.SKUID], LotQty{ExpiryDate: r.ExpiryDate, Qty: r.Qty})
		}
		var shippedTotal, goodsTotal int64
		mv := MoveInput{StoreID: t.ToStoreID, Kind: KindTransferIn, Source: doc.Of(doc.Transfer, t.ID),
			Reason: "transfer from " + t.FromStoreID.String(), UserID: &actor.UserID, OccurredAt: s.clock.Now()}
		recv := map[uuid.UUID]int64{}
		var diffs []map[string]any
		for _, l := range t.Lines {
			shipped, q := deref(l.ShippedQty), qty[l.SKUID]
			v := money.MulDiv(q, deref(l.UnitCost), 1000)
			if q == shipped {
				v = deref(l.ShippedValue)
			}
			recv[l.SKUID] = v
			shippedTotal += deref(l.ShippedValue)
			goodsTotal += v
			if q > 0 {
				mv.Lines = append(mv.Lines, MoveLine{SKUID: l.SKUID, Qty: q, Value: &v, Lots: receivedLots(shippedLots[l.SKUID], shipped, q)})
			}
			if q != shipped {
				diffs = append(diffs, map[string]any{"sku_id": l.SKUID, "shipped": shipped, "received": q, "value": v - deref(l.ShippedValue)})
			}
			if shipped > 0 {
				if err := db.Exec(`UPDATE stock_levels SET in_transit = in_transit - ?, version = version + 1, updated_at = now()
					WHERE tenant_id = ? AND store_id = ? AND sku_id = ?`, shipped, actor.TenantID, t.ToStoreID, l.SKUID).Error; err != nil {
					return fmt.Errorf("inventory: release in transit: %w", err)
				}
			}
			if err := db.Exec(`UPDATE transfer_lines SET received_qty = ?, received_value = ?, difference_qty = ?, difference_value = ?
				WHERE tenant_id = ? AND transfer_id = ? AND sku_id = ?`, q, v, q-shipped, v-deref(l.ShippedValue), actor.TenantID, id, l.SKUID).Error; err != nil {
				return err
			}
		}
		var inventory int64
		if len(mv.Lines) > 0 {
			res, err := s.apply(ctx, actor.TenantID, mv)
			if err != nil {
				return err
			}
			for _, r := range res {
				inventory += r.CostAmount
			}
		}
		date, err := s.businessDate(ctx, actor.TenantID, t.ToStoreID, mv.OccurredAt)
		if err != nil {
			return err
		}
		if _, err := s.fin.PostTransferReceive(ctx, actor.TenantID, finance.TransferReceiveEvent{Source: mv.Source, FromStoreID: t.FromStoreID,
			ToStoreID: t.ToStoreID, BusinessDate: date, Shipped: shippedTotal, Goods: goodsTotal, Inventory: inventory}); err != nil {
			return err
		}
		if len(diffs) > 0 {
			if err := audit.Record(ctx, audit.Entry{Action: "transfer.receive_difference", ObjectType: "transfer", ObjectID: id.String(),
				StoreID: &t.ToStoreID, Detail: map[string]any{"lines": diffs}}); err != nil {
				return err
			}
		}
		return db.Exec(`UPDATE transfers SET status = 'received', received_by = ?, received_at = ?, updated_at = now(),
			settlement_status = CASE WHEN cross_entity THEN 'pending' END WHERE tenant_id = ? AND id = ?`,
			actor.UserID, mv.OccurredAt, actor.TenantID, id).Error
	}, "transfer.receive")
}

// transition locks the transfer, checks its status is one of from, runs
// step and audits the action.
func (s *Service) transition(ctx context.Context, actor *tenant.Principal, id uuid.UUID, from string, step func(context.Context, Transfer) error, action string) (Transfer, error) {
	var out Transfer
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		t, err := getTransfer(db, actor.TenantID, id, "FOR UPDATE")
		if err != nil {
			return err
		}
		if !containsWord(from, t.Status) {
			return ErrTransferState.WithDetail("the transfer is %s", t.Status)
		}
		if err := step(ctx, t); err != nil {
			return err
		}
		if err := audit.Record(ctx, audit.Entry{Action: action, ObjectType: "transfer", ObjectID: id.String(), StoreID: &t.FromStoreID}); err != nil {
			return err
		}
		if out, err = getTransfer(db, actor.TenantID, id, ""); err != nil {
			return err
		}
		return s.nameTransfer(ctx, actor.TenantID, &out)
	})
	return out, err
}

// overrides merges per-SKU quantities over the defaults; a SKU that is not
// on the transfer is ErrBadTransfer.
func overrides(t Transfer, in TransferQtysInput, def func(TransferLine) int64) (map[uuid.UUID]int64, error) {
	out := map[uuid.UUID]int64{}
	for _, l := range t.Lines {
		out[l.SKUID] = def(l)
	}
	var bad []problem.FieldError
	seen := map[uuid.UUID]bool{}
	for i, l := range in.Lines {
		if _, ok := out[l.SKUID]; !ok || seen[l.SKUID] {
			bad = append(bad, problem.FieldError{Field: fmt.Sprintf("lines[%d].sku_id", i), Message: "is not a line of this transfer, or is listed twice"})
			continue
		}
		seen[l.SKUID] = true
		out[l.SKUID] = l.Qty
	}
	if len(bad) > 0 {
		return nil, ErrBadTransfer.WithFields(bad...)
	}
	return out, nil
}

// checkOverReceipt refuses a receipt that exceeds any line's shipped
// quantity by more than the chain's tolerance (Settings.OverReceiptPct),
// naming the input line when the receipt gave one. A shortfall is always
// accepted: the difference is valued and audited.
func checkOverReceipt(db *gorm.DB, tenantID uuid.UUID, t Transfer, in TransferQtysInput, qty map[uuid.UUID]int64) error {
	set, err := getSettings(db, tenantID)
	if err != nil {
		return err
	}
	field := map[uuid.UUID]string{}
	for i, l := range in.Lines {
		field[l.SKUID] = fmt.Sprintf("lines[%d].qty", i)
	}
	var bad []problem.FieldError
	for _, l := range t.Lines {
		shipped := deref(l.ShippedQty)
		limit := shipped + money.MulDivDown(shipped, int64(set.OverReceiptPct), 100)
		if q := qty[l.SKUID]; q > limit {
			bad = append(bad, problem.FieldError{Field: field[l.SKUID], Message: fmt.Sprintf(
				"%s: %d received against %d shipped; the chain accepts at most %d (%d%% over): recount, or ask HQ to raise over_receipt_pct",
				l.SKUCode, q, shipped, limit, set.OverReceiptPct)})
		}
	}
	if len(bad) > 0 {
		return ErrOverReceipt.WithFields(bad...)
	}
	return nil
}

// receivedLots spreads a received quantity over the lots a line shipped
// with: earliest expiry first, then the undated rest of the shipment, so a
// shortage comes off the undated part and then the latest-expiring lots;
// an excess over the shipped quantity joins the earliest lot (the
// conservative guess for the near-expiry list). Nil when nothing shipped
// was dated.
func receivedLots(lots []LotQty, shipped, received int64) []LotQty {
	if len(lots) == 0 || received <= 0 {
		return nil
	}
	out := make([]LotQty, 0, len(lots))
	left := received
	for _, l := range lots {
		take := min(l.Qty, left)
		if take <= 0 {
			break
		}
		out = append(out, LotQty{ExpiryDate: l.ExpiryDate, Qty: take})
		left -= take
	}
	if received > shipped {
		out[0].Qty += received - shipped
	}
	return out
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

func containsWord(list, w string) bool {
	for start := 0; start <= len(list); {
		end := start
		for end < len(list) && list[end] != ',' {
			end++
		}
		if list[start:end] == w {
			return true
		}
		start = end + 1
	}
	return false
}
