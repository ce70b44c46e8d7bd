package finance

import (
	"errors"
	"strings"
	"testing"
	"time"

	"chainstore/infra/doc"
	"chainstore/infra/problem"

	"github.com/google/uuid"
)

func TestNetOfVAT(t *testing.T) {
	for _, c := range []struct {
		gross int64
		rate  int
		net   int64
	}{
		{11300, 1300, 10000}, {100, 1300, 88}, {1, 1300, 1}, {0, 1300, 0}, {10900, 900, 10000},
		{-11300, 1300, -10000}, {5, 600, 5}, {999, 0, 999}, {106, 600, 100},
	} {
		if got := NetOfVAT(c.gross, c.rate); got != c.net {
			t.Errorf("NetOfVAT(%d, %d) = %d, want %d", c.gross, c.rate, got, c.net)
		}
	}
}

func FuzzNetOfVAT(f *testing.F) {
	f.Add(int64(11300), 1300)
	f.Add(int64(-7), 900)
	f.Fuzz(func(t *testing.T, gross int64, rate int) {
		if gross > maxAmount || gross < -maxAmount || rate < 0 || rate > 10000 {
			return
		}
		net := NetOfVAT(gross, rate)
		if (gross >= 0 && (net < 0 || net > gross)) || (gross < 0 && (net > 0 || net < gross)) {
			t.Fatalf("NetOfVAT(%d, %d) = %d out of range", gross, rate, net)
		}
		if NetOfVAT(-gross, rate) != -net {
			t.Fatalf("not symmetric for %d", gross)
		}
	})
}

func FuzzParseStatementQuery(f *testing.F) {
	f.Add("2024-01-01", "2024-01-31", "", "", "true", "csv")
	f.Add("2024-02-30", "x", "not-a-uuid", "0190f5a4-7b1e-7cc2-9a51-2f3f4c1d8e90", "1", "pdf")
	f.Add("2024-01-01", "2024-01-31", "", "", "", "")
	f.Add("2024-01-01", "2024-01-31", "0190f5a4-7b1e-7cc2-9a51-2f3f4c1d8e90", "", "true", "json")
	f.Fuzz(func(t *testing.T, from, to, entity, store, consolidated, format string) {
		m := map[string]string{"from": from, "to": to, "entity_id": entity, "store_id": store, "consolidated": consolidated, "format": format}
		q, fmtOut, err := ParseStatementQuery(func(k string) string { return m[k] })
		if err != nil {
			return
		}
		n := 0
		if q.EntityID != nil {
			n++
		}
		if q.StoreID != nil {
			n++
		}
		if q.Consolidated {
			n++
		}
		// None names the caller's own books (GetStatement picks them); two never pass.
		if n > 1 || q.To.Before(q.From) || (fmtOut != "json" && fmtOut != "csv" && fmtOut != "xlsx") {
			t.Fatalf("accepted an invalid query %v → %+v %s", m, q, fmtOut)
		}
	})
}

type lineWant struct {
	entity  uuid.UUID
	acct    string
	dr, cr  int64
	counter bool
}

func totals(t *testing.T, es []Entry) map[[2]string][2]int64 {
	t.Helper()
	out := map[[2]string][2]int64{}
	for _, e := range es {
		if err := validateEntry(e); err != nil {
			t.Fatalf("entry for %s does not validate: %v", e.EntityID, err)
		}
		for _, l := range e.Lines {
			k := [2]string{e.EntityID.String(), l.AccountCode}
			v := out[k]
			v[0] += l.Debit
			v[1] += l.Credit
			out[k] = v
		}
	}
	return out
}

