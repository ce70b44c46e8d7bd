package promotions

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"chainstore/infra/postgres"
	"chainstore/infra/web"
)

// The promotions table keeps the engine's parameter blocks as jsonb in the
// engine's own JSON (rule, items, audience; the window's weekdays and
// hours as clock) and what lists filter on as columns (kind, status,
// owner, store scope, the window's instants). See 00015_promotions.sql.

// clockJSON is the window's wall-clock part as stored in promotions.clock.
type clockJSON struct {
	Weekdays []time.Weekday `json:"weekdays,omitempty"`
	Times    []TimeRange    `json:"times,omitempty"`
}

type promotionRow struct {
	ID             uuid.UUID
	FranchiseeID   *uuid.UUID
	Name           string
	NameEn         string
	Kind           string
	Status         string
	Priority       int
	Exclusive      bool
	StackingGroup  string
	Forced         bool
	StoreScope     string
	StoreIDs       string `gorm:"column:store_ids"`
	Items          string
	Audience       string
	Clock          string
	Rule           string
	StartsAt       *time.Time
	EndsAt         *time.Time
	Budget         *int64
	Spent          int64
	PerMemberLimit *int
	OptedOut       string
	CreatedBy      *uuid.UUID
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

const promotionColumns = `p.id, p.franchisee_id, p.name, p.name_en, p.kind, p.status, p.priority, p.exclusive, p.stacking_group,
	p.forced, p.store_scope, array_to_string(p.store_ids, ',') AS store_ids, p.items::text AS items, p.audience::text AS audience,
	p.clock::text AS clock, p.rule::text AS rule, p.starts_at, p.ends_at, p.budget, p.spent, p.per_member_limit,
	coalesce((SELECT string_agg(o.store_id::text, ',' ORDER BY o.store_id) FROM promotion_opt_outs o
		WHERE o.tenant_id = p.tenant_id AND o.promotion_id = p.id), '') AS opted_out,
	p.created_by, p.created_at, p.updated_at`

// parseIDs reads a comma-joined uuid list (array_to_string, string_agg).
func parseIDs(s string) ([]uuid.UUID, error) {
	if s == "" {
		return nil, nil
	}
	parts := strings.Split(s, ",")
	out := make([]uuid.UUID, len(parts))
	for i, p := range parts {
		id, err := uuid.Parse(p)
		if err != nil {
			return nil, err
		}
		out[i] = id
	}
	return out, nil
}

// joinIDs writes a uuid list for string_to_array(?, ',')::uuid[].
func joinIDs(ids []uuid.UUID) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = id.String()
	}
	return strings.Join(parts, ",")
}

func unmarshalBlocks(blocks map[string]string, dst map[string]any) error {
	for name, raw := range blocks {
		if raw == "" {
			continue
		}
		if err := json.Unmarshal([]byte(raw), dst[name]); err != nil {
			return fmt.Errorf("promotions: stored %s: %w", name, err)
		}
	}
	return nil
}

func (r *promotionRow) definition() (Definition, error) {
	d := Definition{ID: r.ID, FranchiseeID: r.FranchiseeID, Name: r.Name, NameEn: r.NameEn, Kind: Kind(r.Kind), Status: r.Status,
		Priority: r.Priority, Exclusive: r.Exclusive, Group: r.StackingGroup, Forced: r.Forced, Budget: r.Budget, Spent: r.Spent,
		PerMemberLimit: r.PerMemberLimit, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Owner: OwnerHQ}
	if r.FranchiseeID != nil {
		d.Owner = OwnerFranchisee
	}
	var err error
	d.Stores.Scope = StoreScope(r.StoreScope)
	if d.Stores.IDs, err = parseIDs(r.StoreIDs); err != nil {
		return d, fmt.Errorf("promotions: stored store ids: %w", err)
	}
	if d.OptedOut, err = parseIDs(r.OptedOut); err != nil {
		return d, fmt.Errorf("promotions: stored opt-outs: %w", err)
	}
	if d.OptedOut == nil {
		d.OptedOut = []uuid.UUID{}
	}
	var clk clockJSON
	if err := unmarshalBlocks(map[string]string{"items": r.Items, "audience": r.Audience, "clock": r.Clock, "rule": r.Rule},
		map[string]any{"items": &d.Items, "audience": &d.Audience, "clock": &clk, "rule": &d.Rule}); err != nil {
		return d, err
	}
	d.Window = WindowSpec{Starts: r.StartsAt, Ends: r.EndsAt, Weekdays: clk.Weekdays, Times: clk.Times}
	return d, nil
}

