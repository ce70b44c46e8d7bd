package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"chainstore/infra/problem"
	"chainstore/infra/web"
	"chainstore/tenant"
	"chainstore/tenant/auth"
)

var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// observe assigns the request id, carries request metadata in the user
// context, and after the handler records the access log and metrics.
func observe(m *metrics, log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		rid := c.Get(fiber.HeaderXRequestID)
		if !requestIDPattern.MatchString(rid) {
			rid = uuid.Must(uuid.NewV7()).String()
		}
		c.Set(fiber.HeaderXRequestID, rid)
		meta := web.Meta{RequestID: rid, IP: c.IP(), UserAgent: c.Get(fiber.HeaderUserAgent)}
		c.SetUserContext(web.WithMeta(context.Background(), meta))

		err := c.Next()
		if err != nil {
			// Render now so the log and metrics see the final status.
			if herr := c.App().Config().ErrorHandler(c, err); herr != nil {
				_ = c.SendStatus(fiber.StatusInternalServerError)
			}
		}
		status := c.Response().StatusCode()
		route := "unmatched" // bounded label cardinality: never the raw path
		if r := c.Route(); r != nil && r.Method != "USE" && r.Path != "" {
			route = r.Path
		}
		dur := time.Since(start)
		m.observe(c.Method(), route, status, dur)
		attrs := []any{"method", c.Method(), "path", c.Path(), "route", route, "status", status,
			"duration_ms", float64(dur.Microseconds()) / 1000, "bytes", len(c.Response().Body()),
			"request_id", rid, "ip", meta.IP}
		if p, ok := tenant.From(c.UserContext()); ok {
			attrs = append(attrs, "tenant", p.TenantID.String(), "user", p.UserID.String())
		}
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelError
		}
		log.Log(c.UserContext(), level, "request", attrs...)
		return nil
	}
}

// recoverPanics turns a panic into a logged 500 problem; the process keeps
// serving.
func recoverPanics(log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) (err error) {
		defer func() {
			if r := recover(); r != nil {
				log.ErrorContext(c.UserContext(), "panic", "panic", fmt.Sprint(r),
					"request_id", web.MetaFrom(c.UserContext()).RequestID, "stack", string(debug.Stack()))
				err = problem.ErrInternal
			}
		}()
		return c.Next()
	}
}

// securityHeaders sets the headers an API should always send.
func securityHeaders(c *fiber.Ctx) error {
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Referrer-Policy", "no-referrer")
	c.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
	c.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	c.Set("Cross-Origin-Opener-Policy", "same-origin")
	return c.Next()
}

// errRollback ends a request transaction whose handler answered with an
// error status without returning an error: nothing of it may commit.
var errRollback = errors.New("api: rollback")

// authenticate verifies the bearer token, then runs the rest of the chain
// inside the tenant transaction (SET LOCAL app.tenant_id, started on first
// use) with the Principal in the context. Any error or 4xx/5xx status
// rolls back. gates (the billing access gate) run first in that
// transaction; an error from one answers the request.
func authenticate(a *auth.Service, pool *tenant.Pool, gates ...fiber.Handler) fiber.Handler {
	return authenticated(a, pool, true, gates)
}

// authenticateOutsideTx is authenticate for the few handlers that wait on
// an outside service (a payment provider): the session check and gates run
// in a transaction of their own that ends before the handler, which opens
// its own short transactions, so no connection waits on the provider.
func authenticateOutsideTx(a *auth.Service, pool *tenant.Pool, gates ...fiber.Handler) fiber.Handler {
	return authenticated(a, pool, false, gates)
}

func authenticated(a *auth.Service, pool *tenant.Pool, wrap bool, gates []fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		h := c.Get(fiber.HeaderAuthorization)
		raw, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || raw == "" {
			return problem.ErrUnauthenticated
		}
		v, err := a.Authenticate(strings.TrimSpace(raw))
		if err != nil {
			return problem.ErrUnauthenticated.WithDetail("the access token is invalid or expired")
		}
		p := &tenant.Principal{TenantID: v.TenantID, UserID: v.UserID, SessionID: v.SessionID, TokenID: v.TokenID, Roles: v.Roles, Stores: v.Stores}
		base := tenant.WithPrincipal(c.UserContext(), p)
		if !wrap {
			err := pool.WithTx(base, v.TenantID, func(ctx context.Context) error {
				if err := a.CheckSession(ctx, v); err != nil {
					return err
				}
				c.SetUserContext(ctx)
				defer c.SetUserContext(base)
				for _, gate := range gates {
					if err := gate(c); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
			c.SetUserContext(base)
			return c.Next()
		}
		err = pool.WithTx(base, v.TenantID, func(ctx context.Context) error {
			if err := a.CheckSession(ctx, v); err != nil {
				return err
			}
			c.SetUserContext(ctx)
			for _, gate := range gates {
				if err := gate(c); err != nil {
					return err
				}
			}
			if err := c.Next(); err != nil {
				return err
			}
			if c.Response().StatusCode() >= 400 {
				return errRollback
			}
			return nil
		})
		c.SetUserContext(base)
		if errors.Is(err, errRollback) {
			return nil
		}
		if err != nil && c.Response().StatusCode() < 400 {
			// The handler succeeded but the commit failed: its response
			// must not claim success.
			c.Response().ResetBody()
		}
		return err
	}
}

// limitBody refuses bodies over limit unless they are spreadsheet uploads
// (CSV, XLSX, multipart, octet-stream), which may reach HTTP_UPLOAD_LIMIT.
// A JSON endpoint refuses those content types anyway.
func limitBody(limit int) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if len(c.Body()) <= limit {
			return c.Next()
		}
		ct := strings.ToLower(c.Get(fiber.HeaderContentType))
		for _, upload := range []string{"text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			"multipart/form-data", "application/octet-stream"} {
			if strings.HasPrefix(ct, upload) {
				return c.Next()
			}
		}
		return problem.ErrTooLarge
	}
}
