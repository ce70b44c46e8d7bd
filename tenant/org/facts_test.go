package org_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/tenant"
	"chainstore/tenant/authz"
	"chainstore/tenant/org"
)

// A store's business day is its own wall-clock day: one second either side
// of midnight in Shanghai and in Los Angeles lands on different dates, and
// HQ work takes the chain's zone.
func TestBusinessDateIsTheStoresDay(t *testing.T) {
	tn := env.Signup(t)
	sh := storeIn(t, tn, "Asia/Shanghai")
	la := storeIn(t, tn, "America/Los_Angeles")
	ctx := context.Background()
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	// 2026-12-31 23:59:59 and 2027-01-01 00:00:01 in Shanghai (UTC+8).
	before := time.Date(2026, 12, 31, 15, 59, 59, 0, time.UTC)
	after := time.Date(2026, 12, 31, 16, 0, 1, 0, time.UTC)
	for _, tc := range []struct {
		store *uuid.UUID
		at    time.Time
		want  time.Time
	}{
		{&sh, before, day(2026, 12, 31)},
		{&sh, after, day(2027, 1, 1)},
		{&la, after, day(2026, 12, 31)}, // 08:00:01 on the 31st in Los Angeles
		{nil, after, day(2027, 1, 1)},   // the chain's zone: Asia/Shanghai by default
	} {
		got, err := env.Server.Org.BusinessDate(ctx, tn.ID, tc.store, tc.at)
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("BusinessDate(%v, %s) = %s, %v; want %s", tc.store, tc.at, got, err, tc.want.Format("2006-01-02"))
		}
	}
	if _, err := env.Server.Org.BusinessDate(ctx, tn.ID, ptr(uuid.Must(uuid.NewV7())), after); !errors.Is(err, org.ErrStoreNotFound) {
		t.Errorf("unknown store: %v", err)
	}
	other := env.Signup(t)
	if _, err := env.Server.Org.Store(ctx, other.ID, sh); !errors.Is(err, org.ErrStoreNotFound) {
		t.Errorf("another tenant's store: %v, want ErrStoreNotFound", err)
	}
}

