// Package members holds the chain's members: encrypted profiles, cards,
// tiers, points, stored value and the POS look-up.
//
// Services other modules (the POS) call inside their own transaction — each
// joins the caller's transaction through tenant.Pool.WithTx:
//
//	Lookup(ctx, tenantID, Lookup{Phone|Card|QR}, full) (Member, error)
//	EarnPoints(ctx, tenantID, EarnInput) (PointsEntry, error)
//	RedeemPoints(ctx, tenantID, memberID, storeID, points, Source) (PointsEntry, error) // entry.Value is the fen deducted; entry.PointsUses() per earning store
//	ReversePoints(ctx, tenantID, entryID, Source) (PointsEntry, error)
//	PayStoredValue(ctx, tenantID, memberID, storeID, amount, Source) (ValueEntry, error) // entry.StoredValueUses() per loading store
//	RefundStoredValue(ctx, tenantID, paymentID, amount, Source) (ValueEntry, error)       // likewise, back into the payment's lots
//	TopUp(ctx, tenantID, memberID, storeID, amount, method, Source) (ValueEntry, error)  // posts finance.PostTopUp
//	CashOut(ctx, tenantID, memberID, storeID, method, Source) (ValueEntry, error)       // posts finance.PostStoredValueCashOut
//
// Money and the ledger: TopUp and CashOut post to finance in the caller's
// transaction (source id = the stored-value entry's id). PayStoredValue and
// RefundStoredValue post nothing: they are the stored-value legs of a sale
// or return, whose document posts them (finance.PostSale / PostReturn with
// StoredValue = entry.StoredValueUses(): stored value is held in lots that
// keep their loading store — see lots.go — so the liability leaves the
// books of the entity that loaded it). Points are not a booked liability:
// finance expenses their value when spent (PostSale's Points), so earning,
// expiring and adjusting points post nothing, and a gift redemption posts
// nothing either — gifts carry no cost and are not stock items.
//
// Every ledger call is idempotent per (kind, source document): a retry with
// the same source returns the first entry.
package members

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"chainstore/infra/cache"
	"chainstore/infra/keys"
	"chainstore/infra/pii"
	"chainstore/infra/postgres"
	"chainstore/infra/problem"
	"chainstore/infra/redisx"
	"chainstore/infra/web"
	"chainstore/modules/finance"
	"chainstore/tenant"
	"chainstore/tenant/audit"
	"chainstore/tenant/authz"
)

// Service is the members module's business logic.
type Service struct {
	pool  *tenant.Pool
	authz *authz.Authorizer
	fin   *finance.Service
	box   *pii.Box
	cache *cache.Cache
	qrKey []byte
	// Now is the clock (tests and jobs pass explicit times where it matters).
	Now func() time.Time
	// BypassCache makes look-ups read PostgreSQL every time (the bench's
	// "uncached" figure).
	BypassCache bool
	// MemberGuard, set by the wiring (billing), refuses members beyond the
	// plan's limit. It runs after the insert, in its transaction; total
	// counts active members up to atMost.
	MemberGuard func(ctx context.Context, tenantID uuid.UUID, total func(atMost int) (int, error)) error
}

// guard runs MemberGuard, if any, after members were added.
func (s *Service) guard(ctx context.Context, tenantID uuid.UUID) error {
	if s.MemberGuard == nil {
		return nil
	}
	return s.MemberGuard(ctx, tenantID, func(atMost int) (int, error) {
		var n int
		err := tenant.DB(ctx).Raw(`SELECT count(*) FROM (SELECT 1 FROM members WHERE tenant_id = ? AND status = 'active' LIMIT ?) m`,
			tenantID, atMost).Scan(&n).Error
		return n, err
	})
}

// lookupTTL bounds how stale a cached member may be if an invalidation is
// lost (Redis down during the write): balances shown at the POS are
// informational, payments always check PostgreSQL.
const lookupTTL = 60 * time.Second

