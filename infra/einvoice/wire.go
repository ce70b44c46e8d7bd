package einvoice

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

// The protocol's JSON bodies (see the package doc).

type wireRequest struct {
	ID          string     `json:"id"`
	Kind        string     `json:"kind"`
	OriginalID  *string    `json:"original_id"`
	SellerTaxID string     `json:"seller_tax_id"`
	BuyerTitle  string     `json:"buyer_title"`
	BuyerTaxID  string     `json:"buyer_tax_id,omitempty"`
	BuyerEmail  string     `json:"buyer_email,omitempty"`
	Lines       []wireLine `json:"lines"`
	Total       int64      `json:"total"`
	Tax         int64      `json:"tax"`
}

type wireLine struct {
	Name      string `json:"name"`
	TaxCode   string `json:"tax_code,omitempty"`
	Qty       int64  `json:"qty,omitempty"`
	UnitPrice int64  `json:"unit_price,omitempty"`
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
	Number     string     `json:"number"`
	Code       string     `json:"code"`
	IssuedAt   *time.Time `json:"issued_at"`
	PDFURL     string     `json:"pdf_url"`
	Total      int64      `json:"total"`
	Tax        int64      `json:"tax"`
	FailReason string     `json:"fail_reason"`
}

type wireError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func encodeRequest(r Request) []byte {
	w := wireRequest{ID: r.ID.String(), Kind: string(r.Kind), SellerTaxID: r.SellerTaxID, BuyerTitle: r.BuyerTitle,
		BuyerTaxID: r.BuyerTaxID, BuyerEmail: r.BuyerEmail, Total: r.Total, Tax: r.Tax()}
	if r.OriginalID != nil {
		s := r.OriginalID.String()
		w.OriginalID = &s
	}
	w.Lines = make([]wireLine, len(r.Lines))
	for i, l := range r.Lines {
		net, tax := LineTax(l.Amount, l.TaxRateBP)
		w.Lines[i] = wireLine{Name: l.Name, TaxCode: l.TaxCode, Qty: l.Qty, UnitPrice: l.UnitPrice, Amount: l.Amount,
			TaxRateBP: l.TaxRateBP, Net: net, Tax: tax}
	}
	body, _ := json.Marshal(w)
	return body
}

const maxText = 512

// decodeInvoice reads an invoice answer and checks it is one: a known kind
// and status, an issued invoice with a number and a time, a tax that fits
// in its total. Anything else is an error, never a panic.
func decodeInvoice(data []byte) (Invoice, error) {
	var w wireInvoice
	if err := json.Unmarshal(data, &w); err != nil {
		return Invoice{}, fmt.Errorf("decoding the invoice: %w", err)
	}
	id, err := uuid.Parse(w.ID)
	if err != nil {
		return Invoice{}, errors.New("the invoice has no valid id")
	}
	inv := Invoice{ID: id, Kind: Kind(w.Kind), Status: Status(w.Status), Number: w.Number, Code: w.Code,
		PDFURL: w.PDFURL, Total: w.Total, Tax: w.Tax, FailReason: w.FailReason}
	if w.OriginalID != nil {
		o, err := uuid.Parse(*w.OriginalID)
		if err != nil {
			return Invoice{}, errors.New("the invoice's original_id is not an id")
		}
		inv.OriginalID = &o
	}
	if w.IssuedAt != nil {
		inv.IssuedAt = w.IssuedAt.UTC()
	}
	switch {
	case inv.Kind != KindBlue && inv.Kind != KindRed:
		return Invoice{}, errors.New("the invoice has an unknown kind")
	case inv.Status != StatusIssued && inv.Status != StatusPending && inv.Status != StatusFailed:
		return Invoice{}, errors.New("the invoice has an unknown status")
	case (inv.Kind == KindRed) != (inv.OriginalID != nil):
		return Invoice{}, errors.New("a red invoice names its original, a blue one none")
	case inv.Kind == KindBlue && (inv.Total <= 0 || inv.Tax < 0 || inv.Tax > inv.Total),
		inv.Kind == KindRed && (inv.Total >= 0 || inv.Tax > 0 || inv.Tax < inv.Total):
		return Invoice{}, errors.New("the invoice's tax does not fit its total")
	case inv.Status == StatusIssued && (inv.Number == "" || inv.IssuedAt.IsZero()):
		return Invoice{}, errors.New("an issued invoice has no number or time")
	}
	for _, s := range []string{inv.Number, inv.Code, inv.PDFURL, inv.FailReason} {
		if len(s) > maxText || !utf8.ValidString(s) {
			return Invoice{}, errors.New("the invoice has an overlong or invalid text field")
		}
	}
	return inv, nil
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
