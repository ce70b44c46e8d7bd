package members

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"chainstore/infra/doc"
	"chainstore/infra/money"
	"chainstore/infra/problem"
	"chainstore/modules/finance"
	"chainstore/tenant"
	"chainstore/tenant/audit"
)

// maxAmount bounds any single stored-value movement (10^10 fen = 1亿 yuan).
const maxAmount = 10_000_000_000

type valueArgs struct {
	memberID  uuid.UUID
	kind      string
	principal int64 // signed
	bonus     int64 // signed
	storeID   *uuid.UUID
	src       doc.Source
	refunds   *uuid.UUID
	ruleID    *uuid.UUID
}

// moveValue writes a stored-value entry and the new balances in one
// statement (account locked by the caller; the CHECKs refuse a negative
// balance as a last line).
func (s *Service) moveValue(ctx context.Context, tenantID uuid.UUID, acc account, a valueArgs) (ValueEntry, error) {
	p, b := acc.BalancePrincipal+a.principal, acc.BalanceBonus+a.bonus
	if p < 0 || b < 0 {
		return ValueEntry{}, ErrInsufficientBalance
	}
	var rows []ValueEntry
	err := tenant.DB(ctx).Raw(`WITH balance AS (UPDATE member_accounts SET balance_principal = ?, balance_bonus = ?, updated_at = now()
			WHERE tenant_id = ? AND member_id = ?)
		INSERT INTO stored_value_ledger (tenant_id, id, member_id, kind, principal, bonus, principal_after, bonus_after, store_id,
			source_type, source_id, refunds_id, rule_id, actor_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING `+valueEntryColumns,
		p, b, tenantID, a.memberID,
		tenantID, uuid.Must(uuid.NewV7()), a.memberID, a.kind, a.principal, a.bonus, p, b, a.storeID,
		a.src.Type, sourceID(a.src), a.refunds, a.ruleID, actorOf(ctx)).Scan(&rows).Error
	e, err := valueLedger.written(rows, err, a.kind, a.src)
	if err != nil {
		return e, err
	}
	return e, s.touched(ctx, tenantID, a.memberID)
}

func checkAmount(amount int64) error {
	if amount <= 0 || amount > maxAmount {
		return ErrInvalid.WithFields(problem.FieldError{Field: "amount", Message: "must be 1 to 10000000000 fen"})
	}
	return nil
}

// checkMethod accepts the ways a customer pays for a top-up or is paid
// back on a cash-out: finance's customer tenders, which it books each in
// its own account.
func checkMethod(method string) error {
	if t, ok := finance.TenderOf(method); ok && t.Customer {
		return nil
	}
	var names []string
	for _, t := range finance.CustomerTenders() {
		names = append(names, t.Method)
	}
	return ErrInvalid.WithFields(problem.FieldError{Field: "payment_method", Message: "must be one of: " + strings.Join(names, ", ")})
}

// TopUp loads stored value (储值): amount is principal, paid by method (a
// finance.CustomerTenders method); the active top-up rule with the largest
// min_amount not above amount adds its bonus, once. storeID is where the
// money was taken (nil for HQ/online). In the same transaction finance
// posts the top-up (source type topup, source id the ledger entry's id,
// dated the store's business day, or the chain's for HQ) in the books of
// the store's entity: money in, principal and bonus as contract
// liabilities. Idempotent per source; audited.
func (s *Service) TopUp(ctx context.Context, tenantID, memberID uuid.UUID, storeID *uuid.UUID, amount int64, method string, src doc.Source) (ValueEntry, error) {
	var out ValueEntry
	if err := errors.Join(checkAmount(amount), checkMethod(method), checkSource(src)); err != nil {
		return out, invalid(err)
	}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		acc, err := lockAccount(db, tenantID, memberID)
		if err != nil {
			return err
		}
		if prev, err := valueLedger.replay(db, tenantID, memberID, "topup", src, storeID, func(e *ValueEntry) bool { return e.Principal == amount }); err != nil || prev != nil {
			if prev != nil {
				out = *prev
				return loadUses(db, tenantID, &out)
			}
			return err
		}
		day, err := s.org.BusinessDate(ctx, tenantID, storeID, s.clock.Now())
		if err != nil {
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
		if _, err := s.fin.PostTopUp(ctx, tenantID, finance.TopUpEvent{Source: doc.Of(doc.TopUp, out.ID), StoreID: storeID, BusinessDate: day,
			Principal: amount, Bonus: a.bonus, Payments: []finance.Payment{{Method: method, Amount: amount}}}); err != nil {
			return err
		}
		return audit.Record(ctx, audit.Entry{Action: "member.topup", ObjectType: "member", ObjectID: memberID.String(), StoreID: storeID,
			Detail: map[string]any{"amount": amount, "bonus": a.bonus, "payment_method": method, "entry_id": out.ID}})
	})
	return out, err
}