// dirtyMark marks a transaction that changed a member: look-ups in it read
// PostgreSQL, so uncommitted state never reaches the shared cache.
const dirtyMark = "members.dirty"

// New builds the service over the pool, the Redis client (look-up cache),
// the PII keys (encryption, blind index, QR signing key) and finance (top-ups
// and cash-outs post to the ledger in the same transaction).
func New(pool *tenant.Pool, az *authz.Authorizer, rc *redisx.Client, ks *keys.Set, fin *finance.Service) *Service {
	pk := make([]pii.Key, 0, len(ks.PII))
	for _, k := range ks.PII {
		pk = append(pk, pii.Key{ID: k.ID, Key: k.Key})
	}
	box, err := pii.New(pk, ks.PIIIndex)
	if err != nil {
		panic(fmt.Sprintf("members: %v", err)) // keys.Load validated them
	}
	return &Service{pool: pool, authz: az, fin: fin, box: box, cache: cache.New(rc, 5*time.Second),
		qrKey: box.Derive("member-qr-v1"), Now: func() time.Time { return time.Now().UTC() }}
}

// Box exposes the PII box (the bench and seed encrypt in bulk with it).
func (s *Service) Box() *pii.Box { return s.box }

func aad(tenantID, memberID uuid.UUID, field string) string {
	return tenantID.String() + "/" + memberID.String() + "/" + field
}

// PhoneIndex is the blind index of a normalised phone in a tenant.
func (s *Service) PhoneIndex(tenantID uuid.UUID, phone string) []byte {
	return s.box.Index(tenantID.String(), "phone", phone)
}

// EncryptField seals one personal field of a member row.
func (s *Service) EncryptField(tenantID, memberID uuid.UUID, field, value string) []byte {
	return s.box.Encrypt(value, aad(tenantID, memberID, field))
}

func keyID(tenantID, id uuid.UUID) string {
	return redisx.TenantKey(tenantID.String(), "member", "id", id.String())
}
func keyPhone(tenantID uuid.UUID, idx []byte) string {
	return redisx.TenantKey(tenantID.String(), "member", "phone", fmt.Sprintf("%x", idx))
}
func keyCard(tenantID uuid.UUID, n string) string {
	return redisx.TenantKey(tenantID.String(), "member", "card", n)
}

// touched registers, after commit, the invalidation of every cache key of
// the member (id, phone, all its card numbers) plus extra keys, and marks
// the transaction dirty.
func (s *Service) touched(ctx context.Context, tenantID, memberID uuid.UUID, extra ...string) error {
	db := tenant.DB(ctx)
	var row struct{ PhoneIndex []byte }
	if err := db.Raw(`SELECT phone_index FROM members WHERE tenant_id = ? AND id = ?`, tenantID, memberID).Scan(&row).Error; err != nil {
		return fmt.Errorf("members: cache keys: %w", err)
	}
	idx := row.PhoneIndex
	var cards []string
	if err := db.Raw(`SELECT number FROM member_cards WHERE tenant_id = ? AND member_id = ?`, tenantID, memberID).Scan(&cards).Error; err != nil {
		return fmt.Errorf("members: cache keys: %w", err)
	}
	keys := append(extra, keyID(tenantID, memberID))
	if len(idx) > 0 {
		keys = append(keys, keyPhone(tenantID, idx))
	}
	for _, c := range cards {
		keys = append(keys, keyCard(tenantID, c))
	}
	tenant.Mark(ctx, dirtyMark)
	tenant.AfterCommit(ctx, func(ctx context.Context) { s.cache.Invalidate(ctx, keys...) })
	return nil
}

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

