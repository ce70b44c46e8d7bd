package auth

import "chainstore/infra/problem"

// Errors of signup, login and sessions.
var (
	ErrSlugTaken          = problem.New(409, "signup.slug_taken", "This chain address (slug) is taken")
	ErrEmailTaken         = problem.New(409, "signup.email_taken", "This e-mail address has already signed up a chain")
	ErrInvalidCredentials = problem.New(401, "auth.invalid_credentials", "The chain, login or password is wrong")
	ErrAccountDisabled    = problem.New(403, "auth.account_disabled", "This account is disabled")
	ErrTenantSuspended    = problem.New(403, "auth.tenant_suspended", "This chain is suspended; contact support")
	ErrInvalidRefresh     = problem.New(401, "auth.invalid_refresh_token", "The refresh token is invalid or expired")
	ErrRefreshReused      = problem.New(401, "auth.refresh_token_reused", "The refresh token was already used; the session has been revoked")
	ErrInvalidUserToken   = problem.New(400, "auth.invalid_token", "The invitation or reset link is invalid or expired")
	ErrSessionRevoked     = problem.New(401, "auth.session_revoked", "The session has ended; sign in again")
	ErrTooManyAttempts    = problem.New(429, "auth.too_many_attempts", "Too many sign-in attempts; retry later")
)

// Errors of the chain profile.
var (
	ErrBadTenant = problem.New(422, "tenant.invalid", "The chain profile is invalid")
)

// Errors of user accounts.
var (
	ErrUserEmailTaken = problem.New(409, "users.email_taken", "Another user of this chain has this e-mail")
	ErrUserPhoneTaken = problem.New(409, "users.phone_taken", "Another user of this chain has this phone number")
)
