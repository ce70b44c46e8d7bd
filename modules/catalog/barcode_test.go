package catalog

import (
	"strings"
	"testing"
)

func TestNormalizeBarcodeCheckDigits(t *testing.T) {
	cases := []struct {
		in, code, kind string
		bad            bool
	}{
		{in: "6901234567892", code: "6901234567892", kind: KindEAN13},   // EAN-13, check 2
		{in: "6901234567893", bad: true},                                // wrong check digit
		{in: "4006381333931", code: "4006381333931", kind: KindEAN13},   // the classic GS1 example
		{in: "96385074", code: "96385074", kind: KindEAN8},              // EAN-8
		{in: "96385075", bad: true},                                     // EAN-8, wrong check
		{in: "036000291452", code: "0036000291452", kind: KindUPCA},     // UPC-A stored as EAN-13
		{in: "036000291453", bad: true},                                 // UPC-A, wrong check
		{in: "0036000291452", code: "0036000291452", kind: KindUPCA},    // its EAN-13 form
		{in: " 6901234567892 ", code: "6901234567892", kind: KindEAN13}, // trimmed
		{in: "A1234", code: "A1234", kind: KindInStore},                 // in-store code
		{in: "12345", code: "12345", kind: KindInStore},                 // short digits: in-store
		{in: "", bad: true},                                             // empty
		{in: "69012345-6789", bad: true},                                // punctuation
		{in: strings.Repeat("1", 33), bad: true},                        // too long
		{in: "条码123", bad: true},                                        // not ASCII
	}
	for _, c := range cases {
		code, kind, err := NormalizeBarcode(c.in)
		if c.bad {
			if err == nil {
				t.Errorf("NormalizeBarcode(%q) = %q %q, want an error", c.in, code, kind)
			}
			continue
		}
		if err != nil || code != c.code || kind != c.kind {
			t.Errorf("NormalizeBarcode(%q) = %q %q %v, want %q %q", c.in, code, kind, err, c.code, c.kind)
		}
	}
}

func TestCheckDigit(t *testing.T) {
	for body, want := range map[string]byte{"690123456789": '2', "400638133393": '1', "9638507": '4', "03600029145": '2'} {
		if got := CheckDigit(body); got != want {
			t.Errorf("CheckDigit(%s) = %c, want %c", body, got, want)
		}
	}
}

// scaleCode builds a weighed-goods code in a layout with its check digit.
func scaleCode(prefix, plu, value string) string {
	body := prefix + plu + value
	return body + string(CheckDigit(body))
}

func TestParseScanWeighedGoods(t *testing.T) {
	code := scaleCode("2", "001234", "01250") // PLU 1234, 1.250 kg
	sc, err := ParseScan(code, []ScaleLayout{DefaultScaleLayout})
	if err != nil || !sc.Weighed || sc.PLU != "1234" || sc.Quantity == nil || *sc.Quantity != 1250 || sc.Amount != nil {
		t.Fatalf("default layout %s: %+v %v", code, sc, err)
	}
	// Price-embedding layout with a two-digit prefix.
	priced := ScaleLayout{Prefix: "27", PLULength: 5, ValueKind: "price", ValueLength: 5}
	code = scaleCode("27", "00042", "01999") // PLU 42, ¥19.99
	sc, err = ParseScan(code, []ScaleLayout{priced})
	if err != nil || !sc.Weighed || sc.PLU != "42" || sc.Amount == nil || *sc.Amount != 1999 || sc.Quantity != nil {
		t.Fatalf("price layout %s: %+v %v", code, sc, err)
	}
	// 18-digit price+weight codes.
	both := ScaleLayout{Prefix: "20", PLULength: 5, ValueKind: "price_weight", ValueLength: 5}
	if both.Check() != nil {
		t.Fatalf("18-digit layout rejected: %v", both.Check())
	}
	code = scaleCode("20", "00007", "0259800350") // ¥25.98 for 350 g
	sc, err = ParseScan(code, []ScaleLayout{both})
	if err != nil || !sc.Weighed || sc.PLU != "7" || *sc.Amount != 2598 || *sc.Quantity != 350 {
		t.Fatalf("18-digit layout %s: %+v %v", code, sc, err)
	}
	// A bad check digit is not a scale code; an ordinary EAN-13 is not either.
	bad := code[:len(code)-1] + string('0'+(code[len(code)-1]-'0'+1)%10)
	if sc, _ := ParseScan(bad, []ScaleLayout{both}); sc.Weighed {
		t.Fatalf("%s with a wrong check digit parsed as weighed", bad)
	}
	if sc, _ := ParseScan("6901234567892", []ScaleLayout{DefaultScaleLayout}); sc.Weighed || sc.Kind != KindEAN13 {
		t.Fatalf("ordinary EAN-13: %+v", sc)
	}
	if sc, _ := ParseScan("036000291452", nil); sc.Code != "0036000291452" || sc.Kind != KindUPCA {
		t.Fatalf("UPC-A scan: %+v", sc)
	}
	if (ScaleLayout{Prefix: "2", PLULength: 5, ValueKind: "weight", ValueLength: 5}).Check() == nil {
		t.Fatal("a 12-digit layout was accepted")
	}
}

