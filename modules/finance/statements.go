package finance

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"chainstore/tenant"
)

// StatementQuery selects the books (one entity, one store, or the
// consolidated chain) and the date range (inclusive) of a statement.
type StatementQuery struct {
	EntityID     *uuid.UUID
	StoreID      *uuid.UUID
	Consolidated bool
	From, To     time.Time
}

// StatementRow is one line of a statement; Amounts holds its figures by
// column (the statement's Columns), in minor units.
type StatementRow struct {
	Section string           `json:"section"`
	Code    string           `json:"code"`
	Name    string           `json:"name"`
	NameEn  string           `json:"name_en"`
	Amounts map[string]int64 `json:"amounts"`
}

// Statement is a trial balance, income statement, balance sheet or
// cash-flow statement.
type Statement struct {
	Kind         string           `json:"kind"`
	EntityID     *uuid.UUID       `json:"entity_id"`
	StoreID      *uuid.UUID       `json:"store_id"`
	Consolidated bool             `json:"consolidated"`
	From         string           `json:"from"`
	To           string           `json:"to"`
	Columns      []string         `json:"columns"`
	Rows         []StatementRow   `json:"rows"`
	Totals       map[string]int64 `json:"totals"`
	Balanced     bool             `json:"balanced"`
}

type sumRow struct {
	AccountID uuid.UUID
	Kind      int
	CashFlow  string
	Debit     int64
	Credit    int64
}

var epoch = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)

func monthStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// sums adds up the roll-ups over [from, to]: whole months from the monthly
// roll-up, the partial months at either end from the daily one. It never
// reads journal lines.
func sums(db *gorm.DB, tenantID uuid.UUID, q StatementQuery, from, to time.Time) ([]sumRow, error) {
	if to.Before(from) {
		return nil, nil
	}
	sql, args := sumsSQL(tenantID, q, from, to)
	var out []sumRow
	if err := db.Raw(sql, args...).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("finance: sum balances: %w", err)
	}
	return out, nil
}

func sumsSQL(tenantID uuid.UUID, q StatementQuery, from, to time.Time) (string, []any) {
	mf := monthStart(from)
	if !mf.Equal(from) {
		mf = mf.AddDate(0, 1, 0)
	}
	mt := monthStart(to.AddDate(0, 0, 1)) // first month not wholly inside
	var filter string
	var fargs []any
	switch {
	case q.StoreID != nil:
		filter, fargs = " AND store_id = ?", []any{*q.StoreID}
	case q.EntityID != nil:
		filter, fargs = " AND entity_id = ?", []any{*q.EntityID}
	case q.Consolidated:
		filter = " AND kind <> 1"
	}
	var sql strings.Builder
	var args []any
	sql.WriteString(`SELECT account_id, kind, cash_flow, sum(debit)::bigint AS debit, sum(credit)::bigint AS credit FROM (`)
	if mf.Before(mt) {
		sql.WriteString(`SELECT account_id, kind, cash_flow, debit, credit FROM fin_balances_monthly WHERE tenant_id = ? AND month >= ? AND month < ?` + filter)
		args = append(append(args, tenantID, mf, mt), fargs...)
		sql.WriteString(` UNION ALL SELECT account_id, kind, cash_flow, debit, credit FROM fin_balances_daily
			WHERE tenant_id = ? AND ((day >= ? AND day < ?) OR (day >= ? AND day <= ?))` + filter)
		args = append(append(args, tenantID, from, mf, mt, to), fargs...)
	} else {
		sql.WriteString(`SELECT account_id, kind, cash_flow, debit, credit FROM fin_balances_daily WHERE tenant_id = ? AND day >= ? AND day <= ?` + filter)
		args = append(append(args, tenantID, from, to), fargs...)
	}
	sql.WriteString(`) b GROUP BY 1, 2, 3`)
	return sql.String(), args
}

// ExplainIncomeStatement runs EXPLAIN (ANALYZE, BUFFERS) on the roll-up
// query an income statement over q runs, for the bench.
func (s *Service) ExplainIncomeStatement(ctx context.Context, tenantID uuid.UUID, q StatementQuery) (string, error) {
	var lines []string
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		sql, args := sumsSQL(tenantID, q, q.From, q.To)
		return tenant.DB(ctx).Raw("EXPLAIN (ANALYZE, BUFFERS) "+sql, args...).Scan(&lines).Error
	})
	return strings.Join(lines, "\n"), err
}

type chartRow struct {
	ID         uuid.UUID
	Code       string
	Name       string
	NameEn     string
	Type       string
	NormalSide string
	IsCash     bool
}

