package inventory_test

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/infra/web"
	"chainstore/modules/inventory"
)

// shelf is a small catalog with names, barcodes and two units, made
// through the owner connection like catalog().
type shelf struct {
	cat, fruit                      uuid.UUID
	cola500, cola330, sprite, apple uuid.UUID
	bottle, kilo                    inventory.Unit
}

func makeShelf(t *testing.T, tn *apitest.Tenant) shelf {
	t.Helper()
	sh := shelf{cat: uuid.Must(uuid.NewV7()), fruit: uuid.Must(uuid.NewV7()),
		bottle: inventory.Unit{Code: "t_ping", Name: "瓶", Kind: "count"}, kilo: inventory.Unit{Code: "t_kg", Name: "千克", Kind: "weight"}}
	exec(t, `INSERT INTO categories (tenant_id, id, code, name, path) VALUES ($1, $2, $3, '饮料', ARRAY[$2]::uuid[])`, tn.ID, sh.cat, env.Unique("C"))
	exec(t, `INSERT INTO categories (tenant_id, id, code, name, path) VALUES ($1, $2, $3, '水果', ARRAY[$2]::uuid[])`, tn.ID, sh.fruit, env.Unique("C"))
	units := map[string]uuid.UUID{}
	for _, u := range []inventory.Unit{sh.bottle, sh.kilo} {
		units[u.Code] = uuid.Must(uuid.NewV7())
		exec(t, `INSERT INTO units (tenant_id, id, code, name, kind) VALUES ($1, $2, $3, $4, $5)`, tn.ID, units[u.Code], u.Code, u.Name, u.Kind)
	}
	add := func(code, product, name, barcode string, cat uuid.UUID, unit string) uuid.UUID {
		prod, sku := uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())
		exec(t, `INSERT INTO products (tenant_id, id, code, name, category_id, unit_id, weighed, shelf_life_days) VALUES ($1, $2, $3, $4, $5, $6, $7, 30)`,
			tn.ID, prod, "P-"+code, product, cat, units[unit], unit == sh.kilo.Code)
		exec(t, `INSERT INTO skus (tenant_id, id, product_id, code, name) VALUES ($1, $2, $3, $4, $5)`, tn.ID, sku, prod, code, name)
		if barcode != "" {
			exec(t, `INSERT INTO sku_barcodes (tenant_id, barcode, sku_id, kind) VALUES ($1, $2, $3, 'ean13')`, tn.ID, barcode, sku)
		}
		return sku
	}
	sh.cola500 = add("COLA-500", "可口可乐", "可口可乐 500ml 瓶装", "6901234500019", sh.cat, sh.bottle.Code)
	sh.cola330 = add("COLA-330", "可口可乐", "可口可乐 330ml 罐装", "6901234500026", sh.cat, sh.bottle.Code)
	// A UPC-A barcode is stored in its EAN-13 form (a leading 0).
	sh.sprite = add("SPRITE-500", "雪碧汽水", "雪碧 500ml", "0012345678905", sh.cat, sh.bottle.Code)
	sh.apple = add("APPLE-FUJI", "苹果", "红富士 散装", "", sh.fruit, sh.kilo.Code)
	return sh
}

type stockPage struct {
	Data       []inventory.Level
	NextCursor *string `json:"next_cursor"`
}

func stockList(t *testing.T, token string, store uuid.UUID, query string) stockPage {
	t.Helper()
	var page stockPage
	must(t, do(t, "GET", "/api/v1/inventory/stores/"+store.String()+"/stock?"+query, token, nil), 200).JSON(t, &page)
	return page
}

func codes(levels []inventory.Level) []string {
	out := make([]string, len(levels))
	for i, l := range levels {
		out[i] = l.SKUCode
	}
	slices.Sort(out)
	return out
}

