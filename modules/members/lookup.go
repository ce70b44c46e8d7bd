package members

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/cache"
	"chainstore/infra/problem"
	"chainstore/tenant"
	"chainstore/tenant/audit"
)

// QRTTL is how long a member QR token is good for.
const QRTTL = 60 * time.Second

// Lookup finds a member for the POS by phone, card number or QR token,
// through the cache (cache-aside, collapsed misses; PostgreSQL alone when
// Redis is down). A card that is lost or cancelled finds nobody; a QR token
// is good once, until it expires. full reveals personal data and is
// audited with the store it was asked at.
func (s *Service) Lookup(ctx context.Context, tenantID, storeID uuid.UUID, q Lookup, full bool) (Member, error) {
	var out Member
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		snap, err := s.lookup(ctx, tenantID, q)
		if err != nil {
			return err
		}
		out, err = s.reveal(ctx, tenantID, snap, full, "lookup", &storeID)
		return err
	})
	return out, err
}

func (s *Service) lookup(ctx context.Context, tenantID uuid.UUID, q Lookup) (snapshot, error) {
	var key, where string
	var arg any
	switch {
	case q.Phone != "":
		phone, perr := parsePhone(q.Phone)
		if perr != nil {
			return snapshot{}, perr
		}
		idx := s.PhoneIndex(tenantID, phone)
		key, where, arg = keyPhone(tenantID, idx), `WHERE m.tenant_id = ? AND m.phone_index = ?`, idx
	case q.Card != "":
		key, where, arg = keyCard(tenantID, q.Card),
			`WHERE m.tenant_id = ? AND m.id = (SELECT member_id FROM member_cards WHERE tenant_id = m.tenant_id AND number = ?)`, q.Card
	case q.QR != "":
		id, err := s.verifyQR(ctx, tenantID, q.QR)
		if err != nil {
			return snapshot{}, err
		}
		key, where, arg = keyID(tenantID, id), `WHERE m.tenant_id = ? AND m.id = ?`, id
	default:
		return snapshot{}, ErrInvalid.WithDetail("give phone, card or qr")
	}
	load := func(ctx context.Context) (snapshot, bool, error) {
		return loadSnapshot(tenant.DB(ctx), where, tenantID, arg)
	}
	var snap snapshot
	var found bool
	var err error
	if s.BypassCache || tenant.Marked(ctx, dirtyMark) {
		snap, found, err = load(ctx)
	} else {
		snap, found, _, err = cache.Get(ctx, s.cache, key, lookupTTL, load)
	}
	if err != nil {
		return snap, err
	}
	if !found || snap.Status != "active" {
		return snap, ErrNotFound
	}
	if q.Card != "" && (snap.CardNumber == nil || *snap.CardNumber != q.Card || *snap.CardStatus == "lost") {
		return snap, ErrNotFound
	}
	return snap, nil
}

// IssueQRToken makes a signed token naming the member, valid for QRTTL and
// once: HMAC-SHA256 (a key derived from the PII index key) over tenant,
// member, expiry and a random nonce. The member must have a usable card.
func (s *Service) IssueQRToken(ctx context.Context, tenantID, memberID uuid.UUID) (QRToken, error) {
	var out QRToken
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		snap, err := s.get(ctx, tenantID, memberID)
		if err != nil {
			return err
		}
		if snap.Status != "active" {
			return ErrInactive
		}
		if snap.CardStatus == nil || *snap.CardStatus != "active" {
			return ErrCardState.WithDetail("the member has no active card")
		}
		exp := s.clock.Now().Add(QRTTL).Truncate(time.Second)
		payload := make([]byte, 32)
		copy(payload, memberID[:])
		binary.BigEndian.PutUint64(payload[16:], uint64(exp.Unix()))
		_, _ = rand.Read(payload[24:])
		out = QRToken{Token: base64.RawURLEncoding.EncodeToString(payload) + "." + base64.RawURLEncoding.EncodeToString(s.qrMAC(tenantID, payload)),
			ExpiresAt: exp.UTC()}
		return nil
	})
	return out, err
}

func (s *Service) qrMAC(tenantID uuid.UUID, payload []byte) []byte {
	m := hmac.New(sha256.New, s.qrKey)
	m.Write(tenantID[:])
	m.Write(payload)
	return m.Sum(nil)[:16]
}