// Facts are read once per transaction, in one query for several stores,
// and an update inside the transaction is seen at once.
func TestStoreFactsAreReadOncePerTransaction(t *testing.T) {
	tn := env.Signup(t)
	fr := env.CreateFranchisee(t, tn)
	a, b := env.CreateStore(t, tn, nil), env.CreateStore(t, tn, &fr)
	admin := &tenant.Principal{TenantID: tn.ID, UserID: tn.AdminID}
	ctx := tenant.WithPrincipal(context.Background(), admin)
	err := env.Server.Pool.WithTx(ctx, tn.ID, func(ctx context.Context) error {
		m, err := env.Server.Org.Stores(ctx, tn.ID, []uuid.UUID{a, b, a})
		if err != nil {
			return err
		}
		if len(m) != 2 || m[a].Franchise() || !m[b].Franchise() || *m[b].FranchiseeID != fr {
			t.Errorf("facts %+v", m)
		}
		// Change the zone behind the memo's back: the memo still answers.
		if err := tenant.DB(ctx).Exec(`UPDATE stores SET time_zone = 'Asia/Tokyo' WHERE tenant_id = ? AND id = ?`, tn.ID, a).Error; err != nil {
			return err
		}
		if f, _ := env.Server.Org.Store(ctx, tn.ID, a); f.Location.String() == "Asia/Tokyo" {
			t.Error("facts were read again inside the transaction")
		}
		// A change through org is seen at once.
		zone := "Europe/Berlin"
		if _, err := env.Server.Org.UpdateStore(ctx, admin, a, org.UpdateStoreInput{TimeZone: &zone}); err != nil {
			return err
		}
		if f, _ := env.Server.Org.Store(ctx, tn.ID, a); f.Location.String() != zone {
			t.Errorf("after UpdateStore the facts say %s", f.Location)
		}
		_, err = env.Server.Org.Stores(ctx, tn.ID, []uuid.UUID{a, uuid.Must(uuid.NewV7())})
		if !errors.Is(err, org.ErrStoreNotFound) {
			t.Errorf("one unknown store among known ones: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// FranchiseStores lists the franchise stores of some franchisees by code,
// none for an unknown franchisee or another tenant's, and the facts it
// read answer Store later in the transaction without another query.
func TestFranchiseStoresOfFranchisees(t *testing.T) {
	tn, other := env.Signup(t), env.Signup(t)
	frA, frB, frC := env.CreateFranchisee(t, tn), env.CreateFranchisee(t, tn), env.CreateFranchisee(t, tn)
	a1, a2, b1 := env.CreateStore(t, tn, &frA), env.CreateStore(t, tn, &frA), env.CreateStore(t, tn, &frB)
	env.CreateStore(t, tn, nil)
	foreign := env.CreateFranchisee(t, other)
	env.CreateStore(t, other, &foreign)
	ctx := context.Background()
	err := env.Server.Pool.WithTx(ctx, tn.ID, func(ctx context.Context) error {
		for _, tc := range []struct {
			of   []uuid.UUID
			want []uuid.UUID
		}{
			{[]uuid.UUID{frA}, []uuid.UUID{a1, a2}},
			{[]uuid.UUID{frB, frA}, []uuid.UUID{a1, a2, b1}},
			{[]uuid.UUID{frC}, nil},
			{[]uuid.UUID{foreign, uuid.Must(uuid.NewV7())}, nil},
			{nil, nil},
		} {
			fs, err := env.Server.Org.FranchiseStores(ctx, tn.ID, tc.of)
			if err != nil {
				return err
			}
			var got []uuid.UUID
			var codes []string
			for _, f := range fs {
				if !f.Franchise() || f.FranchiseeID == nil || !slices.Contains(tc.of, *f.FranchiseeID) {
					t.Errorf("FranchiseStores(%v) returned %+v", tc.of, f)
				}
				got, codes = append(got, f.ID), append(codes, f.Code)
			}
			if len(got) != len(tc.want) || !slices.IsSorted(codes) {
				t.Errorf("FranchiseStores(%v) = %v (codes %v), want %v", tc.of, got, codes, tc.want)
			}
			for _, id := range tc.want {
				if !slices.Contains(got, id) {
					t.Errorf("FranchiseStores(%v) lacks %v", tc.of, id)
				}
			}
		}
		// Remembered: a change behind org's back is not seen in this transaction.
		if err := tenant.DB(ctx).Exec(`UPDATE stores SET time_zone = 'UTC' WHERE tenant_id = ? AND id = ?`, tn.ID, b1).Error; err != nil {
			return err
		}
		if f, err := env.Server.Org.Store(ctx, tn.ID, b1); err != nil || f.Location.String() == "UTC" {
			t.Errorf("Store after FranchiseStores: %v, %v", f.Location, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// StoresIn lists the stores in scope by code (all of the chain's, or the
// scope's own, leaving out ids that are not the chain's), and the facts it
// read answer Store later in the transaction without another query.
func TestStoresInScope(t *testing.T) {
	tn := env.Signup(t)
	other := env.Signup(t)
	a, b, c := storeIn(t, tn, "Asia/Shanghai"), storeIn(t, tn, "Asia/Tokyo"), storeIn(t, tn, "Europe/Berlin")
	foreign := storeIn(t, other, "Asia/Shanghai")
	ctx := context.Background()
	ids := func(fs []org.Facts) (out []uuid.UUID, codes []string) {
		for _, f := range fs {
			out, codes = append(out, f.ID), append(codes, f.Code)
		}
		return out, codes
	}
	err := env.Server.Pool.WithTx(ctx, tn.ID, func(ctx context.Context) error {
		all, err := env.Server.Org.StoresIn(ctx, tn.ID, authz.StoreScope{All: true})
		if err != nil {
			return err
		}
		got, codes := ids(all)
		if len(got) != 3 || !slices.IsSorted(codes) || !slices.Contains(got, a) || !slices.Contains(got, b) || !slices.Contains(got, c) {
			t.Errorf("all stores: %v %v", got, codes)
		}
		some, err := env.Server.Org.StoresIn(ctx, tn.ID, authz.StoreScope{Stores: []uuid.UUID{c, foreign, a}})
		if err != nil {
			return err
		}
		if got, _ := ids(some); len(got) != 2 || !slices.Contains(got, a) || !slices.Contains(got, c) {
			t.Errorf("stores of a scope: %v, want %v and %v", got, a, c)
		}
		// Remembered: a change behind org's back is not seen in this transaction.
		if err := tenant.DB(ctx).Exec(`UPDATE stores SET time_zone = 'UTC' WHERE tenant_id = ? AND id = ?`, tn.ID, b).Error; err != nil {
			return err
		}
		if f, err := env.Server.Org.Store(ctx, tn.ID, b); err != nil || f.Location.String() != "Asia/Tokyo" {
			t.Errorf("Store after StoresIn: %v, %v", f.Location, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func storeIn(t *testing.T, tn *apitest.Tenant, zone string) uuid.UUID {
	t.Helper()
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/stores", Token: tn.AdminToken, Body: map[string]any{
		"code": env.Unique("TZ"), "name": "门店 " + zone, "type": "direct", "time_zone": zone}})
	if r.Status != 201 {
		t.Fatalf("create store: %d %s", r.Status, r.Body)
	}
	var s struct{ ID uuid.UUID }
	r.JSON(t, &s)
	return s.ID
}

func ptr[T any](v T) *T { return &v }

// Store facts come from memory across requests (no statement for a store
// read a moment ago), and a change reaches the changing instance at once
// and another instance through its notice.
func TestStoreFactsAreCachedAndAChangeReachesEveryInstance(t *testing.T) {
	tn := env.Signup(t)
	st := storeIn(t, tn, "Asia/Shanghai")
	other := env.Another(t, nil)
	read := func(e *apitest.Env) org.Facts {
		t.Helper()
		f, err := e.Server.Org.Store(context.Background(), tn.ID, st)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	read(env)
	read(other)
	if n := env.CountStatements(t, tn.ID, func(ctx context.Context) error {
		_, err := env.Server.Org.Store(ctx, tn.ID, st)
		return err
	}).N(); n != 0 {
		t.Errorf("a cached store's facts cost %d statements", n)
	}
	r := env.Do(t, apitest.Req{Method: "PATCH", Path: "/api/v1/stores/" + st.String(), Token: tn.AdminToken, Body: map[string]any{"time_zone": "America/Los_Angeles"}})
	if r.Status != 200 {
		t.Fatalf("update: %d %s", r.Status, r.Body)
	}
	if f := read(env); f.Location.String() != "America/Los_Angeles" {
		t.Errorf("the changing instance reads %s", f.Location)
	}
	deadline := time.Now().Add(5 * time.Second)
	for read(other).Location.String() != "America/Los_Angeles" {
		if time.Now().After(deadline) {
			t.Fatal("another instance still reads the old time zone after 5s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