// TestStockSearch: q finds SKUs by code prefix, exact barcode or name,
// together with the other filters and the cursor; a bad q is 400 and
// changes nothing.
func TestStockSearch(t *testing.T) {
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	sh := makeShelf(t, tn)
	for _, sku := range []uuid.UUID{sh.cola500, sh.cola330, sh.sprite} {
		receive(t, tn, store, sku, 24000, 230)
	}
	receive(t, tn, store, sh.apple, 1500, 1290)
	// Sprite is below its minimum.
	must(t, do(t, "PUT", "/api/v1/inventory/stores/"+store.String()+"/stock/"+sh.sprite.String()+"/thresholds", tn.AdminToken,
		map[string]any{"min_qty": 30000, "safety_qty": 0}), 200)

	for _, c := range []struct {
		name, query string
		want        []string
	}{
		{"code prefix, any case", "q=cola", []string{"COLA-330", "COLA-500"}},
		{"code prefix, exact case", "q=COLA-5", []string{"COLA-500"}},
		{"code is a prefix, not a substring", "q=OLA", nil},
		{"barcode exactly", "q=6901234500019", []string{"COLA-500"}},
		{"barcode is not a prefix", "q=690123450001", nil},
		{"UPC-A as scanned", "q=012345678905", []string{"SPRITE-500"}},
		{"SKU name substring", "q=500ml", []string{"COLA-500", "SPRITE-500"}},
		{"SKU name, Chinese", "q=" + url.QueryEscape("富士"), []string{"APPLE-FUJI"}},
		{"product name substring", "q=" + url.QueryEscape("汽水"), []string{"SPRITE-500"}},
		{"surrounding spaces dropped", "q=" + url.QueryEscape("  苹果 "), []string{"APPLE-FUJI"}},
		{"LIKE wildcards are literal", "q=" + url.QueryEscape("%"), nil},
		{"underscore is literal", "q=COLA_", nil},
		{"with a category", "q=cola&category_id=" + sh.fruit.String(), nil},
		{"with the category that has it", "q=" + url.QueryEscape("苹果") + "&category_id=" + sh.fruit.String(), []string{"APPLE-FUJI"}},
		{"with below_min", "q=500ml&below_min=true", []string{"SPRITE-500"}},
		{"empty q: everything", "q=", []string{"APPLE-FUJI", "COLA-330", "COLA-500", "SPRITE-500"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			page := stockList(t, tn.AdminToken, store, c.query)
			if got := codes(page.Data); !slices.Equal(got, c.want) && (len(got) > 0 || len(c.want) > 0) {
				t.Fatalf("%s: %v, want %v", c.query, got, c.want)
			}
			if page.NextCursor != nil {
				t.Fatalf("%s: a next cursor on one page", c.query)
			}
		})
	}

	// Paging keeps the search: one row a page, both COLA rows, in SKU order.
	first := stockList(t, tn.AdminToken, store, "q=cola&limit=1")
	if len(first.Data) != 1 || first.Data[0].SKUID != sh.cola500 || first.NextCursor == nil {
		t.Fatalf("first page %+v", first)
	}
	second := stockList(t, tn.AdminToken, store, "q=cola&limit=1&cursor="+*first.NextCursor)
	if len(second.Data) != 1 || second.Data[0].SKUID != sh.cola330 {
		t.Fatalf("second page %+v", second)
	}
	if second.NextCursor != nil {
		if third := stockList(t, tn.AdminToken, store, "q=cola&limit=1&cursor="+*second.NextCursor); len(third.Data) != 0 {
			t.Fatalf("third page %+v", third)
		}
	}

	// Rows carry the SKU's code, name and unit.
	all := stockList(t, tn.AdminToken, store, "")
	for _, l := range all.Data {
		want := sh.bottle
		if l.SKUID == sh.apple {
			want = sh.kilo
		}
		if l.Unit != want || l.SKUName == "" || l.SKUCode == "" {
			t.Errorf("level %s: %q %q %+v, want unit %+v", l.SKUID, l.SKUCode, l.SKUName, l.Unit, want)
		}
	}

	// Bad q: 400 naming the field, and nothing changes.
	movements := env.Count(t, `SELECT count(*) FROM stock_movements WHERE tenant_id = $1`, tn.ID)
	audits := env.Count(t, `SELECT count(*) FROM audit_log WHERE tenant_id = $1`, tn.ID)
	for name, q := range map[string]string{
		"65 characters":         strings.Repeat("a", 65),
		"65 Chinese characters": strings.Repeat("可", 65),
		"a control character":   "cola\x01",
		"a newline":             "cola\n",
		"a bidi override":       "cola\u202e",
		"not UTF-8":             "\xff",
	} {
		r := do(t, "GET", "/api/v1/inventory/stores/"+store.String()+"/stock?q="+url.QueryEscape(q), tn.AdminToken, nil)
		var p struct {
			Errors []struct{ Field string } `json:"errors"`
		}
		r.JSON(t, &p)
		if r.Status != 400 || r.Code() != "request.bad_query" || len(p.Errors) != 1 || p.Errors[0].Field != "q" {
			t.Errorf("%s: %d %s", name, r.Status, r.Body)
		}
	}
	for name, q := range map[string]string{"64 characters": strings.Repeat("a", 64), "64 Chinese characters": strings.Repeat("可", 64)} {
		if page := stockList(t, tn.AdminToken, store, "q="+url.QueryEscape(q)); len(page.Data) != 0 {
			t.Errorf("%s: %d rows", name, len(page.Data))
		}
	}
	if n := env.Count(t, `SELECT count(*) FROM stock_movements WHERE tenant_id = $1`, tn.ID); n != movements {
		t.Errorf("searches wrote %d movements", n-movements)
	}
	if n := env.Count(t, `SELECT count(*) FROM audit_log WHERE tenant_id = $1`, tn.ID); n != audits {
		t.Errorf("searches wrote %d audit rows", n-audits)
	}
	if after := stockList(t, tn.AdminToken, store, ""); !slices.Equal(codes(after.Data), codes(all.Data)) {
		t.Errorf("stock after refused searches %v, before %v", codes(after.Data), codes(all.Data))
	}
	checkInvariants(t, tn)
}

