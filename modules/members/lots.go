package members

import (
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"chainstore/infra/money"
	"chainstore/modules/finance"
)

// Stored value is held in lots (stored_value_lots, migration 00012): each
// top-up is a lot that keeps the store where it was loaded (nil: HQ or
// online), so the books of the legal entity that holds the money release
// it when it is spent, refunded or cashed out elsewhere. The account row's
// balances always equal the sum of the member's open lots; every movement
// locks the account row first (lockAccount), then the lots.
//
//   - a payment takes lots oldest first (created_at, id); within a lot,
//     principal and bonus in proportion to what is left of it (bonus part
//     rounded down, see split);
//   - a refund returns value to the lots its payment took, the lot taken
//     last first, each in proportion to what is left unrefunded of it;
//   - a cash-out empties every lot.
//
// stored_value_lot_moves records which lots each entry moved; Uses on the
// entry is that, per loading store, for finance (ValueEntry.StoredValueUses).

// ValueUse is the part of a stored-value movement taken from (or returned
// to) value loaded at one store: principal and bonus as positive amounts.
type ValueUse struct {
	LoadedStoreID *uuid.UUID `json:"loaded_store_id"`
	Principal     int64      `json:"principal"`
	Bonus         int64      `json:"bonus"`
}

// StoredValueUses is the entry's breakdown per loading store in the shape
// finance.SaleEvent.StoredValue (and StoredValueCashOutEvent.Loaded) takes.
func (e ValueEntry) StoredValueUses() []finance.StoredValueUse {
	out := make([]finance.StoredValueUse, len(e.Uses))
	for i, u := range e.Uses {
		out[i] = finance.StoredValueUse{Principal: u.Principal, Bonus: u.Bonus, LoadedStoreID: u.LoadedStoreID}
	}
	return out
}

// PointsUse is the part of a points burn taken from lots earned at one
// store: points (positive) and their money value in fen.
type PointsUse struct {
	IssuedStoreID *uuid.UUID `json:"issued_store_id"`
	Points        int64      `json:"points"`
	Value         int64      `json:"value"`
}

// PointsUses is a redemption's value per earning store in the shape
// finance.SaleEvent.Points takes.
func (e PointsEntry) PointsUses() []finance.PointsUse {
	out := make([]finance.PointsUse, len(e.Uses))
	for i, u := range e.Uses {
		out[i] = finance.PointsUse{Value: u.Value, IssuedStoreID: u.IssuedStoreID}
	}
	return out
}

type lotTake struct {
	ID   uuid.UUID
	P, B int64 // positive
}

type openLot struct {
	ID                 uuid.UUID
	RemainingPrincipal int64
	RemainingBonus     int64
}

// planTake locks the member's open lots and plans taking amount from them,
// oldest first (account already locked). The lots must cover amount.
func planTake(db *gorm.DB, tenantID, memberID uuid.UUID, amount int64) ([]lotTake, int64, int64, error) {
	var lots []openLot
	if err := db.Raw(`SELECT id, remaining_principal, remaining_bonus FROM stored_value_lots
		WHERE tenant_id = ? AND member_id = ? AND remaining_principal + remaining_bonus > 0 ORDER BY created_at, id FOR UPDATE`,
		tenantID, memberID).Scan(&lots).Error; err != nil {
		return nil, 0, 0, fmt.Errorf("members: stored value lots: %w", err)
	}
	need := amount
	var out []lotTake
	var p, b int64
	for _, l := range lots {
		if need == 0 {
			break
		}
		take := min(need, l.RemainingPrincipal+l.RemainingBonus)
		tp, tb := split(take, l.RemainingPrincipal, l.RemainingBonus)
		out = append(out, lotTake{ID: l.ID, P: tp, B: tb})
		p, b, need = p+tp, b+tb, need-take
	}
	if need != 0 {
		return nil, 0, 0, fmt.Errorf("members: stored value lots of %s do not cover the balance (%d short)", memberID, need)
	}
	return out, p, b, nil
}

