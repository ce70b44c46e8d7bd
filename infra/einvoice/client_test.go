package einvoice_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"chainstore/infra/einvoice"
	"chainstore/infra/einvoice/einvoicetest"
	"chainstore/infra/httpsig"
	"github.com/google/uuid"
)

const (
	seller = "91350100M000100Y43"
	buyer  = "9144030071526726XG"
)

func newID() uuid.UUID { return uuid.Must(uuid.NewV7()) }

// blue is a sale of a 13% item and a 9% item: 113.00 + 10.90.
func blue() einvoice.Request {
	return einvoice.Request{ID: newID(), Kind: einvoice.KindBlue, SellerTaxID: seller, BuyerTitle: "腾讯科技（深圳）有限公司",
		BuyerTaxID: buyer, BuyerEmail: "fapiao@example.com",
		Lines: []einvoice.Line{
			{Name: "*日用品*洗衣液 2kg", TaxCode: "1070222010000000000", Qty: 2000, UnitPrice: 5650, Amount: 11300, TaxRateBP: 1300},
			{Name: "*乳制品*鲜牛奶", Qty: 1000, UnitPrice: 1090, Amount: 1090, TaxRateBP: 900},
		},
		Total: 12390}
}

// red reverses amount (positive fen) of line i of b.
func red(b einvoice.Request, i int, amount int64) einvoice.Request {
	r := b
	l := b.Lines[i]
	l.Amount, l.Qty = -amount, -l.Qty*amount/l.Amount
	r.ID, r.Kind, r.OriginalID, r.Lines, r.Total = newID(), einvoice.KindRed, &b.ID, []einvoice.Line{l}, -amount
	return r
}

func TestLineTax(t *testing.T) {
	for _, c := range []struct{ amount, rate, net, tax int64 }{
		{11300, 1300, 10000, 1300},
		{1090, 900, 1000, 90},
		{100, 1300, 88, 12}, // 88.495…
		{1, 1300, 1, 0},     // 0.885 rounds to the fen
		{1, 600, 1, 0},
		{5, 1300, 4, 1}, // 4.42…
		{1000, 0, 1000, 0},
		{-100, 1300, -88, -12}, // a red line reverses exactly the blue one's tax
		{-11300, 1300, -10000, -1300},
	} {
		if net, tax := einvoice.LineTax(c.amount, c.rate); net != c.net || tax != c.tax {
			t.Errorf("LineTax(%d, %d) = %d, %d; want %d, %d", c.amount, c.rate, net, tax, c.net, c.tax)
		}
	}
	if got := blue().Tax(); got != 1300+90 {
		t.Errorf("Tax = %d", got)
	}
}

func TestIssueBlueNumbersInSequence(t *testing.T) {
	s := einvoicetest.New(t)
	c := s.Client(0)
	ctx := context.Background()
	r1, r2 := blue(), blue()
	a, err := c.Issue(ctx, r1)
	if err != nil {
		t.Fatalf("Issue: %v", err)
	}
	if a.Status != einvoice.StatusIssued || a.ID != r1.ID || a.Kind != einvoice.KindBlue || a.Total != 12390 || a.Tax != 1390 ||
		len(a.Number) != 20 || a.IssuedAt.IsZero() || a.PDFURL == "" || a.OriginalID != nil {
		t.Fatalf("invoice = %+v", a)
	}
	b, err := c.Issue(ctx, r2)
	if err != nil {
		t.Fatal(err)
	}
	n1, _ := strconv.ParseInt(a.Number[4:], 10, 64) // after the year and region
	n2, _ := strconv.ParseInt(b.Number[4:], 10, 64)
	if n2 != n1+1 {
		t.Fatalf("numbers %s then %s are not sequential", a.Number, b.Number)
	}
	q, err := c.Query(ctx, r1.ID)
	if err != nil || q.Number != a.Number || q.Status != einvoice.StatusIssued {
		t.Fatalf("Query = %+v, %v", q, err)
	}
	if _, err := c.Query(ctx, newID()); !errors.Is(err, einvoice.ErrNotFound) {
		t.Fatalf("Query of an unknown id: %v", err)
	}
	resp, err := http.Get(a.PDFURL)
	if err != nil || resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("PDF: %v %v", resp, err)
	}
	resp.Body.Close()

	person := blue()
	person.BuyerTitle, person.BuyerTaxID, person.BuyerEmail = "张三", "", ""
	if _, err := c.Issue(ctx, person); err != nil {
		t.Fatalf("an individual's invoice: %v", err)
	}
}

