package einvoice

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

	"chainstore/infra/httpsig"
	"github.com/google/uuid"
)

// DefaultTimeout bounds one call to the provider when NewClient is given 0.
const DefaultTimeout = 10 * time.Second

const maxBody = 1 << 20

// Client is the Provider over the protocol of the package doc. It is safe
// for concurrent use.
type Client struct {
	base *url.URL
	key  []byte
	hc   *http.Client
	log  *slog.Logger
	now  func() time.Time
}

var _ Provider = (*Client)(nil)

// NewClient is a client of the provider at baseURL (http or https; a path
// prefix is kept), signing with key. timeout bounds each call
// (DefaultTimeout when 0); nothing is retried by the client. It does not
// connect.
func NewClient(baseURL, key string, timeout time.Duration) (*Client, error) {
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("einvoice: provider url %q must be an http(s) URL", baseURL)
	}
	if len(key) < 16 {
		return nil, errors.New("einvoice: the provider key must be at least 16 bytes")
	}
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = (&net.Dialer{Timeout: min(timeout, 3*time.Second), KeepAlive: 30 * time.Second}).DialContext
	tr.TLSHandshakeTimeout = min(timeout, 3*time.Second)
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return &Client{base: u, key: []byte(key), hc: &http.Client{Timeout: timeout, Transport: tr}, now: time.Now}, nil
}

// WithLogger returns a copy of c that logs to l (the default is
// slog.Default at each call). It logs outcomes it could not learn, with
// ids and amounts only: never the buyer's title, tax id or email.
func (c *Client) WithLogger(l *slog.Logger) *Client {
	cp := *c
	cp.log = l
	return &cp
}

func (c *Client) logger() *slog.Logger {
	if c.log != nil {
		return c.log
	}
	return slog.Default()
}

// Issue sends r. See Provider.Issue and the package doc.
func (c *Client) Issue(ctx context.Context, r Request) (Invoice, error) {
	if err := r.Validate(); err != nil {
		return Invoice{}, err
	}
	pending := Invoice{ID: r.ID, Kind: r.Kind, OriginalID: r.OriginalID, Status: StatusPending, Total: r.Total, Tax: r.Tax()}
	unknown := func(err error) (Invoice, error) {
		c.logger().WarnContext(ctx, "einvoice: issue outcome unknown; query it or issue it again with the same id",
			"invoice_id", r.ID, "kind", r.Kind, "total", r.Total, "err", err.Error())
		return pending, fmt.Errorf("%w: issue %s: %w", ErrPending, r.ID, err)
	}
	status, data, err := c.call(ctx, http.MethodPost, "/v1/invoices", encodeRequest(r))
	if err != nil {
		return unknown(err)
	}
	if status >= 300 {
		if status >= 500 {
			return unknown(fmt.Errorf("provider answered %d", status))
		}
		return Invoice{}, refusal("issue "+r.ID.String(), status, data)
	}
	inv, err := decodeInvoice(data)
	if err == nil && (inv.ID != r.ID || inv.Kind != r.Kind || inv.Total != r.Total || !sameID(inv.OriginalID, r.OriginalID)) {
		err = fmt.Errorf("the answer is for another invoice (%s, %s, %d fen)", inv.ID, inv.Kind, inv.Total)
	}
	if err != nil {
		return unknown(err)
	}
	return inv, Outcome(inv)
}

// Query asks for invoice id. See Provider.Query.
func (c *Client) Query(ctx context.Context, id uuid.UUID) (Invoice, error) {
	status, data, err := c.call(ctx, http.MethodGet, "/v1/invoices/"+id.String(), nil)
	if err != nil {
		return Invoice{}, fmt.Errorf("%w: query %s: %w", ErrUnavailable, id, err)
	}
	if status != http.StatusOK {
		if status >= 500 {
			return Invoice{}, fmt.Errorf("%w: query %s: provider answered %d", ErrUnavailable, id, status)
		}
		return Invoice{}, refusal("query "+id.String(), status, data)
	}
	inv, err := decodeInvoice(data)
	if err == nil && inv.ID != id {
		err = fmt.Errorf("the answer is for invoice %s", inv.ID)
	}
	if err != nil {
		return Invoice{}, fmt.Errorf("%w: query %s: %w", ErrUnavailable, id, err)
	}
	return inv, nil
}

// Outcome is the error Issue returns with an invoice of inv's status: nil
// for issued, ErrPending, or ErrFailed with the reason.
func Outcome(inv Invoice) error {
	switch inv.Status {
	case StatusIssued:
		return nil
	case StatusFailed:
		return fmt.Errorf("%w: invoice %s: %s", ErrFailed, inv.ID, inv.FailReason)
	}
	return fmt.Errorf("%w: invoice %s is %s", ErrPending, inv.ID, inv.Status)
}

// call sends one signed request and returns the status and body of an
// answer whose signature holds. An error means no trustworthy answer.
func (c *Client) call(ctx context.Context, method, path string, body []byte) (int, []byte, error) {
	u := *c.base
	u.Path += path
	req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	httpsig.SignRequest(req, c.key, body, c.now())
	resp, err := c.hc.Do(req)
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
	if err := httpsig.VerifyResponse(resp, c.key, data, req.URL.EscapedPath()); err != nil {
		return 0, nil, fmt.Errorf("%s %s: answer %d not believed: %w", method, path, resp.StatusCode, err)
	}
	return resp.StatusCode, data, nil
}

// refusal turns a signed 4xx into the error for its code.
func refusal(step string, status int, data []byte) error {
	var e wireError
	_ = json.Unmarshal(data, &e)
	sentinel := ErrRejected
	switch e.Code {
	case "not_found":
		sentinel = ErrNotFound
	case "conflict":
		sentinel = ErrConflict
	case "original_not_found", "original_not_issued", "red_mismatch", "red_exceeds_original":
		sentinel = ErrRedLetter
	}
	if sentinel == ErrRejected && status == http.StatusNotFound {
		sentinel = ErrNotFound
	}
	return fmt.Errorf("%w: %s: %d %s: %s", sentinel, step, status, clip(e.Code, 64), clip(e.Message, 200))
}

func sameID(a, b *uuid.UUID) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
