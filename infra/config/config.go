// Package config reads the process configuration from environment variables,
// applies local defaults so `make run` needs none, and validates everything at
// start so a bad value fails with a message naming the variable.
package config

import (
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is the whole process configuration. Secrets (key material) live in
// Keys and are never printed.
type Config struct {
	Env                  string // "development" or "production"
	DatabaseURL          string // the server's connection, as the app role
	MigrationDatabaseURL string // the schema owner's connection, for migrate
	AppRole              string // the NOSUPERUSER NOBYPASSRLS role the server uses
	AppRolePassword      string
	RedisURL             string
	HTTPAddr             string
	DataDir              string
	ConsoleOrigins       []string
	ConsoleDir           string // the built web console (index.html, assets/), served at /
	BodyLimit            int
	UploadBodyLimit      int
	ReadTimeout          time.Duration
	WriteTimeout         time.Duration
	IdleTimeout          time.Duration
	ShutdownTimeout      time.Duration
	AccessTokenTTL       time.Duration
	RefreshTokenTTL      time.Duration
	JWTIssuer            string
	JWTAudience          string
	LoginLimitPerAccount int // attempts per LoginLimitWindow
	LoginLimitPerIP      int
	LoginLimitWindow     time.Duration
	TrustedProxies       []string
	DBMaxConns           int
	PolicyPollInterval   time.Duration
	JobWorkers           int
	MetricsToken         string // secret: Bearer token /metrics requires when set
	LogLevel             string

	// Subscription billing (modules/billing). With no StripeSecretKey the
	// billing endpoints answer 503 billing.not_configured; trials still work.
	StripeAPIURL           string        // Stripe's API, or stripe-mock in tests
	BillingGracePeriod     time.Duration // how long past_due keeps full access
	BillingTrialDays       int
	BillingSuccessURL      string // Checkout redirects, customer portal return
	BillingCancelURL       string
	BillingPortalReturnURL string

	// The POS's providers (infra/payments, infra/einvoice). Without a
	// gateway URL the tills take no external tenders; without an e-invoice
	// URL they offer no fapiao.
	PaymentsGatewayURL string
	PaymentsMerchantID string
	PaymentsTimeout    time.Duration
	EinvoiceURL        string
	// InvoiceLinkURL is the page a receipt's QR code opens to ask for a
	// fapiao (the console's /fapiao by default).
	InvoiceLinkURL string

	// Key material; empty means "generate under DataDir" (development only).
	JWTSigningKeys string
	PIIKeys        string
	PIIIndexKey    string
	// Stripe secrets: never logged, never put in an error message.
	StripeSecretKey     string
	StripeWebhookSecret string
	// Provider secrets, likewise.
	PaymentsKey string
	EinvoiceKey string
}

// Error names the variable that is wrong and why.
type Error struct {
	Var    string
	Reason string
}

func (e *Error) Error() string { return fmt.Sprintf("config: %s: %s", e.Var, e.Reason) }

// Load reads the environment through getenv (os.Getenv in production code,
// a map in tests).
func Load(getenv func(string) string) (*Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	r := reader{getenv: getenv}
	c := &Config{
		Env:                  r.oneOf("APP_ENV", "development", "development", "production", "test"),
		DatabaseURL:          r.str("DATABASE_URL", "postgres://chainstore_app:chainstore_app@127.0.0.1:5432/chainstore?sslmode=disable"),
		RedisURL:             r.str("REDIS_URL", "redis://127.0.0.1:6379/0"),
		HTTPAddr:             r.str("HTTP_ADDR", ":8080"),
		DataDir:              r.str("DATA_DIR", ".data"),
		ConsoleOrigins:       r.list("CONSOLE_ORIGINS", "http://localhost:5173,http://127.0.0.1:5173"),
		ConsoleDir:           r.str("CONSOLE_DIR", "frontend/dist"),
		BodyLimit:            r.integer("HTTP_BODY_LIMIT", 1<<20, 1024, 1<<30),
		UploadBodyLimit:      r.integer("HTTP_UPLOAD_LIMIT", 64<<20, 1024, 1<<30),
		ReadTimeout:          r.duration("HTTP_READ_TIMEOUT", 15*time.Second),
		WriteTimeout:         r.duration("HTTP_WRITE_TIMEOUT", 30*time.Second),
		IdleTimeout:          r.duration("HTTP_IDLE_TIMEOUT", 120*time.Second),
		ShutdownTimeout:      r.duration("SHUTDOWN_TIMEOUT", 25*time.Second),
		AccessTokenTTL:       r.duration("ACCESS_TOKEN_TTL", 15*time.Minute),
		RefreshTokenTTL:      r.duration("REFRESH_TOKEN_TTL", 30*24*time.Hour),
		JWTIssuer:            r.str("JWT_ISSUER", "chainstore"),
		JWTAudience:          r.str("JWT_AUDIENCE", "chainstore-api"),
		LoginLimitPerAccount: r.integer("LOGIN_LIMIT_PER_ACCOUNT", 10, 1, 1_000_000),
		LoginLimitPerIP:      r.integer("LOGIN_LIMIT_PER_IP", 100, 1, 1_000_000),
		LoginLimitWindow:     r.duration("LOGIN_LIMIT_WINDOW", 15*time.Minute),
		TrustedProxies:       r.list("TRUSTED_PROXIES", ""),
		DBMaxConns:           r.integer("DB_MAX_CONNS", 20, 1, 1000),
		PolicyPollInterval:   r.duration("POLICY_POLL_INTERVAL", 5*time.Second),
		JobWorkers:           r.integer("JOB_WORKERS", 4, 1, 100),
		MetricsToken:         getenv("METRICS_TOKEN"),
		LogLevel:             r.oneOf("LOG_LEVEL", "info", "debug", "info", "warn", "error"),
		JWTSigningKeys:       getenv("JWT_SIGNING_KEYS"),
		PIIKeys:              getenv("PII_KEYS"),
		PIIIndexKey:          getenv("PII_INDEX_KEY"),
	}
	c.StripeSecretKey = strings.TrimSpace(getenv("STRIPE_SECRET_KEY"))
	c.StripeWebhookSecret = strings.TrimSpace(getenv("STRIPE_WEBHOOK_SECRET"))
	c.StripeAPIURL = r.str("STRIPE_API_URL", "https://api.stripe.com")
	c.BillingGracePeriod = r.duration("BILLING_GRACE_PERIOD", 7*24*time.Hour)
	c.BillingTrialDays = r.integer("BILLING_TRIAL_DAYS", 14, 1, 365)
	c.BillingSuccessURL = r.str("BILLING_SUCCESS_URL", "http://localhost:5173/billing?checkout=success")
	c.BillingCancelURL = r.str("BILLING_CANCEL_URL", "http://localhost:5173/billing?checkout=canceled")
	c.BillingPortalReturnURL = r.str("BILLING_PORTAL_RETURN_URL", "http://localhost:5173/billing")
	c.PaymentsGatewayURL = strings.TrimSpace(getenv("PAYMENTS_GATEWAY_URL"))
	c.PaymentsMerchantID = strings.TrimSpace(getenv("PAYMENTS_MERCHANT_ID"))
	c.PaymentsKey = strings.TrimSpace(getenv("PAYMENTS_KEY"))
	c.PaymentsTimeout = r.duration("PAYMENTS_TIMEOUT", 8*time.Second)
	c.EinvoiceURL = strings.TrimSpace(getenv("EINVOICE_URL"))
	c.EinvoiceKey = strings.TrimSpace(getenv("EINVOICE_KEY"))
	c.InvoiceLinkURL = r.str("INVOICE_LINK_URL", "http://localhost:8080/fapiao")
	if c.PaymentsGatewayURL != "" && (c.PaymentsMerchantID == "" || c.PaymentsKey == "") {
		r.fail("PAYMENTS_GATEWAY_URL", "needs PAYMENTS_MERCHANT_ID and PAYMENTS_KEY")
	}
	if c.EinvoiceURL != "" && c.EinvoiceKey == "" {
		r.fail("EINVOICE_URL", "needs EINVOICE_KEY")
	}
	for _, v := range []string{"STRIPE_API_URL", "BILLING_SUCCESS_URL", "BILLING_CANCEL_URL", "BILLING_PORTAL_RETURN_URL", "INVOICE_LINK_URL"} {
		if u, err := url.Parse(r.str(v, "http://default")); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			r.fail(v, "must be an http(s) URL")
		}
	}
	r.postgresURL("DATABASE_URL", c.DatabaseURL)
	c.MigrationDatabaseURL = getenv("MIGRATION_DATABASE_URL")
	if c.MigrationDatabaseURL == "" {
		c.MigrationDatabaseURL = OwnerURLFrom(c.DatabaseURL)
	}
	r.postgresURL("MIGRATION_DATABASE_URL", c.MigrationDatabaseURL)
	if u, err := url.Parse(c.DatabaseURL); err == nil && u.User != nil {
		c.AppRole = u.User.Username()
		c.AppRolePassword, _ = u.User.Password()
	}
	if c.AppRole == "" {
		r.fail("DATABASE_URL", "must name the app role as its user (for example chainstore_app)")
	}
	if u, err := url.Parse(c.RedisURL); err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") {
		r.fail("REDIS_URL", "must be a redis:// or rediss:// URL")
	}
	if c.Env == "production" {
		for name, v := range map[string]string{"JWT_SIGNING_KEYS": c.JWTSigningKeys, "PII_KEYS": c.PIIKeys, "PII_INDEX_KEY": c.PIIIndexKey} {
			if v == "" {
				r.fail(name, "is required when APP_ENV=production (generated keys are for local runs only)")
			}
		}
		if len(c.MetricsToken) < 16 {
			r.fail("METRICS_TOKEN", "is required when APP_ENV=production (16+ characters; the scraper sends it as a Bearer token)")
		}
	}
	if c.AccessTokenTTL < time.Minute || c.AccessTokenTTL > time.Hour {
		r.fail("ACCESS_TOKEN_TTL", "must be between 1m and 1h")
	}
	if r.err != nil {
		return nil, r.err
	}
	return c, nil
}

