// Package einvoice is the seam between ChainStore and e-invoice (电子发票,
// 数电票) providers: a customer who scans the receipt's QR code asks for a
// fapiao with a title and tax id, the sale's blue invoice is issued once,
// and a return issues the red-letter (红冲) invoice that reverses it.
// Provider is the interface the consumers use; Client is its HTTP
// implementation; einvoicetest is a fake provider for tests.
//
// # The contract
//
// Every invoice carries the caller's id (the sale's or the return's), so
// the same id is issued once: a repeated Issue returns the invoice that id
// already has (a failed one is attempted again), and the same id with a
// different request is ErrConflict. Issue returns a nil error exactly when
// the invoice is issued; otherwise ErrPending (not issued yet, or the
// answer was lost: Query it, or Issue again with the same id), ErrFailed
// (the provider or the tax bureau refused it; the reason says why),
// ErrInvalid (refused before sending), ErrRejected (the provider refused
// the request), ErrRedLetter (a red invoice's blue one is not issued, does
// not match, or would be over-reversed) or ErrConflict.
//
// Amounts are fen, tax included, as the till sells. A red invoice is
// written as it is printed: its quantities, amounts and total are
// negative. Discounts are already in the line amounts (no discount rows).
// Each line's tax is split off once, with the one rounding of
// infra/money: net = MulDiv(amount, 10000, 10000 + rate), tax = amount −
// net (LineTax); the invoice's tax is the sum of its lines' and its total
// the sum of their amounts, so a red invoice reversing whole lines
// reverses exactly their tax.
//
// # The provider protocol
//
// Client speaks a small JSON protocol, the shape a real provider (百望,
// 航信, 诺诺, a 乐企 direct connection) is mapped onto. Every request is
// signed as infra/httpsig says: X-Timestamp (unix seconds; the provider
// refuses one more than five minutes off) and X-Signature, the hex
// HMAC-SHA256 under the account's key of METHOD "\n" PATH "\n" TIMESTAMP
// "\n" BODY; every answer is signed the same way with the status code in
// place of the method, and an answer whose signature fails is not believed.
//
//	POST /v1/invoices       {"id", "kind", "original_id", "seller_tax_id", "buyer_title", "buyer_tax_id",
//	                         "buyer_email", "lines": [{"name", "tax_code", "qty", "unit_price", "amount",
//	                         "tax_rate_bp", "net", "tax"}], "total", "tax"}
//	                        → 201 issued or failed, 202 pending, 200 the id's existing invoice
//	GET  /v1/invoices/{id}  → 200 invoice, 404 not_found
//
// An invoice is {"id", "kind", "original_id", "status", "number", "code",
// "issued_at", "pdf_url", "total", "tax", "fail_reason"} with status
// issued, pending or failed. An error is {"code", "message"} with code
// invalid_request (400: including lines whose net and tax are not the
// rounding above), bad_signature or stale_timestamp (401), not_found
// (404), conflict (409), original_not_found, original_not_issued,
// red_mismatch (seller or buyer differ from the blue invoice's) or
// red_exceeds_original (the red invoices of a blue one together exceed its
// total) (422); any 5xx means the outcome is unknown.
package einvoice

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"chainstore/infra/money"
	"github.com/google/uuid"
)

// Provider issues e-invoices. Implementations are safe for concurrent use.
type Provider interface {
	// Issue issues r once per r.ID. The error is nil exactly when the
	// returned invoice is issued; ErrPending means Query (or Issue the same
	// request again), never issue under a new id.
	Issue(ctx context.Context, r Request) (Invoice, error)
	// Query answers the provider's current view of invoice id (pending or
	// failed included, with a nil error); ErrNotFound when it has none.
	Query(ctx context.Context, id uuid.UUID) (Invoice, error)
}

// Kind says whether an invoice bills (blue) or reverses (red, 红字).
type Kind string

// The kinds.
const (
	KindBlue Kind = "blue"
	KindRed  Kind = "red"
)

// Status is where an invoice stands.
type Status string

// The statuses. Issued is final; a failed invoice may be issued again under
// the same id.
const (
	StatusIssued  Status = "issued"
	StatusPending Status = "pending"
	StatusFailed  Status = "failed"
)

// Errors of the provider. See the package doc for what each asks of the
// caller.
var (
	ErrPending   = errors.New("einvoice: not issued yet (query it, or issue again with the same id)")
	ErrFailed    = errors.New("einvoice: the invoice could not be issued")
	ErrInvalid   = errors.New("einvoice: invalid request (not sent)")
	ErrRejected  = errors.New("einvoice: the provider refused the request")
	ErrConflict  = errors.New("einvoice: the id was already used for a different invoice")
	ErrRedLetter = errors.New("einvoice: red-letter invoice refused")
	ErrNotFound  = errors.New("einvoice: no such invoice")
	// ErrUnavailable is a Query that got no trustworthy answer; try again.
	ErrUnavailable = errors.New("einvoice: the provider gave no usable answer")
)

// TaxRates are the VAT rates an invoice line may carry, in basis points:
// 13%, 9% and 6% (general taxpayers), 5%, 3% and 1% (simplified and
// small-scale), and 0 (zero-rated or exempt).
var TaxRates = []int64{1300, 900, 600, 500, 300, 100, 0}

// Limits of one request.
const (
	MaxLines  = 2000
	maxAmount = 1_000_000_000_000 // fen of one line: ten billion yuan
	maxName   = 100               // characters of a line name or a buyer title
)

