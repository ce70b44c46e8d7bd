package members_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/infra/doc"
	"chainstore/modules/members"
	"chainstore/tenant/org"
)

// createStoreIn makes a direct store in a time zone.
func createStoreIn(t *testing.T, tn *apitest.Tenant, zone string) uuid.UUID {
	t.Helper()
	r := env.Do(t, apitest.Req{Method: http.MethodPost, Path: "/api/v1/stores", Token: tn.AdminToken,
		Body: map[string]any{"code": env.Unique("TZ"), "name": "门店", "type": "direct", "time_zone": zone}})
	if r.Status != http.StatusCreated {
		t.Fatalf("create store: %d %s", r.Status, r.Body)
	}
	var s struct{ ID uuid.UUID }
	r.JSON(t, &s)
	return s.ID
}

// At 20:00 on New Year's Eve in Los Angeles it is already noon of New
// Year's Day in Shanghai, the chain's zone. A top-up at the Los Angeles
// store is booked on the store's day, and points it earns expire by the
// store's year; the same moment at HQ (online) is the chain's day.
func TestBusinessDayIsTheStores(t *testing.T) {
	tn := env.Signup(t) // Asia/Shanghai
	la := createStoreIn(t, tn, "America/Los_Angeles")
	sh := createStoreIn(t, tn, "Asia/Shanghai")
	m := createMember(t, tn, newPhone(), nil)
	laZone, _ := time.LoadLocation("America/Los_Angeles")
	shZone, _ := time.LoadLocation("Asia/Shanghai")
	moment := time.Date(2026, 12, 31, 20, 0, 0, 0, laZone)
	env.Server.Clock.Freeze(moment)
	defer env.Server.Clock.Set(nil)
	ctx := context.Background()

	day := func(e members.ValueEntry) string {
		t.Helper()
		var d time.Time
		if err := env.Owner.QueryRow(`SELECT business_date FROM fin_entries WHERE tenant_id = $1 AND source_type = 'topup' AND source_id = $2`,
			tn.ID, e.ID).Scan(&d); err != nil {
			t.Fatal(err)
		}
		return d.Format("2006-01-02")
	}
	atLA, err := svc().TopUp(ctx, tn.ID, m.ID, &la, 1000, "cash", doc.Of(doc.TopUp, uuid.New()))
	if err != nil {
		t.Fatal(err)
	}
	online, err := svc().TopUp(ctx, tn.ID, m.ID, nil, 1000, "wechat", doc.Of(doc.TopUp, uuid.New()))
	if err != nil {
		t.Fatal(err)
	}
	if got := day(atLA); got != "2026-12-31" {
		t.Errorf("top-up at the Los Angeles store booked on %s, want its day 2026-12-31", got)
	}
	if got := day(online); got != "2027-01-01" {
		t.Errorf("online top-up booked on %s, want the chain's day 2027-01-01", got)
	}

	for _, c := range []struct {
		store uuid.UUID
		want  time.Time
	}{
		{la, time.Date(2028, 1, 1, 0, 0, 0, 0, laZone)},
		{sh, time.Date(2029, 1, 1, 0, 0, 0, 0, shZone)},
	} {
		e, err := svc().EarnPoints(ctx, tn.ID, members.EarnInput{MemberID: m.ID, StoreID: c.store, Source: doc.Of(doc.Sale, uuid.New()),
			Lines: []members.EarnLine{{Amount: 1000}}})
		if err != nil {
			t.Fatal(err)
		}
		var exp time.Time
		if err := env.Owner.QueryRow(`SELECT expires_at FROM points_lots WHERE tenant_id = $1 AND ledger_id = $2`, tn.ID, e.ID).Scan(&exp); err != nil {
			t.Fatal(err)
		}
		if !exp.Equal(c.want) {
			t.Errorf("points earned at %v expire at %v, want %v", c.store, exp, c.want)
		}
	}
	// An unknown store is org's not-found, from every call that takes one.
	if _, err := svc().EarnPoints(ctx, tn.ID, members.EarnInput{MemberID: m.ID, StoreID: uuid.New(), Source: doc.Of(doc.Sale, uuid.New()),
		Lines: []members.EarnLine{{Amount: 1000}}}); !errors.Is(err, org.ErrStoreNotFound) {
		t.Errorf("earn at an unknown store: %v", err)
	}
	other := uuid.New()
	if _, err := svc().TopUp(ctx, tn.ID, m.ID, &other, 1000, "cash", doc.Of(doc.TopUp, uuid.New())); !errors.Is(err, org.ErrStoreNotFound) {
		t.Errorf("top-up at an unknown store: %v", err)
	}
}
