package members

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"chainstore/infra/doc"
	"chainstore/infra/postgres"
	"chainstore/infra/problem"
	"chainstore/tenant"
)

// The queries of a member's own rows (members, member_accounts,
// member_cards): the snapshot the look-up caches, the list and export
// filters, the locked balance row and the cache keys. Points, stored value,
// lots and tiers keep their queries in the files named after them.

// snapshotColumns and snapshotJoins read one member as stored (a snapshot):
// profile ciphertexts, tier, live card and balances.
const (
	snapshotColumns = `m.id, m.name_enc, m.phone_enc, m.birthday_enc, m.address_enc, m.phone_index, m.gender,
	m.register_store_id, m.channel, m.marketing_consent, to_json(m.tags)::text AS tags, m.tier_id, t.code AS tier_code, t.name AS tier_name,
	t.discount_bp AS tier_discount_bp, t.member_price AS tier_member_price, t.points_multiplier AS tier_points_multiplier,
	c.id AS card_id, c.number AS card_number, c.kind AS card_kind, c.status AS card_status, c.issued_at AS card_issued_at,
	coalesce(a.points, 0) AS points, coalesce(a.balance_principal, 0) AS balance_principal, coalesce(a.balance_bonus, 0) AS balance_bonus,
	m.total_spend, m.visit_count, m.last_visit_at, m.status, m.merged_into, m.created_at, m.updated_at`
	snapshotJoins = `LEFT JOIN member_tiers t ON t.tenant_id = m.tenant_id AND t.id = m.tier_id
LEFT JOIN member_cards c ON c.tenant_id = m.tenant_id AND c.member_id = m.id AND c.status IN ('active', 'frozen', 'lost')
LEFT JOIN member_accounts a ON a.tenant_id = m.tenant_id AND a.member_id = m.id`
	snapshotSelect = `SELECT ` + snapshotColumns + `
FROM members m
` + snapshotJoins + `
`
)

// snapshotRow is what the snapshot query scans into (column names).
type snapshotRow struct {
	ID                   uuid.UUID
	NameEnc              []byte
	PhoneEnc             []byte
	BirthdayEnc          []byte
	AddressEnc           []byte
	PhoneIndex           []byte
	Gender               string
	RegisterStoreID      *uuid.UUID
	Channel              string
	MarketingConsent     bool
	Tags                 string
	TierID               *uuid.UUID
	TierCode             *string
	TierName             *string
	TierDiscountBP       *int
	TierMemberPrice      *bool
	TierPointsMultiplier *int
	CardID               *uuid.UUID
	CardNumber           *string
	CardKind             *string
	CardStatus           *string
	CardIssuedAt         *time.Time
	Points               int64
	BalancePrincipal     int64
	BalanceBonus         int64
	TotalSpend           int64
	VisitCount           int
	LastVisitAt          *time.Time
	Status               string
	MergedInto           *uuid.UUID
	CreatedAt            time.Time
	UpdatedAt            time.Time
}

func (r snapshotRow) snapshot() snapshot { return snapshot(r) }

func loadSnapshot(db *gorm.DB, where string, args ...any) (snapshot, bool, error) {
	var rows []snapshotRow
	if err := db.Raw(snapshotSelect+where, args...).Scan(&rows).Error; err != nil {
		return snapshot{}, false, fmt.Errorf("members: load: %w", err)
	}
	if len(rows) == 0 {
		return snapshot{}, false, nil
	}
	return rows[0].snapshot(), true, nil
}

// get loads a member by id in the current transaction.
func (s *Service) get(ctx context.Context, tenantID, id uuid.UUID) (snapshot, error) {
	snap, ok, err := loadSnapshot(tenant.DB(ctx), `WHERE m.tenant_id = ? AND m.id = ?`, tenantID, id)
	if err != nil {
		return snap, err
	}
	if !ok {
		return snap, ErrNotFound
	}
	return snap, nil
}

