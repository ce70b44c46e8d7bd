// Package keys loads the key material of the process: the Ed25519 keys that
// sign access tokens (each with a kid, so keys rotate) and the AES-256 keys
// and HMAC key that protect member PII. For local runs, missing material is
// generated once and kept under the data directory, never in the repository.
package keys

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// Set is the loaded key material. The first key of each list is the active
// one; the rest only verify or decrypt.
type Set struct {
	Signing  []SigningKey
	PII      []AESKey
	PIIIndex []byte
}

// SigningKey is one Ed25519 key with its kid.
type SigningKey struct {
	ID      string
	Private ed25519.PrivateKey
}

// AESKey is one 32-byte AES-256-GCM key with its id.
type AESKey struct {
	ID  string
	Key []byte
}

var kidPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)

// Load parses the environment values (each "kid:base64,kid:base64"; the
// index key plain base64). Empty values are generated and persisted in
// dataDir/keys.json when allowGenerate is true.
func Load(signing, pii, piiIndex, dataDir string, allowGenerate bool) (*Set, error) {

	if (signing == "" || pii == "" || piiIndex == "") && allowGenerate {
		f, err := loadOrCreate(filepath.Join(dataDir, "keys.json"))
		if err != nil {
			return nil, err
		}

		if signing == "" {
			signing = f.Signing
		}
		if pii == "" {
			pii = f.PII
		}
		if piiIndex == "" {
			piiIndex = f.PIIIndex
		}
	}
	s := &Set{}
	seeds, err := parsePairs("JWT_SIGNING_KEYS", signing, ed25519.SeedSize)
	if err != nil {
		return nil, err
	}
	for _, p := range seeds {
		s.Signing = append(s.Signing, SigningKey{ID: p.id, Private: ed25519.NewKeyFromSeed(p.key)})
	}
	aes, err := parsePairs("PII_KEYS", pii, 32)
	if err != nil {
		return nil, err
	}
	for _, p := range aes {
		s.PII = append(s.PII, AESKey{ID: p.id, Key: p.key})
	}
	s.PIIIndex, err = base64.StdEncoding.DecodeString(strings.TrimSpace(piiIndex))
	if err != nil || len(s.PIIIndex) < 32 {
		return nil, errors.New("config: PII_INDEX_KEY: must be base64 of at least 32 bytes")
	}

	return s, nil
}

type pair struct {
	id  string
	key []byte
}

func parsePairs(name, raw string, size int) ([]pair, error) {
	var out []pair
	seen := map[string]bool{}
	for _, item := range strings.Split(raw, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		id, b64, ok := strings.Cut(item, ":")
		if !ok || !kidPattern.MatchString(id) {
			return nil, fmt.Errorf("config: %s: each key must be kid:base64 with a kid of letters, digits, - or _", name)
		}
		key, err := base64.StdEncoding.DecodeString(b64)
		if err != nil || len(key) != size {
			return nil, fmt.Errorf("config: %s: key %q must be base64 of exactly %d bytes", name, id, size)
		}
		if seen[id] {
			return nil, fmt.Errorf("config: %s: duplicate kid %q", name, id)
		}
		seen[id] = true
		out = append(out, pair{id: id, key: key})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("config: %s: at least one key is required", name)
	}
	return out, nil
}

type file struct {
	Signing  string `json:"jwt_signing_keys"`
	PII      string `json:"pii_keys"`
	PIIIndex string `json:"pii_index_key"`
}

func loadOrCreate(path string) (*file, error) {
	if b, err := os.ReadFile(path); err == nil {
		var f file
		if err := json.Unmarshal(b, &f); err != nil {
			return nil, fmt.Errorf("keys: %s is corrupt: %w", path, err)
		}
		return &f, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("keys: read %s: %w", path, err)
	}
	f := &file{
		Signing:  "k1:" + random(ed25519.SeedSize),
		PII:      "p1:" + random(32),
		PIIIndex: random(32),
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("keys: create %s: %w", filepath.Dir(path), err)
	}
	b, _ := json.MarshalIndent(f, "", "  ")
	// O_EXCL: two processes starting together keep one key set.
	fh, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return loadOrCreate(path)
	}
	if err != nil {
		return nil, fmt.Errorf("keys: write %s: %w", path, err)
	}
	defer fh.Close()
	if _, err := fh.Write(b); err != nil {
		return nil, err
	}
	return f, nil
}

// Generate returns fresh key material in the environment formats, for tests
// and for operators preparing production secrets.
func Generate() (signing, pii, piiIndex string) {
	return "k1:" + random(ed25519.SeedSize), "p1:" + random(32), random(32)
}

func random(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}
