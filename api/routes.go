package api

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"

	"chainstore/modules/billing"
	"chainstore/modules/catalog"
	"chainstore/modules/finance"
	"chainstore/modules/inventory"
	"chainstore/modules/members"
	"chainstore/modules/pos"
	"chainstore/modules/promotions"
	"chainstore/tenant/auth"
	"chainstore/tenant/authz"
	"chainstore/tenant/org"
	"chainstore/tenant/users"
)

// routes is the whole API surface in one screen. Routes after `authn` run
// inside the caller's tenant transaction with their Principal.
func routes(app *fiber.App, d Deps) {
	authn := authenticate(d.Auth, d.Pool, billingGate(d.Billing))
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
	v1.Get("/tenant", authn, identity.GetTenant)
	v1.Patch("/tenant", authn, identity.UpdateTenant)

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

	// ── Catalog (modules/catalog) ──
	cat := catalog.NewHTTP(d.Catalog, d.Authz)
	v1.Get("/catalog/categories", authn, cat.ListCategories)
	v1.Post("/catalog/categories", authn, idem, cat.CreateCategory)
	v1.Get("/catalog/categories/tree", authn, cat.CategoryTree) // before /:id
	v1.Get("/catalog/categories/:id", authn, cat.GetCategory)
	v1.Patch("/catalog/categories/:id", authn, cat.UpdateCategory)
	v1.Delete("/catalog/categories/:id", authn, cat.DeleteCategory)
	v1.Get("/catalog/brands", authn, cat.ListBrands)
	v1.Post("/catalog/brands", authn, idem, cat.CreateBrand)
	v1.Patch("/catalog/brands/:id", authn, cat.UpdateBrand)
	v1.Get("/catalog/units", authn, cat.ListUnits)
	v1.Post("/catalog/units", authn, idem, cat.CreateUnit)
	v1.Get("/catalog/products", authn, cat.ListProducts)
	v1.Post("/catalog/products", authn, idem, cat.CreateProduct)
	v1.Get("/catalog/products/export", authn, cat.ExportProducts) // before /:id
	v1.Get("/catalog/products/:id", authn, cat.GetProduct)
	v1.Patch("/catalog/products/:id", authn, cat.UpdateProduct)
	v1.Post("/catalog/products/:id/skus", authn, idem, cat.AddSKU)
	v1.Get("/catalog/skus", authn, cat.SearchSKUs)
	v1.Get("/catalog/skus/:id", authn, cat.GetSKU)
	v1.Patch("/catalog/skus/:id", authn, cat.UpdateSKU)
	v1.Post("/catalog/skus/:id/barcodes", authn, cat.AddBarcode)
	v1.Delete("/catalog/skus/:id/barcodes/:barcode", authn, cat.RemoveBarcode)
	v1.Get("/catalog/skus/:id/prices", authn, cat.PriceHistory)
	v1.Post("/catalog/skus/:id/prices", authn, idem, cat.SetPrice)
	v1.Get("/catalog/skus/:id/price", authn, cat.GetPrice)
	v1.Get("/catalog/skus/:id/price-bounds", authn, cat.GetBounds)
	v1.Put("/catalog/skus/:id/price-bounds", authn, cat.SetBounds)
	v1.Get("/catalog/scale-layouts", authn, cat.GetScaleLayouts)
	v1.Put("/catalog/scale-layouts", authn, cat.SetScaleLayouts)
	v1.Post("/catalog/imports", authn, cat.CreateImport)
	v1.Get("/catalog/imports/:id", authn, cat.GetImport)
	v1.Post("/catalog/imports/:id/commit", authn, cat.CommitImport)
	v1.Get("/stores/:store_id/pos/lookup", authn, cat.Lookup)
	// A till's first snapshot is megabytes of JSON per page over a store's
	// line; gzip/brotli (when asked for) cuts it several-fold. Compression
	// runs outside authn, so after the tenant transaction has committed: a
	// failed commit answers its problem uncompressed, not under a stale
	// Content-Encoding, and no transaction waits on the compressor.
	v1.Get("/stores/:store_id/catalog/changes", compress.New(compress.Config{Level: compress.LevelBestSpeed}), authn, cat.Changes)

	// ── Inventory (modules/inventory) ──
	stock := inventory.NewHTTP(d.Inventory, d.Authz)
	v1.Get("/inventory/settings", authn, stock.GetSettings)
	v1.Put("/inventory/settings", authn, stock.UpdateSettings)
	v1.Get("/inventory/stores/:store_id/stock", authn, stock.ListStock)
	v1.Get("/inventory/stores/:store_id/stock/:sku_id", authn, stock.GetStock)
	v1.Put("/inventory/stores/:store_id/stock/:sku_id/thresholds", authn, stock.SetThresholds)
	v1.Get("/inventory/stores/:store_id/movements", authn, stock.ListMovements)
	v1.Get("/inventory/stores/:store_id/alerts", authn, stock.ListAlerts)
	v1.Get("/inventory/stores/:store_id/near-expiry", authn, stock.NearExpiry)
	v1.Get("/inventory/stores/:store_id/replenishment", authn, stock.Replenishment)
	v1.Post("/inventory/movements", authn, idem, stock.CreateMovement)
	v1.Get("/inventory/stocktakes", authn, stock.ListStocktakes)
	v1.Post("/inventory/stocktakes", authn, idem, stock.OpenStocktake)
	v1.Get("/inventory/stocktakes/:id", authn, stock.GetStocktake)
	v1.Post("/inventory/stocktakes/:id/counts", authn, stock.AddCounts)
	v1.Get("/inventory/stocktakes/:id/variances", authn, stock.Variances)
	v1.Post("/inventory/stocktakes/:id/post", authn, idem, stock.PostStocktake)
	v1.Post("/inventory/stocktakes/:id/cancel", authn, stock.CancelStocktake)
	v1.Get("/inventory/transfers", authn, stock.ListTransfers)
	v1.Post("/inventory/transfers", authn, idem, stock.CreateTransfer)
	v1.Get("/inventory/transfers/:id", authn, stock.GetTransfer)
	v1.Post("/inventory/transfers/:id/approve", authn, stock.ApproveTransfer)
	v1.Post("/inventory/transfers/:id/ship", authn, idem, stock.ShipTransfer)
	v1.Post("/inventory/transfers/:id/receive", authn, idem, stock.ReceiveTransfer)
	v1.Post("/inventory/transfers/:id/cancel", authn, stock.CancelTransfer)
	v1.Get("/inventory/analysis/stock-value", authn, stock.StockValue)
	v1.Get("/inventory/analysis/turnover", authn, stock.Turnover)
	v1.Get("/inventory/analysis/slow-movers", authn, stock.SlowMovers)
	v1.Get("/inventory/analysis/stock-outs", authn, stock.StockOuts)

	// ── Members (modules/members) ──
	mem := members.NewHTTP(d.Members, d.Authz)
	v1.Get("/members", authn, mem.ListMembers)
	v1.Post("/members", authn, idem, mem.CreateMember)
	v1.Post("/members/import", authn, mem.Import)
	v1.Get("/members/export", authn, mem.ExportMembers) // before /:id
	v1.Get("/members/count", authn, mem.CountMembers)
	v1.Get("/members/:id", authn, mem.GetMember)
	v1.Patch("/members/:id", authn, mem.UpdateMember)
	v1.Post("/members/:id/card/:action", authn, mem.CardAction)
	v1.Post("/members/:id/qr-token", authn, mem.QRToken)
	v1.Post("/members/:id/points-adjustments", authn, idem, mem.AdjustPoints)
	v1.Post("/members/:id/cash-out", authn, idem, mem.CashOut)
	v1.Post("/members/:id/gift-redemptions", authn, idem, mem.RedeemGift)
	v1.Post("/members/:id/points-entries/:entry_id/reverse", authn, idem, mem.ReversePoints)
	v1.Get("/members/:id/export", authn, mem.Export)
	v1.Post("/members/:id/erase", authn, mem.Erase)
	v1.Post("/members/:id/merge", authn, idem, mem.Merge)
	v1.Get("/member-tiers", authn, mem.ListTiers)
	v1.Post("/member-tiers", authn, idem, mem.CreateTier)
	v1.Patch("/member-tiers/:id", authn, mem.UpdateTier)
	v1.Post("/member-tiers/:id/:action", authn, mem.TierActive)
	v1.Get("/points-rules", authn, mem.GetPointsRule)
	v1.Put("/points-rules", authn, mem.PutPointsRule)
	v1.Get("/member-gifts", authn, mem.ListGifts)
	v1.Post("/member-gifts", authn, idem, mem.CreateGift)
	v1.Post("/member-gifts/:id/:action", authn, mem.GiftActive)
	v1.Get("/topup-rules", authn, mem.ListTopupRules)
	v1.Post("/topup-rules", authn, idem, mem.CreateTopupRule)
	v1.Post("/topup-rules/:id/:action", authn, mem.TopupRuleActive)
	v1.Get("/stores/:store_id/pos/members/lookup", authn, mem.PosLookup)
	v1.Post("/stores/:store_id/pos/members", authn, idem, mem.PosRegister)
	v1.Post("/stores/:store_id/pos/members/:id/topup", authn, idem, mem.PosTopUp)
	v1.Post("/stores/:store_id/pos/members/:id/pay", authn, idem, mem.PosPay)
	v1.Post("/stores/:store_id/pos/members/:id/stored-value-refunds", authn, idem, mem.PosRefundStoredValue)
	v1.Post("/stores/:store_id/pos/members/:id/cash-out", authn, idem, mem.PosCashOut)

	// ── Finance (modules/finance) ──
	fin := finance.NewHTTP(d.Finance, d.Authz)
	v1.Get("/finance/entities", authn, fin.ListEntities)
	v1.Get("/finance/accounts", authn, fin.ListAccounts)
	v1.Post("/finance/accounts", authn, idem, fin.CreateAccount)
	v1.Get("/finance/periods", authn, fin.ListPeriods)
	v1.Post("/finance/periods/close", authn, fin.ClosePeriod)
	v1.Post("/finance/periods/lock", authn, fin.LockPeriod)
	v1.Post("/finance/periods/reopen", authn, fin.ReopenPeriod)
	v1.Post("/finance/year-end-close", authn, idem, fin.YearEndClose)
	v1.Get("/finance/entries", authn, fin.ListEntries)
	v1.Get("/finance/entries/:id", authn, fin.GetEntry)
	v1.Post("/finance/entries/:id/reverse", authn, idem, fin.ReverseEntry)
	v1.Get("/finance/manual-entries", authn, fin.ListManual)
	v1.Post("/finance/manual-entries", authn, idem, fin.CreateManual)
	v1.Get("/finance/manual-entries/:id", authn, fin.GetManual)
	v1.Post("/finance/manual-entries/:id/approve", authn, idem, fin.ApproveManual)
	v1.Post("/finance/manual-entries/:id/reject", authn, fin.RejectManual)
	v1.Get("/finance/statements/:kind", authn, fin.GetStatement)
	v1.Get("/finance/clearing-rules", authn, fin.ListClearing)
	v1.Put("/finance/clearing-rules", authn, fin.SetClearing)
	v1.Get("/finance/royalty-rules", authn, fin.ListRoyalty)
	settlement := requireModule(d.Billing, "franchise_settlement")
	v1.Put("/finance/royalty-rules", authn, settlement, fin.SetRoyalty)
	v1.Get("/finance/settlements", authn, fin.ListSettlements)
	v1.Post("/finance/settlements", authn, settlement, idem, fin.GenerateSettlement)
	v1.Get("/finance/settlements/:id", authn, fin.GetSettlement)
	v1.Post("/finance/settlements/:id/post", authn, settlement, idem, fin.PostSettlement)

	// ── Billing (modules/billing) ──
	// Writes of a read-only chain answer 402 (billingGate in authn) except
	// these billing routes, logout, the platform API and POS routes.
	bill := billing.NewHTTP(d.Billing, d.Authz)
	v1.Get("/billing/plans", authn, bill.Plans)
	v1.Get("/billing/subscription", authn, bill.Subscription)
	v1.Post("/billing/checkout", authn, bill.Checkout)
	v1.Post("/billing/portal", authn, bill.Portal)
	v1.Get("/onboarding", authn, bill.Onboarding)
	v1.Put("/onboarding/steps/:step", authn, bill.MarkStep)
	v1.Get("/platform/tenants", authn, bill.ListTenants)
	v1.Get("/platform/stats", authn, bill.Stats)
	v1.Get("/platform/tenants/:id", authn, bill.GetTenant)
	v1.Post("/platform/tenants/:id/suspend", authn, bill.Suspend)
	v1.Post("/platform/tenants/:id/reactivate", authn, bill.Reactivate)
	app.Post("/webhooks/stripe", bill.Webhook)

	// ── Promotions (modules/promotions) ──
	// The POS prices and consumes through the service, in its sale's
	// transaction; these are the console's.
	promo := promotions.NewHTTP(d.Promotions, d.Authz)
	v1.Get("/promotions", authn, promo.ListPromotions)
	v1.Post("/promotions", authn, idem, promo.CreatePromotion)
	v1.Get("/promotions/:id", authn, promo.GetPromotion)
	v1.Patch("/promotions/:id", authn, promo.UpdatePromotion)
	v1.Delete("/promotions/:id", authn, promo.DeletePromotion)
	v1.Post("/promotions/:id/activate", authn, promo.Activate)
	v1.Post("/promotions/:id/pause", authn, promo.Pause)
	v1.Post("/promotions/:id/end", authn, promo.End)
	v1.Put("/promotions/:id/opt-outs/:store_id", authn, promo.OptOut)
	v1.Delete("/promotions/:id/opt-outs/:store_id", authn, promo.OptIn)
	v1.Get("/promotions/:id/effect", authn, promo.Effect)
	v1.Get("/promotion-settings", authn, promo.GetSettings)
	v1.Put("/promotion-settings", authn, promo.PutSettings)
	v1.Get("/coupon-batches", authn, promo.ListBatches)
	v1.Post("/coupon-batches", authn, idem, promo.CreateBatch)
	v1.Get("/coupon-batches/:id", authn, promo.GetBatch)
	v1.Post("/coupon-batches/:id/issue", authn, idem, promo.IssueBatch)
	v1.Post("/coupon-batches/:id/codes", authn, idem, promo.GenerateCodes)
	v1.Get("/coupon-batches/:id/codes", authn, promo.ExportCodes)
	v1.Get("/coupons", authn, promo.ListCoupons)
	v1.Get("/coupons/:code", authn, promo.GetCoupon)
	v1.Post("/coupons/:code/void", authn, promo.VoidCoupon)

	// ── Point of sale (modules/pos) ──
	// Till routes (sales, returns, shifts, payments, offline uploads) also
	// need the register's credential in X-Register-Token. Payments wait on
	// the provider, so they run outside the request transaction.
	till := pos.NewHTTP(d.POS, d.Authz)
	paying := authenticateOutsideTx(d.Auth, d.Pool, billingGate(d.Billing))
	v1.Get("/pos/settings", authn, till.GetSettings)
	v1.Put("/pos/settings", authn, till.PutSettings)
	v1.Put("/pos/approval-pin", authn, till.SetPIN)
	v1.Get("/pos/sales", authn, till.ListSales)
	v1.Get("/dashboard", authn, till.Dashboard)
	v1.Post("/einvoice-requests", till.RequestInvoice)
	sp := v1.Group("/stores/:store_id/pos")
	sp.Get("/registers", authn, till.ListRegisters)
	sp.Post("/registers", authn, idem, till.CreateRegister)
	sp.Get("/registers/:id", authn, till.GetRegister)
	sp.Patch("/registers/:id", authn, till.UpdateRegister)
	sp.Post("/registers/:id/:action", authn, till.RegisterAction)
	sp.Get("/till", authn, till.Whoami)
	sp.Post("/shifts", authn, idem, till.OpenShift)
	sp.Get("/shifts", authn, till.ListShifts)
	sp.Post("/shifts/current/close", authn, idem, till.CloseShift)
	sp.Get("/shifts/:id", authn, till.GetShift)
	sp.Post("/shifts/:id/approve", authn, till.ApproveShift)
	sp.Get("/shifts/:id/report", authn, till.ShiftReport)
	sp.Get("/day-end", authn, till.DayEnd)
	sp.Post("/carts/price", authn, till.PriceCart)
	sp.Post("/sales", authn, idem, till.Sell)
	sp.Get("/sales", authn, till.ListStoreSales)
	sp.Get("/sales/:id", authn, till.GetSale)
	sp.Get("/sales/:id/receipt", authn, till.Receipt)
	sp.Post("/sales/:id/void", authn, idem, till.VoidSale)
	sp.Get("/sales/:id/einvoices", authn, till.SaleInvoices)
	sp.Get("/receipts/:receipt_no", authn, till.SaleByReceipt)
	sp.Post("/payments", paying, till.Pay) // the till's payment id is its idempotency key
	sp.Get("/payments/:id", paying, till.GetPayment)
	sp.Post("/payments/:id/cancel", paying, till.CancelPayment)
	sp.Post("/returns", authn, idem, till.ReturnGoods)
	sp.Get("/returns/:id", authn, till.GetReturn)
	sp.Post("/offline-batches", authn, idem, till.UploadOffline)
	sp.Get("/offline-sales", authn, till.OfflineQueue)
	sp.Post("/offline-sales/:id/review", authn, till.ReviewOffline)
}
