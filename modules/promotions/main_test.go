package promotions_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/infra/doc"
	"chainstore/modules/promotions"
	"chainstore/tenant/org"
)

var env *apitest.Env

func TestMain(m *testing.M) { apitest.Main(m, "promotions", &env) }

func svc() *promotions.Service { return env.Server.Promotions }

// chain is a tenant with two direct stores and two franchisees with one
// franchise store each, and users of each kind.
type chain struct {
	*apitest.Tenant
	direct, direct2 uuid.UUID
	f1, f2          uuid.UUID // franchisees
	fs1, fs2        uuid.UUID // their stores
	marketing       *apitest.User
	franchisee1     *apitest.User
	franchisee2     *apitest.User
	cashier         *apitest.User // in the direct store
	cashierF1       *apitest.User // in fs1
}

func newChain(t *testing.T) *chain {
	t.Helper()
	tn := env.Signup(t)
	c := &chain{Tenant: tn}
	c.direct, c.direct2 = env.CreateStore(t, tn, nil), env.CreateStore(t, tn, nil)
	c.f1, c.f2 = env.CreateFranchisee(t, tn), env.CreateFranchisee(t, tn)
	c.fs1, c.fs2 = env.CreateStore(t, tn, &c.f1), env.CreateStore(t, tn, &c.f2)
	c.marketing = env.CreateUser(t, tn, "hq_marketing", nil, nil)
	c.franchisee1 = env.CreateUser(t, tn, "franchisee", nil, &c.f1)
	c.franchisee2 = env.CreateUser(t, tn, "franchisee", nil, &c.f2)
	c.cashier = env.CreateUser(t, tn, "cashier", &c.direct, nil)
	c.cashierF1 = env.CreateUser(t, tn, "cashier", &c.fs1, nil)
	return c
}

func (c *chain) facts(t *testing.T, store uuid.UUID) org.Facts {
	t.Helper()
	f, err := env.Server.Org.Store(context.Background(), c.ID, store)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func do(t *testing.T, method, path, token string, body any) *apitest.Response {
	t.Helper()
	return env.Do(t, apitest.Req{Method: method, Path: path, Token: token, Body: body})
}

func want(t *testing.T, r *apitest.Response, status int, code string) {
	t.Helper()
	if r.Status != status || (code != "" && r.Code() != code) {
		t.Fatalf("got %d %s, want %d %s", r.Status, r.Body, status, code)
	}
}

// create posts a promotion and returns it (201 expected).
func create(t *testing.T, token string, body map[string]any) promotions.Definition {
	t.Helper()
	r := do(t, http.MethodPost, "/api/v1/promotions", token, body)
	want(t, r, 201, "")
	var d promotions.Definition
	r.JSON(t, &d)
	return d
}

func activate(t *testing.T, token string, id uuid.UUID) {
	t.Helper()
	want(t, do(t, http.MethodPost, "/api/v1/promotions/"+id.String()+"/activate", token, nil), 200, "")
}

// active creates and activates a promotion as the chain's admin.
func (c *chain) active(t *testing.T, body map[string]any) promotions.Definition {
	t.Helper()
	d := create(t, c.AdminToken, body)
	activate(t, c.AdminToken, d.ID)
	return d
}

func spend(name string, threshold, off int64) map[string]any {
	return map[string]any{"name": name, "kind": "spend_amount_off", "rule": map[string]any{"steps": []any{map[string]any{"threshold": threshold, "off": off}}}}
}

func with(body map[string]any, kv ...any) map[string]any {
	out := map[string]any{}
	for k, v := range body {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

func (c *chain) settings(t *testing.T, own bool, maxOff int, optOut bool) {
	t.Helper()
	want(t, do(t, http.MethodPut, "/api/v1/promotion-settings", c.AdminToken,
		map[string]any{"franchise_promotions": own, "franchise_max_off_bp": maxOff, "franchise_opt_out": optOut}), 200, "")
}

// inForce is what the tills of a store see now.
func (c *chain) inForce(t *testing.T, s *promotions.Service, store uuid.UUID, at time.Time) map[uuid.UUID]promotions.Promotion {
	t.Helper()
	ps, err := s.InForce(context.Background(), c.ID, c.facts(t, store), at)
	if err != nil {
		t.Fatal(err)
	}
	out := map[uuid.UUID]promotions.Promotion{}
	for _, p := range ps {
		out[p.ID] = p
	}
	return out
}

var phoneSeq int

func (c *chain) member(t *testing.T) uuid.UUID {
	t.Helper()
	phoneSeq++
	r := do(t, http.MethodPost, "/api/v1/members", c.AdminToken, map[string]any{
		"name": "会员", "phone": fmt.Sprintf("137%04d%04d", time.Now().UnixNano()%10000, phoneSeq)})
	want(t, r, 201, "")
	var m struct{ ID uuid.UUID }
	r.JSON(t, &m)
	return m.ID
}

// sale is a one-line cart of qty thousandths that applied the given
// promotions (and coupons) with these discounts.
type applied struct {
	promotion uuid.UUID
	coupon    *uuid.UUID
	discount  int64
}

func consumption(store uuid.UUID, member *uuid.UUID, qty int64, apps ...applied) promotions.Consumption {
	in := promotions.Consumption{Doc: doc.Of(doc.Sale, uuid.Must(uuid.NewV7())), BusinessDate: time.Now().UTC(),
		Sale: promotions.Sale{StoreID: store, Local: time.Now(), Customer: promotions.Customer{MemberID: member},
			Lines: []promotions.Line{{Index: 0, SKUID: uuid.New(), Qty: qty, UnitPrice: 100000}}}}
	line := promotions.PricedLine{Index: 0}
	for _, a := range apps {
		pid := a.promotion
		in.Result.Applied = append(in.Result.Applied, promotions.Applied{PromotionID: pid, CouponID: a.coupon, Discount: a.discount})
		line.Discounts = append(line.Discounts, promotions.Allocation{PromotionID: &pid, CouponID: a.coupon, Amount: a.discount})
	}
	in.Result.Lines = []promotions.PricedLine{line}
	return in
}

func (c *chain) consume(in promotions.Consumption) (promotions.Consumed, error) {
	var out promotions.Consumed
	err := env.Server.Pool.WithTx(context.Background(), c.ID, func(ctx context.Context) error {
		var err error
		out, err = svc().Consume(ctx, c.ID, in)
		return err
	})
	return out, err
}

func (c *chain) release(sale, reversal doc.Source, share promotions.Share) (promotions.Released, error) {
	var out promotions.Released
	err := env.Server.Pool.WithTx(context.Background(), c.ID, func(ctx context.Context) error {
		var err error
		out, err = svc().Release(ctx, c.ID, sale, reversal, share)
		return err
	})
	return out, err
}

func (c *chain) spent(t *testing.T, id uuid.UUID) int64 {
	t.Helper()
	var n int64
	if err := env.Owner.QueryRow(`SELECT spent FROM promotions WHERE tenant_id = $1 AND id = $2`, c.ID, id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func (c *chain) ledger(t *testing.T, id uuid.UUID) (discount, charged int64) {
	t.Helper()
	if err := env.Owner.QueryRow(`SELECT coalesce(sum(discount), 0), coalesce(sum(budget_charged), 0) FROM promotion_usage
		WHERE tenant_id = $1 AND promotion_id = $2`, c.ID, id).Scan(&discount, &charged); err != nil {
		t.Fatal(err)
	}
	return discount, charged
}
