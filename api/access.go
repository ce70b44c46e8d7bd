package api

import (
	"github.com/gofiber/fiber/v2"

	"chainstore/infra/problem"
	"chainstore/modules/billing"
	"chainstore/tenant"
)

// billingGate refuses writes of a read-only chain (trial ended, past due
// beyond the grace period, canceled, suspended) with 402 billing.read_only.
// Reads, billing, logout, the platform API and the POS are exempt
// (billing.Exempt says which). The state comes from Redis, or PostgreSQL in
// the request's transaction when Redis is down or the key is cold.
func billingGate(b *billing.Service) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if billing.Exempt(c.Method(), c.Path()) {
			return nil
		}
		p, ok := tenant.From(c.UserContext())
		if !ok {
			return nil
		}
		return b.CheckWrite(c.UserContext(), p.TenantID)
	}
}

// requireModule refuses a route whose module the chain's plan does not
// include (402 billing.module_not_in_plan). Reads of what exists stay open,
// so a chain that moves to a smaller plan still sees its history; guard the
// routes that do new work with it.
func requireModule(b *billing.Service, module string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, ok := tenant.From(c.UserContext())
		if !ok {
			return problem.ErrUnauthenticated
		}
		on, err := b.Entitled(c.UserContext(), p.TenantID, module)
		if err != nil {
			return err
		}
		if !on {
			return errModuleNotInPlan.WithDetail("the chain's plan does not include %s; choose a plan that does", module)
		}
		return c.Next()
	}
}

var errModuleNotInPlan = problem.New(402, "billing.module_not_in_plan", "The chain's plan does not include this module")
