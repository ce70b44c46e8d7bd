// Package audit writes the append-only audit log: role and assignment
// changes, PII reads and exports, refunds, price overrides, voids. Entries
// are written in the caller's tenant transaction, so an action and its
// audit row commit or roll back together.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/web"
	"chainstore/tenant"
)

// Entry is one audited action.
type Entry struct {
	Action     string // "role.create", "user.assign_roles", "member.pii_view" ...
	ObjectType string
	ObjectID   string
	StoreID    *uuid.UUID
	Detail     map[string]any
}

// Record writes e in the tenant transaction of ctx, attributed to the
// request's principal (if any) with its request id and IP.
func Record(ctx context.Context, e Entry) error {
	tenantID, ok := tenant.InTx(ctx)
	if !ok {
		return fmt.Errorf("audit: %s recorded outside a tenant transaction", e.Action)
	}
	var actor *uuid.UUID
	if p, ok := tenant.From(ctx); ok {
		actor = &p.UserID
	}
	detail := []byte("{}")
	if e.Detail != nil {
		b, err := json.Marshal(e.Detail)
		if err != nil {
			return fmt.Errorf("audit: detail: %w", err)
		}
		detail = b
	}
	meta := web.MetaFrom(ctx)
	err := tenant.DB(ctx).Exec(`
		INSERT INTO audit_log (tenant_id, id, at, actor_id, action, object_type, object_id, store_id, detail, request_id, ip)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)`,
		tenantID, uuid.Must(uuid.NewV7()), time.Now().UTC(), actor, e.Action, e.ObjectType, e.ObjectID, e.StoreID,
		string(detail), meta.RequestID, meta.IP).Error
	if err != nil {
		return fmt.Errorf("audit: write %s: %w", e.Action, err)
	}
	return nil
}

// Row is an audit entry as read back.
type Row struct {
	ID         uuid.UUID       `json:"id"`
	At         time.Time       `json:"at"`
	ActorID    *uuid.UUID      `json:"actor_id"`
	Action     string          `json:"action"`
	ObjectType string          `json:"object_type"`
	ObjectID   string          `json:"object_id"`
	StoreID    *uuid.UUID      `json:"store_id"`
	Detail     json.RawMessage `json:"detail"`
	RequestID  string          `json:"request_id"`
	IP         string          `json:"ip"`
}

// Filter narrows List.
type Filter struct {
	ObjectType string
	ObjectID   string
	Action     string
}

// List returns audit rows newest first, keyset-paginated by id (UUIDv7,
// so id order is time order).
func List(ctx context.Context, f Filter, page web.Page) ([]Row, error) {
	tenantID, _ := tenant.InTx(ctx)
	q := tenant.DB(ctx).Table("audit_log").
		Select("id, at, actor_id, action, object_type, object_id, store_id, detail, request_id, ip").
		Where("tenant_id = ?", tenantID)
	if f.ObjectType != "" {
		q = q.Where("object_type = ?", f.ObjectType)
	}
	if f.ObjectID != "" {
		q = q.Where("object_id = ?", f.ObjectID)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if page.Cursor != uuid.Nil {
		q = q.Where("id < ?", page.Cursor)
	}
	var rows []Row
	err := q.Order("id DESC").Limit(page.Limit + 1).Scan(&rows).Error
	return rows, err
}
