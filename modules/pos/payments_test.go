package pos_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/infra/payments/paytest"
	"chainstore/modules/pos"
)

// payEnv is a server whose tills take external payments through a fake
// gateway that gives up on an answer after 500 ms.
func payEnv(t testing.TB) (*paytest.Server, *apitest.Env) {
	t.Helper()
	pt := paytest.New(t)
	e := env.Another(t, map[string]string{"PAYMENTS_GATEWAY_URL": pt.URL, "PAYMENTS_MERCHANT_ID": pt.MerchantID,
		"PAYMENTS_KEY": pt.Key, "PAYMENTS_TIMEOUT": "500ms"})
	return pt, e
}

// scanPay asks for a scan-to-pay payment at the shop's till as the cashier.
func (s *shop) scanPay(t testing.TB, id uuid.UUID, method string, amount int64, code string) (*apitest.Response, pos.Payment) {
	t.Helper()
	r := s.do(t, http.MethodPost, "/payments", s.cashier.Token, map[string]any{"id": id, "method": method, "amount": amount, "auth_code": code})
	var p pos.Payment
	if r.Status < 300 {
		r.JSON(t, &p)
	}
	return r, p
}

func (s *shop) getPayment(t testing.TB, id uuid.UUID) pos.Payment {
	t.Helper()
	r := s.do(t, http.MethodGet, "/payments/"+id.String(), s.cashier.Token, nil)
	want(t, r, 200, "")
	var p pos.Payment
	r.JSON(t, &p)
	return p
}

func (s *shop) salesCount(t testing.TB) int {
	t.Helper()
	return s.e.Count(t, `SELECT count(*) FROM pos_sales WHERE tenant_id = $1`, s.ID)
}

func wechat(amount int64, payment uuid.UUID) map[string]any {
	return map[string]any{"method": "wechat", "amount": amount, "payment_id": payment}
}

// An approved scan-to-pay pays part of a sale, cash the rest; the payment
// serves one sale only; a declined payment, or one still pending, pays
// nothing and the sale it was named in leaves nothing behind.
func TestScanToPayInASplitTenderSale(t *testing.T) {
	pt, e := payEnv(t)
	s := newShop(t, e, 2)
	s.open(t, 0)
	body := func() map[string]any { return map[string]any{"lines": lines(s.items)} } // 10.00 + 20.00

	payID := newID()
	r, pay := s.scanPay(t, payID, "wechat", 2_000, paytest.Code(paytest.PrefixApproved))
	want(t, r, 201, "")
	if pay.Status != "approved" || pay.ID != payID || pay.ProviderRef == "" || pay.SaleID != nil || len(pay.CodeLast4) != 4 {
		t.Fatalf("approved payment %+v", pay)
	}
	if pt.Charges(payID) != 1 || pt.Charged(payID) != 2_000 {
		t.Fatalf("gateway charged %d times, %d fen", pt.Charges(payID), pt.Charged(payID))
	}
	b := body()
	b["tenders"] = []any{wechat(2_000, payID), cash(1_000, 5_000)}
	sale := s.sell(t, b)
	if sale.Total != 3_000 || sale.ChangeGiven != 4_000 || len(sale.Tenders) != 2 {
		t.Fatalf("split sale %+v", sale)
	}
	var tw *pos.SaleTender
	for i := range sale.Tenders {
		if sale.Tenders[i].Method == "wechat" {
			tw = &sale.Tenders[i]
		}
	}
	if tw == nil || tw.PaymentID == nil || *tw.PaymentID != payID || tw.Amount != 2_000 {
		t.Fatalf("wechat tender %+v", sale.Tenders)
	}
	if got := s.getPayment(t, payID); got.SaleID == nil || *got.SaleID != sale.ID {
		t.Errorf("payment after the sale: %+v", got)
	}

	// The same payment in another sale: refused, nothing written.
	before := s.salesCount(t)
	b = body()
	b["id"], b["tenders"] = newID(), []any{wechat(2_000, payID), cash(1_000, 0)}
	want(t, s.idem(t, http.MethodPost, "/sales", s.cashier.Token, uuid.NewString(), b), 409, "pos.payment_state")
	// Declined: 402 with the reason, and it pays no sale.
	declined := newID()
	r, _ = s.scanPay(t, declined, "wechat", 2_000, paytest.Code(paytest.PrefixInsufficientFunds))
	want(t, r, 402, "pos.payment_declined")
	if pt.Charges(declined) != 0 {
		t.Errorf("a declined payment was charged")
	}
	b = body()
	b["id"], b["tenders"] = newID(), []any{wechat(2_000, declined), cash(1_000, 0)}
	want(t, s.idem(t, http.MethodPost, "/sales", s.cashier.Token, uuid.NewString(), b), 409, "pos.payment_state")
	// Asked again, a declined payment stays declined and charges nothing.
	r, _ = s.scanPay(t, declined, "wechat", 2_000, paytest.Code(paytest.PrefixApproved))
	want(t, r, 402, "pos.payment_declined")
	// Pending (the customer still confirming in the wallet): no sale either.
	held := newID()
	r, _ = s.scanPay(t, held, "wechat", 2_000, paytest.Code(paytest.PrefixHeld))
	want(t, r, 202, "")
	b = body()
	b["id"], b["tenders"] = newID(), []any{wechat(2_000, held), cash(1_000, 0)}
	want(t, s.idem(t, http.MethodPost, "/sales", s.cashier.Token, uuid.NewString(), b), 409, "pos.payment_state")
	// An external tender without its payment, or of another amount.
	b = body()
	b["id"], b["tenders"] = newID(), []any{map[string]any{"method": "wechat", "amount": 3_000}}
	want(t, s.idem(t, http.MethodPost, "/sales", s.cashier.Token, uuid.NewString(), b), 422, "pos.tenders_mismatch")
	other := newID()
	r, _ = s.scanPay(t, other, "alipay", 1_500, paytest.Code(paytest.PrefixApproved))
	want(t, r, 201, "")
	b = body()
	b["id"], b["tenders"] = newID(), []any{map[string]any{"method": "alipay", "amount": 2_000, "payment_id": other}, cash(1_000, 0)}
	want(t, s.idem(t, http.MethodPost, "/sales", s.cashier.Token, uuid.NewString(), b), 409, "pos.payment_state")
	if got := s.getPayment(t, other); got.SaleID != nil || got.Status != "approved" {
		t.Errorf("a refused sale kept its claim on payment %+v", got)
	}
	if n := s.salesCount(t); n != before {
		t.Errorf("refused sales left %d rows", n-before)
	}
	if pt.Charges(payID) != 1 {
		t.Errorf("payment charged %d times", pt.Charges(payID))
	}
	// A payment id is the till's UUIDv7, and scan-to-pay needs the code.
	r, _ = s.scanPay(t, uuid.New(), "wechat", 100, paytest.Code(paytest.PrefixApproved))
	want(t, r, 422, "pos.invalid_payment")
	r, _ = s.scanPay(t, newID(), "wechat", 100, "")
	want(t, r, 422, "pos.invalid_payment")
	checkMoney(t, s)
}

