package finance

import (
	"context"
	"fmt"
	"sort"

	"github.com/google/uuid"

	"chainstore/infra/sheet"
	"chainstore/tenant"
)

// A statement's file is for an accountant, not for re-import: the title,
// whose books (编制单位), the period and the unit above the table, Chinese
// headers, amounts in yuan as numbers, and the totals labelled as the
// statement names them.

var statementTitles = map[string]string{
	"trial_balance": "科目余额表", "income_statement": "利润表", "balance_sheet": "资产负债表", "cash_flow": "现金流量表",
}

var columnTitles = map[string]string{
	"opening_debit": "期初借方", "opening_credit": "期初贷方", "debit": "本期借方", "credit": "本期贷方",
	"closing_debit": "期末借方", "closing_credit": "期末贷方", "amount": "本期金额", "year_to_date": "本年累计金额",
	"opening": "期初余额", "closing": "期末余额",
}

var sectionTitles = map[string]string{
	"asset": "资产", "liability": "负债", "equity": "所有者权益", "revenue": "收入", "expense": "费用",
	"cost": "营业成本", "expenses": "期间费用", "operating": "经营活动", "investing": "投资活动", "financing": "筹资活动",
}

// statementTotal is one labelled total line; key names it in Totals: the
// amount column's as key, another column's as column_key (the balance
// sheet's opening_assets, the income statement's year_to_date_net_profit);
// for the trial balance "" means each column's own total.
type statementTotal struct{ label, key string }

var statementTotals = map[string][]statementTotal{
	"trial_balance": {{"合计", ""}},
	"income_statement": {{"营业收入合计", "revenue"}, {"营业成本合计", "cost"}, {"毛利", "gross_profit"},
		{"期间费用合计", "expenses"}, {"净利润", "net_profit"}},
	"balance_sheet": {{"资产合计", "assets"}, {"负债合计", "liabilities"}, {"所有者权益合计", "equity"},
		{"负债和所有者权益合计", "liabilities_and_equity"}},
	"cash_flow": {{"期初现金余额", "opening_cash"}, {"经营活动现金流量净额", "operating"}, {"投资活动现金流量净额", "investing"},
		{"筹资活动现金流量净额", "financing"}, {"现金及现金等价物净增加额", "net_change"}, {"期末现金余额", "closing_cash"}},
}

var currencyUnits = map[string]string{"CNY": "元", "HKD": "港元", "USD": "美元"}

// Report lays the statement out for its file; books is whose books they
// are and currency the chain's (ISO code).
func (st Statement) Report(books, currency string) sheet.Report {
	title := statementTitles[st.Kind]
	unit, ok := currencyUnits[currency]
	if !ok {
		unit = currency
	}
	r := sheet.Report{Sheet: title, Preamble: []string{title, "编制单位：" + books,
		fmt.Sprintf("期间：%s 至 %s", st.From, st.To), "金额单位：" + unit}}
	if !st.Balanced {
		r.Preamble = append(r.Preamble, "注意：本表借贷不平衡，请核对账簿")
	}
	codeTitle, nameTitle := "科目编码", "科目名称"
	if st.Kind == "cash_flow" {
		codeTitle, nameTitle = "项目代码", "项目"
	}
	r.Header = []string{"类别", codeTitle, nameTitle}
	for _, col := range st.Columns {
		r.Header = append(r.Header, columnTitles[col])
	}
	for _, row := range st.Rows {
		cells := []sheet.Cell{sheet.Text(sectionTitles[row.Section]), sheet.Text(row.Code), sheet.Text(row.Name)}
		for _, col := range st.Columns {
			cells = append(cells, sheet.Amount(row.Amounts[col]))
		}
		r.Rows = append(r.Rows, cells)
	}
	for _, t := range st.totalLines() {
		cells := []sheet.Cell{sheet.Text(t.label), sheet.Text(""), sheet.Text("")}
		for _, col := range st.Columns {
			cells = append(cells, sheet.Amount(st.Totals[st.totalKey(t.key, col)]))
		}
		r.Rows = append(r.Rows, cells)
	}
	return r
}

// totalLines are the statement's labelled totals; a kind without a layout
// (none today) lists its totals by key.
func (st Statement) totalLines() []statementTotal {
	if lines, ok := statementTotals[st.Kind]; ok {
		return lines
	}
	keys := make([]string, 0, len(st.Totals))
	for k := range st.Totals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]statementTotal, len(keys))
	for i, k := range keys {
		out[i] = statementTotal{k, k}
	}
	return out
}

func (st Statement) totalKey(key, col string) string {
	switch {
	case key == "":
		return col
	case col == "amount":
		return key
	}
	return col + "_" + key
}

// BooksName is whose books a statement is of, as its file's 编制单位 says:
// the entity's name, the store's code and name, or the chain's HQ entity
// for the consolidated chain.
func (s *Service) BooksName(ctx context.Context, tenantID uuid.UUID, q StatementQuery) (string, error) {
	if q.StoreID != nil {
		f, err := s.org.Store(ctx, tenantID, *q.StoreID)
		if err != nil {
			return "", err
		}
		return "门店 " + f.Code + " " + f.Name, nil
	}
	var name string
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		if q.EntityID != nil {
			return db.Raw(`SELECT name FROM fin_entities WHERE tenant_id = ? AND id = ?`, tenantID, *q.EntityID).Scan(&name).Error
		}
		return db.Raw(`SELECT name FROM fin_entities WHERE tenant_id = ? AND kind = 'hq'`, tenantID).Scan(&name).Error
	})
	if err != nil {
		return "", fmt.Errorf("finance: books name: %w", err)
	}
	if q.Consolidated {
		name += "（合并）"
	}
	return name, nil
}