// filtered is the member list or export narrowed by f (the builder: its
// WHERE depends on which filters are set). Only active members unless
// f.Status says otherwise.
func (s *Service) filtered(db *gorm.DB, tenantID uuid.UUID, f Filter) *gorm.DB {
	q := db.Table("members m").Where("m.tenant_id = ?", tenantID)
	if f.Status != "" {
		q = q.Where("m.status = ?", f.Status)
	} else {
		q = q.Where("m.status = 'active'")
	}
	if f.TierID != nil {
		q = q.Where("m.tier_id = ?", *f.TierID)
	}
	if f.Tag != "" {
		q = q.Where("m.tags @> ARRAY[?]::text[]", f.Tag)
	}
	if f.StoreID != nil {
		q = q.Where("m.register_store_id = ?", *f.StoreID)
	}
	if f.MinSpend != nil {
		q = q.Where("m.total_spend >= ?", *f.MinSpend)
	}
	if f.MaxSpend != nil {
		q = q.Where("m.total_spend <= ?", *f.MaxSpend)
	}
	if f.VisitedAfter != nil {
		q = q.Where("m.last_visit_at >= ?", *f.VisitedAfter)
	}
	if f.VisitedBefore != nil {
		q = q.Where("(m.last_visit_at IS NULL OR m.last_visit_at < ?)", *f.VisitedBefore)
	}
	if f.Phone != "" {
		q = q.Where("m.phone_index = ?", s.PhoneIndex(tenantID, f.Phone))
	}
	if f.Card != "" {
		q = q.Where("m.id IN (SELECT member_id FROM member_cards WHERE tenant_id = m.tenant_id AND number = ?)", f.Card)
	}
	return q
}

// snapshots adds the snapshot's columns to a filtered query, in id order.
func snapshots(q *gorm.DB) *gorm.DB {
	return q.Select(snapshotColumns).Joins(snapshotJoins).Order("m.id")
}

// insertMember writes the member, account and card rows (phone already
// normalised, register store checked) on the entry tier.
func (s *Service) insertMember(ctx context.Context, tenantID, id uuid.UUID, phone string, in CreateInput) error {
	db := tenant.DB(ctx)
	idx := s.PhoneIndex(tenantID, phone)
	err := db.Exec(`INSERT INTO members (tenant_id, id, name_enc, phone_enc, birthday_enc, address_enc, phone_index, birth_month, gender,
		register_store_id, channel, marketing_consent, tags, tier_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ARRAY(SELECT jsonb_array_elements_text(?::jsonb)),
			(SELECT id FROM member_tiers WHERE tenant_id = ? AND active ORDER BY rank LIMIT 1))`,
		tenantID, id, s.EncryptField(tenantID, id, "name", in.Name), s.EncryptField(tenantID, id, "phone", phone),
		s.EncryptField(tenantID, id, "birthday", in.Birthday), s.EncryptField(tenantID, id, "address", in.Address), idx,
		birthMonth(in.Birthday), in.Gender, in.RegisterStoreID, in.Channel, in.MarketingConsent, jsonArray(in.Tags), tenantID).Error
	if c, ok := postgres.IsUniqueViolation(err); ok && c == "members_phone_key" {
		return ErrPhoneTaken.WithFields(problem.FieldError{Field: "phone", Message: "is registered to another member"})
	}
	if err != nil {
		return fmt.Errorf("members: insert: %w", err)
	}
	if err := db.Exec(`INSERT INTO member_accounts (tenant_id, member_id) VALUES (?, ?)`, tenantID, id).Error; err != nil {
		return fmt.Errorf("members: insert account: %w", err)
	}
	return nil
}

// phonesTaken reports which phones of rows a member of the chain already
// has, in one query.
func (s *Service) phonesTaken(ctx context.Context, tenantID uuid.UUID, rows []ImportRow) (map[string]bool, error) {
	out := map[string]bool{}
	if len(rows) == 0 {
		return out, nil
	}
	byIndex := make(map[string]string, len(rows))
	idx := make([]string, len(rows))
	for i, r := range rows {
		idx[i] = fmt.Sprintf("%x", s.PhoneIndex(tenantID, r.Phone))
		byIndex[idx[i]] = r.Phone
	}
	var found []string
	if err := tenant.DB(ctx).Raw(`SELECT encode(phone_index, 'hex') FROM members WHERE tenant_id = ? AND phone_index IN
		(SELECT decode(h, 'hex') FROM jsonb_array_elements_text(?::jsonb) AS h)`, tenantID, rowsJSON(idx)).Scan(&found).Error; err != nil {
		return nil, fmt.Errorf("members: phones taken: %w", err)
	}
	for _, h := range found {
		out[byIndex[h]] = true
	}
	return out, nil
}

