package pos_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"testing"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/modules/catalog"
	"chainstore/modules/inventory"
	"chainstore/modules/pos"
	"chainstore/tenant"
)

var env *apitest.Env

func TestMain(m *testing.M) { apitest.Main(m, "pos", &env) }

func svc() *pos.Service { return env.Server.POS }

func newID() uuid.UUID { return uuid.Must(uuid.NewV7()) }

// shop is a chain with one direct store, a registered till in it, a
// cashier and a manager of that store, and items on the shelf.
type shop struct {
	*apitest.Tenant
	e        *apitest.Env
	store    uuid.UUID
	cashier  *apitest.User
	manager  *apitest.User
	register uuid.UUID
	device   string // the till's X-Register-Token
	items    []item
	category uuid.UUID
	unit     uuid.UUID
	kg       uuid.UUID
}

type item struct {
	sku     uuid.UUID
	barcode string
	price   int64
	member  *int64
}

// newShop builds a shop on env e with n items priced 10.00, 20.00, …
// (members pay 0.50 less on the even ones) and 100 of each in stock.
func newShop(t testing.TB, e *apitest.Env, n int) *shop {
	t.Helper()
	tn := e.Signup(t)
	s := &shop{Tenant: tn, e: e}
	s.store = e.CreateStore(t, tn, nil)
	s.cashier = e.CreateUser(t, tn, "cashier", &s.store, nil)
	s.manager = e.CreateUser(t, tn, "store_manager", &s.store, nil)
	if err := e.Owner.QueryRow(`SELECT id FROM categories WHERE tenant_id = $1 AND code = 'FOOD'`, tn.ID).Scan(&s.category); err != nil {
		t.Fatal(err)
	}
	if err := e.Owner.QueryRow(`SELECT id FROM units WHERE tenant_id = $1 AND code = 'ge'`, tn.ID).Scan(&s.unit); err != nil {
		t.Fatal(err)
	}
	if err := e.Owner.QueryRow(`SELECT id FROM units WHERE tenant_id = $1 AND code = 'kg'`, tn.ID).Scan(&s.kg); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		price := int64(1000 * (i + 1))
		var member *int64
		if i%2 == 1 {
			m := price - 50
			member = &m
		}
		s.items = append(s.items, s.product(t, fmt.Sprintf("商品%d", i+1), price, member, 100_000))
	}
	reg := s.do(t, http.MethodPost, "/registers", s.AdminToken, map[string]any{"code": "T01", "name": "一号收银机", "offline_allowed": true})
	want(t, reg, 201, "")
	var created pos.RegisterCreated
	reg.JSON(t, &created)
	s.register, s.device = created.ID, created.DeviceToken
	return s
}

// product creates a one-SKU product with a barcode and a price, and puts
// stock of it (thousandths) on the store's shelf at cost 60% of price.
func (s *shop) product(t testing.TB, name string, price int64, member *int64, stock int64) item {
	t.Helper()
	barcode := ean13(fmt.Sprintf("69%010d", rand.Int64N(1e10)))
	prices := map[string]any{"list": price}
	if member != nil {
		prices["member"] = *member
	}
	code := s.e.Unique("P")
	r := s.e.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/catalog/products", Token: s.AdminToken, Body: map[string]any{
		"code": code, "name": name, "category_id": s.category, "unit_id": s.unit,
		"skus": []any{map[string]any{"code": code, "name": name, "barcodes": []string{barcode}, "prices": prices}}}})
	want(t, r, 201, "")
	var p struct{ SKUs []struct{ ID uuid.UUID } }
	r.JSON(t, &p)
	it := item{sku: p.SKUs[0].ID, barcode: barcode, price: price, member: member}
	if stock > 0 {
		s.receive(t, it.sku, stock, price*6/10)
	}
	return it
}

func (s *shop) receive(t testing.TB, sku uuid.UUID, qty, unitCost int64) {
	t.Helper()
	admin := &tenant.Principal{TenantID: s.ID, UserID: s.AdminID}
	err := s.e.Server.Pool.WithTx(tenant.WithPrincipal(context.Background(), admin), s.ID, func(ctx context.Context) error {
		_, err := s.e.Server.Inventory.ApplyManual(ctx, admin, inventory.ManualMovementInput{StoreID: s.store, Kind: "receipt",
			Lines: []inventory.ManualMovementLine{{SKUID: sku, Qty: qty, UnitCost: &unitCost}}})
		return err
	})
	if err != nil {
		t.Fatalf("receive: %v", err)
	}
}

// path is a store POS path.
func (s *shop) path(rest string) string { return "/api/v1/stores/" + s.store.String() + "/pos" + rest }

// do calls a store POS route as token, from the shop's till.
func (s *shop) do(t testing.TB, method, rest, token string, body any) *apitest.Response {
	t.Helper()
	return s.e.Do(t, apitest.Req{Method: method, Path: s.path(rest), Token: token, Body: body,
		Header: map[string]string{pos.RegisterHeader: s.device}})
}

// idem is do with an Idempotency-Key.
func (s *shop) idem(t testing.TB, method, rest, token, key string, body any) *apitest.Response {
	t.Helper()
	return s.e.Do(t, apitest.Req{Method: method, Path: s.path(rest), Token: token, Body: body,
		Header: map[string]string{pos.RegisterHeader: s.device, "Idempotency-Key": key}})
}

// open opens the cashier's shift with a float.
func (s *shop) open(t testing.TB, float int64) pos.Shift {
	t.Helper()
	r := s.do(t, http.MethodPost, "/shifts", s.cashier.Token, map[string]any{"opening_float": float})
	want(t, r, 201, "")
	var sh pos.Shift
	r.JSON(t, &sh)
	return sh
}

// lines is a cart body of (item, qty in units).
func lines(its []item, qty ...int64) []map[string]any {
	out := make([]map[string]any, len(its))
	for i, it := range its {
		q := int64(1)
		if i < len(qty) {
			q = qty[i]
		}
		out[i] = map[string]any{"sku_id": it.sku, "qty": q * 1000}
	}
	return out
}

func cash(amount, tendered int64) map[string]any {
	return map[string]any{"method": "cash", "amount": amount, "tendered": tendered}
}

// price prices a cart as the cashier.
func (s *shop) price(t testing.TB, body map[string]any) pos.PricedCart {
	t.Helper()
	r := s.do(t, http.MethodPost, "/carts/price", s.cashier.Token, body)
	want(t, r, 200, "")
	var c pos.PricedCart
	r.JSON(t, &c)
	return c
}

// sell makes a sale as the cashier: the cart priced first, then paid in
// cash exactly (when no tenders are given).
func (s *shop) sell(t testing.TB, body map[string]any) pos.Sale {
	t.Helper()
	if _, ok := body["tenders"]; !ok {
		c := s.price(t, body)
		body["tenders"] = []any{cash(c.Payable, 0)}
	}
	if _, ok := body["id"]; !ok {
		body["id"] = newID()
	}
	r := s.idem(t, http.MethodPost, "/sales", s.cashier.Token, uuid.NewString(), body)
	want(t, r, 201, "")
	var sale pos.Sale
	r.JSON(t, &sale)
	return sale
}

func want(t testing.TB, r *apitest.Response, status int, code string) {
	t.Helper()
	if r.Status != status || (code != "" && r.Code() != code) {
		t.Fatalf("got %d %s, want %d %s", r.Status, r.Body, status, code)
	}
}

func ean13(twelve string) string { return twelve + string(catalog.CheckDigit(twelve)) }

func ptr[T any](v T) *T { return &v }
