package members_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/infra/doc"
	"chainstore/modules/finance"
	"chainstore/modules/members"
)

var env *apitest.Env

func TestMain(m *testing.M) { apitest.Main(m, "members", &env) }

func svc() *members.Service { return env.Server.Members }

// source names a test's document: the same name is the same document (a
// UUID derived from it), as a till's retry sends the same id.
func source(typ, name string) doc.Source { return doc.Of(typ, docID(name)) }

// sid is the source_id a till sends for the document named name.
func sid(name string) string { return docID(name).String() }

func docID(name string) uuid.UUID { return uuid.NewSHA1(uuid.NameSpaceOID, []byte(name)) }

var phoneSeq = 0

func newPhone() string {
	phoneSeq++
	return fmt.Sprintf("139%04d%04d", time.Now().UnixNano()%10000, phoneSeq)
}

func createMember(t *testing.T, tn *apitest.Tenant, phone string, extra map[string]any) members.Member {
	t.Helper()
	body := map[string]any{"name": "张三丰", "phone": phone, "birthday": "1990-06-15", "address": "上海市黄浦区人民大道 1 号", "tags": []string{"vip"}}
	for k, v := range extra {
		body[k] = v
	}
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/members", Token: tn.AdminToken, Body: body})
	if r.Status != 201 {
		t.Fatalf("create member: %d %s", r.Status, r.Body)
	}
	var m members.Member
	r.JSON(t, &m)
	return m
}

func lookupPath(store uuid.UUID, q string) string {
	return "/api/v1/stores/" + store.String() + "/pos/members/lookup?" + q
}

func TestEncryptionAtRestBlindIndexAndMasking(t *testing.T) {
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	phone := newPhone()
	m := createMember(t, tn, phone, nil)
	if m.Phone != phone || m.Name != "张三丰" || m.PIIMasked || m.Card == nil || m.Card.Status != "active" {
		t.Fatalf("created %+v", m)
	}
	// The raw row holds no plaintext: not the phone, name, birthday or address.
	var raw []byte
	if err := env.Owner.QueryRow(`SELECT convert_to(concat_ws('|', encode(name_enc, 'escape'), encode(phone_enc, 'escape'), encode(birthday_enc, 'escape'),
		encode(address_enc, 'escape'), encode(phone_index, 'escape')), 'UTF8') FROM members WHERE id = $1`, m.ID).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	for _, plain := range []string{phone, phone[3:], "张三丰", "1990-06-15", "人民大道"} {
		if bytes.Contains(raw, []byte(plain)) {
			t.Fatalf("raw columns contain %q", plain)
		}
	}
	if n := env.Count(t, `SELECT count(*) FROM members WHERE id = $1 AND phone_index = $2`, m.ID, svc().PhoneIndex(tn.ID, phone)); n != 1 {
		t.Fatal("phone_index is not the blind index of the phone")
	}
	// Phone is unique per tenant, in any spelling.
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/members", Token: tn.AdminToken, Body: map[string]any{"phone": "+86 " + phone}})
	if r.Status != 409 || r.Code() != "members.phone_taken" {
		t.Fatalf("duplicate phone: %d %s", r.Status, r.Body)
	}
	// The cashier sees masked values and leaves no PII-view audit row.
	cashier := env.CreateUser(t, tn, "cashier", &store, nil)
	views := func() int {
		return env.Count(t, `SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND action = 'member.pii_view' AND object_id = $2`, tn.ID, m.ID.String())
	}
	before := views()
	r = env.Do(t, apitest.Req{Method: "GET", Path: lookupPath(store, "phone="+phone), Token: cashier.Token})
	if r.Status != 200 {
		t.Fatalf("cashier lookup: %d %s", r.Status, r.Body)
	}
	var got members.Member
	r.JSON(t, &got)
	if got.ID != m.ID || !got.PIIMasked || got.Phone != phone[:3]+"****"+phone[7:] || got.Name != "张**" || got.Birthday != nil || got.Address != nil {
		t.Fatalf("cashier sees %+v", got)
	}
	if views() != before {
		t.Fatal("a masked view wrote a PII-view audit row")
	}
	// The store manager sees full values, and each full view is audited.
	manager := env.CreateUser(t, tn, "store_manager", &store, nil)
	for i := 1; i <= 2; i++ {
		r = env.Do(t, apitest.Req{Method: "GET", Path: lookupPath(store, "phone="+phone), Token: manager.Token})
		r.JSON(t, &got)
		if r.Status != 200 || got.PIIMasked || got.Phone != phone || got.Birthday == nil || *got.Birthday != "1990-06-15" {
			t.Fatalf("manager sees %d %+v", r.Status, got)
		}
		if views() != before+i {
			t.Fatalf("%d PII-view rows after %d full views", views()-before, i)
		}
	}
	// HQ 360 view is full and audited too.
	r = env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/members/" + m.ID.String(), Token: tn.AdminToken})
	var v members.View360
	r.JSON(t, &v)
	if r.Status != 200 || v.Member.Address == nil || len(v.Cards) != 1 || v.RecentPurchases == nil {
		t.Fatalf("360: %d %s", r.Status, r.Body)
	}
	if views() != before+3 {
		t.Fatal("the 360 view was not audited")
	}
}