func loadChart(db *gorm.DB, tenantID uuid.UUID) (map[uuid.UUID]chartRow, []chartRow, error) {
	var rows []chartRow
	if err := db.Raw(`SELECT id, code, name, name_en, type, normal_side, is_cash FROM fin_accounts WHERE tenant_id = ? ORDER BY code`, tenantID).Scan(&rows).Error; err != nil {
		return nil, nil, fmt.Errorf("finance: chart: %w", err)
	}
	m := make(map[uuid.UUID]chartRow, len(rows))
	for _, r := range rows {
		m[r.ID] = r
	}
	return m, rows, nil
}

func (q StatementQuery) head(kind string, cols []string) Statement {
	return Statement{Kind: kind, EntityID: q.EntityID, StoreID: q.StoreID, Consolidated: q.Consolidated,
		From: q.From.Format(dateLayout), To: q.To.Format(dateLayout), Columns: cols, Rows: []StatementRow{}, Totals: map[string]int64{}}
}

// Statement builds one statement: kind is trial_balance, income_statement,
// balance_sheet or cash_flow.
func (s *Service) Statement(ctx context.Context, tenantID uuid.UUID, kind string, q StatementQuery) (Statement, error) {
	var out Statement
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		if _, err := s.accounts(ctx, tenantID); err != nil {
			return err
		}
		db := tenant.DB(ctx)
		byID, chart, err := loadChart(db, tenantID)
		if err != nil {
			return err
		}
		before := q.From.AddDate(0, 0, -1)
		switch kind {
		case "trial_balance":
			open, err := sums(db, tenantID, q, epoch, before)
			if err != nil {
				return err
			}
			period, err := sums(db, tenantID, q, q.From, q.To)
			if err != nil {
				return err
			}
			out = trialBalance(q, chart, byID, open, period)
		case "income_statement":
			period, err := sums(db, tenantID, q, q.From, q.To)
			if err != nil {
				return err
			}
			yearStart := time.Date(q.To.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
			ytd, err := sums(db, tenantID, q, yearStart, q.To)
			if err != nil {
				return err
			}
			out = incomeStatement(q, chart, byID, period, ytd)
		case "balance_sheet":
			open, err := sums(db, tenantID, q, epoch, before)
			if err != nil {
				return err
			}
			closing, err := sums(db, tenantID, q, epoch, q.To)
			if err != nil {
				return err
			}
			out = balanceSheet(q, chart, byID, open, closing)
		case "cash_flow":
			open, err := sums(db, tenantID, q, epoch, before)
			if err != nil {
				return err
			}
			period, err := sums(db, tenantID, q, q.From, q.To)
			if err != nil {
				return err
			}
			out = cashFlow(q, byID, open, period)
		default:
			return fmt.Errorf("finance: unknown statement %q", kind)
		}
		if q.StoreID != nil {
			balanceWithHeadOffice(&out)
		}
		return nil
	})
	return out, err
}

// A store's books are a branch's: the store's own lines need not balance,
// because the other side of some of its entries may carry no store (HQ
// pays the store's rent from the central bank account; a manual entry tags
// one side only). The posting rules tag both sides today. As in branch
// accounting, the difference is shown as one head-office account line
// (code HO: the entity's own head office, HQ's or a franchisee's), so a
// store's trial balance and balance sheet balance and say how much of the
// store's position sits with the rest of its entity.
// Entity and consolidated statements never get one: theirs must balance
// on their own lines.
const (
	headOfficeCode   = "HO"
	headOfficeName   = "内部往来（无门店分录的对方）"
	headOfficeNameEn = "Head-office account (the other side of lines carrying no store)"
)