// snapshotRow is what the snapshot query scans into (column names).
type snapshotRow struct {
	ID               uuid.UUID
	NameEnc          []byte
	PhoneEnc         []byte
	BirthdayEnc      []byte
	AddressEnc       []byte
	PhoneIndex       []byte
	Gender           string
	RegisterStoreID  *uuid.UUID
	Channel          string
	MarketingConsent bool
	Tags             string
	TierID           *uuid.UUID
	TierCode         *string
	TierName         *string
	TierDiscountBP   *int
	TierMemberPrice  *bool
	CardID           *uuid.UUID
	CardNumber       *string
	CardKind         *string
	CardStatus       *string
	CardIssuedAt     *time.Time
	Points           int64
	BalancePrincipal int64
	BalanceBonus     int64
	TotalSpend       int64
	VisitCount       int
	LastVisitAt      *time.Time
	Status           string
	MergedInto       *uuid.UUID
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

func (r snapshotRow) snapshot() snapshot { return snapshot(r) }

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

// render turns a snapshot into what staff see. full reveals personal data
// (the caller records the audit row); otherwise name and phone are masked
// and birthday and address withheld.
func (s *Service) render(tenantID uuid.UUID, snap snapshot, full bool) (Member, error) {
	m := Member{ID: snap.ID, Gender: snap.Gender, RegisterStoreID: snap.RegisterStoreID, Channel: snap.Channel,
		MarketingConsent: snap.MarketingConsent, Points: snap.Points, BalancePrincipal: snap.BalancePrincipal,
		BalanceBonus: snap.BalanceBonus, Balance: snap.BalancePrincipal + snap.BalanceBonus, TotalSpend: snap.TotalSpend,
		VisitCount: snap.VisitCount, LastVisitAt: snap.LastVisitAt, Status: snap.Status, MergedInto: snap.MergedInto,
		CreatedAt: snap.CreatedAt, UpdatedAt: snap.UpdatedAt, PIIMasked: !full, Tags: []string{}}
	if snap.Tags != "" {
		_ = json.Unmarshal([]byte(snap.Tags), &m.Tags)
	}
	if m.Tags == nil {
		m.Tags = []string{}
	}
	if snap.TierID != nil && snap.TierCode != nil {
		m.Tier = &TierRef{ID: *snap.TierID, Code: *snap.TierCode, Name: deref(snap.TierName), DiscountBP: derefInt(snap.TierDiscountBP),
			MemberPrice: snap.TierMemberPrice != nil && *snap.TierMemberPrice}
	}
	if snap.CardID != nil {
		m.Card = &Card{ID: *snap.CardID, Number: deref(snap.CardNumber), Kind: deref(snap.CardKind), Status: deref(snap.CardStatus)}
		if snap.CardIssuedAt != nil {
			m.Card.IssuedAt = *snap.CardIssuedAt
		}
	}
	dec := func(v []byte, field string) (string, error) { return s.box.Decrypt(v, aad(tenantID, snap.ID, field)) }
	name, err := dec(snap.NameEnc, "name")
	if err != nil {
		return m, fmt.Errorf("members: decrypt name of %s: %w", snap.ID, err)
	}
	phone, err := dec(snap.PhoneEnc, "phone")
	if err != nil {
		return m, fmt.Errorf("members: decrypt phone of %s: %w", snap.ID, err)
	}
	if !full {
		m.Name, m.Phone = pii.MaskName(name), pii.MaskPhone(phone)
		return m, nil
	}
	m.Name, m.Phone = name, phone
	bd, err := dec(snap.BirthdayEnc, "birthday")
	if err != nil {
		return m, fmt.Errorf("members: decrypt birthday of %s: %w", snap.ID, err)
	}
	addr, err := dec(snap.AddressEnc, "address")
	if err != nil {
		return m, fmt.Errorf("members: decrypt address of %s: %w", snap.ID, err)
	}
	if bd != "" {
		m.Birthday = &bd
	}
	if addr != "" {
		m.Address = &addr
	}
	return m, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func derefInt(i *int) int {
	if i == nil {
		return 0
	}
	return *i
}

// reveal renders and, when full, writes the PII-view audit row.
func (s *Service) reveal(ctx context.Context, tenantID uuid.UUID, snap snapshot, full bool, why string, storeID *uuid.UUID) (Member, error) {
	m, err := s.render(tenantID, snap, full)
	if err != nil || !full {
		return m, err
	}
	return m, audit.Record(ctx, audit.Entry{Action: "member.pii_view", ObjectType: "member", ObjectID: snap.ID.String(), StoreID: storeID,
		Detail: map[string]any{"via": why}})
}

// Get returns a member; full reveals personal data and is audited.
func (s *Service) Get(ctx context.Context, tenantID, id uuid.UUID, full bool) (Member, error) {
	var out Member
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		snap, err := s.get(ctx, tenantID, id)
		if err != nil {
			return err
		}
		out, err = s.reveal(ctx, tenantID, snap, full, "get", nil)
		return err
	})
	return out, err
}