// A payment whose answer is lost, or comes after the till's timeout, is
// pending until the query settles it: approved, charged once, however
// often the till asks again.
func TestLostAndSlowPaymentAnswersAreSettledByQuery(t *testing.T) {
	pt, e := payEnv(t)
	s := newShop(t, e, 1)
	s.open(t, 0)

	for _, c := range []struct {
		name   string
		prefix string
	}{{"lost", paytest.PrefixLost}, {"slow", paytest.PrefixSlow}} {
		id := newID()
		code := paytest.Code(c.prefix)
		r, p := s.scanPay(t, id, "wechat", 1_000, code)
		want(t, r, 202, "")
		if p.Status != "pending" || p.ID != id {
			t.Fatalf("%s: answered %+v", c.name, p)
		}
		if pt.Charges(id) != 1 {
			t.Fatalf("%s: the gateway charged %d times before the answer", c.name, pt.Charges(id))
		}
		got := s.getPayment(t, id)
		if got.Status != "approved" || got.ProviderRef == "" {
			t.Fatalf("%s: query settled %+v", c.name, got)
		}
		// The till retrying the same payment: the recorded one, not a charge.
		for i := 0; i < 2; i++ {
			r, p = s.scanPay(t, id, "wechat", 1_000, code)
			want(t, r, 201, "")
			if p.Status != "approved" {
				t.Fatalf("%s: retry %d answered %+v", c.name, i, p)
			}
		}
		if pt.Charges(id) != 1 || pt.PayCalls(id) != 1 || pt.Charged(id) != 1_000 {
			t.Errorf("%s: charged %d times (%d pay calls, %d fen)", c.name, pt.Charges(id), pt.PayCalls(id), pt.Charged(id))
		}
		// The same id for another amount is refused, not charged.
		r, _ = s.scanPay(t, id, "wechat", 1_001, code)
		want(t, r, 422, "pos.invalid_payment")
		// And it pays a sale.
		sale := s.sell(t, map[string]any{"lines": lines(s.items), "tenders": []any{wechat(1_000, id)}})
		if sale.Total != 1_000 {
			t.Errorf("%s: sale %+v", c.name, sale)
		}
	}
	// A pending payment the till retries before querying is settled by
	// the retry, with no second charge.
	id := newID()
	code := paytest.Code(paytest.PrefixLost)
	r, _ := s.scanPay(t, id, "alipay", 500, code)
	want(t, r, 202, "")
	r, p := s.scanPay(t, id, "alipay", 500, code)
	want(t, r, 201, "")
	if p.Status != "approved" || pt.Charges(id) != 1 || pt.PayCalls(id) != 1 {
		t.Errorf("retried lost payment %+v: %d charges, %d pay calls", p, pt.Charges(id), pt.PayCalls(id))
	}
	checkMoney(t, s)
}

