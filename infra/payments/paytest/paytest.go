// Package paytest is a fake payment gateway for tests: an httptest server
// that speaks the payments protocol, checks every request's signature and
// timestamp, signs every answer, keeps the gateway's rules (an id charges
// at most once, a known id answers its payment, refunds never exceed the
// payment, a cancelled id never charges) and counts what it did, so a test
// can assert that nothing was charged twice.
//
// What it does with a payment is chosen by the AuthCode's prefix: the
// built-in prefixes below (Code makes a code with one), or rules a test
// adds with Decline, Slow, Lose and Hold (the latest matching rule wins).
// Every other code is approved. A code, like a real 付款码, pays once: used
// again under another id it is declined as auth_code_used.
//
// A Server is safe for concurrent use. When the test ends it fails the test
// if any id was charged more than once or refunded more than it was charged.
package paytest

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"chainstore/infra/httpsig"
	"chainstore/infra/payments"
	"github.com/google/uuid"
)

// Built-in AuthCode prefixes. They are valid starts of a WeChat 付款码, so a
// Code made with one passes the client's checks.
const (
	// PrefixApproved is approved; no built-in rule starts with it (a
	// random code might: 1391… is declined).
	PrefixApproved = "10"
	// PrefixInsufficientFunds is declined insufficient_funds (余额不足).
	PrefixInsufficientFunds = "1391"
	// PrefixExpired is declined auth_code_expired, with a message that
	// repeats the code, as some wallets' do: the client must mask it.
	PrefixExpired = "1392"
	// PrefixSlow is charged at once and answered after SlowDelay, so a
	// Gateway with a shorter timeout sees a timeout after the charge.
	PrefixSlow = "1393"
	// PrefixLost is charged, then the connection is closed unanswered.
	PrefixLost = "1394"
	// PrefixHeld stays pending (the customer confirming in the wallet)
	// until Settle.
	PrefixHeld = "1395"
)

// SlowDelay is how long PrefixSlow waits before answering. A waiting
// answer is dropped as soon as the client hangs up.
const SlowDelay = 2 * time.Second

// Code is a fresh 18-digit AuthCode starting with prefix (at most 17 digits).
func Code(prefix string) string {
	var b strings.Builder
	b.WriteString(prefix)
	for b.Len() < 18 {
		b.WriteByte(byte('0' + mrand.IntN(10)))
	}
	return b.String()
}

// Server is the fake gateway. URL, MerchantID and Key are what a Gateway
// needs; Gateway makes one.
type Server struct {
	URL        string
	MerchantID string
	Key        string

	t    testing.TB
	srv  *httptest.Server
	done chan struct{}

	mu       sync.Mutex
	rules    []rule // latest first, built-ins last
	pays     map[uuid.UUID]*record
	refunds  map[uuid.UUID]*refundRecord
	codes    map[[32]byte]uuid.UUID // sha256 of each code used, not the code
	seq      int
	rejected int
	loseNext int
}

type outcome int

const (
	approve outcome = iota
	decline
	hold
)

type rule struct {
	prefix        string
	outcome       outcome
	code, message string // of a decline; "{code}" in message becomes the AuthCode
	delay         time.Duration
	lose          bool
}

// record is one payment id as the fake knows it.
type record struct {
	w        wirePayment
	charges  int   // times money was taken for the id
	charged  int64 // fen taken
	refunded int64 // fen given back, by refunds and by a cancel's reversal
	calls    int   // Pay requests naming the id
}

type refundRecord struct {
	paymentID uuid.UUID
	w         wireRefund
}

