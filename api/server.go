package api

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"chainstore/infra/clock"
	"chainstore/infra/config"
	"chainstore/infra/einvoice"
	"chainstore/infra/jobs"
	"chainstore/infra/keys"
	"chainstore/infra/payments"
	"chainstore/infra/postgres"
	"chainstore/infra/redisx"
	"chainstore/modules/billing"
	"chainstore/modules/catalog"
	"chainstore/modules/finance"
	"chainstore/modules/inventory"
	"chainstore/modules/members"
	"chainstore/modules/pos"
	"chainstore/modules/promotions"
	"chainstore/tenant"
	"chainstore/tenant/auth"
	"chainstore/tenant/authz"
	"chainstore/tenant/org"
	"chainstore/tenant/users"
)

// Server is the wired application: every service over one pool and one
// Redis client, and the Fiber app serving them.
type Server struct {
	Deps
	App   *fiber.App
	Jobs  *jobs.Runner // background tasks; `serve` starts them
	close []func()
}

// Open loads the key material the configuration names (generating local
// keys outside production) and wires the server: what `serve`, `seed-demo`,
// `bench` and `platform-admin` all start from.
func Open(ctx context.Context, cfg *config.Config, log *slog.Logger) (*Server, error) {
	ks, err := keys.Load(cfg.JWTSigningKeys, cfg.PIIKeys, cfg.PIIIndexKey, cfg.DataDir, cfg.Env != "production")
	if err != nil {
		return nil, err
	}
	return Wire(ctx, cfg, ks, log)
}

// Wire connects to PostgreSQL (as the app role, which it checks cannot
// bypass row-level security) and Redis, builds every service and the app,
// and starts the policy watcher until ctx ends.
func Wire(ctx context.Context, cfg *config.Config, ks *keys.Set, log *slog.Logger) (*Server, error) {
	if log == nil {
		log = slog.Default()
	}
	db, err := postgres.Open(ctx, cfg.DatabaseURL, postgres.Options{MaxConns: cfg.DBMaxConns})
	if err != nil {
		return nil, err
	}
	s := &Server{}
	s.close = append(s.close, func() { _ = postgres.SQL(db).Close() })
	if err := postgres.CheckAppRole(ctx, postgres.SQL(db)); err != nil {
		s.Close()
		return nil, err
	}
	rc, err := redisx.New(cfg.RedisURL, redisx.Options{})
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	s.close = append(s.close, func() { _ = rc.Close() })
	if err := rc.Ping(ctx); err != nil {
		log.Warn("redis is not answering; running degraded (caches off, limits per instance)", "err", err)
	}
	pool := tenant.NewPool(db)
	az, err := authz.New(pool, rc)
	if err != nil {
		s.Close()
		return nil, err
	}
	watchCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	s.close = append([]func(){stop}, s.close...)
	az.Watch(watchCtx, cfg.PolicyPollInterval)
	clk := clock.New()
	tokens := auth.NewTokens(ks, cfg.JWTIssuer, cfg.JWTAudience, cfg.AccessTokenTTL, clk)
	bill := billing.New(pool, rc, cfg, clk)
	bill.Watch(watchCtx)
	orgs := org.New(pool, az)
	orgs.Watch(watchCtx, rc)
	cat := catalog.New(pool, az, clk, orgs)
	cat.Watch(watchCtx, rc)
	au := auth.New(pool, az, tokens, rc, auth.Options{
		RefreshTTL: cfg.RefreshTokenTTL, LoginPerAccount: cfg.LoginLimitPerAccount,
		LoginPerIP: cfg.LoginLimitPerIP, LoginLimitWindow: cfg.LoginLimitWindow,
		AfterSignup: afterSignup(bill.StartTrial, cat.SeedDefaults), BillingFlags: bill.MeFlags,
	})
	au.Watch(watchCtx)
	// Staff: the modules name the people their rows record through it.
	people := users.New(pool, az, au)
	fin := finance.New(pool, az, clk, orgs, people)
	s.Deps = Deps{
		Config: cfg, Clock: clk, Pool: pool, Redis: rc, Authz: az, Auth: au,
		Org: orgs, Users: people, Log: log,
		// Modules, one line each.
		Catalog:   cat,
		Inventory: inventory.New(pool, az, clk, orgs, people, fin),
		Members:   members.New(pool, az, rc, ks, clk, orgs, fin),
		Finance:   fin,
		Billing:   bill,
	}
	// Plan entitlements (tenant/* cannot import modules/*).
	s.Org.StoresChanged, s.Users.SeatGuard = bill.StoresChanged, bill.SeatGuard
	s.Members.MemberGuard = bill.MemberGuard
	s.Members.Watch(watchCtx)
	// Promotions: store facts from org; a franchisee's price-kind depth
	// against the catalog's list prices.
	s.Promotions = promotions.New(pool, az, rc, clk, s.Org)
	s.Promotions.ListPrices = catalogListPrices(s.Catalog)
	s.Promotions.Watch(watchCtx)
	// The POS calls every module inside one sale transaction.
	payProvider, invoiceProvider, err := providers(cfg)
	if err != nil {
		s.Close()
		return nil, err
	}
	s.POS = pos.New(pos.Deps{Pool: pool, Authz: az, Auth: au, Redis: rc, Clock: clk, Org: s.Org, Users: s.Users, Catalog: s.Catalog,
		Inventory: s.Inventory, Members: s.Members, Finance: s.Finance, Promotions: s.Promotions,
		Payments: payProvider, Invoices: invoiceProvider, InvoiceURL: cfg.InvoiceLinkURL})
	s.POS.Watch(watchCtx)
	s.Members.Purchases = func(ctx context.Context, tenantID, memberID uuid.UUID, limit int) (any, error) {
		return s.POS.MemberPurchases(ctx, tenantID, memberID, limit)
	}
	s.App = New(s.Deps)
	runner, err := jobs.New(ctx, jobs.Options{DatabaseURL: cfg.DatabaseURL, Tenants: activeTenants(pool),
		Tasks: tasks(s.Deps), Workers: cfg.JobWorkers, Log: log})
	if err != nil {
		s.Close()
		return nil, err
	}
	s.Jobs = runner
	s.close = append([]func(){runner.Close}, s.close...)
	return s, nil
}

