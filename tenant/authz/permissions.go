package authz

import "sort"

// Permission is "object:action", for example "stores:write". The catalogue
// below is the only source of permissions: custom roles pick from it.
type Permission string

// The permission catalogue. Later modules' permissions are listed now so
// that role templates stay stable as modules land.
const (
	StoresRead       Permission = "stores:read"
	StoresWrite      Permission = "stores:write"
	FranchiseesRead  Permission = "franchisees:read"
	FranchiseesWrite Permission = "franchisees:write"
	UsersRead        Permission = "users:read"
	UsersWrite       Permission = "users:write"
	RolesRead        Permission = "roles:read"
	RolesWrite       Permission = "roles:write"
	AuditRead        Permission = "audit:read"
	SettingsWrite    Permission = "settings:write"
	CatalogRead      Permission = "catalog:read"
	CatalogWrite     Permission = "catalog:write"
	PricesWrite      Permission = "prices:write"
	InventoryRead    Permission = "inventory:read"
	InventoryWrite   Permission = "inventory:write"
	StocktakeApprove Permission = "stocktake:approve"
	TransfersApprove Permission = "transfers:approve"
	MembersRead      Permission = "members:read"
	MembersWrite     Permission = "members:write"
	MembersPII       Permission = "members:pii"
	MembersExport    Permission = "members:export"
	PosSell          Permission = "pos:sell"
	PosRefund        Permission = "pos:refund"
	PosVoid          Permission = "pos:void"
	PosPriceOverride Permission = "pos:price_override"
	ShiftsManage     Permission = "shifts:manage"
	PromotionsRead   Permission = "promotions:read"
	PromotionsWrite  Permission = "promotions:write"
	CRMRead          Permission = "crm:read"
	CRMWrite         Permission = "crm:write"
	PurchasingRead   Permission = "purchasing:read"
	PurchasingWrite  Permission = "purchasing:write"
	FinanceRead      Permission = "finance:read"
	FinanceWrite     Permission = "finance:write"
	FinanceApprove   Permission = "finance:approve"
	ReportsRead      Permission = "reports:read"
	BillingRead      Permission = "billing:read"
	BillingWrite     Permission = "billing:write"
)

// Catalogue describes every permission, for the roles screen.
var Catalogue = map[Permission]string{
	StoresRead: "View stores", StoresWrite: "Create, change and close stores",
	FranchiseesRead: "View franchisees", FranchiseesWrite: "Manage franchisees",
	UsersRead: "View staff", UsersWrite: "Invite, disable and assign staff",
	RolesRead: "View roles", RolesWrite: "Define custom roles",
	AuditRead: "Read the audit log", SettingsWrite: "Change chain settings",
	CatalogRead: "View products", CatalogWrite: "Manage products",
	PricesWrite: "Change prices", InventoryRead: "View stock", InventoryWrite: "Move and adjust stock",
	StocktakeApprove: "Approve stocktakes", TransfersApprove: "Approve transfers",
	MembersRead: "Look up members (masked)", MembersWrite: "Register and update members",
	MembersPII: "See members' full personal data", MembersExport: "Export member data",
	PosSell: "Sell at the till", PosRefund: "Refund sales", PosVoid: "Void sales",
	PosPriceOverride: "Override prices at the till", ShiftsManage: "Open and close shifts",
	PromotionsRead: "View promotions", PromotionsWrite: "Manage promotions",
	CRMRead: "View campaigns", CRMWrite: "Manage campaigns",
	PurchasingRead: "View purchase orders", PurchasingWrite: "Manage purchase orders",
	FinanceRead: "Read the books", FinanceWrite: "Post journal entries", FinanceApprove: "Approve journals and close periods",
	ReportsRead: "Read reports", BillingRead: "View the subscription", BillingWrite: "Change the subscription",
}

// Scope says where a role may be assigned.
type Scope string

// Role scopes.
const (
	ScopeChain     Scope = "chain"     // the whole chain (<tenant>/*)
	ScopeStore     Scope = "store"     // one store (<tenant>/<store>)
	ScopeFranchise Scope = "franchise" // every store of one franchisee
)