// New starts a fake gateway for the test and stops it when the test ends.
func New(t testing.TB) *Server {
	t.Helper()
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	s := &Server{
		MerchantID: "m-" + uuid.NewString()[:8],
		Key:        hex.EncodeToString(key),
		t:          t,
		done:       make(chan struct{}),
		pays:       map[uuid.UUID]*record{},
		refunds:    map[uuid.UUID]*refundRecord{},
		codes:      map[[32]byte]uuid.UUID{},
		rules: []rule{
			{prefix: PrefixInsufficientFunds, outcome: decline, code: "insufficient_funds", message: "余额不足，请顾客更换支付方式"},
			{prefix: PrefixExpired, outcome: decline, code: "auth_code_expired", message: "付款码 {code} 已过期，请顾客刷新付款码"},
			{prefix: PrefixSlow, delay: SlowDelay},
			{prefix: PrefixLost, lose: true},
			{prefix: PrefixHeld, outcome: hold},
		},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/payments", s.pay)
	mux.HandleFunc("GET /v1/payments/{id}", s.query)
	mux.HandleFunc("POST /v1/payments/{id}/refunds", s.refund)
	mux.HandleFunc("POST /v1/payments/{id}/cancel", s.cancel)
	s.srv = httptest.NewServer(s.verify(mux))
	s.URL = s.srv.URL
	t.Cleanup(func() {
		close(s.done)
		s.srv.Close()
		s.check()
	})
	return s
}

// Gateway is a client of s with the given timeout (0: the default).
func (s *Server) Gateway(timeout time.Duration) *payments.Gateway {
	s.t.Helper()
	g, err := payments.NewGateway(s.URL, s.MerchantID, s.Key, timeout)
	if err != nil {
		s.t.Fatalf("paytest: %v", err)
	}
	return g
}

// Decline makes codes starting with prefix decline with code and message
// ("{code}" in message is replaced by the AuthCode).
func (s *Server) Decline(prefix, code, message string) {
	s.addRule(rule{prefix: prefix, outcome: decline, code: code, message: message})
}

// Slow makes codes starting with prefix approve at once and answer after d.
func (s *Server) Slow(prefix string, d time.Duration) { s.addRule(rule{prefix: prefix, delay: d}) }

// Lose makes codes starting with prefix approve and close the connection
// without an answer.
func (s *Server) Lose(prefix string) { s.addRule(rule{prefix: prefix, lose: true}) }

// Hold makes codes starting with prefix stay pending until Settle.
func (s *Server) Hold(prefix string) { s.addRule(rule{prefix: prefix, outcome: hold}) }

func (s *Server) addRule(r rule) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rules = append([]rule{r}, s.rules...)
}

// LoseNextAnswer makes the next request that changes something (a pay,
// refund or cancel, new or repeated) take effect and then close its
// connection unanswered.
func (s *Server) LoseNextAnswer() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loseNext++
}

// Settle ends a held payment: approved (and charged) or declined as the
// customer cancelling. It is an error unless id is pending.
func (s *Server) Settle(id uuid.UUID, approved bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.pays[id]
	if rec == nil || rec.w.Status != string(payments.StatusPending) {
		return fmt.Errorf("paytest: payment %s is not pending", id)
	}
	if approved {
		s.charge(rec)
	} else {
		rec.w.Status = string(payments.StatusDeclined)
		rec.w.DeclineCode, rec.w.DeclineMessage = "user_cancelled", "顾客已取消支付"
	}
	return nil
}

// Charges is how many times money was taken for id: 0 or 1, or the fake
// (and the test) fails.
func (s *Server) Charges(id uuid.UUID) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rec := s.pays[id]; rec != nil {
		return rec.charges
	}
	return 0
}

// Charged is the fen taken for id.
func (s *Server) Charged(id uuid.UUID) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rec := s.pays[id]; rec != nil {
		return rec.charged
	}
	return 0
}

// Refunded is the fen given back for id, by refunds and by a cancel.
func (s *Server) Refunded(id uuid.UUID) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rec := s.pays[id]; rec != nil {
		return rec.refunded
	}
	return 0
}

// PayCalls is how many Pay requests named id, repeats included.
func (s *Server) PayCalls(id uuid.UUID) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rec := s.pays[id]; rec != nil {
		return rec.calls
	}
	return 0
}

