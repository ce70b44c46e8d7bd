package auth

import (
	"strings"
	"unicode"

	"github.com/alexedwards/argon2id"

	"chainstore/infra/problem"
)

// argon2id at OWASP's recommended floor (19 MiB, 2 passes, 1 lane): strong
// against GPUs yet cheap enough that a burst of logins cannot starve the API
// on a two-core machine.
var hashParams = &argon2id.Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// HashPassword hashes a password with argon2id.
func HashPassword(pw string) (string, error) { return argon2id.CreateHash(pw, hashParams) }

// dummyHash is compared against when the account does not exist, so a
// failed login takes the same time whether or not the login is known.
var dummyHash, _ = argon2id.CreateHash("not-a-real-password-0", hashParams)

func verifyPassword(pw, hash string) bool {
	if hash == "" {
		hash = dummyHash
	}
	ok, err := argon2id.ComparePasswordAndHash(pw, hash)
	return err == nil && ok
}

var commonPasswords = map[string]bool{
	"password123!": true, "qwerty123456": true, "1234567890ab": true, "admin123456!": true,
	"p@ssw0rd1234": true, "iloveyou1234": true, "welcome12345": true, "abc123456789": true,
}

// ErrWeakPassword lists why a password is refused.
var ErrWeakPassword = problem.New(422, "auth.weak_password", "The password is too weak")

// CheckPasswordStrength enforces the strong-password rule: at least 10
// characters and three of lower case, upper case, digits and symbols (or 16+
// characters of anything), not a common password, and not containing the
// user's own e-mail name or the chain's slug.
func CheckPasswordStrength(field, pw string, personal ...string) error {
	fail := func(msg string) error {
		return ErrWeakPassword.WithFields(problem.FieldError{Field: field, Message: msg})
	}
	n := len([]rune(pw))
	if n < 10 {
		return fail("must be at least 10 characters")
	}
	if n > 128 {
		return fail("must be at most 128 characters")
	}
	var lower, upper, digit, symbol bool
	for _, r := range pw {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		case unicode.IsControl(r):
			return fail("must not contain control characters")
		default:
			symbol = true
		}
	}
	classes := 0
	for _, b := range []bool{lower, upper, digit, symbol} {
		if b {
			classes++
		}
	}
	if classes < 3 && n < 16 {
		return fail("must mix at least three of: lower case, upper case, digits, symbols (or be 16+ characters)")
	}
	low := strings.ToLower(pw)
	if commonPasswords[low] {
		return fail("is a commonly used password")
	}
	for _, p := range personal {
		p = strings.ToLower(p)
		if name, _, ok := strings.Cut(p, "@"); ok {
			p = name
		}
		if len(p) >= 4 && strings.Contains(low, p) {
			return fail("must not contain your e-mail name or the chain's slug")
		}
	}
	return nil
}