// providers builds the POS's payment gateway and e-invoice client from the
// configuration; an unset URL leaves that provider off.
func providers(cfg *config.Config) (payments.Provider, einvoice.Provider, error) {
	var p payments.Provider
	var e einvoice.Provider
	if cfg.PaymentsGatewayURL != "" {
		g, err := payments.NewGateway(cfg.PaymentsGatewayURL, cfg.PaymentsMerchantID, cfg.PaymentsKey, cfg.PaymentsTimeout)
		if err != nil {
			return nil, nil, fmt.Errorf("PAYMENTS_GATEWAY_URL: %w", err)
		}
		p = g
	}
	if cfg.EinvoiceURL != "" {
		c, err := einvoice.NewClient(cfg.EinvoiceURL, cfg.EinvoiceKey, 10*time.Second)
		if err != nil {
			return nil, nil, fmt.Errorf("EINVOICE_URL: %w", err)
		}
		e = c
	}
	return p, e, nil
}

// afterSignup runs each step inside the signup's transaction, in order: a
// new chain starts its trial and gets the units, categories and defaults a
// Chinese supermarket expects, all editable afterwards.
func afterSignup(steps ...func(ctx context.Context, tenantID uuid.UUID) error) func(ctx context.Context, tenantID uuid.UUID) error {
	return func(ctx context.Context, tenantID uuid.UUID) error {
		for _, step := range steps {
			if err := step(ctx, tenantID); err != nil {
				return err
			}
		}
		return nil
	}
}

// Close stops the watcher and closes the connections.
func (s *Server) Close() {
	for _, f := range s.close {
		f()
	}
	s.close = nil
}

// Serve answers on cfg.HTTPAddr and works background jobs until ctx ends
// (SIGINT/SIGTERM), then stops accepting and lets in-flight requests finish
// within SHUTDOWN_TIMEOUT before stopping the jobs.
func (s *Server) Serve(ctx context.Context, version string) error {
	cfg, log := s.Config, s.Log
	errc := make(chan error, 1)
	go func() { errc <- s.App.Listen(cfg.HTTPAddr) }()
	if err := s.Jobs.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	log.Info("chainstore serving", "addr", cfg.HTTPAddr, "env", cfg.Env, "version", version)
	fmt.Fprintf(os.Stderr, "\nChainStore API on %s (OpenAPI: %s/api/openapi.yaml; demo logins: chainstore seed-demo)\n\n",
		displayURL(cfg.HTTPAddr), displayURL(cfg.HTTPAddr))
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: draining in-flight requests", "timeout", cfg.ShutdownTimeout.String())
	if err := s.App.ShutdownWithTimeout(cfg.ShutdownTimeout); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
	defer cancel()
	if err := s.Jobs.Stop(stopCtx); err != nil {
		return fmt.Errorf("stop jobs: %w", err)
	}
	log.Info("stopped")
	return nil
}

func displayURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// catalogListPrices gives promotions the list prices in force (fen per
// unit) without promotions importing catalog.
func catalogListPrices(cat *catalog.Service) func(ctx context.Context, tenantID, storeID uuid.UUID, skuIDs []uuid.UUID, at time.Time) (map[uuid.UUID]int64, error) {
	return func(ctx context.Context, tenantID, storeID uuid.UUID, skuIDs []uuid.UUID, at time.Time) (map[uuid.UUID]int64, error) {
		var store *uuid.UUID // HQ's prices, unless a store is named
		if storeID != uuid.Nil {
			store = &storeID
		}
		prices, err := cat.PriceAt(ctx, tenantID, store, skuIDs, at)
		if err != nil {
			return nil, err
		}
		out := make(map[uuid.UUID]int64, len(prices))
		for id, p := range prices {
			if p.List != nil {
				out[id] = *p.List
			}
		}
		return out, nil
	}
}
