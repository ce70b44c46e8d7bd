package einvoice

import (
	"strings"
	"testing"
)

func TestValidTaxID(t *testing.T) {
	for _, s := range []string{
		"91350100M000100Y43", // the example of GB 32100-2015
		"9144030071526726XG",
		"914403001922038216",
		"91110108551385082Q",
		"91330100716105852F",
		"91310000607206953D",
		"110108551385082",      // 15: region + organisation code
		"44030019220382160001", // 20
	} {
		if !ValidTaxID(s) {
			t.Errorf("ValidTaxID(%q) = false", s)
		}
	}
	for _, s := range []string{
		"", "91350100M000100Y4", "91350100M000100Y44", // wrong check character
		"91350100M000100Y4I",                                    // I is not a USCC character
		"91350100m000100Y43",                                    // lower case: NormalizeTaxID first
		" 91350100M000100Y43",                                   // spaces: NormalizeTaxID first
		"9135010OM000100Y43",                                    // O for 0
		"11010855138508", "1101085513850822", "A10108551385082", // 14, 16; letter in the region
		"4403001922038216000-", "913501００M000100Y43", // punctuation; full-width digits
	} {
		if ValidTaxID(s) {
			t.Errorf("ValidTaxID(%q) = true", s)
		}
	}
	if got := NormalizeTaxID(" 9135 0100m000100y43 "); got != "91350100M000100Y43" || !ValidTaxID(got) {
		t.Errorf("NormalizeTaxID = %q", got)
	}
}

// FuzzValidTaxID: no panic; what passes has a tax id's length and
// characters; and of the 31 possible check characters of an 18-character
// code exactly one is valid.
func FuzzValidTaxID(f *testing.F) {
	for _, s := range []string{"91350100M000100Y43", "9144030071526726XG", "110108551385082", "44030019220382160001", "", "ÿÿÿ", "91350100M000100Y4\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ok := ValidTaxID(s)
		if ok && len(s) != 15 && len(s) != 18 && len(s) != 20 {
			t.Fatalf("ValidTaxID(%q) with length %d", s, len(s))
		}
		if ok && strings.Trim(s, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
			t.Fatalf("ValidTaxID(%q) with other characters", s)
		}
		if len(s) == 18 && usccCheck(s[:17]) != 0 {
			valid := 0
			for i := 0; i < len(usccChars); i++ {
				if ValidTaxID(s[:17] + usccChars[i:i+1]) {
					valid++
				}
			}
			if valid != 1 {
				t.Fatalf("%q: %d check characters pass", s[:17], valid)
			}
		}
		if ok && ValidTaxID(NormalizeTaxID(s)) != ok {
			t.Fatalf("NormalizeTaxID changed a valid %q", s)
		}
	})
}
