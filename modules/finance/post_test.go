package finance_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"chainstore/modules/finance"
)

// One statement writes an entry of thousands of lines (more than a
// statement's 65,535 bind parameters would hold one by one), with memos
// that need quoting, and the roll-ups sum exactly its lines.
func TestPostWritesEveryLineAndMemo(t *testing.T) {
	c := newChain(t)
	ctx := context.Background()
	memos := []string{`引号 "quoted"`, `back\slash`, `{braces}, commas`, `NULL`, ``, `多行
两行`}
	var lines []finance.Line
	const n = 5100
	for i := 0; i < n/2; i++ {
		st := []*uuid.UUID{&c.direct, &c.direct2, nil}[i%3]
		m := memos[i%len(memos)]
		lines = append(lines,
			finance.Line{AccountCode: finance.AcctCash, StoreID: st, Debit: int64(100 + i), CashFlow: finance.CFSalesReceipts, Memo: m},
			finance.Line{AccountCode: finance.AcctRevenue, StoreID: st, Credit: int64(100 + i), Memo: m})
	}
	p, err := env.Server.Finance.Post(ctx, c.tn.ID, finance.Entry{EntityID: c.hq, BusinessDate: day(2025, 2, 3), SourceType: "test",
		SourceID: uuid.Must(uuid.NewV7()), Rule: "many", Memo: `备注 "a", {b}, \c`, Lines: lines})
	if err != nil {
		t.Fatal(err)
	}
	e, err := env.Server.Finance.GetEntry(ctx, c.tn.ID, p.EntryID)
	if err != nil {
		t.Fatal(err)
	}
	if e.Memo != `备注 "a", {b}, \c` || len(e.Lines) != n || e.Debit != e.Credit {
		t.Fatalf("entry memo %q, %d lines, debit %d credit %d", e.Memo, len(e.Lines), e.Debit, e.Credit)
	}
	for i, l := range e.Lines {
		w := lines[i]
		if l.LineNo != i+1 || l.Memo != w.Memo || l.Debit != w.Debit || l.Credit != w.Credit || l.AccountCode != w.AccountCode ||
			(l.StoreID == nil) != (w.StoreID == nil) || (l.StoreID != nil && *l.StoreID != *w.StoreID) {
			t.Fatalf("line %d is %+v, posted %+v", i+1, l, w)
		}
	}
	for _, tbl := range []string{"fin_balances_daily", "fin_balances_monthly"} {
		if n := env.Count(t, `SELECT count(*) FROM (
			SELECT coalesce(store_id, '00000000-0000-0000-0000-000000000000') s, account_id, kind, cash_flow, sum(debit) d, sum(credit) c
			FROM fin_lines WHERE tenant_id = $1 AND entry_id = $2 GROUP BY 1, 2, 3, 4
			EXCEPT SELECT store_id, account_id, kind, cash_flow, debit, credit FROM `+tbl+` WHERE tenant_id = $1) x`, c.tn.ID, p.EntryID); n != 0 {
			t.Errorf("%s: %d roll-up rows differ from the entry's lines", tbl, n)
		}
	}
	// The database's refusals still come back as the module's errors.
	stranger := uuid.Must(uuid.NewV7())
	for name, e := range map[string]finance.Entry{
		"unknown entity": {EntityID: stranger, Lines: lines[:2]},
		"unknown counter entity": {EntityID: c.hq, Lines: []finance.Line{{AccountCode: finance.AcctDueFrom, Debit: 1, CounterEntityID: &stranger},
			{AccountCode: finance.AcctCash, Credit: 1}}},
	} {
		e.BusinessDate, e.SourceType, e.SourceID, e.Rule = day(2025, 2, 3), "test", uuid.Must(uuid.NewV7()), "refused"
		if _, err := env.Server.Finance.Post(ctx, c.tn.ID, e); !errors.Is(err, finance.ErrEntityNotFound) {
			t.Errorf("%s: %v, want finance.entity_not_found", name, err)
		}
	}
	bad := finance.Entry{EntityID: c.hq, BusinessDate: day(2025, 2, 3), SourceType: "test", SourceID: uuid.Must(uuid.NewV7()), Rule: "refused",
		Lines: []finance.Line{{AccountCode: finance.AcctCash, StoreID: &stranger, Debit: 1}, {AccountCode: finance.AcctRevenue, Credit: 1}}}
	if _, err := env.Server.Finance.Post(ctx, c.tn.ID, bad); !errors.Is(err, finance.ErrInvalidEntry) {
		t.Errorf("a line on a store outside the chain: %v, want finance.invalid_entry", err)
	}
}

// Two transactions posting the same document at once: the second waits
// for the first, then finds its entry (a duplicate, not a second entry).
// Two posting the first entries of an entity's month at once: both land,
// in the one period the first created.
func TestConcurrentPostingsOfOneDocumentAndOneNewPeriod(t *testing.T) {
	c := newChain(t)
	fin := env.Server.Finance
	ctx := context.Background()
	for _, tc := range []struct {
		name         string
		month        int
		sameDocument bool
	}{{"same document", 3, true}, {"new period", 4, false}} {
		t.Run(tc.name, func(t *testing.T) {
			first := sale(c.storeA, day(2023, tc.month, 9), 1130, 500)
			second := sale(c.storeA, day(2023, tc.month, 10), 1130, 500)
			if tc.sameDocument {
				second = first
			}
			posted, release, done := make(chan []finance.Posted, 1), make(chan struct{}), make(chan error, 1)
			go func() {
				done <- env.Server.Pool.WithTx(ctx, c.tn.ID, func(ctx context.Context) error {
					ps, err := fin.PostSale(ctx, c.tn.ID, first)
					posted <- ps
					<-release // commit only once the other is waiting
					return err
				})
			}()
			ps1 := <-posted
			res := make(chan error, 1)
			var ps2 []finance.Posted
			go func() {
				var err error
				ps2, err = fin.PostSale(ctx, c.tn.ID, second)
				res <- err
			}()
			time.Sleep(300 * time.Millisecond)
			select {
			case err := <-res:
				t.Fatalf("the second posting did not wait for the first: %v", err)
			default:
			}
			close(release)
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			if err := <-res; err != nil {
				t.Fatal(err)
			}
			if len(ps1) != 1 || len(ps2) != 1 || ps1[0].Duplicate {
				t.Fatalf("first %+v, second %+v", ps1, ps2)
			}
			if tc.sameDocument != ps2[0].Duplicate || tc.sameDocument != (ps2[0].EntryID == ps1[0].EntryID) {
				t.Errorf("second posting %+v of the first %+v", ps2[0], ps1[0])
			}
			want := 2
			if tc.sameDocument {
				want = 1
			}
			if n := env.Count(t, `SELECT count(*) FROM fin_entries WHERE tenant_id = $1 AND entity_id = $2 AND period_year = 2023 AND period_month = $3`,
				c.tn.ID, c.entA, tc.month); n != want {
				t.Errorf("%d entries in the month, want %d", n, want)
			}
			if n := env.Count(t, `SELECT count(*) FROM fin_periods WHERE tenant_id = $1 AND entity_id = $2 AND year = 2023 AND month = $3`,
				c.tn.ID, c.entA, tc.month); n != 1 {
				t.Errorf("%d periods", n)
			}
		})
	}
}
