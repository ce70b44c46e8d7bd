package pos

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/google/uuid"

	"chainstore/tenant"
	"chainstore/tenant/authz"
)

// A PIN locks for pinLockFor after pinMaxFailures wrong tries in a row.
const (
	pinMaxFailures = 5
	pinLockFor     = 15 * time.Minute
)

var pinParams = &argon2id.Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// SetPIN sets the caller's own approval PIN (4–8 digits) for the till.
func (s *Service) SetPIN(ctx context.Context, actor *tenant.Principal, pin string) error {
	hash, err := argon2id.CreateHash(pin, pinParams)
	if err != nil {
		return err
	}
	return s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		return tenant.DB(ctx).Exec(`INSERT INTO pos_approval_pins (tenant_id, user_id, pin_hash) VALUES (?, ?, ?)
			ON CONFLICT (tenant_id, user_id) DO UPDATE SET pin_hash = EXCLUDED.pin_hash, failures = 0, locked_until = NULL, updated_at = now()`,
			actor.TenantID, actor.UserID, hash).Error
	})
}

// approve checks a manager's consent for perm in storeID and returns who
// gave it. The approver may not be the cashier asking. Errors:
// ErrApproval (none given), ErrApprovalDenied (wrong, locked, or lacking perm).
func (s *Service) approve(ctx context.Context, cashier *tenant.Principal, storeID uuid.UUID, a *Approval, perm authz.Permission) (uuid.UUID, error) {
	if a == nil || (a.Token == "" && a.PIN == "") {
		return uuid.Nil, ErrApproval.WithDetail("this needs %s; ask a manager to approve with their PIN or sign-in", perm)
	}
	var approver *tenant.Principal
	switch {
	case a.Token != "":
		v, err := s.auth.Authenticate(a.Token)
		if err != nil || v.TenantID != cashier.TenantID {
			return uuid.Nil, ErrApprovalDenied.WithDetail("the approver's sign-in is not valid")
		}
		if err := s.auth.CheckSession(ctx, v); err != nil {
			return uuid.Nil, ErrApprovalDenied.WithDetail("the approver's sign-in has ended")
		}
		approver = &tenant.Principal{TenantID: v.TenantID, UserID: v.UserID, SessionID: v.SessionID, Roles: v.Roles, Stores: v.Stores}
	default:
		if a.UserID == nil {
			return uuid.Nil, ErrApprovalDenied.WithDetail("a PIN needs the approver's user_id")
		}
		if err := s.checkPIN(ctx, cashier.TenantID, *a.UserID, a.PIN); err != nil {
			return uuid.Nil, err
		}
		approver = &tenant.Principal{TenantID: cashier.TenantID, UserID: *a.UserID}
	}
	if approver.UserID == cashier.UserID {
		return uuid.Nil, ErrApprovalDenied.WithDetail("a cashier cannot approve their own request")
	}
	ok, err := s.authz.CanStore(ctx, approver, storeID, perm)
	if err != nil {
		return uuid.Nil, err
	}
	if !ok {
		return uuid.Nil, ErrApprovalDenied.WithDetail("the approver does not hold %s in this store", perm)
	}
	return approver.UserID, nil
}

func (s *Service) checkPIN(ctx context.Context, tenantID, userID uuid.UUID, pin string) error {
	var row struct {
		PinHash     string
		Failures    int
		LockedUntil *time.Time
	}
	if err := tenant.DB(ctx).Raw(`SELECT pin_hash, failures, locked_until FROM pos_approval_pins WHERE tenant_id = ? AND user_id = ?`,
		tenantID, userID).Scan(&row).Error; err != nil {
		return fmt.Errorf("pos: approval pin: %w", err)
	}
	now := s.clock.Now()
	if row.PinHash == "" {
		return ErrApprovalDenied.WithDetail("the approver has no PIN")
	}
	if row.LockedUntil != nil && now.Before(*row.LockedUntil) {
		return ErrApprovalDenied.WithDetail("the approver's PIN is locked after too many wrong tries")
	}
	if ok, err := argon2id.ComparePasswordAndHash(pin, row.PinHash); err == nil && ok {
		return tenant.DB(ctx).Exec(`UPDATE pos_approval_pins SET failures = 0, locked_until = NULL WHERE tenant_id = ? AND user_id = ?`,
			tenantID, userID).Error
	}
	// A wrong PIN is counted after the request's transaction ends: the
	// request fails and rolls back, and the count must stay.
	tenant.AfterEnd(ctx, func(ctx context.Context) {
		err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
			return tenant.DB(ctx).Exec(`UPDATE pos_approval_pins SET failures = failures + 1,
					locked_until = CASE WHEN failures + 1 >= ? THEN ?::timestamptz END
				WHERE tenant_id = ? AND user_id = ?`, pinMaxFailures, now.Add(pinLockFor), tenantID, userID).Error
		})
		if err != nil {
			slog.ErrorContext(ctx, "pos: count a wrong approval PIN", "err", err)
		}
	})
	return ErrApprovalDenied.WithDetail("wrong PIN")
}
