package payments_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"chainstore/infra/httpsig"
	"chainstore/infra/payments"
	"chainstore/infra/payments/paytest"
	"github.com/google/uuid"
)

var (
	storeID    = uuid.MustParse("01900000-0000-7000-8000-000000000001")
	registerID = uuid.MustParse("01900000-0000-7000-8000-000000000002")
)

func request(code string, amount int64) payments.PayRequest {
	return payments.PayRequest{ID: uuid.Must(uuid.NewV7()), Method: payments.MethodWeChat, Amount: amount, AuthCode: code,
		StoreID: storeID, RegisterID: registerID, Description: "ChainStore 测试门店 销售"}
}

func TestPayApproved(t *testing.T) {
	s := paytest.New(t)
	g := s.Gateway(0)
	ctx := context.Background()
	r := request(paytest.Code(paytest.PrefixApproved), 1250)
	p, err := g.Pay(ctx, r)
	if err != nil {
		t.Fatalf("Pay: %v", err)
	}
	if p.Status != payments.StatusApproved || p.ID != r.ID || p.Amount != 1250 || p.ProviderRef == "" || p.PaidAt.IsZero() {
		t.Fatalf("Pay = %+v", p)
	}
	if s.Charges(r.ID) != 1 || s.Charged(r.ID) != 1250 {
		t.Fatalf("charged %d times, %d fen", s.Charges(r.ID), s.Charged(r.ID))
	}
	q, err := g.Query(ctx, r.ID)
	if err != nil || q.Status != payments.StatusApproved || q.ProviderRef != p.ProviderRef {
		t.Fatalf("Query = %+v, %v", q, err)
	}

	card := request("", 8800)
	card.Method = payments.MethodCard
	p, err = g.Pay(ctx, card)
	if err != nil || p.Last4 != "4321" {
		t.Fatalf("card Pay = %+v, %v; want approved with last4", p, err)
	}
}

func TestPayDeclined(t *testing.T) {
	s := paytest.New(t)
	s.Decline("1380", "risk_control", "交易存在风险，已拒绝")
	g := s.Gateway(0)
	used := paytest.Code(paytest.PrefixApproved)
	if _, err := g.Pay(context.Background(), request(used, 100)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, code, want string }{
		{"insufficient funds", paytest.Code(paytest.PrefixInsufficientFunds), "insufficient_funds"},
		{"expired code", paytest.Code(paytest.PrefixExpired), "auth_code_expired"},
		{"rule of the test", paytest.Code("1380"), "risk_control"},
		{"code already used", used, "auth_code_used"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := request(c.code, 500)
			p, err := g.Pay(context.Background(), r)
			if !errors.Is(err, payments.ErrDeclined) || errors.Is(err, payments.ErrPending) {
				t.Fatalf("err = %v, want ErrDeclined", err)
			}
			if p.Status != payments.StatusDeclined || p.DeclineCode != c.want || p.DeclineMessage == "" {
				t.Fatalf("payment = %+v, want declined %s", p, c.want)
			}
			if s.Charges(r.ID) != 0 {
				t.Fatal("a declined payment was charged")
			}
			// The id is spent: repeating it answers the same decline.
			if p2, err := g.Pay(context.Background(), r); !errors.Is(err, payments.ErrDeclined) || p2.DeclineCode != c.want {
				t.Fatalf("repeat = %+v, %v", p2, err)
			}
		})
	}
}

