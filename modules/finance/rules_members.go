package finance

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/doc"
	"chainstore/tenant"
)

// Posting rules of the members module's money movements that are not part
// of a sale (a sale or return posts its stored value through PostSale /
// PostReturn).

// StoredValueCashOutEvent closes out a member's stored value (退卡): the
// principal is paid back by Payments at StoreID (nil: HQ); the bonus is
// forfeited. Loaded says where the value was loaded (principal and bonus
// per loading store, as the members module's lots record it); its totals
// must equal Principal and Bonus. Without Loaded, all of it counts as
// loaded at StoreID.
type StoredValueCashOutEvent struct {
	Source       doc.Source
	StoreID      *uuid.UUID
	BusinessDate time.Time
	Principal    int64
	Bonus        int64
	Payments     []Payment
	Loaded       []StoredValueUse
}

// buildStoredValueCashOut: the paying entity credits the money paid back
// (cash-flow category stored_value, outflow). Each part of the value leaves
// the books of the entity that loaded it: its principal liability is
// released, and its forfeited bonus's liability goes against the selling
// expense its top-up booked (written back). When the loading entity is not
// the paying one, the paying entity paid the principal out on the loader's
// behalf: the loader books a due-to and the payer a due-from for the whole
// principal. This clears at 100%, not at the sale clearing ratios: those
// split revenue earned on a sale between the two entities, while a
// cash-out earns nothing — the loader received the money at top-up and
// must hand all of it to whoever paid it back (forfeited bonus moves no
// money, so it is not cleared).
func buildStoredValueCashOut(ev StoredValueCashOutEvent, b books) ([]Entry, error) {
	const rule = "sv_cash_out"
	payer, d, err := b.open(ev.Source, ev.BusinessDate, ev.StoreID, "储值退卡 stored value cash-out")
	if err != nil {
		return nil, err
	}
	if err := checkAmounts(false, []string{"principal", "bonus"}, ev.Principal, ev.Bonus); err != nil {
		return nil, err
	}
	loaded := ev.Loaded
	if len(loaded) == 0 {
		loaded = []StoredValueUse{{Principal: ev.Principal, Bonus: ev.Bonus, LoadedStoreID: ev.StoreID}}
	}
	paid, err := d.pay(payer, rule, ev.StoreID, ev.Payments, false, CFStoredValue)
	if err != nil {
		return nil, err
	}
	if paid != ev.Principal {
		return nil, eventErr("payments", fmt.Sprintf("payments total %d but the principal is %d", paid, ev.Principal))
	}
	var sumP, sumB int64
	for i, sv := range loaded {
		f := fmt.Sprintf("loaded[%d]", i)
		if err := checkAmounts(false, []string{f + ".principal", f + ".bonus"}, sv.Principal, sv.Bonus); err != nil {
			return nil, err
		}
		loader, err := b.entity(f+".loaded_store_id", sv.LoadedStoreID)
		if err != nil {
			return nil, err
		}
		sumP, sumB = sumP+sv.Principal, sumB+sv.Bonus
		if loader == payer {
			d.dr(payer, rule, AcctSVPrincipal, sv.LoadedStoreID, sv.Principal, "", nil)
			d.dr(payer, rule, AcctSVBonus, sv.LoadedStoreID, sv.Bonus, "", nil)
			d.cr(payer, rule, AcctSelling, sv.LoadedStoreID, sv.Bonus, "", nil)
			continue
		}
		crule := rule + "_clearing"
		d.dr(payer, rule, AcctDueFrom, ev.StoreID, sv.Principal, "", &loader)
		d.dr(loader, crule, AcctSVPrincipal, sv.LoadedStoreID, sv.Principal, "", nil)
		d.cr(loader, crule, AcctDueTo, sv.LoadedStoreID, sv.Principal, "", &payer)
		d.dr(loader, crule, AcctSVBonus, sv.LoadedStoreID, sv.Bonus, "", nil)
		d.cr(loader, crule, AcctSelling, sv.LoadedStoreID, sv.Bonus, "", nil)
	}
	if sumP != ev.Principal || sumB != ev.Bonus {
		return nil, eventErr("loaded", fmt.Sprintf("loaded value totals principal %d and bonus %d but the event has %d and %d", sumP, sumB, ev.Principal, ev.Bonus))
	}
	return nonEmpty(d.entries(), "principal")
}

