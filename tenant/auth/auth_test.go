package auth_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"chainstore/api/apitest"
	"chainstore/tenant/auth"
)

var env *apitest.Env

func TestMain(m *testing.M) { apitest.Main(m, "auth", &env) }

func TestSignup201CreatesTenantAdminAndSession(t *testing.T) {
	slug := env.Unique("shop")
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/signup", Body: map[string]any{
		"chain_name": "好邻居便利", "slug": slug, "admin_name": "店主", "admin_email": "Owner+" + slug + "@Example.test", "admin_password": apitest.Password,
	}})
	if r.Status != 201 {
		t.Fatalf("signup: %d %s", r.Status, r.Body)
	}
	var out struct {
		Tenant       auth.Tenant
		User         auth.User
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
		ExpiresIn    int    `json:"expires_in"`
	}
	r.JSON(t, &out)
	if out.Tenant.Slug != slug || out.User.Email == nil || *out.User.Email != strings.ToLower("Owner+"+slug+"@Example.test") {
		t.Fatalf("unexpected signup result %+v", out)
	}
	if out.ExpiresIn < 600 || out.ExpiresIn > 1200 {
		t.Errorf("access token lifetime %ds, want about 15 minutes", out.ExpiresIn)
	}
	me := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/me", Token: out.AccessToken})
	if me.Status != 200 {
		t.Fatalf("me: %d %s", me.Status, me.Body)
	}
	var m auth.Me
	me.JSON(t, &m)
	if len(m.Roles) != 1 || m.Roles[0] != "hq_admin" || !m.ChainWide || m.Tenant.ID != out.Tenant.ID {
		t.Fatalf("me = %+v", m)
	}
	if n := env.Count(t, `SELECT count(*) FROM roles WHERE tenant_id = $1 AND builtin`, out.Tenant.ID); n != 6 {
		t.Errorf("%d built-in roles seeded, want 6", n)
	}
	if n := env.Count(t, `SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND action = 'user.roles_changed'`, out.Tenant.ID); n != 1 {
		t.Errorf("%d audit rows for the first assignment, want 1", n)
	}
}

func TestSignup409SlugOrEmailTaken(t *testing.T) {
	tn := env.Signup(t)
	before := env.Count(t, `SELECT count(*) FROM tenants`)
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/signup", Body: map[string]any{
		"chain_name": "X", "slug": tn.Slug, "admin_name": "A", "admin_email": env.Unique("x") + "@example.test", "admin_password": apitest.Password}})
	if r.Status != 409 || r.Code() != "signup.slug_taken" {
		t.Errorf("taken slug: %d %s", r.Status, r.Body)
	}
	r = env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/signup", Body: map[string]any{
		"chain_name": "X", "slug": env.Unique("other"), "admin_name": "A", "admin_email": strings.ToUpper(tn.AdminEmail), "admin_password": apitest.Password}})
	if r.Status != 409 || r.Code() != "signup.email_taken" {
		t.Errorf("taken e-mail: %d %s", r.Status, r.Body)
	}
	if after := env.Count(t, `SELECT count(*) FROM tenants`); after != before {
		t.Errorf("a refused signup wrote a tenant (%d → %d)", before, after)
	}
}

func TestSignup422WeakPasswordAndBadFields(t *testing.T) {
	before := env.Count(t, `SELECT count(*) FROM tenants`)
	for name, body := range map[string]map[string]any{
		"short password":   {"chain_name": "X", "slug": env.Unique("p"), "admin_name": "A", "admin_email": "a1@example.test", "admin_password": "Ab1!"},
		"one class":        {"chain_name": "X", "slug": env.Unique("p"), "admin_name": "A", "admin_email": "a2@example.test", "admin_password": "abcdefghijkl"},
		"contains e-mail":  {"chain_name": "X", "slug": env.Unique("p"), "admin_name": "A", "admin_email": "zhangwei@example.test", "admin_password": "Zhangwei-2026!"},
		"bad slug":         {"chain_name": "X", "slug": "Bad Slug!", "admin_name": "A", "admin_email": "a3@example.test", "admin_password": apitest.Password},
		"missing fields":   {"slug": env.Unique("p")},
		"bad e-mail":       {"chain_name": "X", "slug": env.Unique("p"), "admin_name": "A", "admin_email": "nope", "admin_password": apitest.Password},
		"control in name":  {"chain_name": "X\u0000Y", "slug": env.Unique("p"), "admin_name": "A", "admin_email": "a4@example.test", "admin_password": apitest.Password},
		"unknown timezone": {"chain_name": "X", "slug": env.Unique("p"), "time_zone": "Mars/Base", "admin_name": "A", "admin_email": "a5@example.test", "admin_password": apitest.Password},
	} {
		r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/signup", Body: body})
		if r.Status != 422 {
			t.Errorf("%s: status %d %s, want 422", name, r.Status, r.Body)
		}
	}
	if after := env.Count(t, `SELECT count(*) FROM tenants`); after != before {
		t.Errorf("refused signups wrote %d tenants", after-before)
	}
}

