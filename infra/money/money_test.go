package money

import (
	"math"
	"math/big"
	"testing"
)

func TestMulDiv(t *testing.T) {
	for _, c := range []struct{ a, b, c, round, down int64 }{
		{5, 1, 2, 3, 2},       // 2.5
		{-5, 1, 2, -3, -2},    // −2.5
		{500, 1, 3, 167, 166}, // 166.67
		{11300, 10000, 11300, 10000, 10000},
		{1, 1, 0, 0, 0},
		{1 << 62, 1 << 40, 1, 1<<63 - 1, 1<<63 - 1},
	} {
		if got := MulDiv(c.a, c.b, c.c); got != c.round {
			t.Errorf("MulDiv(%d, %d, %d) = %d, want %d", c.a, c.b, c.c, got, c.round)
		}
		if got := MulDivDown(c.a, c.b, c.c); got != c.down {
			t.Errorf("MulDivDown(%d, %d, %d) = %d, want %d", c.a, c.b, c.c, got, c.down)
		}
	}
}

// FuzzMulDiv checks both roundings against exact rational arithmetic.
func FuzzMulDiv(f *testing.F) {
	f.Add(int64(500), int64(1), int64(3))
	f.Add(int64(-125), int64(1000), int64(-3))
	f.Add(int64(1)<<62, int64(1)<<40, int64(7))
	f.Fuzz(func(t *testing.T, a, b, c int64) {
		got, down := MulDiv(a, b, c), MulDivDown(a, b, c)
		if c == 0 {
			if got != 0 || down != 0 {
				t.Fatalf("MulDiv(%d, %d, 0) = %d, %d", a, b, got, down)
			}
			return
		}
		r := new(big.Rat).SetFrac(new(big.Int).Mul(big.NewInt(a), big.NewInt(b)), big.NewInt(c))
		// half away from zero: sign(r) × floor(|r| + 1/2); down: sign(r) × floor(|r|)
		abs := new(big.Rat).Abs(r)
		trunc := new(big.Int).Quo(abs.Num(), abs.Denom())
		abs.Add(abs, big.NewRat(1, 2))
		want := new(big.Int).Quo(abs.Num(), abs.Denom())
		if r.Sign() < 0 {
			want.Neg(want)
			trunc.Neg(trunc)
		}
		if want.IsInt64() && got != want.Int64() {
			t.Fatalf("MulDiv(%d, %d, %d) = %d, want %s", a, b, c, got, want)
		}
		if trunc.IsInt64() && down != trunc.Int64() {
			t.Fatalf("MulDivDown(%d, %d, %d) = %d, want %s", a, b, c, down, trunc)
		}
	})
}

func TestFormatYuan(t *testing.T) {
	for fen, want := range map[int64]string{0: "0.00", 5: "0.05", 1290: "12.90", -1234: "-12.34", -5: "-0.05",
		math.MinInt64: "-92233720368547758.08", math.MaxInt64: "92233720368547758.07"} {
		if got := FormatYuan(fen); got != want {
			t.Errorf("FormatYuan(%d) = %s, want %s", fen, got, want)
		}
	}
}