func parsePhone(raw string) (string, *problem.Error) {
	p, ok := pii.NormalizePhone(raw)
	if !ok {
		return "", ErrInvalid.WithFields(problem.FieldError{Field: "phone", Message: "must be a mainland mobile number or +country number"})
	}
	return p, nil
}

func birthMonth(bd string) *int {
	if bd == "" {
		return nil
	}
	t, err := time.Parse("2006-01-02", bd)
	if err != nil {
		return nil
	}
	m := int(t.Month())
	return &m
}

func jsonArray(v []string) string {
	if v == nil {
		v = []string{}
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// NewCardNumber makes a random 12-digit virtual card number.
func NewCardNumber() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(900_000_000_000))
	return fmt.Sprintf("%d", n.Int64()+100_000_000_000)
}

// Create registers a member with an account and a card (the given number
// or a new virtual one), on the entry tier. Audited (without PII).
func (s *Service) Create(ctx context.Context, tenantID uuid.UUID, in CreateInput, full bool) (Member, error) {
	phone, perr := parsePhone(in.Phone)
	if perr != nil {
		return Member{}, perr
	}
	if in.Channel == "" {
		in.Channel = "console"
	}
	if in.Gender == "" {
		in.Gender = "unknown"
	}
	var out Member
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		id, err := s.insert(ctx, tenantID, phone, in)
		if err != nil {
			return err
		}
		if err := s.guard(ctx, tenantID); err != nil {
			return err
		}
		snap, err := s.get(ctx, tenantID, id)
		if err != nil {
			return err
		}
		if err := audit.Record(ctx, audit.Entry{Action: "member.create", ObjectType: "member", ObjectID: id.String(), StoreID: in.RegisterStoreID,
			Detail: map[string]any{"channel": in.Channel}}); err != nil {
			return err
		}
		out, err = s.render(tenantID, snap, full)
		return err
	})
	return out, err
}

// insert writes the member, account and card rows (phone already normalised).
func (s *Service) insert(ctx context.Context, tenantID uuid.UUID, phone string, in CreateInput) (uuid.UUID, error) {
	db := tenant.DB(ctx)
	id := uuid.Must(uuid.NewV7())
	if in.RegisterStoreID != nil {
		var n int64
		if err := db.Raw(`SELECT count(*) FROM stores WHERE tenant_id = ? AND id = ?`, tenantID, *in.RegisterStoreID).Scan(&n).Error; err != nil {
			return id, err
		}
		if n == 0 {
			return id, ErrStoreNotFound
		}
	}
	var tierID *uuid.UUID
	var tiers []uuid.UUID
	if err := db.Raw(`SELECT id FROM member_tiers WHERE tenant_id = ? AND active ORDER BY rank LIMIT 1`, tenantID).Scan(&tiers).Error; err != nil {
		return id, err
	}
	if len(tiers) > 0 {
		tierID = &tiers[0]
	}
	idx := s.PhoneIndex(tenantID, phone)
	err := db.Exec(`INSERT INTO members (tenant_id, id, name_enc, phone_enc, birthday_enc, address_enc, phone_index, birth_month, gender,
		register_store_id, channel, marketing_consent, tags, tier_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ARRAY(SELECT jsonb_array_elements_text(?::jsonb)), ?)`,
		tenantID, id, s.EncryptField(tenantID, id, "name", in.Name), s.EncryptField(tenantID, id, "phone", phone),
		s.EncryptField(tenantID, id, "birthday", in.Birthday), s.EncryptField(tenantID, id, "address", in.Address), idx,
		birthMonth(in.Birthday), in.Gender, in.RegisterStoreID, in.Channel, in.MarketingConsent, jsonArray(in.Tags), tierID).Error
	if c, ok := postgres.IsUniqueViolation(err); ok && c == "members_phone_key" {
		return id, ErrPhoneTaken.WithFields(problem.FieldError{Field: "phone", Message: "is registered to another member"})
	}
	if err != nil {
		return id, fmt.Errorf("members: insert: %w", err)
	}
	if err := db.Exec(`INSERT INTO member_accounts (tenant_id, member_id) VALUES (?, ?)`, tenantID, id).Error; err != nil {
		return id, fmt.Errorf("members: insert account: %w", err)
	}
	kind := in.CardKind
	if kind == "" {
		kind = "virtual"
		if in.CardNumber != "" {
			kind = "physical"
		}
	}
	if _, err := s.issueCard(ctx, tenantID, id, in.CardNumber, kind); err != nil {
		return id, err
	}
	return id, s.touched(ctx, tenantID, id)
}

