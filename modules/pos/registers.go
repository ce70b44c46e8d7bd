package pos

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"chainstore/infra/postgres"
	"chainstore/infra/problem"
	"chainstore/tenant"
	"chainstore/tenant/audit"
)

// A device credential is "rgt_" and 32 random bytes, base64url. Only its
// SHA-256 is stored; a till keeps it and sends it as X-Register-Token.
const tokenPrefix = "rgt_"

func newDeviceToken() (token string, hash []byte) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	token = tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token)
}

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// wellFormedToken rejects what cannot be a device credential before any
// database work.
func wellFormedToken(token string) bool {
	raw, ok := strings.CutPrefix(token, tokenPrefix)
	if !ok {
		return false
	}
	b, err := base64.RawURLEncoding.DecodeString(raw)
	return err == nil && len(b) == 32
}

// RegisterTill registers a till in a store (a manager's act, audited) and
// returns its device credential, shown this once. Errors:
// ErrRegisterCodeTaken, org.ErrStoreNotFound.
func (s *Service) RegisterTill(ctx context.Context, actor *tenant.Principal, storeID uuid.UUID, in RegisterInput) (RegisterCreated, error) {
	var out RegisterCreated
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		if _, err := s.org.Store(ctx, actor.TenantID, storeID); err != nil {
			return err
		}
		token, hash := newDeviceToken()
		err := tenant.DB(ctx).Raw(`INSERT INTO pos_registers (tenant_id, id, store_id, code, name, offline_allowed, token_hash, registered_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING `+registerColumns,
			actor.TenantID, uuid.Must(uuid.NewV7()), storeID, in.Code, in.Name, in.OfflineAllowed, hash, actor.UserID).Scan(&out.Register).Error
		if c, ok := postgres.IsUniqueViolation(err); ok && c == "pos_registers_code_key" {
			return ErrRegisterCodeTaken.WithFields(problem.FieldError{Field: "code", Message: "is taken by another register of this store"})
		}
		if err != nil {
			return fmt.Errorf("pos: register: %w", err)
		}
		out.DeviceToken = token
		return audit.Record(ctx, audit.Entry{Action: "pos.register_create", ObjectType: "pos_register", ObjectID: out.ID.String(),
			StoreID: &storeID, Detail: map[string]any{"code": in.Code, "offline_allowed": in.OfflineAllowed}})
	})
	return out, err
}

// Registers lists a store's registers by code.
func (s *Service) Registers(ctx context.Context, tenantID, storeID uuid.UUID) ([]Register, error) {
	var out []Register
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		return tenant.DB(ctx).Raw(`SELECT `+registerColumns+` FROM pos_registers WHERE tenant_id = ? AND store_id = ? ORDER BY code`,
			tenantID, storeID).Scan(&out).Error
	})
	return out, err
}

// GetRegister returns one register of a store, or ErrRegisterNotFound.
func (s *Service) GetRegister(ctx context.Context, tenantID, storeID, id uuid.UUID) (Register, error) {
	var out Register
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		var err error
		out, err = postgres.One[Register](tenant.DB(ctx), ErrRegisterNotFound,
			`SELECT `+registerColumns+` FROM pos_registers WHERE tenant_id = ? AND store_id = ? AND id = ?`, tenantID, storeID, id)
		return err
	})
	return out, err
}

// UpdateRegister renames a till or changes its right to sell offline (audited).
func (s *Service) UpdateRegister(ctx context.Context, actor *tenant.Principal, storeID, id uuid.UUID, in RegisterUpdate) (Register, error) {
	var out Register
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		err := tenant.DB(ctx).Raw(`UPDATE pos_registers SET name = coalesce(?, name), offline_allowed = coalesce(?, offline_allowed)
			WHERE tenant_id = ? AND store_id = ? AND id = ? RETURNING `+registerColumns,
			in.Name, in.OfflineAllowed, actor.TenantID, storeID, id).Scan(&out).Error
		if err != nil {
			return fmt.Errorf("pos: update register: %w", err)
		}
		if out.ID == uuid.Nil {
			return ErrRegisterNotFound
		}
		s.tills.Forget(ctx, actor.TenantID, out.ID)
		return audit.Record(ctx, audit.Entry{Action: "pos.register_update", ObjectType: "pos_register", ObjectID: id.String(),
			StoreID: &storeID, Detail: map[string]any{"name": in.Name, "offline_allowed": in.OfflineAllowed}})
	})
	return out, err
}

