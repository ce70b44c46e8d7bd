package members

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"chainstore/infra/doc"
	"chainstore/infra/money"
	"chainstore/infra/postgres"
	"chainstore/infra/problem"
	"chainstore/modules/finance"
	"chainstore/tenant"
	"chainstore/tenant/audit"
)

func jsonUnmarshal(s string, v any) error {
	if s == "" {
		return nil
	}
	return json.Unmarshal([]byte(s), v)
}

func isFK(err error) (string, bool) { return postgres.IsForeignKeyViolation(err) }

// maxAmount bounds any single stored-value movement (10^10 fen = 1亿 yuan).
const maxAmount = 10_000_000_000

func findValueEntry(db *gorm.DB, tenantID uuid.UUID, where string, args ...any) (*ValueEntry, error) {
	var rows []ValueEntry
	if err := db.Raw(`SELECT `+valueEntryColumns+` FROM stored_value_ledger WHERE tenant_id = ? AND `+where, append([]any{tenantID}, args...)...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("members: stored value entry: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return &rows[0], nil
}

// valueReplay finds the entry an earlier call recorded for (kind, src).
// It is a replay of this call only when it moved the same member's value
// at the same store and same(prev) holds (the same amount, or the same
// payment refunded); otherwise the source document was used for another
// movement and the answer is ErrSourceReused — never the other member's
// (or store's) entry, which would leak it and leave this movement undone
// while the caller believes it done.
func valueReplay(db *gorm.DB, tenantID, memberID uuid.UUID, kind string, src Source, storeID *uuid.UUID, same func(*ValueEntry) bool) (*ValueEntry, error) {
	prev, err := findValueEntry(db, tenantID, "kind = ? AND source_type = ? AND source_id = ?", kind, src.Type, src.ID)
	if err != nil || prev == nil {
		return nil, err
	}
	var owner []uuid.UUID
	if err := db.Raw(`SELECT member_id FROM stored_value_ledger WHERE tenant_id = ? AND id = ?`, tenantID, prev.ID).Scan(&owner).Error; err != nil {
		return nil, fmt.Errorf("members: stored value entry owner: %w", err)
	}
	if len(owner) != 1 || owner[0] != memberID || !sameStore(prev.StoreID, storeID) || !same(prev) {
		return nil, ErrSourceReused.WithDetail("%s %s already recorded a %s of another member, store or amount", src.Type, src.ID, kind)
	}
	if err := loadUses(db, tenantID, prev); err != nil {
		return nil, err
	}
	return prev, nil
}

func sameStore(a, b *uuid.UUID) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

type valueArgs struct {
	memberID  uuid.UUID
	kind      string
	principal int64 // signed
	bonus     int64 // signed
	storeID   *uuid.UUID
	src       Source
	refunds   *uuid.UUID
	ruleID    *uuid.UUID
}

// moveValue writes a stored-value entry and the new balances (account
// locked by the caller; the CHECKs refuse a negative balance as a last line).
func (s *Service) moveValue(ctx context.Context, tenantID uuid.UUID, acc account, a valueArgs) (ValueEntry, error) {
	db := tenant.DB(ctx)
	id := uuid.Must(uuid.NewV7())
	p, b := acc.BalancePrincipal+a.principal, acc.BalanceBonus+a.bonus
	if p < 0 || b < 0 {
		return ValueEntry{}, ErrInsufficientBalance
	}
	var actor *uuid.UUID
	if pr, ok := tenant.From(ctx); ok {
		actor = &pr.UserID
	}
	err := db.Exec(`INSERT INTO stored_value_ledger (tenant_id, id, member_id, kind, principal, bonus, principal_after, bonus_after, store_id,
		source_type, source_id, refunds_id, rule_id, actor_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		tenantID, id, a.memberID, a.kind, a.principal, a.bonus, p, b, a.storeID, a.src.Type, a.src.ID, a.refunds, a.ruleID, actor).Error
	if fk, ok := isFK(err); ok && fk == "stored_value_ledger_store_fkey" {
		return ValueEntry{}, ErrStoreNotFound
	}
	if c, ok := postgres.IsUniqueViolation(err); ok && c == "stored_value_ledger_source_key" {
		// A concurrent call recorded this source for another member.
		return ValueEntry{}, ErrSourceReused.WithDetail("%s %s already recorded a %s", a.src.Type, a.src.ID, a.kind)
	}
	if err != nil {
		return ValueEntry{}, fmt.Errorf("members: stored value ledger: %w", err)
	}
	if err := db.Exec(`UPDATE member_accounts SET balance_principal = ?, balance_bonus = ?, updated_at = now() WHERE tenant_id = ? AND member_id = ?`,
		p, b, tenantID, a.memberID).Error; err != nil {
		return ValueEntry{}, fmt.Errorf("members: stored value balance: %w", err)
	}
	e, err := findValueEntry(db, tenantID, "id = ?", id)
	if err != nil {
		return ValueEntry{}, err
	}
	return *e, s.touched(ctx, tenantID, a.memberID)
}

func checkAmount(amount int64) error {
	if amount <= 0 || amount > maxAmount {
		return ErrInvalid.WithFields(problem.FieldError{Field: "amount", Message: "must be 1 to 10000000000 fen"})
	}
	return nil
}

// PaymentMethods are how money is taken for a top-up or paid back on a
// cash-out (cash, bank card, WeChat Pay, Alipay); finance books each in its
// own account.
var PaymentMethods = []string{"cash", "card", "wechat", "alipay"}

func checkMethod(method string) error {
	for _, m := range PaymentMethods {
		if m == method {
			return nil
		}
	}
	return ErrInvalid.WithFields(problem.FieldError{Field: "payment_method", Message: "must be cash, card, wechat or alipay"})
}

// businessDate is today in the chain's time zone (the date finance books).
func (s *Service) businessDate(ctx context.Context, tenantID uuid.UUID) time.Time {
	return s.Now().In(tenantLocation(tenant.DB(ctx), tenantID))
}

// TopUp loads stored value (储值): amount is principal, paid by method; the
// active top-up rule with the largest min_amount not above amount adds its
// bonus, once. storeID is where the money was taken (nil for HQ/online).
// In the same transaction finance posts the top-up (source type topup,
// source id the ledger entry's id) in the books of the store's entity:
// money in, principal and bonus as contract liabilities. Idempotent per
// source; audited.
func (s *Service) TopUp(ctx context.Context, tenantID, memberID uuid.UUID, storeID *uuid.UUID, amount int64, method string, src Source) (ValueEntry, error) {
	var out ValueEntry
	if err := checkAmount(amount); err != nil {
		return out, err
	}
	if err := checkMethod(method); err != nil {
		return out, err
	}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		acc, err := lockAccount(db, tenantID, memberID)
		if err != nil {
			return err
		}
		if prev, err := valueReplay(db, tenantID, memberID, "topup", src, storeID, func(e *ValueEntry) bool { return e.Principal == amount }); err != nil || prev != nil {
			if prev != nil {
				out = *prev
			}
			return err
		}
		var rules []TopupRule
		if err := db.Raw(`SELECT id, bonus FROM topup_rules WHERE tenant_id = ? AND active AND min_amount <= ? ORDER BY min_amount DESC, id LIMIT 1`,
			tenantID, amount).Scan(&rules).Error; err != nil {
			return err
		}
		a := valueArgs{memberID: memberID, kind: "topup", principal: amount, storeID: storeID, src: src}
		if len(rules) == 1 {
			a.bonus, a.ruleID = rules[0].Bonus, &rules[0].ID
		}
		if out, err = s.moveValue(ctx, tenantID, acc, a); err != nil {
			return err
		}
		if err := openLotFor(db, tenantID, memberID, out.ID, storeID, amount, a.bonus, out.CreatedAt); err != nil {
			return err
		}
		if err := loadUses(db, tenantID, &out); err != nil {
			return err
		}
		if _, err := s.fin.PostTopUp(ctx, tenantID, finance.TopUpEvent{Source: doc.Of("topup", out.ID), StoreID: storeID, BusinessDate: s.businessDate(ctx, tenantID),
			Principal: amount, Bonus: a.bonus, Payments: []finance.Payment{{Method: method, Amount: amount}}}); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "member.topup", ObjectType: "member", ObjectID: memberID.String(), StoreID: storeID,
			Detail: map[string]any{"amount": amount, "bonus": a.bonus, "payment_method": method, "entry_id": out.ID}})
	})
	return out, err
}

// split divides amount between principal and bonus in proportion to the
// balances (bonus part rounded down), so every payment consumes bonus at
// the rate it was granted and refunds of principal stay fair.
func split(amount, principal, bonus int64) (int64, int64) {
	total := principal + bonus
	if total == 0 {
		return amount, 0
	}
	bp := money.MulDivDown(amount, bonus, total)
	return amount - bp, bp
}

// PayStoredValue pays amount from the member's stored value at storeID:
// lots oldest first, within a lot principal and bonus in proportion to
// what is left of it. Concurrent payments serialise on the account row; a
// balance short of amount is ErrInsufficientBalance and nothing is
// written. Idempotent per source (a repeat returns the first entry, with
// its Uses).
//
// It posts nothing itself: call it inside the transaction of the sale it
// settles, which posts finance.PostSale with StoredValue = the entry's
// StoredValueUses() (the value per loading store, so the liability leaves
// the books of the entity that loaded it and is cleared with the seller's).
// A payment made ahead of its sale goes through TenderStoredValue instead.
func (s *Service) PayStoredValue(ctx context.Context, tenantID, memberID uuid.UUID, storeID *uuid.UUID, amount int64, src Source) (ValueEntry, error) {
	var out ValueEntry
	if err := checkAmount(amount); err != nil {
		return out, err
	}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		acc, err := lockAccount(db, tenantID, memberID)
		if err != nil {
			return err
		}
		if prev, err := valueReplay(db, tenantID, memberID, "pay", src, storeID, func(e *ValueEntry) bool { return -(e.Principal + e.Bonus) == amount }); err != nil || prev != nil {
			if prev != nil {
				out = *prev
			}
			return err
		}
		if err := cardUsable(db, tenantID, memberID); err != nil {
			return err
		}
		if acc.BalancePrincipal+acc.BalanceBonus < amount {
			return ErrInsufficientBalance.WithDetail("the balance is %d fen; %d needed", acc.BalancePrincipal+acc.BalanceBonus, amount)
		}
		takes, p, b, err := planTake(db, tenantID, memberID, amount)
		if err != nil {
			return err
		}
		if out, err = s.moveValue(ctx, tenantID, acc, valueArgs{memberID: memberID, kind: "pay", principal: -p, bonus: -b, storeID: storeID, src: src}); err != nil {
			return err
		}
		if err := applyTakes(db, tenantID, out.ID, takes, -1); err != nil {
			return err
		}
		return loadUses(db, tenantID, &out)
	})
	return out, err
}

// TenderStoredValue is PayStoredValue for a till whose sale is posted on
// its own (the POS API's pay call): in the same transaction the value
// leaves the books that loaded it and waits in the store's "tendered"
// account for the sale, which takes it as payment method "sv_tendered".
func (s *Service) TenderStoredValue(ctx context.Context, tenantID, memberID, storeID uuid.UUID, amount int64, src Source) (ValueEntry, error) {
	var out ValueEntry
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var err error
		if out, err = s.PayStoredValue(ctx, tenantID, memberID, &storeID, amount, src); err != nil {
			return err
		}
		_, err = s.fin.PostStoredValueTender(ctx, tenantID, finance.StoredValueTenderEvent{Source: doc.Of("sv_tender", out.ID), StoreID: storeID,
			BusinessDate: s.businessDate(ctx, tenantID), StoredValue: out.StoredValueUses()})
		return err
	})
	return out, err
}

// RefundTendered is RefundStoredValueAt for a tendered payment: the value
// goes back onto the card and, in the same transaction, back onto the
// books that loaded it, out of the store's "tendered" account.
func (s *Service) RefundTendered(ctx context.Context, tenantID, memberID, storeID, paymentID uuid.UUID, amount int64, src Source) (ValueEntry, error) {
	var out ValueEntry
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var err error
		if out, err = s.RefundStoredValueAt(ctx, tenantID, memberID, storeID, paymentID, amount, src); err != nil {
			return err
		}
		_, err = s.fin.PostStoredValueTenderRefund(ctx, tenantID, finance.StoredValueTenderEvent{Source: doc.Of("sv_tender_refund", out.ID), StoreID: storeID,
			BusinessDate: s.businessDate(ctx, tenantID), StoredValue: out.StoredValueUses()})
		return err
	})
	return out, err
}

// RefundStoredValue returns amount of a stored-value payment to the
// member's balance (goods returned), never more than is left unrefunded of
// it: back into the lots the payment took, the lot it took last first,
// each in proportion to what is left unrefunded of it. A payment made
// before stored value had lots (migration 00012) has no lot moves: its
// refund opens a new lot attributed like the migration's opening lots (the
// store of the member's earliest top-up, else HQ), principal and bonus in
// the payment's remaining proportion. Recorded at the payment's store.
// Idempotent per source; audited.
//
// Like PayStoredValue it posts nothing itself: call it inside the
// transaction of the return document, whose finance.PostReturn (StoredValue
// = the entry's StoredValueUses()) puts the liability back in the loading
// entities' books against the reversed revenue. RefundTendered refunds a
// payment made through TenderStoredValue.
func (s *Service) RefundStoredValue(ctx context.Context, tenantID, paymentID uuid.UUID, amount int64, src Source) (ValueEntry, error) {
	var out ValueEntry
	if err := checkAmount(amount); err != nil {
		return out, err
	}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		pay, err := findValueEntry(db, tenantID, "id = ? AND kind = 'pay'", paymentID)
		if err != nil {
			return err
		}
		if pay == nil {
			return ErrEntryNotFound
		}
		var owner struct{ MemberID uuid.UUID }
		if err := db.Raw(`SELECT member_id FROM stored_value_ledger WHERE tenant_id = ? AND id = ?`, tenantID, paymentID).Scan(&owner).Error; err != nil {
			return err
		}
		memberID := owner.MemberID
		acc, err := lockAccount(db, tenantID, memberID)
		if err != nil {
			return err
		}
		if prev, err := valueReplay(db, tenantID, memberID, "refund", src, pay.StoreID, func(e *ValueEntry) bool {
			return e.RefundsID != nil && *e.RefundsID == paymentID && e.Principal+e.Bonus == amount
		}); err != nil || prev != nil {
			if prev != nil {
				out = *prev
			}
			return err
		}
		var done struct{ P, B int64 }
		if err := db.Raw(`SELECT coalesce(sum(principal), 0) AS p, coalesce(sum(bonus), 0) AS b FROM stored_value_ledger
			WHERE tenant_id = ? AND refunds_id = ?`, tenantID, paymentID).Scan(&done).Error; err != nil {
			return err
		}
		leftP, leftB := -pay.Principal-done.P, -pay.Bonus-done.B
		if amount > leftP+leftB {
			return ErrRefundTooLarge.WithDetail("%d fen of the payment is left to refund", leftP+leftB)
		}
		takes, err := planRefund(db, tenantID, paymentID, amount)
		if err != nil {
			return err
		}
		var p, b int64
		if takes == nil { // a payment from before lots
			p, b = split(amount, leftP, leftB)
		}
		for _, t := range takes {
			p, b = p+t.P, b+t.B
		}
		out, err = s.moveValue(ctx, tenantID, acc, valueArgs{memberID: memberID, kind: "refund", principal: p, bonus: b, storeID: pay.StoreID,
			src: src, refunds: &pay.ID})
		if err != nil {
			return err
		}
		if takes == nil {
			var first []struct{ StoreID *uuid.UUID }
			if err := db.Raw(`SELECT store_id FROM stored_value_ledger WHERE tenant_id = ? AND member_id = ? AND kind = 'topup' ORDER BY created_at, id LIMIT 1`,
				tenantID, memberID).Scan(&first).Error; err != nil {
				return err
			}
			var at *uuid.UUID
			if len(first) == 1 {
				at = first[0].StoreID
			}
			err = openLotFor(db, tenantID, memberID, out.ID, at, p, b, out.CreatedAt)
		} else {
			err = applyTakes(db, tenantID, out.ID, takes, 1)
		}
		if err != nil {
			return err
		}
		if err := loadUses(db, tenantID, &out); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "member.stored_value_refund", ObjectType: "member", ObjectID: memberID.String(), StoreID: pay.StoreID,
			Detail: map[string]any{"payment_id": paymentID, "amount": amount}})
	})
	return out, err
}

// RefundStoredValueAt is the HTTP form of RefundStoredValue: the payment
// must be the member's and made at storeID (a return happens where the
// sale did), else ErrEntryNotFound.
func (s *Service) RefundStoredValueAt(ctx context.Context, tenantID, memberID, storeID, paymentID uuid.UUID, amount int64, src Source) (ValueEntry, error) {
	var out ValueEntry
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var n int64
		if err := tenant.DB(ctx).Raw(`SELECT count(*) FROM stored_value_ledger WHERE tenant_id = ? AND id = ? AND member_id = ? AND store_id = ? AND kind = 'pay'`,
			tenantID, paymentID, memberID, storeID).Scan(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return ErrEntryNotFound.WithFields(problem.FieldError{Field: "payment_id", Message: "is not a stored-value payment of this member at this store"})
		}
		var err error
		out, err = s.RefundStoredValue(ctx, tenantID, paymentID, amount, src)
		return err
	})
	return out, err
}

// CashOut closes out the member's stored value on request (退卡): every lot
// is emptied, the principal is paid back by method at storeID (nil: HQ)
// and the bonus is forfeited, as Chinese prepaid-card rules have it. In the
// same transaction finance posts it (source type sv_cash_out, source id the
// ledger entry's id) with the value per loading store: in each loading
// entity's books the principal liability against the money paid back (a
// due-to/due-from pair with the paying entity when that is another one,
// at 100%), the bonus liability against the selling expense its top-up
// booked. A member with no stored value is ErrInsufficientBalance.
// Idempotent per source; audited.
func (s *Service) CashOut(ctx context.Context, tenantID, memberID uuid.UUID, storeID *uuid.UUID, method string, src Source) (ValueEntry, error) {
	var out ValueEntry
	if err := checkMethod(method); err != nil {
		return out, err
	}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		acc, err := lockAccount(db, tenantID, memberID)
		if err != nil && !errors.Is(err, ErrInactive) {
			return err
		}
		if prev, err := valueReplay(db, tenantID, memberID, "cash_out", src, storeID, func(*ValueEntry) bool { return true }); err != nil || prev != nil {
			if prev != nil {
				out = *prev
			}
			return err
		}
		if acc.BalancePrincipal == 0 && acc.BalanceBonus == 0 {
			return ErrInsufficientBalance.WithDetail("the member has no stored value to cash out")
		}
		takes, p, b, err := planTake(db, tenantID, memberID, acc.BalancePrincipal+acc.BalanceBonus)
		if err != nil {
			return err
		}
		if p != acc.BalancePrincipal || b != acc.BalanceBonus {
			return fmt.Errorf("members: lots of %s hold principal %d and bonus %d, the balance %d and %d", memberID, p, b, acc.BalancePrincipal, acc.BalanceBonus)
		}
		if out, err = s.moveValue(ctx, tenantID, acc, valueArgs{memberID: memberID, kind: "cash_out", principal: -acc.BalancePrincipal,
			bonus: -acc.BalanceBonus, storeID: storeID, src: src}); err != nil {
			return err
		}
		if err := applyTakes(db, tenantID, out.ID, takes, -1); err != nil {
			return err
		}
		if err := loadUses(db, tenantID, &out); err != nil {
			return err
		}
		ev := finance.StoredValueCashOutEvent{Source: doc.Of("sv_cash_out", out.ID), StoreID: storeID, BusinessDate: s.businessDate(ctx, tenantID),
			Principal: acc.BalancePrincipal, Bonus: acc.BalanceBonus, Loaded: out.StoredValueUses()}
		if acc.BalancePrincipal > 0 {
			ev.Payments = []finance.Payment{{Method: method, Amount: acc.BalancePrincipal}}
		}
		if _, err := s.fin.PostStoredValueCashOut(ctx, tenantID, ev); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "member.stored_value_cash_out", ObjectType: "member", ObjectID: memberID.String(), StoreID: storeID,
			Detail: map[string]any{"principal_returned": acc.BalancePrincipal, "bonus_forfeited": acc.BalanceBonus, "payment_method": method, "entry_id": out.ID}})
	})
	return out, err
}

// cardUsable refuses spending (stored value, points) while the member's card
// is frozen or reported lost, or when no card is live: freezing a card is
// how a chain stops a disputed or stolen balance from being spent.
// Replays of earlier payments still answer, since they spend nothing.
func cardUsable(db *gorm.DB, tenantID, memberID uuid.UUID) error {
	var states []string
	if err := db.Raw(`SELECT status FROM member_cards WHERE tenant_id = ? AND member_id = ? AND status IN ('active', 'frozen', 'lost')`,
		tenantID, memberID).Scan(&states).Error; err != nil {
		return fmt.Errorf("members: card state: %w", err)
	}
	if len(states) == 0 {
		return ErrCardState.WithDetail("the member has no live card; issue one first")
	}
	if states[0] != "active" {
		return ErrCardState.WithDetail("the member's card is %s; it cannot be spent from until it is active again", states[0])
	}
	return nil
}
