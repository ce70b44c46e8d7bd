package finance

import (
	"context"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/doc"
)

// AcctNonOperatingIncome is 营业外收入: a cash overage no one can explain.
const AcctNonOperatingIncome = "5301"

// CashVarianceEvent is a till shift's cash count against what its drawer
// should hold, at the shift's close: Amount = counted − expected.
// Negative is a shortage (现金短缺), positive an overage (现金溢余).
type CashVarianceEvent struct {
	Source       doc.Source
	StoreID      uuid.UUID
	BusinessDate time.Time
	Amount       int64
}

// PostCashVariance books a shift's cash variance in the store's books: a
// shortage leaves cash as an administrative expense (无法查明原因的现金短缺计入
// 管理费用), an overage comes in as non-operating income (现金溢余计入营业外收入).
// A zero variance is refused (nothing moves). Idempotent per Source.
func (s *Service) PostCashVariance(ctx context.Context, tenantID uuid.UUID, ev CashVarianceEvent) ([]Posted, error) {
	return s.postEvent(ctx, tenantID, sortedStores(&ev.StoreID), func(b books) ([]Entry, error) { return buildCashVariance(ev, b) })
}

func buildCashVariance(ev CashVarianceEvent, b books) ([]Entry, error) {
	e, d, err := b.open(ev.Source, ev.BusinessDate, &ev.StoreID, "收银差异 till cash variance")
	if err != nil {
		return nil, err
	}
	if err := checkAmount("amount", ev.Amount, true); err != nil {
		return nil, err
	}
	store := &ev.StoreID
	switch {
	case ev.Amount < 0:
		d.dr(e, "cash_shortage", AcctAdmin, store, -ev.Amount, "", nil)
		d.cr(e, "cash_shortage", AcctCash, store, -ev.Amount, CFOtherOperating, nil)
	case ev.Amount > 0:
		d.dr(e, "cash_overage", AcctCash, store, ev.Amount, CFOtherOperating, nil)
		d.cr(e, "cash_overage", AcctNonOperatingIncome, store, ev.Amount, "", nil)
	}
	return nonEmpty(d.entries(), "amount")
}
