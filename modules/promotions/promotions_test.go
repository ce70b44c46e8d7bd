package promotions_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/modules/promotions"
)

func TestCreateGetUpdateDeletePromotion(t *testing.T) {
	c := newChain(t)
	cat := uuid.New()
	d := create(t, c.marketing.Token, map[string]any{
		"name": "饮料第二件半价", "name_en": "Second drink half price", "kind": "nth_item", "priority": 5, "group": "drinks",
		"items": map[string]any{"categories": []string{cat.String()}}, "rule": map[string]any{"n": 2, "off_bp": 5000},
		"window": map[string]any{"starts": "2026-03-01T00:00:00+08:00", "weekdays": []int{6, 0}, "times": []any{map[string]any{"from": 600, "to": 1320}}},
		"budget": 500000, "per_member_limit": 2,
	})
	if d.Status != "draft" || d.Owner != "hq" || d.FranchiseeID != nil || d.Kind != promotions.KindNthItem || d.Rule.N != 2 ||
		d.Rule.OffBP != 5000 || d.Items.Categories[0] != cat || *d.Budget != 500000 || *d.PerMemberLimit != 2 || d.Stores.Scope != "all" ||
		d.Window.Starts == nil || !d.Window.Starts.Equal(time.Date(2026, 2, 28, 16, 0, 0, 0, time.UTC)) || d.Window.Ends != nil ||
		len(d.Window.Weekdays) != 2 || d.CreatedBy == nil || *d.CreatedBy != c.marketing.ID {
		t.Fatalf("created %+v", d)
	}
	path := "/api/v1/promotions/" + d.ID.String()
	var got promotions.Definition
	r := do(t, http.MethodGet, path, c.cashier.Token, nil) // a cashier reads what covers their store
	want(t, r, 200, "")
	r.JSON(t, &got)
	if got.ID != d.ID || got.Name != "饮料第二件半价" {
		t.Fatalf("got %+v", got)
	}
	r = do(t, http.MethodPatch, path, c.marketing.Token, map[string]any{"rule": map[string]any{"n": 3, "off_bp": 10000}, "clear_budget": true, "name": "第三件免费"})
	want(t, r, 200, "")
	r.JSON(t, &got)
	if got.Rule.N != 3 || got.Rule.OffBP != 10000 || got.Budget != nil || got.Name != "第三件免费" || got.Group != "drinks" || *got.PerMemberLimit != 2 {
		t.Fatalf("patched %+v", got)
	}
	// A PATCH is validated whole: every bad field at once, nothing written.
	r = do(t, http.MethodPatch, path, c.marketing.Token, map[string]any{"rule": map[string]any{"n": 1, "off_bp": 5000}, "priority": 99999, "name": ""})
	want(t, r, 422, "request.invalid")
	r = do(t, http.MethodPatch, path, c.marketing.Token, map[string]any{"rule": map[string]any{"n": 1, "off_bp": 5000}})
	want(t, r, 422, "promotions.invalid")
	if !strings.Contains(string(r.Body), "rule.n") {
		t.Fatalf("no rule.n in %s", r.Body)
	}
	// A cashier cannot change it; HQ cannot delete it once it ran.
	want(t, do(t, http.MethodPatch, path, c.cashier.Token, map[string]any{"name": "x"}), 403, "auth.forbidden")
	activate(t, c.marketing.Token, d.ID)
	want(t, do(t, http.MethodDelete, path, c.marketing.Token, nil), 409, "promotions.state")
	want(t, do(t, http.MethodPost, path+"/pause", c.marketing.Token, nil), 200, "")
	want(t, do(t, http.MethodPost, path+"/pause", c.marketing.Token, nil), 200, "") // again: a no-op
	want(t, do(t, http.MethodPost, path+"/end", c.marketing.Token, nil), 200, "")
	want(t, do(t, http.MethodPost, path+"/activate", c.marketing.Token, nil), 409, "promotions.state")
	want(t, do(t, http.MethodPatch, path, c.marketing.Token, map[string]any{"name": "x"}), 409, "promotions.state")
	// A draft can be deleted.
	draft := create(t, c.AdminToken, spend("满100减20", 10000, 2000))
	want(t, do(t, http.MethodDelete, "/api/v1/promotions/"+draft.ID.String(), c.AdminToken, nil), 204, "")
	want(t, do(t, http.MethodGet, "/api/v1/promotions/"+draft.ID.String(), c.AdminToken, nil), 404, "promotions.not_found")
}