func definitions(rows []promotionRow) ([]Definition, error) {
	out := make([]Definition, 0, len(rows))
	for i := range rows {
		d, err := rows[i].definition()
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// blocks are a definition's jsonb columns, as text for ?::jsonb.
func (d *Definition) blocks() (items, audience, clock, rule string, err error) {
	enc := func(v any) string {
		if err != nil {
			return ""
		}
		var b []byte
		b, err = json.Marshal(v)
		return string(b)
	}
	items, audience, rule = enc(d.Items), enc(d.Audience), enc(d.Rule)
	clock = enc(clockJSON{Weekdays: d.Window.Weekdays, Times: d.Window.Times})
	return
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func insertPromotion(db *gorm.DB, tenantID uuid.UUID, d *Definition) error {
	items, audience, clock, rule, err := d.blocks()
	if err != nil {
		return err
	}
	err = db.Exec(`INSERT INTO promotions (tenant_id, id, franchisee_id, name, name_en, kind, status, priority, exclusive, stacking_group,
			forced, store_scope, store_ids, items, audience, starts_at, ends_at, clock, rule, budget, per_member_limit, created_by)
		VALUES (?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, string_to_array(?, ',')::uuid[], ?::jsonb, ?::jsonb, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?)`,
		tenantID, d.ID, d.FranchiseeID, d.Name, d.NameEn, string(d.Kind), d.Priority, d.Exclusive, d.Group,
		d.Forced, string(d.Stores.Scope), joinIDs(d.Stores.IDs), items, audience, utcPtr(d.Window.Starts), utcPtr(d.Window.Ends),
		clock, rule, d.Budget, d.PerMemberLimit, d.CreatedBy).Error
	if err != nil {
		return fmt.Errorf("promotions: create: %w", err)
	}
	return nil
}

// updatePromotion writes every changeable column of d (a PATCH is merged
// and validated whole before it is written).
func updatePromotion(db *gorm.DB, tenantID uuid.UUID, d *Definition) error {
	items, audience, clock, rule, err := d.blocks()
	if err != nil {
		return err
	}
	err = db.Exec(`UPDATE promotions SET name = ?, name_en = ?, priority = ?, exclusive = ?, stacking_group = ?, forced = ?,
			store_scope = ?, store_ids = string_to_array(?, ',')::uuid[], items = ?::jsonb, audience = ?::jsonb, starts_at = ?, ends_at = ?,
			clock = ?::jsonb, rule = ?::jsonb, budget = ?, per_member_limit = ?, updated_at = now()
		WHERE tenant_id = ? AND id = ?`,
		d.Name, d.NameEn, d.Priority, d.Exclusive, d.Group, d.Forced, string(d.Stores.Scope), joinIDs(d.Stores.IDs),
		items, audience, utcPtr(d.Window.Starts), utcPtr(d.Window.Ends), clock, rule, d.Budget, d.PerMemberLimit, tenantID, d.ID).Error
	if err != nil {
		return fmt.Errorf("promotions: update: %w", err)
	}
	return nil
}

// onePromotion reads a promotion by id (lock: FOR UPDATE), or ErrNotFound.
func onePromotion(db *gorm.DB, tenantID, id uuid.UUID, lock bool) (Definition, error) {
	q := `SELECT ` + promotionColumns + ` FROM promotions p WHERE p.tenant_id = ? AND p.id = ?`
	if lock {
		q += ` FOR UPDATE OF p`
	}
	row, err := postgres.One[promotionRow](db, ErrNotFound, q, tenantID, id)
	if err != nil {
		return Definition{}, err
	}
	return row.definition()
}

// listPromotions is the filtered list; vis, when set, is the caller's
// visibility condition.
func listPromotions(db *gorm.DB, tenantID uuid.UUID, f Filter, at *storeFilter, vis *condition, page web.Page) ([]Definition, error) {
	q := db.Table("promotions p").Select(promotionColumns).Where("p.tenant_id = ?", tenantID)
	if vis != nil {
		q = q.Where(vis.sql, vis.args...)
	}
	if f.Status != "" {
		q = q.Where("p.status = ?", f.Status)
	}
	if f.Kind != "" {
		q = q.Where("p.kind = ?", string(f.Kind))
	}
	switch f.Owner {
	case OwnerHQ:
		q = q.Where("p.franchisee_id IS NULL")
	case OwnerFranchisee:
		q = q.Where("p.franchisee_id IS NOT NULL")
	}
	if f.FranchiseeID != nil {
		q = q.Where("p.franchisee_id = ?", *f.FranchiseeID)
	}
	if at != nil {
		q = q.Where(`(p.store_scope = 'all' OR p.store_scope = ? OR ? = ANY(p.store_ids))
			AND (p.franchisee_id IS NULL OR p.franchisee_id = ?)
			AND (p.forced OR NOT EXISTS (SELECT 1 FROM promotion_opt_outs o WHERE o.tenant_id = p.tenant_id AND o.promotion_id = p.id AND o.store_id = ?))`,
			at.Type, at.ID, at.FranchiseeID, at.ID)
	}
	if f.ActiveAt != nil {
		q = q.Where("p.status = 'active' AND (p.starts_at IS NULL OR p.starts_at <= ?) AND (p.ends_at IS NULL OR p.ends_at > ?)", *f.ActiveAt, *f.ActiveAt)
	}
	if page.Cursor != uuid.Nil {
		q = q.Where("p.id < ?", page.Cursor)
	}
	var rows []promotionRow
	if err := q.Order("p.id DESC").Limit(page.Limit + 1).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("promotions: list: %w", err)
	}
	return definitions(rows)
}

// storeFilter is the store a list asks about.
type storeFilter struct {
	ID           uuid.UUID
	Type         string
	FranchiseeID *uuid.UUID
}

// condition is a WHERE fragment with its arguments.
type condition struct {
	sql  string
	args []any
}

// ── settings ──

type settingsRow struct {
	FranchisePromotions bool
	FranchiseMaxOffBp   int `gorm:"column:franchise_max_off_bp"`
	FranchiseOptOut     bool
	UpdatedAt           time.Time
}

func readSettings(db *gorm.DB, tenantID uuid.UUID) (Settings, error) {
	var rows []settingsRow
	if err := db.Raw(`SELECT franchise_promotions, franchise_max_off_bp, franchise_opt_out, updated_at
		FROM promotion_settings WHERE tenant_id = ?`, tenantID).Scan(&rows).Error; err != nil {
		return Settings{}, fmt.Errorf("promotions: settings: %w", err)
	}
	if len(rows) == 0 {
		return Settings{}, nil
	}
	r := rows[0]
	return Settings{FranchisePromotions: r.FranchisePromotions, FranchiseMaxOffBP: r.FranchiseMaxOffBp,
		FranchiseOptOut: r.FranchiseOptOut, UpdatedAt: &r.UpdatedAt}, nil
}
