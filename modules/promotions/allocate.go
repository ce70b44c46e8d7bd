package promotions

import (
	"bytes"
	"math/bits"

	"github.com/google/uuid"
)

// shareOut splits total over the weights of the lines on (in line order)
// by the largest-remainder method: out[i] = ⌊total·w[i]/Σw⌋, and the fen
// left over go one each to the largest remainders, ties to the earlier line.
// The shares add up to total exactly, and none exceeds its weight when
// |total| ≤ Σw (every caller's case). A negative total is shared as its
// magnitude, negated. The weights are ≥ 0 with Σw within int64; out may not
// alias w; entries of out off the lines on are left alone.
func (ev *evaluator) shareOut(total int64, w, out []int64, on []int) {
	for _, i := range on {
		out[i] = 0
	}
	sign := int64(1)
	if total < 0 {
		sign, total = -1, -total
	}
	var sum int64
	for _, i := range on {
		sum += w[i]
	}
	if total == 0 || sum == 0 {
		return
	}
	left := total
	rs := ev.rems[:0]
	for _, i := range on {
		x := w[i]
		if x == 0 {
			continue
		}
		hi, lo := bits.Mul64(uint64(total), uint64(x))
		q, r := bits.Div64(hi, lo, uint64(sum)) // hi < sum as total ≤ sum
		out[i] = int64(q)
		left -= int64(q)
		if r > 0 {
			rs = append(rs, remainder{r, i})
		}
	}
	if left > 0 {
		selectFirst(rs, int(left))
		for _, r := range rs[:left] {
			out[r.line]++
		}
	}
	if sign < 0 {
		for _, i := range on {
			out[i] = -out[i]
		}
	}
}

// remainder is one line's remainder in shareOut.
type remainder struct {
	r    uint64
	line int
}

// before orders remainders: the larger first, ties to the earlier line. It
// is a strict total order (lines differ), so the set of the first k is one.
func before(a, b remainder) bool { return a.r > b.r || a.r == b.r && a.line < b.line }

// selectFirst moves the first k remainders (by before) into rs[:k], in no
// particular order: a quickselect, linear on average.
func selectFirst(rs []remainder, k int) {
	lo, hi, t := 0, len(rs)-1, k-1
	for lo < hi {
		p := rs[lo+(hi-lo)/2]
		i, j := lo, hi
		for i <= j {
			for before(rs[i], p) {
				i++
			}
			for before(p, rs[j]) {
				j--
			}
			if i <= j {
				rs[i], rs[j] = rs[j], rs[i]
				i++
				j--
			}
		}
		switch {
		case t <= j:
			hi = j
		case t >= i:
			lo = i
		default:
			return
		}
	}
}

// cmpRatio compares a/b with c/d for a, c ≥ 0 and b, d > 0, exactly.
func cmpRatio(a, b, c, d int64) int {
	h1, l1 := bits.Mul64(uint64(a), uint64(d))
	h2, l2 := bits.Mul64(uint64(c), uint64(b))
	switch {
	case h1 != h2:
		if h1 < h2 {
			return -1
		}
		return 1
	case l1 != l2:
		if l1 < l2 {
			return -1
		}
		return 1
	}
	return 0
}

func cmpUUID(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) }
