package pos_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"chainstore/api/apitest"
)

// Another chain's token sees none of a shop's POS, a cashier of another
// store of the same chain neither, and a till credential works only in
// its own store and register.
func TestPOSIsConfinedToTenantStoreAndRegister(t *testing.T) {
	s := newShop(t, env, 1)
	s.open(t, 0)
	sale := s.sell(t, map[string]any{"lines": lines(s.items)})
	var shiftID uuid.UUID
	if err := s.e.Owner.QueryRow(`SELECT id FROM pos_shifts WHERE tenant_id = $1`, s.ID).Scan(&shiftID); err != nil {
		t.Fatal(err)
	}
	other := newShop(t, env, 1)
	b := s.e.CreateStore(t, s.Tenant, nil)
	cashierB := s.e.CreateUser(t, s.Tenant, "cashier", &b, nil)
	managerB := s.e.CreateUser(t, s.Tenant, "store_manager", &b, nil)

	paths := []struct{ method, rest string }{
		{http.MethodGet, "/registers"},
		{http.MethodGet, "/registers/" + s.register.String()},
		{http.MethodGet, "/till"},
		{http.MethodGet, "/shifts"},
		{http.MethodGet, "/shifts/" + shiftID.String()},
		{http.MethodGet, "/shifts/" + shiftID.String() + "/report"},
		{http.MethodGet, "/day-end"},
		{http.MethodGet, "/sales"},
		{http.MethodGet, "/sales/" + sale.ID.String()},
		{http.MethodGet, "/sales/" + sale.ID.String() + "/receipt"},
		{http.MethodGet, "/receipts/" + sale.ReceiptNo},
		{http.MethodGet, "/offline-sales"},
		{http.MethodPost, "/carts/price"},
		{http.MethodPost, "/sales"},
		{http.MethodPost, "/returns"},
		{http.MethodPost, "/sales/" + sale.ID.String() + "/void"},
		{http.MethodGet, "/sales/" + sale.ID.String() + "/einvoices"},
		{http.MethodPost, "/registers"},
		{http.MethodPatch, "/registers/" + s.register.String()},
		{http.MethodPost, "/registers/" + s.register.String() + "/revoke"},
		{http.MethodPost, "/shifts"},
		{http.MethodPost, "/shifts/current/close"},
		{http.MethodPost, "/shifts/" + shiftID.String() + "/approve"},
		{http.MethodPost, "/payments"},
		{http.MethodGet, "/payments/" + newID().String()},
		{http.MethodPost, "/payments/" + newID().String() + "/cancel"},
		{http.MethodGet, "/returns/" + newID().String()},
		{http.MethodPost, "/offline-batches"},
		{http.MethodPost, "/offline-sales/" + sale.ID.String() + "/review"},
	}
	body := map[string]any{"id": newID(), "lines": lines(s.items), "tenders": []any{cash(1000, 0)}, "sale_id": sale.ID}
	for _, who := range []struct {
		name  string
		token string
	}{{"another chain's admin", other.AdminToken}, {"another chain's cashier", other.cashier.Token},
		{"a cashier of store B", cashierB.Token}, {"a manager of store B", managerB.Token}} {
		for _, p := range paths {
			var b any
			if p.method == http.MethodPost || p.method == http.MethodPatch {
				b = body
			}
			r := s.do(t, p.method, p.rest, who.token, b)
			if r.Status != 404 {
				t.Errorf("%s: %s %s → %d %s, want 404", who.name, p.method, p.rest, r.Status, r.Body)
			}
		}
	}
	// A sale of the chain is not found in its other store either.
	r := s.e.Do(t, apitest.Req{Method: http.MethodGet, Path: "/api/v1/stores/" + b.String() + "/pos/sales/" + sale.ID.String(), Token: s.AdminToken})
	want(t, r, 404, "pos.sale_not_found")
	// The till's credential in another store of the chain, or none: refused.
	r = s.e.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/stores/" + b.String() + "/pos/sales", Token: s.AdminToken,
		Body: map[string]any{"id": newID(), "lines": lines(s.items), "tenders": []any{cash(1000, 0)}}, Header: map[string]string{"X-Register-Token": s.device}})
	want(t, r, 401, "pos.register_unauthenticated")
	r = s.e.Do(t, apitest.Req{Method: http.MethodPost, Path: s.path("/sales"), Token: s.cashier.Token,
		Body: map[string]any{"id": newID(), "lines": lines(s.items), "tenders": []any{cash(1000, 0)}}})
	want(t, r, 401, "pos.register_unauthenticated")
	// The chain-wide sales list and dashboard show another chain nothing.
	r = s.e.Do(t, apitest.Req{Method: http.MethodGet, Path: "/api/v1/pos/sales", Token: other.AdminToken})
	want(t, r, 200, "")
	if strings.Contains(string(r.Body), sale.ID.String()) {
		t.Error("another chain lists the sale")
	}
	r = s.e.Do(t, apitest.Req{Method: http.MethodGet, Path: "/api/v1/dashboard?store_id=" + s.store.String(), Token: other.AdminToken})
	want(t, r, 404, "")
	// A revoked register sells no more.
	want(t, s.do(t, http.MethodPost, "/registers/"+s.register.String()+"/revoke", s.AdminToken, nil), 200, "")
	r = s.idem(t, http.MethodPost, "/sales", s.cashier.Token, uuid.NewString(), map[string]any{"id": newID(), "lines": lines(s.items), "tenders": []any{cash(1000, 0)}})
	want(t, r, 403, "pos.register_revoked")
}