func TestCardLossAndReissueCarryBalances(t *testing.T) {
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/topup-rules", Token: tn.AdminToken, Body: map[string]any{"name": "充100送10", "min_amount": 10000, "bonus": 1000}})
	if r.Status != 201 {
		t.Fatalf("topup rule: %d %s", r.Status, r.Body)
	}
	m := createMember(t, tn, newPhone(), nil)
	r = env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/stores/" + store.String() + "/pos/members/" + m.ID.String() + "/topup", Token: tn.AdminToken,
		Body: map[string]any{"amount": 10000, "payment_method": "wechat", "source_type": "topup_order", "source_id": sid("T1")}})
	var e members.ValueEntry
	r.JSON(t, &e)
	if r.Status != 201 || e.Principal != 10000 || e.Bonus != 1000 || e.StoreID == nil || *e.StoreID != store {
		t.Fatalf("top-up: %d %s", r.Status, r.Body)
	}
	if _, err := svc().EarnPoints(context.Background(), tn.ID, members.EarnInput{MemberID: m.ID, StoreID: store, Source: source("sale", "S1"),
		Lines: []members.EarnLine{{Amount: 5000}}}); err != nil {
		t.Fatal(err)
	}
	oldCard := m.Card.Number
	card := func(action string) *apitest.Response {
		return env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/members/" + m.ID.String() + "/card/" + action, Token: tn.AdminToken})
	}
	if r := env.Do(t, apitest.Req{Method: "GET", Path: lookupPath(store, "card="+oldCard), Token: tn.AdminToken}); r.Status != 200 {
		t.Fatalf("lookup by card: %d", r.Status)
	}
	if r := card("report-loss"); r.Status != 200 {
		t.Fatalf("report loss: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "GET", Path: lookupPath(store, "card="+oldCard), Token: tn.AdminToken}); r.Status != 404 {
		t.Fatalf("lost card still finds the member: %d", r.Status)
	}
	if r := card("freeze"); r.Status != 409 || r.Code() != "members.card_state" {
		t.Fatalf("freezing a lost card: %d %s", r.Status, r.Body)
	}
	r = card("reissue")
	var after members.Member
	r.JSON(t, &after)
	if r.Status != 200 || after.Card == nil || after.Card.Number == oldCard || after.Card.Status != "active" {
		t.Fatalf("reissue: %d %s", r.Status, r.Body)
	}
	if after.BalancePrincipal != 10000 || after.BalanceBonus != 1000 || after.Points != 50 {
		t.Fatalf("balances after reissue: %+v", after)
	}
	r = env.Do(t, apitest.Req{Method: "GET", Path: lookupPath(store, "card="+after.Card.Number), Token: tn.AdminToken})
	var found members.Member
	r.JSON(t, &found)
	if r.Status != 200 || found.ID != m.ID || found.Balance != 11000 {
		t.Fatalf("lookup by new card: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "GET", Path: lookupPath(store, "card="+oldCard), Token: tn.AdminToken}); r.Status != 404 {
		t.Fatalf("old number after reissue: %d", r.Status)
	}
	// A frozen card's balance and points cannot be spent; unfrozen, they can.
	if card("freeze").Status != 200 {
		t.Fatal("freeze")
	}
	pay := func(src string) *apitest.Response {
		return env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/stores/" + store.String() + "/pos/members/" + m.ID.String() + "/pay",
			Token: tn.AdminToken, Body: map[string]any{"amount": 100, "source_type": "sale", "source_id": sid(src)}})
	}
	if r := pay("F1"); r.Status != 409 || r.Code() != "members.card_state" {
		t.Fatalf("paying from a frozen card: %d %s", r.Status, r.Body)
	}
	if _, err := svc().RedeemPoints(context.Background(), tn.ID, m.ID, store, 10, source("sale", "F2")); err == nil {
		t.Fatal("redeemed points of a frozen card")
	}
	if card("unfreeze").Status != 200 {
		t.Fatal("unfreeze")
	}
	if r := pay("F3"); r.Status != 201 {
		t.Fatalf("paying after unfreezing: %d %s", r.Status, r.Body)
	}
	if n := env.Count(t, `SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND object_id = $2 AND action LIKE 'member.card_%'`, tn.ID, m.ID.String()); n != 4 {
		t.Fatalf("%d card audit rows, want 4", n)
	}
}