// TestRowsCarrySKUAndUnit: movements carry the SKU's code and name; a
// level, stocktake lines and variances, transfer lines and expiring lots
// carry its unit too.
func TestRowsCarrySKUAndUnit(t *testing.T) {
	tn := env.Signup(t)
	store, store2 := env.CreateStore(t, tn, nil), env.CreateStore(t, tn, nil)
	sh := makeShelf(t, tn)
	soon := time.Now().AddDate(0, 0, 2).Format(time.DateOnly)
	must(t, do(t, "POST", "/api/v1/inventory/movements", tn.AdminToken, map[string]any{"store_id": store, "kind": "receipt", "lines": []any{
		map[string]any{"sku_id": sh.cola500, "qty": 24000, "unit_cost": 230, "expiry_date": soon},
		map[string]any{"sku_id": sh.apple, "qty": 1500, "unit_cost": 1290, "expiry_date": soon},
	}}), 201)
	must(t, do(t, "POST", "/api/v1/inventory/movements", tn.AdminToken, map[string]any{"store_id": store, "kind": "damage", "reason": "破损",
		"lines": []any{map[string]any{"sku_id": sh.cola500, "qty": 1000}}}), 201)
	unitOf := func(sku uuid.UUID) inventory.Unit {
		if sku == sh.apple {
			return sh.kilo
		}
		return sh.bottle
	}
	names := map[uuid.UUID][2]string{sh.cola500: {"COLA-500", "可口可乐 500ml 瓶装"}, sh.apple: {"APPLE-FUJI", "红富士 散装"}}
	check := func(what string, sku uuid.UUID, code, name string, unit *inventory.Unit) {
		t.Helper()
		if want := names[sku]; code != want[0] || name != want[1] {
			t.Errorf("%s of %s: %q %q, want %q %q", what, sku, code, name, want[0], want[1])
		}
		if unit != nil && *unit != unitOf(sku) {
			t.Errorf("%s of %s: unit %+v, want %+v", what, sku, *unit, unitOf(sku))
		}
	}

	base := "/api/v1/inventory/stores/" + store.String()
	var lv inventory.Level
	must(t, do(t, "GET", base+"/stock/"+sh.apple.String(), tn.AdminToken, nil), 200).JSON(t, &lv)
	check("level", lv.SKUID, lv.SKUCode, lv.SKUName, &lv.Unit)
	// A SKU that never moved in a store still has its names and unit.
	must(t, do(t, "GET", "/api/v1/inventory/stores/"+store2.String()+"/stock/"+sh.cola500.String(), tn.AdminToken, nil), 200).JSON(t, &lv)
	check("empty level", lv.SKUID, lv.SKUCode, lv.SKUName, &lv.Unit)

	var moves struct{ Data []inventory.Movement }
	for _, q := range []string{"", "?kind=damage", "?sku_id=" + sh.apple.String()} {
		must(t, do(t, "GET", base+"/movements"+q, tn.AdminToken, nil), 200).JSON(t, &moves)
		if len(moves.Data) == 0 {
			t.Fatalf("no movements for %q", q)
		}
		for _, m := range moves.Data {
			check("movement", m.SKUID, m.SKUCode, m.SKUName, nil)
		}
	}
	// A cashier (no cost) reads the same names.
	cashier := env.CreateUser(t, tn, "cashier", &store, nil)
	must(t, do(t, "GET", base+"/movements", cashier.Token, nil), 200).JSON(t, &moves)
	for _, m := range moves.Data {
		check("cashier's movement", m.SKUID, m.SKUCode, m.SKUName, nil)
	}

	var lots struct{ Data []inventory.ExpiringLot }
	must(t, do(t, "GET", base+"/near-expiry?within_days=7", tn.AdminToken, nil), 200).JSON(t, &lots)
	if len(lots.Data) != 2 {
		t.Fatalf("near expiry %+v", lots.Data)
	}
	for _, l := range lots.Data {
		check("expiring lot", l.SKUID, l.SKUCode, l.SKUName, &l.Unit)
	}

	var st inventory.StocktakeDetail
	must(t, do(t, "POST", "/api/v1/inventory/stocktakes", tn.AdminToken, map[string]any{"store_id": store}), 201).JSON(t, &st)
	must(t, do(t, "POST", "/api/v1/inventory/stocktakes/"+st.ID.String()+"/counts", tn.AdminToken, map[string]any{"batch_id": "b1",
		"lines": []any{map[string]any{"sku_id": sh.cola500, "qty": 22000}, map[string]any{"sku_id": sh.apple, "qty": 1450}}}), 200)
	must(t, do(t, "GET", "/api/v1/inventory/stocktakes/"+st.ID.String(), tn.AdminToken, nil), 200).JSON(t, &st)
	if len(st.Lines) != 2 {
		t.Fatalf("stocktake lines %+v", st.Lines)
	}
	for _, l := range st.Lines {
		check("stocktake line", l.SKUID, l.SKUCode, l.SKUName, &l.Unit)
	}
	var vr inventory.VarianceReport
	must(t, do(t, "GET", "/api/v1/inventory/stocktakes/"+st.ID.String()+"/variances", tn.AdminToken, nil), 200).JSON(t, &vr)
	if len(vr.Lines) != 2 {
		t.Fatalf("variances %+v", vr.Lines)
	}
	for _, v := range vr.Lines {
		check("variance", v.SKUID, v.SKUCode, v.SKUName, &v.Unit)
	}
	must(t, do(t, "POST", "/api/v1/inventory/stocktakes/"+st.ID.String()+"/cancel", tn.AdminToken, nil), 200)

	var tr inventory.Transfer
	must(t, do(t, "POST", "/api/v1/inventory/transfers", tn.AdminToken, map[string]any{"from_store_id": store, "to_store_id": store2,
		"lines": []any{map[string]any{"sku_id": sh.cola500, "qty": 6000}, map[string]any{"sku_id": sh.apple, "qty": 500}}}), 201).JSON(t, &tr)
	must(t, do(t, "GET", "/api/v1/inventory/transfers/"+tr.ID.String(), tn.AdminToken, nil), 200).JSON(t, &tr)
	if len(tr.Lines) != 2 {
		t.Fatalf("transfer lines %+v", tr.Lines)
	}
	for _, l := range tr.Lines {
		check("transfer line", l.SKUID, l.SKUCode, l.SKUName, &l.Unit)
	}
	checkInvariants(t, tn)
}

