package finance_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/problem"
	"chainstore/modules/finance"
	"chainstore/tenant"
)

// A rule refuses a store that is not the chain's as before, with a field
// error naming it (org's facts leave unknown stores out of the books).
func TestRulesRefuseStoresOutsideTheChain(t *testing.T) {
	c := newChain(t)
	other := env.Signup(t)
	foreign := env.CreateStore(t, other, nil)
	ctx := context.Background()
	for _, tc := range []struct {
		field string
		ev    finance.SaleEvent
	}{
		{"store_id", sale(foreign, day(2024, 4, 1), 1130, 0)},
		{"store_id", sale(uuid.Must(uuid.NewV7()), day(2024, 4, 1), 1130, 0)},
		{"stored_value[0].loaded_store_id", func() finance.SaleEvent {
			ev := sale(c.direct, day(2024, 4, 1), 1130, 0)
			ev.Payments[0].Amount = 1030
			ev.StoredValue = []finance.StoredValueUse{{Principal: 100, LoadedStoreID: &foreign}}
			return ev
		}()},
	} {
		_, err := env.Server.Finance.PostSale(ctx, c.tn.ID, tc.ev)
		p, ok := problem.As(err)
		if !errors.Is(err, finance.ErrInvalidEvent) || !ok || len(p.Fields) != 1 || p.Fields[0].Field != tc.field {
			t.Errorf("sale naming %s outside the chain: %v %+v", tc.field, err, p)
		}
	}
}

// A reversal without a date, and this year's periods, take the chain's
// business day on the shared clock: half past midnight on New Year's Day
// in Shanghai is still 31 December in UTC.
func TestFinanceStampsTheChainsDayOnTheSharedClock(t *testing.T) {
	c := newChain(t)
	fin := env.Server.Finance
	actor := &tenant.Principal{TenantID: c.tn.ID, UserID: c.tn.AdminID}
	ctx := tenant.WithPrincipal(context.Background(), actor)
	ps, err := fin.PostSale(ctx, c.tn.ID, sale(c.direct, day(2026, 12, 30), 1130, 0))
	if err != nil {
		t.Fatal(err)
	}
	env.Server.Clock.Freeze(time.Date(2026, 12, 31, 16, 30, 0, 0, time.UTC)) // 2027-01-01 00:30 in Shanghai
	t.Cleanup(func() { env.Server.Clock.Set(nil) })
	re, err := fin.Reverse(ctx, actor, ps[0].EntryID, finance.ReverseInput{})
	if err != nil {
		t.Fatal(err)
	}
	if re.BusinessDate != "2027-01-01" {
		t.Errorf("reversal dated %s, want the chain's day 2027-01-01", re.BusinessDate)
	}
	periods, err := fin.ListPeriods(ctx, c.tn.ID, c.hq, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(periods) != 12 || periods[0].Year != 2027 {
		t.Errorf("this year's periods: %+v", periods)
	}
}

// A franchisee's own clearing ratios apply to value loaded at HQ and spent
// in its store, and a change of them inside the transaction that already
// read them applies to the next posting.
func TestFranchiseeClearingRatiosApplyAtOnce(t *testing.T) {
	c := newChain(t)
	fin := env.Server.Finance
	actor := &tenant.Principal{TenantID: c.tn.ID, UserID: c.tn.AdminID}
	ctx := tenant.WithPrincipal(context.Background(), actor)
	bp := func(v int) *int { return &v }
	owed := func(ctx context.Context) int64 {
		ev := sale(c.storeA, day(2024, 10, 1), 10000, 0)
		ev.Revenue[0].VATRateBP = 0
		ev.Payments = nil
		ev.StoredValue = []finance.StoredValueUse{{Principal: 10000}} // loaded at HQ
		ps, err := fin.PostSale(ctx, c.tn.ID, ev)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			if p.EntityID != c.entA {
				continue
			}
			e, err := fin.GetEntry(ctx, c.tn.ID, p.EntryID)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range e.Lines {
				if l.AccountCode == finance.AcctDueFrom {
					return l.Debit
				}
			}
		}
		return 0
	}
	if _, err := fin.SetClearing(ctx, actor, finance.ClearingInput{FranchiseeID: &c.frA, PrincipalBP: bp(5000), BonusBP: bp(0), PointsBP: bp(0)}); err != nil {
		t.Fatal(err)
	}
	err := env.Server.Pool.WithTx(ctx, c.tn.ID, func(ctx context.Context) error {
		if got := owed(ctx); got != 5000 {
			t.Errorf("HQ owes A %d for 10000 principal at 50%%, want 5000", got)
		}
		if _, err := fin.SetClearing(ctx, actor, finance.ClearingInput{FranchiseeID: &c.frA, PrincipalBP: bp(2500), BonusBP: bp(0), PointsBP: bp(0)}); err != nil {
			return err
		}
		if got := owed(ctx); got != 2500 {
			t.Errorf("after the change in the same transaction HQ owes %d, want 2500", got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
