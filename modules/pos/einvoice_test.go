package pos_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/infra/einvoice/einvoicetest"
	"chainstore/modules/pos"
)

const (
	sellerTaxID = "91350100M000100Y43"
	buyerTaxID  = "9144030071526726XG"
)

// askInvoice is the customer's request from the receipt's link (public).
func askInvoice(t testing.TB, e *apitest.Env, link, title, taxID string) *apitest.Response {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatalf("invoice link %q: %v", link, err)
	}
	q := u.Query()
	return e.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/einvoice-requests", Body: map[string]any{
		"tenant_id": q.Get("tenant"), "sale_id": q.Get("sale"), "token": q.Get("t"), "title": title, "tax_id": taxID}})
}

func (s *shop) saleInvoices(t testing.TB, sale uuid.UUID) []pos.Invoice {
	t.Helper()
	r := s.do(t, http.MethodGet, "/sales/"+sale.String()+"/einvoices", s.cashier.Token, nil)
	want(t, r, 200, "")
	var out struct{ Data []pos.Invoice }
	r.JSON(t, &out)
	return out.Data
}

// The receipt's link lets the customer ask for the sale's fapiao, once;
// a wrong token finds nothing; a return issues the red-letter invoice
// that reverses what it gave back.
func TestASaleGetsItsInvoiceOnceAndAReturnReversesIt(t *testing.T) {
	ei := einvoicetest.New(t)
	e := env.Another(t, map[string]string{"EINVOICE_URL": ei.URL, "EINVOICE_KEY": ei.Key})
	s := newShop(t, e, 2)
	s.open(t, 0)
	sale := s.sell(t, map[string]any{"lines": lines(s.items, 2, 1)}) // 2 × 10.00 + 20.00
	u, err := url.Parse(sale.InvoiceURL)
	if err != nil || u.Query().Get("tenant") != s.ID.String() || u.Query().Get("sale") != sale.ID.String() || u.Query().Get("t") == "" {
		t.Fatalf("invoice link %q", sale.InvoiceURL)
	}
	// Without the chain's seller tax id there is no fapiao.
	want(t, askInvoice(t, e, sale.InvoiceURL, "个人", ""), 503, "pos.einvoice_not_configured")
	want(t, e.Do(t, apitest.Req{Method: http.MethodPut, Path: "/api/v1/pos/settings", Token: s.AdminToken, Body: map[string]any{
		"rounding": "fen", "variance_tolerance": 1000, "return_approval_limit": 20000, "seller_name": "福州测试超市有限公司", "seller_tax_id": sellerTaxID}}), 200, "")

	// A wrong token, another sale's, another chain's: not found.
	q := u.Query()
	bad := func(tenantID, saleID, token string) *apitest.Response {
		return e.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/einvoice-requests", Body: map[string]any{
			"tenant_id": tenantID, "sale_id": saleID, "token": token, "title": "腾讯科技（深圳）有限公司", "tax_id": buyerTaxID}})
	}
	want(t, bad(q.Get("tenant"), q.Get("sale"), "AAAAAAAAAAAAAAAAAAAAAA"), 404, "pos.einvoice_not_found")
	want(t, bad(q.Get("tenant"), q.Get("sale"), "not base64!"), 404, "pos.einvoice_not_found")
	want(t, bad(uuid.NewString(), q.Get("sale"), q.Get("t")), 404, "pos.einvoice_not_found")
	want(t, bad(q.Get("tenant"), newID().String(), q.Get("t")), 404, "pos.einvoice_not_found")
	want(t, askInvoice(t, e, sale.InvoiceURL, "腾讯科技（深圳）有限公司", "91350100M000100Y44"), 422, "pos.invalid_einvoice")
	if ei.Count() != 0 {
		t.Fatalf("refused requests issued %d invoices", ei.Count())
	}

	r := askInvoice(t, e, sale.InvoiceURL, "腾讯科技（深圳）有限公司", buyerTaxID)
	want(t, r, 201, "")
	var blue pos.Invoice
	r.JSON(t, &blue)
	if blue.Status != "issued" || blue.Kind != "blue" || blue.Total != 4_000 || blue.Number == "" || blue.SaleID != sale.ID ||
		blue.BuyerTaxID != buyerTaxID || blue.IssuedAt == nil {
		t.Fatalf("blue invoice %+v", blue)
	}
	if got, ok := ei.Invoice(blue.ID); !ok || got.Total != 4_000 || ei.Issued(blue.ID) != 1 {
		t.Fatalf("provider has %+v", got)
	}
	// Asked again (another title even): the same invoice, not a second one.
	r = askInvoice(t, e, sale.InvoiceURL, "个人", "")
	if r.Status != 201 && r.Code() != "pos.einvoice_exists" {
		t.Fatalf("second request: %d %s", r.Status, r.Body)
	}
	if r.Status == 201 {
		var again pos.Invoice
		r.JSON(t, &again)
		if again.ID != blue.ID || again.Number != blue.Number || again.BuyerTaxID != buyerTaxID {
			t.Errorf("second request answered %+v, first %+v", again, blue)
		}
	}
	if ei.Count() != 1 || ei.Calls(blue.ID) != 1 {
		t.Errorf("provider issued %d invoices, %d calls for the blue one", ei.Count(), ei.Calls(blue.ID))
	}

	// Return one of the two 10.00 units: a red invoice of −10.00.
	r = s.idem(t, http.MethodPost, "/returns", s.cashier.Token, uuid.NewString(), map[string]any{"id": newID(), "sale_id": sale.ID,
		"lines": []any{map[string]any{"line_no": 1, "qty": 1000}}})
	want(t, r, 201, "")
	var ret pos.Return
	r.JSON(t, &ret)
	if got := ei.Reversed(blue.ID); got != ret.RefundTotal || got != 1_000 {
		t.Errorf("red invoices reverse %d, the return refunded %d", got, ret.RefundTotal)
	}
	invs := s.saleInvoices(t, sale.ID)
	if len(invs) != 2 || invs[0].ID != blue.ID || invs[1].Kind != "red" || invs[1].Total != -1_000 || invs[1].Status != "issued" ||
		invs[1].ReturnID == nil || *invs[1].ReturnID != ret.ID || invs[1].BuyerTaxID != buyerTaxID {
		t.Fatalf("sale invoices %+v", invs)
	}
	// The rest returned: the blue invoice is reversed whole, never beyond.
	want(t, s.idem(t, http.MethodPost, "/returns", s.cashier.Token, uuid.NewString(), map[string]any{"id": newID(), "sale_id": sale.ID}), 201, "")
	if got := ei.Reversed(blue.ID); got != 4_000 {
		t.Errorf("after the whole sale returned red invoices reverse %d of 4000", got)
	}
	if invs = s.saleInvoices(t, sale.ID); len(invs) != 3 {
		t.Errorf("sale invoices %+v", invs)
	}

	// A sale returned before its fapiao is asked for is invoiced for what
	// is left of it.
	other := s.sell(t, map[string]any{"lines": lines(s.items, 1, 1)})
	want(t, s.idem(t, http.MethodPost, "/returns", s.cashier.Token, uuid.NewString(), map[string]any{"id": newID(), "sale_id": other.ID,
		"lines": []any{map[string]any{"line_no": 2, "qty": 1000}}}), 201, "")
	r = askInvoice(t, e, other.InvoiceURL, "个人", "")
	want(t, r, 201, "")
	var part pos.Invoice
	r.JSON(t, &part)
	if part.Total != 1_000 || part.Status != "issued" {
		t.Errorf("invoice of a part-returned sale %+v", part)
	}
	// The bureau refuses an invoice: the customer may ask again, with the
	// buyer corrected, and gets it.
	third := s.sell(t, map[string]any{"lines": lines(s.items[:1])})
	ei.Fail("购买方纳税人识别号不存在")
	r = askInvoice(t, e, third.InvoiceURL, "腾讯科技（深圳）有限公司", buyerTaxID)
	want(t, r, 201, "")
	var failed pos.Invoice
	r.JSON(t, &failed)
	if failed.Status != "failed" || failed.Error == "" || failed.Number != "" {
		t.Fatalf("a refused invoice %+v", failed)
	}
	ei.Fail("")
	r = askInvoice(t, e, third.InvoiceURL, "深圳市腾讯计算机系统有限公司", "91440300708461136T")
	want(t, r, 201, "")
	var retried pos.Invoice
	r.JSON(t, &retried)
	if retried.Status != "issued" || retried.Number == "" || retried.BuyerTaxID != "91440300708461136T" || retried.Total != 1_000 {
		t.Errorf("asked again after a refusal: %+v", retried)
	}
	if invs := s.saleInvoices(t, third.ID); len(invs) != 1 || invs[0].Status != "issued" {
		t.Errorf("invoices of the sale %+v", invs)
	}
	// Another store's cashier does not list a sale's invoices.
	b := s.e.CreateStore(t, s.Tenant, nil)
	cashierB := s.e.CreateUser(t, s.Tenant, "cashier", &b, nil)
	if r := s.do(t, http.MethodGet, "/sales/"+sale.ID.String()+"/einvoices", cashierB.Token, nil); r.Status != 404 {
		t.Errorf("another store's cashier: %d", r.Status)
	}
	checkMoney(t, s)
}
