package promotions

import (
	"math/big"
	"math/rand"
	"sort"
	"testing"
)

// TestShareOut checks the largest-remainder split against a plain
// reference: exact rationals, a full sort, ties to the earlier line.
func TestShareOut(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	for range 20000 {
		n := 1 + rng.Intn(70)
		w := make([]int64, n)
		var sum int64
		var on []int // a subset of the lines, in order
		in := make([]bool, n)
		for i := range w {
			if in[i] = rng.Intn(5) > 0; in[i] {
				on = append(on, i)
			}
			switch rng.Intn(4) {
			case 0: // zero weights take nothing
			case 1:
				w[i] = 100 // equal weights make equal remainders
			default:
				w[i] = rng.Int63n(1 << uint(1+rng.Intn(40)))
			}
			if in[i] {
				sum += w[i]
			}
		}
		if sum == 0 {
			continue
		}
		total := rng.Int63n(sum + 1)
		if rng.Intn(5) == 0 {
			total = -total
		}
		ev := &evaluator{rems: make([]remainder, 0, n)}
		got := make([]int64, n)
		for i := range got {
			got[i] = -99 // off the lines: left alone
		}
		ev.shareOut(total, w, got, on)

		abs := total
		if abs < 0 {
			abs = -abs
		}
		want := make([]int64, n)
		type rem struct {
			r *big.Int
			i int
		}
		var rs []rem
		left := abs
		for _, i := range on {
			x := w[i]
			q, r := new(big.Int).QuoRem(new(big.Int).Mul(big.NewInt(abs), big.NewInt(x)), big.NewInt(sum), new(big.Int))
			want[i] = q.Int64()
			left -= want[i]
			rs = append(rs, rem{r, i})
		}
		sort.SliceStable(rs, func(a, b int) bool { return rs[a].r.Cmp(rs[b].r) > 0 })
		for _, r := range rs[:left] {
			want[r.i]++
		}
		for i := range want {
			if !in[i] {
				want[i] = -99
			} else if total < 0 {
				want[i] = -want[i]
			}
			if got[i] != want[i] {
				t.Fatalf("shareOut(%d, %v)[%d] = %d, want %d", total, w, i, got[i], want[i])
			}
			if in[i] && (want[i] > w[i] || -want[i] > w[i]) {
				t.Fatalf("share %d exceeds weight %d", want[i], w[i])
			}
		}
	}
}