func balanceWithHeadOffice(st *Statement) {
	switch st.Kind {
	case "trial_balance":
		row := StatementRow{Section: "equity", Code: headOfficeCode, Name: headOfficeName, NameEn: headOfficeNameEn, Amounts: map[string]int64{}}
		nonzero := false
		for _, pair := range [][2]string{{"opening_debit", "opening_credit"}, {"debit", "credit"}, {"closing_debit", "closing_credit"}} {
			gap := st.Totals[pair[0]] - st.Totals[pair[1]]
			d, c := splitNet(-gap) // a debit surplus is made up by a credit, and the reverse
			row.Amounts[pair[0]], row.Amounts[pair[1]] = d, c
			st.Totals[pair[0]] += d
			st.Totals[pair[1]] += c
			nonzero = nonzero || gap != 0
		}
		if nonzero {
			st.Rows = append(st.Rows, row)
		}
		st.Balanced = st.Totals["opening_debit"] == st.Totals["opening_credit"] && st.Totals["debit"] == st.Totals["credit"] &&
			st.Totals["closing_debit"] == st.Totals["closing_credit"]
	case "balance_sheet":
		row := StatementRow{Section: "equity", Code: headOfficeCode, Name: headOfficeName, NameEn: headOfficeNameEn, Amounts: map[string]int64{}}
		nonzero := false
		for _, col := range []string{"opening", "closing"} {
			gap := st.Totals[col+"_assets"] - st.Totals[col+"_liabilities_and_equity"]
			row.Amounts[col] = gap
			st.Totals[col+"_equity"] += gap
			st.Totals[col+"_liabilities_and_equity"] += gap
			nonzero = nonzero || gap != 0
		}
		if nonzero {
			st.Rows = append(st.Rows, row)
		}
		st.Balanced = st.Totals["opening_assets"] == st.Totals["opening_liabilities_and_equity"] &&
			st.Totals["closing_assets"] == st.Totals["closing_liabilities_and_equity"]
	}
}

func netByAccount(rows []sumRow, skipClosing bool) map[uuid.UUID][2]int64 {
	m := map[uuid.UUID][2]int64{}
	for _, r := range rows {
		if skipClosing && r.Kind == 2 {
			continue
		}
		v := m[r.AccountID]
		v[0] += r.Debit
		v[1] += r.Credit
		m[r.AccountID] = v
	}
	return m
}

func splitNet(n int64) (int64, int64) {
	if n >= 0 {
		return n, 0
	}
	return 0, -n
}

func trialBalance(q StatementQuery, chart []chartRow, byID map[uuid.UUID]chartRow, open, period []sumRow) Statement {
	cols := []string{"opening_debit", "opening_credit", "debit", "credit", "closing_debit", "closing_credit"}
	st := q.head("trial_balance", cols)
	o, p := netByAccount(open, false), netByAccount(period, false)
	for _, a := range chart {
		ov, pv := o[a.ID], p[a.ID]
		if ov == [2]int64{} && pv == [2]int64{} {
			continue
		}
		od, oc := splitNet(ov[0] - ov[1])
		cd, cc := splitNet(ov[0] - ov[1] + pv[0] - pv[1])
		row := StatementRow{Section: a.Type, Code: a.Code, Name: a.Name, NameEn: a.NameEn, Amounts: map[string]int64{
			"opening_debit": od, "opening_credit": oc, "debit": pv[0], "credit": pv[1], "closing_debit": cd, "closing_credit": cc}}
		for k, v := range row.Amounts {
			st.Totals[k] += v
		}
		st.Rows = append(st.Rows, row)
	}
	for _, c := range cols {
		st.Totals[c] += 0
	}
	st.Balanced = st.Totals["opening_debit"] == st.Totals["opening_credit"] && st.Totals["debit"] == st.Totals["credit"] &&
		st.Totals["closing_debit"] == st.Totals["closing_credit"]
	return st
}

func isCost(code string) bool {
	return code == AcctCOGS || strings.HasPrefix(code, AcctCOGS+".") || strings.HasPrefix(code, "5402")
}

// incomeStatement is the 利润表 of from..to (amount) beside the year to
// date (year_to_date: from 1 January of to's year), as the 小企业会计准则
// layout shows 本月金额 and 本年累计金额. Totals of the year to date are
// keyed year_to_date_<total>.
func incomeStatement(q StatementQuery, chart []chartRow, byID map[uuid.UUID]chartRow, period, ytd []sumRow) Statement {
	st := q.head("income_statement", []string{"amount", "year_to_date"})
	p, y := netByAccount(period, true), netByAccount(ytd, true)
	var sum, sumYTD struct{ revenue, cost, expenses int64 }
	for _, a := range chart {
		if a.Type != "revenue" && a.Type != "expense" {
			continue
		}
		// Revenue is credit − debit, cost and expenses debit − credit.
		net := func(v [2]int64) int64 {
			if a.Type == "revenue" {
				return v[1] - v[0]
			}
			return v[0] - v[1]
		}
		amt, amtYTD := net(p[a.ID]), net(y[a.ID])
		section := "expenses"
		switch {
		case a.Type == "revenue":
			section = "revenue"
			sum.revenue += amt
			sumYTD.revenue += amtYTD
		case isCost(a.Code):
			section = "cost"
			sum.cost += amt
			sumYTD.cost += amtYTD
		default:
			sum.expenses += amt
			sumYTD.expenses += amtYTD
		}
		st.Rows = append(st.Rows, StatementRow{Section: section, Code: a.Code, Name: a.Name, NameEn: a.NameEn,
			Amounts: map[string]int64{"amount": amt, "year_to_date": amtYTD}})
	}
	for prefix, t := range map[string]struct{ revenue, cost, expenses int64 }{"": sum, "year_to_date_": sumYTD} {
		st.Totals[prefix+"revenue"] = t.revenue
		st.Totals[prefix+"cost"] = t.cost
		st.Totals[prefix+"gross_profit"] = t.revenue - t.cost
		st.Totals[prefix+"expenses"] = t.expenses
		st.Totals[prefix+"net_profit"] = t.revenue - t.cost - t.expenses
	}
	st.Balanced = true
	return st
}

