package auth

import (
	"encoding/base64"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/clock"
	"chainstore/infra/keys"
)

func testTokens(t *testing.T) *Tokens {
	t.Helper()
	sign, pii, idx := keys.Generate()
	ks, err := keys.Load(sign, pii, idx, "", false)
	if err != nil {
		t.Fatal(err)
	}
	return NewTokens(ks, "iss", "aud", 15*time.Minute, clock.New())
}

// The verified-token cache never outlives a token: expiry is checked on
// every use, cached or not.
func TestVerifyCacheHonoursExpiry(t *testing.T) {
	tk := testTokens(t)
	now := time.Now()
	tk.clock.Set(func() time.Time { return now })
	raw, err := tk.Issue(uuid.New(), uuid.New(), uuid.New(), []string{"cashier"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tk.Verify(raw); err != nil {
		t.Fatal(err)
	}
	if _, err := tk.Verify(raw); err != nil { // from the cache
		t.Fatal(err)
	}
	now = now.Add(16 * time.Minute)
	if _, err := tk.Verify(raw); !errors.Is(err, ErrBadToken) {
		t.Fatalf("expired token from the cache: %v", err)
	}
}

// Rotation: a token signed by an older key still verifies while that key
// is in the set; the newest key signs.
func TestKeyRotation(t *testing.T) {
	old := testTokens(t)
	raw, _ := old.Issue(uuid.New(), uuid.New(), uuid.New(), nil, nil)
	sign, pii, idx := keys.Generate()
	ks, err := keys.Load("k2:"+sign[3:]+","+"k1:"+b64seed(old), pii, idx, "", false)
	if err != nil {
		t.Fatal(err)
	}
	rotated := NewTokens(ks, "iss", "aud", 15*time.Minute, clock.New())
	if _, err := rotated.Verify(raw); err != nil {
		t.Fatalf("token of the previous key after rotation: %v", err)
	}
	fresh, _ := rotated.Issue(uuid.New(), uuid.New(), uuid.New(), nil, nil)
	if _, err := old.Verify(fresh); err == nil {
		t.Fatal("a token of the new key verified with only the old key set")
	}
}

func b64seed(t *Tokens) string {
	return base64.StdEncoding.EncodeToString(t.active.Private.Seed())
}
