package billing

import (
	"time"

	"github.com/google/uuid"
)

// Modules a plan can switch on.
const (
	ModuleCRMCampaigns        = "crm_campaigns"
	ModuleFranchiseSettlement = "franchise_settlement"
	ModuleVendorPortal        = "vendor_portal"
	ModuleAnalyticsExports    = "analytics_exports"
)

// Plan is one row of the price list: a Stripe Price charged per active
// store per month, and the plan's entitlements (nil limit = unlimited).
type Plan struct {
	Code          string   `json:"code"`
	Name          string   `json:"name"`
	StripePriceID string   `json:"stripe_price_id"`
	Currency      string   `json:"currency"`
	UnitAmount    int64    `json:"unit_amount"` // minor units per store per month
	MaxStores     *int     `json:"max_stores"`
	MaxMembers    *int     `json:"max_members"`
	MaxStaff      *int     `json:"max_staff"`
	Modules       []string `json:"modules"`
}

// Subscription statuses stored on an account (Stripe's, folded into five).
const (
	StatusTrialing   = "trialing"
	StatusActive     = "active"
	StatusPastDue    = "past_due"
	StatusCanceled   = "canceled"
	StatusIncomplete = "incomplete"
)

// Access modes: what a chain may do now.
const (
	AccessFull     = "full"      // trialing, active, or comped
	AccessGrace    = "grace"     // past due, still within the grace period
	AccessReadOnly = "read_only" // writes refused with 402, except billing and POS
)

// Access is the decision the gate and /me use, computed from the account
// and the clock on every request (so the grace period ends on time even
// when the inputs are cached).
type Access struct {
	Mode        string     `json:"mode"`
	Reason      string     `json:"reason"` // trial, subscription, comped, grace, trial_ended, past_due, canceled, suspended, closed
	Status      string     `json:"status"`
	Plan        string     `json:"plan"`
	TrialEndsAt time.Time  `json:"trial_ends_at"`
	GraceEndsAt *time.Time `json:"grace_ends_at"`
}

// ReadOnly reports whether writes are refused.
func (a Access) ReadOnly() bool { return a.Mode == AccessReadOnly }

// Subscription is a chain's billing state as its admins see it.
type Subscription struct {
	Plan             string     `json:"plan"`
	Status           string     `json:"status"`
	Access           string     `json:"access"`
	AccessReason     string     `json:"access_reason"`
	TrialEndsAt      time.Time  `json:"trial_ends_at"`
	CurrentPeriodEnd *time.Time `json:"current_period_end"`
	PastDueSince     *time.Time `json:"past_due_since"`
	GraceEndsAt      *time.Time `json:"grace_ends_at"`
	HasSubscription  bool       `json:"has_subscription"`
	Quantity         int        `json:"quantity"`
	Usage            Usage      `json:"usage"`
	Entitlements     Plan       `json:"entitlements"`
}

// Usage is what the entitlements are measured against.
type Usage struct {
	ActiveStores int `json:"active_stores"`
	Staff        int `json:"staff"`
}

// CheckoutInput chooses a plan.
type CheckoutInput struct {
	Plan string `json:"plan" validate:"required,max=32"`
}

// Redirect is a Stripe-hosted page to send the browser to.
type Redirect struct {
	URL       string `json:"url"`
	SessionID string `json:"session_id"`
}

// OnboardingStep is one item of the guided checklist.
type OnboardingStep struct {
	Key    string     `json:"key"`
	Title  string     `json:"title"`
	Done   bool       `json:"done"`
	DoneAt *time.Time `json:"done_at"`
	// Derived steps are done when the data shows it (a store exists ...);
	// the others are marked by the console.
	Derived bool `json:"derived"`
}

// Onboarding is the checklist with its progress.
type Onboarding struct {
	Steps     []OnboardingStep `json:"steps"`
	Completed int              `json:"completed"`
	Total     int              `json:"total"`
}

// MarkStepInput marks an explicit step done or not done.
type MarkStepInput struct {
	Done *bool `json:"done" validate:"required"`
}

// TenantSummary is one chain as the platform operator sees it.
type TenantSummary struct {
	ID               uuid.UUID  `json:"id"`
	Name             string     `json:"name"`
	Slug             string     `json:"slug"`
	TenantStatus     string     `json:"tenant_status"`
	Plan             string     `json:"plan"`
	Status           string     `json:"status"`
	Comped           bool       `json:"comped"`
	TrialEndsAt      time.Time  `json:"trial_ends_at"`
	CurrentPeriodEnd *time.Time `json:"current_period_end"`
	PastDueSince     *time.Time `json:"past_due_since"`
	Quantity         int        `json:"quantity"`
	MRR              int64      `json:"mrr"`
	Currency         string     `json:"currency"`
	CreatedAt        time.Time  `json:"created_at"`
}

// TenantFilter narrows the operator's tenant list.
type TenantFilter struct {
	Status  string // billing status
	PastDue bool
}

// PlatformStats are the operator's totals.
type PlatformStats struct {
	Tenants  int   `json:"tenants"`
	Trialing int   `json:"trialing"`
	Active   int   `json:"active"`
	PastDue  int   `json:"past_due"`
	Canceled int   `json:"canceled"`
	MRR      int64 `json:"mrr"`
}