func TestLoginByEmailOrPhone(t *testing.T) {
	tn := env.Signup(t)
	// Give the admin a phone and log in with it.
	r := env.Do(t, apitest.Req{Method: "PATCH", Path: "/api/v1/users/" + tn.AdminID.String(), Token: tn.AdminToken, Body: map[string]any{"phone": "13812345678"}})
	if r.Status != 200 {
		t.Fatalf("set phone: %d %s", r.Status, r.Body)
	}
	if tok, _ := env.Login(t, tn.Slug, "13812345678", apitest.Password); tok == "" {
		t.Fatal("no token for phone login")
	}
	if tok, _ := env.Login(t, strings.ToUpper(tn.Slug), strings.ToUpper(tn.AdminEmail), apitest.Password); tok == "" {
		t.Fatal("no token for e-mail login")
	}
}

func TestLogin401WrongPasswordUnknownUserUnknownChain(t *testing.T) {
	tn := env.Signup(t)
	for name, body := range map[string]map[string]any{
		"wrong password": {"tenant": tn.Slug, "login": tn.AdminEmail, "password": "Wrong-Passw0rd!"},
		"unknown user":   {"tenant": tn.Slug, "login": "nobody@example.test", "password": apitest.Password},
		"unknown chain":  {"tenant": "no-such-chain", "login": tn.AdminEmail, "password": apitest.Password},
		"sql-ish login":  {"tenant": tn.Slug, "login": "' OR 1=1 --", "password": "' OR '1'='1"},
	} {
		r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/auth/login", Body: body})
		if r.Status != 401 || r.Code() != "auth.invalid_credentials" {
			t.Errorf("%s: %d %s", name, r.Status, r.Body)
		}
	}
}

func TestRefreshRotatesAndReuseRevokesTheFamily(t *testing.T) {
	tn := env.Signup(t)
	access1, refresh1 := env.Login(t, tn.Slug, tn.AdminEmail, apitest.Password)

	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/auth/refresh", Body: map[string]any{"refresh_token": refresh1}})
	if r.Status != 200 {
		t.Fatalf("refresh: %d %s", r.Status, r.Body)
	}
	var pair auth.TokenPair
	r.JSON(t, &pair)
	if pair.RefreshToken == refresh1 || pair.AccessToken == "" {
		t.Fatal("refresh did not rotate the token")
	}
	if me := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/me", Token: pair.AccessToken}); me.Status != 200 {
		t.Fatalf("new access token: %d", me.Status)
	}
	// The spent token again: a thief or a replay. The whole family dies.
	r = env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/auth/refresh", Body: map[string]any{"refresh_token": refresh1}})
	if r.Status != 401 || r.Code() != "auth.refresh_token_reused" {
		t.Fatalf("reuse: %d %s", r.Status, r.Body)
	}
	r = env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/auth/refresh", Body: map[string]any{"refresh_token": pair.RefreshToken}})
	if r.Status != 401 {
		t.Fatalf("the rotated token survived the reuse: %d %s", r.Status, r.Body)
	}
	for _, tok := range []string{access1, pair.AccessToken} {
		if me := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/me", Token: tok}); me.Status != 401 {
			t.Fatalf("access token of the revoked session: %d", me.Status)
		}
	}
	// Other sessions of the same user are untouched.
	if tok, _ := env.Login(t, tn.Slug, tn.AdminEmail, apitest.Password); env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/me", Token: tok}).Status != 200 {
		t.Fatal("a fresh session does not work")
	}
}

