// Package einvoicetest is a fake e-invoice provider for tests: an httptest
// server that speaks the einvoice protocol, checks every request's
// signature and timestamp, signs every answer and keeps the provider's
// rules: numbers are sequential, an id is issued once (the same id with
// another request is a conflict), a line's net and tax are the one
// rounding, and a red invoice names an issued blue one of the same seller
// and buyer and, with the other red invoices of that blue one, does not
// reverse more than its total. It can be told to fail, to be slow or to
// hold invoices pending, and counts what it did. Safe for concurrent use;
// when the test ends it fails the test if an id was issued twice or a blue
// invoice over-reversed.
package einvoicetest

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"chainstore/infra/einvoice"
	"chainstore/infra/httpsig"
	"github.com/google/uuid"
)

// Server is the fake provider. URL and Key are what a Client needs; Client
// makes one.
type Server struct {
	URL string
	Key string

	t    testing.TB
	srv  *httptest.Server
	done chan struct{}

	mu       sync.Mutex
	invoices map[uuid.UUID]*record
	seq      int
	fail     string
	slow     time.Duration
	hold     bool
	rejected int
}

// record is one invoice id as the fake knows it.
type record struct {
	w      wireInvoice
	hash   [32]byte // of the request, to tell a repeat from a conflict
	seller string
	buyer  string
	issues int // numbers given to the id
	calls  int // Issue requests naming the id
}

// New starts a fake provider for the test and stops it when the test ends.
func New(t testing.TB) *Server {
	t.Helper()
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	s := &Server{Key: hex.EncodeToString(key), t: t, done: make(chan struct{}), invoices: map[uuid.UUID]*record{}}
	api := http.NewServeMux()
	api.HandleFunc("POST /v1/invoices", s.issue)
	api.HandleFunc("GET /v1/invoices/{id}", s.query)
	mux := http.NewServeMux()
	mux.Handle("/v1/", s.verify(api))
	mux.HandleFunc("GET /files/{file}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		_, _ = io.WriteString(w, "%PDF-1.4\n% einvoicetest placeholder\n%%EOF\n")
	})
	s.srv = httptest.NewServer(mux)
	s.URL = s.srv.URL
	t.Cleanup(func() {
		close(s.done)
		s.srv.Close()
		s.check()
	})
	return s
}

// Client is a client of s with the given timeout (0: the default).
func (s *Server) Client(timeout time.Duration) *einvoice.Client {
	s.t.Helper()
	c, err := einvoice.NewClient(s.URL, s.Key, timeout)
	if err != nil {
		s.t.Fatalf("einvoicetest: %v", err)
	}
	return c
}

// Fail makes every issue from now on end failed with reason (as the tax
// bureau refusing it); "" stops. A failed id is attempted again when it is
// issued again.
func (s *Server) Fail(reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = reason
}

// Slow makes every issue from now on take effect at once and answer after
// d (dropped if the client hangs up first); 0 stops.
func (s *Server) Slow(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.slow = d
}

// Hold makes every new invoice from now on stay pending until Release;
// false stops (held invoices stay held).
func (s *Server) Hold(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hold = on
}

// Release issues a held invoice (a failed one, when failures are on). It
// is an error unless id is pending.
func (s *Server) Release(id uuid.UUID) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.invoices[id]
	if rec == nil || rec.w.Status != string(einvoice.StatusPending) {
		return fmt.Errorf("einvoicetest: invoice %s is not pending", id)
	}
	s.complete(rec)
	return nil
}

// Issued is how many numbers id was given: 0 or 1, or the fake (and the
// test) fails.
func (s *Server) Issued(id uuid.UUID) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rec := s.invoices[id]; rec != nil {
		return rec.issues
	}
	return 0
}

// Calls is how many Issue requests named id, repeats included.
func (s *Server) Calls(id uuid.UUID) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rec := s.invoices[id]; rec != nil {
		return rec.calls
	}
	return 0
}

// Count is how many invoice numbers were given out.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seq
}

// Reversed is the fen the red invoices (issued or pending) of blue invoice
// id reverse, as a positive sum.
func (s *Server) Reversed(id uuid.UUID) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reversed(id)
}

// Rejected is how many requests were refused for their signature or
// timestamp.
func (s *Server) Rejected() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rejected
}

// Invoice is the fake's record of id.
func (s *Server) Invoice(id uuid.UUID) (einvoice.Invoice, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.invoices[id]
	if rec == nil {
		return einvoice.Invoice{}, false
	}
	w := rec.w
	inv := einvoice.Invoice{ID: id, Kind: einvoice.Kind(w.Kind), Status: einvoice.Status(w.Status), Number: w.Number,
		Code: w.Code, PDFURL: w.PDFURL, Total: w.Total, Tax: w.Tax, FailReason: w.FailReason}
	if w.OriginalID != nil {
		o := uuid.MustParse(*w.OriginalID)
		inv.OriginalID = &o
	}
	if w.IssuedAt != nil {
		inv.IssuedAt = *w.IssuedAt
	}
	return inv, true
}