// Bad carts and sales get a clear 4xx with their code and write nothing.
func TestBadCartsAndSalesAreRefusedWithTheirCode(t *testing.T) {
	s := newShop(t, env, 2)
	it := s.items[0]
	sale := func(extra map[string]any) map[string]any {
		b := map[string]any{"id": newID(), "lines": lines(s.items[:1]), "tenders": []any{cash(1000, 0)}}
		for k, v := range extra {
			b[k] = v
		}
		return b
	}
	want(t, s.idem(t, http.MethodPost, "/sales", s.cashier.Token, uuid.NewString(), sale(nil)), 409, "pos.shift_closed")
	s.open(t, 0)
	frozenID, frozenPhone := s.member(t)
	want(t, s.e.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/members/" + frozenID.String() + "/card/freeze", Token: s.AdminToken,
		Body: map[string]any{}}), 200, "")
	cases := []struct {
		name   string
		body   map[string]any
		status int
		code   string
	}{
		{"negative quantity", sale(map[string]any{"lines": []any{map[string]any{"sku_id": it.sku, "qty": -1000}}}), 422, "request.invalid"},
		{"huge quantity", sale(map[string]any{"lines": []any{map[string]any{"sku_id": it.sku, "qty": int64(1e12)}}}), 422, "request.invalid"},
		{"no lines", sale(map[string]any{"lines": []any{}}), 422, "request.invalid"},
		{"unknown SKU", sale(map[string]any{"lines": []any{map[string]any{"sku_id": uuid.New(), "qty": 1000}}}), 422, "pos.sku_not_found"},
		{"unknown barcode", sale(map[string]any{"lines": []any{map[string]any{"barcode": "6900000000000", "qty": 1000}}}), 422, "pos.sku_not_found"},
		{"frozen card", sale(map[string]any{"member": map[string]any{"phone": frozenPhone}}), 409, "pos.member_frozen"},
		{"unknown member", sale(map[string]any{"member": map[string]any{"phone": "13000000000"}}), 422, "pos.member_not_found"},
		{"unknown coupon", sale(map[string]any{"coupons": []string{"NOSUCHCOUPON"}}), 422, "pos.coupon_refused"},
		{"tenders short", sale(map[string]any{"tenders": []any{cash(999, 0)}}), 422, "pos.tenders_mismatch"},
		{"cash tendered below amount", sale(map[string]any{"tenders": []any{cash(1000, 500)}}), 422, "pos.tenders_mismatch"},
		{"unknown tender", sale(map[string]any{"tenders": []any{map[string]any{"method": "gold", "amount": 1000}}}), 422, "pos.tenders_mismatch"},
		{"external tender without payment", sale(map[string]any{"tenders": []any{map[string]any{"method": "wechat", "amount": 1000}}}), 422, "pos.tenders_mismatch"},
		{"a UUIDv4 sale id", sale(map[string]any{"id": uuid.New()}), 422, "pos.invalid_sale"},
		{"points without a member", sale(map[string]any{"points_to_use": 100}), 422, "pos.points_refused"},
		{"malformed id", sale(map[string]any{"id": "not-a-uuid"}), 422, ""},
	}
	for _, c := range cases {
		r := s.idem(t, http.MethodPost, "/sales", s.cashier.Token, uuid.NewString(), c.body)
		if r.Status != c.status || (c.code != "" && r.Code() != c.code) {
			t.Errorf("%s: %d %s, want %d %s", c.name, r.Status, r.Body, c.status, c.code)
		}
	}
	r := s.e.Do(t, apitest.Req{Method: http.MethodPost, Path: s.path("/sales"), Token: s.cashier.Token, RawBody: []byte(`{"lines": [`),
		Header: map[string]string{"X-Register-Token": s.device}})
	if r.Status != 400 {
		t.Errorf("broken JSON: %d %s", r.Status, r.Body)
	}
	if n := s.e.Count(t, `SELECT count(*) FROM pos_sales WHERE tenant_id = $1`, s.ID); n != 0 {
		t.Errorf("%d sales written by refused requests", n)
	}
	if n := s.e.Count(t, `SELECT count(*) FROM stock_movements WHERE tenant_id = $1 AND kind = 'sale'`, s.ID); n != 0 {
		t.Errorf("%d stock movements written by refused requests", n)
	}
	if n := s.e.Count(t, `SELECT count(*) FROM pos_registers WHERE tenant_id = $1 AND next_seq <> 1`, s.ID); n != 0 {
		t.Error("a refused sale used up a receipt number")
	}
}