// TestRowListsAreOneStatement: the names and units come in the lists' own
// statement, so one row or several cost the same statements.
func TestRowListsAreOneStatement(t *testing.T) {
	tn := env.Signup(t)
	one, four, dest := env.CreateStore(t, tn, nil), env.CreateStore(t, tn, nil), env.CreateStore(t, tn, nil)
	sh := makeShelf(t, tn)
	all := []uuid.UUID{sh.cola500, sh.cola330, sh.sprite, sh.apple}
	soon := time.Now().AddDate(0, 0, 2)
	ctx := t.Context()
	stock := func(store uuid.UUID, skus []uuid.UUID) (uuid.UUID, uuid.UUID) {
		lines := make([]inventory.MoveLine, len(skus))
		qtys := make([]inventory.TransferQtyInput, len(skus))
		for i, sku := range skus {
			lines[i] = inventory.MoveLine{SKUID: sku, Qty: 5000, UnitCost: ptr(int64(100)), ExpiryDate: &soon}
			qtys[i] = inventory.TransferQtyInput{SKUID: sku, Qty: 1000}
		}
		if _, err := svc().Apply(ctx, tn.ID, inventory.MoveInput{StoreID: store, Kind: inventory.KindReceipt, Source: src("test"), Lines: lines}); err != nil {
			t.Fatal(err)
		}
		st, err := svc().OpenStocktake(ctx, admin(tn), inventory.OpenStocktakeInput{StoreID: store})
		if err != nil {
			t.Fatal(err)
		}
		tr, err := svc().CreateTransfer(ctx, admin(tn), inventory.CreateTransferInput{FromStoreID: store, ToStoreID: dest, Lines: qtys})
		if err != nil {
			t.Fatal(err)
		}
		return st.ID, tr.ID
	}
	st1, tr1 := stock(one, all[:1])
	st4, tr4 := stock(four, all)
	page := web.Page{Limit: 50}
	lists := map[string]func(ctx context.Context, store, stocktake, transfer uuid.UUID) (int, error){
		"stock": func(ctx context.Context, store, _, _ uuid.UUID) (int, error) {
			rows, err := svc().ListLevels(ctx, tn.ID, store, inventory.LevelFilter{}, page)
			return len(rows), err
		},
		"stock searched": func(ctx context.Context, store, _, _ uuid.UUID) (int, error) {
			// "0" is in every name but the apple's: one row, and three.
			rows, err := svc().ListLevels(ctx, tn.ID, store, inventory.LevelFilter{Query: "0"}, page)
			return len(rows), err
		},
		"movements": func(ctx context.Context, store, _, _ uuid.UUID) (int, error) {
			rows, err := svc().ListMovements(ctx, tn.ID, store, inventory.MovementFilter{}, page)
			return len(rows), err
		},
		"near expiry": func(ctx context.Context, store, _, _ uuid.UUID) (int, error) {
			rows, err := svc().NearExpiry(ctx, tn.ID, store, 7, 100)
			return len(rows), err
		},
		"stocktake": func(ctx context.Context, _, stocktake, _ uuid.UUID) (int, error) {
			d, err := svc().StocktakeDetail(ctx, tn.ID, stocktake, true)
			return len(d.Lines), err
		},
		"variances": func(ctx context.Context, _, stocktake, _ uuid.UUID) (int, error) {
			r, err := svc().Variances(ctx, tn.ID, stocktake, true)
			return len(r.Lines), err
		},
		"transfer": func(ctx context.Context, _, _, transfer uuid.UUID) (int, error) {
			tr, err := svc().GetTransfer(ctx, tn.ID, transfer)
			return len(tr.Lines), err
		},
	}
	for name, list := range lists {
		count := func(store, stocktake, transfer uuid.UUID, want int) int {
			if _, err := list(ctx, store, stocktake, transfer); err != nil { // warm the store's cached facts
				t.Fatalf("%s: %v", name, err)
			}
			var n int
			st := env.CountStatements(t, tn.ID, func(ctx context.Context) error {
				var err error
				n, err = list(ctx, store, stocktake, transfer)
				return err
			})
			if n != want {
				t.Fatalf("%s: %d rows, want %d", name, n, want)
			}
			return st.N()
		}
		many := 4
		if name == "stock searched" {
			many = 3
		}
		if a, b := count(one, st1, tr1, 1), count(four, st4, tr4, many); a != b || a == 0 {
			t.Errorf("%s: %d statements for one row, %d for %d", name, a, b, many)
		}
	}
}