func TestCreatePromotion422ListsEveryField(t *testing.T) {
	c := newChain(t)
	before := env.Count(t, `SELECT count(*) FROM promotions WHERE tenant_id = $1`, c.ID)
	for name, tc := range map[string]struct {
		body   map[string]any
		code   string
		fields []string
	}{
		"tags":        {map[string]any{"kind": "percent_off", "priority": 5000, "budget": 0}, "request.invalid", []string{"name", "priority", "budget"}},
		"engine":      {map[string]any{"name": "x", "kind": "percent_off", "rule": map[string]any{"off_bp": 10001}}, "promotions.invalid", []string{"rule.off_bp"}},
		"coupon kind": {map[string]any{"name": "x", "kind": "coupon_amount", "rule": map[string]any{"amount": 100}}, "promotions.invalid", []string{"kind"}},
		"unknown kind": {map[string]any{"name": "x", "kind": "magic", "stores": map[string]any{"scope": "all", "ids": []string{uuid.NewString()}}},
			"promotions.invalid", []string{"kind", "stores.ids"}},
		"window":        {map[string]any{"name": "x", "kind": "percent_off", "rule": map[string]any{"off_bp": 100}, "window": map[string]any{"starts": "2026-02-01T00:00:00Z", "ends": "2026-01-01T00:00:00Z"}}, "promotions.invalid", []string{"window.ends"}},
		"unknown store": {map[string]any{"name": "x", "kind": "percent_off", "rule": map[string]any{"off_bp": 100}, "stores": map[string]any{"scope": "list", "ids": []string{uuid.NewString()}}}, "promotions.invalid", []string{"stores.ids"}},
		"bad uuid":      {map[string]any{"name": "x", "kind": "percent_off", "items": map[string]any{"skus": []string{"nope"}}}, "request.invalid", []string{"items.skus[0]"}},
		"unknown field": {map[string]any{"name": "x", "kind": "percent_off", "tenant_id": uuid.NewString()}, "request.invalid", []string{"tenant_id"}},
		"hq forced ok, franchisee_id not": {map[string]any{"name": "x", "kind": "percent_off", "rule": map[string]any{"off_bp": 100}, "franchisee_id": c.f1.String()},
			"promotions.invalid", []string{"franchisee_id"}},
	} {
		t.Run(name, func(t *testing.T) {
			r := do(t, http.MethodPost, "/api/v1/promotions", c.AdminToken, tc.body)
			want(t, r, 422, tc.code)
			var p struct{ Errors []struct{ Field string } }
			r.JSON(t, &p)
			for _, f := range tc.fields {
				found := false
				for _, e := range p.Errors {
					found = found || e.Field == f
				}
				if !found {
					t.Errorf("no error on %s in %s", f, r.Body)
				}
			}
		})
	}
	if n := env.Count(t, `SELECT count(*) FROM promotions WHERE tenant_id = $1`, c.ID); n != before {
		t.Fatalf("refused bodies wrote %d promotions", n-before)
	}
}

// Every body of the fuzz corpus, through the real app: a 201 or a 4xx,
// never a 5xx; a refused body writes nothing.
func TestPromotionBodiesNeverFailServerSide(t *testing.T) {
	c := newChain(t)
	for _, body := range promotions.InputSeeds {
		before := env.Count(t, `SELECT count(*) FROM promotions WHERE tenant_id = $1`, c.ID)
		r := env.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/promotions", Token: c.AdminToken, RawBody: []byte(body)})
		after := env.Count(t, `SELECT count(*) FROM promotions WHERE tenant_id = $1`, c.ID)
		switch {
		case r.Status >= 500:
			t.Errorf("%s: %d %s", body, r.Status, r.Body)
		case r.Status == 201 && after != before+1, r.Status != 201 && after != before:
			t.Errorf("%s: %d and %d rows written", body, r.Status, after-before)
		}
	}
}

