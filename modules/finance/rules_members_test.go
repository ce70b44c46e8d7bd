package finance

import (
	"chainstore/infra/doc"
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestBuildStoredValueCashOut(t *testing.T) {
	hq, fr := uuid.New(), uuid.New()
	direct, franchise := uuid.New(), uuid.New()
	b := books{hq: hq, stores: map[uuid.UUID]uuid.UUID{direct: hq, franchise: fr}}
	src, day := uuid.New(), time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)
	sum := func(es []Entry) map[string]int64 {
		out := map[string]int64{}
		for _, e := range es {
			var d, c int64
			for _, l := range e.Lines {
				out[e.EntityID.String()+"/"+l.AccountCode] += l.Debit - l.Credit
				d, c = d+l.Debit, c+l.Credit
			}
			if d != c || e.SourceType != "sv_cash_out" || e.SourceID != src {
				t.Fatalf("entry %+v: debits %d credits %d", e, d, c)
			}
		}
		return out
	}
	es, err := buildStoredValueCashOut(StoredValueCashOutEvent{Source: doc.Of("sv_cash_out", src), StoreID: &franchise, BusinessDate: day, Principal: 6000, Bonus: 600,
		Payments: []Payment{{"cash", 6000}}}, b)
	if err != nil {
		t.Fatal(err)
	}
	got := sum(es)
	want := map[string]int64{fr.String() + "/" + AcctCash: -6000, fr.String() + "/" + AcctSVPrincipal: 6000, fr.String() + "/" + AcctSVBonus: 600,
		fr.String() + "/" + AcctSelling: -600}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
	for _, l := range es[0].Lines {
		if l.AccountCode == AcctCash && l.CashFlow != CFStoredValue {
			t.Fatalf("cash line's cash flow %q", l.CashFlow)
		}
	}
	// Bonus only (no principal left): no payment, bonus forfeited at HQ.
	es, err = buildStoredValueCashOut(StoredValueCashOutEvent{Source: doc.Of("sv_cash_out", src), BusinessDate: day, Bonus: 300}, b)
	if err != nil || len(es) != 1 || es[0].EntityID != hq {
		t.Fatalf("bonus-only cash-out: %+v %v", es, err)
	}
	for _, bad := range []StoredValueCashOutEvent{
		{Source: doc.Of("sv_cash_out", src), BusinessDate: day, Principal: 100, Payments: []Payment{{"cash", 90}}},
		{Source: doc.Of("sv_cash_out", src), BusinessDate: day, Principal: 100, Payments: []Payment{{"iou", 100}}},
		{Source: doc.Of("sv_cash_out", src), BusinessDate: day, Principal: -1},
		{Source: doc.Of("sv_cash_out", src), BusinessDate: day},
		{BusinessDate: day, Principal: 1, Payments: []Payment{{"cash", 1}}},
		{Source: doc.Of("sv_cash_out", src), StoreID: &src, BusinessDate: day, Principal: 1, Payments: []Payment{{"cash", 1}}},
	} {
		if _, err := buildStoredValueCashOut(bad, b); err == nil {
			t.Errorf("accepted %+v", bad)
		}
	}
}

// TestBuildStoredValueCashOutAcrossEntities: value loaded at HQ's store and
// at the franchisee's, cashed out at the franchise store: each part leaves
// its loader's books; the franchisee pays HQ's principal out on HQ's behalf
// and HQ owes it all of it (100%, whatever the sale clearing ratios).
func TestBuildStoredValueCashOutAcrossEntities(t *testing.T) {
	hq, fr := uuid.New(), uuid.New()
	direct, franchise := uuid.New(), uuid.New()
	b := books{hq: hq, stores: map[uuid.UUID]uuid.UUID{direct: hq, franchise: fr},
		clearing: func(a, c uuid.UUID) ClearingRule { return ClearingRule{PrincipalBP: 5000, BonusBP: 0, PointsBP: 0} }}
	src, day := uuid.New(), time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC)
	ev := StoredValueCashOutEvent{Source: doc.Of("sv_cash_out", src), StoreID: &franchise, BusinessDate: day, Principal: 7000, Bonus: 700,
		Payments: []Payment{{"wechat", 7000}},
		Loaded:   []StoredValueUse{{Principal: 4000, Bonus: 400, LoadedStoreID: &direct}, {Principal: 1000, Bonus: 100}, {Principal: 2000, Bonus: 200, LoadedStoreID: &franchise}}}
	es, err := buildStoredValueCashOut(ev, b)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, e := range es {
		var d, c int64
		for _, l := range e.Lines {
			key := l.AccountCode
			if l.CounterEntityID != nil {
				key += "→" + l.CounterEntityID.String()
			}
			got[e.EntityID.String()+"/"+key] += l.Debit - l.Credit
			d, c = d+l.Debit, c+l.Credit
		}
		if d != c {
			t.Fatalf("entry of %s: debits %d credits %d", e.EntityID, d, c)
		}
	}
	H, F := hq.String()+"/", fr.String()+"/"
	want := map[string]int64{
		F + AcctEWallet: -7000, F + AcctSVPrincipal: 2000, F + AcctSVBonus: 200, F + AcctSelling: -200, F + AcctDueFrom + "→" + hq.String(): 5000,
		H + AcctSVPrincipal: 5000, H + AcctSVBonus: 500, H + AcctSelling: -500, H + AcctDueTo + "→" + fr.String(): -5000,
	}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
	// The breakdown must add up to the event's totals, and name stores of the chain.
	bad := ev
	bad.Bonus = 699
	if _, err := buildStoredValueCashOut(bad, b); err == nil {
		t.Error("accepted a breakdown that does not add up")
	}
	bad = ev
	bad.Loaded = []StoredValueUse{{Principal: 7000, Bonus: 700, LoadedStoreID: &src}}
	if _, err := buildStoredValueCashOut(bad, b); err == nil {
		t.Error("accepted a loading store outside the chain")
	}
}
