package bench

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"chainstore/infra/doc"
	"chainstore/modules/finance"
)

// benchFinance measures (1) posting throughput through the Go posting API,
// 4-line entries, b.concurrency goroutines, each entry its own tenant
// transaction — once spread over many stores and once on one store (the
// daily roll-up's hot row); and (2) the income statement of a tenant with
// 1,000 stores and BENCH_FINANCE_LINES (default 10,000,000) journal lines in
// one month, generated set-based as the schema owner, with its EXPLAIN
// ANALYZE plan.
func benchFinance(ctx context.Context, b *benchEnv, out io.Writer) error {
	fin := b.srv.Finance
	nLines := envInt("BENCH_FINANCE_LINES", 10_000_000)
	nStores := envInt("BENCH_FINANCE_STORES", 1000)

	owner, err := openOwner(b.srv.Config.MigrationDatabaseURL)
	if err != nil {
		return err
	}
	defer owner.Close()
	// A fresh chain for the big books, so the other scenarios' data stays apart.
	tid := b.tenantID
	if err := fin.EnsureEntities(ctx, tid); err != nil {
		return err
	}
	hq, err := fin.HQEntity(ctx, tid)
	if err != nil {
		return err
	}
	conn, err := owner.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SET app.tenant_id = '"+tid.String()+"'"); err != nil {
		return err
	}
	t0 := time.Now()
	if _, err := conn.ExecContext(ctx, `INSERT INTO stores (tenant_id, id, code, name, type, time_zone)
		SELECT $1, gen_random_uuid(), 'FB' || g, '财务压测门店 ' || g, 'direct', 'Asia/Shanghai' FROM generate_series(1, $2) g
		ON CONFLICT DO NOTHING`, tid, nStores); err != nil {
		return fmt.Errorf("stores: %w", err)
	}
	var stores []uuid.UUID
	rows, err := conn.QueryContext(ctx, `SELECT id FROM stores WHERE tenant_id = $1 AND code LIKE 'FB%' ORDER BY code`, tid)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id uuid.UUID
		if err := rows.Scan(&id); err != nil {
			return err
		}
		stores = append(stores, id)
	}
	rows.Close()
	fmt.Fprintf(out, "%d stores created in %s\n", len(stores), time.Since(t0).Round(time.Millisecond))

	// (1) Posting throughput.
	month := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	post := func(label, shape string, do func(r *rand.Rand, st uuid.UUID) error, pick func(r *rand.Rand) uuid.UUID) error {
		var n, fails atomic.Int64
		var firstErr atomic.Value
		deadline := time.Now().Add(b.duration)
		var wg sync.WaitGroup
		start := time.Now()
		for w := 0; w < b.concurrency; w++ {
			wg.Add(1)
			go func(seed uint64) {
				defer wg.Done()
				r := rand.New(rand.NewPCG(seed, 1))
				for time.Now().Before(deadline) {
					if err := do(r, pick(r)); err != nil {
						fails.Add(1)
						firstErr.CompareAndSwap(nil, err)
						continue
					}
					n.Add(1)
				}
			}(uint64(w))
		}
		wg.Wait()
		el := time.Since(start)
		fmt.Fprintf(out, "posting %-40s %8.0f /s (%d, %s, %d goroutines, %s; %d failed)\n",
			label, float64(n.Load())/el.Seconds(), n.Load(), shape, b.concurrency, el.Round(time.Millisecond), fails.Load())
		if e := firstErr.Load(); e != nil {
			fmt.Fprintf(out, "  first failure: %v\n", e)
		}
		return nil
	}
	// A 4-line entry through Post.
	entry := func(r *rand.Rand, st uuid.UUID) error {
		gross := 1000 + r.Int64N(100000)
		net := finance.NetOfVAT(gross, 1300)
		cash := gross / 3
		_, err := fin.Post(ctx, tid, finance.Entry{EntityID: hq, BusinessDate: month.AddDate(0, 0, r.IntN(28)), SourceType: "bench",
			SourceID: uuid.Must(uuid.NewV7()), Rule: "sale", Lines: []finance.Line{
				{AccountCode: finance.AcctCash, StoreID: &st, Debit: cash, CashFlow: finance.CFSalesReceipts},
				{AccountCode: finance.AcctEWallet, StoreID: &st, Debit: gross - cash, CashFlow: finance.CFSalesReceipts},
				{AccountCode: finance.AcctRevenue, StoreID: &st, Credit: net},
				{AccountCode: finance.AcctOutputVAT, StoreID: &st, Credit: gross - net}}})
		return err
	}
	// A till's sale through PostSale: two VAT rates, two payment methods,
	// one stored-value use and cost of goods (10 lines).
	saleEv := func(r *rand.Rand, st uuid.UUID) error {
		g1, g2 := 1000+r.Int64N(50000), 1000+r.Int64N(50000)
		sv := (g1 + g2) / 5
		cash := (g1 + g2 - sv) / 2
		_, err := fin.PostSale(ctx, tid, finance.SaleEvent{Source: doc.Of(doc.Sale, uuid.Must(uuid.NewV7())), StoreID: st,
			BusinessDate: month.AddDate(0, 0, r.IntN(28)),
			Revenue:      []finance.RevenueLine{{Gross: g1, VATRateBP: 1300}, {Gross: g2, VATRateBP: 900}},
			Payments:     []finance.Payment{{Method: "cash", Amount: cash}, {Method: "wechat", Amount: g1 + g2 - sv - cash}},
			StoredValue:  []finance.StoredValueUse{{Principal: sv - sv/10, Bonus: sv / 10, LoadedStoreID: &st}},
			COGS:         (g1 + g2) * 7 / 10})
		return err
	}
	spread := func(r *rand.Rand) uuid.UUID { return stores[r.IntN(len(stores))] }
	one := stores[0]
	hot := func(*rand.Rand) uuid.UUID { return one }
	for _, p := range []struct {
		label, shape string
		do           func(*rand.Rand, uuid.UUID) error
		pick         func(*rand.Rand) uuid.UUID
	}{
		{"Post, spread over stores and days", "entries of 4 lines", entry, spread},
		{"Post, one store (hot roll-up rows)", "entries of 4 lines", entry, hot},
		{"PostSale, spread over stores and days", "sales of 10 lines", saleEv, spread},
		{"PostSale, one store (hot roll-up rows)", "sales of 10 lines", saleEv, hot},
	} {
		if err := post(p.label, p.shape, p.do, p.pick); err != nil {
			return err
		}
	}

	// (2) 10M lines in one month (2026-01), set-based, as the owner.
	var accts = map[string]uuid.UUID{}
	rows, err = conn.QueryContext(ctx, `SELECT code, id FROM fin_accounts WHERE tenant_id = $1`, tid)
	if err != nil {
		return err
	}
	for rows.Next() {
		var c string
		var id uuid.UUID
		if err := rows.Scan(&c, &id); err != nil {
			return err
		}
		accts[c] = id
	}
	rows.Close()
	nEntries := nLines / 4
	t0 = time.Now()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Generated rows are balanced by construction; skip the per-row
	// triggers (constraint and FK checks) for the load, as a restore would.
	if _, err := tx.ExecContext(ctx, `SET LOCAL session_replication_role = replica`); err != nil {
		return fmt.Errorf("bench data needs a superuser owner: %w", err)
	}
	steps := []struct{ name, sql string }{
		{"periods", `INSERT INTO fin_periods (tenant_id, entity_id, year, month) VALUES ($1, $2, 2026, 1) ON CONFLICT DO NOTHING`},
		{"entries", `CREATE TEMP TABLE bench_e ON COMMIT DROP AS
			SELECT gen_random_uuid() AS id, g, (g % $1::int) + 1 AS store_no, DATE '2026-01-01' + (g % 31) AS day,
			       1000 + (g::bigint * 7919) % 100000 AS gross FROM generate_series(1, $2::int) g`},
		{"entries", `INSERT INTO fin_entries (tenant_id, id, entity_id, business_date, accounting_date, period_year, period_month, source_type, source_id, rule)
			SELECT $1, id, $2, day, day, 2026, 1, 'bench_bulk', id, 'sale' FROM bench_e`},
		{"lines", `INSERT INTO fin_lines (tenant_id, entry_id, line_no, entity_id, accounting_date, account_id, store_id, debit, credit, cash_flow)
			SELECT $1, e.id, l.no, $2, e.day, (ARRAY[$3, $4, $5, $6]::uuid[])[l.no], s.id,
			       CASE l.no WHEN 1 THEN e.gross / 3 WHEN 2 THEN e.gross - e.gross / 3 ELSE 0 END,
			       CASE l.no WHEN 3 THEN round(e.gross * 10000.0 / 11300)::bigint WHEN 4 THEN e.gross - round(e.gross * 10000.0 / 11300)::bigint ELSE 0 END,
			       CASE WHEN l.no <= 2 THEN 'sales_receipts' ELSE '' END
			FROM bench_e e JOIN (SELECT id, row_number() OVER (ORDER BY code) AS n FROM stores WHERE tenant_id = $1 AND code LIKE 'FB%') s ON s.n = e.store_no
			CROSS JOIN generate_series(1, 4) AS l(no)`},
		{"daily roll-up", `INSERT INTO fin_balances_daily (tenant_id, entity_id, store_id, account_id, day, kind, cash_flow, debit, credit)
			SELECT tenant_id, entity_id, coalesce(store_id, '00000000-0000-0000-0000-000000000000'), account_id, accounting_date, kind, cash_flow, sum(debit), sum(credit)
			FROM fin_lines l WHERE tenant_id = $1 AND accounting_date >= '2026-01-01' AND accounting_date < '2026-02-01'
			  AND EXISTS (SELECT 1 FROM fin_entries e WHERE e.tenant_id = l.tenant_id AND e.id = l.entry_id AND e.source_type = 'bench_bulk')
			GROUP BY 1, 2, 3, 4, 5, 6, 7
			ON CONFLICT (tenant_id, entity_id, store_id, account_id, day, kind, cash_flow)
			DO UPDATE SET debit = fin_balances_daily.debit + EXCLUDED.debit, credit = fin_balances_daily.credit + EXCLUDED.credit`},
		{"monthly roll-up", `INSERT INTO fin_balances_monthly (tenant_id, entity_id, store_id, account_id, month, kind, cash_flow, debit, credit)
			SELECT tenant_id, entity_id, store_id, account_id, DATE '2026-01-01', kind, cash_flow, sum(debit), sum(credit)
			FROM fin_balances_daily WHERE tenant_id = $1 AND day >= '2026-01-01' AND day < '2026-02-01'
			GROUP BY 1, 2, 3, 4, 5, 6, 7
			ON CONFLICT (tenant_id, entity_id, store_id, account_id, month, kind, cash_flow)
			DO UPDATE SET debit = EXCLUDED.debit, credit = EXCLUDED.credit`},
	}
	args := []any{tid, hq, len(stores), nEntries, accts[finance.AcctCash], accts[finance.AcctEWallet], accts[finance.AcctRevenue], accts[finance.AcctOutputVAT]}
	for _, s := range steps {
		ts := time.Now()
		a := args[:2]
		switch {
		case s.name == "entries" && s.sql[:6] == "CREATE":
			a = args[2:4]
		case s.name == "lines":
			a = append(args[:2:2], args[4:]...)
		case s.name == "daily roll-up", s.name == "monthly roll-up":
			a = args[:1]
		}
		if _, err := tx.ExecContext(ctx, s.sql, a...); err != nil {
			return fmt.Errorf("generate %s: %w", s.name, err)
		}
		fmt.Fprintf(out, "  generate %-16s %s\n", s.name, time.Since(ts).Round(time.Millisecond))
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, `ANALYZE fin_lines; ANALYZE fin_entries; ANALYZE fin_balances_daily; ANALYZE fin_balances_monthly`); err != nil {
		return err
	}
	fmt.Fprintf(out, "generated %d entries / %d lines in 2026-01 over %d stores in %s (set-based, as the owner)\n", nEntries, nEntries*4, len(stores), time.Since(t0).Round(time.Millisecond))
	// Verify the roll-ups match the lines for a sample of stores.
	var mismatches int
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM (
		SELECT store_id, account_id, sum(debit) d, sum(credit) c FROM fin_lines WHERE tenant_id = $1 AND store_id IN (SELECT id FROM stores WHERE tenant_id = $1 AND code IN ('FB1', 'FB500', 'FB999'))
		  AND accounting_date >= '2026-01-01' AND accounting_date < '2026-02-01' GROUP BY 1, 2
		EXCEPT SELECT store_id, account_id, sum(debit), sum(credit) FROM fin_balances_daily WHERE tenant_id = $1 AND store_id IN (SELECT id FROM stores WHERE tenant_id = $1 AND code IN ('FB1', 'FB500', 'FB999'))
		  AND day >= '2026-01-01' AND day < '2026-02-01' GROUP BY 1, 2) x`, tid).Scan(&mismatches); err != nil {
		return err
	}
	fmt.Fprintf(out, "roll-up check on a sample of 3 stores: %d mismatching (account, store) totals\n", mismatches)

	for _, q := range []struct {
		label string
		q     finance.StatementQuery
	}{
		{"HQ entity, whole month", finance.StatementQuery{EntityID: &hq, From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC)}},
		{"consolidated, 3rd–20th (daily roll-up)", finance.StatementQuery{Consolidated: true, From: time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 1, 20, 0, 0, 0, 0, time.UTC)}},
		{"one store, whole month", finance.StatementQuery{StoreID: &stores[0], From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC)}},
	} {
		ts := time.Now()
		st, err := fin.Statement(ctx, tid, "income_statement", q.q)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "income statement %-40s %s (revenue %d fen)\n", q.label, time.Since(ts).Round(time.Microsecond), st.Totals["revenue"])
		plan, err := fin.ExplainIncomeStatement(ctx, tid, q.q)
		if err != nil {
			return err
		}
		fmt.Fprintln(out, plan)
	}
	return nil
}

func openOwner(dsn string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("bench finance: owner url: %w", err)
	}
	return stdlib.OpenDB(*cfg), nil
}
