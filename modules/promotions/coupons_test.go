package promotions_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/google/uuid"

	"chainstore/modules/promotions"
)

func createBatch(t *testing.T, c *chain, body map[string]any) promotions.Batch {
	t.Helper()
	r := do(t, http.MethodPost, "/api/v1/coupon-batches", c.AdminToken, body)
	want(t, r, 201, "")
	var b promotions.Batch
	r.JSON(t, &b)
	return b
}

// codesOf reads a batch's codes from its CSV export.
func codesOf(t *testing.T, c *chain, batch uuid.UUID) []string {
	t.Helper()
	r := do(t, http.MethodGet, "/api/v1/coupon-batches/"+batch.String()+"/codes?format=csv", c.AdminToken, nil)
	want(t, r, 200, "")
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(r.Body, []byte("\xef\xbb\xbf")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 || rows[0][0] != "code" || rows[0][2] != "state" {
		t.Fatalf("export header %v", rows)
	}
	var out []string
	for _, row := range rows[1:] {
		out = append(out, row[0])
	}
	return out
}

func issue(t *testing.T, c *chain, batch uuid.UUID, members ...uuid.UUID) []promotions.IssuedCoupon {
	t.Helper()
	r := do(t, http.MethodPost, "/api/v1/coupon-batches/"+batch.String()+"/issue", c.AdminToken, map[string]any{"member_ids": members})
	want(t, r, 201, "")
	var out promotions.Issued
	r.JSON(t, &out)
	if out.Issued != len(members) || len(out.Coupons) != len(members) {
		t.Fatalf("issued %s", r.Body)
	}
	return out.Coupons
}

func memberBatch(t *testing.T, c *chain, quantity int) promotions.Batch {
	t.Helper()
	return createBatch(t, c, map[string]any{"name": "满50减10券", "name_en": "10 off 50", "kind": "coupon_amount", "issue_mode": "member",
		"quantity": quantity, "rule": map[string]any{"amount": 1000, "threshold": 5000}, "valid_days": 30})
}

func TestPrintedCodesAreUniqueAndExported(t *testing.T) {
	c := newChain(t)
	b := createBatch(t, c, map[string]any{"name": "印刷券", "kind": "coupon_percent", "issue_mode": "printed", "quantity": 600,
		"rule": map[string]any{"off_bp": 1000, "max_off": 2000}, "valid_from": "2026-01-01T00:00:00Z", "valid_until": "2099-01-01T00:00:00Z"})
	if b.IssueMode != "printed" || b.Quantity != 600 || b.ValidDays != nil || b.Counts.Issued != 0 {
		t.Fatalf("batch %+v", b)
	}
	path := "/api/v1/coupon-batches/" + b.ID.String() + "/codes"
	for i := 0; i < 2; i++ {
		r := do(t, http.MethodPost, path, c.AdminToken, map[string]any{"count": 250})
		want(t, r, 201, "")
	}
	want(t, do(t, http.MethodPost, path, c.AdminToken, map[string]any{"count": 101}), 409, "promotions.batch_exhausted")
	want(t, do(t, http.MethodPost, "/api/v1/coupon-batches/"+b.ID.String()+"/issue", c.AdminToken,
		map[string]any{"member_ids": []string{c.member(t).String()}}), 409, "promotions.batch_mode")
	want(t, do(t, http.MethodPost, path, c.marketing.Token, map[string]any{"count": 0}), 422, "request.invalid")
	codes := codesOf(t, c, b.ID)
	if len(codes) != 500 {
		t.Fatalf("%d codes exported, want 500", len(codes))
	}
	seen := map[string]bool{}
	format := regexp.MustCompile(`^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{12}$`)
	for _, code := range codes {
		if seen[code] || !format.MatchString(code) {
			t.Fatalf("code %q repeated or malformed", code)
		}
		seen[code] = true
	}
	if n := env.Count(t, `SELECT count(DISTINCT code) FROM coupons WHERE tenant_id = $1 AND batch_id = $2`, c.ID, b.ID); n != 500 {
		t.Fatalf("%d distinct codes stored", n)
	}
	if n := env.Count(t, `SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND action = 'coupons.export'`, c.ID); n != 1 {
		t.Fatalf("%d export audit rows", n)
	}
	want(t, do(t, http.MethodGet, path, c.cashier.Token, nil), 403, "auth.forbidden")
	r := do(t, http.MethodGet, path+"?format=xlsx", c.AdminToken, nil)
	want(t, r, 200, "")
	if !bytes.HasPrefix(r.Body, []byte("PK")) {
		t.Fatal("the xlsx export is not a workbook")
	}
	// Anyone with promotions:read looks a code up, however it is typed.
	code := codes[0]
	var got promotions.IssuedCoupon
	r = do(t, http.MethodGet, "/api/v1/coupons/"+code[:4]+"-"+code[4:8]+"-"+code[8:], c.cashier.Token, nil)
	want(t, r, 200, "")
	r.JSON(t, &got)
	if got.Code != code || got.State != "available" || got.MemberID != nil || got.BatchID != b.ID || got.Kind != promotions.KindCouponPercent {
		t.Fatalf("looked up %+v", got)
	}
	var bb promotions.Batch
	do(t, http.MethodGet, "/api/v1/coupon-batches/"+b.ID.String(), c.AdminToken, nil).JSON(t, &bb)
	if bb.Counts.Issued != 500 || bb.Counts.Available != 500 || bb.Counts.Redeemed != 0 {
		t.Fatalf("counts %+v", bb.Counts)
	}
}

func TestIssueToMembersCountsAndVoid(t *testing.T) {
	c := newChain(t)
	b := memberBatch(t, c, 3)
	m1, m2 := c.member(t), c.member(t)
	// An unknown member (or another chain's) issues nothing.
	other := newChain(t).member(t)
	r := do(t, http.MethodPost, "/api/v1/coupon-batches/"+b.ID.String()+"/issue", c.AdminToken, map[string]any{"member_ids": []uuid.UUID{m1, other}})
	want(t, r, 422, "promotions.unknown_member")
	want(t, do(t, http.MethodPost, "/api/v1/coupon-batches/"+b.ID.String()+"/issue", c.AdminToken, map[string]any{"member_ids": []uuid.UUID{m1, m1}}), 422, "request.invalid")
	if n := env.Count(t, `SELECT count(*) FROM coupons WHERE tenant_id = $1`, c.ID); n != 0 {
		t.Fatalf("%d coupons after refused issues", n)
	}
	cs := issue(t, c, b.ID, m1, m2)
	if cs[0].MemberID == nil || cs[0].State != "available" || cs[0].ValidUntil.Sub(cs[0].ValidFrom) != 30*24*time.Hour {
		t.Fatalf("coupon %+v", cs[0])
	}
	want(t, do(t, http.MethodPost, "/api/v1/coupon-batches/"+b.ID.String()+"/issue", c.AdminToken, map[string]any{"member_ids": []uuid.UUID{m1, m2}}), 409, "promotions.batch_exhausted")
	issue(t, c, b.ID, m1)
	// A member's wallet, by state.
	list := func(q string) []promotions.IssuedCoupon {
		t.Helper()
		r := do(t, http.MethodGet, "/api/v1/coupons?"+q, c.AdminToken, nil)
		want(t, r, 200, "")
		var l struct{ Data []promotions.IssuedCoupon }
		r.JSON(t, &l)
		return l.Data
	}
	if got := list("member_id=" + m1.String() + "&state=available"); len(got) != 2 {
		t.Fatalf("m1 has %d available", len(got))
	}
	var mine promotions.IssuedCoupon
	for _, x := range cs {
		if *x.MemberID == m2 {
			mine = x
		}
	}
	r = do(t, http.MethodPost, "/api/v1/coupons/"+mine.Code+"/void", c.marketing.Token, nil)
	want(t, r, 200, "")
	want(t, do(t, http.MethodPost, "/api/v1/coupons/"+mine.Code+"/void", c.marketing.Token, nil), 200, "") // again: a no-op
	if got := list("member_id=" + m2.String() + "&state=void"); len(got) != 1 || got[0].VoidedAt == nil {
		t.Fatalf("m2's void coupons %+v", got)
	}
	if got := list("member_id=" + m2.String() + "&state=available"); len(got) != 0 {
		t.Fatalf("m2 still has %d available", len(got))
	}
	var bb promotions.Batch
	do(t, http.MethodGet, "/api/v1/coupon-batches/"+b.ID.String(), c.AdminToken, nil).JSON(t, &bb)
	if bb.Counts.Issued != 3 || bb.Counts.Available != 2 || bb.Counts.Void != 1 {
		t.Fatalf("counts %+v", bb.Counts)
	}
	var l struct{ Data []promotions.Batch }
	do(t, http.MethodGet, "/api/v1/coupon-batches?issue_mode=member", c.AdminToken, nil).JSON(t, &l)
	if len(l.Data) != 1 || l.Data[0].Counts.Issued != 3 {
		t.Fatalf("listed %+v", l.Data)
	}
	if n := env.Count(t, `SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND action = 'coupon.void'`, c.ID); n != 1 {
		t.Fatalf("%d void audit rows", n)
	}
	want(t, do(t, http.MethodGet, "/api/v1/coupons/NOSUCHCODE99", c.AdminToken, nil), 404, "promotions.coupon_not_found")
	want(t, do(t, http.MethodGet, "/api/v1/coupons?state=lost", c.AdminToken, nil), 400, "request.bad_query")
}

func TestCreateBatch422(t *testing.T) {
	c := newChain(t)
	for name, tc := range map[string]map[string]any{
		"no validity":   {"name": "券", "kind": "coupon_amount", "issue_mode": "member", "quantity": 1, "rule": map[string]any{"amount": 100}},
		"both validity": {"name": "券", "kind": "coupon_amount", "issue_mode": "member", "quantity": 1, "rule": map[string]any{"amount": 100}, "valid_days": 3, "valid_until": "2099-01-01T00:00:00Z"},
		"no amount":     {"name": "券", "kind": "coupon_amount", "issue_mode": "member", "quantity": 1, "valid_days": 3},
		"promo rule":    {"name": "券", "kind": "coupon_percent", "issue_mode": "member", "quantity": 1, "valid_days": 3, "rule": map[string]any{"off_bp": 100, "n": 2}},
		"printed tiers": {"name": "券", "kind": "coupon_percent", "issue_mode": "printed", "quantity": 1, "valid_days": 3, "rule": map[string]any{"off_bp": 100}, "audience": map[string]any{"members_only": true}},
		"too many":      {"name": "券", "kind": "coupon_percent", "issue_mode": "printed", "quantity": 200000, "valid_days": 3, "rule": map[string]any{"off_bp": 100}},
	} {
		t.Run(name, func(t *testing.T) {
			want(t, do(t, http.MethodPost, "/api/v1/coupon-batches", c.AdminToken, tc), 422, "promotions.batch_invalid")
		})
	}
	want(t, do(t, http.MethodPost, "/api/v1/coupon-batches", c.AdminToken, map[string]any{"name": "券", "kind": "spend_amount_off", "issue_mode": "member", "quantity": 1}), 422, "request.invalid")
	want(t, do(t, http.MethodPost, "/api/v1/coupon-batches", c.franchisee1.Token, map[string]any{"name": "券", "kind": "coupon_amount", "issue_mode": "member",
		"quantity": 1, "rule": map[string]any{"amount": 100}, "valid_days": 3}), 403, "auth.forbidden")
	if n := env.Count(t, `SELECT count(*) FROM coupon_batches WHERE tenant_id = $1`, c.ID); n != 0 {
		t.Fatalf("%d batches written by refused bodies", n)
	}
}