// Rejected is how many requests were refused for their signature,
// timestamp or merchant.
func (s *Server) Rejected() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rejected
}

// Payment is the fake's record of id.
func (s *Server) Payment(id uuid.UUID) (payments.Payment, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.pays[id]
	if rec == nil {
		return payments.Payment{}, false
	}
	w := rec.w
	p := payments.Payment{ID: id, Method: payments.Method(w.Method), Status: payments.Status(w.Status), Amount: w.Amount,
		Refunded: w.Refunded, ProviderRef: w.ProviderRef, DeclineCode: w.DeclineCode, DeclineMessage: w.DeclineMessage, Last4: w.Last4}
	if w.PaidAt != nil {
		p.PaidAt = *w.PaidAt
	}
	return p, true
}

// check fails the test if the gateway's rules were broken.
func (s *Server) check() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, rec := range s.pays {
		if rec.charges > 1 {
			s.t.Errorf("paytest: payment %s was charged %d times", id, rec.charges)
		}
		if rec.refunded > rec.charged {
			s.t.Errorf("paytest: payment %s refunded %d fen of %d charged", id, rec.refunded, rec.charged)
		}
	}
}

// charge takes the money of rec (under s.mu).
func (s *Server) charge(rec *record) {
	s.seq++
	now := time.Now().UTC()
	rec.charges++
	rec.charged += rec.w.Amount
	rec.w.Status = string(payments.StatusApproved)
	rec.w.ProviderRef = fmt.Sprintf("FAKE%012d", s.seq)
	rec.w.PaidAt = &now
	if rec.w.Method == string(payments.MethodCard) {
		rec.w.Last4 = "4321"
	}
}

func (s *Server) takeLose() bool {
	if s.loseNext > 0 {
		s.loseNext--
		return true
	}
	return false
}

// verify refuses any request not from the merchant, signed with its key,
// within the freshness window; it hands the body on in the request.
func (s *Server) verify(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			s.fail(w, r, http.StatusBadRequest, "invalid_request", "unreadable body")
			return
		}
		code, msg := "", ""
		if r.Header.Get("X-Merchant-Id") != s.MerchantID {
			code, msg = "unknown_merchant", "no such merchant"
		} else if err := httpsig.VerifyRequest(r, []byte(s.Key), body, time.Now()); errors.Is(err, httpsig.ErrStale) {
			code, msg = "stale_timestamp", "the timestamp is missing or too far from the gateway's clock"
		} else if err != nil {
			code, msg = "bad_signature", "the signature does not match"
		}
		if code != "" {
			s.mu.Lock()
			s.rejected++
			s.mu.Unlock()
			s.fail(w, r, http.StatusUnauthorized, code, msg)
			return
		}
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		next.ServeHTTP(w, r)
	})
}