func TestListPromotionsFiltersAndPages(t *testing.T) {
	c := newChain(t)
	now := time.Now().UTC()
	a := c.active(t, spend("满100减20", 10000, 2000))
	b := c.active(t, with(map[string]any{"name": "九折", "kind": "percent_off", "rule": map[string]any{"off_bp": 1000}},
		"stores", map[string]any{"scope": "list", "ids": []string{c.direct.String()}}))
	later := c.active(t, with(spend("下月满减", 5000, 500), "window", map[string]any{"starts": now.AddDate(0, 1, 0).Format(time.RFC3339)}))
	draft := create(t, c.AdminToken, with(spend("草稿", 100, 1), "stores", map[string]any{"scope": "franchise"}))
	ids := func(path string) []uuid.UUID {
		t.Helper()
		r := do(t, http.MethodGet, path, c.AdminToken, nil)
		want(t, r, 200, "")
		var l struct{ Data []promotions.Definition }
		r.JSON(t, &l)
		var out []uuid.UUID
		for _, d := range l.Data {
			out = append(out, d.ID)
		}
		return out
	}
	eq := func(got []uuid.UUID, want ...uuid.UUID) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("got %v, want %v", got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("got %v, want %v", got, want)
			}
		}
	}
	eq(ids("/api/v1/promotions"), draft.ID, later.ID, b.ID, a.ID)
	eq(ids("/api/v1/promotions?status=draft"), draft.ID)
	eq(ids("/api/v1/promotions?kind=percent_off"), b.ID)
	eq(ids("/api/v1/promotions?active_at="+now.Format(time.RFC3339)), b.ID, a.ID)
	eq(ids("/api/v1/promotions?store_id="+c.direct2.String()), later.ID, a.ID)
	eq(ids("/api/v1/promotions?store_id="+c.fs1.String()), draft.ID, later.ID, a.ID)
	eq(ids("/api/v1/promotions?owner=franchisee"))
	// Pages of two, by cursor.
	r := do(t, http.MethodGet, "/api/v1/promotions?limit=2", c.AdminToken, nil)
	var page struct {
		Data       []promotions.Definition
		NextCursor *string `json:"next_cursor"`
	}
	r.JSON(t, &page)
	if len(page.Data) != 2 || page.NextCursor == nil {
		t.Fatalf("first page %s", r.Body)
	}
	eq(ids("/api/v1/promotions?limit=2&cursor="+*page.NextCursor), b.ID, a.ID)
	// A cashier of the direct store sees what covers it.
	r = do(t, http.MethodGet, "/api/v1/promotions", c.cashier.Token, nil)
	r.JSON(t, &page)
	if len(page.Data) != 3 {
		t.Fatalf("the direct store's cashier sees %d: %s", len(page.Data), r.Body)
	}
	want(t, do(t, http.MethodGet, "/api/v1/promotions?status=nope&active_at=x", c.AdminToken, nil), 400, "request.bad_query")
	want(t, do(t, http.MethodGet, "/api/v1/promotions?store_id="+c.direct2.String(), c.cashier.Token, nil), 404, "stores.not_found")
}

// Another chain's promotion, batch and coupon answer 404 on every route
// that names them, exactly like ones that do not exist.
func TestOtherChainsObjectsAre404(t *testing.T) {
	a, b := newChain(t), newChain(t)
	p := a.active(t, spend("满100减20", 10000, 2000))
	batch := createBatch(t, a, map[string]any{"name": "券", "kind": "coupon_amount", "issue_mode": "printed", "quantity": 10,
		"rule": map[string]any{"amount": 500}, "valid_days": 30})
	want(t, do(t, http.MethodPost, "/api/v1/coupon-batches/"+batch.ID.String()+"/codes", a.AdminToken, map[string]any{"count": 1}), 201, "")
	code := codesOf(t, a, batch.ID)[0]
	pp := "/api/v1/promotions/" + p.ID.String()
	bp := "/api/v1/coupon-batches/" + batch.ID.String()
	for _, tc := range []struct {
		method, path, code string
		body               any
	}{
		{http.MethodGet, pp, "promotions.not_found", nil},
		{http.MethodPatch, pp, "promotions.not_found", map[string]any{"name": "x"}},
		{http.MethodDelete, pp, "promotions.not_found", nil},
		{http.MethodPost, pp + "/activate", "promotions.not_found", nil},
		{http.MethodPost, pp + "/pause", "promotions.not_found", nil},
		{http.MethodPost, pp + "/end", "promotions.not_found", nil},
		{http.MethodGet, pp + "/effect", "promotions.not_found", nil},
		{http.MethodPut, pp + "/opt-outs/" + b.fs1.String(), "promotions.not_found", nil},
		{http.MethodDelete, pp + "/opt-outs/" + b.fs1.String(), "promotions.not_found", nil},
		// Both the promotion and the store are the other chain's: the store is checked first.
		{http.MethodPut, "/api/v1/promotions/" + p.ID.String() + "/opt-outs/" + a.fs1.String(), "stores.not_found", nil},
		{http.MethodGet, bp, "promotions.batch_not_found", nil},
		{http.MethodPost, bp + "/issue", "promotions.batch_not_found", map[string]any{"member_ids": []string{uuid.NewString()}}},
		{http.MethodPost, bp + "/codes", "promotions.batch_not_found", map[string]any{"count": 1}},
		{http.MethodGet, bp + "/codes", "promotions.batch_not_found", nil},
		{http.MethodGet, "/api/v1/coupons/" + code, "promotions.coupon_not_found", nil},
		{http.MethodPost, "/api/v1/coupons/" + code + "/void", "promotions.coupon_not_found", nil},
		{http.MethodGet, "/api/v1/promotions/not-a-uuid", "promotions.not_found", nil},
	} {
		r := do(t, tc.method, tc.path, b.AdminToken, tc.body)
		if r.Status != 404 || r.Code() != tc.code {
			t.Errorf("%s %s: %d %s, want 404 %s", tc.method, tc.path, r.Status, r.Body, tc.code)
		}
	}
	if a.spent(t, p.ID) != 0 || env.Count(t, `SELECT count(*) FROM coupons WHERE tenant_id = $1 AND status = 'issued'`, a.ID) != 1 {
		t.Fatal("another chain's requests changed something")
	}
}

