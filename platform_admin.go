package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"chainstore/infra/config"
	"chainstore/tenant/auth"
)

// platformAdmin: `chainstore platform-admin create --email E [--name N]
// [--slug platform]` opens the operator chain with its first user as a
// platform operator (password from PLATFORM_ADMIN_PASSWORD, never argv).
// The operator then signs in to that chain as usual and calls
// /api/v1/platform/.... Being listed in platform_operators (not a tenant
// role) is the grant, so no tenant admin can make an operator.
func platformAdmin(ctx context.Context, cfg *config.Config, log *slog.Logger, args []string, out io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: chainstore platform-admin create --email E [--name N] [--slug platform]  (password in PLATFORM_ADMIN_PASSWORD)")
	}
	fs := flag.NewFlagSet("platform-admin create", flag.ContinueOnError)
	email := fs.String("email", "", "the operator's e-mail (login)")
	name := fs.String("name", "Platform operator", "the operator's name")
	slug := fs.String("slug", "platform", "the operator chain's slug")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	password := os.Getenv("PLATFORM_ADMIN_PASSWORD")
	if *email == "" || password == "" {
		return errors.New("platform-admin create needs --email and PLATFORM_ADMIN_PASSWORD")
	}
	srv, err := wire(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer srv.Close()
	res, err := srv.Billing.CreateOperator(ctx, srv.Auth, auth.SignupInput{ChainName: "ChainStore platform", Slug: *slug,
		AdminName: *name, AdminEmail: *email, AdminPassword: password})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "platform operator %s created in chain %q (%s); sign in with tenant %q\n", *email, *slug, res.Tenant.ID, *slug)
	return nil
}