// RevokeRegister ends a till's credential at once, on every instance
// (audited). A revoked register can be re-keyed with RekeyRegister.
func (s *Service) RevokeRegister(ctx context.Context, actor *tenant.Principal, storeID, id uuid.UUID) (Register, error) {
	return s.setRegisterKey(ctx, actor, storeID, id, "revoked", nil)
}

// RekeyRegister issues a new credential for a till (a replaced device),
// which also reactivates a revoked one; the old credential stops working.
func (s *Service) RekeyRegister(ctx context.Context, actor *tenant.Principal, storeID, id uuid.UUID) (RegisterCreated, error) {
	token, hash := newDeviceToken()
	r, err := s.setRegisterKey(ctx, actor, storeID, id, "active", hash)
	return RegisterCreated{Register: r, DeviceToken: token}, err
}

func (s *Service) setRegisterKey(ctx context.Context, actor *tenant.Principal, storeID, id uuid.UUID, status string, hash []byte) (Register, error) {
	var out Register
	err := s.pool.WithTx(ctx, actor.TenantID, func(ctx context.Context) error {
		err := tenant.DB(ctx).Raw(`UPDATE pos_registers SET status = ?, token_hash = coalesce(?, token_hash),
				revoked_at = CASE WHEN ? = 'revoked' THEN now() END
			WHERE tenant_id = ? AND store_id = ? AND id = ? RETURNING `+registerColumns,
			status, hash, status, actor.TenantID, storeID, id).Scan(&out).Error
		if err != nil {
			return fmt.Errorf("pos: %s register: %w", status, err)
		}
		if out.ID == uuid.Nil {
			return ErrRegisterNotFound
		}
		action := "pos.register_revoke"
		if hash != nil {
			action = "pos.register_rekey"
		}
		s.tills.Forget(ctx, actor.TenantID, id)
		return audit.Record(ctx, audit.Entry{Action: action, ObjectType: "pos_register", ObjectID: id.String(), StoreID: &storeID})
	})
	return out, err
}

// Till proves which register a request comes from: the device credential
// must be an active register's of storeID. Answers are kept in memory for
// a few seconds and dropped on every instance when a register changes.
// Errors: ErrRegisterToken (missing, malformed or unknown), ErrRegisterRevoked.
func (s *Service) Till(ctx context.Context, tenantID, storeID uuid.UUID, token string) (Till, error) {
	if !wellFormedToken(token) {
		return Till{}, ErrRegisterToken
	}
	hash := hashToken(token)
	t, err := s.tills.Get(ctx, tenantID, hash, func() (tillRow, error) {
		var row tillRow
		err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
			return tenant.DB(ctx).Raw(`SELECT id, store_id, code, status, offline_allowed FROM pos_registers
				WHERE tenant_id = ? AND token_hash = ?`, tenantID, hash).Scan(&row).Error
		})
		return row, err
	})
	if err != nil {
		return Till{}, err
	}
	switch {
	case t.ID == uuid.Nil || t.StoreID != storeID:
		return Till{}, ErrRegisterToken
	case t.Status != "active":
		return Till{}, ErrRegisterRevoked
	}
	return Till{RegisterID: t.ID, StoreID: t.StoreID, Code: t.Code, OfflineAllowed: t.OfflineAllowed}, nil
}

type tillRow struct {
	ID             uuid.UUID
	StoreID        uuid.UUID
	Code           string
	Status         string
	OfflineAllowed bool
}
