// Package pos is the checkout (收银): registers with their device
// credentials, cashiers' shifts with blind counts, pricing a cart with the
// chain's promotions and the member's benefits, the sale itself — stock,
// points, stored value, coupons, promotion budgets and the balanced
// journal entry in one transaction — split tenders through payment
// providers, receipts, e-invoices, returns, voids and offline uploads.
//
// Every service method takes the tenant (or the acting principal, when it
// checks rights or audits) after ctx, and joins the caller's tenant
// transaction. A sale is one document, doc.Of(doc.Sale, id), in every
// module's ledger; its id is the till's UUIDv7, so a retry or an offline
// upload names the same sale.
package pos

import (
	"context"

	"github.com/google/uuid"

	"chainstore/infra/cache"
	"chainstore/infra/clock"
	"chainstore/infra/einvoice"
	"chainstore/infra/payments"
	"chainstore/infra/redisx"
	"chainstore/modules/catalog"
	"chainstore/modules/finance"
	"chainstore/modules/inventory"
	"chainstore/modules/members"
	"chainstore/modules/promotions"
	"chainstore/tenant"
	"chainstore/tenant/auth"
	"chainstore/tenant/authz"
	"chainstore/tenant/org"
	"chainstore/tenant/users"
)

// Deps are what the POS calls. Payments and Invoices may be nil (not
// configured): the POS then offers no external tenders, no e-invoices.
type Deps struct {
	Pool       *tenant.Pool
	Authz      *authz.Authorizer
	Auth       *auth.Service
	Redis      *redisx.Client
	Clock      *clock.Clock
	Org        *org.Service
	Users      *users.Service // the names of cashiers and approvers in rows
	Catalog    *catalog.Service
	Inventory  *inventory.Service
	Members    *members.Service
	Finance    *finance.Service
	Promotions *promotions.Service
	Payments   payments.Provider
	Invoices   einvoice.Provider
	// InvoiceURL is the address a receipt's QR code opens to ask for a
	// fapiao: it gets ?sale=<id>&t=<token> appended.
	InvoiceURL string
}

// Service is the POS.
type Service struct {
	pool       *tenant.Pool
	authz      *authz.Authorizer
	auth       *auth.Service
	clock      *clock.Clock
	org        *org.Service
	users      *users.Service
	catalog    *catalog.Service
	inventory  *inventory.Service
	members    *members.Service
	fin        *finance.Service
	promos     *promotions.Service
	payments   payments.Provider
	invoices   einvoice.Provider
	invoiceURL string
	tills      *tillCache
	settings   *cache.Local[uuid.UUID, Settings]
	redis      *redisx.Client
}

// New builds the POS.
func New(d Deps) *Service {
	return &Service{pool: d.Pool, authz: d.Authz, auth: d.Auth, clock: d.Clock, org: d.Org, users: d.Users, catalog: d.Catalog,
		inventory: d.Inventory, members: d.Members, fin: d.Finance, promos: d.Promotions, payments: d.Payments,
		invoices: d.Invoices, invoiceURL: d.InvoiceURL, tills: newTillCache(d.Redis),
		settings: cache.NewLocal[uuid.UUID, Settings](10_000), redis: d.Redis}
}

// Watch applies other instances' register changes until ctx ends.
func (s *Service) Watch(ctx context.Context) {
	s.watchSettings(ctx)
	s.tills.Watch(ctx)
}
