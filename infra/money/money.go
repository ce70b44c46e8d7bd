// Package money holds the one place amounts are scaled and rounded:
// a × b ÷ c on int64 minor units (fen) or thousandths of a unit, exact in
// between (no overflow of the product), rounded one documented way.
// Prices × quantities, VAT, ratios and moving-average costs all go through
// here, so no two modules round the same figure differently.
package money

import (
	"fmt"
	"math/big"
)

// MulDiv is a × b ÷ c rounded half away from zero (0.5 fen → 1 fen,
// −0.5 → −1), the rounding of Chinese invoices and of stock valuation.
// c = 0 gives 0; a result beyond int64 saturates.
func MulDiv(a, b, c int64) int64 {
	if c == 0 {
		return 0
	}
	x := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
	d := big.NewInt(c)
	q, r := new(big.Int).QuoRem(x, d, new(big.Int))
	r.Abs(r).Lsh(r, 1)
	if r.Cmp(new(big.Int).Abs(d)) >= 0 {
		if (x.Sign() < 0) != (c < 0) {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return saturate(q)
}

// MulDivDown is a × b ÷ c truncated toward zero: for a share that must
// never exceed its whole (the bonus part of a stored-value payment), so the
// rest takes the remainder. c = 0 gives 0; beyond int64 saturates.
func MulDivDown(a, b, c int64) int64 {
	if c == 0 {
		return 0
	}
	q := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
	return saturate(q.Quo(q, big.NewInt(c)))
}

func saturate(q *big.Int) int64 {
	if q.IsInt64() {
		return q.Int64()
	}
	if q.Sign() < 0 {
		return -1 << 63
	}
	return 1<<63 - 1
}

// FormatYuan writes fen as yuan with two decimals, as spreadsheets show
// money: -1234 is "-12.34".
func FormatYuan(fen int64) string {
	sign := ""
	u := uint64(fen)
	if fen < 0 {
		sign, u = "-", -u
	}
	return fmt.Sprintf("%s%d.%02d", sign, u/100, u%100)
}