func TestQRTokenExpiryAndReplay(t *testing.T) {
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	m := createMember(t, tn, newPhone(), nil)
	issue := func() members.QRToken {
		r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/members/" + m.ID.String() + "/qr-token", Token: tn.AdminToken})
		var q members.QRToken
		r.JSON(t, &q)
		if r.Status != 201 || q.Token == "" {
			t.Fatalf("qr token: %d %s", r.Status, r.Body)
		}
		return q
	}
	q := issue()
	if r := env.Do(t, apitest.Req{Method: "GET", Path: lookupPath(store, "qr="+q.Token), Token: tn.AdminToken}); r.Status != 200 {
		t.Fatalf("first scan: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "GET", Path: lookupPath(store, "qr="+q.Token), Token: tn.AdminToken}); r.Status != 409 || r.Code() != "members.qr_used" {
		t.Fatalf("replayed scan: %d %s", r.Status, r.Body)
	}
	q2 := issue()
	later := time.Now().Add(members.QRTTL + time.Second)
	env.Server.Clock.Set(func() time.Time { return later })
	r := env.Do(t, apitest.Req{Method: "GET", Path: lookupPath(store, "qr="+q2.Token), Token: tn.AdminToken})
	env.Server.Clock.Set(nil)
	if r.Status != 422 || r.Code() != "members.qr_expired" {
		t.Fatalf("expired scan: %d %s", r.Status, r.Body)
	}
	bad := q2.Token[:len(q2.Token)-2] + "AA"
	if r := env.Do(t, apitest.Req{Method: "GET", Path: lookupPath(store, "qr="+bad), Token: tn.AdminToken}); r.Status != 422 || r.Code() != "members.qr_invalid" {
		t.Fatalf("forged token: %d %s", r.Status, r.Body)
	}
	// A token of one chain is worthless in another.
	other := env.Signup(t)
	otherStore := env.CreateStore(t, other, nil)
	q3 := issue()
	if r := env.Do(t, apitest.Req{Method: "GET", Path: lookupPath(otherStore, "qr="+q3.Token), Token: other.AdminToken}); r.Status != 422 {
		t.Fatalf("token in another chain: %d", r.Status)
	}
}

func TestTierUpgradeAtOnceDowngradeByJob(t *testing.T) {
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	for _, tier := range []map[string]any{
		{"code": "normal", "name": "普通", "rank": 0, "basis": "spend", "threshold": 0},
		{"code": "silver", "name": "银卡", "rank": 1, "basis": "spend", "threshold": 100000, "window_days": 365, "points_multiplier": 150, "discount_bp": 200},
	} {
		if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/member-tiers", Token: tn.AdminToken, Body: tier}); r.Status != 201 {
			t.Fatalf("tier: %d %s", r.Status, r.Body)
		}
	}
	m := createMember(t, tn, newPhone(), nil)
	if m.Tier == nil || m.Tier.Code != "normal" {
		t.Fatalf("new member tier %+v", m.Tier)
	}
	ctx := context.Background()
	now := time.Now().UTC()
	e, err := svc().EarnPoints(ctx, tn.ID, members.EarnInput{MemberID: m.ID, StoreID: store, Source: source("sale", "big"), Lines: []members.EarnLine{{Amount: 120000}}, At: now})
	if err != nil || e.Points != 1200 {
		t.Fatalf("earn: %+v %v", e, err)
	}
	got, _ := svc().Get(ctx, tn.ID, m.ID, false)
	if got.Tier == nil || got.Tier.Code != "silver" {
		t.Fatalf("not upgraded at once: %+v", got.Tier)
	}
	// Silver earns 1.5x.
	e, _ = svc().EarnPoints(ctx, tn.ID, members.EarnInput{MemberID: m.ID, StoreID: store, Source: source("sale", "small"), Lines: []members.EarnLine{{Amount: 1000}}, At: now})
	if e.Points != 15 {
		t.Fatalf("silver earn %d points, want 15", e.Points)
	}
	if n, err := svc().ReevaluateTiers(ctx, tn.ID, now.Add(24*time.Hour)); err != nil || n != 0 {
		t.Fatalf("reevaluate within the window changed %d (%v)", n, err)
	}
	if n, err := svc().ReevaluateTiers(ctx, tn.ID, now.Add(400*24*time.Hour)); err != nil || n != 1 {
		t.Fatalf("reevaluate after the window changed %d (%v)", n, err)
	}
	got, _ = svc().Get(ctx, tn.ID, m.ID, false)
	if got.Tier == nil || got.Tier.Code != "normal" {
		t.Fatalf("not downgraded: %+v", got.Tier)
	}
}

func TestPointsFIFOAndExpiry(t *testing.T) {
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil) // in the chain's zone, Asia/Shanghai
	m := createMember(t, tn, newPhone(), nil)
	ctx := context.Background()
	loc, _ := time.LoadLocation("Asia/Shanghai")
	earn := func(id string, fen int64, at time.Time) {
		if _, err := svc().EarnPoints(ctx, tn.ID, members.EarnInput{MemberID: m.ID, StoreID: store, Source: source("sale", id), Lines: []members.EarnLine{{Amount: fen}}, At: at}); err != nil {
			t.Fatal(err)
		}
	}
	earn("y2025", 10000, time.Date(2025, 3, 1, 10, 0, 0, 0, loc)) // 100 points, expire 2027-01-01
	earn("y2026", 5000, time.Date(2026, 3, 1, 10, 0, 0, 0, loc))  // 50 points, expire 2028-01-01
	earn("y2026", 5000, time.Date(2026, 3, 1, 10, 0, 0, 0, loc))  // the same sale again: nothing
	e, err := svc().RedeemPoints(ctx, tn.ID, m.ID, store, 30, source("sale", "r1"))
	if err != nil || e.Value != 30 || e.BalanceAfter != 120 {
		t.Fatalf("redeem: %+v %v", e, err)
	}
	// The 30 came from the oldest lot.
	if n := env.Count(t, `SELECT remaining FROM points_lots WHERE member_id = $1 ORDER BY expires_at LIMIT 1`, m.ID); n != 70 {
		t.Fatalf("oldest lot has %d left, want 70", n)
	}
	if _, err := svc().ExpirePoints(ctx, tn.ID, time.Date(2026, 12, 31, 23, 0, 0, 0, loc)); err != nil {
		t.Fatal(err)
	}
	if got, _ := svc().Get(ctx, tn.ID, m.ID, false); got.Points != 120 {
		t.Fatalf("points before the end of 2026: %d", got.Points)
	}
	for i := 0; i < 2; i++ { // idempotent
		if _, err := svc().ExpirePoints(ctx, tn.ID, time.Date(2027, 1, 1, 0, 0, 1, 0, loc)); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := svc().Get(ctx, tn.ID, m.ID, false); got.Points != 50 {
		t.Fatalf("points after the 2025 lot expired: %d, want 50", got.Points)
	}
	if _, err := svc().RedeemPoints(ctx, tn.ID, m.ID, store, 51, source("sale", "r2")); err == nil {
		t.Fatal("redeemed more than the balance")
	}
	// Ledger sums to the balance; the ledger refuses changes.
	if n := env.Count(t, `SELECT sum(points) FROM points_ledger WHERE member_id = $1`, m.ID); n != 50 {
		t.Fatalf("ledger sums to %d", n)
	}
	if _, err := env.Owner.Exec(`UPDATE points_ledger SET points = 0 WHERE member_id = $1`, m.ID); err == nil {
		t.Fatal("the points ledger accepted an UPDATE")
	}
}

