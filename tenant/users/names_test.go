package users_test

import (
	"context"
	"maps"
	"testing"

	"github.com/google/uuid"

	"chainstore/api/apitest"
)

// TestNamesAreOneStatementAndNameEveryone: Names answers the names of
// active and disabled users alike in one statement (none for no ids), and
// never another chain's user.
func TestNamesAreOneStatementAndNameEveryone(t *testing.T) {
	tn, other := env.Signup(t), env.Signup(t)
	store := env.CreateStore(t, tn, nil)
	cashier := env.CreateUser(t, tn, "cashier", &store, nil)
	gone := env.CreateUser(t, tn, "hq_finance", nil, nil)
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/users/" + gone.ID.String() + "/disable", Token: tn.AdminToken}); r.Status != 200 {
		t.Fatalf("disable: %d %s", r.Status, r.Body)
	}
	svc := env.Server.Users
	var got map[uuid.UUID]string
	st := env.CountStatements(t, tn.ID, func(ctx context.Context) error {
		var err error
		got, err = svc.Names(ctx, tn.ID, []uuid.UUID{tn.AdminID, cashier.ID, gone.ID, cashier.ID, uuid.Nil, other.AdminID})
		return err
	})
	want := map[uuid.UUID]string{tn.AdminID: "Admin", cashier.ID: "员工 cashier", gone.ID: "员工 hq_finance"}
	if !maps.Equal(got, want) {
		t.Errorf("names %v, want %v", got, want)
	}
	if st.N() != 1 {
		t.Errorf("%d statements, want 1: %v", st.N(), st.SQL())
	}
	st = env.CountStatements(t, tn.ID, func(ctx context.Context) error {
		var err error
		got, err = svc.Names(ctx, tn.ID, []uuid.UUID{uuid.Nil})
		return err
	})
	if len(got) != 0 || st.N() != 0 {
		t.Errorf("no ids: %v in %d statements", got, st.N())
	}
	// Outside a transaction it opens its own.
	got, err := svc.Names(context.Background(), other.ID, []uuid.UUID{other.AdminID, tn.AdminID})
	if err != nil || !maps.Equal(got, map[uuid.UUID]string{other.AdminID: "Admin"}) {
		t.Errorf("other chain: %v %v", got, err)
	}
}