// activeMembers counts the chain's active members up to atMost (the plan
// limit's check).
func activeMembers(ctx context.Context, tenantID uuid.UUID, atMost int) (int, error) {
	var n int
	err := tenant.DB(ctx).Raw(`SELECT count(*) FROM (SELECT 1 FROM members WHERE tenant_id = ? AND status = 'active' LIMIT ?) m`,
		tenantID, atMost).Scan(&n).Error
	return n, err
}

// account is a member's locked balance row, with what spending needs to
// know of the member: its status, tier multiplier and live card's state.
type account struct {
	Points           int64
	BalancePrincipal int64
	BalanceBonus     int64
	Status           string
	TierID           *uuid.UUID
	PointsMultiplier int64   // percent; 100 without a tier
	CardStatus       *string // the live card's (active, frozen, lost); nil: none
}

// lockAccount locks the member's balances for the rest of the transaction
// (concurrent earns, burns and payments of one member serialise here) and
// reads, in the same statement, the member's status, tier multiplier and
// card state. An inactive member is ErrInactive, with the row.
func lockAccount(db *gorm.DB, tenantID, memberID uuid.UUID) (account, error) {
	var rows []account
	err := db.Raw(`SELECT a.points, a.balance_principal, a.balance_bonus, m.status, m.tier_id,
			coalesce(t.points_multiplier, 100) AS points_multiplier,
			(SELECT c.status FROM member_cards c WHERE c.tenant_id = a.tenant_id AND c.member_id = a.member_id
				AND c.status IN ('active', 'frozen', 'lost') LIMIT 1) AS card_status
		FROM member_accounts a JOIN members m ON m.tenant_id = a.tenant_id AND m.id = a.member_id
		LEFT JOIN member_tiers t ON t.tenant_id = m.tenant_id AND t.id = m.tier_id
		WHERE a.tenant_id = ? AND a.member_id = ? FOR UPDATE OF a`, tenantID, memberID).Scan(&rows).Error
	if err != nil {
		return account{}, fmt.Errorf("members: lock account: %w", err)
	}
	if len(rows) == 0 {
		return account{}, ErrNotFound
	}
	if rows[0].Status != "active" {
		return rows[0], ErrInactive
	}
	return rows[0], nil
}

// lockedEarn is lockAccount's row with what an earn needs besides: the
// entry an earlier call recorded for the source (nil: none), and the
// member's cache keys (touched).
type lockedEarn struct {
	// account's columns, spelled out: GORM does not scan into an
	// embedded unexported struct.
	Points           int64
	BalancePrincipal int64
	BalanceBonus     int64
	Status           string
	TierID           *uuid.UUID
	PointsMultiplier int64
	CardStatus       *string
	PrevID           *uuid.UUID
	PhoneIndex       []byte
	Cards            string // a JSON array
}

// lockForEarn is lockAccount for an earn, reading in the same statement
// whether src already recorded an earn and the member's cache keys.
func lockForEarn(db *gorm.DB, tenantID, memberID uuid.UUID, src doc.Source) (lockedEarn, error) {
	var rows []lockedEarn
	err := db.Raw(`SELECT a.points, a.balance_principal, a.balance_bonus, m.status, m.tier_id,
			coalesce(t.points_multiplier, 100) AS points_multiplier,
			(SELECT c.status FROM member_cards c WHERE c.tenant_id = a.tenant_id AND c.member_id = a.member_id
				AND c.status IN ('active', 'frozen', 'lost') LIMIT 1) AS card_status,
			(SELECT l.id FROM points_ledger l WHERE l.tenant_id = a.tenant_id AND l.kind = 'earn' AND l.source_type = ? AND l.source_id = ?) AS prev_id,
			m.phone_index,
			(SELECT coalesce(json_agg(c.number), '[]') FROM member_cards c WHERE c.tenant_id = m.tenant_id AND c.member_id = m.id)::text AS cards
		FROM member_accounts a JOIN members m ON m.tenant_id = a.tenant_id AND m.id = a.member_id
		LEFT JOIN member_tiers t ON t.tenant_id = m.tenant_id AND t.id = m.tier_id
		WHERE a.tenant_id = ? AND a.member_id = ? FOR UPDATE OF a`, src.Type, sourceID(src), tenantID, memberID).Scan(&rows).Error
	if err != nil {
		return lockedEarn{}, fmt.Errorf("members: lock account: %w", err)
	}
	if len(rows) == 0 {
		return lockedEarn{}, ErrNotFound
	}
	if rows[0].Status != "active" {
		return rows[0], ErrInactive
	}
	return rows[0], nil
}

