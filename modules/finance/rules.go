package finance

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/doc"
	"chainstore/infra/money"
	"chainstore/infra/problem"
)

// maxAmount bounds every amount a rule or line accepts (10^14 fen, one
// trillion yuan), so sums and VAT arithmetic never overflow int64.
const maxAmount = 100_000_000_000_000

// NetOfVAT splits a VAT-inclusive gross amount: net = round(gross × 10000 /
// (10000 + rateBP)), half away from zero (money.MulDiv, the one rounding
// of the system); the tax is gross − net. rateBP is in basis points
// (1300 = 13%); |gross| must not exceed 10^14.
func NetOfVAT(gross int64, rateBP int) int64 {
	if rateBP <= 0 {
		return gross
	}
	return money.MulDiv(gross, 10000, int64(10000+rateBP))
}

// RatioOf returns round(amount × bp / 10000), half away from zero.
func RatioOf(amount int64, bp int) int64 { return money.MulDiv(amount, int64(bp), 10000) }

// RevenueLine is the VAT-inclusive takings at one VAT rate.
type RevenueLine struct {
	Gross     int64
	VATRateBP int
}

// Payment is money received or paid by one method (cash, bank, card,
// unionpay, wechat, alipay, ewallet, receivable).
type Payment struct {
	Method string
	Amount int64
}

// StoredValueUse is stored value spent in a sale: principal and bonus, and
// the store where it was loaded (nil: HQ, for example online top-ups).
type StoredValueUse struct {
	Principal, Bonus int64
	LoadedStoreID    *uuid.UUID
}

// PointsUse is the money value of points redeemed, and the store where they
// were earned (nil: HQ).
type PointsUse struct {
	Value         int64
	IssuedStoreID *uuid.UUID
}

// SaleEvent is one sale: takings by VAT rate, how it was paid (money,
// stored value, points; together equal to the takings), and the cost of
// the goods at moving-average cost.
type SaleEvent struct {
	Source       doc.Source
	StoreID      uuid.UUID
	BusinessDate time.Time
	Revenue      []RevenueLine
	Payments     []Payment
	StoredValue  []StoredValueUse
	Points       []PointsUse
	COGS         int64
}

// TopUpEvent is a stored-value top-up: principal paid by Payments, bonus granted on top.
type TopUpEvent struct {
	Source       doc.Source
	StoreID      *uuid.UUID // nil: HQ (online)
	BusinessDate time.Time
	Principal    int64
	Bonus        int64
	Payments     []Payment
}

// PointsRedemptionEvent is points redeemed for a gift from stock, at cost.
type PointsRedemptionEvent struct {
	Source        doc.Source
	StoreID       uuid.UUID
	BusinessDate  time.Time
	Cost          int64
	IssuedStoreID *uuid.UUID
}

// GoodsReceiptEvent is goods received from a supplier: inventory at net
// cost, input VAT, payable for both.
type GoodsReceiptEvent struct {
	Source       doc.Source
	StoreID      *uuid.UUID // nil: HQ's warehouse
	BusinessDate time.Time
	Net          int64
	InputVAT     int64
}

// SupplierPaymentEvent is a payment to a supplier.
type SupplierPaymentEvent struct {
	Source       doc.Source
	StoreID      *uuid.UUID // nil: HQ
	BusinessDate time.Time
	Amount       int64
	Method       string
}

// StocktakeVarianceEvent is a stocktake result at cost: positive Amount is
// a gain (盘盈), negative a loss (盘亏).
type StocktakeVarianceEvent struct {
	Source       doc.Source
	StoreID      uuid.UUID
	BusinessDate time.Time
	Amount       int64
}

// WriteOffEvent is stock written off (damaged, expired) at cost.
type WriteOffEvent struct {
	Source       doc.Source
	StoreID      uuid.UUID
	BusinessDate time.Time
	Amount       int64
}

// RoyaltyEvent is a franchise store's royalty owed to HQ.
type RoyaltyEvent struct {
	Source       doc.Source
	StoreID      uuid.UUID // a franchise store
	BusinessDate time.Time
	Amount       int64
}

// SupplyEvent is goods HQ sells to a franchise store: Net + VAT charged,
// Cost at HQ's moving-average cost.
type SupplyEvent struct {
	Source       doc.Source
	StoreID      uuid.UUID // the receiving franchise store
	BusinessDate time.Time
	Net          int64
	VAT          int64
	Cost         int64
}

