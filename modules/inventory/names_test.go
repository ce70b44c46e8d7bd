package inventory_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/infra/web"
	"chainstore/modules/inventory"
	"chainstore/tenant/authz"
)

// TestStocktakesAndTransfersNameTheirPeople: stocktakes carry who opened
// and posted them, transfers who requested, approved, shipped and
// received them, on lists and details; each list costs the same
// statements for one row as for several; another chain still reads 404.
func TestStocktakesAndTransfersNameTheirPeople(t *testing.T) {
	tn := env.Signup(t)
	store, store2 := env.CreateStore(t, tn, nil), env.CreateStore(t, tn, nil)
	sh := makeShelf(t, tn)
	receive(t, tn, store, sh.cola500, 24000, 230)
	receive(t, tn, store2, sh.cola500, 24000, 230)
	mgr := env.CreateUser(t, tn, "store_manager", &store, nil)
	must(t, do(t, "PATCH", "/api/v1/users/"+mgr.ID.String(), tn.AdminToken, map[string]any{"name": "钱店长"}), 200)

	var st inventory.StocktakeDetail
	must(t, do(t, "POST", "/api/v1/inventory/stocktakes", mgr.Token, map[string]any{"store_id": store}), 201).JSON(t, &st)
	if st.OpenedByName != "钱店长" || st.PostedByName != "" {
		t.Errorf("opened: %q %q", st.OpenedByName, st.PostedByName)
	}
	must(t, do(t, "POST", "/api/v1/inventory/stocktakes/"+st.ID.String()+"/counts", mgr.Token, map[string]any{"batch_id": "b1",
		"lines": []any{map[string]any{"sku_id": sh.cola500, "qty": 23000}}}), 200)
	must(t, do(t, "POST", "/api/v1/inventory/stocktakes/"+st.ID.String()+"/post", tn.AdminToken, nil), 200)
	var st2 inventory.StocktakeDetail
	must(t, do(t, "POST", "/api/v1/inventory/stocktakes", tn.AdminToken, map[string]any{"store_id": store2}), 201).JSON(t, &st2)

	must(t, do(t, "GET", "/api/v1/inventory/stocktakes/"+st.ID.String(), tn.AdminToken, nil), 200).JSON(t, &st)
	if st.OpenedByName != "钱店长" || st.PostedByName != "Admin" {
		t.Errorf("stocktake detail: %q %q", st.OpenedByName, st.PostedByName)
	}
	var sts struct{ Data []inventory.Stocktake }
	must(t, do(t, "GET", "/api/v1/inventory/stocktakes", tn.AdminToken, nil), 200).JSON(t, &sts)
	if len(sts.Data) != 2 {
		t.Fatalf("%d stocktakes", len(sts.Data))
	}
	for _, x := range sts.Data {
		want := map[uuid.UUID][2]string{st.ID: {"钱店长", "Admin"}, st2.ID: {"Admin", ""}}[x.ID]
		if x.OpenedByName != want[0] || x.PostedByName != want[1] {
			t.Errorf("stocktake list %s: %q %q, want %v", x.Status, x.OpenedByName, x.PostedByName, want)
		}
	}

	// A transfer requested by the manager, approved, shipped and received by the admin.
	var tr, tr2 inventory.Transfer
	must(t, do(t, "POST", "/api/v1/inventory/transfers", mgr.Token, map[string]any{"from_store_id": store, "to_store_id": store2,
		"lines": []any{map[string]any{"sku_id": sh.cola500, "qty": 1000}}}), 201).JSON(t, &tr)
	if tr.RequestedByName != "钱店长" || tr.ApprovedByName != "" {
		t.Errorf("requested: %q %q", tr.RequestedByName, tr.ApprovedByName)
	}
	for _, step := range []string{"approve", "ship", "receive"} {
		must(t, do(t, "POST", "/api/v1/inventory/transfers/"+tr.ID.String()+"/"+step, tn.AdminToken, nil), 200).JSON(t, &tr)
	}
	if tr.RequestedByName != "钱店长" || tr.ApprovedByName != "Admin" || tr.ShippedByName != "Admin" || tr.ReceivedByName != "Admin" {
		t.Errorf("received: %+v", tr)
	}
	must(t, do(t, "POST", "/api/v1/inventory/transfers", tn.AdminToken, map[string]any{"from_store_id": store2, "to_store_id": store,
		"lines": []any{map[string]any{"sku_id": sh.cola500, "qty": 1000}}}), 201).JSON(t, &tr2)
	must(t, do(t, "GET", "/api/v1/inventory/transfers/"+tr.ID.String(), mgr.Token, nil), 200).JSON(t, &tr)
	if tr.RequestedByName != "钱店长" || tr.ApprovedByName != "Admin" || tr.ReceivedByName != "Admin" {
		t.Errorf("transfer detail: %q %q %q", tr.RequestedByName, tr.ApprovedByName, tr.ReceivedByName)
	}
	var trs struct{ Data []inventory.Transfer }
	must(t, do(t, "GET", "/api/v1/inventory/transfers", tn.AdminToken, nil), 200).JSON(t, &trs)
	if len(trs.Data) != 2 {
		t.Fatalf("%d transfers", len(trs.Data))
	}
	for _, x := range trs.Data {
		want := map[uuid.UUID][2]string{tr.ID: {"钱店长", "Admin"}, tr2.ID: {"Admin", ""}}[x.ID]
		if x.RequestedByName != want[0] || x.ApprovedByName != want[1] {
			t.Errorf("transfer list %s: %q %q, want %v", x.Status, x.RequestedByName, x.ApprovedByName, want)
		}
	}

	// One row or several: the same statements.
	ctx := context.Background()
	all, page := authz.StoreScope{All: true}, web.Page{Limit: 50}
	lists := map[string][2]func(ctx context.Context) (int, error){
		"stocktakes": {
			func(ctx context.Context) (int, error) {
				rows, err := svc().ListStocktakes(ctx, tn.ID, all, &store, "", page)
				return len(rows), err
			},
			func(ctx context.Context) (int, error) {
				rows, err := svc().ListStocktakes(ctx, tn.ID, all, nil, "", page)
				return len(rows), err
			},
		},
		"transfers": {
			func(ctx context.Context) (int, error) {
				rows, err := svc().ListTransfers(ctx, tn.ID, all, inventory.TransferFilter{Status: "received"}, page)
				return len(rows), err
			},
			func(ctx context.Context) (int, error) {
				rows, err := svc().ListTransfers(ctx, tn.ID, all, inventory.TransferFilter{}, page)
				return len(rows), err
			},
		},
	}
	for name, pair := range lists {
		var n [2]int
		var stmts [2]*apitest.Statements
		for i, list := range pair {
			if _, err := list(ctx); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			stmts[i] = env.CountStatements(t, tn.ID, func(ctx context.Context) error {
				var err error
				n[i], err = list(ctx)
				return err
			})
		}
		if n[0] != 1 || n[1] < 2 || stmts[0].N() != stmts[1].N() {
			t.Errorf("%s: %d statements for %d row, %d for %d:\n%v\n%v", name, stmts[0].N(), n[0], stmts[1].N(), n[1], stmts[0].SQL(), stmts[1].SQL())
		}
	}

	other := env.Signup(t)
	for _, path := range []string{"/api/v1/inventory/stocktakes/" + st.ID.String(), "/api/v1/inventory/transfers/" + tr.ID.String()} {
		must(t, do(t, "GET", path, other.AdminToken, nil), 404)
	}
	checkInvariants(t, tn)
}
