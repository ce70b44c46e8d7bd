package promotions

import (
	"bytes"
	"math/bits"
	"slices"

	"github.com/google/uuid"
)

// shareOut splits total over the weights by the largest-remainder method:
// out[i] = ⌊total·w[i]/Σw⌋, and the fen left over go one each to the largest
// remainders, ties to the earlier line. The shares add up to total exactly,
// and none exceeds its weight when |total| ≤ Σw (every caller's case). A
// negative total is shared as its magnitude, negated. The weights are ≥ 0
// with Σw within int64; out may not alias w.
func (ev *evaluator) shareOut(total int64, w, out []int64) {
	clear(out)
	sign := int64(1)
	if total < 0 {
		sign, total = -1, -total
	}
	var sum int64
	for _, x := range w {
		sum += x
	}
	if total == 0 || sum == 0 {
		return
	}
	left := total
	idx := ev.ridx[:0]
	for i, x := range w {
		if x == 0 {
			ev.rem[i] = 0
			continue
		}
		hi, lo := bits.Mul64(uint64(total), uint64(x))
		q, r := bits.Div64(hi, lo, uint64(sum)) // hi < sum as total ≤ sum
		out[i] = int64(q)
		ev.rem[i] = r
		left -= int64(q)
		if r > 0 {
			idx = append(idx, i)
		}
	}
	if left > 0 {
		slices.SortFunc(idx, func(a, b int) int {
			if ev.rem[a] != ev.rem[b] {
				if ev.rem[a] > ev.rem[b] {
					return -1
				}
				return 1
			}
			return a - b
		})
		for _, i := range idx[:left] {
			out[i]++
		}
	}
	if sign < 0 {
		for i := range out {
			out[i] = -out[i]
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