func TestPostingRules(t *testing.T) {
	hq, fa, fb := uuid.New(), uuid.New(), uuid.New()
	direct, franA, franB := uuid.New(), uuid.New(), uuid.New()
	b := books{hq: hq, stores: map[uuid.UUID]uuid.UUID{direct: hq, franA: fa, franB: fb},
		clearing: func(a, c uuid.UUID) ClearingRule {
			return ClearingRule{PrincipalBP: 10000, BonusBP: 5000, PointsBP: 8000}
		}}
	day := time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)
	src := uuid.New()
	cases := []struct {
		name  string
		build func() ([]Entry, error)
		want  []lineWant
	}{
		{"sale paid in cash and WeChat", func() ([]Entry, error) {
			return buildSale(SaleEvent{Source: doc.Of("sale", src), StoreID: direct, BusinessDate: day, Revenue: []RevenueLine{{11300, 1300}, {10900, 900}},
				Payments: []Payment{{"cash", 2200}, {"wechat", 20000}}, COGS: 15000}, b, "sale")
		}, []lineWant{{hq, AcctCash, 2200, 0, false}, {hq, AcctEWallet, 20000, 0, false}, {hq, AcctRevenue, 0, 20000, false},
			{hq, AcctOutputVAT, 0, 2200, false}, {hq, AcctCOGS, 15000, 0, false}, {hq, AcctInventory, 0, 15000, false}}},
		{"sale with stored value loaded at HQ and points issued at HQ, sold in a franchise store", func() ([]Entry, error) {
			return buildSale(SaleEvent{Source: doc.Of("sale", src), StoreID: franA, BusinessDate: day, Revenue: []RevenueLine{{10600, 600}},
				Payments: []Payment{{"cash", 600}}, StoredValue: []StoredValueUse{{Principal: 8000, Bonus: 1000, LoadedStoreID: &direct}},
				Points: []PointsUse{{Value: 1000}}}, b, "sale")
		}, []lineWant{{fa, AcctCash, 600, 0, false}, {fa, AcctRevenue, 0, 10000, false}, {fa, AcctOutputVAT, 0, 600, false},
			{fa, AcctDueFrom, 8500 + 800, 0, true}, {fa, AcctSelling, 500 + 200, 0, false},
			{hq, AcctSVPrincipal, 8000, 0, false}, {hq, AcctSVBonus, 1000, 0, false}, {hq, AcctDueTo, 0, 8500 + 800, true},
			{hq, AcctOtherRevenue, 0, 500, false}, {hq, AcctSelling, 800, 0, false}}},
		{"till cash shortage", func() ([]Entry, error) {
			return buildCashVariance(CashVarianceEvent{Source: doc.Of("pos_shift", src), StoreID: franA, BusinessDate: day, Amount: -350}, b)
		}, []lineWant{{fa, AcctAdmin, 350, 0, false}, {fa, AcctCash, 0, 350, false}}},
		{"till cash overage", func() ([]Entry, error) {
			return buildCashVariance(CashVarianceEvent{Source: doc.Of("pos_shift", src), StoreID: direct, BusinessDate: day, Amount: 120}, b)
		}, []lineWant{{hq, AcctCash, 120, 0, false}, {hq, AcctNonOperatingIncome, 0, 120, false}}},
		{"top-up with bonus", func() ([]Entry, error) {
			return buildTopUp(TopUpEvent{Source: doc.Of("topup", src), StoreID: &direct, BusinessDate: day, Principal: 10000, Bonus: 1000, Payments: []Payment{{"alipay", 10000}}}, b)
		}, []lineWant{{hq, AcctEWallet, 10000, 0, false}, {hq, AcctSVPrincipal, 0, 10000, false}, {hq, AcctSelling, 1000, 0, false}, {hq, AcctSVBonus, 0, 1000, false}}},
		{"points redemption of a gift", func() ([]Entry, error) {
			return buildPointsRedemption(PointsRedemptionEvent{Source: doc.Of("points_redemption", src), StoreID: direct, BusinessDate: day, Cost: 700}, b)
		}, []lineWant{{hq, AcctSelling, 700, 0, false}, {hq, AcctInventory, 0, 700, false}}},
		{"goods receipt", func() ([]Entry, error) {
			return buildGoodsReceipt(GoodsReceiptEvent{Source: doc.Of("goods_receipt", src), BusinessDate: day, Net: 10000, InputVAT: 1300}, b)
		}, []lineWant{{hq, AcctInventory, 10000, 0, false}, {hq, AcctInputVAT, 1300, 0, false}, {hq, AcctPayable, 0, 11300, false}}},
		{"supplier payment", func() ([]Entry, error) {
			return buildSupplierPayment(SupplierPaymentEvent{Source: doc.Of("supplier_payment", src), BusinessDate: day, Amount: 11300, Method: "bank"}, b)
		}, []lineWant{{hq, AcctPayable, 11300, 0, false}, {hq, AcctBank, 0, 11300, false}}},
		{"stocktake loss", func() ([]Entry, error) {
			return buildStocktakeVariance(StocktakeVarianceEvent{Source: doc.Of("stocktake", src), StoreID: franB, BusinessDate: day, Amount: -250}, b)
		}, []lineWant{{fb, AcctInventory, 0, 250, false}, {fb, AcctAdmin, 250, 0, false}}},
		{"stocktake gain", func() ([]Entry, error) {
			return buildStocktakeVariance(StocktakeVarianceEvent{Source: doc.Of("stocktake", src), StoreID: franB, BusinessDate: day, Amount: 90}, b)
		}, []lineWant{{fb, AcctInventory, 90, 0, false}, {fb, AcctAdmin, 0, 90, false}}},
		{"write-off", func() ([]Entry, error) {
			return buildWriteOff(WriteOffEvent{Source: doc.Of("write_off", src), StoreID: direct, BusinessDate: day, Amount: 400}, b)
		}, []lineWant{{hq, AcctNonOperating, 400, 0, false}, {hq, AcctInventory, 0, 400, false}}},
		{"royalty", func() ([]Entry, error) {
			return buildRoyalty(RoyaltyEvent{Source: doc.Of("royalty", src), StoreID: franA, BusinessDate: day, Amount: 3000}, b)
		}, []lineWant{{fa, AcctSelling, 3000, 0, true}, {fa, AcctDueTo, 0, 3000, true}, {hq, AcctDueFrom, 3000, 0, true}, {hq, AcctOtherRevenue, 0, 3000, true}}},
		{"supply to a franchise store", func() ([]Entry, error) {
			return buildSupply(SupplyEvent{Source: doc.Of("supply", src), StoreID: franA, BusinessDate: day, Net: 10000, VAT: 1300, Cost: 8000}, b)
		}, []lineWant{{hq, AcctDueFrom, 11300, 0, true}, {hq, AcctRevenue, 0, 10000, true}, {hq, AcctOutputVAT, 0, 1300, false},
			{hq, AcctCOGS, 8000, 0, true}, {hq, AcctInventory, 0, 8000, true}, {fa, AcctInventory, 10000, 0, true}, {fa, AcctInputVAT, 1300, 0, false},
			{fa, AcctDueTo, 0, 11300, true}}},
		{"franchisee payment to HQ", func() ([]Entry, error) {
			return buildFranchiseePayment(FranchiseePaymentEvent{Source: doc.Of("franchisee_payment", src), BusinessDate: day, Amount: 5000, Method: "bank"}, b, fa)
		}, []lineWant{{fa, AcctDueTo, 5000, 0, true}, {fa, AcctBank, 0, 5000, false}, {hq, AcctBank, 5000, 0, false}, {hq, AcctDueFrom, 0, 5000, true}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			es, err := c.build()
			if err != nil {
				t.Fatal(err)
			}
			got := totals(t, es)
			want := map[[2]string][2]int64{}
			for _, w := range c.want {
				k := [2]string{w.entity.String(), w.acct}
				v := want[k]
				v[0] += w.dr
				v[1] += w.cr
				want[k] = v
			}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s %s: got dr/cr %v, want %v", k[0][:8], k[1], got[k], v)
				}
			}
			for k, v := range got {
				if _, ok := want[k]; !ok {
					t.Errorf("unexpected %s %s: %v", k[0][:8], k[1], v)
				}
			}
			// Internal lines, and only they, carry a counter entity.
			for _, e := range es {
				for _, l := range e.Lines {
					for _, w := range c.want {
						if w.entity == e.EntityID && w.acct == l.AccountCode && w.counter != (l.CounterEntityID != nil) {
							t.Errorf("%s: internal=%v, want %v", l.AccountCode, l.CounterEntityID != nil, w.counter)
						}
					}
				}
			}
		})
	}
	t.Run("a sale whose tenders do not add up is refused", func(t *testing.T) {
		_, err := buildSale(SaleEvent{Source: doc.Of("sale", src), StoreID: direct, BusinessDate: day, Revenue: []RevenueLine{{1000, 1300}}, Payments: []Payment{{"cash", 999}}}, b, "sale")
		if err == nil {
			t.Fatal("accepted")
		}
	})
	t.Run("unknown payment method", func(t *testing.T) {
		_, err := buildSale(SaleEvent{Source: doc.Of("sale", src), StoreID: direct, BusinessDate: day, Revenue: []RevenueLine{{1000, 1300}}, Payments: []Payment{{"bitcoin", 1000}}}, b, "sale")
		if err == nil {
			t.Fatal("accepted")
		}
	})
	t.Run("royalty needs a franchise store", func(t *testing.T) {
		if _, err := buildRoyalty(RoyaltyEvent{Source: doc.Of("royalty", src), StoreID: direct, BusinessDate: day, Amount: 1}, b); err == nil {
			t.Fatal("accepted")
		}
	})
}