// A Pay whose answer comes after the client's timeout was charged: the
// caller sees pending, never a decline, and Query finds it approved.
func TestPayTimeoutIsPendingAndQueryFindsItApproved(t *testing.T) {
	s := paytest.New(t)
	g := s.Gateway(300 * time.Millisecond)
	ctx := context.Background()
	r := request(paytest.Code(paytest.PrefixSlow), 3000)
	start := time.Now()
	p, err := g.Pay(ctx, r)
	if !errors.Is(err, payments.ErrPending) || errors.Is(err, payments.ErrDeclined) {
		t.Fatalf("err = %v, want ErrPending", err)
	}
	if p.Status != payments.StatusPending || p.ID != r.ID || p.Amount != 3000 {
		t.Fatalf("payment = %+v, want pending", p)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("Pay took %s with a 300ms timeout", d)
	}
	q, err := g.Query(ctx, r.ID)
	if err != nil || q.Status != payments.StatusApproved {
		t.Fatalf("Query = %+v, %v; want approved", q, err)
	}
	if _, err := g.Pay(ctx, r); err != nil && !errors.Is(err, payments.ErrPending) {
		t.Fatalf("repeat Pay: %v", err)
	}
	if s.Charges(r.ID) != 1 || s.Charged(r.ID) != 3000 {
		t.Fatalf("charged %d times, %d fen; want once", s.Charges(r.ID), s.Charged(r.ID))
	}
}

// A charge whose answer is lost: pending, Query says approved, and the same
// id paid again returns the existing payment without a second charge.
func TestPayLostAnswerChargesOnce(t *testing.T) {
	s := paytest.New(t)
	g := s.Gateway(0)
	ctx := context.Background()
	r := request(paytest.Code(paytest.PrefixLost), 4500)
	p, err := g.Pay(ctx, r)
	if !errors.Is(err, payments.ErrPending) || p.Status != payments.StatusPending {
		t.Fatalf("Pay = %+v, %v; want pending", p, err)
	}
	q, err := g.Query(ctx, r.ID)
	if err != nil || q.Status != payments.StatusApproved {
		t.Fatalf("Query = %+v, %v", q, err)
	}
	again, err := g.Pay(ctx, r)
	if err != nil || again.Status != payments.StatusApproved || again.ProviderRef != q.ProviderRef {
		t.Fatalf("second Pay = %+v, %v; want the existing approved payment", again, err)
	}
	if s.Charges(r.ID) != 1 || s.PayCalls(r.ID) != 2 {
		t.Fatalf("charges %d, pay calls %d; want 1 and 2", s.Charges(r.ID), s.PayCalls(r.ID))
	}
}

func TestPayHeldUntilSettled(t *testing.T) {
	s := paytest.New(t)
	g := s.Gateway(0)
	ctx := context.Background()
	r := request(paytest.Code(paytest.PrefixHeld), 990)
	if p, err := g.Pay(ctx, r); !errors.Is(err, payments.ErrPending) || p.Status != payments.StatusPending {
		t.Fatalf("Pay = %+v, %v; want pending", p, err)
	}
	if q, err := g.Query(ctx, r.ID); err != nil || q.Status != payments.StatusPending {
		t.Fatalf("Query = %+v, %v; want pending and no error", q, err)
	}
	if p, err := g.Pay(ctx, r); !errors.Is(err, payments.ErrPending) || p.Status != payments.StatusPending {
		t.Fatalf("repeat Pay = %+v, %v; want still pending", p, err)
	}
	if err := s.Settle(r.ID, true); err != nil {
		t.Fatal(err)
	}
	if q, err := g.Query(ctx, r.ID); err != nil || q.Status != payments.StatusApproved {
		t.Fatalf("Query = %+v, %v; want approved", q, err)
	}
	if s.Charges(r.ID) != 1 {
		t.Fatalf("charged %d times", s.Charges(r.ID))
	}

	declined := request(paytest.Code(paytest.PrefixHeld), 990)
	_, _ = g.Pay(ctx, declined)
	if err := s.Settle(declined.ID, false); err != nil {
		t.Fatal(err)
	}
	if q, err := g.Query(ctx, declined.ID); err != nil || q.Status != payments.StatusDeclined {
		t.Fatalf("Query = %+v, %v; want declined", q, err)
	}
}