// applyTakes moves the planned amounts out of (sign −1) or back into
// (sign +1) the lots and records the moves against the entry, in one
// statement however many lots.
func applyTakes(db *gorm.DB, tenantID, entryID uuid.UUID, takes []lotTake, sign int64) error {
	if len(takes) == 0 {
		return nil
	}
	type move struct {
		LotID     uuid.UUID `json:"lot_id"`
		Principal int64     `json:"principal"`
		Bonus     int64     `json:"bonus"`
	}
	moves := make([]move, len(takes))
	for i, t := range takes {
		moves[i] = move{LotID: t.ID, Principal: sign * t.P, Bonus: sign * t.B}
	}
	err := db.Exec(`WITH t AS (SELECT * FROM jsonb_to_recordset(?::jsonb) AS t(lot_id uuid, principal bigint, bonus bigint)),
			lots AS (UPDATE stored_value_lots l SET remaining_principal = l.remaining_principal + t.principal, remaining_bonus = l.remaining_bonus + t.bonus
				FROM t WHERE l.tenant_id = ? AND l.id = t.lot_id)
		INSERT INTO stored_value_lot_moves (tenant_id, ledger_id, lot_id, principal, bonus) SELECT ?::uuid, ?::uuid, t.lot_id, t.principal, t.bonus FROM t`,
		rowsJSON(moves), tenantID, tenantID, entryID).Error
	if err != nil {
		return fmt.Errorf("members: stored value lots: %w", err)
	}
	return nil
}