// A franchisee runs promotions of their own only when HQ allows it, only in
// their stores, never deeper than HQ allows; another franchisee never sees
// them.
func TestFranchiseePromotions(t *testing.T) {
	c := newChain(t)
	body := map[string]any{"name": "加盟店九五折", "kind": "percent_off", "rule": map[string]any{"off_bp": 500}}
	want(t, do(t, http.MethodPost, "/api/v1/promotions", c.franchisee1.Token, body), 403, "promotions.franchise_not_allowed")
	c.settings(t, true, 1000, false)
	want(t, do(t, http.MethodPost, "/api/v1/promotions", c.franchisee1.Token, with(body, "rule", map[string]any{"off_bp": 1500})), 422, "promotions.too_deep")
	want(t, do(t, http.MethodPost, "/api/v1/promotions", c.franchisee1.Token, with(body, "forced", true)), 422, "promotions.invalid")
	want(t, do(t, http.MethodPost, "/api/v1/promotions", c.franchisee1.Token,
		with(body, "stores", map[string]any{"scope": "list", "ids": []string{c.fs2.String()}})), 422, "promotions.invalid")
	want(t, do(t, http.MethodPost, "/api/v1/promotions", c.franchisee1.Token,
		with(body, "kind", "member_price", "rule", map[string]any{})), 422, "promotions.invalid")
	// 第二件半价 cuts 25% over the pair; 满100减20 20%.
	want(t, do(t, http.MethodPost, "/api/v1/promotions", c.franchisee1.Token,
		map[string]any{"name": "第二件半价", "kind": "nth_item", "rule": map[string]any{"n": 2, "off_bp": 5000}}), 422, "promotions.too_deep")
	want(t, do(t, http.MethodPost, "/api/v1/promotions", c.franchisee1.Token, spend("满100减20", 10000, 2000)), 422, "promotions.too_deep")
	// A special price needs SKUs with a list price to be measured.
	want(t, do(t, http.MethodPost, "/api/v1/promotions", c.franchisee1.Token,
		map[string]any{"name": "特价", "kind": "special_price", "items": map[string]any{"categories": []string{uuid.NewString()}}, "rule": map[string]any{"price": 100}}),
		422, "promotions.invalid")

	own := create(t, c.franchisee1.Token, body)
	if own.Owner != "franchisee" || own.FranchiseeID == nil || *own.FranchiseeID != c.f1 {
		t.Fatalf("franchisee's promotion %+v", own)
	}
	activate(t, c.franchisee1.Token, own.ID)
	path := "/api/v1/promotions/" + own.ID.String()
	want(t, do(t, http.MethodGet, path, c.franchisee2.Token, nil), 404, "promotions.not_found")
	want(t, do(t, http.MethodPatch, path, c.franchisee2.Token, map[string]any{"name": "x"}), 404, "promotions.not_found")
	want(t, do(t, http.MethodGet, path, c.cashier.Token, nil), 404, "promotions.not_found")
	want(t, do(t, http.MethodGet, path, c.cashierF1.Token, nil), 200, "")
	want(t, do(t, http.MethodGet, path, c.marketing.Token, nil), 200, "")
	// The franchisee cannot deepen it past the limit, nor touch HQ's.
	want(t, do(t, http.MethodPatch, path, c.franchisee1.Token, map[string]any{"rule": map[string]any{"off_bp": 2000}}), 422, "promotions.too_deep")
	hq := c.active(t, spend("满100减20", 10000, 2000))
	want(t, do(t, http.MethodGet, "/api/v1/promotions/"+hq.ID.String(), c.franchisee1.Token, nil), 200, "")
	want(t, do(t, http.MethodPost, "/api/v1/promotions/"+hq.ID.String()+"/pause", c.franchisee1.Token, nil), 403, "auth.forbidden")
	var l struct{ Data []promotions.Definition }
	do(t, http.MethodGet, "/api/v1/promotions", c.franchisee2.Token, nil).JSON(t, &l)
	if len(l.Data) != 1 || l.Data[0].ID != hq.ID {
		t.Fatalf("franchisee 2 lists %+v", l.Data)
	}

	// It applies in franchisee 1's store only, and stops while HQ disallows franchise promotions.
	now := time.Now()
	if _, ok := c.inForce(t, svc(), c.fs1, now)[own.ID]; !ok {
		t.Fatal("the franchisee's promotion is not in force in their store")
	}
	for _, store := range []uuid.UUID{c.fs2, c.direct} {
		if _, ok := c.inForce(t, svc(), store, now)[own.ID]; ok {
			t.Fatalf("the franchisee's promotion applies in store %s", store)
		}
	}
	c.settings(t, false, 1000, false)
	if _, ok := c.inForce(t, svc(), c.fs1, now)[own.ID]; ok {
		t.Fatal("a franchisee's promotion applies while HQ disallows them")
	}
	want(t, do(t, http.MethodPost, path+"/pause", c.franchisee1.Token, nil), 200, "")
	want(t, do(t, http.MethodPost, path+"/activate", c.franchisee1.Token, nil), 403, "promotions.franchise_not_allowed")
}