func TestConcurrentRefreshWithOneTokenIssuesAtMostOnePair(t *testing.T) {
	tn := env.Signup(t)
	_, refresh := env.Login(t, tn.Slug, tn.AdminEmail, apitest.Password)
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/auth/refresh", Body: map[string]any{"refresh_token": refresh}})
			if r.Status == 200 {
				mu.Lock()
				ok++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if ok != 1 {
		t.Fatalf("%d refreshes succeeded with one token, want exactly 1", ok)
	}
}

func TestRefresh401Garbage(t *testing.T) {
	for _, tok := range []string{"x", strings.Repeat("A", 64), base64.RawURLEncoding.EncodeToString(make([]byte, 48))} {
		r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/auth/refresh", Body: map[string]any{"refresh_token": tok}})
		if r.Status != 401 {
			t.Errorf("refresh %q: %d", tok, r.Status)
		}
	}
}

func TestLogoutRevokesTheSession(t *testing.T) {
	tn := env.Signup(t)
	access, refresh := env.Login(t, tn.Slug, tn.AdminEmail, apitest.Password)
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/auth/logout", Token: access}); r.Status != 204 {
		t.Fatalf("logout: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/me", Token: access}); r.Status != 401 {
		t.Fatalf("access token after logout: %d", r.Status)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/auth/refresh", Body: map[string]any{"refresh_token": refresh}}); r.Status != 401 {
		t.Fatalf("refresh after logout: %d", r.Status)
	}
	// The admin's signup session is another session and still works.
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/me", Token: tn.AdminToken}); r.Status != 200 {
		t.Fatalf("other session after logout: %d", r.Status)
	}
}

