package pos_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/modules/pos"
	"chainstore/tenant"
)

// A cart is priced, and a sale made, in the same number of statements
// for 1 line as for 20: nothing costs a round trip per line; and in few.
func TestCartsAndSalesCostNoRoundTripPerLine(t *testing.T) {
	s := newShop(t, env, 20)
	s.promotion(t, spendOff("满100减10", 10_000, 1_000))
	_, phone := s.member(t)
	s.open(t, 0)
	cashier := &tenant.Principal{TenantID: s.ID, UserID: s.cashier.ID, Roles: nil}
	ctx := context.Background()
	// The cashier's principal as the middleware builds it.
	if err := env.Server.Pool.WithTx(ctx, s.ID, func(ctx context.Context) error {
		var err error
		cashier, err = principalOf(ctx, s.cashier.Token)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	till, err := svc().Till(ctx, s.ID, s.store, s.device)
	if err != nil {
		t.Fatal(err)
	}
	var price, sell []int
	var logs []string
	for _, n := range []int{1, 1, 5, 20} { // the first one warms the caches
		cart := pos.CartInput{Member: &pos.MemberRef{Phone: phone}}
		for _, it := range s.items[:n] {
			id := it.sku
			// every cart reaches the 满100 threshold
			cart.Lines = append(cart.Lines, pos.LineInput{SKUID: &id, Qty: max(1, 10/int64(n)) * 1000})
		}
		var priced pos.PricedCart
		// The till prices a cart as it is built: the last price (counted)
		// finds the SKUs and the member in the caches the first one filled.
		env.CountStatements(t, s.ID, func(ctx context.Context) error {
			_, err := svc().PriceCart(tenant.WithPrincipal(ctx, cashier), cashier, s.store, cart)
			return err
		})
		st := env.CountStatements(t, s.ID, func(ctx context.Context) error {
			var err error
			priced, err = svc().PriceCart(tenant.WithPrincipal(ctx, cashier), cashier, s.store, cart)
			return err
		})
		price = append(price, st.N())
		logs = append(logs, fmt.Sprintf("price, %d lines: %d statements:\n%s", n, st.N(), strings.Join(st.SQL(), "\n")))
		in := pos.SaleInput{ID: uuid.Must(uuid.NewV7()), CartInput: cart, Tenders: []pos.TenderInput{{Method: "cash", Amount: priced.Payable}}}
		st = env.CountStatements(t, s.ID, func(ctx context.Context) error {
			_, err := svc().Sell(tenant.WithPrincipal(ctx, cashier), cashier, till, in)
			return err
		})
		sell = append(sell, st.N())
		logs = append(logs, fmt.Sprintf("sale, %d lines: %d statements:\n%s", n, st.N(), strings.Join(st.SQL(), "\n")))
	}
	price, sell = price[1:], sell[1:]
	if price[0] != price[2] || sell[0] != sell[2] {
		t.Errorf("statements for 1, 5, 20 lines: price %v, sale %v; want the same for each\n%s", price, sell, strings.Join(logs, "\n\n"))
	}
	// A warm cart costs no statement (SKUs, member, rule and settings from
	// memory and Redis); a sale nine: the till's slot, the member's lock
	// and earn, the promotion's gate and usage, stock's lock and write,
	// the journal entry, and the sale's own rows.
	if price[0] > 0 || sell[0] > 9 {
		t.Errorf("statements: price %v (want 0), sale %v (want at most 9)\n%s", price, sell, strings.Join(logs, "\n\n"))
	}
	b, _ := json.Marshal(map[string]any{"price": price, "sell": sell})
	t.Logf("statements %s", b)
}

// principalOf is the Principal the middleware builds from an access token.
func principalOf(_ context.Context, token string) (*tenant.Principal, error) {
	v, err := env.Server.Auth.Authenticate(token)
	if err != nil {
		return nil, err
	}
	return &tenant.Principal{TenantID: v.TenantID, UserID: v.UserID, SessionID: v.SessionID, TokenID: v.TokenID, Roles: v.Roles, Stores: v.Stores}, nil
}

// The settings every cart reads come from memory, and a change reaches
// another instance (its Redis notice) well before the cache's bound.
func TestASettingsChangeReachesAnotherInstance(t *testing.T) {
	s := newShop(t, env, 1)
	other := env.Another(t, nil)
	got, err := other.Server.POS.Settings(context.Background(), s.ID)
	if err != nil || got.Rounding != "fen" {
		t.Fatalf("default settings %+v %v", got, err)
	}
	want(t, s.e.Do(t, apitest.Req{Method: "PUT", Path: "/api/v1/pos/settings", Token: s.AdminToken, Body: map[string]any{
		"rounding": "floor_jiao", "variance_tolerance": 500, "return_approval_limit": 1_000, "cashier_discount_bp": 0}}), 200, "")
	deadline := time.Now().Add(5 * time.Second)
	for {
		got, err = other.Server.POS.Settings(context.Background(), s.ID)
		if err == nil && got.Rounding == "floor_jiao" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("another instance still reads %+v (%v) after 5s", got, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if mine, _ := svc().Settings(context.Background(), s.ID); mine.Rounding != "floor_jiao" {
		t.Errorf("the changing instance reads %+v", mine)
	}
}
