package payments

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"chainstore/infra/httpsig"
	"github.com/google/uuid"
)

// answerTransport answers every request with a fixed status and body,
// correctly signed: what is left to check is the decoding.
type answerTransport struct {
	key    []byte
	status int
	body   []byte
}

func (a answerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp := &http.Response{StatusCode: a.status, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(a.body)), Request: req}
	httpsig.SignResponse(resp.Header, a.key, a.status, req.URL.EscapedPath(), a.body, time.Now())
	return resp, nil
}

// FuzzPaymentAnswers feeds any signed answer to every call: no panic, an
// approval only of the payment asked for, refunds that fit, and the code
// never in an error.
func FuzzPaymentAnswers(f *testing.F) {
	id := uuid.MustParse("01900000-0000-7000-8000-0000000000aa")
	f.Add(201, []byte(`{"id":"01900000-0000-7000-8000-0000000000aa","method":"wechat","status":"approved","amount":100,"refunded":0,"provider_ref":"R1","paid_at":"2026-01-02T03:04:05Z"}`))
	f.Add(200, []byte(`{"id":"01900000-0000-7000-8000-0000000000aa","method":"wechat","status":"declined","amount":100,"decline_code":"insufficient_funds","decline_message":"134567890123456789"}`))
	f.Add(200, []byte(`{"id":"01900000-0000-7000-8000-0000000000aa","status":"cancelled","amount":0,"refunded":0}`))
	f.Add(201, []byte(`{"id":"01900000-0000-7000-8000-0000000000bb","payment_id":"01900000-0000-7000-8000-0000000000aa","amount":50,"status":"refunded","refunded_at":"2026-01-02T03:04:05Z"}`))
	f.Add(422, []byte(`{"code":"over_refund","message":"134567890123456789 too much"}`))
	f.Add(409, []byte(`{"code":"conflict"}`))
	f.Add(200, []byte(`{"id":"01900000-0000-7000-8000-0000000000aa","method":"card","status":"refunded","amount":-1,"refunded":-1,"last4":"12345"}`))
	f.Add(500, []byte(`null`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 999 {
			return // not an HTTP status; net/http never delivers one
		}
		key := []byte("0123456789abcdef")
		g, err := NewGateway("http://gateway.test", "m", string(key), time.Second)
		if err != nil {
			t.Fatal(err)
		}
		g.hc.Transport = answerTransport{key: key, status: status, body: body}
		g.log = discard
		ctx := context.Background()
		const code = "134567890123456789"
		r := PayRequest{ID: id, Method: MethodWeChat, Amount: 100, AuthCode: code, StoreID: id, RegisterID: id}
		p, err := g.Pay(ctx, r)
		if err == nil && (p.Status != StatusApproved || p.ID != id || p.Amount != 100) {
			t.Fatalf("Pay without error gave %+v", p)
		}
		if err != nil && strings.Contains(err.Error(), code) || strings.Contains(p.DeclineMessage, code) {
			t.Fatalf("the code leaked: %v / %q", err, p.DeclineMessage)
		}
		if errors.Is(err, ErrPending) && p.Status != StatusPending {
			t.Fatalf("ErrPending with status %s", p.Status)
		}
		if q, err := g.Query(ctx, id); err == nil && (q.ID != id || q.Refunded < 0 || q.Refunded > q.Amount || !q.Status.Valid()) {
			t.Fatalf("Query gave %+v", q)
		}
		rr := RefundRequest{ID: uuid.New(), PaymentID: id, Amount: 50}
		if rf, err := g.Refund(ctx, rr); err == nil && (rf.ID != rr.ID || rf.Amount != 50 || rf.Status != StatusRefunded) {
			t.Fatalf("Refund gave %+v", rf)
		}
		if c, err := g.Cancel(ctx, id); err == nil && c.Status != StatusCancelled && c.Status != StatusDeclined {
			t.Fatalf("Cancel gave %+v", c)
		}
	})
}

var discard = slog.New(slog.DiscardHandler)