// FranchiseePaymentEvent is money a franchisee pays HQ against what it owes.
type FranchiseePaymentEvent struct {
	Source       doc.Source
	FranchiseeID uuid.UUID
	BusinessDate time.Time
	Amount       int64
	Method       string
}

// books resolves where things are booked: HQ's entity, each store's entity
// and the clearing ratios between two entities.
type books struct {
	hq       uuid.UUID
	stores   map[uuid.UUID]uuid.UUID // store → entity
	clearing func(a, b uuid.UUID) ClearingRule
}

func (b books) entityOf(store *uuid.UUID) uuid.UUID {
	if store == nil {
		return b.hq
	}
	return b.stores[*store]
}

// draft collects the lines of the entries one event makes, per entity.
type draft struct {
	src      string
	sourceID uuid.UUID
	date     time.Time
	memo     string
	order    []uuid.UUID
	rules    map[uuid.UUID]string
	lines    map[uuid.UUID][]Line
}

func newDraft(src doc.Source, date time.Time, memo string) *draft {
	return &draft{src: src.Type, sourceID: src.ID, date: date, memo: memo, rules: map[uuid.UUID]string{}, lines: map[uuid.UUID][]Line{}}
}

func (d *draft) add(entity uuid.UUID, rule string, l Line) {
	if l.Debit == 0 && l.Credit == 0 {
		return
	}
	if l.Debit < 0 || l.Credit < 0 { // a negative amount is the other side
		l.Debit, l.Credit = -l.Credit, -l.Debit
	}
	if _, ok := d.rules[entity]; !ok {
		d.order = append(d.order, entity)
		d.rules[entity] = rule
	}
	d.lines[entity] = append(d.lines[entity], l)
}

func (d *draft) dr(entity uuid.UUID, rule, acct string, store *uuid.UUID, amt int64, cf string, counter *uuid.UUID) {
	d.add(entity, rule, Line{AccountCode: acct, StoreID: store, Debit: amt, CashFlow: cf, CounterEntityID: counter})
}

func (d *draft) cr(entity uuid.UUID, rule, acct string, store *uuid.UUID, amt int64, cf string, counter *uuid.UUID) {
	d.add(entity, rule, Line{AccountCode: acct, StoreID: store, Credit: amt, CashFlow: cf, CounterEntityID: counter})
}

func (d *draft) entries() []Entry {
	out := make([]Entry, 0, len(d.order))
	for _, e := range d.order {
		if len(d.lines[e]) == 0 {
			continue
		}
		out = append(out, Entry{EntityID: e, BusinessDate: d.date, SourceType: d.src, SourceID: d.sourceID, Rule: d.rules[e], Memo: d.memo, Lines: d.lines[e]})
	}
	return out
}

func eventErr(field, msg string) error {
	return ErrInvalidEvent.WithFields(problem.FieldError{Field: field, Message: msg})
}

func checkAmount(field string, v int64, allowNegative bool) error {
	if v > maxAmount || v < -maxAmount || (!allowNegative && v < 0) {
		return eventErr(field, "must be a non-negative amount in minor units of at most 10^14")
	}
	return nil
}

// checkAmounts is checkAmount for several amounts, named by fields in order.
func checkAmounts(allowNegative bool, fields []string, vs ...int64) error {
	for i, v := range vs {
		if err := checkAmount(fields[i], v, allowNegative); err != nil {
			return err
		}
	}
	return nil
}

func checkCommon(src doc.Source, date time.Time) error {
	if src.ID == uuid.Nil {
		return eventErr("source_id", "is required")
	}
	if err := src.Valid(); err != nil {
		return eventErr("source_type", "must be 1-40 lowercase letters or underscores")
	}
	if date.IsZero() {
		return eventErr("business_date", "is required")
	}
	return nil
}

// open is how every rule starts: the document and its date are checked,
// the store (nil: HQ's own books) must be the chain's, and a draft is
// opened for the event's entries, memo on each. It returns the entity
// whose books the store's postings go to.
func (b books) open(src doc.Source, date time.Time, store *uuid.UUID, memo string) (uuid.UUID, *draft, error) {
	if err := checkCommon(src, date); err != nil {
		return uuid.Nil, nil, err
	}
	e, err := b.entity("store_id", store)
	if err != nil {
		return uuid.Nil, nil, err
	}
	return e, newDraft(src, date, memo), nil
}