// invalid merges the field errors of several ErrInvalid checks into one.
func invalid(err error) error {
	var fields []problem.FieldError
	var pe *problem.Error
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		if errors.As(e, &pe) {
			fields = append(fields, pe.Fields...)
		}
	}
	return ErrInvalid.WithFields(fields...)
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
func (s *Service) PayStoredValue(ctx context.Context, tenantID, memberID, storeID uuid.UUID, amount int64, src doc.Source) (ValueEntry, error) {
	var out ValueEntry
	if err := errors.Join(checkAmount(amount), checkSource(src)); err != nil {
		return out, invalid(err)
	}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		acc, err := lockAccount(db, tenantID, memberID)
		if err != nil {
			return err
		}
		if prev, err := valueLedger.replay(db, tenantID, memberID, "pay", src, &storeID, func(e *ValueEntry) bool { return -(e.Principal + e.Bonus) == amount }); err != nil || prev != nil {
			if prev != nil {
				out = *prev
				return loadUses(db, tenantID, &out)
			}
			return err
		}
		if err := acc.cardUsable(); err != nil {
			return err
		}
		if acc.BalancePrincipal+acc.BalanceBonus < amount {
			return ErrInsufficientBalance.WithDetail("the balance is %d fen; %d needed", acc.BalancePrincipal+acc.BalanceBonus, amount)
		}
		takes, p, b, err := planTake(db, tenantID, memberID, amount)
		if err != nil {
			return err
		}
		if out, err = s.moveValue(ctx, tenantID, acc, valueArgs{memberID: memberID, kind: "pay", principal: -p, bonus: -b, storeID: &storeID, src: src}); err != nil {
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
// It is dated the store's business day.
func (s *Service) TenderStoredValue(ctx context.Context, tenantID, memberID, storeID uuid.UUID, amount int64, src doc.Source) (ValueEntry, error) {
	return s.tendered(ctx, tenantID, storeID, "sv_tender", s.fin.PostStoredValueTender, func(ctx context.Context) (ValueEntry, error) {
		return s.PayStoredValue(ctx, tenantID, memberID, storeID, amount, src)
	})
}

// RefundTendered is RefundStoredValueAt for a tendered payment (any other,
// such as one made inside a sale, is ErrRefundByReturn): the value
// goes back onto the card and, in the same transaction, back onto the
// books that loaded it, out of the store's "tendered" account, dated the
// store's business day.
func (s *Service) RefundTendered(ctx context.Context, tenantID, memberID, storeID, paymentID uuid.UUID, amount int64, src doc.Source) (ValueEntry, error) {
	return s.tendered(ctx, tenantID, storeID, "sv_tender_refund", s.fin.PostStoredValueTenderRefund, func(ctx context.Context) (ValueEntry, error) {
		out, err := s.RefundStoredValueAt(ctx, tenantID, memberID, storeID, paymentID, amount, src)
		if err != nil {
			return out, err
		}
		// Checked after the refund found the payment (a stranger's id stays a 404): value paid
		// inside a sale never reached the tendered account this refund takes it from.
		tendered, err := s.fin.TenderedPayment(ctx, tenantID, paymentID)
		if err == nil && !tendered {
			err = ErrRefundByReturn
		}
		return out, err
	})
}

// tendered runs move and posts the entry it makes with post (as document
// typ, the entry's id) on the store's business day, in one transaction.
func (s *Service) tendered(ctx context.Context, tenantID, storeID uuid.UUID, typ string,
	post func(context.Context, uuid.UUID, finance.StoredValueTenderEvent) ([]finance.Posted, error),
	move func(context.Context) (ValueEntry, error)) (ValueEntry, error) {
	var out ValueEntry
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var err error
		if out, err = move(ctx); err != nil {
			return err
		}
		day, err := s.org.BusinessDate(ctx, tenantID, &storeID, s.clock.Now())
		if err != nil {
			return err
		}
		_, err = post(ctx, tenantID, finance.StoredValueTenderEvent{Source: doc.Of(typ, out.ID), StoreID: storeID, BusinessDate: day,
			StoredValue: out.StoredValueUses()})
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
func (s *Service) RefundStoredValue(ctx context.Context, tenantID, paymentID uuid.UUID, amount int64, src doc.Source) (ValueEntry, error) {
	return s.refund(ctx, tenantID, amount, src, ErrEntryNotFound, "id = ? AND kind = 'pay'", paymentID)
}

// RefundStoredValueAt is the HTTP form of RefundStoredValue: the payment
// must be the member's and made at storeID (a return happens where the
// sale did), else ErrEntryNotFound.
func (s *Service) RefundStoredValueAt(ctx context.Context, tenantID, memberID, storeID, paymentID uuid.UUID, amount int64, src doc.Source) (ValueEntry, error) {
	return s.refund(ctx, tenantID, amount, src,
		ErrEntryNotFound.WithFields(problem.FieldError{Field: "payment_id", Message: "is not a stored-value payment of this member at this store"}),
		"id = ? AND kind = 'pay' AND member_id = ? AND store_id = ?", paymentID, memberID, storeID)
}

// refund is RefundStoredValue of the payment matching where (else
// notFound).
func (s *Service) refund(ctx context.Context, tenantID uuid.UUID, amount int64, src doc.Source, notFound error, where string, args ...any) (ValueEntry, error) {
	var out ValueEntry
	if err := errors.Join(checkAmount(amount), checkSource(src)); err != nil {
		return out, invalid(err)
	}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		pay, err := valueLedger.find(db, tenantID, where, args...)
		if err != nil {
			return err
		}
		if pay == nil {
			return notFound
		}
		memberID := pay.MemberID
		acc, err := lockAccount(db, tenantID, memberID)
		if err != nil {
			return err
		}
		if prev, err := valueLedger.replay(db, tenantID, memberID, "refund", src, pay.StoreID, func(e *ValueEntry) bool {
			return e.RefundsID != nil && *e.RefundsID == pay.ID && e.Principal+e.Bonus == amount
		}); err != nil || prev != nil {
			if prev != nil {
				out = *prev
				return loadUses(db, tenantID, &out)
			}
			return err
		}
		var done struct{ P, B int64 }
		if err := db.Raw(`SELECT coalesce(sum(principal), 0) AS p, coalesce(sum(bonus), 0) AS b FROM stored_value_ledger
			WHERE tenant_id = ? AND refunds_id = ?`, tenantID, pay.ID).Scan(&done).Error; err != nil {
			return err
		}
		leftP, leftB := -pay.Principal-done.P, -pay.Bonus-done.B
		if amount > leftP+leftB {
			return ErrRefundTooLarge.WithDetail("%d fen of the payment is left to refund", leftP+leftB)
		}
		takes, err := planRefund(db, tenantID, pay.ID, amount)
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
			err = openLotForRefund(db, tenantID, memberID, out.ID, p, b, out.CreatedAt)
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
			Detail: map[string]any{"payment_id": pay.ID, "amount": amount}})
	})
	return out, err
}

