package members_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"chainstore/migrations"
	"chainstore/migrations/testdb"
)

// scratchAt makes a scratch database (the shared one keeps its schema)
// migrated down to version, and returns the schema owner's connection, the
// options that migrate it, and a function that runs a statement or fails.
func scratchAt(t *testing.T, name string, version int64) (*sql.DB, migrations.Options, func(q string, args ...any)) {
	t.Helper()
	ctx := context.Background()
	scratch, err := testdb.Create(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { scratch.Drop(context.Background()) })
	cfg, err := pgx.ParseConfig(scratch.OwnerURL)
	if err != nil {
		t.Fatal(err)
	}
	db := stdlib.OpenDB(*cfg)
	t.Cleanup(func() { db.Close() })
	opt := migrations.Options{OwnerURL: scratch.OwnerURL, AppRole: testdb.AppRole, AppRolePassword: testdb.AppPassword}
	downTo(t, db, opt, version)
	return db, opt, func(q string, args ...any) {
		t.Helper()
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// downTo migrates down, one migration at a time, until version is the
// newest applied (later migrations, of other modules, come off first).
func downTo(t *testing.T, db *sql.DB, opt migrations.Options, version int64) {
	t.Helper()
	for {
		var v int64
		if err := db.QueryRow(`SELECT max(version_id) FROM goose_db_version WHERE is_applied`).Scan(&v); err != nil {
			t.Fatal(err)
		}
		if v <= version {
			return
		}
		if err := migrations.Run(context.Background(), "down", opt); err != nil {
			t.Fatal(err)
		}
	}
}

// TestMigrationOpensLotsForExistingBalances runs migration 00012 over
// balances that existed before lots (in a scratch database, so the shared
// one keeps its schema): each member with stored value gets one lot of the
// whole balance, attributed to the store of the earliest top-up, or to HQ
// (NULL) when there is none or it was online.
func TestMigrationOpensLotsForExistingBalances(t *testing.T) {
	ctx := context.Background()
	db, opt, exec := scratchAt(t, "svlots", 11)
	tn, s1, s2 := uuid.New(), uuid.New(), uuid.New()
	exec(`INSERT INTO tenants (id, name, slug) VALUES ($1, 'T', $2)`, tn, "svlots-"+tn.String()[:8])
	for i, s := range []uuid.UUID{s1, s2} {
		exec(`INSERT INTO stores (tenant_id, id, code, name, type, time_zone) VALUES ($1, $2, $3, 'S', 'direct', 'Asia/Shanghai')`, tn, s, "S"+string(rune('1'+i)))
	}
	type member struct {
		id     uuid.UUID
		p, b   int64
		topups []*uuid.UUID // oldest first
		want   *uuid.UUID
	}
	ms := []member{
		{id: uuid.New(), p: 30000, b: 2000, topups: []*uuid.UUID{&s2, &s1}, want: &s2},
		{id: uuid.New(), p: 500}, // merged in, never topped up: HQ
		{id: uuid.New(), p: 100, b: 10, topups: []*uuid.UUID{nil, &s1}},
		{id: uuid.New(), topups: []*uuid.UUID{&s1}}, // nothing left: no lot
	}
	t0 := time.Now().Add(-time.Hour)
	for _, m := range ms {
		exec(`INSERT INTO members (tenant_id, id, channel) VALUES ($1, $2, 'console')`, tn, m.id)
		exec(`INSERT INTO member_accounts (tenant_id, member_id, balance_principal, balance_bonus) VALUES ($1, $2, $3, $4)`, tn, m.id, m.p, m.b)
		for i, s := range m.topups {
			exec(`INSERT INTO stored_value_ledger (tenant_id, id, member_id, kind, principal, bonus, principal_after, bonus_after, store_id, source_type, source_id, created_at)
				VALUES ($1, $2, $3, 'topup', 1, 0, 1, 0, $4, 'x', $5, $6)`, tn, uuid.New(), m.id, s, uuid.NewString(), t0.Add(time.Duration(i)*time.Minute))
		}
	}
	if err := migrations.Run(ctx, "up", opt); err != nil {
		t.Fatal(err)
	}
	for i, m := range ms {
		type lotRow struct {
			store        *uuid.UUID
			p, b, rp, rb int64
			ledger       *uuid.UUID
			version      int
		}
		var rows []lotRow
		r, err := db.Query(`SELECT store_id, principal, bonus, remaining_principal, remaining_bonus, ledger_id, get_byte(uuid_send(id), 6) >> 4
			FROM stored_value_lots WHERE tenant_id = $1 AND member_id = $2`, tn, m.id)
		if err != nil {
			t.Fatal(err)
		}
		for r.Next() {
			var x lotRow
			if err := r.Scan(&x.store, &x.p, &x.b, &x.rp, &x.rb, &x.ledger, &x.version); err != nil {
				t.Fatal(err)
			}
			rows = append(rows, x)
		}
		r.Close()
		if m.p+m.b == 0 {
			if len(rows) != 0 {
				t.Fatalf("member %d without stored value got %d lots", i, len(rows))
			}
			continue
		}
		if len(rows) != 1 {
			t.Fatalf("member %d: %d lots", i, len(rows))
		}
		l := rows[0]
		if l.p != m.p || l.b != m.b || l.rp != m.p || l.rb != m.b || l.ledger != nil || l.version != 7 ||
			(l.store == nil) != (m.want == nil) || (l.store != nil && *l.store != *m.want) {
			t.Fatalf("member %d's opening lot %+v, want store %v principal %d bonus %d", i, l, m.want, m.p, m.b)
		}
	}
	// Row-level security is forced again on the tables the backfill read, and on the new ones.
	var forced int
	if err := db.QueryRow(`SELECT count(*) FROM pg_class WHERE relname IN ('member_accounts', 'stored_value_ledger', 'stored_value_lots', 'stored_value_lot_moves')
		AND relrowsecurity AND relforcerowsecurity`).Scan(&forced); err != nil || forced != 4 {
		t.Fatalf("%d of 4 tables force row-level security (%v)", forced, err)
	}
}

// TestMigrationMakesLedgerSourcesUUIDs runs migration 00014 over ledger
// entries whose source ids were text: UUIDs (in either case) are cast, any
// other id keeps its text in legacy_source_id and gets the UUIDv3 the
// migration names, NULL stays NULL; the ledgers stay append-only with
// forced row-level security; and going down gives back the text.
func TestMigrationMakesLedgerSourcesUUIDs(t *testing.T) {
	ctx := context.Background()
	db, opt, exec := scratchAt(t, "srcuuid", 13)
	tn, m := uuid.New(), uuid.New()
	exec(`INSERT INTO tenants (id, name, slug) VALUES ($1, 'T', $2)`, tn, "srcuuid-"+tn.String()[:8])
	exec(`INSERT INTO members (tenant_id, id, channel) VALUES ($1, $2, 'console')`, tn, m)
	u := uuid.New()
	rows := []struct {
		typ string
		id  *string
	}{
		{"sale", ptr(u.String())},
		{"return", ptr(strings.ToUpper(u.String()))},
		{"topup_order", ptr("T1")},
		{"birthday", ptr("2026")},
		{"manual", nil},
	}
	for i, r := range rows {
		exec(`INSERT INTO points_ledger (tenant_id, id, member_id, kind, points, balance_after, source_type, source_id, at)
			VALUES ($1, $2, $3, 'adjust', 1, $4, $5, $6, now())`, tn, uuid.New(), m, i+1, r.typ, r.id)
		exec(`INSERT INTO stored_value_ledger (tenant_id, id, member_id, kind, principal, bonus, principal_after, bonus_after, source_type, source_id)
			VALUES ($1, $2, $3, 'merge', 0, 0, 0, 0, $4, $5)`, tn, uuid.New(), m, r.typ, r.id)
	}
	if err := migrations.Run(ctx, "up", opt); err != nil {
		t.Fatal(err)
	}
	ns := uuid.MustParse("4af54e56-39d2-4d36-90e1-6ee8420f3884")
	for _, table := range []string{"points_ledger", "stored_value_ledger"} {
		for _, r := range rows {
			var got *uuid.UUID
			var legacy *string
			if err := db.QueryRow(`SELECT source_id, legacy_source_id FROM `+table+` WHERE source_type = $1`, r.typ).Scan(&got, &legacy); err != nil {
				t.Fatalf("%s %s: %v", table, r.typ, err)
			}
			var want *uuid.UUID
			var wantLegacy *string
			switch {
			case r.id == nil:
			case r.typ == "sale" || r.typ == "return":
				want = &u
			default:
				v := uuid.NewMD5(ns, []byte(r.typ+":"+*r.id))
				want, wantLegacy = &v, r.id
			}
			if !equalPtr(got, want) || !equalPtr(legacy, wantLegacy) {
				t.Errorf("%s %s %v: source_id %v legacy %v, want %v legacy %v", table, r.typ, deref(r.id), deref(got), deref(legacy), deref(want), deref(wantLegacy))
			}
		}
		if _, err := db.Exec(`UPDATE ` + table + ` SET source_type = 'x'`); err == nil {
			t.Errorf("%s accepts an UPDATE after the migration", table)
		}
	}
	var forced int
	if err := db.QueryRow(`SELECT count(*) FROM pg_class WHERE relname IN ('points_ledger', 'stored_value_ledger')
		AND relrowsecurity AND relforcerowsecurity`).Scan(&forced); err != nil || forced != 2 {
		t.Fatalf("%d of 2 ledgers force row-level security (%v)", forced, err)
	}
	downTo(t, db, opt, 13) // 00014 undone, whatever came after it
	for _, table := range []string{"points_ledger", "stored_value_ledger"} {
		for _, r := range rows {
			var got *string
			if err := db.QueryRow(`SELECT source_id FROM `+table+` WHERE source_type = $1`, r.typ).Scan(&got); err != nil {
				t.Fatal(err)
			}
			want := r.id
			if r.typ == "return" {
				want = ptr(u.String()) // a UUID comes back in its canonical form
			}
			if !equalPtr(got, want) {
				t.Errorf("%s %s after down: %v, want %v", table, r.typ, deref(got), deref(want))
			}
		}
	}
}

func ptr[T any](v T) *T { return &v }

func equalPtr[T comparable](a, b *T) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}