func balanceSheet(q StatementQuery, chart []chartRow, byID map[uuid.UUID]chartRow, open, closing []sumRow) Statement {
	st := q.head("balance_sheet", []string{"opening", "closing"})
	o, c := netByAccount(open, false), netByAccount(closing, false)
	var unclosed [2]int64 // profit not yet closed to equity: revenue − expenses, all history
	tot := map[string][2]int64{}
	for _, a := range chart {
		ov, cv := o[a.ID], c[a.ID]
		switch a.Type {
		case "revenue", "expense":
			unclosed[0] += ov[1] - ov[0]
			unclosed[1] += cv[1] - cv[0]
			continue
		}
		sign := int64(1) // assets: debit − credit; liabilities and equity: credit − debit
		if a.Type != "asset" {
			sign = -1
		}
		on, cn := sign*(ov[0]-ov[1]), sign*(cv[0]-cv[1])
		if on == 0 && cn == 0 && a.Code != AcctCurrentProfit {
			continue
		}
		if a.Code == AcctCurrentProfit {
			continue // shown below with the unclosed profit
		}
		t := tot[a.Type]
		t[0] += on
		t[1] += cn
		tot[a.Type] = t
		st.Rows = append(st.Rows, StatementRow{Section: a.Type, Code: a.Code, Name: a.Name, NameEn: a.NameEn, Amounts: map[string]int64{"opening": on, "closing": cn}})
	}
	for _, a := range chart {
		if a.Code != AcctCurrentProfit {
			continue
		}
		ov, cv := o[a.ID], c[a.ID]
		on, cn := ov[1]-ov[0]+unclosed[0], cv[1]-cv[0]+unclosed[1]
		t := tot["equity"]
		t[0] += on
		t[1] += cn
		tot["equity"] = t
		st.Rows = append(st.Rows, StatementRow{Section: "equity", Code: a.Code, Name: a.Name + "（含未结转损益）", NameEn: a.NameEn + " (incl. unclosed profit)",
			Amounts: map[string]int64{"opening": on, "closing": cn}})
	}
	for i, col := range []string{"opening", "closing"} {
		st.Totals[col+"_assets"] = tot["asset"][i]
		st.Totals[col+"_liabilities"] = tot["liability"][i]
		st.Totals[col+"_equity"] = tot["equity"][i]
		st.Totals[col+"_liabilities_and_equity"] = tot["liability"][i] + tot["equity"][i]
	}
	st.Balanced = st.Totals["opening_assets"] == st.Totals["opening_liabilities_and_equity"] &&
		st.Totals["closing_assets"] == st.Totals["closing_liabilities_and_equity"]
	return st
}

func cashFlow(q StatementQuery, byID map[uuid.UUID]chartRow, open, period []sumRow) Statement {
	st := q.head("cash_flow", []string{"amount"})
	var opening int64
	for _, r := range open {
		if byID[r.AccountID].IsCash {
			opening += r.Debit - r.Credit
		}
	}
	cats := map[string]int64{}
	for _, r := range period {
		if !byID[r.AccountID].IsCash {
			continue
		}
		cf := r.CashFlow
		if !validCashFlow(cf) {
			cf = CFOtherOperating
		}
		cats[cf] += r.Debit - r.Credit
	}
	sections := map[string]int64{}
	var net int64
	for _, c := range cashFlowCategories {
		v := cats[c.key]
		sections[c.section] += v
		net += v
		st.Rows = append(st.Rows, StatementRow{Section: c.section, Code: c.key, Name: c.name, NameEn: c.nameEn, Amounts: map[string]int64{"amount": v}})
	}
	st.Totals = map[string]int64{"opening_cash": opening, "operating": sections["operating"], "investing": sections["investing"],
		"financing": sections["financing"], "net_change": net, "closing_cash": opening + net}
	st.Balanced = true
	return st
}