// openFranchise is open for a rule that needs a franchise store (royalty,
// supply): it refuses a direct-owned one.
func (b books) openFranchise(src doc.Source, date time.Time, store uuid.UUID, memo string) (uuid.UUID, *draft, error) {
	e, d, err := b.open(src, date, &store, memo)
	if err == nil && e == b.hq {
		return uuid.Nil, nil, eventErr("store_id", "is a direct-owned store; this needs a franchise store")
	}
	return e, d, err
}

// entity is the books of store (nil: HQ's), or a field error naming field
// when it is not a store of this chain.
func (b books) entity(field string, store *uuid.UUID) (uuid.UUID, error) {
	e := b.entityOf(store)
	if e == uuid.Nil {
		return uuid.Nil, eventErr(field, "is not a store of this chain")
	}
	return e, nil
}

// tenderMethods lists the methods of Tenders, for the error that refuses
// another.
var tenderMethods = func() string {
	ms := make([]string, len(Tenders))
	for i, t := range Tenders {
		ms[i] = t.Method
	}
	return strings.Join(ms, ", ")
}()

// payAccount is the account of a payment method (Tenders), or a field
// error that lists the methods the books know.
func payAccount(field, method string) (string, error) {
	t, ok := TenderOf(method)
	if !ok {
		return "", eventErr(field, fmt.Sprintf("unknown payment method %q; the methods are %s", method, tenderMethods))
	}
	return t.Account, nil
}

// pay books payments in entity's books at store, each on its tender's
// account: debited when the money comes in (in), credited when it is paid
// out, with cash-flow category cf on the money accounts. It returns their
// total; errors name the payment (payments[i]).
func (d *draft) pay(entity uuid.UUID, rule string, store *uuid.UUID, ps []Payment, in bool, cf string) (int64, error) {
	var total int64
	for i, p := range ps {
		f := fmt.Sprintf("payments[%d]", i)
		if err := checkAmount(f+".amount", p.Amount, false); err != nil {
			return 0, err
		}
		acct, err := payAccount(f+".method", p.Method)
		if err != nil {
			return 0, err
		}
		total += p.Amount
		if in {
			d.dr(entity, rule, acct, store, p.Amount, cashFlowFor(acct, cf), nil)
		} else {
			d.cr(entity, rule, acct, store, p.Amount, cashFlowFor(acct, cf), nil)
		}
	}
	return total, nil
}

func cashFlowFor(acct, cf string) string {
	if acct == AcctCash || acct == AcctBank || acct == AcctEWallet {
		return cf
	}
	return ""
}

// buildSale makes a sale's entries: in the selling entity, money by method,
// stored value and points (cleared with the entity that loaded or issued
// them when that is another one), revenue net of VAT per rate, output VAT
// and cost of goods against inventory.
func buildSale(ev SaleEvent, b books, rule string) ([]Entry, error) {
	seller, d, err := b.open(ev.Source, ev.BusinessDate, &ev.StoreID, ev.Source.String())
	if err != nil {
		return nil, err
	}
	store := &ev.StoreID
	var gross int64
	for i, r := range ev.Revenue {
		if err := checkAmount(fmt.Sprintf("revenue[%d].gross", i), r.Gross, false); err != nil {
			return nil, err
		}
		if r.VATRateBP < 0 || r.VATRateBP > 10000 {
			return nil, eventErr(fmt.Sprintf("revenue[%d].vat_rate_bp", i), "must be 0..10000")
		}
		gross += r.Gross
		net := NetOfVAT(r.Gross, r.VATRateBP)
		d.cr(seller, rule, AcctRevenue, store, net, "", nil)
		d.cr(seller, rule, AcctOutputVAT, store, r.Gross-net, "", nil)
	}
	paid, err := d.pay(seller, rule, store, ev.Payments, true, CFSalesReceipts)
	if err != nil {
		return nil, err
	}
	spent, err := spendStoredValue(d, b, seller, store, ev.StoredValue, rule)
	if err != nil {
		return nil, err
	}
	paid += spent
	for i, pu := range ev.Points {
		f := fmt.Sprintf("points[%d]", i)
		if err := checkAmount(f+".value", pu.Value, false); err != nil {
			return nil, err
		}
		paid += pu.Value
		if err := clearPoints(d, b, seller, store, pu.IssuedStoreID, pu.Value, rule, f); err != nil {
			return nil, err
		}
	}
	if gross != paid {
		return nil, eventErr("payments", fmt.Sprintf("payments, stored value and points total %d but the takings are %d", paid, gross))
	}
	if err := checkAmount("cogs", ev.COGS, false); err != nil {
		return nil, err
	}
	d.dr(seller, rule, AcctCOGS, store, ev.COGS, "", nil)
	d.cr(seller, rule, AcctInventory, store, ev.COGS, "", nil)
	return d.entries(), nil
}

