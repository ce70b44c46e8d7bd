package api_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/infra/doc"
	"chainstore/modules/finance"
	"chainstore/modules/inventory"
	"chainstore/modules/members"
	"chainstore/tenant"
)

// A sale-like sequence — stock in, a top-up, stored value paid at the till,
// points earned, the sale's journal entry — one second either side of
// midnight in a Los Angeles store of a Shanghai chain lands, in every
// module, on the store's own day: inventory's and members' journal entries
// as finance's, and the points' expiry by the store's year. Before the
// groundwork members took the chain's zone, finance the caller's guess.
func TestASaleAtMidnightLandsOnTheStoresDayInEveryModule(t *testing.T) {
	tn := env.Signup(t)
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/stores", Token: tn.AdminToken, Body: map[string]any{
		"code": env.Unique("LA"), "name": "洛杉矶店", "type": "direct", "time_zone": "America/Los_Angeles"}})
	if r.Status != 201 {
		t.Fatalf("store: %d %s", r.Status, r.Body)
	}
	var store struct{ ID uuid.UUID }
	r.JSON(t, &store)
	sku := firstSKU(t, tn)
	var member struct{ ID uuid.UUID }
	r = env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/members", Token: tn.AdminToken, Body: map[string]any{"phone": "13900139000", "name": "午夜"}})
	if r.Status != 201 {
		t.Fatalf("member: %d %s", r.Status, r.Body)
	}
	r.JSON(t, &member)
	admin := &tenant.Principal{TenantID: tn.ID, UserID: tn.AdminID}
	la, _ := time.LoadLocation("America/Los_Angeles")
	t.Cleanup(func() { env.Server.Clock.Set(nil) })

	for _, tc := range []struct {
		at  time.Time
		day string
		// points earned expire at the end of the year after the store's year
		expiresYear int
	}{
		{time.Date(2026, 12, 31, 23, 59, 59, 0, la), "2026-12-31", 2027},
		{time.Date(2027, 1, 1, 0, 0, 1, 0, la), "2027-01-01", 2028},
	} {
		env.Server.Clock.Freeze(tc.at)
		ctx := tenant.WithPrincipal(context.Background(), admin)
		saleID := uuid.Must(uuid.NewV7())
		var receipt []inventory.MoveResult
		err := env.Server.Pool.WithTx(ctx, tn.ID, func(ctx context.Context) error {
			var err error
			cost := int64(300)
			if receipt, err = env.Server.Inventory.ApplyManual(ctx, admin, inventory.ManualMovementInput{StoreID: store.ID, Kind: "receipt",
				Lines: []inventory.ManualMovementLine{{SKUID: sku, Qty: 10_000, UnitCost: &cost}}}); err != nil {
				return err
			}
			if _, err = env.Server.Members.TopUp(ctx, tn.ID, member.ID, &store.ID, 10_000, "cash", doc.Of(doc.TopUp, uuid.Must(uuid.NewV7()))); err != nil {
				return err
			}
			if _, err = env.Server.Members.TenderStoredValue(ctx, tn.ID, member.ID, store.ID, 500, doc.Of(doc.Sale, saleID)); err != nil {
				return err
			}
			if _, err = env.Server.Members.EarnPoints(ctx, tn.ID, members.EarnInput{MemberID: member.ID, StoreID: store.ID,
				Source: doc.Of(doc.Sale, saleID), Lines: []members.EarnLine{{Amount: 500}}, At: tc.at}); err != nil {
				return err
			}
			day, err := env.Server.Org.BusinessDate(ctx, tn.ID, &store.ID, tc.at)
			if err != nil {
				return err
			}
			_, err = env.Server.Finance.PostSale(ctx, tn.ID, finance.SaleEvent{Source: doc.Of(doc.Sale, saleID), StoreID: store.ID,
				BusinessDate: day, Revenue: []finance.RevenueLine{{Gross: 500, VATRateBP: 1300}},
				Payments: []finance.Payment{{Method: "sv_tendered", Amount: 500}}, COGS: 300})
			return err
		})
		if err != nil {
			t.Fatalf("%s: %v", tc.at, err)
		}
		if len(receipt) != 1 {
			t.Fatalf("receipt: %+v", receipt)
		}
		// Every journal entry of that one transaction, whichever module asked.
		rows, err := env.Owner.Query(`SELECT source_type, to_char(business_date, 'YYYY-MM-DD') FROM fin_entries
			WHERE tenant_id = $1 AND posted_at = (SELECT max(posted_at) FROM fin_entries WHERE tenant_id = $1)`, tn.ID)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]string{}
		for rows.Next() {
			var src, day string
			if err := rows.Scan(&src, &day); err != nil {
				t.Fatal(err)
			}
			seen[src] = day
		}
		rows.Close()
		for _, src := range []string{"stock_receipt", "topup", "sv_tender", "sale"} {
			if seen[src] != tc.day {
				t.Errorf("at %s store time the %s entry is dated %q, want the store's day %s (entries %v)", tc.at.Format(time.DateTime), src, seen[src], tc.day, seen)
			}
		}
		var expires time.Time
		if err := env.Owner.QueryRow(`SELECT l.expires_at FROM points_lots l JOIN points_ledger e ON e.tenant_id = l.tenant_id AND e.id = l.ledger_id
			WHERE l.tenant_id = $1 AND e.source_id = $2`, tn.ID, saleID).Scan(&expires); err != nil {
			t.Fatalf("points lot: %v", err)
		}
		if y := expires.In(la).Year(); y != tc.expiresYear && expires.In(la).Add(-time.Second).Year() != tc.expiresYear {
			t.Errorf("points earned at %s expire %s, want the end of %d in the store's zone", tc.at.Format(time.DateTime), expires.In(la), tc.expiresYear)
		}
	}
}

// firstSKU makes a product with one SKU priced ¥5.00 and returns the SKU.
func firstSKU(t *testing.T, tn *apitest.Tenant) uuid.UUID {
	t.Helper()
	var cats struct{ Data []struct{ ID string } }
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/categories?roots=true", Token: tn.AdminToken}).JSON(t, &cats)
	var units struct {
		Data []struct {
			ID   string
			Code string
		}
	}
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/catalog/units", Token: tn.AdminToken}).JSON(t, &units)
	unit := ""
	for _, u := range units.Data {
		if u.Code == "ge" {
			unit = u.ID
		}
	}
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/catalog/products", Token: tn.AdminToken, Body: map[string]any{
		"code": env.Unique("P"), "name": "矿泉水", "category_id": cats.Data[0].ID, "unit_id": unit,
		"skus": []map[string]any{{"code": env.Unique("S"), "name": "矿泉水 550ml", "prices": map[string]any{"list": 500, "cost": 300}}}}})
	if r.Status != 201 {
		t.Fatalf("product: %d %s", r.Status, r.Body)
	}
	var p struct{ SKUs []struct{ ID uuid.UUID } }
	r.JSON(t, &p)
	return p.SKUs[0].ID
}