// openLotFor adds a lot of principal and bonus loaded at storeID, created
// by entry (a top-up).
func openLotFor(db *gorm.DB, tenantID, memberID, entryID uuid.UUID, storeID *uuid.UUID, p, b int64, at time.Time) error {
	if p+b == 0 {
		return nil
	}
	if err := db.Exec(`INSERT INTO stored_value_lots (tenant_id, id, member_id, ledger_id, store_id, principal, bonus, remaining_principal, remaining_bonus, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, tenantID, uuid.Must(uuid.NewV7()), memberID, entryID, storeID, p, b, p, b, at).Error; err != nil {
		return fmt.Errorf("members: stored value lot: %w", err)
	}
	return nil
}

// openLotForRefund adds the lot a refund of a payment made before lots
// opens, attributed like migration 00012's opening lots: to the store of
// the member's earliest top-up, else HQ.
func openLotForRefund(db *gorm.DB, tenantID, memberID, entryID uuid.UUID, p, b int64, at time.Time) error {
	if p+b == 0 {
		return nil
	}
	if err := db.Exec(`INSERT INTO stored_value_lots (tenant_id, id, member_id, ledger_id, store_id, principal, bonus, remaining_principal, remaining_bonus, created_at)
		VALUES (?, ?, ?, ?, (SELECT store_id FROM stored_value_ledger WHERE tenant_id = ? AND member_id = ? AND kind = 'topup' ORDER BY created_at, id LIMIT 1),
			?, ?, ?, ?, ?)`, tenantID, uuid.Must(uuid.NewV7()), memberID, entryID, tenantID, memberID, p, b, p, b, at).Error; err != nil {
		return fmt.Errorf("members: stored value lot: %w", err)
	}
	return nil
}

// loadUses fills e.Uses: per loading store, what the entry moved (its lot
// moves, or for a top-up the lot it opened), in lot order.
func loadUses(db *gorm.DB, tenantID uuid.UUID, e *ValueEntry) error {
	var rows []struct {
		StoreID *uuid.UUID
		P, B    int64
	}
	err := db.Raw(`SELECT store_id, sum(p) AS p, sum(b) AS b FROM (
			SELECT l.store_id, abs(mv.principal) AS p, abs(mv.bonus) AS b, l.created_at, l.id FROM stored_value_lot_moves mv
			JOIN stored_value_lots l ON l.tenant_id = mv.tenant_id AND l.id = mv.lot_id WHERE mv.tenant_id = ? AND mv.ledger_id = ?
			UNION ALL
			SELECT l.store_id, l.principal, l.bonus, l.created_at, l.id FROM stored_value_lots l WHERE l.tenant_id = ? AND l.ledger_id = ?
		) x GROUP BY store_id ORDER BY min(created_at), store_id NULLS FIRST`, tenantID, e.ID, tenantID, e.ID).Scan(&rows).Error
	if err != nil {
		return fmt.Errorf("members: stored value uses: %w", err)
	}
	e.Uses = make([]ValueUse, len(rows))
	for i, r := range rows {
		e.Uses[i] = ValueUse{LoadedStoreID: r.StoreID, Principal: r.P, Bonus: r.B}
	}
	return nil
}

// loadPointsUses fills e.Uses for a burn: the points taken per earning
// store, in lot order, and the entry's Value split between them without
// losing a fen (each gets floor(cumulative points × value / points) minus
// what the earlier ones got).
func loadPointsUses(db *gorm.DB, tenantID uuid.UUID, e *PointsEntry) error {
	var rows []struct {
		StoreID *uuid.UUID
		Points  int64
	}
	err := db.Raw(`SELECT l.store_id, sum(-mv.points) AS points FROM points_lot_moves mv
		JOIN points_lots l ON l.tenant_id = mv.tenant_id AND l.id = mv.lot_id WHERE mv.tenant_id = ? AND mv.ledger_id = ?
		GROUP BY l.store_id ORDER BY min(l.earned_at), l.store_id NULLS FIRST`, tenantID, e.ID).Scan(&rows).Error
	if err != nil {
		return fmt.Errorf("members: points uses: %w", err)
	}
	var total int64
	for _, r := range rows {
		total += r.Points
	}
	e.Uses = make([]PointsUse, len(rows))
	var cum, given int64
	for i, r := range rows {
		cum += r.Points
		v := int64(0)
		if total > 0 {
			v = money.MulDivDown(cum, e.Value, total) - given
		}
		given += v
		e.Uses[i] = PointsUse{IssuedStoreID: r.StoreID, Points: r.Points, Value: v}
	}
	return nil
}

// planRefund locks the lots a payment took and plans returning amount to
// them, the lot taken last first, each in proportion to what is left
// unrefunded of it. nil (no error) when the payment has no lot moves (it
// was made before lots).
func planRefund(db *gorm.DB, tenantID, paymentID uuid.UUID, amount int64) ([]lotTake, error) {
	var lots []openLot // here: what is left unrefunded per lot
	if err := db.Raw(`SELECT l.id, -mv.principal - coalesce(r.p, 0) AS remaining_principal, -mv.bonus - coalesce(r.b, 0) AS remaining_bonus
		FROM stored_value_lot_moves mv
		JOIN stored_value_lots l ON l.tenant_id = mv.tenant_id AND l.id = mv.lot_id
		LEFT JOIN (SELECT rm.lot_id, sum(rm.principal) AS p, sum(rm.bonus) AS b FROM stored_value_lot_moves rm
			JOIN stored_value_ledger e ON e.tenant_id = rm.tenant_id AND e.id = rm.ledger_id
			WHERE e.tenant_id = ? AND e.refunds_id = ? GROUP BY rm.lot_id) r ON r.lot_id = mv.lot_id
		WHERE mv.tenant_id = ? AND mv.ledger_id = ?
		ORDER BY l.created_at DESC, l.id DESC FOR UPDATE OF l`, tenantID, paymentID, tenantID, paymentID).Scan(&lots).Error; err != nil {
		return nil, fmt.Errorf("members: refund lots: %w", err)
	}
	if len(lots) == 0 {
		return nil, nil
	}
	need := amount
	out := []lotTake{}
	for _, l := range lots {
		if need == 0 {
			break
		}
		left := l.RemainingPrincipal + l.RemainingBonus
		if left <= 0 {
			continue
		}
		take := min(need, left)
		tp, tb := split(take, l.RemainingPrincipal, l.RemainingBonus)
		out = append(out, lotTake{ID: l.ID, P: tp, B: tb})
		need -= take
	}
	if need != 0 {
		return nil, ErrRefundTooLarge.WithDetail("%d fen of the payment is left to refund", amount-need)
	}
	return out, nil
}
