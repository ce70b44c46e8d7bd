package pos_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/modules/pos"
	"chainstore/tenant/authz"
)

// TestPOSRowsNameTheirPeople: sales, shifts and the offline queue carry
// the cashier's (and approver's, reviewer's) name on lists and details;
// each list costs the same statements for one row as for several; another
// chain still reads 404.
func TestPOSRowsNameTheirPeople(t *testing.T) {
	s := newShop(t, env, 2)
	want(t, s.e.Do(t, apitest.Req{Method: http.MethodPut, Path: "/api/v1/inventory/settings", Token: s.AdminToken,
		Body: map[string]any{"allow_negative_stock": false}}), 200, "")
	scarce := s.product(t, "稀缺", 500, nil, 1000)
	for u, name := range map[uuid.UUID]string{s.cashier.ID: "张收银", s.manager.ID: "赵店长"} {
		want(t, s.e.Do(t, apitest.Req{Method: http.MethodPatch, Path: "/api/v1/users/" + u.String(), Token: s.AdminToken, Body: map[string]any{"name": name}}), 200, "")
	}
	sh := s.open(t, 50_000)
	if sh.CashierName != "张收银" {
		t.Errorf("opened shift: cashier %q", sh.CashierName)
	}
	var sold []pos.Sale
	for range 3 {
		sale := s.sell(t, map[string]any{"lines": lines(s.items[:1])})
		if sale.CashierName != "" {
			t.Errorf("checkout answer names the cashier %q (documented empty)", sale.CashierName)
		}
		sold = append(sold, sale)
	}
	// An offline sale beyond stock waits for the manager's review.
	res := s.upload(t, newID(), offlineSale(sh.ID, time.Now(), 1, 1_500, map[string]any{"lines": lines([]item{scarce}, 3)}))
	if len(res.Sales) != 1 || res.Sales[0].Status != "flagged" {
		t.Fatalf("upload %+v", res)
	}
	offline := res.Sales[0].SaleID
	plain := s.upload(t, newID(), offlineSale(sh.ID, time.Now().Add(time.Millisecond), 2, 1_000, map[string]any{"lines": lines(s.items[:1])}))
	if plain.Sales[0].Status != "accepted" {
		t.Fatalf("plain upload %+v", plain)
	}
	want(t, s.do(t, http.MethodPost, "/offline-sales/"+offline.String()+"/review", s.manager.Token, nil), 204, "")

	var list struct{ Data []pos.Sale }
	want(t, s.e.Do(t, apitest.Req{Method: http.MethodGet, Path: "/api/v1/pos/sales?store_id=" + s.store.String(), Token: s.AdminToken}), 200, "")
	s.e.Do(t, apitest.Req{Method: http.MethodGet, Path: "/api/v1/pos/sales?store_id=" + s.store.String(), Token: s.AdminToken}).JSON(t, &list)
	if len(list.Data) != 5 {
		t.Fatalf("%d sales listed", len(list.Data))
	}
	for _, sale := range list.Data {
		if sale.CashierName != "张收银" {
			t.Errorf("sale list %s: cashier %q", sale.ReceiptNo, sale.CashierName)
		}
	}
	var one pos.Sale
	s.do(t, http.MethodGet, "/sales/"+sold[1].ID.String(), s.manager.Token, nil).JSON(t, &one)
	if one.CashierName != "张收银" {
		t.Errorf("sale detail: cashier %q", one.CashierName)
	}
	s.do(t, http.MethodGet, "/receipts/"+sold[1].ReceiptNo, s.manager.Token, nil).JSON(t, &one)
	if one.CashierName != "张收银" {
		t.Errorf("sale by receipt: cashier %q", one.CashierName)
	}
	var receipt struct {
		Sale pos.Sale
		Text string
	}
	s.do(t, http.MethodGet, "/sales/"+sold[1].ID.String()+"/receipt", s.manager.Token, nil).JSON(t, &receipt)
	if receipt.Sale.CashierName != "张收银" || !strings.Contains(receipt.Text, "收银员 张收银") {
		t.Errorf("receipt: cashier %q, text:\n%s", receipt.Sale.CashierName, receipt.Text)
	}

	q := s.offlineQueue(t, "")
	if len(q) != 2 {
		t.Fatalf("queue %+v", q)
	}
	for _, e := range q {
		wantReviewer := map[uuid.UUID]string{offline: "赵店长"}[e.SaleID]
		if e.CashierID != s.cashier.ID || e.CashierName != "张收银" || e.ReviewedByName != wantReviewer {
			t.Errorf("queue entry %s: cashier %s %q, reviewer %q, want %q", e.ReceiptNo, e.CashierID, e.CashierName, e.ReviewedByName, wantReviewer)
		}
	}

	// The close is far beyond tolerance: the manager approves it.
	r := s.closeShift(t, map[string]int64{"cash": 0})
	want(t, r, 200, "")
	var closed pos.Shift
	r.JSON(t, &closed)
	if closed.Status != "pending_approval" || closed.CashierName != "张收银" || closed.ApprovedByName != "" {
		t.Fatalf("closed shift %+v", closed)
	}
	r = s.do(t, http.MethodPost, "/shifts/"+sh.ID.String()+"/approve", s.manager.Token, map[string]any{"note": "复核"})
	want(t, r, 200, "")
	r.JSON(t, &closed)
	if closed.ApprovedByName != "赵店长" || closed.CashierName != "张收银" {
		t.Errorf("approved shift: cashier %q, approver %q", closed.CashierName, closed.ApprovedByName)
	}
	second := s.open(t, 0)
	var shifts struct{ Data []pos.Shift }
	s.do(t, http.MethodGet, "/shifts", s.manager.Token, nil).JSON(t, &shifts)
	if len(shifts.Data) != 2 {
		t.Fatalf("%d shifts", len(shifts.Data))
	}
	for _, x := range shifts.Data {
		wantApprover := map[uuid.UUID]string{sh.ID: "赵店长"}[x.ID]
		if x.CashierName != "张收银" || x.ApprovedByName != wantApprover {
			t.Errorf("shift list %s: cashier %q, approver %q, want %q", x.Status, x.CashierName, x.ApprovedByName, wantApprover)
		}
	}
	var detail pos.Shift
	s.do(t, http.MethodGet, "/shifts/"+sh.ID.String(), s.manager.Token, nil).JSON(t, &detail)
	if detail.CashierName != "张收银" || detail.ApprovedByName != "赵店长" {
		t.Errorf("shift detail: cashier %q, approver %q", detail.CashierName, detail.ApprovedByName)
	}

	// One row or several: the same statements.
	ctx := context.Background()
	all := authz.StoreScope{All: true}
	lists := map[string][2]func(ctx context.Context) (int, error){
		"sales": {
			func(ctx context.Context) (int, error) {
				rows, err := svc().ListSales(ctx, s.ID, pos.SaleFilter{Scope: all, StoreID: &s.store}, 50, sold[1].ID)
				return len(rows), err
			},
			func(ctx context.Context) (int, error) {
				rows, err := svc().ListSales(ctx, s.ID, pos.SaleFilter{Scope: all, StoreID: &s.store}, 50, uuid.Nil)
				return len(rows), err
			},
		},
		"shifts": {
			func(ctx context.Context) (int, error) {
				rows, err := svc().ListShifts(ctx, s.ID, s.store, pos.ShiftFilter{}, 50, second.ID)
				return len(rows), err
			},
			func(ctx context.Context) (int, error) {
				rows, err := svc().ListShifts(ctx, s.ID, s.store, pos.ShiftFilter{}, 50, uuid.Nil)
				return len(rows), err
			},
		},
		"offline queue": {
			func(ctx context.Context) (int, error) {
				rows, err := svc().OfflineQueue(ctx, s.ID, s.store, nil, "reviewed", 50)
				return len(rows), err
			},
			func(ctx context.Context) (int, error) {
				rows, err := svc().OfflineQueue(ctx, s.ID, s.store, nil, "", 50)
				return len(rows), err
			},
		},
	}
	for name, pair := range lists {
		var n [2]int
		var st [2]*apitest.Statements
		for i, list := range pair {
			if _, err := list(ctx); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			st[i] = env.CountStatements(t, s.ID, func(ctx context.Context) error {
				var err error
				n[i], err = list(ctx)
				return err
			})
		}
		if n[0] != 1 || n[1] < 2 || st[0].N() != st[1].N() {
			t.Errorf("%s: %d statements for %d row, %d for %d:\n%v\n%v", name, st[0].N(), n[0], st[1].N(), n[1], st[0].SQL(), st[1].SQL())
		}
	}

	// Another chain reads none of it.
	other := env.Signup(t)
	for _, rest := range []string{"/sales/" + sold[1].ID.String(), "/shifts/" + sh.ID.String(), "/receipts/" + sold[1].ReceiptNo} {
		if r := s.do(t, http.MethodGet, rest, other.AdminToken, nil); r.Status != 404 {
			t.Errorf("other chain GET %s: %d", rest, r.Status)
		}
	}
}