// A franchisee's special price is measured against the list price in
// force in their stores.
func TestFranchiseeSpecialPriceDepthByListPrice(t *testing.T) {
	c := newChain(t)
	c.settings(t, true, 2000, false)
	sku := createSKU(t, c, 1000) // ¥10.00
	body := func(price int) map[string]any {
		return map[string]any{"name": "特价", "kind": "special_price", "items": map[string]any{"skus": []string{sku.String()}}, "rule": map[string]any{"price": price}}
	}
	want(t, do(t, http.MethodPost, "/api/v1/promotions", c.franchisee1.Token, body(700)), 422, "promotions.too_deep") // 30% off
	create(t, c.franchisee1.Token, body(800))                                                                         // 20% off
	want(t, do(t, http.MethodPost, "/api/v1/promotions", c.franchisee1.Token,
		map[string]any{"name": "特价", "kind": "special_price", "items": map[string]any{"skus": []string{uuid.NewString()}}, "rule": map[string]any{"price": 1}}),
		422, "promotions.invalid") // no list price
}

func createSKU(t *testing.T, c *chain, list int64) uuid.UUID {
	t.Helper()
	r := do(t, http.MethodPost, "/api/v1/catalog/units", c.AdminToken, map[string]any{"code": "pcs", "name": "个", "kind": "count"})
	want(t, r, 201, "")
	var unit struct{ ID uuid.UUID }
	r.JSON(t, &unit)
	r = do(t, http.MethodPost, "/api/v1/catalog/categories", c.AdminToken, map[string]any{"code": "DRINK", "name": "饮料"})
	want(t, r, 201, "")
	var cat struct{ ID uuid.UUID }
	r.JSON(t, &cat)
	r = do(t, http.MethodPost, "/api/v1/catalog/products", c.AdminToken, map[string]any{"code": "COLA", "name": "可乐", "category_id": cat.ID,
		"unit_id": unit.ID, "skus": []any{map[string]any{"code": "COLA-330", "name": "可乐 330ml", "prices": map[string]any{"list": list}}}})
	want(t, r, 201, "")
	var p struct{ SKUs []struct{ ID uuid.UUID } }
	r.JSON(t, &p)
	if len(p.SKUs) != 1 {
		t.Fatalf("product %s", r.Body)
	}
	return p.SKUs[0].ID
}