// ParseQR checks a token's form and signature, returning the member and
// expiry (no database); exported for fuzzing.
func (s *Service) ParseQR(tenantID uuid.UUID, token string) (uuid.UUID, time.Time, string, error) {
	p, sig, ok := strings.Cut(token, ".")
	if !ok || len(token) > 200 {
		return uuid.Nil, time.Time{}, "", ErrQRInvalid
	}
	payload, err1 := base64.RawURLEncoding.DecodeString(p)
	mac, err2 := base64.RawURLEncoding.DecodeString(sig)
	if err1 != nil || err2 != nil || len(payload) != 32 || !hmac.Equal(mac, s.qrMAC(tenantID, payload)) {
		return uuid.Nil, time.Time{}, "", ErrQRInvalid
	}
	id, _ := uuid.FromBytes(payload[:16])
	exp := time.Unix(int64(binary.BigEndian.Uint64(payload[16:24])), 0)
	return id, exp, base64.RawURLEncoding.EncodeToString(payload[24:]), nil
}

// verifyQR checks signature and expiry and records the nonce as used in
// PostgreSQL (in the scanning transaction), so a screenshot cannot be
// scanned twice on any instance, Redis up or down.
func (s *Service) verifyQR(ctx context.Context, tenantID uuid.UUID, token string) (uuid.UUID, error) {
	id, exp, nonce, err := s.ParseQR(tenantID, token)
	if err != nil {
		return id, err
	}
	now := s.clock.Now()
	if !now.Before(exp) {
		return id, ErrQRExpired
	}
	db := tenant.DB(ctx)
	res := db.Exec(`INSERT INTO member_qr_uses (tenant_id, nonce, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, tenantID, nonce, exp)
	if res.Error != nil {
		return id, fmt.Errorf("members: qr use: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return id, ErrQRUsed
	}
	return id, nil
}

// CardAction changes the member's card: report-loss (active/frozen → lost),
// freeze (active → frozen), unfreeze (frozen → active), reissue (a new
// number; the old card, lost or not, is cancelled and its number dead;
// points and balance stay with the member). Audited.
func (s *Service) CardAction(ctx context.Context, tenantID, memberID uuid.UUID, action string, newNumber string, full bool) (Member, error) {
	var out Member
	err := s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		db := tenant.DB(ctx)
		snap, err := s.get(ctx, tenantID, memberID)
		if err != nil {
			return err
		}
		if snap.Status != "active" {
			return ErrInactive
		}
		if snap.CardID == nil && action != "reissue" {
			return ErrCardState.WithDetail("the member has no card")
		}
		cur := deref(snap.CardStatus)
		from := map[string][]string{"report-loss": {"active", "frozen"}, "freeze": {"active"}, "unfreeze": {"frozen"}, "reissue": {"active", "frozen", "lost", ""}}
		to := map[string]string{"report-loss": "lost", "freeze": "frozen", "unfreeze": "active", "reissue": "cancelled"}
		ok := false
		for _, st := range from[action] {
			ok = ok || st == cur
		}
		if _, known := to[action]; !known {
			return ErrInvalid.WithFields(problem.FieldError{Field: "action", Message: "must be report-loss, freeze, unfreeze or reissue"})
		}
		if !ok {
			return ErrCardState.WithDetail("cannot %s a card that is %s", action, cur)
		}
		if err := s.touched(ctx, tenantID, memberID); err != nil {
			return err
		}
		detail := map[string]any{"card_id": snap.CardID, "from": cur}
		if snap.CardID != nil {
			if err := db.Exec(`UPDATE member_cards SET status = ?, changed_at = now() WHERE tenant_id = ? AND id = ?`, to[action], tenantID, *snap.CardID).Error; err != nil {
				return fmt.Errorf("members: card %s: %w", action, err)
			}
		}
		if action == "reissue" {
			kind := deref(snap.CardKind)
			if newNumber != "" {
				kind = "physical"
			} else if kind == "" {
				kind = "virtual"
			}
			newID, err := s.issueCard(ctx, tenantID, memberID, newNumber, kind)
			if err != nil {
				return err
			}
			if snap.CardID != nil {
				if err := db.Exec(`UPDATE member_cards SET replaced_by = ? WHERE tenant_id = ? AND id = ?`, newID, tenantID, *snap.CardID).Error; err != nil {
					return err
				}
			}
			detail["new_card_id"] = newID
		}
		if err := audit.Record(ctx, audit.Entry{Action: "member.card_" + strings.ReplaceAll(action, "-", "_"), ObjectType: "member",
			ObjectID: memberID.String(), Detail: detail}); err != nil {
			return err
		}
		if snap, err = s.get(ctx, tenantID, memberID); err != nil {
			return err
		}
		out, err = s.render(tenantID, snap, full)
		return err
	})
	return out, err
}
