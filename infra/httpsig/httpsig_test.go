package httpsig

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestRequestSignature(t *testing.T) {
	key := []byte("0123456789abcdef")
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"amount":100}`)
	signed := func() *http.Request {
		r := httptest.NewRequest(http.MethodPost, "http://gw.test/api/v1/payments?x=1", strings.NewReader(string(body)))
		SignRequest(r, key, body, now)
		return r
	}
	if err := VerifyRequest(signed(), key, body, now.Add(MaxSkew)); err != nil {
		t.Fatalf("a fresh request failed: %v", err)
	}
	for name, c := range map[string]struct {
		mutate func(*http.Request)
		body   string
		at     time.Time
		want   error
	}{
		"other body":    {body: `{"amount":1}`, at: now, want: ErrSignature},
		"other method":  {mutate: func(r *http.Request) { r.Method = http.MethodPut }, body: string(body), at: now, want: ErrSignature},
		"other path":    {mutate: func(r *http.Request) { r.URL.Path = "/api/v1/refunds" }, body: string(body), at: now, want: ErrSignature},
		"other key":     {mutate: func(r *http.Request) { SignRequest(r, []byte("another key....."), body, now) }, body: string(body), at: now, want: ErrSignature},
		"no signature":  {mutate: func(r *http.Request) { r.Header.Del(HeaderSignature) }, body: string(body), at: now, want: ErrSignature},
		"too old":       {body: string(body), at: now.Add(MaxSkew + time.Second), want: ErrStale},
		"too new":       {body: string(body), at: now.Add(-MaxSkew - time.Second), want: ErrStale},
		"no timestamp":  {mutate: func(r *http.Request) { r.Header.Del(HeaderTimestamp) }, body: string(body), at: now, want: ErrStale},
		"moved in time": {mutate: func(r *http.Request) { r.Header.Set(HeaderTimestamp, strconv.FormatInt(now.Unix()+1, 10)) }, body: string(body), at: now, want: ErrSignature},
	} {
		r := signed()
		if c.mutate != nil {
			c.mutate(r)
		}
		if err := VerifyRequest(r, key, []byte(c.body), c.at); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", name, err, c.want)
		}
	}
}

func TestResponseSignature(t *testing.T) {
	key := []byte("0123456789abcdef")
	body := []byte(`{"status":"approved"}`)
	resp := &http.Response{StatusCode: 201, Header: http.Header{}}
	SignResponse(resp.Header, key, 201, "/v1/payments", body, time.Now())
	if err := VerifyResponse(resp, key, body, "/v1/payments"); err != nil {
		t.Fatalf("a signed response failed: %v", err)
	}
	if err := VerifyResponse(resp, key, body, "/v1/payments/x"); !errors.Is(err, ErrSignature) {
		t.Errorf("another path: %v", err)
	}
	resp.StatusCode = 200
	if err := VerifyResponse(resp, key, body, "/v1/payments"); !errors.Is(err, ErrSignature) {
		t.Errorf("another status: %v", err)
	}
	// A response's signature never verifies as a request's.
	r := httptest.NewRequest(http.MethodPost, "http://gw.test/v1/payments", nil)
	r.Header = resp.Header
	if err := VerifyRequest(r, key, body, time.Now()); err == nil {
		t.Error("a response signature passed as a request's")
	}
}
