// Package demo is `chainstore seed-demo` (`make run`): a demo chain built
// through the services, so it obeys every rule a real chain does. One file
// per module, in the order the modules depend on each other.
package demo

import (
	"context"
	"fmt"
	"io"

	"github.com/google/uuid"

	"chainstore/api"
	"chainstore/tenant"
	"chainstore/tenant/auth"
	"chainstore/tenant/authz"
	"chainstore/tenant/org"
	"chainstore/tenant/users"
)

// Password is every demo user's password (documented in the README).
const Password = "ChainStore#2026"

// Slug is the demo chain's slug, used to sign in.
const Slug = "demo"

type demoUser struct {
	email, name, role string
	store             string // store code for store roles
	franchise         bool
}

var demoUsers = []demoUser{
	{email: "finance@demo.chainstore.test", name: "王芳 (HQ finance)", role: "hq_finance"},
	{email: "marketing@demo.chainstore.test", name: "李娜 (HQ marketing)", role: "hq_marketing"},
	{email: "franchisee@demo.chainstore.test", name: "陈强 (franchisee)", role: "franchisee", franchise: true},
	{email: "manager@demo.chainstore.test", name: "张伟 (store manager)", role: "store_manager", store: "SH001"},
	{email: "cashier@demo.chainstore.test", name: "刘洋 (cashier)", role: "cashier", store: "SH001"},
	{email: "cashier2@demo.chainstore.test", name: "赵敏 (franchise cashier)", role: "cashier", store: "HZ001"},
}

// Seed creates the demo chain through the services (so it obeys every
// rule a real chain does): HQ, two direct-owned stores, one franchisee with
// two franchise stores, one user per role. Running it again changes nothing.
func Seed(ctx context.Context, srv *api.Server, out io.Writer) error {
	var existing struct{ ID uuid.UUID }
	if err := srv.Pool.Platform(ctx).Raw(`SELECT id FROM tenants WHERE slug = ?`, Slug).Scan(&existing).Error; err != nil {
		return err
	}
	if existing.ID == uuid.Nil {
		if err := createDemo(ctx, srv); err != nil {
			return fmt.Errorf("seed-demo: %w", err)
		}
		fmt.Fprintln(out, "seed-demo: created the demo chain")
	} else {
		fmt.Fprintln(out, "seed-demo: the demo chain exists; nothing to do")
	}
	fmt.Fprintf(out, "\nDemo logins (chain %q, password %q for everyone):\n", Slug, Password)
	fmt.Fprintf(out, "  %-34s %s\n", "admin@demo.chainstore.test", "hq_admin")
	for _, u := range demoUsers {
		scope := "chain"
		if u.store != "" {
			scope = "store " + u.store
		} else if u.franchise {
			scope = "franchise stores HZ001, HZ002"
		}
		fmt.Fprintf(out, "  %-34s %s (%s)\n", u.email, u.role, scope)
	}
	return nil
}

func createDemo(ctx context.Context, srv *api.Server) error {
	res, err := srv.Auth.Signup(ctx, auth.SignupInput{
		ChainName: "鲜丰连锁 FreshMart (demo)", Slug: Slug, Kind: "supermarket",
		AdminName: "周总 (HQ admin)", AdminEmail: "admin@demo.chainstore.test", AdminPassword: Password,
	})
	if err != nil {
		return err
	}
	admin := &tenant.Principal{TenantID: res.Tenant.ID, UserID: res.User.ID}
	ctx = tenant.WithPrincipal(ctx, admin)
	return srv.Pool.WithTx(ctx, admin.TenantID, func(ctx context.Context) error {
		fr, err := srv.Org.CreateFranchisee(ctx, admin, org.FranchiseeInput{
			Name: "杭州鲜丰加盟", LegalName: "杭州鲜丰商贸有限公司", ContactName: "陈强", ContactPhone: "13900000001",
		})
		if err != nil {
			return err
		}
		stores := map[string]uuid.UUID{}
		for _, s := range []org.CreateStoreInput{
			{Code: "SH001", Name: "人民广场店", Type: "direct", Address: "上海市黄浦区人民大道 100 号"},
			{Code: "SH002", Name: "徐家汇店", Type: "direct", Address: "上海市徐汇区漕溪北路 200 号"},
			{Code: "HZ001", Name: "西湖店 (加盟)", Type: "franchise", FranchiseeID: &fr.ID, Address: "杭州市西湖区湖滨路 1 号"},
			{Code: "HZ002", Name: "滨江店 (加盟)", Type: "franchise", FranchiseeID: &fr.ID, Address: "杭州市滨江区江南大道 2 号"},
		} {
			st, err := srv.Org.CreateStore(ctx, admin, s)
			if err != nil {
				return err
			}
			stores[s.Code] = st.ID
		}
		for _, u := range demoUsers {
			as := authz.AssignmentInput{Role: u.role}
			in := users.CreateInput{Name: u.name, Email: u.email, Password: Password}
			if u.store != "" {
				id := stores[u.store]
				as.StoreID = &id
			}
			if u.franchise {
				as.FranchiseeID = &fr.ID
				in.FranchiseeID = &fr.ID
			}
			in.Assignments = []authz.AssignmentInput{as}
			if _, err := srv.Users.Create(ctx, admin, in); err != nil {
				return fmt.Errorf("user %s: %w", u.email, err)
			}
		}
		// Module demo data, in dependency order; each lives in seed_<module>.go.
		d := demo{srv: srv, admin: admin, stores: stores, franchisee: fr.ID}
		for _, seed := range []func(context.Context, demo) error{seedCatalog, seedInventory, seedMembers, seedPromotions, seedPOS, seedFinance, seedBilling} {
			if err := seed(ctx, d); err != nil {
				return err
			}
		}
		return nil
	})
}

// demo is what module seeds build on: the chain's admin and its stores by code.
type demo struct {
	srv        *api.Server
	admin      *tenant.Principal
	stores     map[string]uuid.UUID
	franchisee uuid.UUID
}