func (s *Server) check() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, rec := range s.invoices {
		if rec.issues > 1 {
			s.t.Errorf("einvoicetest: invoice %s was issued %d times", id, rec.issues)
		}
		if rec.w.Kind == string(einvoice.KindBlue) && s.reversed(id) > rec.w.Total {
			s.t.Errorf("einvoicetest: blue invoice %s of %d fen reversed by %d", id, rec.w.Total, s.reversed(id))
		}
	}
}

// reversed sums the live red invoices of blue id (under s.mu).
func (s *Server) reversed(id uuid.UUID) int64 {
	var sum int64
	for _, rec := range s.invoices {
		if rec.w.OriginalID != nil && *rec.w.OriginalID == id.String() && rec.w.Status != string(einvoice.StatusFailed) {
			sum -= rec.w.Total
		}
	}
	return sum
}

// complete issues rec, or fails it when failures are on (under s.mu).
func (s *Server) complete(rec *record) {
	if s.fail != "" {
		rec.w.Status, rec.w.FailReason = string(einvoice.StatusFailed), s.fail
		return
	}
	s.seq++
	now := time.Now().UTC()
	rec.issues++
	rec.w.Status, rec.w.FailReason = string(einvoice.StatusIssued), ""
	rec.w.Number = fmt.Sprintf("2631%016d", s.seq)
	rec.w.IssuedAt = &now
	rec.w.PDFURL = s.URL + "/files/" + rec.w.Number + ".pdf"
}

func (s *Server) verify(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 8<<20))
		if err != nil {
			s.fail400(w, r, "unreadable body")
			return
		}
		if err := httpsig.VerifyRequest(r, []byte(s.Key), body, time.Now()); err != nil {
			code := "bad_signature"
			if errors.Is(err, httpsig.ErrStale) {
				code = "stale_timestamp"
			}
			s.mu.Lock()
			s.rejected++
			s.mu.Unlock()
			s.reply(w, r, http.StatusUnauthorized, wireError{Code: code, Message: err.Error()})
			return
		}
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		next.ServeHTTP(w, r)
	})
}

func (s *Server) issue(w http.ResponseWriter, r *http.Request) {
	var in wireRequest
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		s.fail400(w, r, "the body is not an invoice request")
		return
	}
	req, msg := parse(in)
	if msg != "" {
		s.fail400(w, r, msg)
		return
	}
	canon, _ := json.Marshal(in)
	hash := sha256.Sum256(canon)

	s.mu.Lock()
	rec := s.invoices[req.ID]
	if rec != nil {
		rec.calls++
		if rec.hash != hash {
			s.mu.Unlock()
			s.reply(w, r, http.StatusConflict, wireError{Code: "conflict", Message: "this id was issued for another request"})
			return
		}
		if rec.w.Status != string(einvoice.StatusFailed) {
			out, delay := rec.w, s.slow
			s.mu.Unlock()
			s.answer(w, r, http.StatusOK, out, delay)
			return
		}
		// A failed invoice is attempted again (its red rules included).
	}
	if req.Kind == einvoice.KindRed {
		if code, msg := s.redRule(req); code != "" {
			s.mu.Unlock()
			s.reply(w, r, http.StatusUnprocessableEntity, wireError{Code: code, Message: msg})
			return
		}
	}
	if rec == nil {
		rec = &record{hash: hash, seller: req.SellerTaxID, buyer: req.BuyerTaxID, calls: 1,
			w: wireInvoice{ID: in.ID, Kind: in.Kind, OriginalID: in.OriginalID, Total: in.Total, Tax: in.Tax}}
		s.invoices[req.ID] = rec
	}
	rec.w.Status = string(einvoice.StatusPending)
	if !s.hold {
		s.complete(rec)
	}
	out, delay := rec.w, s.slow
	s.mu.Unlock()
	status := http.StatusCreated
	if out.Status == string(einvoice.StatusPending) {
		status = http.StatusAccepted
	}
	s.answer(w, r, status, out, delay)
}

// redRule is the code and message refusing red invoice req, or "" (under
// s.mu).
func (s *Server) redRule(req einvoice.Request) (string, string) {
	blue := s.invoices[*req.OriginalID]
	switch {
	case blue == nil:
		return "original_not_found", "no such blue invoice"
	case blue.w.Kind != string(einvoice.KindBlue) || blue.w.Status != string(einvoice.StatusIssued):
		return "original_not_issued", "the original is not an issued blue invoice"
	case blue.seller != req.SellerTaxID || blue.buyer != req.BuyerTaxID:
		return "red_mismatch", "seller or buyer differ from the blue invoice's"
	}
	already := s.reversed(*req.OriginalID) // req itself is not in it: it is new, or failed before
	if already-req.Total > blue.w.Total {
		return "red_exceeds_original", fmt.Sprintf("%d fen of %d already reversed, %d more asked", already, blue.w.Total, -req.Total)
	}
	return "", ""
}