// CashOut closes out the member's stored value on request (退卡): every lot
// is emptied, the principal is paid back by method (a
// finance.CustomerTenders method) at storeID (nil: HQ) and the bonus is
// forfeited, as Chinese prepaid-card rules have it. In the same
// transaction finance posts it (source type sv_cash_out, source id the
// ledger entry's id, dated the store's business day or the chain's) with
// the value per loading store: in each loading entity's books the
// principal liability against the money paid back (a due-to/due-from pair
// with the paying entity when that is another one, at 100%), the bonus
// liability against the selling expense its top-up booked. A member with
// no stored value is ErrInsufficientBalance. Idempotent per source;
// audited.
func (s *Service) CashOut(ctx context.Context, tenantID, memberID uuid.UUID, storeID *uuid.UUID, method string, src doc.Source) (ValueEntry, error) {
	var out ValueEntry
	payBack := checkMethod(method)
	if storeID == nil && method == "bank" {
		payBack = nil // HQ pays a member back by bank transfer; a till cannot
	}
	if err := errors.Join(payBack, checkSource(src)); err != nil {
		return out, invalid(err)
	}
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		acc, err := lockAccount(db, tenantID, memberID)
		if err != nil && !errors.Is(err, ErrInactive) {
			return err
		}
		if prev, err := valueLedger.replay(db, tenantID, memberID, "cash_out", src, storeID, always); err != nil || prev != nil {
			if prev != nil {
				out = *prev
				return loadUses(db, tenantID, &out)
			}
			return err
		}
		if acc.BalancePrincipal == 0 && acc.BalanceBonus == 0 {
			return ErrInsufficientBalance.WithDetail("the member has no stored value to cash out")
		}
		day, err := s.org.BusinessDate(ctx, tenantID, storeID, s.clock.Now())
		if err != nil {
			return err
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
		ev := finance.StoredValueCashOutEvent{Source: doc.Of("sv_cash_out", out.ID), StoreID: storeID, BusinessDate: day,
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