// spendStoredValue books stored value spent at seller's store and returns
// its total. In the loading entity's books when that is the seller; else
// the loader, which holds the liability and the cash, releases the
// liability and owes the seller the agreed share (clearing ratios); the
// rest is the loader's income (principal kept) and the seller's cost.
func spendStoredValue(d *draft, b books, seller uuid.UUID, store *uuid.UUID, uses []StoredValueUse, rule string) (int64, error) {
	var total int64
	for i, sv := range uses {
		f := fmt.Sprintf("stored_value[%d]", i)
		if err := checkAmounts(false, []string{f + ".principal", f + ".bonus"}, sv.Principal, sv.Bonus); err != nil {
			return 0, err
		}
		loader, err := b.entity(f+".loaded_store_id", sv.LoadedStoreID)
		if err != nil {
			return 0, err
		}
		total += sv.Principal + sv.Bonus
		if loader == seller {
			d.dr(seller, rule, AcctSVPrincipal, store, sv.Principal, "", nil)
			d.dr(seller, rule, AcctSVBonus, store, sv.Bonus, "", nil)
			continue
		}
		c := b.clearing(loader, seller)
		owed := RatioOf(sv.Principal, c.PrincipalBP) + RatioOf(sv.Bonus, c.BonusBP)
		d.dr(seller, rule, AcctDueFrom, store, owed, "", &loader)
		d.dr(seller, rule, AcctSelling, store, sv.Principal+sv.Bonus-owed, "", nil)
		crule := rule + "_clearing"
		d.dr(loader, crule, AcctSVPrincipal, sv.LoadedStoreID, sv.Principal, "", nil)
		d.dr(loader, crule, AcctSVBonus, sv.LoadedStoreID, sv.Bonus, "", nil)
		d.cr(loader, crule, AcctDueTo, sv.LoadedStoreID, owed, "", &seller)
		d.cr(loader, crule, AcctOtherRevenue, sv.LoadedStoreID, sv.Principal+sv.Bonus-owed, "", nil)
	}
	return total, nil
}

// clearPoints books points worth value spent in seller's store: a selling
// expense, borne by the issuing entity for points_bp of it when another.
func clearPoints(d *draft, b books, seller uuid.UUID, store, issuedStore *uuid.UUID, value int64, rule, field string) error {
	issuer, err := b.entity(field+".issued_store_id", issuedStore)
	if err != nil {
		return err
	}
	if issuer == seller {
		d.dr(seller, rule, AcctSelling, store, value, "", nil)
		return nil
	}
	owed := RatioOf(value, b.clearing(issuer, seller).PointsBP)
	d.dr(seller, rule, AcctDueFrom, store, owed, "", &issuer)
	d.dr(seller, rule, AcctSelling, store, value-owed, "", nil)
	d.dr(issuer, rule+"_clearing", AcctSelling, issuedStore, owed, "", nil)
	d.cr(issuer, rule+"_clearing", AcctDueTo, issuedStore, owed, "", &seller)
	return nil
}

// reversed swaps the sides of every line (a return mirrors its sale).
func reversed(es []Entry) []Entry {
	for i := range es {
		for j := range es[i].Lines {
			l := &es[i].Lines[j]
			l.Debit, l.Credit = l.Credit, l.Debit
		}
	}
	return es
}

func buildTopUp(ev TopUpEvent, b books) ([]Entry, error) {
	e, d, err := b.open(ev.Source, ev.BusinessDate, ev.StoreID, "储值充值 top-up")
	if err != nil {
		return nil, err
	}
	if err := checkAmounts(false, []string{"principal", "bonus"}, ev.Principal, ev.Bonus); err != nil {
		return nil, err
	}
	paid, err := d.pay(e, "topup", ev.StoreID, ev.Payments, true, CFStoredValue)
	if err != nil {
		return nil, err
	}
	if paid != ev.Principal {
		return nil, eventErr("payments", fmt.Sprintf("payments total %d but the principal is %d", paid, ev.Principal))
	}
	d.cr(e, "topup", AcctSVPrincipal, ev.StoreID, ev.Principal, "", nil)
	d.dr(e, "topup", AcctSelling, ev.StoreID, ev.Bonus, "", nil)
	d.cr(e, "topup", AcctSVBonus, ev.StoreID, ev.Bonus, "", nil)
	return nonEmpty(d.entries(), "principal")
}

