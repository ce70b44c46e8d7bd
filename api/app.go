// Package api is the Fiber application: configuration, middleware, the
// error envelope, health and metrics endpoints, the OpenAPI document and
// the one route table (routes.go).
package api

import (
	"context"
	"database/sql"
	_ "embed"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/cors"

	"chainstore/infra/clock"
	"chainstore/infra/config"
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

// OpenAPI is the API description served at /api/openapi.yaml.
//
//go:embed openapi.yaml
var OpenAPI []byte

// Deps are the services the API serves.
type Deps struct {
	Config *config.Config
	Clock  *clock.Clock // every service's clock; tests set it once here
	Pool   *tenant.Pool
	Redis  *redisx.Client
	Authz  *authz.Authorizer
	Auth   *auth.Service
	Org    *org.Service
	Users  *users.Service
	Log    *slog.Logger

	Catalog   *catalog.Service
	Inventory *inventory.Service
	Members   *members.Service
	Finance   *finance.Service
	Billing   *billing.Service

	Promotions *promotions.Service
	POS        *pos.Service
}

// New builds the Fiber app with every route mounted.
func New(d Deps) *fiber.App {
	cfg := d.Config
	if d.Log == nil {
		d.Log = slog.Default()
	}
	app := fiber.New(fiber.Config{
		AppName: "chainstore",
		// Fiber reuses request buffers after the handler returns; strings
		// taken from a request must not change under us.
		Immutable: true,
		// Spreadsheet uploads may be this large; limitBody holds every
		// other body to HTTP_BODY_LIMIT.
		BodyLimit:               max(cfg.BodyLimit, cfg.UploadBodyLimit),
		ReadTimeout:             cfg.ReadTimeout,
		WriteTimeout:            cfg.WriteTimeout,
		IdleTimeout:             cfg.IdleTimeout,
		ErrorHandler:            errorHandler,
		DisableStartupMessage:   true,
		EnableTrustedProxyCheck: len(cfg.TrustedProxies) > 0,
		TrustedProxies:          cfg.TrustedProxies,
		ProxyHeader:             proxyHeader(cfg),
	})
	var sqlDB *sql.DB
	if d.Pool != nil { // nil only when listing routes, as the OpenAPI test does
		sqlDB = postgres.SQL(d.Pool.Raw())
	}
	m := newMetrics(sqlDB)
	app.Use(observe(m, d.Log))
	app.Use(recoverPanics(d.Log))
	app.Use(securityHeaders)
	app.Use(limitBody(cfg.BodyLimit))
	app.Use(cors.New(cors.Config{
		AllowOrigins:  joinOrigins(cfg.ConsoleOrigins),
		AllowMethods:  "GET,POST,PUT,PATCH,DELETE,OPTIONS",
		AllowHeaders:  "Authorization,Content-Type,Idempotency-Key,X-Request-Id,X-Register-Token",
		ExposeHeaders: "X-Request-Id,Retry-After",
		MaxAge:        600,
	}))

	app.Get("/healthz", func(c *fiber.Ctx) error { return c.JSON(fiber.Map{"status": "ok"}) })
	app.Get("/readyz", readiness(d))
	app.Get("/metrics", m.handler(cfg.MetricsToken))
	app.Get("/api/openapi.yaml", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, "application/yaml")
		return c.Send(OpenAPI)
	})
	routes(app, d)
	mountConsole(app, cfg.ConsoleDir)
	return app
}

func proxyHeader(cfg *config.Config) string {
	if len(cfg.TrustedProxies) > 0 {
		return fiber.HeaderXForwardedFor
	}
	return ""
}

func joinOrigins(o []string) string {
	out := ""
	for i, s := range o {
		if i > 0 {
			out += ","
		}
		out += s
	}
	return out
}

// readiness: PostgreSQL down is not ready (503); Redis down is degraded
// but ready (200), because every request still works without it.
func readiness(d Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
		defer cancel()
		checks := fiber.Map{"postgres": "ok", "redis": "ok"}
		status, code := "ok", fiber.StatusOK
		if err := postgres.SQL(d.Pool.Raw()).PingContext(ctx); err != nil {
			checks["postgres"] = "down: " + err.Error()
			status, code = "unavailable", fiber.StatusServiceUnavailable
		}
		if err := d.Redis.Ping(ctx); err != nil {
			checks["redis"] = "down: " + err.Error()
			if code == fiber.StatusOK {
				status = "degraded"
			}
		}
		return c.Status(code).JSON(fiber.Map{"status": status, "checks": checks})
	}
}
