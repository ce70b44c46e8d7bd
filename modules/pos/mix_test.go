package pos_test

import (
	"context"
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/infra/doc"
	"chainstore/modules/pos"
	"chainstore/tenant"
)

// After a random mix of sales (walk-in and member, cash, stored value,
// points), part and whole returns, voids and offline uploads, the books
// hold: entries balance, stock is its movements, points and stored value
// are their ledgers, Σ tenders − Σ refunds = Σ sales − Σ returns.
func TestMoneyHoldsAfterARandomMix(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("MIX_SEED"); v != "" { // to replay a failure the log names
		seed, _ = strconv.ParseUint(v, 10, 64)
	}
	// Seeds that once failed run every time beside a fresh one:
	// 1796597885712263747 returned a sale paid with points and stored value in
	// part, then whole, and the points' share rounded a fen short (CI, 2026-12-06).
	for _, seed := range []uint64{1796597885712263747, seed} {
		t.Run(strconv.FormatUint(seed, 10), func(t *testing.T) { randomMix(t, seed) })
	}
}

func randomMix(t *testing.T, seed uint64) {
	s := newShop(t, env, 6)
	s.promotion(t, spendOff("满80减8", 8_000, 800))
	s.promotion(t, map[string]any{"name": "第二件半价", "kind": "nth_item", "items": map[string]any{"skus": []uuid.UUID{s.items[0].sku}},
		"rule": map[string]any{"n": 2, "off_bp": 5000}})
	memberID, phone := s.member(t)
	admin := &tenant.Principal{TenantID: s.ID, UserID: s.AdminID}
	if err := s.e.Server.Pool.WithTx(tenant.WithPrincipal(context.Background(), admin), s.ID, func(ctx context.Context) error {
		_, err := s.e.Server.Members.TopUp(ctx, s.ID, memberID, &s.store, 50_000, "cash", doc.Of(doc.TopUp, newID()))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	want(t, s.e.Do(t, apitest.Req{Method: http.MethodPut, Path: "/api/v1/pos/settings", Token: s.AdminToken, Body: map[string]any{
		"rounding": "floor_jiao", "variance_tolerance": 500, "return_approval_limit": 1_000_000, "cashier_discount_bp": 0}}), 200, "")
	want(t, s.e.Do(t, apitest.Req{Method: http.MethodPut, Path: "/api/v1/pos/approval-pin", Token: s.manager.Token, Body: map[string]any{"pin": "97531"}}), 204, "")
	manager := map[string]any{"user_id": s.manager.ID, "pin": "97531"}
	shift := s.open(t, 10_000)
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 7))
	var sales []pos.Sale
	var offlineSeq int64
	for op := 0; op < 40; op++ {
		switch k := rng.IntN(10); {
		case k < 5 || len(sales) == 0: // a sale
			n := 1 + rng.IntN(4)
			picked := rng.Perm(len(s.items))[:n]
			var its []item
			var qty []int64
			for _, i := range picked {
				its = append(its, s.items[i])
				qty = append(qty, int64(1+rng.IntN(3)))
			}
			body := map[string]any{"lines": lines(its, qty...)}
			member := rng.IntN(2) == 0
			if member {
				body["member"] = map[string]any{"phone": phone}
				if rng.IntN(3) == 0 {
					body["points_to_use"] = int64(rng.IntN(200))
				}
			}
			c := s.do(t, http.MethodPost, "/carts/price", s.cashier.Token, body)
			if c.Status != 200 {
				// points beyond the balance, say: the till shows why
				delete(body, "points_to_use")
				c = s.do(t, http.MethodPost, "/carts/price", s.cashier.Token, body)
				want(t, c, 200, "")
			}
			var priced pos.PricedCart
			c.JSON(t, &priced)
			pay := priced.Payable
			switch {
			case member && rng.IntN(2) == 0 && pay > 1 && priced.Member.StoredValue > 0:
				sv := 1 + rng.Int64N(min(pay, priced.Member.StoredValue))
				body["tenders"] = []any{map[string]any{"method": "stored_value", "amount": sv}, cash(pay-sv, pay-sv+rng.Int64N(1000))}
				if pay == sv {
					body["tenders"] = []any{map[string]any{"method": "stored_value", "amount": sv}}
				}
			default:
				body["tenders"] = []any{cash(pay, pay+rng.Int64N(5000))}
			}
			sales = append(sales, s.sell(t, body))
		case k < 7: // a return of part of a sale
			sale := sales[rng.IntN(len(sales))]
			l := sale.Lines[rng.IntN(len(sale.Lines))]
			q := int64(1+rng.IntN(2)) * 1000
			r := s.giveBack(t, s.cashier.Token, map[string]any{"sale_id": sale.ID, "lines": []any{map[string]any{"line_no": l.LineNo, "qty": q, "damaged": rng.IntN(4) == 0}}})
			if r.Status != 201 && r.Code() != "pos.return_exceeds_sale" && r.Code() != "pos.invalid_return" {
				t.Fatalf("return: %d %s", r.Status, r.Body)
			}
		case k < 8: // a whole return
			sale := sales[rng.IntN(len(sales))]
			r := s.giveBack(t, s.cashier.Token, map[string]any{"sale_id": sale.ID})
			if r.Status != 201 && r.Code() != "pos.return_exceeds_sale" && r.Code() != "pos.invalid_return" {
				t.Fatalf("whole return: %d %s", r.Status, r.Body)
			}
		case k < 9: // void the last sale
			last := sales[len(sales)-1]
			r := s.idem(t, http.MethodPost, "/sales/"+last.ID.String()+"/void", s.cashier.Token, uuid.NewString(), map[string]any{"reason": "作废", "approval": manager})
			if r.Status != 201 && r.Code() != "pos.void_refused" {
				t.Fatalf("void: %d %s", r.Status, r.Body)
			}
		default: // an offline batch of two walk-in cash sales, uploaded twice
			var batch []any
			for i := 0; i < 2; i++ {
				it := s.items[rng.IntN(len(s.items))]
				offlineSeq++
				total := it.price
				batch = append(batch, map[string]any{"id": newID(), "shift_id": shift.ID, "sold_at": time.Now().Add(-time.Minute),
					"offline_seq": offlineSeq, "offline_total": total, "lines": lines([]item{it}), "tenders": []any{cash(total, 0)}})
			}
			body := map[string]any{"id": newID(), "sales": batch}
			for i := 0; i < 2; i++ {
				want(t, s.idem(t, http.MethodPost, "/offline-batches", s.cashier.Token, uuid.NewString(), body), 201, "")
			}
		}
	}
	checkMoney(t, s)
	if t.Failed() {
		rows, _ := s.e.Owner.Query(`SELECT s.receipt_no, s.total, s.paid, s.points_used, s.points_uses::text, s.rounding,
			(SELECT coalesce(sum(amount), 0) FROM pos_sale_tenders t WHERE t.tenant_id = s.tenant_id AND t.sale_id = s.id)
			FROM pos_sales s WHERE s.tenant_id = $1`, s.ID)
		for rows.Next() {
			var no, uses string
			var total, paid, used, rounding, tenders int64
			_ = rows.Scan(&no, &total, &paid, &used, &uses, &rounding, &tenders)
			t.Logf("%s total %d paid %d points %d uses %s rounding %d tenders %d", no, total, paid, used, uses, rounding, tenders)
		}
		rows.Close()
		t.Logf("reproduce with seed %d", seed)
	}
}
