package bench

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/gofiber/fiber/v2"

	"chainstore/infra/load"
	"chainstore/tenant"
)

// benchBilling: the per-request cost of the billing access gate. Two routes
// on one Fiber app do what every authenticated request does (verify the
// token, open the tenant transaction, check the session); one also runs the
// gate's check with the state cached in Redis, a third with the cache
// dropped first (the PostgreSQL path, also what Redis-down costs).
func benchBilling(ctx context.Context, b *benchEnv, out io.Writer) error {
	srv := b.srv
	authed := func(check func(ctx context.Context, p *tenant.Principal) error) fiber.Handler {
		return func(c *fiber.Ctx) error {
			raw := strings.TrimPrefix(c.Get(fiber.HeaderAuthorization), "Bearer ")
			v, err := srv.Auth.Authenticate(raw)
			if err != nil {
				return c.SendStatus(fiber.StatusUnauthorized)
			}
			p := &tenant.Principal{TenantID: v.TenantID, UserID: v.UserID, SessionID: v.SessionID}
			return srv.Pool.WithTx(tenant.WithPrincipal(c.UserContext(), p), v.TenantID, func(ctx context.Context) error {
				if err := srv.Auth.CheckSession(ctx, v); err != nil {
					return err
				}
				if check != nil {
					if err := check(ctx, p); err != nil {
						return err
					}
				}
				return c.JSON(fiber.Map{"ok": true})
			})
		}
	}
	app := fiber.New(fiber.Config{Immutable: true, DisableStartupMessage: true})
	app.Get("/without", authed(nil))
	app.Get("/with", authed(func(ctx context.Context, p *tenant.Principal) error {
		return srv.Billing.CheckWrite(ctx, p.TenantID)
	}))
	app.Get("/cold", authed(func(ctx context.Context, p *tenant.Principal) error {
		srv.Billing.Invalidate(ctx, p.TenantID)
		return srv.Billing.CheckWrite(ctx, p.TenantID)
	}))
	addr, stop, err := listen(app)
	if err != nil {
		return err
	}
	defer stop()
	h := map[string]string{"Authorization": "Bearer " + b.token}
	without := b.run(ctx, load.Target{Name: "authn + tenant tx, no billing gate", URL: "http://" + addr + "/without", Headers: h, Expect: 200})
	fmt.Fprintln(out, without)
	with := b.run(ctx, load.Target{Name: "same + billing gate (Redis-cached)", URL: "http://" + addr + "/with", Headers: h, Expect: 200})
	fmt.Fprintln(out, with)
	cold := b.run(ctx, load.Target{Name: "same + billing gate (cache dropped: PG)", URL: "http://" + addr + "/cold", Headers: h, Expect: 200})
	fmt.Fprintln(out, cold)
	fmt.Fprintf(out, "ratio gate(cached) / none: throughput %.2fx, p50 %.2fx, p99 %.2fx\n",
		with.RPS()/without.RPS(), float64(with.P50)/float64(without.P50), float64(with.P99)/float64(without.P99))
	fmt.Fprintf(out, "ratio gate(cold) / none:   throughput %.2fx, p50 %.2fx, p99 %.2fx\n",
		cold.RPS()/without.RPS(), float64(cold.P50)/float64(without.P50), float64(cold.P99)/float64(without.P99))
	if without.Errors+with.Errors+cold.Errors > 0 {
		return fmt.Errorf("%d requests failed", without.Errors+with.Errors+cold.Errors)
	}
	return nil
}
