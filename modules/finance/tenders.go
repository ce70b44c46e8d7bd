package finance

// Tender is a way money is taken or paid back (at a till, for a top-up, to
// a supplier), and the account it lands in. Finance owns the one list;
// members (top-ups, cash-outs) and the POS (split tenders) take their
// methods from it, so a method the books cannot post is never offered.
type Tender struct {
	Method  string `json:"method"`
	Account string `json:"account"`
	Name    string `json:"name"`    // 中文
	NameEn  string `json:"name_en"` // English
	// Customer: a customer can pay with it at a till or for a top-up, and
	// be paid back with it.
	Customer bool `json:"customer"`
	// Cash: counted in the drawer at a shift's close.
	Cash bool `json:"cash"`
	// External: settled by a payment provider (a scan-to-pay or card
	// terminal answer), not by the cashier's hand.
	External bool `json:"external"`
}

// Tenders are every payment method the books know, in the order a till
// shows them.
var Tenders = []Tender{
	{Method: "cash", Account: AcctCash, Name: "现金", NameEn: "Cash", Customer: true, Cash: true},
	{Method: "card", Account: AcctBank, Name: "银行卡", NameEn: "Bank card", Customer: true, External: true},
	{Method: "unionpay", Account: AcctBank, Name: "银联", NameEn: "UnionPay", Customer: true, External: true},
	{Method: "wechat", Account: AcctEWallet, Name: "微信支付", NameEn: "WeChat Pay", Customer: true, External: true},
	{Method: "alipay", Account: AcctEWallet, Name: "支付宝", NameEn: "Alipay", Customer: true, External: true},
	{Method: "bank", Account: AcctBank, Name: "银行转账", NameEn: "Bank transfer"},
	{Method: "ewallet", Account: AcctEWallet, Name: "其他电子钱包", NameEn: "Other e-wallet"},
	{Method: "receivable", Account: AcctReceivable, Name: "挂账", NameEn: "On account"},
	// Stored value already tendered at the till (PostStoredValueTender): the
	// sale clears the pending account instead of the liability.
	{Method: "sv_tendered", Account: AcctSVTendered, Name: "储值已付", NameEn: "Stored value tendered"},
}

// TenderOf returns the tender with method, if the books know it.
func TenderOf(method string) (Tender, bool) {
	for _, t := range Tenders {
		if t.Method == method {
			return t, true
		}
	}
	return Tender{}, false
}

// CustomerTenders are the methods a customer may pay or be paid back with.
func CustomerTenders() []Tender {
	var out []Tender
	for _, t := range Tenders {
		if t.Customer {
			out = append(out, t)
		}
	}
	return out
}