// cardUsable refuses spending (stored value, points) while the member's card
// is frozen or reported lost, or when no card is live: freezing a card is
// how a chain stops a disputed or stolen balance from being spent.
// Replays of earlier payments still answer, since they spend nothing.
func (a account) cardUsable() error {
	if a.CardStatus == nil {
		return ErrCardState.WithDetail("the member has no live card; issue one first")
	}
	if *a.CardStatus != "active" {
		return ErrCardState.WithDetail("the member's card is %s; it cannot be spent from until it is active again", *a.CardStatus)
	}
	return nil
}

type touchedKey struct{ tenantID, memberID uuid.UUID }

// touched registers, after commit, the invalidation of every cache key of
// the member (id, phone, all its card numbers) and marks the transaction
// dirty. The keys are read once per transaction and member; code that
// changes them (a new phone) calls retouched afterwards.
func (s *Service) touched(ctx context.Context, tenantID, memberID uuid.UUID) error {
	if done, _ := tenant.Recall[bool](ctx, touchedKey{tenantID, memberID}); done {
		return nil
	}
	var row struct {
		PhoneIndex []byte
		Cards      string // a JSON array
	}
	if err := tenant.DB(ctx).Raw(`SELECT m.phone_index,
			(SELECT coalesce(json_agg(c.number), '[]') FROM member_cards c WHERE c.tenant_id = m.tenant_id AND c.member_id = m.id)::text AS cards
		FROM members m WHERE m.tenant_id = ? AND m.id = ?`, tenantID, memberID).Scan(&row).Error; err != nil {
		return fmt.Errorf("members: cache keys: %w", err)
	}
	return s.touchedKeys(ctx, tenantID, memberID, row.PhoneIndex, row.Cards)
}

// touchedKeys is touched with the member's keys already read (its phone's
// blind index and its cards' numbers as a JSON array).
func (s *Service) touchedKeys(ctx context.Context, tenantID, memberID uuid.UUID, phoneIndex []byte, cardsJSON string) error {
	if done, _ := tenant.Recall[bool](ctx, touchedKey{tenantID, memberID}); done {
		return nil
	}
	var cards []string
	if err := jsonUnmarshal(cardsJSON, &cards); err != nil {
		return fmt.Errorf("members: cache keys: %w", err)
	}
	keys := []string{keyID(tenantID, memberID)}
	if len(phoneIndex) > 0 {
		keys = append(keys, keyPhone(tenantID, phoneIndex))
	}
	for _, c := range cards {
		keys = append(keys, keyCard(tenantID, c))
	}
	tenant.Mark(ctx, dirtyMark)
	tenant.Remember(ctx, touchedKey{tenantID, memberID}, true)
	tenant.AfterCommit(ctx, func(ctx context.Context) { s.cache.Invalidate(ctx, keys...) })
	return nil
}

// retouched is touched after the member's keys changed in this
// transaction (its phone): the new keys are invalidated too.
func (s *Service) retouched(ctx context.Context, tenantID, memberID uuid.UUID) error {
	tenant.Forget(ctx, touchedKey{tenantID, memberID})
	return s.touched(ctx, tenantID, memberID)
}

func jsonUnmarshal(s string, v any) error {
	if s == "" {
		return nil
	}
	return json.Unmarshal([]byte(s), v)
}
