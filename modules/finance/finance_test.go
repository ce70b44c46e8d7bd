package finance_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"

	"chainstore/api/apitest"
	"chainstore/infra/doc"
	"chainstore/infra/money"
	"chainstore/infra/sheet"
	"chainstore/modules/finance"
	"chainstore/tenant"
)

var env *apitest.Env

func TestMain(m *testing.M) { apitest.Main(m, "finance", &env) }

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

// chain is a tenant with two direct stores and two franchisees with one
// store each, and their books.
type chain struct {
	tn              *apitest.Tenant
	direct, direct2 uuid.UUID
	frA, frB        uuid.UUID
	storeA, storeB  uuid.UUID
	hq, entA, entB  uuid.UUID
}

func newChain(t *testing.T) *chain {
	t.Helper()
	c := &chain{tn: env.Signup(t)}
	c.direct = env.CreateStore(t, c.tn, nil)
	c.direct2 = env.CreateStore(t, c.tn, nil)
	c.frA = env.CreateFranchisee(t, c.tn)
	c.frB = env.CreateFranchisee(t, c.tn)
	c.storeA = env.CreateStore(t, c.tn, &c.frA)
	c.storeB = env.CreateStore(t, c.tn, &c.frB)
	ctx := context.Background()
	fin := env.Server.Finance
	if err := fin.EnsureEntities(ctx, c.tn.ID); err != nil {
		t.Fatal(err)
	}
	var err error
	if c.hq, err = fin.HQEntity(ctx, c.tn.ID); err != nil {
		t.Fatal(err)
	}
	if c.entA, err = fin.EntityOfStore(ctx, c.tn.ID, c.storeA); err != nil {
		t.Fatal(err)
	}
	if c.entB, err = fin.EntityOfStore(ctx, c.tn.ID, c.storeB); err != nil {
		t.Fatal(err)
	}
	if e, _ := fin.EntityOfStore(ctx, c.tn.ID, c.direct); e != c.hq {
		t.Fatalf("direct store books %s, want HQ %s", e, c.hq)
	}
	return c
}

func sale(store uuid.UUID, d time.Time, gross, cogs int64) finance.SaleEvent {
	return finance.SaleEvent{Source: doc.Of("sale", uuid.Must(uuid.NewV7())), StoreID: store, BusinessDate: d,
		Revenue: []finance.RevenueLine{{Gross: gross, VATRateBP: 1300}}, Payments: []finance.Payment{{Method: "cash", Amount: gross}}, COGS: cogs}
}

func statement(t *testing.T, token, kind, scope, from, to string) finance.Statement {
	t.Helper()
	r := env.Do(t, apitest.Req{Method: "GET", Path: fmt.Sprintf("/api/v1/finance/statements/%s?%s&from=%s&to=%s", kind, scope, from, to), Token: token})
	if r.Status != 200 {
		t.Fatalf("%s %s: %d %s", kind, scope, r.Status, r.Body)
	}
	var st finance.Statement
	r.JSON(t, &st)
	return st
}

