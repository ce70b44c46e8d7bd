package payments

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"chainstore/infra/httpsig"
	"github.com/google/uuid"
)

// DefaultTimeout bounds one call to the gateway when NewGateway is given 0.
const DefaultTimeout = 8 * time.Second

// maxBody bounds an answer read from the gateway.
const maxBody = 1 << 20

// Gateway is the Provider over the gateway protocol of the package doc.
// It is safe for concurrent use.
type Gateway struct {
	base     *url.URL
	merchant string
	key      []byte
	hc       *http.Client
	log      *slog.Logger
	now      func() time.Time
}

var _ Provider = (*Gateway)(nil)

// NewGateway is a client of the gateway at baseURL (http or https; a path
// prefix is kept) for merchantID, signing with key. timeout bounds each
// call, connection included (DefaultTimeout when 0); the client never
// retries a Pay. It does not connect.
func NewGateway(baseURL, merchantID, key string, timeout time.Duration) (*Gateway, error) {
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("payments: gateway url %q must be an http(s) URL", baseURL)
	}
	if merchantID == "" {
		return nil, errors.New("payments: merchant id is required")
	}
	if len(key) < 16 {
		return nil, errors.New("payments: the gateway key must be at least 16 bytes")
	}
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = (&net.Dialer{Timeout: min(timeout, 3*time.Second), KeepAlive: 30 * time.Second}).DialContext
	tr.TLSHandshakeTimeout = min(timeout, 3*time.Second)
	tr.MaxIdleConnsPerHost = 16
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return &Gateway{
		base:     u,
		merchant: merchantID,
		key:      []byte(key),
		hc:       &http.Client{Timeout: timeout, Transport: tr},
		now:      time.Now,
	}, nil
}

// WithLogger returns a copy of g that logs to l (the default is
// slog.Default at each call). It logs only outcomes it could not learn,
// with masked codes.
func (g *Gateway) WithLogger(l *slog.Logger) *Gateway {
	c := *g
	c.log = l
	return &c
}

func (g *Gateway) logger() *slog.Logger {
	if g.log != nil {
		return g.log
	}
	return slog.Default()
}

// Pay sends r once. See Provider.Pay and the package doc.
func (g *Gateway) Pay(ctx context.Context, r PayRequest) (Payment, error) {
	if err := r.Validate(); err != nil {
		return Payment{}, err
	}
	pending := Payment{ID: r.ID, Method: r.Method, Status: StatusPending, Amount: r.Amount}
	body, _ := json.Marshal(wirePayRequest{
		ID: r.ID.String(), Method: string(r.Method), Amount: r.Amount, AuthCode: r.AuthCode,
		StoreID: r.StoreID.String(), RegisterID: r.RegisterID.String(), Description: r.Description,
	})
	unknown := func(err error) (Payment, error) {
		g.logger().WarnContext(ctx, "payments: pay outcome unknown; the caller must query",
			"payment", r, "err", err.Error())
		return pending, fmt.Errorf("%w: pay %s: %w", ErrPending, r.ID, err)
	}
	status, data, err := g.call(ctx, http.MethodPost, "/v1/payments", body)
	if err != nil {
		return unknown(err)
	}
	if status >= 300 {
		if status >= 500 {
			return unknown(fmt.Errorf("gateway answered %d", status))
		}
		return Payment{}, refusal("pay "+r.ID.String(), status, data, r.AuthCode)
	}
	p, err := decodePayment(data)
	if err != nil {
		return unknown(err)
	}
	// An id cancelled before this Pay arrived has no method or amount;
	// any other answer must be the payment asked for.
	tombstone := p.Status == StatusCancelled && p.Amount == 0
	if p.ID != r.ID || !tombstone && (p.Amount != r.Amount || p.Method != r.Method) {
		return unknown(fmt.Errorf("the answer is for another payment (%s, %d fen)", p.ID, p.Amount))
	}
	p.DeclineMessage = scrub(p.DeclineMessage, r.AuthCode)
	p.DeclineCode = scrub(p.DeclineCode, r.AuthCode)
	return p, Outcome(p)
}

// Query asks for payment id. See Provider.Query.
func (g *Gateway) Query(ctx context.Context, id uuid.UUID) (Payment, error) {
	status, data, err := g.call(ctx, http.MethodGet, "/v1/payments/"+id.String(), nil)
	if err != nil {
		return Payment{}, fmt.Errorf("%w: query %s: %w", ErrUnavailable, id, err)
	}
	if status != http.StatusOK {
		if status >= 500 {
			return Payment{}, fmt.Errorf("%w: query %s: gateway answered %d", ErrUnavailable, id, status)
		}
		return Payment{}, refusal("query "+id.String(), status, data, "")
	}
	p, err := decodePayment(data)
	if err == nil && p.ID != id {
		err = fmt.Errorf("the answer is for payment %s", p.ID)
	}
	if err != nil {
		return Payment{}, fmt.Errorf("%w: query %s: %w", ErrUnavailable, id, err)
	}
	return p, nil
}