// Resolve ends every pending payment approved, declined or cancelled.
func TestResolve(t *testing.T) {
	s := paytest.New(t)
	g := s.Gateway(time.Second)
	ctx := context.Background()

	t.Run("settled while waiting", func(t *testing.T) {
		r := request(paytest.Code(paytest.PrefixHeld), 700)
		_, _ = g.Pay(ctx, r)
		time.AfterFunc(100*time.Millisecond, func() { _ = s.Settle(r.ID, true) })
		p, err := payments.Resolve(ctx, g, r.ID, 5*time.Second, 20*time.Millisecond)
		if err != nil || p.Status != payments.StatusApproved {
			t.Fatalf("Resolve = %+v, %v; want approved", p, err)
		}
	})
	t.Run("lost answer", func(t *testing.T) {
		r := request(paytest.Code(paytest.PrefixLost), 700)
		_, _ = g.Pay(ctx, r)
		p, err := payments.Resolve(ctx, g, r.ID, time.Second, 20*time.Millisecond)
		if err != nil || p.Status != payments.StatusApproved || s.Charges(r.ID) != 1 {
			t.Fatalf("Resolve = %+v, %v, charges %d", p, err, s.Charges(r.ID))
		}
	})
	t.Run("never settled is cancelled", func(t *testing.T) {
		r := request(paytest.Code(paytest.PrefixHeld), 700)
		_, _ = g.Pay(ctx, r)
		p, err := payments.Resolve(ctx, g, r.ID, 150*time.Millisecond, 20*time.Millisecond)
		if !errors.Is(err, payments.ErrClosed) || p.Status != payments.StatusCancelled {
			t.Fatalf("Resolve = %+v, %v; want cancelled", p, err)
		}
		if s.Settle(r.ID, true) == nil || s.Charges(r.ID) != 0 {
			t.Fatal("a cancelled payment could still be charged")
		}
	})
	t.Run("never arrived cannot charge later", func(t *testing.T) {
		r := request(paytest.Code(paytest.PrefixApproved), 700)
		p, err := payments.Resolve(ctx, g, r.ID, 50*time.Millisecond, 20*time.Millisecond)
		if !errors.Is(err, payments.ErrClosed) || p.Status != payments.StatusCancelled {
			t.Fatalf("Resolve = %+v, %v; want cancelled", p, err)
		}
		// The Pay arrives after the cancel: it must not charge.
		late, err := g.Pay(ctx, r)
		if !errors.Is(err, payments.ErrClosed) || late.Status != payments.StatusCancelled || s.Charges(r.ID) != 0 {
			t.Fatalf("late Pay = %+v, %v, charges %d", late, err, s.Charges(r.ID))
		}
	})
	t.Run("declined", func(t *testing.T) {
		r := request(paytest.Code(paytest.PrefixInsufficientFunds), 700)
		_, _ = g.Pay(ctx, r)
		if p, err := payments.Resolve(ctx, g, r.ID, time.Second, 20*time.Millisecond); !errors.Is(err, payments.ErrDeclined) {
			t.Fatalf("Resolve = %+v, %v; want declined", p, err)
		}
	})
}