func nonEmpty(es []Entry, field string) ([]Entry, error) {
	if len(es) == 0 {
		return nil, eventErr(field, "the event moves no money")
	}
	return es, nil
}

func buildPointsRedemption(ev PointsRedemptionEvent, b books) ([]Entry, error) {
	seller, d, err := b.open(ev.Source, ev.BusinessDate, &ev.StoreID, "积分兑换 points redemption")
	if err != nil {
		return nil, err
	}
	if err := checkAmount("cost", ev.Cost, false); err != nil {
		return nil, err
	}
	if err := clearPoints(d, b, seller, &ev.StoreID, ev.IssuedStoreID, ev.Cost, "points_redemption", "points"); err != nil {
		return nil, err
	}
	d.cr(seller, "points_redemption", AcctInventory, &ev.StoreID, ev.Cost, "", nil)
	return nonEmpty(d.entries(), "cost")
}

func buildGoodsReceipt(ev GoodsReceiptEvent, b books) ([]Entry, error) {
	e, d, err := b.open(ev.Source, ev.BusinessDate, ev.StoreID, "采购入库 goods receipt")
	if err != nil {
		return nil, err
	}
	if err := checkAmounts(false, []string{"net", "input_vat"}, ev.Net, ev.InputVAT); err != nil {
		return nil, err
	}
	d.dr(e, "goods_receipt", AcctInventory, ev.StoreID, ev.Net, "", nil)
	d.dr(e, "goods_receipt", AcctInputVAT, ev.StoreID, ev.InputVAT, "", nil)
	d.cr(e, "goods_receipt", AcctPayable, ev.StoreID, ev.Net+ev.InputVAT, "", nil)
	return nonEmpty(d.entries(), "net")
}

func buildSupplierPayment(ev SupplierPaymentEvent, b books) ([]Entry, error) {
	e, d, err := b.open(ev.Source, ev.BusinessDate, ev.StoreID, "支付供应商 supplier payment")
	if err != nil {
		return nil, err
	}
	if err := checkAmount("amount", ev.Amount, false); err != nil {
		return nil, err
	}
	acct, err := payAccount("method", ev.Method)
	if err != nil {
		return nil, err
	}
	d.dr(e, "supplier_payment", AcctPayable, ev.StoreID, ev.Amount, "", nil)
	d.cr(e, "supplier_payment", acct, ev.StoreID, ev.Amount, cashFlowFor(acct, CFPurchasesPaid), nil)
	return nonEmpty(d.entries(), "amount")
}

func buildStocktakeVariance(ev StocktakeVarianceEvent, b books) ([]Entry, error) {
	// A gain (positive) raises stock and lowers admin expense; a loss the reverse.
	es, err := storePair(b, storeMove{"stocktake_variance", "盘点差异 stocktake variance", AcctInventory, AcctAdmin, true},
		ev.Source, ev.BusinessDate, ev.StoreID, ev.Amount)
	if err != nil {
		return nil, err
	}
	return nonEmpty(es, "amount")
}

func buildWriteOff(ev WriteOffEvent, b books) ([]Entry, error) {
	es, err := storePair(b, storeMove{"write_off", "报损 write-off", AcctNonOperating, AcctInventory, false},
		ev.Source, ev.BusinessDate, ev.StoreID, ev.Amount)
	if err != nil {
		return nil, err
	}
	return nonEmpty(es, "amount")
}

// storeMove is a rule that moves value between two accounts of one store:
// Dr debit, Cr credit; signed lets a negative amount book the reverse.
type storeMove struct {
	rule, memo    string
	debit, credit string
	signed        bool
}

