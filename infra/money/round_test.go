package money

import (
	"math"
	"math/big"
	"testing"
)

func TestRoundTotal(t *testing.T) {
	for _, c := range []struct {
		amount int64
		r      Rounding
		want   int64
	}{
		{1238, RoundFen, 1238},
		{1238, "", 1238},
		{1238, "bogus", 1238},
		{1238, RoundDownJiao, 1230},   // 12.38 → 12.30
		{1230, RoundDownJiao, 1230},   // already whole jiao
		{9, RoundDownJiao, 0},         // 0.09 → 0.00
		{-1238, RoundDownJiao, -1230}, // a refund gives back the same rounding
		{1238, RoundDownYuan, 1200},   // 12.38 → 12.00
		{1299, RoundDownYuan, 1200},   // 12.99 → 12.00: a floor, not a rounding
		{99, RoundDownYuan, 0},
		{-1299, RoundDownYuan, -1200},
		{1235, RoundJiao, 1240}, // 12.35: half goes up
		{1234, RoundJiao, 1230},
		{1236, RoundJiao, 1240},
		{5, RoundJiao, 10},
		{4, RoundJiao, 0},
		{-1235, RoundJiao, -1240}, // half away from zero, as MulDiv
		{0, RoundJiao, 0},
		{math.MaxInt64, RoundJiao, math.MaxInt64 - 7}, // 9223372036854775807 would round up past int64: toward zero
		{math.MinInt64, RoundJiao, math.MinInt64 + 8},
		{math.MaxInt64, RoundDownYuan, math.MaxInt64 - 7},
	} {
		if got := RoundTotal(c.amount, c.r); got != c.want {
			t.Errorf("RoundTotal(%d, %q) = %d, want %d", c.amount, c.r, got, c.want)
		}
	}
}

func TestParseRounding(t *testing.T) {
	for s, want := range map[string]Rounding{"": RoundFen, "fen": RoundFen, "floor_jiao": RoundDownJiao,
		"floor_yuan": RoundDownYuan, "round_jiao": RoundJiao} {
		if got, err := ParseRounding(s); err != nil || got != want {
			t.Errorf("ParseRounding(%q) = %q, %v; want %q", s, got, err, want)
		}
		if want != "" && !want.Valid() {
			t.Errorf("%q.Valid() = false", want)
		}
	}
	for _, s := range []string{"FEN", "jiao", "floor", " fen"} {
		if _, err := ParseRounding(s); err == nil {
			t.Errorf("ParseRounding(%q) = nil error", s)
		}
	}
	if Rounding("").Valid() {
		t.Error(`Rounding("").Valid() = true`)
	}
}

// FuzzRoundTotal checks every rule against exact arithmetic: a multiple of
// the step, less than a step away, floors toward zero, round_jiao half away
// from zero (or toward zero where rounding up would overflow), symmetric.
func FuzzRoundTotal(f *testing.F) {
	for _, a := range []int64{0, 5, -5, 1235, 1299, -1299, math.MaxInt64, math.MinInt64, math.MinInt64 + 1} {
		for _, r := range []uint8{0, 1, 2, 3, 4} {
			f.Add(a, r)
		}
	}
	rules := []Rounding{RoundFen, RoundDownJiao, RoundDownYuan, RoundJiao, "unknown"}
	f.Fuzz(func(t *testing.T, amount int64, ri uint8) {
		r := rules[int(ri)%len(rules)]
		got := RoundTotal(amount, r)
		step := map[Rounding]int64{RoundDownJiao: 10, RoundDownYuan: 100, RoundJiao: 10}[r]
		if step == 0 {
			if got != amount {
				t.Fatalf("RoundTotal(%d, %q) = %d, want it unchanged", amount, r, got)
			}
			return
		}
		a, s := big.NewInt(amount), big.NewInt(step)
		trunc := new(big.Int).Quo(a, s) // toward zero
		trunc.Mul(trunc, s)
		want := new(big.Int).Set(trunc)
		if r == RoundJiao {
			rem := new(big.Int).Sub(a, trunc)
			rem.Abs(rem).Lsh(rem, 1)
			if rem.Cmp(s) >= 0 {
				away := new(big.Int).Add(trunc, big.NewInt(int64(a.Sign())*step))
				if away.IsInt64() {
					want = away
				}
			}
		}
		if got != want.Int64() {
			t.Fatalf("RoundTotal(%d, %q) = %d, want %s", amount, r, got, want)
		}
		if got%step != 0 {
			t.Fatalf("RoundTotal(%d, %q) = %d, not a multiple of %d", amount, r, got, step)
		}
		if amount != math.MinInt64 && RoundTotal(-amount, r) != -got {
			t.Fatalf("RoundTotal(%d, %q) = %d but RoundTotal(%d) = %d", amount, r, got, -amount, RoundTotal(-amount, r))
		}
	})
}