func TestConcurrentStoredValuePayments(t *testing.T) {
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	cashier := env.CreateUser(t, tn, "cashier", &store, nil)
	m := createMember(t, tn, newPhone(), nil)
	base := "/api/v1/stores/" + store.String() + "/pos/members/" + m.ID.String()
	if r := env.Do(t, apitest.Req{Method: "POST", Path: base + "/topup", Token: cashier.Token, Body: map[string]any{"amount": 4000, "payment_method": "cash", "source_type": "topup", "source_id": sid("t1")}}); r.Status != 201 {
		t.Fatalf("top-up: %d %s", r.Status, r.Body)
	}
	var ok, short int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			r := env.Do(t, apitest.Req{Method: "POST", Path: base + "/pay", Token: cashier.Token,
				Body: map[string]any{"amount": 100, "source_type": "sale", "source_id": sid(fmt.Sprintf("S%d", i))}})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case r.Status == 201:
				ok++
			case r.Status == 409 && r.Code() == "members.insufficient_balance":
				short++
			default:
				t.Errorf("pay %d: %d %s", i, r.Status, r.Body)
			}
		}(i)
	}
	wg.Wait()
	if ok != 40 || short != 60 {
		t.Fatalf("%d payments succeeded and %d were refused; want 40 and 60", ok, short)
	}
	got, _ := svc().Get(context.Background(), tn.ID, m.ID, false)
	if got.Balance != 0 || got.BalancePrincipal != 0 || got.BalanceBonus != 0 {
		t.Fatalf("balance after: %+v", got)
	}
	if n := env.Count(t, `SELECT count(*) FROM stored_value_ledger WHERE member_id = $1 AND kind = 'pay'`, m.ID); n != 40 {
		t.Fatalf("%d pay entries", n)
	}
	if n := env.Count(t, `SELECT coalesce(sum(principal + bonus), 0) FROM stored_value_ledger WHERE member_id = $1`, m.ID); n != 0 {
		t.Fatalf("ledger sums to %d", n)
	}
	// Each payment posted with it: the liability is gone from the books and
	// the 40 payments wait in the store's "tendered" account for their sales.
	checkBooks(t, tn.ID, "after concurrent payments")
	if v := accountBalance(t, tn.ID, finance.AcctSVTendered); v != -4000 {
		t.Fatalf("tendered account %d, want -4000", v)
	}
	if n := env.Count(t, `SELECT count(*) FROM fin_entries WHERE tenant_id = $1 AND source_type = 'sv_tender'`, tn.ID); n != 40 {
		t.Fatalf("%d tender entries for 40 payments", n)
	}
}

func TestStoredValueSplitAndRefund(t *testing.T) {
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	ctx := context.Background()
	if _, err := svc().CreateTopupRule(ctx, tn.ID, members.TopupRuleInput{Name: "充100送10", MinAmount: 10000, Bonus: 1000}); err != nil {
		t.Fatal(err)
	}
	m := createMember(t, tn, newPhone(), nil)
	if _, err := svc().TopUp(ctx, tn.ID, m.ID, nil, 10000, "cash", source("topup", "1")); err != nil {
		t.Fatal(err)
	}
	pay, err := svc().PayStoredValue(ctx, tn.ID, m.ID, store, 5500, source("sale", "1"))
	if err != nil || pay.Principal != -5000 || pay.Bonus != -500 {
		t.Fatalf("pay split: %+v %v", pay, err)
	}
	again, _ := svc().PayStoredValue(ctx, tn.ID, m.ID, store, 5500, source("sale", "1"))
	if again.ID != pay.ID {
		t.Fatal("a repeated payment for the same sale paid twice")
	}
	ref, err := svc().RefundStoredValue(ctx, tn.ID, pay.ID, 1100, source("return", "1"))
	if err != nil || ref.Principal != 1000 || ref.Bonus != 100 || ref.StoreID == nil || *ref.StoreID != store {
		t.Fatalf("refund: %+v %v", ref, err)
	}
	if _, err := svc().RefundStoredValue(ctx, tn.ID, pay.ID, 5000, source("return", "2")); err == nil {
		t.Fatal("refunded more than the payment")
	}
	out, err := svc().CashOut(ctx, tn.ID, m.ID, &store, "cash", source("cash_out", "1"))
	if err != nil || out.Principal != -6000 || out.Bonus != -600 {
		t.Fatalf("cash out (principal returned, bonus forfeited): %+v %v", out, err)
	}
}

