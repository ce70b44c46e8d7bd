package billing

import "chainstore/infra/problem"

// Errors of billing. 402 means "your subscription does not allow this".
var (
	ErrNotConfigured  = problem.New(503, "billing.not_configured", "Billing is not configured on this server")
	ErrReadOnly       = problem.New(402, "billing.read_only", "This chain is read-only until its subscription is paid")
	ErrPlanLimit      = problem.New(402, "billing.plan_limit", "The plan's limit is reached; choose a larger plan")
	ErrUnknownPlan    = problem.New(422, "billing.unknown_plan", "No such plan")
	ErrNoCustomer     = problem.New(409, "billing.no_customer", "This chain has no Stripe customer yet; choose a plan first")
	ErrStripe         = problem.New(502, "billing.stripe_unavailable", "The payment provider did not answer; try again")
	ErrBadSignature   = problem.New(400, "billing.bad_signature", "The webhook signature is missing, invalid or stale")
	ErrBadEvent       = problem.New(400, "billing.bad_event", "The webhook body is not a Stripe event")
	ErrTenantNotFound = problem.New(404, "platform.tenant_not_found", "Tenant not found")
	ErrNotOperator    = problem.New(404, "route.not_found", "No such route")
	ErrUnknownStep    = problem.New(404, "onboarding.unknown_step", "No such onboarding step")
)