// A return of part of a sale paid by WeChat and cash gives the WeChat
// share back through the gateway, after the return commits, once; the
// rest of the sale returned later gives back the rest, never more than
// was charged.
func TestAReturnRefundsTheWeChatTenderAtTheGateway(t *testing.T) {
	pt, e := payEnv(t)
	s := newShop(t, e, 2)
	s.open(t, 0)
	payID := newID()
	r, _ := s.scanPay(t, payID, "wechat", 2_000, paytest.Code(paytest.PrefixApproved))
	want(t, r, 201, "")
	sale := s.sell(t, map[string]any{"lines": lines(s.items), "tenders": []any{wechat(2_000, payID), cash(1_000, 0)}})

	settle := func() {
		t.Helper()
		if _, err := e.Server.POS.SettleRefunds(context.Background(), s.ID); err != nil {
			t.Fatalf("settle refunds: %v", err)
		}
	}
	// Line 2 (20.00): refunded 2:1 over wechat and cash.
	r = s.idem(t, http.MethodPost, "/returns", s.cashier.Token, uuid.NewString(), map[string]any{"id": newID(), "sale_id": sale.ID,
		"lines": []any{map[string]any{"line_no": 2, "qty": 1000}}})
	want(t, r, 201, "")
	var ret pos.Return
	r.JSON(t, &ret)
	var wx pos.ReturnTender
	var sum int64
	for _, rt := range ret.Tenders {
		sum += rt.Amount
		if rt.Method == "wechat" {
			wx = rt
		}
	}
	if ret.RefundTotal != 2_000 || sum != 2_000 || wx.PaymentID == nil || *wx.PaymentID != payID || wx.Amount < 1_333 || wx.Amount > 1_334 {
		t.Fatalf("return %+v", ret)
	}
	if pt.Refunded(payID) == 0 {
		t.Log("the refund was not asked after the commit; settling it as the job does")
		settle()
	}
	if got := pt.Refunded(payID); got != wx.Amount {
		t.Fatalf("gateway refunded %d, the return gives back %d by wechat", got, wx.Amount)
	}
	settle() // nothing pending: no second refund
	if got := pt.Refunded(payID); got != wx.Amount {
		t.Errorf("settling again refunded %d in all", got)
	}
	r = s.do(t, http.MethodGet, "/returns/"+ret.ID.String(), s.cashier.Token, nil)
	want(t, r, 200, "")
	var stored pos.Return
	r.JSON(t, &stored)
	for _, rt := range stored.Tenders {
		if rt.Method == "wechat" && rt.Status != "done" {
			t.Errorf("wechat refund %+v after the gateway refunded it", rt)
		}
	}
	if p := s.getPayment(t, payID); p.Refunded != wx.Amount {
		t.Errorf("payment records %d refunded, want %d", p.Refunded, wx.Amount)
	}
	// The rest of the sale: wechat gets the rest of its 20.00 back.
	want(t, s.idem(t, http.MethodPost, "/returns", s.cashier.Token, uuid.NewString(), map[string]any{"id": newID(), "sale_id": sale.ID}), 201, "")
	if pt.Refunded(payID) != 2_000 {
		settle()
	}
	if got := pt.Refunded(payID); got != 2_000 {
		t.Errorf("after the whole sale returned the gateway refunded %d of 2000", got)
	}
	if p := s.getPayment(t, payID); p.Refunded != 2_000 {
		t.Errorf("payment records %d refunded, want 2000", p.Refunded)
	}
	if n := s.e.Count(t, `SELECT count(*) FROM pos_return_tenders WHERE tenant_id = $1 AND status <> 'done'`, s.ID); n != 0 {
		t.Errorf("%d return tenders not done", n)
	}
	checkMoney(t, s)
}

// A payment the gateway refuses outright (here: an unknown merchant)
// charged nothing: the till hears it declined at once rather than
// querying a payment that never was.
func TestAPaymentTheGatewayRefusesIsDeclined(t *testing.T) {
	pt := paytest.New(t)
	e := env.Another(t, map[string]string{"PAYMENTS_GATEWAY_URL": pt.URL, "PAYMENTS_MERCHANT_ID": "m-unknown",
		"PAYMENTS_KEY": pt.Key, "PAYMENTS_TIMEOUT": "500ms"})
	s := newShop(t, e, 1)
	s.open(t, 0)
	id := newID()
	r, _ := s.scanPay(t, id, "wechat", 1_000, paytest.Code(paytest.PrefixApproved))
	want(t, r, 402, "pos.payment_declined")
	if pt.Rejected() != 1 || pt.Charges(id) != 0 {
		t.Errorf("gateway rejected %d requests, charged %d", pt.Rejected(), pt.Charges(id))
	}
	if p := s.getPayment(t, id); p.Status != "declined" {
		t.Errorf("recorded %+v", p)
	}
	want(t, s.idem(t, http.MethodPost, "/sales", s.cashier.Token, uuid.NewString(), map[string]any{"id": newID(),
		"lines": lines(s.items), "tenders": []any{wechat(1_000, id)}}), 409, "pos.payment_state")
}