// Refund asks for r once. See Provider.Refund.
func (g *Gateway) Refund(ctx context.Context, r RefundRequest) (Refund, error) {
	if err := r.Validate(); err != nil {
		return Refund{}, err
	}
	pending := Refund{ID: r.ID, PaymentID: r.PaymentID, Amount: r.Amount, Status: StatusPending}
	unknown := func(err error) (Refund, error) {
		g.logger().WarnContext(ctx, "payments: refund outcome unknown; repeat it with the same id",
			"refund_id", r.ID, "payment_id", r.PaymentID, "amount", r.Amount, "err", err.Error())
		return pending, fmt.Errorf("%w: refund %s: %w", ErrPending, r.ID, err)
	}
	body, _ := json.Marshal(wireRefundRequest{ID: r.ID.String(), Amount: r.Amount, Reason: r.Reason})
	status, data, err := g.call(ctx, http.MethodPost, "/v1/payments/"+r.PaymentID.String()+"/refunds", body)
	if err != nil {
		return unknown(err)
	}
	if status >= 300 {
		if status >= 500 {
			return unknown(fmt.Errorf("gateway answered %d", status))
		}
		return Refund{}, refusal("refund "+r.ID.String(), status, data, "")
	}
	rf, err := decodeRefund(data)
	if err != nil {
		return unknown(err)
	}
	if rf.ID != r.ID || rf.PaymentID != r.PaymentID || rf.Amount != r.Amount {
		return unknown(fmt.Errorf("the answer is for another refund (%s of %s, %d fen)", rf.ID, rf.PaymentID, rf.Amount))
	}
	if rf.Status == StatusPending {
		return rf, fmt.Errorf("%w: refund %s: the provider says pending", ErrPending, r.ID)
	}
	return rf, nil
}

// Cancel asks for payment id to hold no money. See Provider.Cancel.
func (g *Gateway) Cancel(ctx context.Context, id uuid.UUID) (Payment, error) {
	pending := Payment{ID: id, Status: StatusPending}
	unknown := func(err error) (Payment, error) {
		g.logger().WarnContext(ctx, "payments: cancel outcome unknown; repeat it", "payment_id", id, "err", err.Error())
		return pending, fmt.Errorf("%w: cancel %s: %w", ErrPending, id, err)
	}
	status, data, err := g.call(ctx, http.MethodPost, "/v1/payments/"+id.String()+"/cancel", nil)
	if err != nil {
		return unknown(err)
	}
	if status >= 300 {
		if status >= 500 {
			return unknown(fmt.Errorf("gateway answered %d", status))
		}
		return Payment{}, refusal("cancel "+id.String(), status, data, "")
	}
	p, err := decodePayment(data)
	if err == nil && p.ID != id {
		err = fmt.Errorf("the answer is for payment %s", p.ID)
	}
	if err != nil {
		return unknown(err)
	}
	switch p.Status {
	case StatusCancelled, StatusDeclined:
		return p, nil
	case StatusPending:
		return p, fmt.Errorf("%w: cancel %s: the provider says pending", ErrPending, id)
	}
	return unknown(fmt.Errorf("the gateway answered a cancel with status %s", p.Status))
}

// call sends one signed request and returns the status and body of an
// answer whose signature holds. An error means no trustworthy answer.
func (g *Gateway) call(ctx context.Context, method, path string, body []byte) (int, []byte, error) {
	u := *g.base
	u.Path += path
	// No Idempotency-Key header: with one, net/http would replay a POST on
	// a broken keep-alive connection, and a Pay is never retried for the
	// caller.
	req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-Merchant-Id", g.merchant)
	httpsig.SignRequest(req, g.key, body, g.now())
	resp, err := g.hc.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return 0, nil, fmt.Errorf("%s %s: reading the answer: %w", method, path, err)
	}
	if len(data) > maxBody {
		return 0, nil, fmt.Errorf("%s %s: the answer is larger than %d bytes", method, path, maxBody)
	}
	if err := httpsig.VerifyResponse(resp, g.key, data, req.URL.EscapedPath()); err != nil {
		return 0, nil, fmt.Errorf("%s %s: answer %d not believed: %w", method, path, resp.StatusCode, err)
	}
	return resp.StatusCode, data, nil
}

// refusal turns a signed 4xx into the error for its code, with the
// gateway's message (cleared of code, in case the gateway repeats it).
func refusal(step string, status int, data []byte, code string) error {
	var e wireError
	_ = json.Unmarshal(data, &e)
	msg := scrub(clip(e.Message, 200), code)
	sentinel := ErrRejected
	switch e.Code {
	case "not_found":
		sentinel = ErrNotFound
	case "conflict":
		sentinel = ErrConflict
	case "over_refund":
		sentinel = ErrOverRefund
	case "not_refundable", "not_cancellable":
		sentinel = ErrState
	}
	if sentinel == ErrRejected && status == http.StatusNotFound {
		sentinel = ErrNotFound
	}
	return fmt.Errorf("%w: %s: %d %s: %s", sentinel, step, status, scrub(clip(e.Code, 64), code), msg)
}

// scrub replaces code in s by its mask: a gateway's message may repeat the
// customer's code, and nothing of ours prints it.
func scrub(s, code string) string {
	if code == "" {
		return s
	}
	return strings.ReplaceAll(s, code, MaskCode(code))
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s + "…"
}