// storePair books amount at store by m, after the checks every such rule
// makes (source, date, the store is the chain's, the amount's bounds).
func storePair(b books, m storeMove, src doc.Source, date time.Time, store uuid.UUID, amount int64) ([]Entry, error) {
	e, d, err := b.open(src, date, &store, m.memo)
	if err != nil {
		return nil, err
	}
	if err := checkAmount("amount", amount, m.signed); err != nil {
		return nil, err
	}
	d.dr(e, m.rule, m.debit, &store, amount, "", nil)
	d.cr(e, m.rule, m.credit, &store, amount, "", nil)
	return d.entries(), nil
}

// buildRoyalty: the franchisee's royalty expense and payable to HQ; HQ's
// receivable and royalty income. Every line is internal to the group.
func buildRoyalty(ev RoyaltyEvent, b books) ([]Entry, error) {
	f, d, err := b.openFranchise(ev.Source, ev.BusinessDate, ev.StoreID, "特许权使用费 royalty")
	if err != nil {
		return nil, err
	}
	if err := checkAmount("amount", ev.Amount, false); err != nil {
		return nil, err
	}
	hq := b.hq
	d.dr(f, "royalty", AcctSelling, &ev.StoreID, ev.Amount, "", &hq)
	d.cr(f, "royalty", AcctDueTo, &ev.StoreID, ev.Amount, "", &hq)
	d.dr(hq, "royalty", AcctDueFrom, nil, ev.Amount, "", &f)
	d.cr(hq, "royalty", AcctOtherRevenue, nil, ev.Amount, "", &f)
	return nonEmpty(d.entries(), "amount")
}

// buildSupply: HQ sells goods to a franchise store. HQ books a receivable,
// revenue, output VAT and cost; the franchisee books stock, input VAT and a
// payable. All but the VAT lines are internal, and the internal lines of
// both sides balance, so consolidation removes them and still balances.
func buildSupply(ev SupplyEvent, b books) ([]Entry, error) {
	f, d, err := b.openFranchise(ev.Source, ev.BusinessDate, ev.StoreID, "总部配送 supply to franchisee")
	if err != nil {
		return nil, err
	}
	if err := checkAmounts(false, []string{"net", "vat", "cost"}, ev.Net, ev.VAT, ev.Cost); err != nil {
		return nil, err
	}
	hq := b.hq
	total := ev.Net + ev.VAT
	d.dr(hq, "supply", AcctDueFrom, nil, total, "", &f)
	d.cr(hq, "supply", AcctRevenue, nil, ev.Net, "", &f)
	d.cr(hq, "supply", AcctOutputVAT, nil, ev.VAT, "", nil)
	d.dr(hq, "supply", AcctCOGS, nil, ev.Cost, "", &f)
	d.cr(hq, "supply", AcctInventory, nil, ev.Cost, "", &f)
	d.dr(f, "supply", AcctInventory, &ev.StoreID, ev.Net, "", &hq)
	d.dr(f, "supply", AcctInputVAT, &ev.StoreID, ev.VAT, "", nil)
	d.cr(f, "supply", AcctDueTo, &ev.StoreID, total, "", &hq)
	return nonEmpty(d.entries(), "net")
}

func buildFranchiseePayment(ev FranchiseePaymentEvent, b books, f uuid.UUID) ([]Entry, error) {
	hq, d, err := b.open(ev.Source, ev.BusinessDate, nil, "加盟商付款 franchisee payment to HQ")
	if err != nil {
		return nil, err
	}
	if err := checkAmount("amount", ev.Amount, false); err != nil {
		return nil, err
	}
	acct, err := payAccount("method", ev.Method)
	if err != nil {
		return nil, err
	}
	d.dr(f, "franchisee_payment", AcctDueTo, nil, ev.Amount, "", &hq)
	d.cr(f, "franchisee_payment", acct, nil, ev.Amount, cashFlowFor(acct, CFInterEntity), nil)
	d.dr(hq, "franchisee_payment", acct, nil, ev.Amount, cashFlowFor(acct, CFInterEntity), nil)
	d.cr(hq, "franchisee_payment", AcctDueFrom, nil, ev.Amount, "", &f)
	return nonEmpty(d.entries(), "amount")
}

// sortedStores lists the distinct non-nil stores, for resolving entities.
func sortedStores(ids ...*uuid.UUID) []uuid.UUID {
	seen := map[uuid.UUID]bool{}
	var out []uuid.UUID
	for _, id := range ids {
		if id != nil && *id != uuid.Nil && !seen[*id] {
			seen[*id] = true
			out = append(out, *id)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}