func TestPaySameIDOtherAmountConflicts(t *testing.T) {
	s := paytest.New(t)
	g := s.Gateway(0)
	r := request(paytest.Code(paytest.PrefixApproved), 100)
	if _, err := g.Pay(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	r.Amount = 200
	if _, err := g.Pay(context.Background(), r); !errors.Is(err, payments.ErrConflict) {
		t.Fatalf("err = %v, want ErrConflict", err)
	}
	if s.Charged(r.ID) != 100 {
		t.Fatalf("charged %d", s.Charged(r.ID))
	}
}

func TestConcurrentPaysOfOneIDChargeOnce(t *testing.T) {
	s := paytest.New(t)
	g := s.Gateway(0)
	r := request(paytest.Code(paytest.PrefixApproved), 1234)
	var wg sync.WaitGroup
	refs := make([]string, 16)
	errs := make([]error, 16)
	for i := range refs {
		wg.Go(func() {
			p, err := g.Pay(context.Background(), r)
			refs[i], errs[i] = p.ProviderRef, err
		})
	}
	wg.Wait()
	for i := range refs {
		if errs[i] != nil || refs[i] != refs[0] {
			t.Fatalf("pay %d: ref %q, %v; want %q", i, refs[i], errs[i], refs[0])
		}
	}
	if s.Charges(r.ID) != 1 || s.PayCalls(r.ID) != 16 {
		t.Fatalf("charges %d, calls %d", s.Charges(r.ID), s.PayCalls(r.ID))
	}
}

func TestRefunds(t *testing.T) {
	s := paytest.New(t)
	g := s.Gateway(0)
	ctx := context.Background()
	pay := request(paytest.Code(paytest.PrefixApproved), 1000)
	if _, err := g.Pay(ctx, pay); err != nil {
		t.Fatal(err)
	}
	first := payments.RefundRequest{ID: uuid.Must(uuid.NewV7()), PaymentID: pay.ID, Amount: 300, Reason: "退货"}
	rf, err := g.Refund(ctx, first)
	if err != nil || rf.Status != payments.StatusRefunded || rf.Amount != 300 || rf.ProviderRef == "" || rf.RefundedAt.IsZero() {
		t.Fatalf("Refund = %+v, %v", rf, err)
	}
	if again, err := g.Refund(ctx, first); err != nil || again.ProviderRef != rf.ProviderRef {
		t.Fatalf("repeat Refund = %+v, %v; want the same refund", again, err)
	}
	if p, _ := g.Query(ctx, pay.ID); p.Status != payments.StatusApproved || p.Refunded != 300 {
		t.Fatalf("after a partial refund: %+v", p)
	}
	over := payments.RefundRequest{ID: uuid.Must(uuid.NewV7()), PaymentID: pay.ID, Amount: 701}
	if _, err := g.Refund(ctx, over); !errors.Is(err, payments.ErrOverRefund) {
		t.Fatalf("over-refund err = %v", err)
	}
	reused := first
	reused.Amount = 200
	if _, err := g.Refund(ctx, reused); !errors.Is(err, payments.ErrConflict) {
		t.Fatalf("reused refund id err = %v", err)
	}
	// The rest, with its answer lost: pending, and repeating it refunds once.
	rest := payments.RefundRequest{ID: uuid.Must(uuid.NewV7()), PaymentID: pay.ID, Amount: 700}
	s.LoseNextAnswer()
	if rf, err := g.Refund(ctx, rest); !errors.Is(err, payments.ErrPending) || rf.Status != payments.StatusPending {
		t.Fatalf("lost Refund = %+v, %v", rf, err)
	}
	if rf, err := g.Refund(ctx, rest); err != nil || rf.Status != payments.StatusRefunded {
		t.Fatalf("repeated Refund = %+v, %v", rf, err)
	}
	if p, _ := g.Query(ctx, pay.ID); p.Status != payments.StatusRefunded || p.Refunded != 1000 {
		t.Fatalf("after refunding everything: %+v", p)
	}
	if s.Refunded(pay.ID) != 1000 {
		t.Fatalf("fake refunded %d", s.Refunded(pay.ID))
	}
	if _, err := g.Refund(ctx, payments.RefundRequest{ID: uuid.Must(uuid.NewV7()), PaymentID: pay.ID, Amount: 1}); !errors.Is(err, payments.ErrState) {
		t.Fatalf("refund of a refunded payment err = %v", err)
	}

	declined := request(paytest.Code(paytest.PrefixInsufficientFunds), 500)
	_, _ = g.Pay(ctx, declined)
	if _, err := g.Refund(ctx, payments.RefundRequest{ID: uuid.Must(uuid.NewV7()), PaymentID: declined.ID, Amount: 100}); !errors.Is(err, payments.ErrState) {
		t.Fatalf("refund of a declined payment err = %v", err)
	}
	if _, err := g.Refund(ctx, payments.RefundRequest{ID: uuid.Must(uuid.NewV7()), PaymentID: uuid.Must(uuid.NewV7()), Amount: 100}); !errors.Is(err, payments.ErrNotFound) {
		t.Fatalf("refund of an unknown payment err = %v", err)
	}
	if _, err := g.Refund(ctx, payments.RefundRequest{PaymentID: pay.ID, Amount: -5}); !errors.Is(err, payments.ErrInvalid) {
		t.Fatalf("invalid refund err = %v", err)
	}
}

func TestCancel(t *testing.T) {
	s := paytest.New(t)
	g := s.Gateway(0)
	ctx := context.Background()

	paid := request(paytest.Code(paytest.PrefixApproved), 2500)
	_, _ = g.Pay(ctx, paid)
	p, err := g.Cancel(ctx, paid.ID)
	if err != nil || p.Status != payments.StatusCancelled {
		t.Fatalf("Cancel = %+v, %v", p, err)
	}
	if s.Refunded(paid.ID) != 2500 {
		t.Fatalf("a cancel gave back %d of 2500", s.Refunded(paid.ID))
	}
	if p, err := g.Cancel(ctx, paid.ID); err != nil || p.Status != payments.StatusCancelled {
		t.Fatalf("repeat Cancel = %+v, %v", p, err)
	}
	if _, err := g.Refund(ctx, payments.RefundRequest{ID: uuid.Must(uuid.NewV7()), PaymentID: paid.ID, Amount: 1}); !errors.Is(err, payments.ErrState) {
		t.Fatalf("refund after cancel err = %v", err)
	}
	if _, err := g.Pay(ctx, paid); !errors.Is(err, payments.ErrClosed) {
		t.Fatalf("Pay of a cancelled id err = %v", err)
	}

	refunded := request(paytest.Code(paytest.PrefixApproved), 2500)
	_, _ = g.Pay(ctx, refunded)
	_, _ = g.Refund(ctx, payments.RefundRequest{ID: uuid.Must(uuid.NewV7()), PaymentID: refunded.ID, Amount: 100})
	if _, err := g.Cancel(ctx, refunded.ID); !errors.Is(err, payments.ErrState) {
		t.Fatalf("cancel after a refund err = %v", err)
	}

	declined := request(paytest.Code(paytest.PrefixInsufficientFunds), 100)
	_, _ = g.Pay(ctx, declined)
	if p, err := g.Cancel(ctx, declined.ID); err != nil || p.Status != payments.StatusDeclined {
		t.Fatalf("cancel of a declined payment = %+v, %v", p, err)
	}

	lost := request(paytest.Code(paytest.PrefixApproved), 100)
	_, _ = g.Pay(ctx, lost)
	s.LoseNextAnswer()
	if _, err := g.Cancel(ctx, lost.ID); !errors.Is(err, payments.ErrPending) {
		t.Fatalf("cancel with a lost answer err = %v", err)
	}
	if p, err := g.Cancel(ctx, lost.ID); err != nil || p.Status != payments.StatusCancelled || s.Refunded(lost.ID) != 100 {
		t.Fatalf("repeated cancel = %+v, %v, refunded %d", p, err, s.Refunded(lost.ID))
	}
}

func TestValidationSendsNothing(t *testing.T) {
	s := paytest.New(t)
	g := s.Gateway(0)
	ok := request(paytest.Code(paytest.PrefixApproved), 100)
	for name, mutate := range map[string]func(*payments.PayRequest){
		"no id":             func(r *payments.PayRequest) { r.ID = uuid.Nil },
		"unknown method":    func(r *payments.PayRequest) { r.Method = "paypal" },
		"zero amount":       func(r *payments.PayRequest) { r.Amount = 0 },
		"negative amount":   func(r *payments.PayRequest) { r.Amount = -100 },
		"short code":        func(r *payments.PayRequest) { r.AuthCode = "1234" },
		"letters in code":   func(r *payments.PayRequest) { r.AuthCode = "13456789012345678x" },
		"no code":           func(r *payments.PayRequest) { r.AuthCode = "" },
		"card number":       func(r *payments.PayRequest) { r.Method, r.AuthCode = payments.MethodCard, "6222020200112233445" },
		"no store":          func(r *payments.PayRequest) { r.StoreID = uuid.Nil },
		"no register":       func(r *payments.PayRequest) { r.RegisterID = uuid.Nil },
		"overlong describe": func(r *payments.PayRequest) { r.Description = strings.Repeat("货", 129) },
	} {
		r := ok
		mutate(&r)
		if _, err := g.Pay(context.Background(), r); !errors.Is(err, payments.ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
		if s.PayCalls(r.ID) != 0 {
			t.Errorf("%s: the request was sent", name)
		}
	}
	for _, c := range []struct{ url, merchant, key string }{
		{"ftp://x", "m", strings.Repeat("k", 16)}, {"http://", "m", strings.Repeat("k", 16)},
		{"http://x", "", strings.Repeat("k", 16)}, {"http://x", "m", "short"},
	} {
		if _, err := payments.NewGateway(c.url, c.merchant, c.key, 0); err == nil {
			t.Errorf("NewGateway(%q, %q, %q) accepted", c.url, c.merchant, c.key)
		}
	}
}

// The fake refuses what is not signed by the merchant's key, and the
// client believes no answer it cannot verify.
func TestSignatures(t *testing.T) {
	s := paytest.New(t)
	ctx := context.Background()

	wrongKey, _ := payments.NewGateway(s.URL, s.MerchantID, strings.Repeat("x", 32), time.Second)
	r := request(paytest.Code(paytest.PrefixApproved), 100)
	if _, err := wrongKey.Pay(ctx, r); !errors.Is(err, payments.ErrPending) {
		// The refusal is signed with the real key, which this client does
		// not hold: it cannot tell the refusal from a forgery.
		t.Fatalf("wrong key: err = %v, want ErrPending (answer not believed)", err)
	}
	if _, ok := s.Payment(r.ID); ok || s.Rejected() != 1 {
		t.Fatalf("wrong key: recorded %v, rejected %d", ok, s.Rejected())
	}
	wrongMerchant, _ := payments.NewGateway(s.URL, "someone-else", s.Key, time.Second)
	if _, err := wrongMerchant.Pay(ctx, r); !errors.Is(err, payments.ErrRejected) {
		t.Fatalf("wrong merchant: err = %v, want ErrRejected", err)
	}

	body := []byte(`{"id":"` + r.ID.String() + `","method":"wechat","amount":100,"auth_code":"134567890123456789","store_id":"` +
		storeID.String() + `","register_id":"` + registerID.String() + `"}`)
	now := time.Now().Unix()
	for _, c := range []struct {
		name string
		ts   int64
		sign []byte // the body signed, when it differs from the one sent
		want string
	}{
		{"tampered body", now, []byte(strings.Replace(string(body), `"amount":100`, `"amount":1`, 1)), "bad_signature"},
		{"stale timestamp", now - 600, nil, "stale_timestamp"},
		{"future timestamp", now + 600, nil, "stale_timestamp"},
		{"no signature", now, []byte{}, "bad_signature"},
	} {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, s.URL+"/v1/payments", bytes.NewReader(body))
			req.Header.Set("X-Merchant-Id", s.MerchantID)
			req.Header.Set(httpsig.HeaderTimestamp, strconv.FormatInt(c.ts, 10))
			signed := body
			if c.sign != nil {
				signed = c.sign
			}
			if len(signed) > 0 {
				req.Header.Set(httpsig.HeaderSignature, httpsig.Sign([]byte(s.Key), "POST", "/v1/payments", c.ts, signed))
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var e struct{ Code string }
			_ = json.NewDecoder(resp.Body).Decode(&e)
			if resp.StatusCode != http.StatusUnauthorized || e.Code != c.want {
				t.Fatalf("status %d code %q, want 401 %s", resp.StatusCode, e.Code, c.want)
			}
		})
	}
	if _, ok := s.Payment(r.ID); ok {
		t.Fatal("a refused request made a payment")
	}
}