// Line is one invoice line.
type Line struct {
	Name string // the goods as invoiced, at most 100 characters
	// TaxCode is the 19-digit 商品和服务税收分类编码; empty lets the
	// provider map Name by its own table.
	TaxCode   string
	Qty       int64 // thousandths of the unit; 0 leaves it off the invoice; negative on a red invoice
	UnitPrice int64 // fen, tax included; 0 leaves it off; never negative
	Amount    int64 // fen, tax included, after discounts; negative on a red invoice
	TaxRateBP int64 // one of TaxRates
}

// Request asks for one invoice.
type Request struct {
	// ID is the caller's invoice id: one invoice per id.
	ID   uuid.UUID
	Kind Kind
	// OriginalID is the blue invoice a red one reverses; nil for blue.
	OriginalID  *uuid.UUID
	SellerTaxID string // the seller's 纳税人识别号 (ValidTaxID)
	BuyerTitle  string // 发票抬头: a company's name, or a person's
	// BuyerTaxID is the buyer's 统一社会信用代码/纳税人识别号 (ValidTaxID);
	// empty for a person.
	BuyerTaxID string
	BuyerEmail string // where the provider sends the PDF; optional
	Lines      []Line
	Total      int64 // fen, tax included: the sum of the line amounts
}

// LineTax splits a tax-included amount at rate (basis points) into net and
// tax with the one rounding: net = MulDiv(amount, 10000, 10000 + rate)
// (half away from zero), tax = amount − net. It is odd in amount, so a
// reversed line reverses exactly its tax.
func LineTax(amount, rateBP int64) (net, tax int64) {
	net = money.MulDiv(amount, 10000, 10000+rateBP)
	return net, amount - net
}

// Tax is the request's tax: the sum of its lines' LineTax.
func (r Request) Tax() int64 {
	var t int64
	for _, l := range r.Lines {
		_, tax := LineTax(l.Amount, l.TaxRateBP)
		t += tax
	}
	return t
}

// Validate reports every problem of r as one ErrInvalid.
func (r Request) Validate() error {
	var bad []string
	add := func(format string, args ...any) { bad = append(bad, fmt.Sprintf(format, args...)) }
	if r.ID == uuid.Nil {
		add("id is required")
	}
	sign, some, total := int64(1), "0 or more", "positive"
	switch r.Kind {
	case KindBlue:
		if r.OriginalID != nil {
			add("a blue invoice has no original")
		}
	case KindRed:
		sign, some, total = -1, "0 or less", "negative"
		if r.OriginalID == nil || *r.OriginalID == uuid.Nil || *r.OriginalID == r.ID {
			add("a red invoice names the blue invoice it reverses")
		}
	default:
		add("kind must be blue or red")
	}
	if !ValidTaxID(r.SellerTaxID) {
		add("seller tax id is not a valid 纳税人识别号")
	}
	if t := strings.TrimSpace(r.BuyerTitle); t == "" || utf8.RuneCountInString(t) > maxName || !utf8.ValidString(t) {
		add("buyer title is required, at most %d characters", maxName)
	}
	if r.BuyerTaxID != "" && !ValidTaxID(r.BuyerTaxID) {
		add("buyer tax id is not a valid 统一社会信用代码/纳税人识别号")
	}
	if r.BuyerEmail != "" {
		if a, err := mail.ParseAddress(r.BuyerEmail); err != nil || a.Address != r.BuyerEmail || len(r.BuyerEmail) > 254 {
			add("buyer email is not an address")
		}
	}
	if len(r.Lines) == 0 || len(r.Lines) > MaxLines {
		add("an invoice has 1 to %d lines", MaxLines)
	}
	var sum int64
	for i, l := range r.Lines {
		if l.Amount*sign < 0 || l.Amount > maxAmount || l.Amount < -maxAmount {
			add("line %d: amount must be %s fen", i+1, some)
		}
		if l.Qty*sign < 0 || l.Qty > maxAmount || l.Qty < -maxAmount {
			add("line %d: quantity must be %s", i+1, some)
		}
		if l.UnitPrice < 0 || l.UnitPrice > maxAmount {
			add("line %d: unit price must be 0 or more fen", i+1)
		}
		if n := strings.TrimSpace(l.Name); n == "" || utf8.RuneCountInString(n) > maxName || !utf8.ValidString(n) {
			add("line %d: name is required, at most %d characters", i+1, maxName)
		}
		if l.TaxCode != "" && (len(l.TaxCode) != 19 || strings.Trim(l.TaxCode, "0123456789") != "") {
			add("line %d: tax code must be the 19 digits of 税收分类编码", i+1)
		}
		if !validRate(l.TaxRateBP) {
			add("line %d: tax rate %d bp is not a VAT rate", i+1, l.TaxRateBP)
		}
		sum += l.Amount
	}
	if r.Total != sum {
		add("total %d is not the sum of the lines, %d", r.Total, sum)
	}
	if r.Total*sign <= 0 {
		add("the total of a %s invoice must be %s", r.Kind, total)
	}
	if len(bad) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalid, strings.Join(bad, "; "))
	}
	return nil
}

func validRate(bp int64) bool {
	for _, r := range TaxRates {
		if bp == r {
			return true
		}
	}
	return false
}

// Invoice is the provider's record of one invoice id.
type Invoice struct {
	ID         uuid.UUID
	Kind       Kind
	OriginalID *uuid.UUID // of a red invoice
	Status     Status
	Number     string // 发票号码 (20 digits for a 数电票)
	Code       string // 发票代码, for the older invoices that have one
	IssuedAt   time.Time
	PDFURL     string
	Total      int64 // fen, tax included; negative for red
	Tax        int64
	FailReason string // why a failed invoice failed, fit to show staff
}
