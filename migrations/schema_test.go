package migrations_test

import (
	"context"
	"database/sql"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"chainstore/migrations"
	"chainstore/migrations/testdb"
)

// platformTables are the only tables without a tenant: the SaaS's own.
// Adding a table here is a security decision; say why next to it.
var platformTables = []string{
	"goose_db_version", // the migration ledger
	"tenants",          // one row per chain; login resolves slugs here
	"signup_emails",    // one trial per e-mail address across the platform
	// Billing (00007): the SaaS's own price list; the Stripe customer → tenant
	// map and subscription summary that webhooks (which arrive without a
	// tenant) and the platform operator read; processed Stripe event ids; and
	// who may use the platform API. None holds tenant business data.
	"billing_plans", "billing_customers", "billing_events", "platform_operators",
	// River's job queue: a job names its tenant in its arguments and does
	// its work in that tenant's transaction; the queue itself is shared.
	"river_job", "river_leader", "river_migration", "river_notification", "river_queue",
}

var db *testdb.DB

func TestMain(m *testing.M) {
	ctx := context.Background()
	var err error
	db, err = testdb.Create(ctx, "schema")
	if err != nil {
		println(err.Error())
		os.Exit(1)
	}
	code := m.Run()
	_ = db.Drop(ctx)
	os.Exit(code)
}

func open(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatal(err)
	}
	d := stdlib.OpenDB(*cfg)
	t.Cleanup(func() { d.Close() })
	return d
}

func strs(t *testing.T, d *sql.DB, q string, args ...any) []string {
	t.Helper()
	rows, err := d.Query(q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// TestEveryTenantTableFollowsTheTenancyRules reads the catalog: every table
// outside platformTables has tenant_id leading its primary key, in every
// unique constraint and foreign key, RLS enabled and forced, and a policy
// on app.tenant_id with USING and WITH CHECK.
func TestEveryTenantTableFollowsTheTenancyRules(t *testing.T) {
	owner := open(t, db.OwnerURL)
	tables := strs(t, owner, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)
	if len(tables) < 8 {
		t.Fatalf("expected the spine's tables, found %v", tables)
	}
	for _, tbl := range tables {
		if slices.Contains(platformTables, tbl) {
			continue
		}
		t.Run(tbl, func(t *testing.T) {
			var rls, forced bool
			if err := owner.QueryRow(`SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = $1::regclass`, tbl).Scan(&rls, &forced); err != nil {
				t.Fatal(err)
			}
			if !rls || !forced {
				t.Errorf("row-level security enabled=%v forced=%v; both must be true", rls, forced)
			}
			var using, check string
			err := owner.QueryRow(`SELECT coalesce(pg_get_expr(polqual, polrelid), ''), coalesce(pg_get_expr(polwithcheck, polrelid), '')
				FROM pg_policy WHERE polrelid = $1::regclass AND polname = 'tenant_isolation'`, tbl).Scan(&using, &check)
			if err != nil {
				t.Fatalf("no tenant_isolation policy: %v", err)
			}
			for _, expr := range []string{using, check} {
				if !strings.Contains(expr, "NULLIF(current_setting('app.tenant_id'::text, true), ''::text)") || !strings.Contains(expr, "tenant_id") {
					t.Errorf("policy expression %q does not compare tenant_id with NULLIF(current_setting('app.tenant_id', true), '')", expr)
				}
			}
			// Every key and foreign key names tenant_id; the primary key leads with it.
			rows, err := owner.Query(`
				SELECT c.conname, c.contype::text,
				       (SELECT array_agg(a.attname ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
				          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum)::text,
				       coalesce((SELECT array_agg(a.attname ORDER BY k.ord) FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
				          JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum)::text, '')
				FROM pg_constraint c WHERE c.conrelid = $1::regclass AND c.contype IN ('p', 'u', 'f')`, tbl)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var sawPK bool
			for rows.Next() {
				var name, typ, cols, fcols string
				if err := rows.Scan(&name, &typ, &cols, &fcols); err != nil {
					t.Fatal(err)
				}
				c := strings.Split(strings.Trim(cols, "{}"), ",")
				switch typ {
				case "p":
					sawPK = true
					if c[0] != "tenant_id" || len(c) < 2 {
						t.Errorf("primary key %s is %s; it must be (tenant_id, ...)", name, cols)
					}
				case "u":
					if !slices.Contains(c, "tenant_id") {
						t.Errorf("unique constraint %s on %s lacks tenant_id", name, cols)
					}
				case "f":
					if !slices.Contains(c, "tenant_id") {
						t.Errorf("foreign key %s on %s lacks tenant_id", name, cols)
					}
					// A composite key must pair tenant_id with the referenced tenant_id (or tenants.id).
					fc := strings.Split(strings.Trim(fcols, "{}"), ",")
					i := slices.Index(c, "tenant_id")
					if i >= 0 && i < len(fc) && fc[i] != "tenant_id" && fc[i] != "id" {
						t.Errorf("foreign key %s maps tenant_id to %s", name, fc[i])
					}
					if len(c) > 1 && i >= 0 && fc[i] != "tenant_id" {
						t.Errorf("foreign key %s (%s) → (%s) does not match tenant_id to tenant_id", name, cols, fcols)
					}
				}
			}
			if !sawPK {
				t.Error("no primary key")
			}
			// Unique indexes made outside constraints count too.
			for _, def := range strs(t, owner, `SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = $1 AND indexdef LIKE 'CREATE UNIQUE%'`, tbl) {
				if !strings.Contains(def, "tenant_id") {
					t.Errorf("unique index lacks tenant_id: %s", def)
				}
			}
		})
	}
}

// TestAppRoleCannotBypassRLS: the server's role is no superuser, has no
// BYPASSRLS and owns nothing.
func TestAppRoleCannotBypassRLS(t *testing.T) {
	owner := open(t, db.OwnerURL)
	var super, bypass bool
	if err := owner.QueryRow(`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1`, testdb.AppRole).Scan(&super, &bypass); err != nil {
		t.Fatal(err)
	}
	if super || bypass {
		t.Fatalf("app role superuser=%v bypassrls=%v", super, bypass)
	}
	if owned := strs(t, owner, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner = $1`, testdb.AppRole); len(owned) > 0 {
		t.Fatalf("app role owns %v", owned)
	}
}

// TestMigrationsGoDownAndUpAgain: down then up on a scratch database.
func TestMigrationsGoDownAndUpAgain(t *testing.T) {
	ctx := context.Background()
	scratch, err := testdb.Create(ctx, "updown")
	if err != nil {
		t.Fatal(err)
	}
	defer scratch.Drop(ctx)
	opt := migrations.Options{OwnerURL: scratch.OwnerURL, AppRole: testdb.AppRole, AppRolePassword: testdb.AppPassword}
	if err := migrations.Run(ctx, "reset", opt); err != nil {
		t.Fatalf("reset: %v", err)
	}
	if n := len(strs(t, open(t, scratch.OwnerURL), `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'goose_db_version'`)); n != 0 {
		t.Fatalf("%d tables left after reset", n)
	}
	if err := migrations.Run(ctx, "up", opt); err != nil {
		t.Fatalf("up: %v", err)
	}
}