// Template is a built-in role: its own permissions plus those of the roles
// it inherits (the hierarchy lives in the shared "*" domain).
type Template struct {
	Key         string
	Name        string
	Description string
	Scope       Scope
	Inherits    []string
	Permissions []Permission
	Assignable  bool // platform_admin and vendor are not tenant roles
}

// Templates are the built-in roles of DESIGN.md.
var Templates = []Template{
	{Key: "cashier", Name: "收银员 Cashier", Scope: ScopeStore, Assignable: true,
		Description: "Checkout, returns within limits, member look-up with masked data",
		Permissions: []Permission{StoresRead, CatalogRead, InventoryRead, MembersRead, MembersWrite, PosSell, PromotionsRead}},
	{Key: "store_manager", Name: "店长 Store manager", Scope: ScopeStore, Assignable: true, Inherits: []string{"cashier"},
		Description: "Their store: stock, stocktakes, transfers, shifts, refunds, staff",
		Permissions: []Permission{UsersRead, UsersWrite, RolesRead, InventoryWrite, StocktakeApprove, TransfersApprove, MembersPII,
			PosRefund, PosVoid, PosPriceOverride, ShiftsManage, PurchasingRead, FinanceRead, ReportsRead}},
	{Key: "franchisee", Name: "加盟商 Franchisee", Scope: ScopeFranchise, Assignable: true, Inherits: []string{"store_manager"},
		Description: "The stores of their franchise, their own P&L and settlement with HQ",
		Permissions: []Permission{PricesWrite, PurchasingWrite, PromotionsWrite}},
	{Key: "hq_finance", Name: "总部财务 HQ finance", Scope: ScopeChain, Assignable: true,
		Description: "The books of every entity, purchasing and reports",
		Permissions: []Permission{StoresRead, FranchiseesRead, CatalogRead, InventoryRead, PurchasingRead,
			FinanceRead, FinanceWrite, FinanceApprove, ReportsRead, BillingRead, AuditRead}},
	{Key: "hq_marketing", Name: "总部市场 HQ marketing", Scope: ScopeChain, Assignable: true,
		Description: "Members, promotions and campaigns across the chain",
		Permissions: []Permission{StoresRead, CatalogRead, MembersRead, MembersWrite, MembersPII, MembersExport,
			PromotionsRead, PromotionsWrite, CRMRead, CRMWrite, ReportsRead}},
	{Key: "hq_admin", Name: "总部管理员 HQ admin", Scope: ScopeChain, Assignable: true,
		Inherits:    []string{"store_manager", "hq_finance", "hq_marketing"},
		Description: "Everything in the chain",
		Permissions: []Permission{StoresWrite, FranchiseesWrite, UsersWrite, RolesRead, RolesWrite, SettingsWrite,
			CatalogWrite, PricesWrite, PurchasingWrite, BillingWrite}},
	{Key: "platform_admin", Name: "Platform operator", Scope: ScopeChain,
		Description: "Runs the SaaS; no tenant data without an audited support grant"},
	{Key: "vendor", Name: "Vendor", Scope: ScopeChain,
		Description: "A supplier on the vendor portal"},
}

// TemplateByKey finds a built-in role.
func TemplateByKey(key string) (Template, bool) {
	for _, t := range Templates {
		if t.Key == key {
			return t, true
		}
	}
	return Template{}, false
}

// EffectivePermissions of a built-in role: its own and every inherited one,
// sorted.
func (t Template) EffectivePermissions() []Permission {
	seen := map[Permission]bool{}
	var walk func(Template)
	walk = func(t Template) {
		for _, p := range t.Permissions {
			seen[p] = true
		}
		for _, k := range t.Inherits {
			if parent, ok := TemplateByKey(k); ok {
				walk(parent)
			}
		}
	}
	walk(t)
	return sortedPermissions(seen)
}

func sortedPermissions(set map[Permission]bool) []Permission {
	out := make([]Permission, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