func TestIssueOncePerID(t *testing.T) {
	s := einvoicetest.New(t)
	c := s.Client(0)
	ctx := context.Background()
	r := blue()
	first, err := c.Issue(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.Issue(ctx, r)
	if err != nil || again.Number != first.Number {
		t.Fatalf("repeat = %+v, %v; want the same invoice", again, err)
	}
	if s.Issued(r.ID) != 1 || s.Calls(r.ID) != 2 || s.Count() != 1 {
		t.Fatalf("issued %d, calls %d, count %d", s.Issued(r.ID), s.Calls(r.ID), s.Count())
	}
	other := r
	other.BuyerTitle = "另一家公司"
	if _, err := c.Issue(ctx, other); !errors.Is(err, einvoice.ErrConflict) {
		t.Fatalf("the same id with another buyer: %v", err)
	}
}

func TestValidationSendsNothing(t *testing.T) {
	s := einvoicetest.New(t)
	c := s.Client(0)
	issued := blue()
	if _, err := c.Issue(context.Background(), issued); err != nil {
		t.Fatal(err)
	}
	for name, mutate := range map[string]func(*einvoice.Request){
		"no id":               func(r *einvoice.Request) { r.ID = uuid.Nil },
		"unknown kind":        func(r *einvoice.Request) { r.Kind = "green" },
		"blue with original":  func(r *einvoice.Request) { r.OriginalID = &issued.ID },
		"red without":         func(r *einvoice.Request) { *r = red(issued, 0, 100); r.OriginalID = nil },
		"red of itself":       func(r *einvoice.Request) { *r = red(issued, 0, 100); r.OriginalID = &r.ID },
		"red with positives":  func(r *einvoice.Request) { r.Kind, r.OriginalID = einvoice.KindRed, &issued.ID },
		"blue with negatives": func(r *einvoice.Request) { r.Lines[1].Amount, r.Total = -1090, 11300-1090 },
		"total not the sum":   func(r *einvoice.Request) { r.Total++ },
		"zero total":          func(r *einvoice.Request) { r.Lines = r.Lines[:1]; r.Lines[0].Amount, r.Total = 0, 0 },
		"no lines":            func(r *einvoice.Request) { r.Lines, r.Total = nil, 0 },
		"bad check digit":     func(r *einvoice.Request) { r.BuyerTaxID = "9144030071526726XH" },
		"bad seller":          func(r *einvoice.Request) { r.SellerTaxID = "" },
		"no title":            func(r *einvoice.Request) { r.BuyerTitle = "  " },
		"bad email":           func(r *einvoice.Request) { r.BuyerEmail = "张三 <a@b.c>" },
		"rate 13 not 1300":    func(r *einvoice.Request) { r.Lines[0].TaxRateBP = 13 },
		"negative price":      func(r *einvoice.Request) { r.Lines[0].UnitPrice = -1 },
		"no name":             func(r *einvoice.Request) { r.Lines[0].Name = "" },
		"short tax code":      func(r *einvoice.Request) { r.Lines[0].TaxCode = "107" },
	} {
		r := blue()
		mutate(&r)
		if _, err := c.Issue(context.Background(), r); !errors.Is(err, einvoice.ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
		if s.Calls(r.ID) != 0 {
			t.Errorf("%s: the request was sent", name)
		}
	}
	if s.Count() != 1 {
		t.Fatalf("%d invoices issued", s.Count())
	}
}

func TestRedLetter(t *testing.T) {
	s := einvoicetest.New(t)
	c := s.Client(0)
	ctx := context.Background()
	b := blue()
	bi, err := c.Issue(ctx, b)
	if err != nil {
		t.Fatal(err)
	}

	// A return of the milk, then of part of the detergent, then the rest.
	milk := red(b, 1, 1090)
	ri, err := c.Issue(ctx, milk)
	if err != nil {
		t.Fatalf("red: %v", err)
	}
	if ri.Kind != einvoice.KindRed || ri.OriginalID == nil || *ri.OriginalID != b.ID || ri.Total != -1090 || ri.Tax != -90 || ri.Number == bi.Number {
		t.Fatalf("red invoice = %+v", ri)
	}
	if _, err := c.Issue(ctx, red(b, 0, 5650)); err != nil {
		t.Fatalf("partial red: %v", err)
	}
	if _, err := c.Issue(ctx, red(b, 0, 5651)); !errors.Is(err, einvoice.ErrRedLetter) {
		t.Fatalf("red beyond the blue: %v", err)
	}
	if _, err := c.Issue(ctx, red(b, 0, 5650)); err != nil {
		t.Fatalf("the rest: %v", err)
	}
	if s.Reversed(b.ID) != 12390 {
		t.Fatalf("reversed %d of 12390", s.Reversed(b.ID))
	}
	if _, err := c.Issue(ctx, red(b, 0, 1)); !errors.Is(err, einvoice.ErrRedLetter) {
		t.Fatalf("red of a fully reversed blue: %v", err)
	}
	if again, err := c.Issue(ctx, milk); err != nil || again.Number != ri.Number {
		t.Fatalf("a repeated red is the same invoice: %+v, %v", again, err)
	}

	unknown := blue()
	if _, err := c.Issue(ctx, red(unknown, 0, 100)); !errors.Is(err, einvoice.ErrRedLetter) {
		t.Fatalf("red of an unknown blue: %v", err)
	}
	ofRed := red(b, 0, 100)
	ofRed.OriginalID = &milk.ID
	if _, err := c.Issue(ctx, ofRed); !errors.Is(err, einvoice.ErrRedLetter) {
		t.Fatalf("red of a red: %v", err)
	}
	b2 := blue()
	_, _ = c.Issue(ctx, b2)
	otherBuyer := red(b2, 0, 100)
	otherBuyer.BuyerTaxID = "914403001922038216"
	if _, err := c.Issue(ctx, otherBuyer); !errors.Is(err, einvoice.ErrRedLetter) {
		t.Fatalf("red for another buyer: %v", err)
	}

	s.Fail("税局校验失败")
	failed := blue()
	_, _ = c.Issue(ctx, failed)
	s.Fail("")
	if _, err := c.Issue(ctx, red(failed, 0, 100)); !errors.Is(err, einvoice.ErrRedLetter) {
		t.Fatalf("red of a failed blue: %v", err)
	}
}

// An issue whose answer comes too late was made: pending, then Query finds
// it issued and issuing again returns the same number.
func TestSlowIsPendingAndIssuedOnce(t *testing.T) {
	s := einvoicetest.New(t)
	var logs bytes.Buffer
	c := s.Client(200 * time.Millisecond).WithLogger(slog.New(slog.NewTextHandler(&logs, nil)))
	ctx := context.Background()
	s.Slow(2 * time.Second)
	r := blue()
	inv, err := c.Issue(ctx, r)
	if !errors.Is(err, einvoice.ErrPending) || inv.Status != einvoice.StatusPending || inv.ID != r.ID {
		t.Fatalf("Issue = %+v, %v; want pending", inv, err)
	}
	if !strings.Contains(logs.String(), r.ID.String()) {
		t.Fatalf("the unknown outcome was not logged: %q", logs.String())
	}
	for _, pii := range []string{r.BuyerTitle, r.BuyerTaxID, r.BuyerEmail} {
		if strings.Contains(logs.String(), pii) || strings.Contains(err.Error(), pii) {
			t.Fatalf("the buyer's %q was logged or returned: %s / %v", pii, logs.String(), err)
		}
	}
	s.Slow(0)
	q, err := c.Query(ctx, r.ID)
	if err != nil || q.Status != einvoice.StatusIssued {
		t.Fatalf("Query = %+v, %v", q, err)
	}
	again, err := c.Issue(ctx, r)
	if err != nil || again.Number != q.Number || s.Issued(r.ID) != 1 {
		t.Fatalf("again = %+v, %v, issued %d", again, err, s.Issued(r.ID))
	}
}

func TestFailedThenIssuedUnderTheSameID(t *testing.T) {
	s := einvoicetest.New(t)
	c := s.Client(0)
	ctx := context.Background()
	s.Fail("购买方纳税人识别号不存在")
	r := blue()
	inv, err := c.Issue(ctx, r)
	if !errors.Is(err, einvoice.ErrFailed) || inv.Status != einvoice.StatusFailed || inv.FailReason != "购买方纳税人识别号不存在" ||
		!strings.Contains(err.Error(), "纳税人识别号不存在") {
		t.Fatalf("Issue = %+v, %v; want failed with the reason", inv, err)
	}
	if s.Issued(r.ID) != 0 || s.Count() != 0 {
		t.Fatal("a failed invoice took a number")
	}
	s.Fail("")
	inv, err = c.Issue(ctx, r)
	if err != nil || inv.Status != einvoice.StatusIssued || s.Issued(r.ID) != 1 {
		t.Fatalf("retry = %+v, %v", inv, err)
	}
}

func TestHeldUntilReleased(t *testing.T) {
	s := einvoicetest.New(t)
	c := s.Client(0)
	ctx := context.Background()
	s.Hold(true)
	r := blue()
	if inv, err := c.Issue(ctx, r); !errors.Is(err, einvoice.ErrPending) || inv.Status != einvoice.StatusPending {
		t.Fatalf("Issue = %+v, %v", inv, err)
	}
	if q, err := c.Query(ctx, r.ID); err != nil || q.Status != einvoice.StatusPending {
		t.Fatalf("Query = %+v, %v; want pending without error", q, err)
	}
	// Its red invoice must wait for it.
	if _, err := c.Issue(ctx, red(r, 0, 100)); !errors.Is(err, einvoice.ErrRedLetter) {
		t.Fatalf("red of a pending blue: %v", err)
	}
	if err := s.Release(r.ID); err != nil {
		t.Fatal(err)
	}
	if q, err := c.Query(ctx, r.ID); err != nil || q.Status != einvoice.StatusIssued {
		t.Fatalf("Query = %+v, %v; want issued", q, err)
	}
	if s.Release(r.ID) == nil {
		t.Fatal("released an issued invoice")
	}
}

func TestSignatures(t *testing.T) {
	s := einvoicetest.New(t)
	wrong, _ := einvoice.NewClient(s.URL, strings.Repeat("x", 32), time.Second)
	r := blue()
	if _, err := wrong.Issue(context.Background(), r); !errors.Is(err, einvoice.ErrPending) {
		t.Fatalf("wrong key: %v, want ErrPending (the refusal cannot be verified)", err)
	}
	if s.Rejected() != 1 || s.Calls(r.ID) != 0 {
		t.Fatalf("rejected %d, calls %d", s.Rejected(), s.Calls(r.ID))
	}
	body := []byte(`{}`)
	ts := time.Now().Add(-10 * time.Minute).Unix()
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/v1/invoices", bytes.NewReader(body))
	req.Header.Set(httpsig.HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(httpsig.HeaderSignature, httpsig.Sign([]byte(s.Key), "POST", "/v1/invoices", ts, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e struct{ Code string }
	_ = json.NewDecoder(resp.Body).Decode(&e)
	if resp.StatusCode != 401 || e.Code != "stale_timestamp" {
		t.Fatalf("stale request: %d %q", resp.StatusCode, e.Code)
	}
	for _, bad := range []struct{ url, key string }{{"mailto:x", strings.Repeat("k", 16)}, {"http://x", "short"}} {
		if _, err := einvoice.NewClient(bad.url, bad.key, 0); err == nil {
			t.Errorf("NewClient(%q, %q) accepted", bad.url, bad.key)
		}
	}
}

func TestUnsignedAnswerIsNotBelieved(t *testing.T) {
	r := blue()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(201)
		_, _ = w.Write([]byte(`{"id":"` + r.ID.String() + `","kind":"blue","status":"issued","number":"1","issued_at":"2026-01-01T00:00:00Z","total":12390,"tax":1390}`))
	}))
	defer srv.Close()
	c, _ := einvoice.NewClient(srv.URL, strings.Repeat("k", 16), time.Second)
	if inv, err := c.Issue(context.Background(), r); !errors.Is(err, einvoice.ErrPending) || inv.Status != einvoice.StatusPending {
		t.Fatalf("Issue = %+v, %v; want pending", inv, err)
	}
}
