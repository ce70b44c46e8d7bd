package finance

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"chainstore/tenant"
)

// Account codes the posting rules use (小企业会计准则 chart).
const (
	AcctCash          = "1001"    // 库存现金
	AcctBank          = "1002"    // 银行存款
	AcctEWallet       = "1012"    // 其他货币资金 (WeChat Pay / Alipay balances)
	AcctReceivable    = "1122"    // 应收账款
	AcctDueFrom       = "1221"    // 其他应收款 — inter-entity due-from
	AcctInventory     = "1405"    // 库存商品
	AcctPayable       = "2202"    // 应付账款
	AcctStoredValue   = "2203"    // 合同负债 (预收)
	AcctSVPrincipal   = "2203.01" // 合同负债—储值本金
	AcctSVBonus       = "2203.02" // 合同负债—储值赠送
	AcctTaxes         = "2221"    // 应交税费
	AcctVAT           = "2221.01" // 应交税费—应交增值税
	AcctOutputVAT     = "2221.01.01"
	AcctInputVAT      = "2221.01.02"
	AcctDueTo         = "2241"    // 其他应付款 — inter-entity due-to
	AcctSVTendered    = "2241.50" // 其他应付款—储值已付待结算 — stored value spent at a till, its sale not yet posted
	AcctCapital       = "3001"    // 实收资本
	AcctCurrentProfit = "3103"    // 本年利润
	AcctRetained      = "3104"    // 利润分配—未分配利润
	AcctRevenue       = "5001"    // 主营业务收入
	AcctOtherRevenue  = "5051"    // 其他业务收入
	AcctCOGS          = "5401"    // 主营业务成本
	AcctSelling       = "5601"    // 销售费用
	AcctAdmin         = "5602"    // 管理费用
	AcctFinanceCost   = "5603"    // 财务费用
	AcctNonOperating  = "5711"    // 营业外支出
)

type accountTemplate struct {
	code, parent, name, nameEn, typ, side string
	cash, internal                        bool
}

// chartTemplate is the chart every chain starts with. Codes follow 小企业会计准则
// (2013): 1xxx assets, 2xxx liabilities, 3xxx equity, 5xxx profit and loss.
var chartTemplate = []accountTemplate{
	{code: AcctCash, name: "库存现金", nameEn: "Cash on hand", typ: "asset", side: "debit", cash: true},
	{code: AcctBank, name: "银行存款", nameEn: "Bank deposits", typ: "asset", side: "debit", cash: true},
	{code: AcctEWallet, name: "其他货币资金", nameEn: "Other monetary funds (WeChat Pay / Alipay)", typ: "asset", side: "debit", cash: true},
	{code: AcctReceivable, name: "应收账款", nameEn: "Accounts receivable", typ: "asset", side: "debit"},
	{code: AcctDueFrom, name: "其他应收款—内部往来", nameEn: "Other receivables — due from group entities", typ: "asset", side: "debit", internal: true},
	{code: AcctInTransit, name: "在途物资", nameEn: "Goods in transit (between stores)", typ: "asset", side: "debit"},
	{code: AcctInventory, name: "库存商品", nameEn: "Merchandise inventory", typ: "asset", side: "debit"},
	{code: AcctPayable, name: "应付账款", nameEn: "Accounts payable", typ: "liability", side: "credit"},
	{code: AcctPayableAccrued, parent: AcctPayable, name: "应付账款—暂估应付", nameEn: "Accounts payable — accrued, not yet invoiced", typ: "liability", side: "credit"},
	{code: AcctStoredValue, name: "合同负债", nameEn: "Contract liabilities (stored value)", typ: "liability", side: "credit"},
	{code: AcctSVPrincipal, parent: AcctStoredValue, name: "合同负债—储值本金", nameEn: "Stored value — principal", typ: "liability", side: "credit"},
	{code: AcctSVBonus, parent: AcctStoredValue, name: "合同负债—储值赠送", nameEn: "Stored value — bonus", typ: "liability", side: "credit"},
	{code: AcctTaxes, name: "应交税费", nameEn: "Taxes payable", typ: "liability", side: "credit"},
	{code: AcctVAT, parent: AcctTaxes, name: "应交税费—应交增值税", nameEn: "VAT payable", typ: "liability", side: "credit"},
	{code: AcctOutputVAT, parent: AcctVAT, name: "应交增值税(销项税额)", nameEn: "Output VAT", typ: "liability", side: "credit"},
	{code: AcctInputVAT, parent: AcctVAT, name: "应交增值税(进项税额)", nameEn: "Input VAT", typ: "liability", side: "debit"},
	{code: AcctDueTo, name: "其他应付款—内部往来", nameEn: "Other payables — due to group entities", typ: "liability", side: "credit", internal: true},
	{code: AcctSVTendered, name: "其他应付款—储值已付待结算", nameEn: "Stored value tendered, sale not yet posted", typ: "liability", side: "credit"},
	{code: AcctCapital, name: "实收资本", nameEn: "Paid-in capital", typ: "equity", side: "credit"},
	{code: AcctCurrentProfit, name: "本年利润", nameEn: "Current-year profit", typ: "equity", side: "credit"},
	{code: AcctRetained, name: "利润分配—未分配利润", nameEn: "Retained earnings", typ: "equity", side: "credit"},
	{code: AcctRevenue, name: "主营业务收入", nameEn: "Main business revenue", typ: "revenue", side: "credit"},
	{code: AcctOtherRevenue, name: "其他业务收入", nameEn: "Other business revenue (royalties)", typ: "revenue", side: "credit"},
	{code: AcctNonOperatingIncome, name: "营业外收入", nameEn: "Non-operating income (cash overages)", typ: "revenue", side: "credit"},
	{code: AcctCOGS, name: "主营业务成本", nameEn: "Cost of goods sold", typ: "expense", side: "debit"},
	{code: AcctSelling, name: "销售费用", nameEn: "Selling expenses", typ: "expense", side: "debit"},
	{code: AcctAdmin, name: "管理费用", nameEn: "Administrative expenses", typ: "expense", side: "debit"},
	{code: AcctFinanceCost, name: "财务费用", nameEn: "Finance costs (payment fees)", typ: "expense", side: "debit"},
	{code: AcctNonOperating, name: "营业外支出", nameEn: "Non-operating expenses (write-offs)", typ: "expense", side: "debit"},
}

