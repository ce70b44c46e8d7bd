// Package members holds the chain's members: encrypted profiles, cards,
// tiers, points, stored value and the POS look-up.
//
// Every method takes ctx, then the tenant id (audit rows name the actor
// from the context's Principal), and joins the caller's transaction
// through tenant.Pool.WithTx. A store the work needs is a uuid.UUID (a
// till always has one); a *uuid.UUID store means nil is HQ or online (a
// top-up, a cash-out, a gift redemption). Ledger calls name their business
// document as a doc.Source; store facts and the business date come from
// org, the time from the shared clock.
//
// The calls the POS makes inside its sale's transaction, each a fixed
// number of statements however many lines, lots or stores it touches
// (TestPOSCallsCostFixedRoundTrips):
//
//	Lookup(ctx, tenantID, storeID, Lookup{Phone|Card|QR}, full) (Member, error)
//	EarnPoints(ctx, tenantID, EarnInput) (PointsEntry, error)
//	RedeemPoints(ctx, tenantID, memberID, storeID, points, src) (PointsEntry, error)   // entry.Value is the fen deducted; entry.PointsUses() per earning store
//	ReversePoints(ctx, tenantID, entryID, src) (PointsEntry, error)
//	PayStoredValue(ctx, tenantID, memberID, storeID, amount, src) (ValueEntry, error)  // entry.StoredValueUses() per loading store
//	TenderStoredValue(ctx, tenantID, memberID, storeID, amount, src) (ValueEntry, error) // PayStoredValue, posted at once
//	RefundStoredValue(ctx, tenantID, paymentID, amount, src) (ValueEntry, error)       // likewise, back into the payment's lots
//	RefundTendered(ctx, tenantID, memberID, storeID, paymentID, amount, src) (ValueEntry, error)
//	TopUp(ctx, tenantID, memberID, storeID *uuid.UUID, amount, method, src) (ValueEntry, error) // posts finance.PostTopUp
//	CashOut(ctx, tenantID, memberID, storeID *uuid.UUID, method, src) (ValueEntry, error)       // posts finance.PostStoredValueCashOut
//
// What a sale's transaction reads once, however many of these calls it
// makes: the points rule (tenant.Memo), the store's facts (org), the
// member's cache keys. The member row itself is locked by every ledger
// call (lockAccount, which also reads the tier's multiplier and the card's
// state in the same statement), so it is never taken from the caller.
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
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"chainstore/infra/cache"
	"chainstore/infra/clock"
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
	"chainstore/tenant/org"
)

// Service is the members module's business logic.
type Service struct {
	pool  *tenant.Pool
	authz *authz.Authorizer
	clock *clock.Clock
	org   *org.Service
	fin   *finance.Service
	box   *pii.Box
	cache *cache.Cache
	rules *ruleCache
	qrKey []byte
	// BypassCache makes look-ups read PostgreSQL every time (the bench's
	// "uncached" figure).
	BypassCache bool
	// MemberGuard, set by the wiring (billing), refuses members beyond the
	// plan's limit. It runs after the insert, in its transaction; total
	// counts active members up to atMost.
	MemberGuard func(ctx context.Context, tenantID uuid.UUID, total func(atMost int) (int, error)) error
	// Purchases, set by the wiring (the POS, which members cannot import),
	// gives the 360 view the member's latest sales.
	Purchases func(ctx context.Context, tenantID, memberID uuid.UUID, limit int) (any, error)
}

// guard runs MemberGuard, if any, after members were added.
func (s *Service) guard(ctx context.Context, tenantID uuid.UUID) error {
	if s.MemberGuard == nil {
		return nil
	}
	return s.MemberGuard(ctx, tenantID, func(atMost int) (int, error) { return activeMembers(ctx, tenantID, atMost) })
}

// lookupTTL bounds how stale a cached member may be if an invalidation is
// lost (Redis down during the write): balances shown at the POS are
// informational, payments always check PostgreSQL.
const lookupTTL = 60 * time.Second

