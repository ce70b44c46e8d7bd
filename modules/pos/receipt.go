package pos

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"

	"chainstore/infra/money"
	"chainstore/tenant"

	"github.com/google/uuid"
)

// receiptWidth is the columns of an 80 mm thermal printer in its normal
// font (576 dots / 12): a Chinese character takes two.
const receiptWidth = 48

// ReceiptHeader is what a receipt prints above the lines.
type ReceiptHeader struct {
	StoreName    string
	StoreAddress string
	StorePhone   string
	RegisterCode string
	CashierName  string
	Location     *time.Location
	Footer       string
	MemberCard   string
	MemberPoints *int64 // the member's balance after the sale
}

// tenderNames are the receipt's words for tenders.
var tenderNames = map[string]string{
	"cash": "现金", "card": "银行卡", "unionpay": "银联", "wechat": "微信支付", "alipay": "支付宝",
	"stored_value": "储值卡", "points": "积分抵扣",
}

// ReceiptText renders a sale as plain text for an 80 mm printer (48
// columns, CJK characters counted double): store, lines with their
// discounts, totals, tenders with change, member points, the invoice QR
// code's address, and the footer. The same sale always renders the same.
func ReceiptText(s Sale, h ReceiptHeader) string {
	var b strings.Builder
	line := func(text string) { b.WriteString(text); b.WriteByte('\n') }
	rule := func(ch string) { line(strings.Repeat(ch, receiptWidth)) }
	loc := h.Location
	if loc == nil {
		loc = time.UTC
	}
	line(center(h.StoreName))
	if h.StoreAddress != "" {
		line(center(h.StoreAddress))
	}
	if h.StorePhone != "" {
		line(center("电话 " + h.StorePhone))
	}
	if s.Status == "voided" {
		line(center("*** 已作废 VOID ***"))
	}
	rule("=")
	line(pair("单号 "+s.ReceiptNo, "收银机 "+h.RegisterCode))
	line(pair("时间 "+s.SoldAt.In(loc).Format("2006-01-02 15:04:05"), "收银员 "+h.CashierName))
	if s.Offline {
		line("离线销售 (offline)")
	}
	rule("-")
	for _, l := range s.Lines {
		line(clip(fmt.Sprintf("%d. %s", l.LineNo, l.Name), receiptWidth))
		line(pair("   "+qtyText(l.Qty, l.Weighed)+" x "+money.FormatYuan(l.UnitPrice), money.FormatYuan(l.Gross)))
		for _, a := range l.Allocations {
			if a.Amount == 0 {
				continue
			}
			line(pair("   "+clip(shortLabel(a), receiptWidth-16), "-"+money.FormatYuan(a.Amount)))
		}
	}
	rule("-")
	line(pair("商品合计", money.FormatYuan(s.Gross)))
	if s.Discount != 0 {
		line(pair("优惠", "-"+money.FormatYuan(s.Discount)))
	}
	if s.Rounding != 0 {
		line(pair("抹零", "-"+money.FormatYuan(s.Rounding)))
	}
	line(pair("应付", money.FormatYuan(s.Total)))
	for _, p := range s.Applied {
		line(clip("  "+p.Name, receiptWidth))
	}
	rule("-")
	for _, t := range s.Tenders {
		name := tenderNames[t.Method]
		if name == "" {
			name = t.Method
		}
		if t.Method == "cash" && t.Tendered > t.Amount {
			line(pair(name+" 实收", money.FormatYuan(t.Tendered)))
			continue
		}
		line(pair(name, money.FormatYuan(t.Amount)))
	}
	if s.ChangeGiven > 0 {
		line(pair("找零", money.FormatYuan(s.ChangeGiven)))
	}
	if h.MemberCard != "" {
		rule("-")
		line(pair("会员卡号", h.MemberCard))
		if s.PointsUsed > 0 {
			line(pair("本单使用积分", fmt.Sprint(s.PointsUsed)))
		}
		line(pair("本单获得积分", fmt.Sprint(s.PointsEarned)))
		if h.MemberPoints != nil {
			line(pair("积分余额", fmt.Sprint(*h.MemberPoints)))
		}
	}
	rule("=")
	if s.InvoiceURL != "" {
		line(center("扫码开具电子发票"))
		line("[QR] " + s.InvoiceURL)
	}
	if h.Footer != "" {
		for _, f := range strings.Split(h.Footer, "\n") {
			line(center(f))
		}
	}
	line(center("谢谢惠顾 Thank you"))
	return b.String()
}