// PostStoredValueCashOut posts a stored-value cash-out (退卡): in each
// loading entity's books the principal liability against the money paid
// back (through a due-to/due-from pair with the paying entity when that is
// another one) and the forfeited bonus's liability against the selling
// expense its top-up booked. Source type sv_cash_out; idempotent per
// ev.Source.
func (s *Service) PostStoredValueCashOut(ctx context.Context, tenantID uuid.UUID, ev StoredValueCashOutEvent) ([]Posted, error) {
	ids := []*uuid.UUID{ev.StoreID}
	for i := range ev.Loaded {
		ids = append(ids, ev.Loaded[i].LoadedStoreID)
	}
	return s.postEvent(ctx, tenantID, sortedStores(ids...), func(b books) ([]Entry, error) { return buildStoredValueCashOut(ev, b) })
}

// StoredValueTenderEvent is stored value paid at a till (PayStoredValue
// through the POS API) for a sale that is posted on its own: the value
// leaves the books of the entity that loaded it (cleared with the seller's,
// as in a sale), and the seller owes it to that sale in AcctSVTendered,
// which the sale clears by taking it as payment method "sv_tendered".
type StoredValueTenderEvent struct {
	Source       doc.Source
	StoreID      uuid.UUID
	BusinessDate time.Time
	StoredValue  []StoredValueUse
}

func buildStoredValueTender(ev StoredValueTenderEvent, b books, src string) ([]Entry, error) {
	seller, d, err := b.open(ev.Source, ev.BusinessDate, &ev.StoreID, "储值支付 stored value tendered "+ev.Source.String())
	if err != nil {
		return nil, err
	}
	total, err := spendStoredValue(d, b, seller, &ev.StoreID, ev.StoredValue, src)
	if err != nil {
		return nil, err
	}
	d.cr(seller, src, AcctSVTendered, &ev.StoreID, total, "", nil)
	return d.entries(), nil
}

func tenderStores(ev StoredValueTenderEvent) []uuid.UUID {
	ids := []*uuid.UUID{&ev.StoreID}
	for i := range ev.StoredValue {
		ids = append(ids, ev.StoredValue[i].LoadedStoreID)
	}
	return sortedStores(ids...)
}

// PostStoredValueTender posts stored value paid at a till ahead of its sale.
func (s *Service) PostStoredValueTender(ctx context.Context, tenantID uuid.UUID, ev StoredValueTenderEvent) ([]Posted, error) {
	return s.postEvent(ctx, tenantID, tenderStores(ev), func(b books) ([]Entry, error) {
		return buildStoredValueTender(ev, b, "sv_tender")
	})
}

// PostStoredValueTenderRefund posts value put back on a card from a
// tendered payment (ev.Source is the refund): the tender's mirror.
func (s *Service) PostStoredValueTenderRefund(ctx context.Context, tenantID uuid.UUID, ev StoredValueTenderEvent) ([]Posted, error) {
	return s.postEvent(ctx, tenantID, tenderStores(ev), func(b books) ([]Entry, error) {
		es, err := buildStoredValueTender(ev, b, "sv_tender_refund")
		return reversed(es), err
	})
}

// TenderedPayment reports whether the stored-value payment paymentID was
// tendered ahead of its sale (posted by PostStoredValueTender), the only
// kind a refund through PostStoredValueTenderRefund may mirror: a payment
// made inside a sale left no value in AcctSVTendered, and goes back
// through the sale's return instead.
func (s *Service) TenderedPayment(ctx context.Context, tenantID, paymentID uuid.UUID) (bool, error) {
	var found bool
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		return tenant.DB(ctx).Raw(`SELECT EXISTS (SELECT 1 FROM fin_entries WHERE tenant_id = ? AND source_type = 'sv_tender' AND source_id = ?)`,
			tenantID, paymentID).Scan(&found).Error
	})
	return found, err
}