// dirtyMark marks a transaction that changed a member: look-ups in it read
// PostgreSQL, so uncommitted state never reaches the shared cache.
const dirtyMark = "members.dirty"

// New builds the service over the pool, the Redis client (look-up cache),
// the PII keys (encryption, blind index, QR signing key), the shared clock,
// org (store facts, business dates) and finance (top-ups and cash-outs post
// to the ledger in the same transaction).
func New(pool *tenant.Pool, az *authz.Authorizer, rc *redisx.Client, ks *keys.Set, clk *clock.Clock, orgs *org.Service, fin *finance.Service) *Service {
	pk := make([]pii.Key, 0, len(ks.PII))
	for _, k := range ks.PII {
		pk = append(pk, pii.Key{ID: k.ID, Key: k.Key})
	}
	box, err := pii.New(pk, ks.PIIIndex)
	if err != nil {
		panic(fmt.Sprintf("members: %v", err)) // keys.Load validated them
	}
	return &Service{pool: pool, authz: az, clock: clk, org: orgs, fin: fin, box: box, cache: cache.New(rc, 5*time.Second),
		rules: newRuleCache(rc), qrKey: box.Derive("member-qr-v1")}
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
			MemberPrice: snap.TierMemberPrice != nil && *snap.TierMemberPrice, PointsMultiplier: derefIntOr(snap.TierPointsMultiplier, 100)}
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

func derefIntOr(i *int, def int) int {
	if i == nil {
		return def
	}
	return *i
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

// insert registers one member: the rows, then its card (phone already
// normalised). A register store must be the chain's (org.ErrStoreNotFound).
func (s *Service) insert(ctx context.Context, tenantID uuid.UUID, phone string, in CreateInput) (uuid.UUID, error) {
	id := uuid.Must(uuid.NewV7())
	if in.RegisterStoreID != nil {
		if _, err := s.org.Store(ctx, tenantID, *in.RegisterStoreID); err != nil {
			return id, err
		}
	}
	if err := s.insertMember(ctx, tenantID, id, phone, in); err != nil {
		return id, err
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
			if err := s.retouched(ctx, tenantID, id); err != nil { // the new phone's key
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

// Count is how many members the list's filter matches.
func (s *Service) Count(ctx context.Context, tenantID uuid.UUID, f Filter) (int64, error) {
	var n int64
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		if err := s.filtered(tenant.DB(ctx), tenantID, f).Count(&n).Error; err != nil {
			return fmt.Errorf("members: count: %w", err)
		}
		return nil
	})
	return n, err
}

// List returns members ordered by id (newest last), masked unless full
// (a full list is audited as one PII view of the page).
func (s *Service) List(ctx context.Context, tenantID uuid.UUID, f Filter, page web.Page, full bool) ([]Member, error) {
	var out []Member
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		q := snapshots(s.filtered(tenant.DB(ctx), tenantID, f))
		if page.Cursor != uuid.Nil {
			q = q.Where("m.id > ?", page.Cursor)
		}
		var rows []snapshotRow
		if err := q.Limit(page.Limit + 1).Scan(&rows).Error; err != nil {
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

// CountJoined counts the members who joined in [from, to): of the given
// registering stores, or of the whole chain when stores is nil.
func (s *Service) CountJoined(ctx context.Context, tenantID uuid.UUID, stores []uuid.UUID, from, to time.Time) (int64, error) {
	var n int64
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		q := `SELECT count(*) FROM members WHERE tenant_id = ? AND created_at >= ? AND created_at < ? AND status <> 'erased'`
		args := []any{tenantID, from, to}
		if stores != nil {
			q += ` AND register_store_id = ANY(?)`
			args = append(args, postgres.UUIDs(stores))
		}
		return tenant.DB(ctx).Raw(q, args...).Scan(&n).Error
	})
	return n, err
}
