package api

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"chainstore/infra/problem"
	"chainstore/infra/web"
	"chainstore/tenant"
)

// Errors of idempotent requests.
var (
	ErrIdempotencyKeyReused = problem.New(409, "idempotency.key_reused", "This Idempotency-Key was used with a different request")
	ErrIdempotencyKeyBad    = problem.New(400, "idempotency.key_invalid", "Idempotency-Key must be 1-255 printable characters")
)

// idempotent gives a POST Stripe's Idempotency-Key semantics. It runs after
// authenticate, inside the request's tenant transaction: the key row is
// inserted first (a concurrent request with the same key waits on it), and
// the response is stored before commit, so the key and the work commit or
// roll back together. The same key with the same method, path and body
// replays the first response (Idempotent-Replayed: true); with another
// request it is 409. Without the header the request runs normally.
func idempotent(c *fiber.Ctx) error {
	key := c.Get("Idempotency-Key")
	if key == "" {
		return c.Next()
	}
	if len(key) > 255 || !web.IsText(key) {
		return ErrIdempotencyKeyBad
	}
	ctx := c.UserContext()
	p, ok := tenant.From(ctx)
	if !ok {
		return problem.ErrUnauthenticated
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n", c.Method(), c.Path())
	h.Write(c.Body())
	hash := h.Sum(nil)

	db := tenant.DB(ctx)
	// Keys live idempotencyTTL, as Stripe's do: an older one is taken over
	// (and the prune task deletes it).
	res := db.Exec(`INSERT INTO idempotency_keys (tenant_id, user_id, key, request_hash) VALUES (?, ?, ?, ?)
		ON CONFLICT (tenant_id, user_id, key) DO UPDATE
		SET request_hash = EXCLUDED.request_hash, status = NULL, response = NULL, content_type = NULL, created_at = now()
		WHERE idempotency_keys.created_at < now() - make_interval(secs => ?)`, p.TenantID, p.UserID, key, hash, idempotencyTTL.Seconds())
	if res.Error != nil {
		return fmt.Errorf("idempotency: claim key: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		// The key is taken by a committed request: replay it, or refuse.
		var prior struct {
			RequestHash []byte
			Status      *int
			Response    []byte
			ContentType *string
		}
		if err := db.Raw(`SELECT request_hash, status, response, content_type FROM idempotency_keys WHERE tenant_id = ? AND user_id = ? AND key = ?`,
			p.TenantID, p.UserID, key).Scan(&prior).Error; err != nil {
			return fmt.Errorf("idempotency: read key: %w", err)
		}
		if string(prior.RequestHash) != string(hash) {
			return ErrIdempotencyKeyReused
		}
		if prior.Status == nil {
			return errors.New("idempotency: committed key without a response")
		}
		c.Set("Idempotent-Replayed", "true")
		if prior.ContentType != nil {
			c.Set(fiber.HeaderContentType, *prior.ContentType)
		}
		return c.Status(*prior.Status).Send(prior.Response)
	}
	if err := c.Next(); err != nil {
		return err // the transaction rolls back, key included: a retry runs again
	}
	status := c.Response().StatusCode()
	if status >= 400 {
		return nil // rolled back by authenticate; nothing to remember
	}
	// The response goes out with the COMMIT (one round trip less while the
	// request's work holds its locks); a failure rolls everything back.
	tenant.Defer(ctx, func(err error) error { return fmt.Errorf("idempotency: store response: %w", err) },
		`UPDATE idempotency_keys SET status = $1, response = $2, content_type = $3 WHERE tenant_id = $4 AND user_id = $5 AND key = $6`,
		status, bytes.Clone(c.Response().Body()), string(c.Response().Header.ContentType()), p.TenantID, p.UserID, key)
	return nil
}

// idempotencyTTL is how long a key is remembered.
const idempotencyTTL = 24 * time.Hour