func (s *Server) pay(w http.ResponseWriter, r *http.Request) {
	var in wirePayRequest
	if !s.decode(w, r, &in) {
		return
	}
	id, err := uuid.Parse(in.ID)
	_, err1 := uuid.Parse(in.StoreID)
	_, err2 := uuid.Parse(in.RegisterID)
	if err != nil || err1 != nil || err2 != nil || in.Amount <= 0 || !payments.Method(in.Method).Valid() ||
		(in.Method != string(payments.MethodCard) && in.AuthCode == "") {
		s.fail(w, r, http.StatusBadRequest, "invalid_request", "id, method, amount, auth_code, store_id and register_id are required")
		return
	}
	s.mu.Lock()
	if rec := s.pays[id]; rec != nil {
		rec.calls++
		tombstone := rec.w.Amount == 0
		if !tombstone && (rec.w.Amount != in.Amount || rec.w.Method != in.Method) {
			s.mu.Unlock()
			s.fail(w, r, http.StatusConflict, "conflict", "this id was used for a payment of another amount or method")
			return
		}
		out, lose := rec.w, s.takeLose()
		s.mu.Unlock()
		s.answer(w, r, http.StatusOK, out, 0, lose)
		return
	}
	rl := rule{}
	for _, x := range s.rules {
		if strings.HasPrefix(in.AuthCode, x.prefix) {
			rl = x
			break
		}
	}
	if in.AuthCode != "" {
		h := sha256.Sum256([]byte(in.AuthCode))
		if other, used := s.codes[h]; used && other != id {
			rl = rule{outcome: decline, code: "auth_code_used", message: "付款码已使用，请顾客刷新付款码"}
		} else {
			s.codes[h] = id
		}
	}
	rec := &record{calls: 1, w: wirePayment{ID: id.String(), Method: in.Method, Amount: in.Amount, Status: string(payments.StatusPending)}}
	switch rl.outcome {
	case approve:
		s.charge(rec)
	case decline:
		rec.w.Status = string(payments.StatusDeclined)
		rec.w.DeclineCode = rl.code
		rec.w.DeclineMessage = strings.ReplaceAll(rl.message, "{code}", in.AuthCode)
	}
	s.pays[id] = rec
	out, lose := rec.w, rl.lose || s.takeLose()
	s.mu.Unlock()
	status := http.StatusCreated
	if out.Status == string(payments.StatusPending) {
		status = http.StatusAccepted
	}
	s.answer(w, r, status, out, rl.delay, lose)
}

func (s *Server) query(w http.ResponseWriter, r *http.Request) {
	id, err := uuid.Parse(r.PathValue("id"))
	s.mu.Lock()
	rec := s.pays[id]
	var out wirePayment
	if rec != nil {
		out = rec.w
	}
	s.mu.Unlock()
	if err != nil || rec == nil {
		s.fail(w, r, http.StatusNotFound, "not_found", "no such payment")
		return
	}
	s.reply(w, r, http.StatusOK, out)
}

func (s *Server) refund(w http.ResponseWriter, r *http.Request) {
	var in wireRefundRequest
	if !s.decode(w, r, &in) {
		return
	}
	pid, err1 := uuid.Parse(r.PathValue("id"))
	id, err2 := uuid.Parse(in.ID)
	if err1 != nil || err2 != nil || in.Amount <= 0 {
		s.fail(w, r, http.StatusBadRequest, "invalid_request", "a refund needs an id and a positive amount")
		return
	}
	s.mu.Lock()
	rec := s.pays[pid]
	status, code, msg := 0, "", ""
	var out wireRefund
	switch prior := s.refunds[id]; {
	case rec == nil:
		status, code, msg = http.StatusNotFound, "not_found", "no such payment"
	case prior != nil && (prior.paymentID != pid || prior.w.Amount != in.Amount):
		status, code, msg = http.StatusConflict, "conflict", "this refund id was used for another refund"
	case prior != nil:
		status, out = http.StatusOK, prior.w
	case rec.w.Status != string(payments.StatusApproved):
		status, code, msg = http.StatusUnprocessableEntity, "not_refundable", "the payment is "+rec.w.Status
	case rec.w.Refunded+in.Amount > rec.w.Amount:
		status, code, msg = http.StatusUnprocessableEntity, "over_refund",
			fmt.Sprintf("%d fen refundable, %d asked", rec.w.Amount-rec.w.Refunded, in.Amount)
	default:
		s.seq++
		now := time.Now().UTC()
		out = wireRefund{ID: id.String(), PaymentID: pid.String(), Amount: in.Amount, Status: string(payments.StatusRefunded),
			ProviderRef: fmt.Sprintf("FAKER%011d", s.seq), RefundedAt: &now}
		s.refunds[id] = &refundRecord{paymentID: pid, w: out}
		rec.w.Refunded += in.Amount
		rec.refunded += in.Amount
		if rec.w.Refunded == rec.w.Amount {
			rec.w.Status = string(payments.StatusRefunded)
		}
		status = http.StatusCreated
	}
	lose := code == "" && s.takeLose()
	s.mu.Unlock()
	if code != "" {
		s.fail(w, r, status, code, msg)
		return
	}
	s.answer(w, r, status, out, 0, lose)
}

