// Package pii protects personal data at rest: AES-256-GCM encryption with
// the key id inside every value (so keys rotate: encrypt with the first key,
// decrypt with whichever key a value names), an HMAC-SHA256 blind index for
// exact look-ups, and the masks shown to staff without the right to see
// full values.
package pii

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Key is one AES-256 key and its id.
type Key struct {
	ID  string
	Key []byte
}

// Box encrypts with its first key and decrypts with any of them.
type Box struct {
	active string
	aeads  map[string]cipher.AEAD
	index  []byte
}

// ErrDecrypt is a value no configured key opens (wrong key, tampered, or
// moved to another row).
var ErrDecrypt = errors.New("pii: cannot decrypt value")

const version = 1

// New builds a box over keys (first = active) and the blind-index key.
func New(keys []Key, indexKey []byte) (*Box, error) {
	if len(keys) == 0 {
		return nil, errors.New("pii: no encryption key")
	}
	if len(indexKey) < 32 {
		return nil, errors.New("pii: the index key must be at least 32 bytes")
	}
	b := &Box{active: keys[0].ID, aeads: map[string]cipher.AEAD{}, index: append([]byte(nil), indexKey...)}
	for _, k := range keys {
		if len(k.ID) == 0 || len(k.ID) > 255 {
			return nil, fmt.Errorf("pii: bad key id %q", k.ID)
		}
		block, err := aes.NewCipher(k.Key)
		if err != nil || len(k.Key) != 32 {
			return nil, fmt.Errorf("pii: key %q must be 32 bytes", k.ID)
		}
		g, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		b.aeads[k.ID] = g
	}
	return b, nil
}

// Encrypt seals plaintext bound to aad (for example tenant, row and column,
// so a ciphertext copied to another row does not open). Empty plaintext is
// stored as nil. Layout: version, len(kid), kid, nonce, ciphertext+tag.
func (b *Box) Encrypt(plaintext string, aad string) []byte {
	if plaintext == "" {
		return nil
	}
	g := b.aeads[b.active]
	out := make([]byte, 0, 2+len(b.active)+g.NonceSize()+len(plaintext)+g.Overhead())
	out = append(out, version, byte(len(b.active)))
	out = append(out, b.active...)
	nonce := make([]byte, g.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	out = append(out, nonce...)
	return g.Seal(out, nonce, []byte(plaintext), []byte(aad))
}

// Decrypt opens a value made by Encrypt with the same aad. nil is "".
func (b *Box) Decrypt(value []byte, aad string) (string, error) {
	if len(value) == 0 {
		return "", nil
	}
	if len(value) < 2 || value[0] != version {
		return "", ErrDecrypt
	}
	n := int(value[1])
	if len(value) < 2+n {
		return "", ErrDecrypt
	}
	g, ok := b.aeads[string(value[2:2+n])]
	if !ok {
		return "", ErrDecrypt
	}
	rest := value[2+n:]
	if len(rest) < g.NonceSize()+g.Overhead() {
		return "", ErrDecrypt
	}
	pt, err := g.Open(nil, rest[:g.NonceSize()], rest[g.NonceSize():], []byte(aad))
	if err != nil {
		return "", ErrDecrypt
	}
	return string(pt), nil
}

// KeyID returns the id of the key a value was sealed with ("" if none).
func KeyID(value []byte) string {
	if len(value) < 2 || len(value) < 2+int(value[1]) {
		return ""
	}
	return string(value[2 : 2+int(value[1])])
}

// Index is the blind index of a normalised value within a scope (the
// tenant): HMAC-SHA256(index key, scope NUL kind NUL value). The scope keeps
// the same phone in two chains from sharing an index.
func (b *Box) Index(scope, kind, value string) []byte {
	m := hmac.New(sha256.New, b.index)
	m.Write([]byte(scope))
	m.Write([]byte{0})
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return m.Sum(nil)
}

// Derive returns a sub-key of the index key for another purpose (label
// names it), so one configured secret serves several uses independently.
func (b *Box) Derive(label string) []byte {
	m := hmac.New(sha256.New, b.index)
	m.Write([]byte("derive\x00" + label))
	return m.Sum(nil)
}

// NormalizePhone returns the canonical form of a phone number: digits only
// for mainland numbers (a +86 or 0086 prefix dropped), "+" and digits for
// others; ok is false when it is not a phone number.
func NormalizePhone(s string) (string, bool) {
	var sb strings.Builder
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			sb.WriteRune(r)
		case r == '+' && i == 0:
			sb.WriteRune(r)
		case r == ' ' || r == '-' || r == '(' || r == ')':
		default:
			return "", false
		}
	}
	p := sb.String()
	if strings.HasPrefix(p, "0086") {
		p = "+86" + p[4:]
	}
	if strings.HasPrefix(p, "+86") {
		p = p[3:]
	}
	if strings.HasPrefix(p, "+") {
		if len(p) < 8 || len(p) > 16 || p[1] == '0' {
			return "", false
		}
		return p, true
	}
	if len(p) == 11 && p[0] == '1' && p[1] >= '3' {
		return p, true
	}
	return "", false
}

// MaskPhone shows the first three and last four digits: 138****1234.
func MaskPhone(p string) string {
	r := []rune(p)
	if len(r) <= 7 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:3]) + strings.Repeat("*", len(r)-7) + string(r[len(r)-4:])
}

// MaskName keeps the first character: 张*, 欧阳**, J***.
func MaskName(n string) string {
	c := utf8.RuneCountInString(n)
	if c == 0 {
		return ""
	}
	first, _ := utf8.DecodeRuneInString(n)
	if c == 1 {
		return string(first)
	}
	return string(first) + strings.Repeat("*", c-1)
}
