package auth

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"chainstore/infra/clock"
	"chainstore/infra/keys"
)

// Claims of an access token. Roles and stores are informational (for
// clients); authorization is decided by authz at request time.
type Claims struct {
	jwt.RegisteredClaims
	TenantID  string   `json:"tid"`
	SessionID string   `json:"sid"`
	Roles     []string `json:"roles"`
	Stores    []string `json:"stores"`
}

// Tokens signs and verifies access tokens: EdDSA only, kid in the header
// choosing the verification key, expiry, issuer and audience required.
type Tokens struct {
	active   keys.SigningKey
	verify   map[string]ed25519.PublicKey
	issuer   string
	audience string
	ttl      time.Duration
	clock    *clock.Clock

	// verified remembers tokens whose signature checked out, so a client's
	// repeated requests skip the Ed25519 verification; expiry is still
	// checked on every use, and revocation is checked elsewhere.
	mu       sync.RWMutex
	verified map[string]*Verified
}

const maxVerifiedCache = 20_000

// NewTokens builds the signer from the key set; the first key signs, all verify.
func NewTokens(set *keys.Set, issuer, audience string, ttl time.Duration, clk *clock.Clock) *Tokens {
	t := &Tokens{active: set.Signing[0], verify: map[string]ed25519.PublicKey{}, issuer: issuer, audience: audience, ttl: ttl, clock: clk,
		verified: map[string]*Verified{}}
	for _, k := range set.Signing {
		t.verify[k.ID] = k.Private.Public().(ed25519.PublicKey)
	}
	return t
}

// TTL is the access token lifetime.
func (t *Tokens) TTL() time.Duration { return t.ttl }

// Issue signs an access token.
func (t *Tokens) Issue(tenantID, userID, sessionID uuid.UUID, roles []string, stores []uuid.UUID) (string, error) {
	now := t.clock.Now()
	storeIDs := make([]string, len(stores))
	for i, s := range stores {
		storeIDs[i] = s.String()
	}
	if roles == nil {
		roles = []string{}
	}
	c := Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    t.issuer,
			Subject:   userID.String(),
			Audience:  jwt.ClaimStrings{t.audience},
			ExpiresAt: jwt.NewNumericDate(now.Add(t.ttl)),
			NotBefore: jwt.NewNumericDate(now.Add(-5 * time.Second)),
			IssuedAt:  jwt.NewNumericDate(now),
			ID:        uuid.Must(uuid.NewV7()).String(),
		},
		TenantID: tenantID.String(), SessionID: sessionID.String(), Roles: roles, Stores: storeIDs,
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, c)
	tok.Header["kid"] = t.active.ID
	return tok.SignedString(t.active.Private)
}

// ErrBadToken covers every reason an access token is refused; the reason
// is logged, not told.
var ErrBadToken = errors.New("auth: invalid access token")

// Verified is what a valid access token says.
type Verified struct {
	TenantID, UserID, SessionID uuid.UUID
	TokenID                     string
	Roles                       []string
	Stores                      []uuid.UUID
	ExpiresAt                   time.Time
}

// Verify checks signature (EdDSA with the kid's key, nothing else), expiry,
// issuer and audience, and parses the ids.
func (t *Tokens) Verify(raw string) (*Verified, error) {
	t.mu.RLock()
	v, ok := t.verified[raw]
	t.mu.RUnlock()
	if ok {
		if t.clock.Now().Before(v.ExpiresAt) {
			c := *v
			return &c, nil
		}
		t.mu.Lock()
		delete(t.verified, raw)
		t.mu.Unlock()
	}
	v, err := t.verifySignature(raw)
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	if len(t.verified) >= maxVerifiedCache {
		clear(t.verified) // crude but bounded; it refills with live tokens
	}
	t.verified[raw] = v
	t.mu.Unlock()
	c := *v
	return &c, nil
}

func (t *Tokens) verifySignature(raw string) (*Verified, error) {
	var c Claims
	_, err := jwt.ParseWithClaims(raw, &c, func(tok *jwt.Token) (any, error) {
		kid, _ := tok.Header["kid"].(string)
		key, ok := t.verify[kid]
		if !ok {
			return nil, fmt.Errorf("unknown kid %q", kid)
		}
		return key, nil
	},
		jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}),
		jwt.WithIssuer(t.issuer),
		jwt.WithAudience(t.audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(10*time.Second),
		jwt.WithTimeFunc(t.clock.Now),
	)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadToken, err)
	}
	v := &Verified{TokenID: c.ID, Roles: c.Roles, ExpiresAt: c.ExpiresAt.Time}
	var e1, e2, e3 error
	v.TenantID, e1 = uuid.Parse(c.TenantID)
	v.UserID, e2 = uuid.Parse(c.Subject)
	v.SessionID, e3 = uuid.Parse(c.SessionID)
	if err := errors.Join(e1, e2, e3); err != nil {
		return nil, fmt.Errorf("%w: ids: %v", ErrBadToken, err)
	}
	for _, s := range c.Stores {
		if id, err := uuid.Parse(s); err == nil {
			v.Stores = append(v.Stores, id)
		}
	}
	return v, nil
}

// Opaque tokens (refresh, invitation, password reset) are the tenant id and
// 32 random bytes, base64url: the tenant part routes the look-up into the
// tenant's transaction; only the SHA-256 of the whole token is stored.
func newOpaque(tenantID uuid.UUID) (token string, hash []byte) {
	b := make([]byte, 16+32)
	copy(b, tenantID[:])
	if _, err := rand.Read(b[16:]); err != nil {
		panic(err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashOpaque(token)
}

func hashOpaque(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// parseOpaque returns the tenant of a well-formed opaque token.
func parseOpaque(token string) (uuid.UUID, bool) {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) != 48 {
		return uuid.Nil, false
	}
	var id uuid.UUID
	copy(id[:], b[:16])
	return id, id != uuid.Nil
}