func TestParseYuan(t *testing.T) {
	for in, want := range map[string]int64{"12.5": 1250, "12.50": 1250, "0.01": 1, "3": 300, "¥3.2": 320, "0": 0} {
		if got, err := ParseYuan(in); err != nil || got != want {
			t.Errorf("ParseYuan(%q) = %d %v, want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "1.234", "-1", "1e3", "abc", ".5", "1.", "12,50", "9999999999"} {
		if _, err := ParseYuan(in); err == nil {
			t.Errorf("ParseYuan(%q) accepted", in)
		}
	}
	for fen, want := range map[int64]string{1250: "12.50", 1: "0.01", 0: "0.00"} {
		if got := FormatYuan(fen); got != want {
			t.Errorf("FormatYuan(%d) = %s", fen, got)
		}
	}
}

// FuzzParseScan: any scanned input parses or is refused, never panics; a
// weighed result always has a PLU and a value, its code passes the check
// digit and is scale-shaped (the look-up reads layouts only for those); a
// normalised ordinary code is one NormalizeBarcode accepts.
func FuzzParseScan(f *testing.F) {
	layouts := []ScaleLayout{
		{Prefix: "27", PLULength: 5, ValueKind: "price", ValueLength: 5},
		{Prefix: "20", PLULength: 5, ValueKind: "price_weight", ValueLength: 5},
		DefaultScaleLayout,
	}
	for _, seed := range []string{"6901234567892", "96385074", "036000291452", scaleCode("2", "001234", "01250"),
		scaleCode("27", "00042", "01999"), scaleCode("20", "00007", "0259800350"), "", "A1", "2", "2000000000000",
		"\x00\xff", strings.Repeat("9", 40), "２０１"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		sc, err := ParseScan(in, layouts)
		if err != nil {
			return
		}
		if sc.Weighed {
			if sc.PLU == "" || (sc.Quantity == nil && sc.Amount == nil) || !CheckDigitOK(sc.Code) {
				t.Fatalf("weighed scan %q: %+v", in, sc)
			}
			if sc.Quantity != nil && *sc.Quantity < 0 || sc.Amount != nil && *sc.Amount < 0 {
				t.Fatalf("negative value from %q: %+v", in, sc)
			}
			if !scaleShaped(strings.TrimSpace(in)) {
				t.Fatalf("%q read as weighed goods, but the look-up skips codes of its shape", in)
			}
			return
		}
		if sc.Code == "" || len(sc.Code) > 33 {
			t.Fatalf("scan %q gave code %q", in, sc.Code)
		}
		if sc.Kind != KindInStore {
			if code, kind, err := NormalizeBarcode(sc.Code); err != nil || code != sc.Code || kind != sc.Kind {
				t.Fatalf("scan %q → %+v does not normalise to itself (%q %q %v)", in, sc, code, kind, err)
			}
		}
	})
}

// FuzzNormalizeBarcode: an accepted code is stable (normalising it again
// gives it back), digits-only codes of EAN lengths carry good check digits.
func FuzzNormalizeBarcode(f *testing.F) {
	for _, seed := range []string{"6901234567892", "96385074", "036000291452", "A1", "", "0000000000000"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		code, kind, err := NormalizeBarcode(in)
		if err != nil {
			return
		}
		again, kind2, err := NormalizeBarcode(code)
		if err != nil || again != code || kind2 != kind {
			t.Fatalf("%q → %q %q, again %q %q %v", in, code, kind, again, kind2, err)
		}
		if kind != KindInStore && !CheckDigitOK(code) {
			t.Fatalf("%q accepted as %s with a bad check digit", code, kind)
		}
	})
}
