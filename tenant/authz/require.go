package authz

import (
	"context"

	"github.com/google/uuid"

	"chainstore/infra/problem"
	"chainstore/tenant"
)

// RequireChain returns the request's principal when it holds perm for the
// whole chain; otherwise 401 (no principal) or 403.
func (a *Authorizer) RequireChain(ctx context.Context, perm Permission) (*tenant.Principal, error) {
	p, ok := tenant.From(ctx)
	if !ok {
		return nil, problem.ErrUnauthenticated
	}
	allowed, err := a.CanChain(ctx, p, perm)
	if err != nil {
		return nil, err
	}
	if !allowed {
		return nil, problem.ErrForbidden.WithDetail("this needs %s for the whole chain", perm)
	}
	return p, nil
}

// RequireStore returns the principal when it holds perm in the store. A
// store outside everything the principal may see answers notFound (another
// store's object looks like no object); a visible store without perm is 403.
func (a *Authorizer) RequireStore(ctx context.Context, storeID uuid.UUID, perm Permission, notFound error) (*tenant.Principal, error) {
	p, ok := tenant.From(ctx)
	if !ok {
		return nil, problem.ErrUnauthenticated
	}
	allowed, err := a.CanStore(ctx, p, storeID, perm)
	if err != nil || allowed {
		return p, err
	}
	visible, err := a.CanStore(ctx, p, storeID, StoresRead)
	if err != nil {
		return nil, err
	}
	if !visible {
		return nil, notFound
	}
	return nil, problem.ErrForbidden.WithDetail("this needs %s in this store", perm)
}

// Scope returns the principal and the stores where it holds perm; an empty
// scope is 403.
func (a *Authorizer) Scope(ctx context.Context, perm Permission) (*tenant.Principal, StoreScope, error) {
	p, ok := tenant.From(ctx)
	if !ok {
		return nil, StoreScope{}, problem.ErrUnauthenticated
	}
	s, err := a.ScopeOf(ctx, p, perm)
	if err != nil {
		return nil, s, err
	}
	if s.Empty() {
		return nil, s, problem.ErrForbidden.WithDetail("this needs %s", perm)
	}
	return p, s, nil
}