func TestLookupCacheInvalidationAndRedisDown(t *testing.T) {
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	phone := newPhone()
	m := createMember(t, tn, phone, nil)
	get := func(e *apitest.Env) members.Member {
		r := e.Do(t, apitest.Req{Method: "GET", Path: lookupPath(store, "phone="+phone), Token: tn.AdminToken})
		if r.Status != 200 {
			t.Fatalf("lookup: %d %s", r.Status, r.Body)
		}
		var got members.Member
		r.JSON(t, &got)
		return got
	}
	get(env) // cached now
	if r := env.Do(t, apitest.Req{Method: "PATCH", Path: "/api/v1/members/" + m.ID.String(), Token: tn.AdminToken, Body: map[string]any{"name": "李四"}}); r.Status != 200 {
		t.Fatalf("patch: %d %s", r.Status, r.Body)
	}
	if got := get(env); got.Name != "李四" {
		t.Fatalf("stale cache after update: %q", got.Name)
	}
	if _, err := svc().TopUp(context.Background(), tn.ID, m.ID, nil, 500, "cash", source("t", "1")); err != nil {
		t.Fatal(err)
	}
	if got := get(env); got.Balance != 500 {
		t.Fatalf("stale balance after top-up: %d", got.Balance)
	}
	// A second instance whose Redis is dead still answers look-ups.
	down := env.Another(t, map[string]string{"REDIS_URL": "redis://127.0.0.1:1/0"})
	for i := 0; i < 5; i++ {
		if got := get(down); got.ID != m.ID || got.Balance != 500 {
			t.Fatalf("lookup with Redis down: %+v", got)
		}
	}
	if r := down.Do(t, apitest.Req{Method: "GET", Path: lookupPath(store, "phone=13000000000"), Token: tn.AdminToken}); r.Status != 404 {
		t.Fatalf("unknown phone with Redis down: %d", r.Status)
	}
}

func TestImportValidateThenCommit(t *testing.T) {
	tn := env.Signup(t)
	existing := newPhone()
	createMember(t, tn, existing, nil)
	p1, p2 := newPhone(), newPhone()
	csv := "手机号,姓名,性别,生日,标签\n" + p1 + ",王五,男,1985-01-02,vip;常客\n" + p2 + ",赵六,女,,\n" + p1 + ",重复,,,\nnot-a-phone,坏,,,\n" + existing + ",老会员,,,\n" +
		newPhone() + ",坏日期,,1985-13-40,\n"
	do := func(q string) *apitest.Response {
		return env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/members/import" + q, Token: tn.AdminToken, RawBody: []byte(csv), Header: map[string]string{"Content-Type": "text/csv"}})
	}
	r := do("")
	var rep members.ImportReport
	r.JSON(t, &rep)
	if r.Status != 200 || rep.Committed || rep.Valid != 2 || rep.Existing != 1 || len(rep.Errors) != 3 {
		t.Fatalf("validate: %d %s", r.Status, r.Body)
	}
	before := env.Count(t, `SELECT count(*) FROM members WHERE tenant_id = $1`, tn.ID)
	if r := do("?commit=true"); r.Status != 422 || r.Code() != "members.import_invalid" {
		t.Fatalf("commit with errors: %d %s", r.Status, r.Body)
	}
	if env.Count(t, `SELECT count(*) FROM members WHERE tenant_id = $1`, tn.ID) != before {
		t.Fatal("a refused import wrote members")
	}
	r = do("?commit=true&accept_errors=true")
	r.JSON(t, &rep)
	if r.Status != 200 || !rep.Committed || rep.Created != 2 {
		t.Fatalf("commit: %d %s", r.Status, r.Body)
	}
	if n := env.Count(t, `SELECT count(*) FROM members WHERE tenant_id = $1 AND channel = 'import'`, tn.ID); n != 2 {
		t.Fatalf("%d imported members", n)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/members/import", Token: tn.AdminToken, RawBody: []byte("a,b\n1,2\n"), Header: map[string]string{"Content-Type": "text/csv"}}); r.Status != 422 {
		t.Fatalf("file without phone column: %d", r.Status)
	}
}

func TestMergeExportErase(t *testing.T) {
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	ctx := context.Background()
	a, b := createMember(t, tn, newPhone(), nil), createMember(t, tn, newPhone(), nil)
	svc().EarnPoints(ctx, tn.ID, members.EarnInput{MemberID: b.ID, StoreID: store, Source: source("sale", "b1"), Lines: []members.EarnLine{{Amount: 3000}}})
	svc().TopUp(ctx, tn.ID, b.ID, nil, 2000, "cash", source("t", "b"))
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/members/" + a.ID.String() + "/merge", Token: tn.AdminToken, Body: map[string]any{"from_member_id": b.ID}})
	var merged members.Member
	r.JSON(t, &merged)
	if r.Status != 200 || merged.Points != 30 || merged.BalancePrincipal != 2000 || merged.TotalSpend != 3000 {
		t.Fatalf("merge: %d %s", r.Status, r.Body)
	}
	var v members.View360
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/members/" + a.ID.String() + "/export", Token: tn.AdminToken}).JSON(t, &v)
	if v.Member.Phone != a.Phone || len(v.PointsLedger) < 2 || len(v.ValueLedger) < 2 {
		t.Fatalf("export: %+v", v)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/members/" + a.ID.String() + "/erase", Token: tn.AdminToken}); r.Status != 409 || r.Code() != "members.balance_not_zero" {
		t.Fatalf("erase with balance: %d %s", r.Status, r.Body)
	}
	svc().CashOut(ctx, tn.ID, a.ID, nil, "cash", source("c", "1"))
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/members/" + a.ID.String() + "/erase", Token: tn.AdminToken}); r.Status != 204 {
		t.Fatalf("erase: %d %s", r.Status, r.Body)
	}
	if n := env.Count(t, `SELECT count(*) FROM members WHERE id = $1 AND name_enc IS NULL AND phone_enc IS NULL AND phone_index IS NULL AND status = 'erased'`, a.ID); n != 1 {
		t.Fatal("erase left personal data")
	}
	if n := env.Count(t, `SELECT count(*) FROM points_ledger WHERE member_id IN ($1, $2)`, a.ID, b.ID); n < 3 {
		t.Fatal("erase removed ledger entries")
	}
}