func (s *Server) cancel(w http.ResponseWriter, r *http.Request) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		s.fail(w, r, http.StatusNotFound, "not_found", "no such payment")
		return
	}
	s.mu.Lock()
	rec := s.pays[id]
	if rec == nil {
		// The Pay may still be on its way: record the id so it cannot charge.
		rec = &record{w: wirePayment{ID: id.String(), Status: string(payments.StatusCancelled)}}
		s.pays[id] = rec
	}
	switch payments.Status(rec.w.Status) {
	case payments.StatusPending:
		rec.w.Status = string(payments.StatusCancelled)
	case payments.StatusApproved:
		if rec.w.Refunded > 0 {
			s.mu.Unlock()
			s.fail(w, r, http.StatusUnprocessableEntity, "not_cancellable", "the payment has refunds; refund the rest")
			return
		}
		rec.w.Status = string(payments.StatusCancelled)
		rec.refunded += rec.charged
	case payments.StatusRefunded:
		s.mu.Unlock()
		s.fail(w, r, http.StatusUnprocessableEntity, "not_cancellable", "the payment is refunded")
		return
	}
	out, lose := rec.w, s.takeLose()
	s.mu.Unlock()
	s.answer(w, r, http.StatusOK, out, 0, lose)
}

// decode reads the request body strictly, answering 400 when it is not v.
func (s *Server) decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		s.fail(w, r, http.StatusBadRequest, "invalid_request", "the body is not the expected JSON")
		return false
	}
	return true
}

// answer replies after delay (dropping the answer if the client hangs up
// first), or, when lose, closes the connection without a word.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, status int, v any, delay time.Duration, lose bool) {
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
	if lose {
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			_ = conn.Close()
			return
		}
		panic(http.ErrAbortHandler) // not hijackable: abort the connection instead
	}
	s.reply(w, r, status, v)
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	s.reply(w, r, status, wireError{Code: code, Message: msg})
}

// reply writes v as a signed JSON answer.
func (s *Server) reply(w http.ResponseWriter, r *http.Request, status int, v any) {
	body, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	httpsig.SignResponse(w.Header(), []byte(s.Key), status, r.URL.EscapedPath(), body, time.Now())
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// The protocol's bodies, written here from the package doc of payments
// rather than shared with the client, so a drift between them shows.

type wirePayRequest struct {
	ID          string `json:"id"`
	Method      string `json:"method"`
	Amount      int64  `json:"amount"`
	AuthCode    string `json:"auth_code"`
	StoreID     string `json:"store_id"`
	RegisterID  string `json:"register_id"`
	Description string `json:"description"`
}

type wireRefundRequest struct {
	ID     string `json:"id"`
	Amount int64  `json:"amount"`
	Reason string `json:"reason"`
}

type wirePayment struct {
	ID             string     `json:"id"`
	Method         string     `json:"method"`
	Status         string     `json:"status"`
	Amount         int64      `json:"amount"`
	Refunded       int64      `json:"refunded"`
	ProviderRef    string     `json:"provider_ref"`
	DeclineCode    string     `json:"decline_code,omitempty"`
	DeclineMessage string     `json:"decline_message,omitempty"`
	Last4          string     `json:"last4,omitempty"`
	PaidAt         *time.Time `json:"paid_at,omitempty"`
}

type wireRefund struct {
	ID          string     `json:"id"`
	PaymentID   string     `json:"payment_id"`
	Amount      int64      `json:"amount"`
	Status      string     `json:"status"`
	ProviderRef string     `json:"provider_ref"`
	RefundedAt  *time.Time `json:"refunded_at"`
}

type wireError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}
