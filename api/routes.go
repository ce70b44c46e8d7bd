package api

import (
	"github.com/gofiber/fiber/v2"

	"chainstore/tenant/auth"
	"chainstore/tenant/authz"
	"chainstore/tenant/org"
	"chainstore/tenant/users"
)

// routes is the whole API surface in one screen. Routes after `authn` run
// inside the caller's tenant transaction with their Principal.
func routes(app *fiber.App, d Deps) {
	authn := authenticate(d.Auth, d.Pool)
	// POSTs that create something accept Idempotency-Key; money and stock
	// movements will too.
	idem := idempotent
	identity := auth.NewHTTP(d.Auth)
	stores := org.NewHTTP(d.Org, d.Authz)
	staff := users.NewHTTP(d.Users, d.Authz)
	roles := authz.NewHTTP(d.Authz)

	v1 := app.Group("/api/v1")

	// Identity
	v1.Post("/signup", identity.Signup)
	v1.Post("/auth/login", identity.Login)
	v1.Post("/auth/refresh", identity.Refresh)
	v1.Post("/auth/accept-invite", identity.SetPassword)
	v1.Post("/auth/reset-password", identity.SetPassword)
	v1.Post("/auth/logout", authn, identity.Logout)
	v1.Get("/me", authn, identity.Me)

	// Organisation
	v1.Get("/stores", authn, stores.ListStores)
	v1.Post("/stores", authn, idem, stores.CreateStore)
	v1.Get("/stores/:id", authn, stores.GetStore)
	v1.Patch("/stores/:id", authn, stores.UpdateStore)
	v1.Delete("/stores/:id", authn, stores.CloseStore)
	v1.Get("/franchisees", authn, stores.ListFranchisees)
	v1.Post("/franchisees", authn, idem, stores.CreateFranchisee)
	v1.Get("/franchisees/:id", authn, stores.GetFranchisee)
	v1.Patch("/franchisees/:id", authn, stores.UpdateFranchisee)
	v1.Delete("/franchisees/:id", authn, stores.TerminateFranchisee)

	// Staff and roles
	v1.Get("/users", authn, staff.List)
	v1.Post("/users", authn, idem, staff.Create)
	v1.Get("/users/:id", authn, staff.Get)
	v1.Patch("/users/:id", authn, staff.Update)
	v1.Delete("/users/:id", authn, staff.Delete)
	v1.Post("/users/:id/disable", authn, staff.Disable)
	v1.Post("/users/:id/enable", authn, staff.Enable)
	v1.Post("/users/:id/reset-password", authn, staff.ResetPassword)
	v1.Put("/users/:id/roles", authn, staff.Assign)
	v1.Get("/roles", authn, roles.ListRoles)
	v1.Post("/roles", authn, idem, roles.CreateRole)
	v1.Get("/roles/:id", authn, roles.GetRole)
	v1.Patch("/roles/:id", authn, roles.UpdateRole)
	v1.Delete("/roles/:id", authn, roles.DeleteRole)
	v1.Get("/permissions", authn, roles.ListPermissions)
	v1.Get("/audit-log", authn, roles.ListAudit)
}