// Every tender posts on its own account, and any other method is refused
// with an error that lists the methods the books know, in every rule that
// takes payments.
func TestPaymentsUseTheTenderList(t *testing.T) {
	hq, store := uuid.New(), uuid.New()
	b := books{hq: hq, stores: map[uuid.UUID]uuid.UUID{store: hq}}
	day := time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)
	accounts := map[string]bool{}
	for _, a := range chartTemplate {
		accounts[a.code] = true
	}
	for _, tn := range Tenders {
		if !accounts[tn.Account] {
			t.Errorf("tender %s posts on %s, which the chart lacks", tn.Method, tn.Account)
		}
		es, err := buildTopUp(TopUpEvent{Source: doc.Of(doc.TopUp, uuid.New()), StoreID: &store, BusinessDate: day, Principal: 100,
			Payments: []Payment{{tn.Method, 100}}}, b)
		if err != nil || es[0].Lines[0].AccountCode != tn.Account || es[0].Lines[0].Debit != 100 {
			t.Errorf("top-up paid by %s: %+v %v", tn.Method, es, err)
		}
	}
	for _, tn := range CustomerTenders() {
		if !tn.Customer {
			t.Errorf("CustomerTenders offers %s", tn.Method)
		}
	}
	if _, ok := TenderOf("bitcoin"); ok {
		t.Error("TenderOf knows bitcoin")
	}
	src := doc.Of(doc.Sale, uuid.New())
	for name, build := range map[string]func() ([]Entry, error){
		"sale": func() ([]Entry, error) {
			return buildSale(SaleEvent{Source: src, StoreID: store, BusinessDate: day, Revenue: []RevenueLine{{100, 0}},
				Payments: []Payment{{"cash", 50}, {"bitcoin", 50}}}, b, "sale")
		},
		"top-up": func() ([]Entry, error) {
			return buildTopUp(TopUpEvent{Source: src, BusinessDate: day, Principal: 100, Payments: []Payment{{"cash", 50}, {"bitcoin", 50}}}, b)
		},
		"cash-out": func() ([]Entry, error) {
			return buildStoredValueCashOut(StoredValueCashOutEvent{Source: src, BusinessDate: day, Principal: 100, Payments: []Payment{{"cash", 50}, {"bitcoin", 50}}}, b)
		},
		"supplier payment": func() ([]Entry, error) {
			return buildSupplierPayment(SupplierPaymentEvent{Source: src, BusinessDate: day, Amount: 100, Method: "bitcoin"}, b)
		},
		"franchisee payment": func() ([]Entry, error) {
			return buildFranchiseePayment(FranchiseePaymentEvent{Source: src, BusinessDate: day, Amount: 100, Method: "bitcoin"}, b, uuid.New())
		},
	} {
		_, err := build()
		p, ok := problem.As(err)
		if !errors.Is(err, ErrInvalidEvent) || !ok || len(p.Fields) != 1 || !strings.HasSuffix(p.Fields[0].Field, "method") {
			t.Errorf("%s paid in bitcoin: %v", name, err)
			continue
		}
		for _, tn := range Tenders {
			if !strings.Contains(p.Fields[0].Message, tn.Method) {
				t.Errorf("%s: %q does not list %s", name, p.Fields[0].Message, tn.Method)
			}
		}
	}
}

func TestCashVarianceOfZeroMovesNothing(t *testing.T) {
	store := uuid.New()
	b := books{hq: uuid.New(), stores: map[uuid.UUID]uuid.UUID{}}
	b.stores[store] = b.hq
	if _, err := buildCashVariance(CashVarianceEvent{Source: doc.Of("pos_shift", uuid.New()), StoreID: store,
		BusinessDate: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)}, b); err == nil {
		t.Fatal("a zero variance was posted")
	}
}