func (s *Service) issueCard(ctx context.Context, tenantID, memberID uuid.UUID, number, kind string) (uuid.UUID, error) {
	db := tenant.DB(ctx)
	cardID := uuid.Must(uuid.NewV7())
	given := number != ""
	for attempt := 0; ; attempt++ {
		if !given {
			number = NewCardNumber()
		}
		err := db.Exec(`INSERT INTO member_cards (tenant_id, id, member_id, number, kind) VALUES (?, ?, ?, ?, ?)`,
			tenantID, cardID, memberID, number, kind).Error
		if c, ok := postgres.IsUniqueViolation(err); ok && c == "member_cards_number_key" {
			if given || attempt > 3 {
				return cardID, ErrCardTaken.WithFields(problem.FieldError{Field: "card_number", Message: "is another card's number"})
			}
			continue
		}
		if err != nil {
			return cardID, fmt.Errorf("members: issue card: %w", err)
		}
		// A number that was looked up and not found may be cached as a miss.
		tenant.AfterCommit(ctx, func(ctx context.Context) { s.cache.Invalidate(ctx, keyCard(tenantID, number)) })
		return cardID, nil
	}
}

// Update changes a member's profile (audited: which fields, not values).
func (s *Service) Update(ctx context.Context, tenantID, id uuid.UUID, in UpdateInput, full bool) (Member, error) {
	var out Member
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		cur, err := s.get(ctx, tenantID, id)
		if err != nil {
			return err
		}
		if cur.Status != "active" {
			return ErrInactive
		}
		if err := s.touched(ctx, tenantID, id); err != nil { // the old phone's key
			return err
		}
		set := map[string]any{}
		var changed []string
		if in.Name != nil {
			set["name_enc"], changed = s.EncryptField(tenantID, id, "name", *in.Name), append(changed, "name")
		}
		if in.Phone != nil {
			phone, perr := parsePhone(*in.Phone)
			if perr != nil {
				return perr
			}
			set["phone_enc"], set["phone_index"] = s.EncryptField(tenantID, id, "phone", phone), s.PhoneIndex(tenantID, phone)
			changed = append(changed, "phone")
		}
		if in.Birthday != nil {
			set["birthday_enc"], set["birth_month"] = s.EncryptField(tenantID, id, "birthday", *in.Birthday), birthMonth(*in.Birthday)
			changed = append(changed, "birthday")
		}
		if in.Address != nil {
			set["address_enc"], changed = s.EncryptField(tenantID, id, "address", *in.Address), append(changed, "address")
		}
		if in.Gender != nil {
			set["gender"], changed = *in.Gender, append(changed, "gender")
		}
		if in.MarketingConsent != nil {
			set["marketing_consent"], changed = *in.MarketingConsent, append(changed, "marketing_consent")
		}
		if in.Tags != nil {
			set["tags"], changed = gorm.Expr("ARRAY(SELECT jsonb_array_elements_text(?::jsonb))", jsonArray(*in.Tags)), append(changed, "tags")
		}
		if len(set) > 0 {
			set["updated_at"] = gorm.Expr("now()")
			err := db.Table("members").Where("tenant_id = ? AND id = ?", tenantID, id).Updates(set).Error
			if c, ok := postgres.IsUniqueViolation(err); ok && c == "members_phone_key" {
				return ErrPhoneTaken.WithFields(problem.FieldError{Field: "phone", Message: "is registered to another member"})
			}
			if err != nil {
				return fmt.Errorf("members: update: %w", err)
			}
			if err := s.touched(ctx, tenantID, id); err != nil { // the new phone's key
				return err
			}
			if err := audit.Record(ctx, audit.Entry{Action: "member.update", ObjectType: "member", ObjectID: id.String(),
				Detail: map[string]any{"fields": changed}}); err != nil {
				return err
			}
		}
		snap, err := s.get(ctx, tenantID, id)
		if err != nil {
			return err
		}
		out, err = s.render(tenantID, snap, full)
		return err
	})
	return out, err
}

