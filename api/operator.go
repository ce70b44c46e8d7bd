package api

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"chainstore/tenant/auth"
)

// CreatePlatformAdmin is `chainstore platform-admin create --email E
// [--name N] [--slug platform]`: it opens the operator chain with its first
// user as a platform operator (the password comes from password, read by the
// caller from PLATFORM_ADMIN_PASSWORD, never argv). The operator then signs
// in to that chain as usual and calls /api/v1/platform/.... Being listed in
// platform_operators (not a tenant role) is the grant, so no tenant admin
// can make an operator.
func (s *Server) CreatePlatformAdmin(ctx context.Context, args []string, password string, out io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: chainstore platform-admin create --email E [--name N] [--slug platform]  (password in PLATFORM_ADMIN_PASSWORD)")
	}
	fs := flag.NewFlagSet("platform-admin create", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	email := fs.String("email", "", "the operator's e-mail (login)")
	name := fs.String("name", "Platform operator", "the operator's name")
	slug := fs.String("slug", "platform", "the operator chain's slug")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *email == "" || password == "" {
		return errors.New("platform-admin create needs --email and PLATFORM_ADMIN_PASSWORD")
	}
	res, err := s.Billing.CreateOperator(ctx, s.Auth, auth.SignupInput{ChainName: "ChainStore platform", Slug: *slug,
		AdminName: *name, AdminEmail: *email, AdminPassword: password})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "platform operator %s created in chain %q (%s); sign in with tenant %q\n", *email, *slug, res.Tenant.ID, *slug)
	return nil
}
