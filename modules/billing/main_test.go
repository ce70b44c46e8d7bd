package billing_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"chainstore/api/apitest"
	"chainstore/migrations/testdb"
)

// stripeMockVersion is the pinned stripe-mock (also in .ci/run and the Makefile).
const stripeMockVersion = "v0.203.0"

const webhookSecret = "whsec_test_chainstore"

var (
	env  *apitest.Env
	fake *fakeStripe
)

// TestMain starts stripe-mock (installing the pinned version with go
// install when it is missing), puts a recording proxy in front of it, and
// wires the server against that proxy.
func TestMain(m *testing.M) {
	flag.Parse()
	if f := flag.Lookup("test.fuzzworker"); f != nil && f.Value.String() == "true" {
		os.Exit(m.Run()) // fuzz workers run only the fuzz target, which needs no server
	}
	ctx := context.Background()
	mockURL, stop, err := startStripeMock(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "stripe-mock:", err)
		os.Exit(1)
	}
	fake = newFakeStripe(mockURL)
	db, err := testdb.Create(ctx, "billing")
	if err != nil {
		stop()
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	env, err = apitest.New(ctx, db, map[string]string{
		"STRIPE_SECRET_KEY": "sk_test_chainstore", "STRIPE_WEBHOOK_SECRET": webhookSecret, "STRIPE_API_URL": fake.URL,
	})
	code := 1
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
	} else {
		code = m.Run()
		env.Close()
	}
	_ = db.Drop(ctx)
	fake.Close()
	stop()
	os.Exit(code)
}

func startStripeMock(ctx context.Context) (string, func(), error) {
	if u := os.Getenv("STRIPE_MOCK_URL"); u != "" { // CI may run one already
		return u, func() {}, waitFor(u)
	}
	bin, err := stripeMockBinary(ctx)
	if err != nil {
		return "", nil, err
	}
	httpPort, err := freePort()
	if err != nil {
		return "", nil, err
	}
	httpsPort, err := freePort()
	if err != nil {
		return "", nil, err
	}
	cmd := exec.Command(bin, "-http-addr", "127.0.0.1:"+httpPort, "-https-addr", "127.0.0.1:"+httpsPort)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	dieWithParent(cmd)
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop := func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }
	u := "http://127.0.0.1:" + httpPort
	if err := waitFor(u); err != nil {
		stop()
		return "", nil, err
	}
	return u, stop, nil
}

func stripeMockBinary(ctx context.Context) (string, error) {
	if p, err := exec.LookPath("stripe-mock"); err == nil {
		return p, nil
	}
	out, err := exec.CommandContext(ctx, "go", "env", "GOPATH").Output()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(strings.TrimSpace(strings.Split(string(out), string(os.PathListSeparator))[0]), "bin", "stripe-mock")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	install := exec.CommandContext(ctx, "go", "install", "github.com/stripe/stripe-mock@"+stripeMockVersion)
	install.Stdout, install.Stderr = os.Stderr, os.Stderr
	if err := install.Run(); err != nil {
		return "", fmt.Errorf("go install stripe-mock: %w", err)
	}
	return bin, nil
}

func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	_, port, err := net.SplitHostPort(l.Addr().String())
	return port, err
}

func waitFor(u string) error {
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		req, _ := http.NewRequest(http.MethodGet, u+"/v1/customers", nil)
		req.SetBasicAuth("sk_test_probe", "")
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return errors.New("stripe-mock did not answer at " + u)
}

// fakeStripe forwards to stripe-mock (which checks request shapes) and
// records every request. stripe-mock keeps no state, so GET
// /v1/subscriptions/{id} answers from subs when the test has set one: that
// is "Stripe's current state" the webhook handler must read.
type fakeStripe struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []recorded
	subs map[string]fakeSub
}

type recorded struct {
	Method, Path, IdempotencyKey string
	Form                         url.Values
}

type fakeSub struct {
	Customer, Status, Item, Price string
	Quantity                      int
	PeriodEnd                     int64
}

func newFakeStripe(mockURL string) *fakeStripe {
	target, _ := url.Parse(mockURL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	f := &fakeStripe{subs: map[string]fakeSub{}}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		f.mu.Lock()
		f.reqs = append(f.reqs, recorded{Method: r.Method, Path: r.URL.Path, IdempotencyKey: r.Header.Get("Idempotency-Key"), Form: form})
		sub, ok := f.subs[strings.TrimPrefix(r.URL.Path, "/v1/subscriptions/")]
		f.mu.Unlock()
		if r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/v1/subscriptions/") && ok {
			id := strings.TrimPrefix(r.URL.Path, "/v1/subscriptions/")
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]any{
				"id": id, "object": "subscription", "status": sub.Status, "customer": sub.Customer,
				"created": time.Now().Unix(), "current_period_end": sub.PeriodEnd, "canceled_at": 0,
				"items": map[string]any{"object": "list", "data": []any{map[string]any{
					"id": sub.Item, "object": "subscription_item", "quantity": sub.Quantity,
					"price": map[string]any{"id": sub.Price, "object": "price"},
				}}},
			})
			return
		}
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		r.Host = target.Host
		proxy.ServeHTTP(w, r)
	}))
	return f
}

func (f *fakeStripe) setSub(id string, s fakeSub) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.subs[id] = s
}

// since returns the requests recorded from mark on (mark = f.mark()).
func (f *fakeStripe) since(mark int) []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recorded(nil), f.reqs[mark:]...)
}

func (f *fakeStripe) mark() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.reqs)
}

// sign makes a Stripe-Signature header for payload at time ts.
func sign(payload []byte, secret string, ts time.Time) string {
	t := fmt.Sprint(ts.Unix())
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(t + "." + string(payload)))
	return "t=" + t + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// event builds a Stripe event of API version 2023-10-16.
func event(id, typ string, created time.Time, object map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{
		"id": id, "object": "event", "api_version": "2023-10-16", "created": created.Unix(), "type": typ,
		"livemode": false, "pending_webhooks": 1, "data": map[string]any{"object": object},
	})
	return b
}

// deliver posts a signed event to /webhooks/stripe.
func deliver(t *testing.T, payload []byte) *apitest.Response {
	t.Helper()
	return env.Do(t, apitest.Req{Method: http.MethodPost, Path: "/webhooks/stripe", RawBody: payload,
		Header: map[string]string{"Stripe-Signature": sign(payload, webhookSecret, time.Now())}})
}