// An answer that is unsigned, signed with another key, for another payment
// or a server error leaves the payment pending: never approved, never
// "nothing happened".
func TestForgedOrBrokenAnswersAreNotBelieved(t *testing.T) {
	const key = "0123456789abcdef0123456789abcdef"
	r := request(paytest.Code(paytest.PrefixApproved), 100)
	paidAt := time.Now().UTC().Format(time.RFC3339)
	approved := func(id uuid.UUID) []byte {
		return []byte(fmt.Sprintf(`{"id":%q,"method":"wechat","status":"approved","amount":100,"refunded":0,"provider_ref":"X","paid_at":%q}`, id, paidAt))
	}
	for _, c := range []struct {
		name   string
		status int
		body   []byte
		key    string // "" leaves the answer unsigned
	}{
		{"unsigned approval", 201, approved(r.ID), ""},
		{"approval signed with another key", 201, approved(r.ID), "fedcba9876543210fedcba9876543210"},
		{"approval of another payment", 201, approved(uuid.Must(uuid.NewV7())), key},
		{"unsigned refusal", 400, []byte(`{"code":"invalid_request","message":"no"}`), ""},
		{"server error", 500, []byte(`{"code":"internal","message":"oops"}`), key},
		{"not json", 201, []byte(`<html>gateway timeout</html>`), key},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
				if c.key != "" {
					httpsig.SignResponse(w.Header(), []byte(c.key), c.status, req.URL.EscapedPath(), c.body, time.Now())
				}
				w.WriteHeader(c.status)
				_, _ = w.Write(c.body)
			}))
			defer srv.Close()
			g, _ := payments.NewGateway(srv.URL, "m", key, time.Second)
			p, err := g.Pay(context.Background(), r)
			if !errors.Is(err, payments.ErrPending) || p.Status != payments.StatusPending {
				t.Fatalf("Pay = %+v, %v; want pending", p, err)
			}
		})
	}
}

