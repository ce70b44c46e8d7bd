package einvoice

import "strings"

// usccChars are the characters of a 统一社会信用代码 in the order of their
// values (GB 32100-2015: digits and capitals without I, O, S, V, Z).
const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccWeights are 3^(i) mod 31 for positions 1 to 17.
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// ValidTaxID reports whether s is a taxpayer identification number as
// written on a fapiao: an 18-character 统一社会信用代码 whose check
// character holds (GB 32100-2015), or a legacy 15-character (6-digit
// region and 9-character organisation code) or 20-character number of
// digits and capital letters. It does not trim or fold case (see
// NormalizeTaxID).
func ValidTaxID(s string) bool {
	switch len(s) {
	case 18:
		c := usccCheck(s[:17])
		return c != 0 && c == s[17]
	case 15:
		return strings.Trim(s[:6], "0123456789") == "" && alnum(s[6:])
	case 20:
		return alnum(s)
	}
	return false
}

// NormalizeTaxID is s as customers type it made canonical: spaces removed,
// letters in capitals. Validate the result with ValidTaxID.
func NormalizeTaxID(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}

// usccCheck is the check character of the first 17 characters of a USCC,
// or 0 when one of them is not a USCC character.
func usccCheck(s string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(usccChars, s[i])
		if v < 0 {
			return 0
		}
		sum += v * usccWeights[i]
	}
	return usccChars[(31-sum%31)%31]
}

func alnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return true
}