// forge signs claims like the server's, with any method and key.
func forge(t *testing.T, method jwt.SigningMethod, key any, kid string, mutate func(*auth.Claims)) string {
	t.Helper()
	c := auth.Claims{
		RegisteredClaims: jwt.RegisteredClaims{Issuer: env.Config.JWTIssuer, Audience: jwt.ClaimStrings{env.Config.JWTAudience},
			Subject: uuid.NewString(), ID: uuid.NewString(), IssuedAt: jwt.NewNumericDate(time.Now()),
			ExpiresAt: jwt.NewNumericDate(time.Now().Add(10 * time.Minute))},
		TenantID: uuid.NewString(), SessionID: uuid.NewString(),
	}
	if mutate != nil {
		mutate(&c)
	}
	tok := jwt.NewWithClaims(method, c)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestAccessToken401ForgeryNoneExpiredWrongAudience(t *testing.T) {
	tn := env.Signup(t)
	good := env.Keys.Signing[0]
	// Claims copied from a real token, so only the named defect differs.
	real, err := env.Server.Auth.Tokens().Verify(tn.AdminToken)
	if err != nil {
		t.Fatal(err)
	}
	same := func(c *auth.Claims) {
		c.Subject, c.TenantID, c.SessionID = real.UserID.String(), real.TenantID.String(), real.SessionID.String()
	}
	_, otherKey, _ := ed25519.GenerateKey(rand.Reader)
	parts := strings.Split(tn.AdminToken, ".")
	cases := map[string]string{
		"control (valid)":                     forge(t, jwt.SigningMethodEdDSA, good.Private, good.ID, same),
		"alg none":                            forge(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, good.ID, same),
		"HS256 with the public key as secret": forge(t, jwt.SigningMethodHS256, []byte(good.Private.Public().(ed25519.PublicKey)), good.ID, same),
		"signed by another key":               forge(t, jwt.SigningMethodEdDSA, otherKey, good.ID, same),
		"unknown kid":                         forge(t, jwt.SigningMethodEdDSA, good.Private, "nope", same),
		"expired": forge(t, jwt.SigningMethodEdDSA, good.Private, good.ID, func(c *auth.Claims) {
			same(c)
			c.ExpiresAt = jwt.NewNumericDate(time.Now().Add(-time.Minute))
		}),
		"no expiry": forge(t, jwt.SigningMethodEdDSA, good.Private, good.ID, func(c *auth.Claims) { same(c); c.ExpiresAt = nil }),
		"wrong audience": forge(t, jwt.SigningMethodEdDSA, good.Private, good.ID, func(c *auth.Claims) {
			same(c)
			c.Audience = jwt.ClaimStrings{"someone-else"}
		}),
		"wrong issuer":     forge(t, jwt.SigningMethodEdDSA, good.Private, good.ID, func(c *auth.Claims) { same(c); c.Issuer = "evil" }),
		"tampered payload": parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"x","tid":"y"}`)) + "." + parts[2],
		"garbage":          "not.a.jwt",
	}
	for name, tok := range cases {
		r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/me", Token: tok})
		want := 401
		if name == "control (valid)" {
			want = 200
		}
		if r.Status != want {
			t.Errorf("%s: status %d, want %d (%s)", name, r.Status, want, r.Body)
		}
	}
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/me"}); r.Status != 401 || r.Header.Get("WWW-Authenticate") == "" {
		t.Errorf("no token: %d, WWW-Authenticate %q", r.Status, r.Header.Get("WWW-Authenticate"))
	}
}

func TestInviteAcceptAndPasswordReset(t *testing.T) {
	tn := env.Signup(t)
	email := env.Unique("invitee") + "@example.test"
	r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/users", Token: tn.AdminToken, Body: map[string]any{
		"name": "新员工", "email": email, "assignments": []any{map[string]any{"role": "hq_marketing"}}}})
	if r.Status != 201 {
		t.Fatalf("invite: %d %s", r.Status, r.Body)
	}
	var inv struct {
		ID          uuid.UUID
		Status      string
		InviteToken string `json:"invite_token"`
	}
	r.JSON(t, &inv)
	if inv.Status != "invited" || inv.InviteToken == "" {
		t.Fatalf("invite result %+v", inv)
	}
	// No password yet: cannot log in.
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]any{"tenant": tn.Slug, "login": email, "password": apitest.Password}}); r.Status != 401 {
		t.Fatalf("invited user logged in: %d", r.Status)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/auth/accept-invite", Body: map[string]any{"token": inv.InviteToken, "password": "weak"}}); r.Status != 422 {
		t.Fatalf("weak password accepted: %d", r.Status)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/auth/accept-invite", Body: map[string]any{"token": inv.InviteToken, "password": "Brand-New-Pass1"}}); r.Status != 204 {
		t.Fatalf("accept: %d %s", r.Status, r.Body)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/auth/accept-invite", Body: map[string]any{"token": inv.InviteToken, "password": "Another-Pass-22"}}); r.Status != 400 {
		t.Fatalf("invitation used twice: %d", r.Status)
	}
	tok, _ := env.Login(t, tn.Slug, email, "Brand-New-Pass1")

	// Reset by the admin: old sessions end, the new password works.
	r = env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/users/" + inv.ID.String() + "/reset-password", Token: tn.AdminToken})
	if r.Status != 200 {
		t.Fatalf("reset: %d %s", r.Status, r.Body)
	}
	var reset struct {
		ResetToken string `json:"reset_token"`
	}
	r.JSON(t, &reset)
	if me := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/me", Token: tok}); me.Status != 401 {
		t.Fatalf("session survived a password reset: %d", me.Status)
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/auth/reset-password", Body: map[string]any{"token": reset.ResetToken, "password": "Reset-Pass-333"}}); r.Status != 204 {
		t.Fatalf("complete reset: %d %s", r.Status, r.Body)
	}
	env.Login(t, tn.Slug, email, "Reset-Pass-333")
}

func TestLoginRateLimitPerAccount429(t *testing.T) {
	// The per-IP limit stays the test env's: every test signs in from the same address, and their
	// count in the shared Redis passed 1,000 within one window when suites ran back to back.
	limited := env.Another(t, map[string]string{"LOGIN_LIMIT_PER_ACCOUNT": "3", "LOGIN_LIMIT_PER_IP": "100000"})
	tn := env.Signup(t)
	for i := 1; i <= 4; i++ {
		r := limited.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]any{"tenant": tn.Slug, "login": tn.AdminEmail, "password": "Wrong-Passw0rd!"}})
		if i <= 3 && r.Status != 401 {
			t.Fatalf("attempt %d: %d", i, r.Status)
		}
		if i == 4 {
			if r.Status != 429 || r.Header.Get("Retry-After") == "" || r.Code() != "auth.too_many_attempts" {
				t.Fatalf("attempt 4: %d Retry-After=%q %s", r.Status, r.Header.Get("Retry-After"), r.Body)
			}
		}
	}
	// Even the right password is refused while limited: no oracle.
	r := limited.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]any{"tenant": tn.Slug, "login": tn.AdminEmail, "password": apitest.Password}})
	if r.Status != 429 {
		t.Fatalf("right password while limited: %d", r.Status)
	}
}

func TestLoginRateLimitHoldsWithRedisDown(t *testing.T) {
	// Nothing listens on port 1: Redis is down for this instance.
	down := env.Another(t, map[string]string{"REDIS_URL": "redis://127.0.0.1:1/0", "LOGIN_LIMIT_PER_ACCOUNT": "1000", "LOGIN_LIMIT_PER_IP": "5"})
	tn := env.Signup(t)
	got429 := false
	for i := 1; i <= 6; i++ {
		r := down.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]any{"tenant": tn.Slug, "login": tn.AdminEmail, "password": apitest.Password}})
		switch {
		case i <= 5 && r.Status != 200:
			t.Fatalf("attempt %d with Redis down: %d %s", i, r.Status, r.Body)
		case i == 6:
			got429 = r.Status == 429 && r.Header.Get("Retry-After") != ""
		}
	}
	if !got429 {
		t.Fatal("the per-IP limit did not hold in process with Redis down")
	}
	// Authenticated requests still work with Redis down.
	tok, _ := env.Login(t, tn.Slug, tn.AdminEmail, apitest.Password)
	if r := down.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/me", Token: tok}); r.Status != 200 {
		t.Fatalf("me with Redis down: %d %s", r.Status, r.Body)
	}
}

func TestSessionRevocationFallsBackToPostgresWhenRedisIsDown(t *testing.T) {
	tn := env.Signup(t)
	down := env.Another(t, map[string]string{"REDIS_URL": "redis://127.0.0.1:1/0"})
	access, _ := env.Login(t, tn.Slug, tn.AdminEmail, apitest.Password)
	if r := down.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/me", Token: access}); r.Status != 200 {
		t.Fatalf("me with Redis down: %d %s", r.Status, r.Body)
	}
	if r := down.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/auth/logout", Token: access}); r.Status != 204 {
		t.Fatalf("logout with Redis down: %d", r.Status)
	}
	if r := down.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/me", Token: access}); r.Status != 401 {
		t.Fatalf("revoked session accepted with Redis down: %d", r.Status)
	}
	// The instance with Redis may have cached "ok" before; its short TTL and the
	// PostgreSQL check on a miss bound that. Here it never saw the token.
	if r := env.Do(t, apitest.Req{Method: "GET", Path: "/api/v1/me", Token: access}); r.Status != 401 {
		t.Fatalf("revoked session accepted by the Redis instance: %d", r.Status)
	}
}

// A session revoked on one instance is refused by another that had just
// accepted it: at once through the Redis notice, and within the local TTL
// (3 s) by an instance that cannot hear notices (its Redis is down).
func TestRevocationReachesOtherInstancesWithinTheBound(t *testing.T) {
	tn := env.Signup(t)
	warm := env.Another(t, nil)
	deaf := env.Another(t, map[string]string{"REDIS_URL": "redis://127.0.0.1:1/0"})
	access, _ := env.Login(t, tn.Slug, tn.AdminEmail, apitest.Password)
	me := apitest.Req{Method: "GET", Path: "/api/v1/me", Token: access}
	for _, inst := range []*apitest.Env{warm, deaf} {
		if r := inst.Do(t, me); r.Status != 200 { // each now trusts the session locally
			t.Fatalf("before logout: %d %s", r.Status, r.Body)
		}
	}
	if r := env.Do(t, apitest.Req{Method: "POST", Path: "/api/v1/auth/logout", Token: access}); r.Status != 204 {
		t.Fatalf("logout: %d", r.Status)
	}
	refusedWithin := func(inst *apitest.Env, limit time.Duration) time.Duration {
		start := time.Now()
		for time.Since(start) < limit {
			if r := inst.Do(t, me); r.Status == 401 {
				return time.Since(start)
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Fatalf("a revoked session was still accepted after %s", limit)
		return 0
	}
	if d := refusedWithin(warm, time.Second); d > time.Second {
		t.Errorf("the notified instance took %s", d)
	}
	refusedWithin(deaf, 4*time.Second) // sessionLocalTTL is 3 s
	if r := env.Do(t, me); r.Status != 401 {
		t.Fatalf("the revoking instance accepts the session: %d", r.Status)
	}
}
