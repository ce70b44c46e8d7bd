package tenant

import (
	"context"

	"github.com/google/uuid"
)

// Principal is who makes a request: a user of one tenant, with the session
// and token that authenticated them. What they may do is decided by authz at
// the time of the request, not by the role names carried in the token.
type Principal struct {
	TenantID  uuid.UUID
	UserID    uuid.UUID
	SessionID uuid.UUID
	TokenID   string
	Roles     []string
	Stores    []uuid.UUID
}

type principalKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// From returns the request's principal, if authenticated.
func From(ctx context.Context) (*Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(*Principal)
	return p, ok
}
