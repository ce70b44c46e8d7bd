package demo_test

import (
	"bytes"
	"context"
	"testing"

	"chainstore/demo"
)

// The demo chain prices with three active promotions and has coupons to
// present: five issued to members, twenty printed.
func TestSeedDemoPromotions(t *testing.T) {
	if err := demo.Seed(context.Background(), env.Server, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]int{
		`SELECT count(*) FROM promotions p JOIN tenants t ON t.id = p.tenant_id WHERE t.slug = 'demo' AND p.status = 'active'`:  3,
		`SELECT count(*) FROM coupon_batches b JOIN tenants t ON t.id = b.tenant_id WHERE t.slug = 'demo'`:                      2,
		`SELECT count(*) FROM coupons c JOIN tenants t ON t.id = c.tenant_id WHERE t.slug = 'demo' AND c.member_id IS NOT NULL`: 5,
		`SELECT count(*) FROM coupons c JOIN tenants t ON t.id = c.tenant_id WHERE t.slug = 'demo' AND c.member_id IS NULL`:     20,
	} {
		if got := env.Count(t, q); got != want {
			t.Errorf("%s = %d, want %d", q, got, want)
		}
	}
}