func TestPromotionSettingsAreHQs(t *testing.T) {
	c := newChain(t)
	var s promotions.Settings
	r := do(t, http.MethodGet, "/api/v1/promotion-settings", c.marketing.Token, nil)
	want(t, r, 200, "")
	r.JSON(t, &s)
	if s.FranchisePromotions || s.FranchiseOptOut || s.FranchiseMaxOffBP != 0 || s.UpdatedAt != nil {
		t.Fatalf("defaults %+v", s)
	}
	want(t, do(t, http.MethodPut, "/api/v1/promotion-settings", c.marketing.Token,
		map[string]any{"franchise_promotions": true, "franchise_max_off_bp": 1500, "franchise_opt_out": true}), 200, "")
	want(t, do(t, http.MethodPut, "/api/v1/promotion-settings", c.marketing.Token, map[string]any{"franchise_max_off_bp": 10001}), 422, "request.invalid")
	want(t, do(t, http.MethodGet, "/api/v1/promotion-settings", c.franchisee1.Token, nil), 403, "auth.forbidden")
	want(t, do(t, http.MethodPut, "/api/v1/promotion-settings", c.franchisee1.Token,
		map[string]any{"franchise_promotions": true, "franchise_max_off_bp": 10000, "franchise_opt_out": true}), 403, "auth.forbidden")
	do(t, http.MethodGet, "/api/v1/promotion-settings", c.AdminToken, nil).JSON(t, &s)
	if !s.FranchisePromotions || !s.FranchiseOptOut || s.FranchiseMaxOffBP != 1500 || s.UpdatedAt == nil {
		t.Fatalf("settings %+v", s)
	}
}

// HQ promotions forced on franchise stores apply whatever; unforced ones
// can be opted out of while HQ allows it.
func TestForcedAndOptOut(t *testing.T) {
	c := newChain(t)
	forced := c.active(t, with(spend("强制满减", 10000, 1000), "forced", true))
	free := c.active(t, spend("可选满减", 10000, 1000))
	opt := func(id uuid.UUID, token string) *apitest.Response {
		return do(t, http.MethodPut, "/api/v1/promotions/"+id.String()+"/opt-outs/"+c.fs1.String(), token, nil)
	}
	want(t, opt(free.ID, c.franchisee1.Token), 403, "promotions.opt_out_not_allowed")
	c.settings(t, false, 0, true)
	want(t, opt(forced.ID, c.franchisee1.Token), 409, "promotions.forced")
	want(t, opt(free.ID, c.franchisee2.Token), 404, "stores.not_found") // not their store
	want(t, opt(free.ID, c.cashierF1.Token), 403, "auth.forbidden")
	want(t, do(t, http.MethodPut, "/api/v1/promotions/"+free.ID.String()+"/opt-outs/"+c.direct.String(), c.AdminToken, nil), 409, "promotions.not_optable")
	r := opt(free.ID, c.franchisee1.Token)
	want(t, r, 200, "")
	var d promotions.Definition
	r.JSON(t, &d)
	if len(d.OptedOut) != 1 || d.OptedOut[0] != c.fs1 {
		t.Fatalf("opted out %v", d.OptedOut)
	}
	now := time.Now()
	fs1, fs2 := c.inForce(t, svc(), c.fs1, now), c.inForce(t, svc(), c.fs2, now)
	if _, ok := fs1[forced.ID]; !ok {
		t.Fatal("the forced promotion does not apply in a franchise store")
	}
	if _, ok := fs1[free.ID]; ok {
		t.Fatal("the opted-out promotion applies in the store that opted out")
	}
	if _, ok := fs2[free.ID]; !ok {
		t.Fatal("the opted-out promotion no longer applies in another franchise store")
	}
	// While HQ does not allow opting out, opt-outs do not count.
	c.settings(t, false, 0, false)
	if _, ok := c.inForce(t, svc(), c.fs1, now)[free.ID]; !ok {
		t.Fatal("an opt-out counts while HQ disallows opting out")
	}
	want(t, do(t, http.MethodDelete, "/api/v1/promotions/"+free.ID.String()+"/opt-outs/"+c.fs1.String(), c.franchisee1.Token, nil), 200, "")
	if n := env.Count(t, `SELECT count(*) FROM promotion_opt_outs WHERE tenant_id = $1`, c.ID); n != 0 {
		t.Fatalf("%d opt-outs left", n)
	}
}