// Cash-flow categories (现金流量表, direct method). Every line on a cash
// account carries one; the statement sums them.
const (
	CFSalesReceipts  = "sales_receipts"  // 销售商品、提供劳务收到的现金
	CFStoredValue    = "stored_value"    // 预收储值收到的现金
	CFPurchasesPaid  = "purchases_paid"  // 购买商品、接受劳务支付的现金
	CFOperatingPaid  = "operating_paid"  // 支付的其他与经营活动有关的现金
	CFTaxesPaid      = "taxes_paid"      // 支付的各项税费
	CFInterEntity    = "inter_entity"    // 内部往来结算
	CFOtherOperating = "other_operating" // 收到/支付的其他经营活动现金
	CFInvesting      = "investing"       // 投资活动
	CFFinancing      = "financing"       // 筹资活动
)

// cashFlowCategories lists the categories in statement order with their section.
var cashFlowCategories = []struct{ key, section, name, nameEn string }{
	{CFSalesReceipts, "operating", "销售商品收到的现金", "Cash received from sales"},
	{CFStoredValue, "operating", "储值预收收到的现金", "Cash received for stored value"},
	{CFPurchasesPaid, "operating", "购买商品支付的现金", "Cash paid for goods"},
	{CFOperatingPaid, "operating", "支付的其他经营费用", "Cash paid for operating expenses"},
	{CFTaxesPaid, "operating", "支付的各项税费", "Taxes paid"},
	{CFInterEntity, "operating", "内部往来结算", "Settlements between group entities"},
	{CFOtherOperating, "operating", "其他经营活动现金", "Other operating cash flows"},
	{CFInvesting, "investing", "投资活动现金流量", "Investing activities"},
	{CFFinancing, "financing", "筹资活动现金流量", "Financing activities"},
}

func validCashFlow(c string) bool {
	for _, x := range cashFlowCategories {
		if x.key == c {
			return true
		}
	}
	return false
}

// accountsWith is accounts, reloaded from PostgreSQL when one of codes is
// missing from the cached chart: another instance may have added it.
func (s *Service) accountsWith(ctx context.Context, tenantID uuid.UUID, codes []string) (map[string]acctInfo, error) {
	m, err := s.accounts(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	for _, c := range codes {
		if _, ok := m[c]; !ok {
			s.charts.Delete(tenantID)
			return s.accounts(ctx, tenantID)
		}
	}
	return m, nil
}

// accounts returns the tenant's chart by code, seeding it from the
// template the first time. The chart is cached per instance; accountsWith
// refreshes it when a code is unknown.
func (s *Service) accounts(ctx context.Context, tenantID uuid.UUID) (map[string]acctInfo, error) {
	if m, ok := s.charts.Load(tenantID); ok {
		return m.(map[string]acctInfo), nil
	}
	db := tenant.DB(ctx)
	load := func() (map[string]acctInfo, error) {
		var rows []acctInfo
		if err := db.Raw(`SELECT id, code, type, is_cash, is_internal FROM fin_accounts WHERE tenant_id = ?`, tenantID).Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("finance: load chart: %w", err)
		}
		m := make(map[string]acctInfo, len(rows))
		for _, r := range rows {
			m[r.Code] = r
		}
		return m, nil
	}
	m, err := load()
	if err != nil {
		return nil, err
	}
	if !hasTemplate(m) {
		// A new chain, or a chart seeded before the template grew.
		if err := seedChart(db, tenantID); err != nil {
			return nil, err
		}
		if m, err = load(); err != nil {
			return nil, err
		}
	}
	tenant.AfterCommit(ctx, func(context.Context) { s.charts.Store(tenantID, m) })
	return m, nil
}

// hasTemplate reports whether the chart holds every template account.
func hasTemplate(m map[string]acctInfo) bool {
	for _, a := range chartTemplate {
		if _, ok := m[a.code]; !ok {
			return false
		}
	}
	return true
}

// seedChart adds the template accounts the chart lacks (all of them for a
// new chain), parents first as the template lists them, each under its
// parent as stored; accounts already there are left as they are.
func seedChart(db *gorm.DB, tenantID uuid.UUID) error {
	for _, a := range chartTemplate {
		if err := db.Exec(`INSERT INTO fin_accounts (tenant_id, id, code, name, name_en, type, normal_side, parent_id, is_cash, is_internal, system)
			VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT id FROM fin_accounts WHERE tenant_id = ? AND code = ?), ?, ?, true)
			ON CONFLICT (tenant_id, code) DO NOTHING`,
			tenantID, uuid.Must(uuid.NewV7()), a.code, a.name, a.nameEn, a.typ, a.side, tenantID, a.parent, a.cash, a.internal).Error; err != nil {
			return fmt.Errorf("finance: seed chart: %w", err)
		}
	}
	return nil
}