func TestBirthdayGiftsOncePerYear(t *testing.T) {
	tn := env.Signup(t)
	ctx := context.Background()
	coupon := "BDAY"
	if _, err := svc().CreateTier(ctx, tn.ID, members.TierInput{Code: "n", Name: "普通", Basis: "spend", BirthdayPoints: 88, BirthdayCoupon: &coupon}); err != nil {
		t.Fatal(err)
	}
	m := createMember(t, tn, newPhone(), map[string]any{"birthday": "1990-06-15"})
	m2 := createMember(t, tn, newPhone(), map[string]any{"birthday": "1985-06-30"}) // the same month: its own gift
	createMember(t, tn, newPhone(), map[string]any{"birthday": "1990-07-15"})
	june := time.Date(2026, 6, 3, 4, 0, 0, 0, time.UTC)
	for i, want := range []int{2, 0} {
		n, err := svc().IssueBirthdayGifts(ctx, tn.ID, june)
		if err != nil || n != want {
			t.Fatalf("run %d: %d %v", i, n, err)
		}
	}
	for _, m := range []members.Member{m, m2} {
		got, _ := svc().Get(ctx, tn.ID, m.ID, false)
		if got.Points != 88 || env.Count(t, `SELECT count(*) FROM member_coupons WHERE member_id = $1 AND code = 'BDAY'`, m.ID) != 1 {
			t.Fatalf("birthday gift: %d points", got.Points)
		}
	}
}