func TestDatabaseRefusesUnbalancedAndChangedEntries(t *testing.T) {
	c := newChain(t)
	ctx := context.Background()
	accts := map[string]uuid.UUID{}
	rows, err := env.Owner.Query(`SELECT code, id FROM fin_accounts WHERE tenant_id = $1`, c.tn.ID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var code string
		var id uuid.UUID
		if err := rows.Scan(&code, &id); err != nil {
			t.Fatal(err)
		}
		accts[code] = id
	}
	rows.Close()
	rawEntry := func(ctx context.Context, id uuid.UUID, d time.Time) error {
		return tenant.DB(ctx).Exec(`INSERT INTO fin_entries (tenant_id, id, entity_id, business_date, accounting_date, period_year, period_month, source_type, source_id, rule)
			VALUES (?, ?, ?, ?, ?, ?, ?, 'raw', ?, 'raw')`, c.tn.ID, id, c.hq, d, d, d.Year(), int(d.Month()), uuid.New()).Error
	}
	rawLine := func(ctx context.Context, id uuid.UUID, no int, d time.Time, acct string, dr, cr int64) error {
		return tenant.DB(ctx).Exec(`INSERT INTO fin_lines (tenant_id, entry_id, line_no, entity_id, accounting_date, account_id, debit, credit)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, c.tn.ID, id, no, c.hq, d, accts[acct], dr, cr).Error
	}
	// The period must exist (FK); posting a balanced entry creates it.
	if _, err := env.Server.Finance.PostSale(ctx, c.tn.ID, sale(c.direct, day(2024, 5, 1), 1130, 500)); err != nil {
		t.Fatal(err)
	}
	d := day(2024, 5, 2)
	id := uuid.New()
	err = env.Server.Pool.WithTx(ctx, c.tn.ID, func(ctx context.Context) error {
		if err := rawEntry(ctx, id, d); err != nil {
			return err
		}
		if err := rawLine(ctx, id, 1, d, finance.AcctCash, 100, 0); err != nil {
			return err
		}
		return rawLine(ctx, id, 2, d, finance.AcctRevenue, 0, 99)
	})
	if err == nil || !strings.Contains(err.Error(), "unbalanced") {
		t.Fatalf("unbalanced entry through raw SQL as the app role: err = %v, want a refusal", err)
	}
	if n := env.Count(t, `SELECT count(*) FROM fin_entries WHERE tenant_id = $1 AND id = $2`, c.tn.ID, id); n != 0 {
		t.Fatal("the unbalanced entry was stored")
	}
	// An entry with no lines at all is refused too.
	err = env.Server.Pool.WithTx(ctx, c.tn.ID, func(ctx context.Context) error { return rawEntry(ctx, uuid.New(), d) })
	if err == nil {
		t.Fatal("an entry without lines was accepted")
	}
	// A balanced raw entry commits; then its lines and itself are immutable.
	id = uuid.New()
	err = env.Server.Pool.WithTx(ctx, c.tn.ID, func(ctx context.Context) error {
		if err := rawEntry(ctx, id, d); err != nil {
			return err
		}
		if err := rawLine(ctx, id, 1, d, finance.AcctCash, 100, 0); err != nil {
			return err
		}
		return rawLine(ctx, id, 2, d, finance.AcctRevenue, 0, 100)
	})
	if err != nil {
		t.Fatalf("balanced raw entry: %v", err)
	}
	for _, stmt := range []string{
		`UPDATE fin_lines SET debit = 200 WHERE tenant_id = ? AND entry_id = ? AND line_no = 1`,
		`DELETE FROM fin_lines WHERE tenant_id = ? AND entry_id = ?`,
		`UPDATE fin_entries SET memo = 'changed' WHERE tenant_id = ? AND id = ?`,
		`DELETE FROM fin_entries WHERE tenant_id = ? AND id = ?`,
	} {
		err := env.Server.Pool.WithTx(ctx, c.tn.ID, func(ctx context.Context) error { return tenant.DB(ctx).Exec(stmt, c.tn.ID, id).Error })
		if err == nil || !strings.Contains(err.Error(), "immutable") {
			t.Errorf("%s: err = %v, want immutable", stmt, err)
		}
	}
	// And the Go posting API refuses an unbalanced entry with a 422 problem.
	_, err = env.Server.Finance.Post(ctx, c.tn.ID, finance.Entry{EntityID: c.hq, BusinessDate: d, SourceType: "test", SourceID: uuid.New(), Rule: "x",
		Lines: []finance.Line{{AccountCode: finance.AcctCash, Debit: 5}, {AccountCode: finance.AcctRevenue, Credit: 4}}})
	if err == nil || !strings.Contains(err.Error(), "finance.unbalanced") {
		t.Fatalf("Post unbalanced: %v", err)
	}
}

func TestRandomPostingsKeepTheBooksBalanced(t *testing.T) {
	c := newChain(t)
	ctx := context.Background()
	fin := env.Server.Finance
	rng := rand.New(rand.NewPCG(42, 7))
	stores := []uuid.UUID{c.direct, c.direct2, c.storeA, c.storeB}
	franchise := []uuid.UUID{c.storeA, c.storeB}
	amt := func() int64 { return 100 + rng.Int64N(100000) }
	var internalRevenue int64
	for i := 0; i < 150; i++ {
		d := day(2024, 1+rng.IntN(3), 1+rng.IntN(28))
		st := stores[rng.IntN(len(stores))]
		var err error
		switch rng.IntN(8) {
		case 0, 1:
			g := amt()
			ev := sale(st, d, g, g/2)
			if rng.IntN(2) == 0 { // part stored value loaded elsewhere, part points
				sv, pts := g/3, g/10
				loaded := stores[rng.IntN(len(stores))]
				ev.Payments[0].Amount = g - sv - pts
				ev.StoredValue = []finance.StoredValueUse{{Principal: sv - sv/5, Bonus: sv / 5, LoadedStoreID: &loaded}}
				ev.Points = []finance.PointsUse{{Value: pts, IssuedStoreID: &loaded}}
			}
			_, err = fin.PostSale(ctx, c.tn.ID, ev)
		case 2:
			_, err = fin.PostTopUp(ctx, c.tn.ID, finance.TopUpEvent{Source: doc.Of("topup", uuid.New()), StoreID: &st, BusinessDate: d, Principal: 10000, Bonus: 800,
				Payments: []finance.Payment{{Method: "wechat", Amount: 10000}}})
		case 3:
			_, err = fin.PostGoodsReceipt(ctx, c.tn.ID, finance.GoodsReceiptEvent{Source: doc.Of("goods_receipt", uuid.New()), StoreID: &st, BusinessDate: d, Net: amt(), InputVAT: 1300})
		case 4:
			_, err = fin.PostSupplierPayment(ctx, c.tn.ID, finance.SupplierPaymentEvent{Source: doc.Of("supplier_payment", uuid.New()), StoreID: &st, BusinessDate: d, Amount: amt(), Method: "bank"})
		case 5:
			net := amt()
			internalRevenue += net
			_, err = fin.PostSupply(ctx, c.tn.ID, finance.SupplyEvent{Source: doc.Of("supply", uuid.New()), StoreID: franchise[rng.IntN(2)], BusinessDate: d, Net: net, VAT: net * 13 / 100, Cost: net * 8 / 10})
		case 6:
			_, err = fin.PostRoyalty(ctx, c.tn.ID, finance.RoyaltyEvent{Source: doc.Of("royalty", uuid.New()), StoreID: franchise[rng.IntN(2)], BusinessDate: d, Amount: amt()})
		case 7:
			_, err = fin.PostStocktakeVariance(ctx, c.tn.ID, finance.StocktakeVarianceEvent{Source: doc.Of("stocktake", uuid.New()), StoreID: st, BusinessDate: d, Amount: amt() - 50000})
		}
		if err != nil {
			t.Fatalf("posting %d: %v", i, err)
		}
	}
	tok := c.tn.AdminToken
	for _, scope := range []string{"entity_id=" + c.hq.String(), "entity_id=" + c.entA.String(), "entity_id=" + c.entB.String(), "consolidated=true"} {
		for _, rng := range [][2]string{{"2024-01-01", "2024-03-31"}, {"2024-02-10", "2024-03-05"}, {"2024-03-01", "2024-12-31"}} {
			tb := statement(t, tok, "trial-balance", scope, rng[0], rng[1])
			if !tb.Balanced || tb.Totals["debit"] != tb.Totals["credit"] || tb.Totals["closing_debit"] != tb.Totals["closing_credit"] {
				t.Errorf("%s %v trial balance not balanced: %v", scope, rng, tb.Totals)
			}
			for _, r := range tb.Rows {
				if r.Code == "HO" {
					t.Errorf("%s %v: an entity or consolidated trial balance has a head-office row %v", scope, rng, r.Amounts)
				}
			}
			bs := statement(t, tok, "balance-sheet", scope, rng[0], rng[1])
			if !bs.Balanced || bs.Totals["closing_assets"] != bs.Totals["closing_liabilities_and_equity"] {
				t.Errorf("%s %v balance sheet: %v", scope, rng, bs.Totals)
			}
			cf := statement(t, tok, "cash-flow", scope, rng[0], rng[1])
			if cf.Totals["opening_cash"]+cf.Totals["net_change"] != cf.Totals["closing_cash"] {
				t.Errorf("%s cash flow does not reconcile: %v", scope, cf.Totals)
			}
		}
	}
	// HQ pays a store's rent from its central bank account: the expense is
	// the store's, the payment carries no store (so the store's own lines
	// no longer net to zero).
	if _, err := fin.Post(ctx, c.tn.ID, finance.Entry{EntityID: c.hq, BusinessDate: day(2024, 2, 15), SourceType: "test", SourceID: uuid.New(), Rule: "rent",
		Lines: []finance.Line{{AccountCode: finance.AcctAdmin, StoreID: &c.direct, Debit: 3000}, {AccountCode: finance.AcctBank, Credit: 3000}}}); err != nil {
		t.Fatal(err)
	}
	// A store's statements balance through the head-office line, which holds
	// the other side of the store's own lines: minus their net, from the lines.
	for _, st := range stores {
		scope := "store_id=" + st.String()
		var ownNet int64
		if err := env.Owner.QueryRow(`SELECT coalesce(sum(debit - credit), 0) FROM fin_lines WHERE tenant_id = $1 AND store_id = $2 AND accounting_date <= '2024-03-31'`,
			c.tn.ID, st).Scan(&ownNet); err != nil {
			t.Fatal(err)
		}
		tb := statement(t, tok, "trial-balance", scope, "2024-02-01", "2024-03-31")
		var ho *finance.StatementRow
		for i := range tb.Rows {
			if tb.Rows[i].Code == "HO" {
				ho = &tb.Rows[i]
			}
		}
		if !tb.Balanced || tb.Totals["closing_debit"] != tb.Totals["closing_credit"] {
			t.Errorf("%s trial balance not balanced: %v", scope, tb.Totals)
		}
		if st == c.direct && ownNet == 0 {
			t.Errorf("%s: the rent left its own lines netting to 0", scope)
		}
		if ownNet != 0 && (ho == nil || ho.Amounts["closing_credit"]-ho.Amounts["closing_debit"] != ownNet) {
			t.Errorf("%s: own lines net %d, head-office line %+v", scope, ownNet, ho)
		}
		bs := statement(t, tok, "balance-sheet", scope, "2024-02-01", "2024-03-31")
		if !bs.Balanced || bs.Totals["closing_assets"] != bs.Totals["closing_liabilities_and_equity"] {
			t.Errorf("%s balance sheet: %v", scope, bs.Totals)
		}
	}
	// The roll-ups equal the lines they summarise.
	if n := env.Count(t, `SELECT count(*) FROM (
		SELECT entity_id, account_id, sum(debit) d, sum(credit) c FROM fin_lines WHERE tenant_id = $1 GROUP BY 1, 2
		EXCEPT SELECT entity_id, account_id, sum(debit), sum(credit) FROM fin_balances_daily WHERE tenant_id = $1 GROUP BY 1, 2) x`, c.tn.ID); n != 0 {
		t.Errorf("%d account totals differ between lines and the daily roll-up", n)
	}
	// Consolidation removes the internal accounts and the internal revenue.
	cons := statement(t, tok, "trial-balance", "consolidated=true", "2024-01-01", "2024-12-31")
	for _, r := range cons.Rows {
		if r.Code == finance.AcctDueFrom || r.Code == finance.AcctDueTo {
			t.Errorf("consolidated trial balance shows internal account %s: %v", r.Code, r.Amounts)
		}
	}
	isSum := int64(0)
	for _, e := range []uuid.UUID{c.hq, c.entA, c.entB} {
		isSum += statement(t, tok, "income-statement", "entity_id="+e.String(), "2024-01-01", "2024-12-31").Totals["revenue"]
	}
	consIS := statement(t, tok, "income-statement", "consolidated=true", "2024-01-01", "2024-12-31")
	if consIS.Totals["revenue"] >= isSum || isSum-consIS.Totals["revenue"] < internalRevenue {
		t.Errorf("consolidated revenue %d, entity sum %d, internal supply revenue %d: internal revenue not removed", consIS.Totals["revenue"], isSum, internalRevenue)
	}
}

func TestConsolidationRemovesInternalTransactions(t *testing.T) {
	c := newChain(t)
	ctx := context.Background()
	fin := env.Server.Finance
	d := day(2024, 6, 10)
	if _, err := fin.PostSupply(ctx, c.tn.ID, finance.SupplyEvent{Source: doc.Of("supply", uuid.New()), StoreID: c.storeA, BusinessDate: d, Net: 10000, VAT: 1300, Cost: 7000}); err != nil {
		t.Fatal(err)
	}
	if _, err := fin.PostRoyalty(ctx, c.tn.ID, finance.RoyaltyEvent{Source: doc.Of("royalty", uuid.New()), StoreID: c.storeA, BusinessDate: d, Amount: 500}); err != nil {
		t.Fatal(err)
	}
	if _, err := fin.PostSale(ctx, c.tn.ID, sale(c.direct, d, 22600, 9000)); err != nil {
		t.Fatal(err)
	}
	tok := c.tn.AdminToken
	hq := statement(t, tok, "income-statement", "entity_id="+c.hq.String(), "2024-06-01", "2024-06-30")
	if hq.Totals["revenue"] != 20000+10000+500 || hq.Totals["cost"] != 9000+7000 {
		t.Errorf("HQ income statement %v", hq.Totals)
	}
	cons := statement(t, tok, "income-statement", "consolidated=true", "2024-06-01", "2024-06-30")
	if cons.Totals["revenue"] != 20000 || cons.Totals["cost"] != 9000 || cons.Totals["net_profit"] != 11000 {
		t.Errorf("consolidated income statement %v, want only the external sale", cons.Totals)
	}
	bs := statement(t, tok, "balance-sheet", "consolidated=true", "2024-06-01", "2024-06-30")
	if !bs.Balanced {
		t.Errorf("consolidated balance sheet %v", bs.Totals)
	}
}

func TestLockedPeriodMovesPostingsToTheNextOpenPeriod(t *testing.T) {
	c := newChain(t)
	ctx := context.Background()
	tok := c.tn.AdminToken
	for _, p := range []string{"lock", "close"} {
		month := map[string]int{"lock": 3, "close": 4}[p]
		r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/finance/periods/" + p, Token: tok,
			Body: map[string]any{"entity_id": c.hq, "year": 2024, "month": month}})
		if r.Status != 200 {
			t.Fatalf("%s: %d %s", p, r.Status, r.Body)
		}
	}
	// March locked, April closed: a sale of 15 March lands on 1 May.
	ps, err := env.Server.Finance.PostSale(ctx, c.tn.ID, sale(c.direct, day(2024, 3, 15), 1130, 0))
	if err != nil {
		t.Fatal(err)
	}
	if got := ps[0].AccountingDate; !got.Equal(day(2024, 5, 1)) {
		t.Fatalf("accounting date %v, want 2024-05-01", got)
	}
	r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/finance/entries/" + ps[0].EntryID.String(), Token: tok})
	var e finance.JournalEntry
	r.JSON(t, &e)
	if e.BusinessDate != "2024-03-15" || e.AccountingDate != "2024-05-01" || e.PeriodMonth != 5 || len(e.Lines) != 3 {
		t.Fatalf("entry %+v", e)
	}
	if is := statement(t, tok, "income-statement", "entity_id="+c.hq.String(), "2024-03-01", "2024-03-31"); is.Totals["revenue"] != 0 {
		t.Errorf("the locked March changed: %v", is.Totals)
	}
	// The database refuses a raw entry into the locked period.
	err = env.Server.Pool.WithTx(ctx, c.tn.ID, func(ctx context.Context) error {
		return tenant.DB(ctx).Exec(`INSERT INTO fin_entries (tenant_id, id, entity_id, business_date, accounting_date, period_year, period_month, source_type, source_id, rule)
			VALUES (?, ?, ?, '2024-03-20', '2024-03-20', 2024, 3, 'raw', ?, 'raw')`, c.tn.ID, uuid.New(), c.hq, uuid.New()).Error
	})
	if err == nil || !strings.Contains(err.Error(), "locked") {
		t.Fatalf("raw insert into a locked period: %v", err)
	}
	// A locked period never reopens; a closed one does.
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/finance/periods/reopen", Token: tok, Body: map[string]any{"entity_id": c.hq, "year": 2024, "month": 3}}); r.Status != 409 || r.Code() != "finance.period_state" {
		t.Errorf("reopen locked: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/finance/periods/reopen", Token: tok, Body: map[string]any{"entity_id": c.hq, "year": 2024, "month": 4}}); r.Status != 200 {
		t.Errorf("reopen closed: %d %s", r.Status, r.Body)
	}
	var periods struct{ Data []finance.Period }
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/finance/periods?entity_id=" + c.hq.String() + "&year=2024", Token: tok}).JSON(t, &periods)
	if len(periods.Data) != 12 || periods.Data[2].Status != "locked" || periods.Data[3].Status != "open" {
		t.Errorf("periods %+v", periods.Data)
	}
}

func TestManualEntriesNeedAnotherApproverAndReverse(t *testing.T) {
	c := newChain(t)
	fin1 := env.CreateUser(t, c.tn, "hq_finance", nil, nil)
	body := map[string]any{"entity_id": c.hq, "business_date": "2024-07-01", "memo": "房租 rent",
		"lines": []any{map[string]any{"account_code": finance.AcctAdmin, "debit": 50000, "store_id": c.direct},
			map[string]any{"account_code": finance.AcctBank, "credit": 50000, "cash_flow": "operating_paid"}}}
	unbalanced := map[string]any{"entity_id": c.hq, "business_date": "2024-07-01",
		"lines": []any{map[string]any{"account_code": finance.AcctAdmin, "debit": 50000}, map[string]any{"account_code": finance.AcctBank, "credit": 4}}}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/finance/manual-entries", Token: fin1.Token, Body: unbalanced}); r.Status != 422 || r.Code() != "finance.unbalanced" {
		t.Fatalf("unbalanced draft: %d %s", r.Status, r.Body)
	}
	wrongStore := map[string]any{"entity_id": c.hq, "business_date": "2024-07-01",
		"lines": []any{map[string]any{"account_code": finance.AcctAdmin, "debit": 5, "store_id": c.storeA}, map[string]any{"account_code": finance.AcctBank, "credit": 5}}}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/finance/manual-entries", Token: fin1.Token, Body: wrongStore}); r.Status != 422 {
		t.Fatalf("franchise store in HQ's manual entry: %d %s", r.Status, r.Body)
	}
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/finance/manual-entries", Token: fin1.Token, Body: body})
	if r.Status != 201 {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	var m finance.ManualEntry
	r.JSON(t, &m)
	if m.Status != "pending" || m.EntryID != nil {
		t.Fatalf("draft %+v", m)
	}
	path := "/api/v1/finance/manual-entries/" + m.ID.String()
	if r := env.Do(t, apitest.Req{Method: "POST", Path: path + "/approve", Token: fin1.Token}); r.Status != 403 || r.Code() != "finance.self_approval" {
		t.Fatalf("self approval: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: path + "/approve", Token: c.tn.AdminToken}); r.Status != 200 {
		t.Fatalf("approve: %d %s", r.Status, r.Body)
	}
	env.Do(t, apitest.Req{Method: "GET", Path: path, Token: fin1.Token}).JSON(t, &m)
	if m.Status != "approved" || m.EntryID == nil {
		t.Fatalf("approved %+v", m)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: path + "/reject", Token: c.tn.AdminToken}); r.Status != 409 {
		t.Errorf("reject after approve: %d", r.Status)
	}
	is := statement(t, c.tn.AdminToken, "income-statement", "store_id="+c.direct.String(), "2024-07-01", "2024-07-31")
	if is.Totals["expenses"] != 50000 {
		t.Errorf("store P&L %v", is.Totals)
	}
	rev := "/api/v1/finance/entries/" + m.EntryID.String() + "/reverse"
	r = env.Do(t, apitest.Req{Method: "POST", Path: rev, Token: fin1.Token, Body: map[string]any{"business_date": "2024-07-20", "memo": "录错"}})
	if r.Status != 201 {
		t.Fatalf("reverse: %d %s", r.Status, r.Body)
	}
	var re finance.JournalEntry
	r.JSON(t, &re)
	if re.ReversesEntryID == nil || *re.ReversesEntryID != *m.EntryID || re.Lines[0].Credit != 50000 {
		t.Fatalf("reversal %+v", re)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: rev, Token: fin1.Token}); r.Status != 409 || r.Code() != "finance.already_reversed" {
		t.Errorf("second reversal: %d %s", r.Status, r.Body)
	}
	is = statement(t, c.tn.AdminToken, "income-statement", "entity_id="+c.hq.String(), "2024-07-01", "2024-07-31")
	if is.Totals["expenses"] != 0 {
		t.Errorf("after reversal %v", is.Totals)
	}
	var list struct{ Data []finance.JournalEntry }
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/finance/entries?source_type=manual&entity_id=" + c.hq.String(), Token: fin1.Token}).JSON(t, &list)
	if len(list.Data) != 1 || list.Data[0].ReversedBy == nil || list.Data[0].Debit != 50000 {
		t.Errorf("entries list %+v", list.Data)
	}
}

func TestYearEndCloseMovesProfitToRetainedEarnings(t *testing.T) {
	c := newChain(t)
	ctx := context.Background()
	if _, err := env.Server.Finance.PostSale(ctx, c.tn.ID, sale(c.direct, day(2023, 11, 3), 11300, 4000)); err != nil {
		t.Fatal(err)
	}
	tok := c.tn.AdminToken
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/finance/year-end-close", Token: tok, Body: map[string]any{"entity_id": c.hq, "year": 2023}})
	if r.Status != 200 {
		t.Fatalf("close: %d %s", r.Status, r.Body)
	}
	var res finance.YearEndResult
	r.JSON(t, &res)
	if res.Profit != 6000 || res.EntryID == nil {
		t.Fatalf("result %+v", res)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/finance/year-end-close", Token: tok, Body: map[string]any{"entity_id": c.hq, "year": 2023}}); r.Status != 409 {
		t.Errorf("second close: %d", r.Status)
	}
	is := statement(t, tok, "income-statement", "entity_id="+c.hq.String(), "2023-01-01", "2023-12-31")
	if is.Totals["net_profit"] != 6000 {
		t.Errorf("the year's income statement after closing %v", is.Totals)
	}
	bs := statement(t, tok, "balance-sheet", "entity_id="+c.hq.String(), "2024-01-01", "2024-01-31")
	var retained int64
	for _, row := range bs.Rows {
		if row.Code == finance.AcctRetained {
			retained = row.Amounts["closing"]
		}
		if row.Code == finance.AcctCurrentProfit && row.Amounts["closing"] != 0 {
			t.Errorf("current-year profit after the close: %v", row.Amounts)
		}
	}
	if retained != 6000 || !bs.Balanced {
		t.Errorf("retained earnings %d, balanced %v (%v)", retained, bs.Balanced, bs.Totals)
	}
	// Postings dated in the closed year move to January.
	ps, err := env.Server.Finance.PostSale(ctx, c.tn.ID, sale(c.direct, day(2023, 12, 30), 113, 0))
	if err != nil || !ps[0].AccountingDate.Equal(day(2024, 1, 1)) {
		t.Fatalf("late posting: %v %v", ps, err)
	}
}

func TestFranchiseeReadsOnlyItsOwnBooks(t *testing.T) {
	c := newChain(t)
	ctx := context.Background()
	if _, err := env.Server.Finance.PostSale(ctx, c.tn.ID, sale(c.storeA, day(2024, 2, 2), 2260, 1000)); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Server.Finance.PostSale(ctx, c.tn.ID, sale(c.storeB, day(2024, 2, 2), 1130, 100)); err != nil {
		t.Fatal(err)
	}
	a := env.CreateUser(t, c.tn, "franchisee", nil, &c.frA)
	mgr := env.CreateUser(t, c.tn, "store_manager", &c.direct, nil)
	cashier := env.CreateUser(t, c.tn, "cashier", &c.direct, nil)
	q := "&from=2024-02-01&to=2024-02-29"
	is := statement(t, a.Token, "income-statement", "entity_id="+c.entA.String(), "2024-02-01", "2024-02-29")
	if is.Totals["revenue"] != 2000 {
		t.Errorf("franchisee A's own books %v", is.Totals)
	}
	for _, path := range []string{
		"/api/v1/finance/statements/income-statement?entity_id=" + c.entB.String() + q,
		"/api/v1/finance/statements/income-statement?entity_id=" + c.hq.String() + q,
		"/api/v1/finance/statements/balance-sheet?store_id=" + c.storeB.String() + q,
		"/api/v1/finance/periods?entity_id=" + c.entB.String(),
	} {
		if r := env.Do(t, apitest.Req{Method: "GET", Path: path, Token: a.Token}); r.Status != 404 {
			t.Errorf("franchisee A GET %s: %d, want 404", path, r.Status)
		}
	}
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/finance/statements/trial-balance?consolidated=true" + q, Token: a.Token}); r.Status != 403 {
		t.Errorf("franchisee consolidated: %d", r.Status)
	}
	var ents struct{ Data []finance.Entity }
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/finance/entities", Token: a.Token}).JSON(t, &ents)
	if len(ents.Data) != 1 || ents.Data[0].ID != c.entA {
		t.Errorf("franchisee A's entities %+v", ents.Data)
	}
	var entries struct{ Data []finance.JournalEntry }
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/finance/entries", Token: a.Token}).JSON(t, &entries)
	for _, e := range entries.Data {
		if e.EntityID != c.entA {
			t.Errorf("franchisee A lists an entry of %s", e.EntityID)
		}
	}
	if len(entries.Data) != 1 {
		t.Errorf("franchisee A lists %d entries, want 1", len(entries.Data))
	}
	var bEntries struct{ Data []finance.JournalEntry }
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/finance/entries?entity_id=" + c.entB.String(), Token: c.tn.AdminToken}).JSON(t, &bEntries)
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/finance/entries/" + bEntries.Data[0].ID.String(), Token: a.Token}); r.Status != 404 {
		t.Errorf("franchisee A reads B's entry: %d", r.Status)
	}
	// A store manager reads their store's P&L, not another's, nor an entity.
	statement(t, mgr.Token, "income-statement", "store_id="+c.direct.String(), "2024-02-01", "2024-02-29")
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/finance/statements/income-statement?store_id=" + c.direct2.String() + q, Token: mgr.Token}); r.Status != 404 {
		t.Errorf("manager, other store: %d", r.Status)
	}
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/finance/statements/income-statement?entity_id=" + c.hq.String() + q, Token: mgr.Token}); r.Status != 404 {
		t.Errorf("manager, HQ books: %d", r.Status)
	}
	// A cashier sees the store but lacks finance:read: 403.
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/finance/statements/income-statement?store_id=" + c.direct.String() + q, Token: cashier.Token}); r.Status != 403 {
		t.Errorf("cashier: %d", r.Status)
	}
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/finance/entities", Token: cashier.Token}); r.Status != 403 {
		t.Errorf("cashier entities: %d", r.Status)
	}
	// Write operations stay with HQ finance.
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/finance/periods/close", Token: a.Token, Body: map[string]any{"entity_id": c.entA, "year": 2024, "month": 1}}); r.Status != 403 {
		t.Errorf("franchisee closes a period: %d", r.Status)
	}
}

// A statement that names no books is the caller's own: the consolidated
// chain for HQ, their entity for a franchisee, their store for a store
// manager. Naming the books still works, and still refuses what the caller
// may not read; naming two is a 400.
func TestStatementsDefaultToTheCallersBooks(t *testing.T) {
	c := newChain(t)
	ctx := context.Background()
	for _, ev := range []finance.SaleEvent{sale(c.direct, day(2024, 2, 2), 3390, 1000), sale(c.direct2, day(2024, 2, 2), 1130, 100),
		sale(c.storeA, day(2024, 2, 2), 2260, 1000), sale(c.storeB, day(2024, 2, 2), 1130, 100)} {
		if _, err := env.Server.Finance.PostSale(ctx, c.tn.ID, ev); err != nil {
			t.Fatal(err)
		}
	}
	hqFin := env.CreateUser(t, c.tn, "hq_finance", nil, nil)
	a := env.CreateUser(t, c.tn, "franchisee", nil, &c.frA)
	mgr := env.CreateUser(t, c.tn, "store_manager", &c.direct, nil)
	cashier := env.CreateUser(t, c.tn, "cashier", &c.direct, nil)
	const period = "from=2024-02-01&to=2024-02-29"
	for _, tc := range []struct {
		who, token   string
		consolidated bool
		entity       *uuid.UUID
		store        *uuid.UUID
		revenue      int64
	}{
		{"HQ admin", c.tn.AdminToken, true, nil, nil, 3000 + 1000 + 2000 + 1000},
		{"HQ finance", hqFin.Token, true, nil, nil, 3000 + 1000 + 2000 + 1000},
		{"franchisee A", a.Token, false, &c.entA, nil, 2000},
		{"store manager", mgr.Token, false, nil, &c.direct, 3000},
	} {
		r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/finance/statements/income-statement?" + period, Token: tc.token})
		if r.Status != 200 {
			t.Errorf("%s, no books named: %d %s", tc.who, r.Status, r.Body)
			continue
		}
		var st finance.Statement
		r.JSON(t, &st)
		same := func(a, b *uuid.UUID) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }
		if st.Consolidated != tc.consolidated || !same(st.EntityID, tc.entity) || !same(st.StoreID, tc.store) || st.Totals["revenue"] != tc.revenue {
			t.Errorf("%s's default statement: consolidated %v entity %v store %v revenue %d; want %v %v %v %d", tc.who,
				st.Consolidated, st.EntityID, st.StoreID, st.Totals["revenue"], tc.consolidated, tc.entity, tc.store, tc.revenue)
		}
	}
	// An explicit choice still works, and still refuses what the caller may not see.
	for _, tc := range []struct {
		who, token, books string
		status            int
	}{
		{"HQ admin", c.tn.AdminToken, "entity_id=" + c.entB.String(), 200},
		{"HQ admin", c.tn.AdminToken, "store_id=" + c.storeA.String(), 200},
		{"franchisee A", a.Token, "entity_id=" + c.entA.String(), 200},
		{"franchisee A", a.Token, "store_id=" + c.storeA.String(), 200},
		{"franchisee A", a.Token, "entity_id=" + c.entB.String(), 404},
		{"franchisee A", a.Token, "consolidated=true", 403},
		{"store manager", mgr.Token, "store_id=" + c.direct.String(), 200},
		{"store manager", mgr.Token, "store_id=" + c.direct2.String(), 404},
		{"store manager", mgr.Token, "entity_id=" + c.hq.String(), 404},
		{"store manager", mgr.Token, "consolidated=true", 403},
		{"HQ admin", c.tn.AdminToken, "consolidated=true&entity_id=" + c.hq.String(), 400},
		{"cashier", cashier.Token, "", 403},
	} {
		path := "/api/v1/finance/statements/balance-sheet?" + period
		if tc.books != "" {
			path += "&" + tc.books
		}
		if r := env.Do(t, apitest.Req{Method: "GET", Path: path, Token: tc.token}); r.Status != tc.status {
			t.Errorf("%s, %q: %d %s, want %d", tc.who, tc.books, r.Status, r.Body, tc.status)
		}
	}
}

// TestStatementsExportAsCSVAndXLSX: each statement's file is the one an
// accountant opens: the title, whose books, the period and the unit above
// Chinese headers, every figure of the JSON statement in yuan (numeric
// cells in XLSX), and the totals labelled; a bad query is a 400.
func TestStatementsExportAsCSVAndXLSX(t *testing.T) {
	c := newChain(t)
	for _, s := range []finance.SaleEvent{sale(c.direct, day(2024, 8, 8), 11300, 5000), sale(c.direct, day(2024, 3, 3), 5650, 2000)} {
		if _, err := env.Server.Finance.PostSale(context.Background(), c.tn.ID, s); err != nil {
			t.Fatal(err)
		}
	}
	// The income statement of August beside the year to date (the March sale too).
	is := statement(t, c.tn.AdminToken, "income-statement", "entity_id="+c.hq.String(), "2024-08-01", "2024-08-31")
	if is.Totals["net_profit"] != 5000 || is.Totals["year_to_date_net_profit"] != 8000 || is.Totals["year_to_date_revenue"] != 15000 {
		t.Fatalf("August and year-to-date totals %v", is.Totals)
	}
	var entities struct{ Data []finance.Entity }
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/finance/entities", Token: c.tn.AdminToken}).JSON(t, &entities)
	hqName := ""
	for _, e := range entities.Data {
		if e.ID == c.hq {
			hqName = e.Name
		}
	}
	var store struct{ Code, Name string }
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/stores/" + c.direct.String(), Token: c.tn.AdminToken}).JSON(t, &store)
	if hqName == "" || store.Code == "" {
		t.Fatalf("HQ entity %q, store %+v", hqName, store)
	}
	titles := map[string]string{"trial-balance": "科目余额表", "income-statement": "利润表", "balance-sheet": "资产负债表", "cash-flow": "现金流量表"}
	for _, format := range []string{"csv", "xlsx"} {
		for _, books := range []struct{ query, name string }{
			{"entity_id=" + c.hq.String(), hqName},
			{"store_id=" + c.direct.String(), "门店 " + store.Code + " " + store.Name},
			{"consolidated=true", hqName + "（合并）"},
		} {
			for kind, title := range titles {
				query := books.query + "&from=2024-08-01&to=2024-08-31"
				r := env.Do(t, apitest.Req{Method: "GET", Token: c.tn.AdminToken, Path: "/api/v1/finance/statements/" + kind + "?" + query + "&format=" + format})
				if r.Status != 200 {
					t.Fatalf("%s %s: %d %s", kind, format, r.Status, r.Body)
				}
				tbl, err := sheet.Read(r.Body)
				if err != nil {
					t.Fatalf("%s %s does not parse back: %v", kind, format, err)
				}
				lines := append([][]string{tbl.Header}, tbl.Rows...)
				preamble := []string{title, "编制单位：" + books.name, "期间：2024-08-01 至 2024-08-31", "金额单位：元"}
				for i, want := range preamble {
					if lines[i][0] != want {
						t.Fatalf("%s %s line %d: %q, want %q", kind, format, i+1, lines[i][0], want)
					}
				}
				head := lines[len(preamble)]
				if head[0] != "类别" || len(head) < 4 {
					t.Fatalf("%s %s header %v", kind, format, head)
				}
				body := lines[len(preamble)+1:]
				// Every figure of the JSON statement, row by row, in yuan.
				st := statement(t, c.tn.AdminToken, kind, books.query, "2024-08-01", "2024-08-31")
				if len(body) < len(st.Rows) {
					t.Fatalf("%s %s: %d rows for %d", kind, format, len(body), len(st.Rows))
				}
				for i, row := range st.Rows {
					if body[i][1] != row.Code || body[i][2] != row.Name {
						t.Fatalf("%s %s row %d: %v, want %s %s", kind, format, i, body[i], row.Code, row.Name)
					}
					for j, col := range st.Columns {
						if got := strings.ReplaceAll(body[i][3+j], ",", ""); got != money.FormatYuan(row.Amounts[col]) {
							t.Errorf("%s %s %s %s: %q, want %s", kind, format, row.Code, col, got, money.FormatYuan(row.Amounts[col]))
						}
					}
				}
				totals := map[string][]string{}
				for _, line := range body[len(st.Rows):] {
					totals[line[0]] = line[3:]
				}
				switch kind {
				case "income-statement":
					if got := totals["净利润"]; strings.Join(got, " ") != "50.00 80.00" || head[3] != "本期金额" || head[4] != "本年累计金额" {
						t.Errorf("%s %s 净利润 %v under %v, want 50.00 this month and 80.00 this year (%v)", format, books.name, got, head, totals)
					}
				case "trial-balance":
					if got := totals["合计"]; len(got) != 6 || got[2] != got[3] {
						t.Errorf("%s %s 合计 %v: debit and credit differ", format, books.name, got)
					}
				case "balance-sheet":
					if a, le := totals["资产合计"], totals["负债和所有者权益合计"]; len(a) != 2 || strings.Join(a, "|") != strings.Join(le, "|") {
						t.Errorf("%s %s 资产合计 %v ≠ 负债和所有者权益合计 %v", format, books.name, a, le)
					}
				case "cash-flow":
					if _, ok := totals["期末现金余额"]; !ok {
						t.Errorf("%s %s cash flow totals %v", format, books.name, totals)
					}
				}
				if format == "xlsx" && kind == "income-statement" {
					// Amounts are numbers a spreadsheet sums, not text.
					wb, err := excelize.OpenReader(bytes.NewReader(r.Body))
					if err != nil {
						t.Fatal(err)
					}
					// The first row's cells, after the preamble, a blank line and the header.
					amount, _ := excelize.CoordinatesToCellName(4, len(preamble)+3)
					code, _ := excelize.CoordinatesToCellName(2, len(preamble)+3)
					sheetName := wb.GetSheetList()[0]
					// A number has no type attribute (or "n"); text is a string cell.
					if typ, err := wb.GetCellType(sheetName, amount); err != nil || (typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber) {
						t.Errorf("income statement %s is of type %v (%v), want a number", amount, typ, err)
					}
					if typ, _ := wb.GetCellType(sheetName, code); typ == excelize.CellTypeUnset || typ == excelize.CellTypeNumber {
						t.Errorf("income statement %s (an account code) is of type %v, want text", code, typ)
					}
					wb.Close()
				}
			}
		}
	}
	if r := env.Do(t, apitest.Req{Method: "GET", Token: c.tn.AdminToken, Path: "/api/v1/finance/statements/trial-balance?entity_id=x&store_id=" + c.direct.String() + "&from=2024-09-01&to=2024-08-01&format=pdf"}); r.Status != 400 || r.Code() != "request.bad_query" {
		t.Errorf("bad query: %d %s", r.Status, r.Body)
	}
}

func TestFranchiseSettlementAndClearing(t *testing.T) {
	c := newChain(t)
	ctx := context.Background()
	tok := c.tn.AdminToken
	if r := env.Do(t, apitest.Req{Method: "PUT", Path: "/api/v1/finance/royalty-rules", Token: tok, Body: map[string]any{"rate_bp": 500, "minimum_fee": 1000}}); r.Status != 200 {
		t.Fatalf("royalty rule: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "PUT", Path: "/api/v1/finance/clearing-rules", Token: tok, Body: map[string]any{"principal_bp": 10000, "bonus_bp": 0, "points_bp": 5000}}); r.Status != 200 {
		t.Fatalf("clearing rule: %d %s", r.Status, r.Body)
	}
	// Stored value loaded at HQ, spent at franchisee A: due-to / due-from in both books.
	ev := sale(c.storeA, day(2024, 9, 5), 106000, 50000)
	hqNil := (*uuid.UUID)(nil)
	ev.Payments[0].Amount = 6000
	ev.Revenue[0].VATRateBP = 600
	ev.StoredValue = []finance.StoredValueUse{{Principal: 90000, Bonus: 10000, LoadedStoreID: hqNil}}
	ps, err := env.Server.Finance.PostSale(ctx, c.tn.ID, ev)
	if err != nil || len(ps) != 2 {
		t.Fatalf("cross-entity sale: %v %v", ps, err)
	}
	tbA := statement(t, tok, "trial-balance", "entity_id="+c.entA.String(), "2024-09-01", "2024-09-30")
	tbHQ := statement(t, tok, "trial-balance", "entity_id="+c.hq.String(), "2024-09-01", "2024-09-30")
	get := func(st finance.Statement, code, col string) int64 {
		for _, r := range st.Rows {
			if r.Code == code {
				return r.Amounts[col]
			}
		}
		return 0
	}
	if get(tbA, finance.AcctDueFrom, "debit") != 90000 || get(tbHQ, finance.AcctDueTo, "credit") != 90000 {
		t.Errorf("clearing: A due-from %d, HQ due-to %d, want 90000 each", get(tbA, finance.AcctDueFrom, "debit"), get(tbHQ, finance.AcctDueTo, "credit"))
	}
	if _, err := env.Server.Finance.PostSupply(ctx, c.tn.ID, finance.SupplyEvent{Source: doc.Of("supply", uuid.New()), StoreID: c.storeA, BusinessDate: day(2024, 9, 6), Net: 20000, VAT: 2600, Cost: 15000}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Server.Finance.PostFranchiseePayment(ctx, c.tn.ID, finance.FranchiseePaymentEvent{Source: doc.Of("franchisee_payment", uuid.New()), FranchiseeID: c.frA, BusinessDate: day(2024, 9, 20), Amount: 10000, Method: "bank"}); err != nil {
		t.Fatal(err)
	}
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/finance/settlements", Token: tok, Body: map[string]any{"franchisee_id": c.frA, "year": 2024, "month": 9}})
	if r.Status != 201 {
		t.Fatalf("generate: %d %s", r.Status, r.Body)
	}
	var st finance.Settlement
	r.JSON(t, &st)
	if st.NetSales != 100000 || st.Royalty != 5000 || st.Supplies != 22600 || st.Payments != 10000 || st.BalanceDue != 5000+22600-10000 {
		t.Fatalf("settlement %+v", st)
	}
	a := env.CreateUser(t, c.tn, "franchisee", nil, &c.frA)
	b := env.CreateUser(t, c.tn, "franchisee", nil, &c.frB)
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/finance/settlements/" + st.ID.String(), Token: a.Token}); r.Status != 200 {
		t.Errorf("franchisee A reads its settlement: %d", r.Status)
	}
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/finance/settlements/" + st.ID.String(), Token: b.Token}); r.Status != 404 {
		t.Errorf("franchisee B reads A's settlement: %d", r.Status)
	}
	r = env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/finance/settlements/" + st.ID.String() + "/post", Token: tok})
	if r.Status != 200 {
		t.Fatalf("post: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/finance/settlements/" + st.ID.String() + "/post", Token: tok}); r.Status != 409 {
		t.Errorf("second post: %d", r.Status)
	}
	if n := env.Count(t, `SELECT count(*) FROM fin_entries WHERE tenant_id = $1 AND source_type = 'royalty'`, c.tn.ID); n != 2 {
		t.Errorf("%d royalty entries, want 2 (franchisee and HQ)", n)
	}
	isA := statement(t, tok, "income-statement", "entity_id="+c.entA.String(), "2024-09-01", "2024-09-30")
	cons := statement(t, tok, "income-statement", "consolidated=true", "2024-09-01", "2024-09-30")
	// A bears the bonus it was not compensated for (bonus_bp 0) and the royalty;
	// HQ keeps the released bonus as other revenue; the royalty and the supply
	// are internal and leave the consolidated figures.
	if isA.Totals["expenses"] != 10000+5000 || cons.Totals["revenue"] != 100000+10000 || cons.Totals["expenses"] != 10000 {
		t.Errorf("A %v, consolidated %v", isA.Totals, cons.Totals)
	}
}

func TestEveryFinanceEndpointIsTenantScoped(t *testing.T) {
	c := newChain(t)
	other := env.Signup(t)
	ctx := context.Background()
	ps, err := env.Server.Finance.PostSale(ctx, c.tn.ID, sale(c.direct, day(2024, 1, 5), 1130, 0))
	if err != nil {
		t.Fatal(err)
	}
	fin1 := env.CreateUser(t, c.tn, "hq_finance", nil, nil)
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/finance/manual-entries", Token: fin1.Token, Body: map[string]any{"entity_id": c.hq, "business_date": "2024-01-02",
		"lines": []any{map[string]any{"account_code": finance.AcctAdmin, "debit": 5}, map[string]any{"account_code": finance.AcctCash, "credit": 5}}}})
	var m finance.ManualEntry
	r.JSON(t, &m)
	r = env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/finance/settlements", Token: c.tn.AdminToken, Body: map[string]any{"franchisee_id": c.frA, "year": 2024, "month": 1}})
	var st finance.Settlement
	r.JSON(t, &st)
	// The first chain's own account and per-franchisee rules, which the other must not see.
	for _, req := range []apitest.Req{
		{Method: "POST", Path: "/api/v1/finance/accounts", Body: map[string]any{"code": "5601.02", "name": "甲方专用费用", "type": "expense", "parent_code": "5601"}},
		{Method: "PUT", Path: "/api/v1/finance/clearing-rules", Body: map[string]any{"franchisee_id": c.frA, "principal_bp": 1234, "bonus_bp": 0, "points_bp": 4321}},
		{Method: "PUT", Path: "/api/v1/finance/royalty-rules", Body: map[string]any{"franchisee_id": c.frA, "rate_bp": 777, "minimum_fee": 7777}},
	} {
		req.Token = c.tn.AdminToken
		if r := env.Do(t, req); r.Status != 200 && r.Status != 201 {
			t.Fatalf("first chain %s %s: %d %s", req.Method, req.Path, r.Status, r.Body)
		}
	}
	q := "&from=2024-01-01&to=2024-01-31"
	notFound := []apitest.Req{
		{Method: "GET", Path: "/api/v1/finance/periods?entity_id=" + c.hq.String()},
		{Method: "POST", Path: "/api/v1/finance/periods/close", Body: map[string]any{"entity_id": c.hq, "year": 2024, "month": 1}},
		{Method: "POST", Path: "/api/v1/finance/periods/lock", Body: map[string]any{"entity_id": c.hq, "year": 2024, "month": 1}},
		{Method: "POST", Path: "/api/v1/finance/periods/reopen", Body: map[string]any{"entity_id": c.hq, "year": 2024, "month": 1}},
		{Method: "POST", Path: "/api/v1/finance/year-end-close", Body: map[string]any{"entity_id": c.hq, "year": 2023}},
		{Method: "GET", Path: "/api/v1/finance/entries/" + ps[0].EntryID.String()},
		{Method: "POST", Path: "/api/v1/finance/entries/" + ps[0].EntryID.String() + "/reverse"},
		{Method: "POST", Path: "/api/v1/finance/manual-entries", Body: map[string]any{"entity_id": c.hq, "business_date": "2024-01-02",
			"lines": []any{map[string]any{"account_code": finance.AcctAdmin, "debit": 5}, map[string]any{"account_code": finance.AcctCash, "credit": 5}}}},
		{Method: "GET", Path: "/api/v1/finance/manual-entries/" + m.ID.String()},
		{Method: "POST", Path: "/api/v1/finance/manual-entries/" + m.ID.String() + "/approve"},
		{Method: "POST", Path: "/api/v1/finance/manual-entries/" + m.ID.String() + "/reject"},
		{Method: "GET", Path: "/api/v1/finance/statements/trial-balance?entity_id=" + c.hq.String() + q},
		{Method: "GET", Path: "/api/v1/finance/statements/income-statement?store_id=" + c.direct.String() + q},
		{Method: "GET", Path: "/api/v1/finance/statements/balance-sheet?entity_id=" + c.entA.String() + q},
		{Method: "GET", Path: "/api/v1/finance/statements/cash-flow?store_id=" + c.storeA.String() + q},
		{Method: "GET", Path: "/api/v1/finance/periods?entity_id=" + c.entA.String()},
		{Method: "PUT", Path: "/api/v1/finance/clearing-rules", Body: map[string]any{"franchisee_id": c.frA, "principal_bp": 1, "bonus_bp": 1, "points_bp": 1}},
		{Method: "PUT", Path: "/api/v1/finance/royalty-rules", Body: map[string]any{"franchisee_id": c.frA, "rate_bp": 1}},
		{Method: "POST", Path: "/api/v1/finance/settlements", Body: map[string]any{"franchisee_id": c.frA, "year": 2024, "month": 1}},
		{Method: "GET", Path: "/api/v1/finance/settlements/" + st.ID.String()},
		{Method: "POST", Path: "/api/v1/finance/settlements/" + st.ID.String() + "/post"},
	}
	for _, req := range notFound {
		req.Token = other.AdminToken
		if r := env.Do(t, req); r.Status != http.StatusNotFound {
			t.Errorf("other tenant %s %s: %d %s, want 404", req.Method, req.Path, r.Status, r.Body)
		}
	}
	// Lists show nothing of the first chain.
	for _, path := range []string{"/api/v1/finance/entries", "/api/v1/finance/manual-entries", "/api/v1/finance/settlements",
		"/api/v1/finance/entries?entity_id=" + c.hq.String()} {
		var page struct{ Data []map[string]any }
		r := env.Do(t, apitest.Req{Method: "GET", Path: path, Token: other.AdminToken})
		r.JSON(t, &page)
		if r.Status != 200 || len(page.Data) != 0 {
			t.Errorf("other tenant GET %s: %d with %d rows", path, r.Status, len(page.Data))
		}
	}
	var ents struct{ Data []finance.Entity }
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/finance/entities", Token: other.AdminToken}).JSON(t, &ents)
	for _, e := range ents.Data {
		if e.ID == c.hq || e.ID == c.entA {
			t.Errorf("other tenant lists entity %s", e.ID)
		}
	}
	// The other chain's own statements and lists work and are empty.
	cons := statement(t, other.AdminToken, "balance-sheet", "consolidated=true", "2024-01-01", "2024-01-31")
	if cons.Totals["closing_assets"] != 0 {
		t.Errorf("other chain's books %v", cons.Totals)
	}
	for _, path := range []string{"/api/v1/finance/accounts", "/api/v1/finance/clearing-rules", "/api/v1/finance/royalty-rules"} {
		r := env.Do(t, apitest.Req{Method: "GET", Path: path, Token: other.AdminToken})
		if r.Status != 200 {
			t.Errorf("GET %s: %d", path, r.Status)
		}
		for _, leak := range []string{"甲方专用费用", "5601.02", c.frA.String()} {
			if strings.Contains(string(r.Body), leak) {
				t.Errorf("other tenant GET %s shows the first chain's %q: %s", path, leak, r.Body)
			}
		}
	}
	var clearing struct{ Data []finance.ClearingRule }
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/finance/clearing-rules", Token: other.AdminToken}).JSON(t, &clearing)
	for _, ru := range clearing.Data {
		if ru.PrincipalBP == 1234 || ru.PointsBP == 4321 || ru.FranchiseeID != nil {
			t.Errorf("other tenant sees clearing rule %+v", ru)
		}
	}
	var royalty struct{ Data []finance.RoyaltyRule }
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/finance/royalty-rules", Token: other.AdminToken}).JSON(t, &royalty)
	for _, ru := range royalty.Data {
		if ru.RateBP == 777 || ru.MinimumFee == 7777 || ru.FranchiseeID != nil {
			t.Errorf("other tenant sees royalty rule %+v", ru)
		}
	}
	r = env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/finance/accounts", Token: other.AdminToken, Body: map[string]any{"code": "5601.01", "name": "广告费", "type": "expense", "parent_code": "5601"}})
	if r.Status != 201 {
		t.Errorf("create account: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/finance/accounts", Token: other.AdminToken, Body: map[string]any{"code": "5601.01", "name": "again", "type": "expense"}}); r.Status != 409 {
		t.Errorf("duplicate account: %d", r.Status)
	}
}

// An account added through one instance is usable through another whose
// chart was cached before it existed.
func TestAccountAddedOnAnotherInstanceIsUsable(t *testing.T) {
	c := newChain(t)
	b := env.Another(t, nil)
	draft := func(e *apitest.Env, code string) *apitest.Response {
		return e.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/finance/manual-entries", Token: c.tn.AdminToken, Body: map[string]any{
			"entity_id": c.hq, "business_date": "2024-07-01", "memo": "广告 ads",
			"lines": []any{map[string]any{"account_code": code, "debit": 700},
				map[string]any{"account_code": finance.AcctBank, "credit": 700, "cash_flow": "operating_paid"}}}})
	}
	if r := draft(b, finance.AcctAdmin); r.Status != 201 { // b caches the chart
		t.Fatalf("draft on b: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/finance/accounts", Token: c.tn.AdminToken,
		Body: map[string]any{"code": "5601.09", "name": "广告费", "type": "expense", "parent_code": "5601"}}); r.Status != 201 {
		t.Fatalf("add account on a: %d %s", r.Status, r.Body)
	}
	if r := draft(b, "5601.09"); r.Status != 201 {
		t.Fatalf("the new account through b: %d %s", r.Status, r.Body)
	}
	if r := draft(b, "5601.98"); r.Status != 422 {
		t.Fatalf("an account nobody added: %d %s", r.Status, r.Body)
	}
}