// syncBuffer is a log sink safe for the gateway's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// The customer's code appears in no log line, error or formatted value.
func TestAuthCodeIsNeverPrinted(t *testing.T) {
	s := paytest.New(t)
	var logs syncBuffer
	log := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	g := s.Gateway(300 * time.Millisecond).WithLogger(log)
	ctx := context.Background()

	var printed []string
	for _, prefix := range []string{paytest.PrefixExpired, paytest.PrefixSlow, paytest.PrefixLost, paytest.PrefixInsufficientFunds, paytest.PrefixApproved} {
		r := request(paytest.Code(prefix), 100)
		p, err := g.Pay(ctx, r)
		if err != nil {
			printed = append(printed, err.Error())
		}
		js, _ := json.Marshal(r)
		printed = append(printed, fmt.Sprintf("%v|%+v|%#v|%s|%d|%q", r, r, r, r, r, r), string(js),
			p.DeclineMessage, p.DeclineCode)
		log.Info("checkout", "request", r)
		for _, text := range printed {
			if strings.Contains(text, r.AuthCode) {
				t.Fatalf("prefix %s: the code appears in %q", prefix, text)
			}
		}
		if strings.Contains(logs.String(), r.AuthCode) {
			t.Fatalf("prefix %s: the code appears in the log:\n%s", prefix, logs.String())
		}
		if !strings.Contains(logs.String(), payments.MaskCode(r.AuthCode)) {
			t.Fatalf("prefix %s: the masked code is not in the log", prefix)
		}
	}
	if !strings.Contains(logs.String(), "outcome unknown") {
		t.Fatalf("the unknown outcomes were not logged:\n%s", logs.String())
	}
	invalid := request("1234567890123456789012345", 100) // too long: refused before sending
	if _, err := g.Pay(ctx, invalid); err == nil || strings.Contains(err.Error(), invalid.AuthCode) {
		t.Fatalf("invalid request err = %v", err)
	}
}

func TestMaskCode(t *testing.T) {
	for code, want := range map[string]string{
		"134567890123456789": "13**************89",
		"123456789":          "*********",
		"":                   "",
		"付款码1234567890":      "付款*********90",
	} {
		if got := payments.MaskCode(code); got != want {
			t.Errorf("MaskCode(%q) = %q, want %q", code, got, want)
		}
	}
}