// parse checks a request as the provider would: the client's rules, and
// each line's net and tax by the one rounding.
func parse(in wireRequest) (einvoice.Request, string) {
	id, err := uuid.Parse(in.ID)
	if err != nil {
		return einvoice.Request{}, "id is not a UUID"
	}
	r := einvoice.Request{ID: id, Kind: einvoice.Kind(in.Kind), SellerTaxID: in.SellerTaxID, BuyerTitle: in.BuyerTitle,
		BuyerTaxID: in.BuyerTaxID, BuyerEmail: in.BuyerEmail, Total: in.Total}
	if in.OriginalID != nil {
		o, err := uuid.Parse(*in.OriginalID)
		if err != nil {
			return einvoice.Request{}, "original_id is not a UUID"
		}
		r.OriginalID = &o
	}
	for i, l := range in.Lines {
		net, tax := einvoice.LineTax(l.Amount, l.TaxRateBP)
		if l.Net != net || l.Tax != tax {
			return einvoice.Request{}, fmt.Sprintf("line %d: net %d and tax %d are not %d and %d", i+1, l.Net, l.Tax, net, tax)
		}
		r.Lines = append(r.Lines, einvoice.Line{Name: l.Name, TaxCode: l.TaxCode, Qty: l.Qty, UnitPrice: l.UnitPrice,
			Amount: l.Amount, TaxRateBP: l.TaxRateBP})
	}
	if err := r.Validate(); err != nil {
		return einvoice.Request{}, err.Error()
	}
	if in.Tax != r.Tax() {
		return einvoice.Request{}, fmt.Sprintf("tax %d is not the sum of the lines' tax, %d", in.Tax, r.Tax())
	}
	return r, ""
}

func (s *Server) answer(w http.ResponseWriter, r *http.Request, status int, v any, delay time.Duration) {
	if delay > 0 {
		t := time.NewTimer(delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		}
	}
	s.reply(w, r, status, v)
}

func (s *Server) query(w http.ResponseWriter, r *http.Request) {
	id, err := uuid.Parse(r.PathValue("id"))
	s.mu.Lock()
	rec := s.invoices[id]
	var out wireInvoice
	if rec != nil {
		out = rec.w
	}
	s.mu.Unlock()
	if err != nil || rec == nil {
		s.reply(w, r, http.StatusNotFound, wireError{Code: "not_found", Message: "no such invoice"})
		return
	}
	s.reply(w, r, http.StatusOK, out)
}

func (s *Server) fail400(w http.ResponseWriter, r *http.Request, msg string) {
	s.reply(w, r, http.StatusBadRequest, wireError{Code: "invalid_request", Message: msg})
}

func (s *Server) reply(w http.ResponseWriter, r *http.Request, status int, v any) {
	body, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	httpsig.SignResponse(w.Header(), []byte(s.Key), status, r.URL.EscapedPath(), body, time.Now())
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// The protocol's bodies, written here from the package doc of einvoice
// rather than shared with the client, so a drift between them shows.

type wireRequest struct {
	ID          string     `json:"id"`
	Kind        string     `json:"kind"`
	OriginalID  *string    `json:"original_id"`
	SellerTaxID string     `json:"seller_tax_id"`
	BuyerTitle  string     `json:"buyer_title"`
	BuyerTaxID  string     `json:"buyer_tax_id"`
	BuyerEmail  string     `json:"buyer_email"`
	Lines       []wireLine `json:"lines"`
	Total       int64      `json:"total"`
	Tax         int64      `json:"tax"`
}

type wireLine struct {
	Name      string `json:"name"`
	TaxCode   string `json:"tax_code"`
	Qty       int64  `json:"qty"`
	UnitPrice int64  `json:"unit_price"`
	Amount    int64  `json:"amount"`
	TaxRateBP int64  `json:"tax_rate_bp"`
	Net       int64  `json:"net"`
	Tax       int64  `json:"tax"`
}

type wireInvoice struct {
	ID         string     `json:"id"`
	Kind       string     `json:"kind"`
	OriginalID *string    `json:"original_id"`
	Status     string     `json:"status"`
	Number     string     `json:"number,omitempty"`
	Code       string     `json:"code,omitempty"`
	IssuedAt   *time.Time `json:"issued_at,omitempty"`
	PDFURL     string     `json:"pdf_url,omitempty"`
	Total      int64      `json:"total"`
	Tax        int64      `json:"tax"`
	FailReason string     `json:"fail_reason,omitempty"`
}

type wireError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}