// OwnerURLFrom derives the schema owner's URL from the app's: same server and
// database, user swapped for the local superuser `postgres` without password.
func OwnerURLFrom(appURL string) string {
	u, err := url.Parse(appURL)
	if err != nil {
		return appURL
	}
	u.User = url.User("postgres")
	return u.String()
}

type reader struct {
	getenv func(string) string
	err    error
}

func (r *reader) fail(name, reason string) {
	if r.err == nil {
		r.err = &Error{Var: name, Reason: reason}
	}
}

func (r *reader) str(name, def string) string {
	if v := strings.TrimSpace(r.getenv(name)); v != "" {
		return v
	}
	return def
}

func (r *reader) list(name, def string) []string {
	var out []string
	for _, p := range strings.Split(r.str(name, def), ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (r *reader) oneOf(name, def string, allowed ...string) string {
	v := r.str(name, def)
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	r.fail(name, fmt.Sprintf("must be one of %s, got %q", strings.Join(allowed, ", "), v))
	return def
}

func (r *reader) integer(name string, def, lo, hi int) int {
	raw := r.getenv(name)
	if raw == "" {
		return def
	}
	n, err := strconv.Atoi(strings.TrimSpace(raw))
	if err != nil || n < lo || n > hi {
		r.fail(name, fmt.Sprintf("must be an integer between %d and %d, got %q", lo, hi, raw))
		return def
	}
	return n
}

func (r *reader) duration(name string, def time.Duration) time.Duration {
	raw := r.getenv(name)
	if raw == "" {
		return def
	}
	d, err := time.ParseDuration(strings.TrimSpace(raw))
	if err != nil || d <= 0 {
		r.fail(name, fmt.Sprintf("must be a positive Go duration such as 15s or 10m, got %q", raw))
		return def
	}
	return d
}

func (r *reader) postgresURL(name, v string) {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" {
		r.fail(name, "must be a postgres:// URL with a host")
	}
}
