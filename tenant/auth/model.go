package auth

import (
	"time"

	"github.com/google/uuid"
)

// Tenant is a chain as its users see it.
type Tenant struct {
	ID        uuid.UUID `json:"id"`
	Name      string    `json:"name"`
	Slug      string    `json:"slug"`
	Kind      string    `json:"kind"`
	Status    string    `json:"status"`
	Currency  string    `json:"currency"`
	TimeZone  string    `json:"time_zone"`
	CreatedAt time.Time `json:"created_at"`
}

// User is a staff account as its owner and admins see it (never the hash).
type User struct {
	ID           uuid.UUID  `json:"id"`
	Name         string     `json:"name"`
	Email        *string    `json:"email"`
	Phone        *string    `json:"phone"`
	Status       string     `json:"status"`
	FranchiseeID *uuid.UUID `json:"franchisee_id"`
	LastLoginAt  *time.Time `json:"last_login_at"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

// UserColumns selects a User.
const UserColumns = `id, name, email, phone, status, franchisee_id, last_login_at, created_at, updated_at`

// TokenPair is what signup, login and refresh return.
type TokenPair struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
}

// SignupInput opens a chain with its first HQ admin.
type SignupInput struct {
	ChainName     string `json:"chain_name" validate:"required,min=1,max=200,text"`
	Slug          string `json:"slug" validate:"required,slug"`
	Kind          string `json:"kind" validate:"omitempty,oneof=supermarket convenience mixed"`
	TimeZone      string `json:"time_zone" validate:"omitempty,timezone"`
	Currency      string `json:"currency" validate:"omitempty,oneof=CNY HKD USD"`
	AdminName     string `json:"admin_name" validate:"required,min=1,max=100,text"`
	AdminEmail    string `json:"admin_email" validate:"required,email,max=254"`
	AdminPhone    string `json:"admin_phone" validate:"omitempty,phone"`
	AdminPassword string `json:"admin_password" validate:"required,max=128"`
}

// UpdateTenantInput changes the chain profile; nil fields stay. The
// currency cannot change once the chain exists (every amount of it is in
// that currency): the same code is accepted, another is 422.
type UpdateTenantInput struct {
	Name     *string `json:"name" validate:"omitnil,min=1,max=200,text"`
	Kind     *string `json:"kind" validate:"omitnil,oneof=supermarket convenience mixed"`
	TimeZone *string `json:"time_zone" validate:"omitnil,timezone"`
	Currency *string `json:"currency" validate:"omitnil,oneof=CNY HKD USD"`
}

// SignupResult is the new chain, its admin and their first tokens.
type SignupResult struct {
	Tenant Tenant `json:"tenant"`
	User   User   `json:"user"`
	TokenPair
}

// LoginInput: the chain's slug, an e-mail or phone, and the password.
type LoginInput struct {
	Tenant   string `json:"tenant" validate:"required,max=40"`
	Login    string `json:"login" validate:"required,max=254"`
	Password string `json:"password" validate:"required,max=128"`
}

// LoginResult is the tokens and the signed-in user.
type LoginResult struct {
	TokenPair
	User User `json:"user"`
}

// RefreshInput carries the refresh token to rotate.
type RefreshInput struct {
	RefreshToken string `json:"refresh_token" validate:"required,max=200"`
}

// SetPasswordInput completes an invitation or a password reset.
type SetPasswordInput struct {
	Token    string `json:"token" validate:"required,max=200"`
	Password string `json:"password" validate:"required,max=128"`
}

// Me is everything the console needs about the signed-in user.
type Me struct {
	User        User        `json:"user"`
	Tenant      Tenant      `json:"tenant"`
	Roles       []string    `json:"roles"`
	Stores      []uuid.UUID `json:"stores"`
	ChainWide   bool        `json:"chain_wide"`
	Permissions []string    `json:"permissions"`
	Billing     Billing     `json:"billing"`
}

// Billing flags shown by the console, from the billing module (through
// Options.BillingFlags); without it they follow the tenant's status alone.
type Billing struct {
	Status      string     `json:"status"`
	ReadOnly    bool       `json:"read_only"`
	PastDue     bool       `json:"past_due"`
	Banner      string     `json:"banner"`
	Access      string     `json:"access"` // full, grace, read_only
	Plan        string     `json:"plan"`
	TrialEndsAt *time.Time `json:"trial_ends_at"`
	GraceEndsAt *time.Time `json:"grace_ends_at"`
}
