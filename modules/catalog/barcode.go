package catalog

import (
	"errors"
	"fmt"
	"strings"
)

// Barcode kinds as stored in sku_barcodes.kind.
const (
	KindEAN13   = "ean13"
	KindEAN8    = "ean8"
	KindUPCA    = "upca"
	KindInStore = "instore"
)

// errBarcode is the message of a barcode that cannot be registered.
var (
	errBarcodeEmpty = errors.New("is required")
	errBarcodeChars = errors.New("must be 1-32 letters or digits")
	errBarcodeCheck = errors.New("has a wrong check digit")
)

// NormalizeBarcode validates a barcode for registration and returns its
// stored form and kind. Codes of 8, 12 or 13 digits are EAN-8, UPC-A and
// EAN-13 and must carry a correct check digit. A UPC-A code is stored as the
// EAN-13 it is (a leading 0), so a scanner sending either form finds it; its
// kind stays upca. Any other code of letters and digits is an in-store code.
func NormalizeBarcode(raw string) (code, kind string, err error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", "", errBarcodeEmpty
	}
	if len(s) > 32 || !isAlnum(s) {
		return "", "", errBarcodeChars
	}
	if !isDigits(s) {
		return s, KindInStore, nil
	}
	switch len(s) {
	case 13:
		if !CheckDigitOK(s) {
			return "", "", errBarcodeCheck
		}
		if s[0] == '0' {
			return s, KindUPCA, nil
		}
		return s, KindEAN13, nil
	case 12:
		if !CheckDigitOK(s) {
			return "", "", errBarcodeCheck
		}
		return "0" + s, KindUPCA, nil
	case 8:
		if !CheckDigitOK(s) {
			return "", "", errBarcodeCheck
		}
		return s, KindEAN8, nil
	}
	return s, KindInStore, nil
}

// CheckDigitOK reports whether the last digit of an all-digit code is the
// GS1 (EAN/UPC) mod-10 check digit of the others. It works for EAN-8,
// UPC-A, EAN-13 and the 18-digit scale codes alike.
func CheckDigitOK(s string) bool {
	if len(s) < 2 || !isDigits(s) {
		return false
	}
	return CheckDigit(s[:len(s)-1]) == s[len(s)-1]
}

// CheckDigit computes the GS1 check digit of the digits in body: from the
// right, weights 3, 1, 3, ...; the digit brings the sum to a multiple of 10.
func CheckDigit(body string) byte {
	sum := 0
	for i := 0; i < len(body); i++ {
		d := int(body[len(body)-1-i] - '0')
		if i%2 == 0 {
			sum += 3 * d
		} else {
			sum += d
		}
	}
	return byte('0' + (10-sum%10)%10)
}

// ScaleLayout is how a chain's scales print weighed-goods barcodes: the
// prefix, then PLULength digits of PLU, then the value (ValueKind weight: grams;
// price: fen; price_weight: price then weight, each ValueLength digits),
// then a check digit.
type ScaleLayout struct {
	Prefix      string `json:"prefix" validate:"required,numeric,min=1,max=3"`
	PLULength   int    `json:"plu_length" validate:"min=4,max=6"`
	ValueKind   string `json:"value_kind" validate:"required,oneof=weight price price_weight"`
	ValueLength int    `json:"value_length" validate:"min=4,max=6"`
}

// DefaultScaleLayout is used when a chain has set none: EAN-13 codes
// 2 + PLU(6) + weight in grams(5) + check, what most Chinese scales print
// out of the box.
var DefaultScaleLayout = ScaleLayout{Prefix: "2", PLULength: 6, ValueKind: "weight", ValueLength: 5}

// Length is the number of digits of a barcode in this layout.
func (l ScaleLayout) Length() int {
	n := len(l.Prefix) + l.PLULength + l.ValueLength + 1
	if l.ValueKind == "price_weight" {
		n += l.ValueLength
	}
	return n
}

// Check reports why a layout cannot describe EAN-13 or 18-digit codes.
func (l ScaleLayout) Check() error {
	if !isDigits(l.Prefix) || len(l.Prefix) < 1 || len(l.Prefix) > 3 {
		return errors.New("prefix must be 1-3 digits")
	}
	if n := l.Length(); n != 13 && n != 18 {
		return fmt.Errorf("prefix, PLU, value and check digit make %d digits; scales print 13 or 18", n)
	}
	return nil
}

// scaleShaped reports whether some valid layout could read the code as a
// weighed-goods code: 13 or 18 digits (what Check allows), before the
// chain's layouts are known.
func scaleShaped(s string) bool { return isDigits(s) && (len(s) == 13 || len(s) == 18) }

// Scanned is what a scanned code means.
type Scanned struct {
	Code     string // the code to look up in sku_barcodes (normalised)
	Kind     string
	Weighed  bool
	PLU      string // weighed codes: the PLU, leading zeros removed
	Quantity *int64 // grams (thousandths of a kilogram) embedded in the code
	Amount   *int64 // price in fen embedded in the code
}

// ErrNotScannable is a scanned code that is neither a registered form nor a
// well-formed weighed-goods code.
var ErrNotScannable = errors.New("catalog: not a barcode")

// ParseScan interprets a code read by a scanner. A code of the length and
// prefix of one of layouts with a good check digit is a weighed-goods code
// (the PLU and embedded weight or price are returned); other codes are
// normalised as NormalizeBarcode does. It never panics on any input.
func ParseScan(raw string, layouts []ScaleLayout) (Scanned, error) {
	s := strings.TrimSpace(raw)
	if s == "" || len(s) > 32 || !isAlnum(s) {
		return Scanned{}, ErrNotScannable
	}
	if isDigits(s) {
		for _, l := range layouts {
			if l.Check() != nil || len(s) != l.Length() || !strings.HasPrefix(s, l.Prefix) || !CheckDigitOK(s) {
				continue
			}
			rest := s[len(l.Prefix) : len(s)-1]
			plu := strings.TrimLeft(rest[:l.PLULength], "0")
			if plu == "" {
				plu = "0"
			}
			out := Scanned{Code: s, Kind: KindInStore, Weighed: true, PLU: plu}
			v := rest[l.PLULength:]
			switch l.ValueKind {
			case "weight":
				q := atoi(v)
				out.Quantity = &q
			case "price":
				a := atoi(v)
				out.Amount = &a
			case "price_weight":
				a, q := atoi(v[:l.ValueLength]), atoi(v[l.ValueLength:])
				out.Amount, out.Quantity = &a, &q
			}
			return out, nil
		}
	}
	code, kind, err := NormalizeBarcode(s)
	if err != nil {
		// A mistyped EAN (bad check digit) can still be an in-store code
		// someone registered; look it up as typed.
		return Scanned{Code: s, Kind: KindInStore}, nil
	}
	return Scanned{Code: code, Kind: kind}, nil
}

func atoi(s string) int64 {
	var n int64
	for i := 0; i < len(s); i++ {
		n = n*10 + int64(s[i]-'0')
	}
	return n
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}