func shortLabel(a Allocation) string {
	if a.Kind == "rounding" {
		return "抹零"
	}
	label, _, _ := strings.Cut(a.Label, "：")
	return label
}

func qtyText(qty int64, weighed bool) string {
	if weighed {
		return fmt.Sprintf("%d.%03dkg", qty/1000, qty%1000)
	}
	if qty%1000 == 0 {
		return fmt.Sprint(qty / 1000)
	}
	return strings.TrimRight(fmt.Sprintf("%d.%03d", qty/1000, qty%1000), "0")
}

// width is a string's printed columns: East Asian wide characters take two.
func width(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

func runeWidth(r rune) int {
	switch {
	case unicode.Is(unicode.Han, r), unicode.Is(unicode.Hiragana, r), unicode.Is(unicode.Katakana, r), unicode.Is(unicode.Hangul, r):
		return 2
	case r >= 0x3000 && r <= 0x303F, r >= 0xFF00 && r <= 0xFF60, r >= 0xFFE0 && r <= 0xFFE6:
		return 2 // CJK punctuation, full-width forms
	case unicode.IsControl(r):
		return 0
	}
	return 1
}

// clip cuts s to at most w columns.
func clip(s string, w int) string {
	n := 0
	for i, r := range s {
		rw := runeWidth(r)
		if n+rw > w {
			return s[:i]
		}
		n += rw
	}
	return s
}

// pair prints left and right on one line, right-aligned; a left part too
// long for both is clipped.
func pair(left, right string) string {
	room := receiptWidth - width(right) - 1
	if room < 1 {
		return clip(right, receiptWidth)
	}
	left = clip(left, room)
	return left + strings.Repeat(" ", receiptWidth-width(left)-width(right)) + right
}

func center(s string) string {
	s = clip(s, receiptWidth)
	pad := (receiptWidth - width(s)) / 2
	return strings.Repeat(" ", pad) + s
}

// Receipt is a sale's receipt as JSON (the sale) and as the text an 80 mm
// printer prints.
type Receipt struct {
	Sale Sale   `json:"sale"`
	Text string `json:"text"`
}

// Receipt renders a sale's receipt with its store, register, cashier and
// the member's points balance.
func (s *Service) Receipt(ctx context.Context, tenantID, storeID, saleID uuid.UUID) (Receipt, error) {
	var out Receipt
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		sale, err := s.namedSale(ctx, tenantID, storeID, saleID)
		if err != nil {
			return err
		}
		store, err := s.org.GetStore(ctx, tenantID, storeID)
		if err != nil {
			return err
		}
		facts, err := s.org.Store(ctx, tenantID, storeID)
		if err != nil {
			return err
		}
		settings, err := s.Settings(ctx, tenantID)
		if err != nil {
			return err
		}
		var register string
		if err := tenant.DB(ctx).Raw(`SELECT code FROM pos_registers WHERE tenant_id = ? AND id = ?`, tenantID, sale.RegisterID).Scan(&register).Error; err != nil {
			return err
		}
		h := ReceiptHeader{StoreName: store.Name, StoreAddress: store.Address, StorePhone: store.Phone, RegisterCode: register,
			CashierName: sale.CashierName, Location: facts.Location, Footer: settings.ReceiptFooter}
		if sale.MemberID != nil {
			m, err := s.members.Get(ctx, tenantID, *sale.MemberID, false)
			if err == nil {
				if m.Card != nil {
					h.MemberCard = m.Card.Number
				}
				h.MemberPoints = &m.Points
			}
		}
		out = Receipt{Sale: sale, Text: ReceiptText(sale, h)}
		return nil
	})
	return out, err
}