// List returns members ordered by id (newest last), masked unless full
// (a full list is audited as one PII view of the page).
func (s *Service) List(ctx context.Context, tenantID uuid.UUID, f Filter, page web.Page, full bool) ([]Member, error) {
	var out []Member
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		where, args := s.filterWhere(tenantID, f)
		if page.Cursor != uuid.Nil {
			where, args = append(where, "m.id > ?"), append(args, page.Cursor)
		}
		var rows []snapshotRow
		q := snapshotSelect + "WHERE " + strings.Join(where, " AND ") + fmt.Sprintf(" ORDER BY m.id LIMIT %d", page.Limit+1)
		if err := tenant.DB(ctx).Raw(q, args...).Scan(&rows).Error; err != nil {
			return fmt.Errorf("members: list: %w", err)
		}
		ids := make([]string, 0, len(rows))
		for _, r := range rows {
			m, err := s.render(tenantID, r.snapshot(), full)
			if err != nil {
				return err
			}
			out = append(out, m)
			ids = append(ids, r.ID.String())
		}
		if full && len(rows) > 0 {
			return audit.Record(ctx, audit.Entry{Action: "member.pii_view", ObjectType: "member", ObjectID: "list",
				Detail: map[string]any{"via": "list", "members": ids}})
		}
		return nil
	})
	return out, err
}

// filterWhere is the WHERE of a member list or export.
func (s *Service) filterWhere(tenantID uuid.UUID, f Filter) ([]string, []any) {
	where := []string{"m.tenant_id = ?"}
	args := []any{tenantID}
	add := func(cond string, a ...any) { where, args = append(where, cond), append(args, a...) }
	if f.Status != "" {
		add("m.status = ?", f.Status)
	} else {
		add("m.status = 'active'")
	}
	if f.TierID != nil {
		add("m.tier_id = ?", *f.TierID)
	}
	if f.Tag != "" {
		add("m.tags @> ARRAY[?]::text[]", f.Tag)
	}
	if f.StoreID != nil {
		add("m.register_store_id = ?", *f.StoreID)
	}
	if f.MinSpend != nil {
		add("m.total_spend >= ?", *f.MinSpend)
	}
	if f.MaxSpend != nil {
		add("m.total_spend <= ?", *f.MaxSpend)
	}
	if f.VisitedAfter != nil {
		add("m.last_visit_at >= ?", *f.VisitedAfter)
	}
	if f.VisitedBefore != nil {
		add("(m.last_visit_at IS NULL OR m.last_visit_at < ?)", *f.VisitedBefore)
	}
	if f.Phone != "" {
		add("m.phone_index = ?", s.PhoneIndex(tenantID, f.Phone))
	}
	return where, args
}