func TestMembers404OtherTenantAndStoreScope(t *testing.T) {
	a, b := env.Signup(t), env.Signup(t)
	storeA := env.CreateStore(t, a, nil)
	storeB := env.CreateStore(t, b, nil)
	mb := createMember(t, b, newPhone(), nil)
	tierB, _ := svc().CreateTier(context.Background(), b.ID, members.TierInput{Code: "x", Name: "x", Basis: "spend"})
	ctx := context.Background()
	giftB, err := svc().CreateGift(ctx, b.ID, members.GiftInput{Name: "B礼品", PointsCost: 1})
	if err != nil {
		t.Fatal(err)
	}
	ruleB, err := svc().CreateTopupRule(ctx, b.ID, members.TopupRuleInput{Name: "B充值", MinAmount: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc().SetPointsRule(ctx, b.ID, members.PointsRuleInput{PointsPerYuan: 7, Expiry: "never", PointsPerYuanOff: 300}); err != nil {
		t.Fatal(err)
	}
	earnB, err := svc().EarnPoints(ctx, b.ID, members.EarnInput{MemberID: mb.ID, StoreID: storeB, Source: source("sale", "1"), Lines: []members.EarnLine{{Amount: 1000}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc().TopUp(ctx, b.ID, mb.ID, &storeB, 5000, "cash", source("t", "1")); err != nil {
		t.Fatal(err)
	}
	payB, err := svc().PayStoredValue(ctx, b.ID, mb.ID, storeB, 100, source("sale", "1"))
	if err != nil {
		t.Fatal(err)
	}
	// Tenant A's own member, naming tenant B's objects in the path or body.
	own := createMember(t, a, newPhone(), nil)
	if _, err := svc().TopUp(ctx, a.ID, own.ID, &storeA, 5000, "cash", source("t", "1")); err != nil {
		t.Fatal(err)
	}
	ownPath := "/api/v1/members/" + own.ID.String()
	before, err := svc().Get(ctx, b.ID, mb.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	id := mb.ID.String()
	for _, req := range []apitest.Req{
		{Method: "POST", Path: ownPath + "/merge", Body: map[string]any{"from_member_id": mb.ID}},
		{Method: "POST", Path: ownPath + "/gift-redemptions", Body: map[string]any{"gift_id": giftB.ID}},
		{Method: "POST", Path: ownPath + "/points-entries/" + earnB.ID.String() + "/reverse", Body: map[string]any{"note": "x"}},
		{Method: "POST", Path: "/api/v1/members/" + id + "/points-entries/" + earnB.ID.String() + "/reverse", Body: map[string]any{"note": "x"}},
		{Method: "POST", Path: "/api/v1/member-tiers/" + tierB.ID.String() + "/activate"},
		{Method: "POST", Path: "/api/v1/member-tiers/" + tierB.ID.String() + "/deactivate"},
		{Method: "POST", Path: "/api/v1/member-gifts/" + giftB.ID.String() + "/activate"},
		{Method: "POST", Path: "/api/v1/topup-rules/" + ruleB.ID.String() + "/activate"},
		{Method: "POST", Path: "/api/v1/stores/" + storeA.String() + "/pos/members/" + own.ID.String() + "/stored-value-refunds",
			Body: map[string]any{"payment_id": payB.ID, "amount": 1, "source_type": "return", "source_id": sid("1")}},
		{Method: "POST", Path: "/api/v1/stores/" + storeB.String() + "/pos/members/" + id + "/stored-value-refunds",
			Body: map[string]any{"payment_id": payB.ID, "amount": 1, "source_type": "return", "source_id": sid("2")}},
		{Method: "POST", Path: "/api/v1/stores/" + storeB.String() + "/pos/members/" + id + "/cash-out",
			Body: map[string]any{"payment_method": "cash", "source_type": "cash_out", "source_id": sid("1")}},
		{Method: "GET", Path: "/api/v1/members/" + id},
		{Method: "PATCH", Path: "/api/v1/members/" + id, Body: map[string]any{"name": "x"}},
		{Method: "POST", Path: "/api/v1/members/" + id + "/card/freeze"},
		{Method: "POST", Path: "/api/v1/members/" + id + "/qr-token"},
		{Method: "POST", Path: "/api/v1/members/" + id + "/points-adjustments", Body: map[string]any{"points": 5, "note": "x"}},
		{Method: "POST", Path: "/api/v1/members/" + id + "/gift-redemptions", Body: map[string]any{"gift_id": uuid.New()}},
		{Method: "GET", Path: "/api/v1/members/" + id + "/export"},
		{Method: "POST", Path: "/api/v1/members/" + id + "/erase"},
		{Method: "POST", Path: "/api/v1/members/" + id + "/merge", Body: map[string]any{"from_member_id": uuid.New()}},
		{Method: "PATCH", Path: "/api/v1/member-tiers/" + tierB.ID.String(), Body: map[string]any{"name": "x"}},
		{Method: "GET", Path: lookupPath(storeB, "phone="+mb.Phone)},
		{Method: "POST", Path: "/api/v1/stores/" + storeB.String() + "/pos/members", Body: map[string]any{"phone": newPhone()}},
		{Method: "POST", Path: "/api/v1/stores/" + storeB.String() + "/pos/members/" + id + "/topup", Body: map[string]any{"amount": 1, "payment_method": "cash", "source_type": "sale", "source_id": sid("1")}},
		{Method: "POST", Path: "/api/v1/stores/" + storeB.String() + "/pos/members/" + id + "/pay", Body: map[string]any{"amount": 1, "source_type": "sale", "source_id": sid("1")}},
		{Method: "GET", Path: lookupPath(storeA, "phone="+mb.Phone)},
		{Method: "GET", Path: lookupPath(storeA, "card="+mb.Card.Number)},
		{Method: "POST", Path: "/api/v1/stores/" + storeA.String() + "/pos/members/" + id + "/topup", Body: map[string]any{"amount": 1, "payment_method": "cash", "source_type": "sale", "source_id": sid("2")}},
		{Method: "POST", Path: "/api/v1/stores/" + storeA.String() + "/pos/members/" + id + "/pay", Body: map[string]any{"amount": 1, "source_type": "sale", "source_id": sid("3")}},
	} {
		req.Token = a.AdminToken
		if r := env.Do(t, req); r.Status != 404 {
			t.Errorf("%s %s with tenant A's token: %d %s", req.Method, req.Path, r.Status, r.Body)
		}
	}
	// Lists: tenant A sees only its own member, nothing of B.
	for path, want := range map[string]int{"/api/v1/members": 1, "/api/v1/members?phone=" + mb.Phone: 0, "/api/v1/member-tiers": 0, "/api/v1/member-gifts": 0, "/api/v1/topup-rules": 0} {
		var l struct{ Data []map[string]any }
		if r := env.Do(t, apitest.Req{Method: "GET", Path: path, Token: a.AdminToken}); r.Status != 200 {
			t.Fatalf("%s: %d", path, r.Status)
		} else if r.JSON(t, &l); len(l.Data) != want {
			t.Errorf("%s shows %d rows to tenant A, want %d: %v", path, len(l.Data), want, l.Data)
		} else if want == 1 && l.Data[0]["id"] != own.ID.String() {
			t.Errorf("%s shows %v to tenant A, want only its own member", path, l.Data)
		}
	}
	var rule members.PointsRule
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/points-rules", Token: a.AdminToken}); r.Status != 200 {
		t.Errorf("points rule: %d", r.Status)
	} else if r.JSON(t, &rule); rule.PointsPerYuan == 7 || rule.Expiry == "never" || rule.PointsPerYuanOff == 300 {
		t.Errorf("tenant A reads tenant B's points rule: %+v", rule)
	}
	if r := env.Do(t, apitest.Req{Method: "PUT", Path: "/api/v1/points-rules", Token: a.AdminToken,
		Body: map[string]any{"points_per_yuan": 2, "expiry": "days", "expiry_days": 30, "points_per_yuan_off": 50}}); r.Status != 200 {
		t.Errorf("tenant A sets its points rule: %d %s", r.Status, r.Body)
	}
	if got, err := svc().PointsRuleOf(ctx, b.ID); err != nil || got.PointsPerYuan != 7 || got.Expiry != "never" || got.PointsPerYuanOff != 300 {
		t.Errorf("tenant A's PUT changed tenant B's points rule: %+v %v", got, err)
	}
	// Tenant B's QR token is no good in tenant A's store (the signature is per chain).
	var qrB members.QRToken
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/members/" + id + "/qr-token", Token: b.AdminToken}); r.Status != 201 {
		t.Fatalf("tenant B's QR token: %d %s", r.Status, r.Body)
	} else {
		r.JSON(t, &qrB)
	}
	if r := env.Do(t, apitest.Req{Method: "GET", Path: lookupPath(storeA, "qr="+qrB.Token), Token: a.AdminToken}); r.Status != 422 || r.Code() != "members.qr_invalid" {
		t.Errorf("tenant B's QR token in tenant A's store: %d %s", r.Status, r.Body)
	}
	// Nothing of B changed: points, balance, tier, gift and rule state.
	if got, err := svc().Get(ctx, b.ID, mb.ID, false); err != nil || got.Points != before.Points || got.Balance != before.Balance || got.Status != "active" || before.Points == 0 {
		t.Errorf("tenant A changed tenant B's member: %+v %v", got, err)
	}
	// Store scope: a cashier of store A1 is 404 in store A2 and 403 on HQ screens.
	a2 := env.CreateStore(t, a, nil)
	cashier := env.CreateUser(t, a, "cashier", &storeA, nil)
	ma := createMember(t, a, newPhone(), nil)
	if r := env.Do(t, apitest.Req{Method: "GET", Path: lookupPath(a2, "phone="+ma.Phone), Token: cashier.Token}); r.Status != 404 {
		t.Errorf("cashier in another store: %d", r.Status)
	}
	if r := env.Do(t, apitest.Req{Method: "GET", Path: lookupPath(storeA, "phone="+ma.Phone), Token: cashier.Token}); r.Status != 200 {
		t.Errorf("cashier in own store: %d", r.Status)
	}
	for _, req := range []apitest.Req{
		{Method: "GET", Path: "/api/v1/members"},
		{Method: "GET", Path: "/api/v1/members/" + ma.ID.String() + "/export"},
		{Method: "POST", Path: "/api/v1/member-tiers", Body: map[string]any{"code": "g", "name": "金卡", "basis": "spend"}},
	} {
		req.Token = cashier.Token
		if r := env.Do(t, req); r.Status != 403 {
			t.Errorf("cashier %s %s: %d", req.Method, req.Path, r.Status)
		}
	}
}

func TestBadInput(t *testing.T) {
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	before := env.Count(t, `SELECT count(*) FROM members WHERE tenant_id = $1`, tn.ID)
	for _, body := range []map[string]any{{"phone": "12345"}, {"phone": "13812345678", "birthday": "1990-13-01"}, {"phone": "13812345678", "gender": "x"}, {"name": "无电话"}} {
		r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/members", Token: tn.AdminToken, Body: body})
		if r.Status != 422 {
			t.Errorf("create %v: %d %s", body, r.Status, r.Body)
		}
	}
	if env.Count(t, `SELECT count(*) FROM members WHERE tenant_id = $1`, tn.ID) != before {
		t.Fatal("bad input wrote a member")
	}
	for _, q := range []string{"", "phone=abc", "phone=13812345678&card=123456", "card=" + strings.Repeat("9", 40)} {
		if r := env.Do(t, apitest.Req{Method: "GET", Path: lookupPath(store, q), Token: tn.AdminToken}); r.Status != 400 {
			t.Errorf("lookup ?%s: %d", q, r.Status)
		}
	}
	m := createMember(t, tn, newPhone(), nil)
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/stores/" + store.String() + "/pos/members/" + m.ID.String() + "/pay", Token: tn.AdminToken,
		Body: map[string]any{"amount": -5, "source_type": "sale", "source_id": sid("1")}})
	if r.Status != 422 {
		t.Errorf("negative payment: %d", r.Status)
	}
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/members?min_spend=-1", Token: tn.AdminToken}); r.Status != 400 {
		t.Errorf("bad filter: %d", r.Status)
	}
	_ = http.MethodGet
}

// TestMemberViewShowsTags: tags given at registration come back in the
// member view (they were read as a PostgreSQL array literal and dropped).
func TestMemberViewShowsTags(t *testing.T) {
	tn := env.Signup(t)
	m := createMember(t, tn, newPhone(), map[string]any{"tags": []string{"vip", "常客"}})
	if strings.Join(m.Tags, ",") != "vip,常客" {
		t.Fatalf("created member's tags %q", m.Tags)
	}
	var got members.View360
	env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/members/" + m.ID.String(), Token: tn.AdminToken}).JSON(t, &got)
	if strings.Join(got.Member.Tags, ",") != "vip,常客" {
		t.Fatalf("member view tags %q", got.Member.Tags)
	}
}

// An earn that itself reaches a points-basis threshold upgrades at once
// (the earn's own points count, exactly at the threshold), and the job
// re-evaluating at the same instant agrees.
func TestTierUpgradeOnPointsCountsTheEarnItself(t *testing.T) {
	tn := env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	ctx := context.Background()
	if _, err := svc().CreateTier(ctx, tn.ID, members.TierInput{Code: "p0", Name: "普通", Rank: 0, Basis: "points", Threshold: 0}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc().CreateTier(ctx, tn.ID, members.TierInput{Code: "p1", Name: "积分银卡", Rank: 1, Basis: "points", Threshold: 300, WindowDays: 30}); err != nil {
		t.Fatal(err)
	}
	m := createMember(t, tn, newPhone(), nil)
	now := time.Now().UTC()
	earn := func(id string, fen int64) {
		t.Helper()
		if _, err := svc().EarnPoints(ctx, tn.ID, members.EarnInput{MemberID: m.ID, StoreID: store, Source: source("sale", id),
			Lines: []members.EarnLine{{Amount: fen}}, At: now}); err != nil {
			t.Fatal(err)
		}
	}
	earn("a", 29_900) // 299 points: one short
	if got, _ := svc().Get(ctx, tn.ID, m.ID, false); got.Tier == nil || got.Tier.Code != "p0" {
		t.Fatalf("upgraded below the threshold: %+v", got.Tier)
	}
	earn("b", 100) // 300 points
	got, _ := svc().Get(ctx, tn.ID, m.ID, false)
	if got.Tier == nil || got.Tier.Code != "p1" || got.TotalSpend != 30_000 || got.VisitCount != 2 || got.Points != 300 {
		t.Fatalf("after reaching the threshold: tier %+v, spend %d, visits %d, points %d", got.Tier, got.TotalSpend, got.VisitCount, got.Points)
	}
	if n, err := svc().ReevaluateTiers(ctx, tn.ID, now); err != nil || n != 0 {
		t.Fatalf("the job at the same instant moved %d members (%v)", n, err)
	}
}
