package pos

import "testing"

// Points taken back over several part returns add up to the share of what
// was returned, never more than the sale earned: 17 points over two halves
// are 9 + 8 (rounding each half alone gave 9 + 9, which the ledger refuses).
func TestReturnedPointsAddUpOverPartReturns(t *testing.T) {
	for _, tc := range []struct {
		n, total int64
		refunds  []int64
	}{
		{17, 100, []int64{50, 50}},
		{17, 1000, []int64{333, 333, 334}},
		{1, 3, []int64{1, 1, 1}},
		{250, 9_999, []int64{1, 4_999, 4_999}},
	} {
		var returned, taken int64
		for _, r := range tc.refunds {
			part := cumulativeShare(tc.n, returned, r, tc.total)
			if part < 0 {
				t.Fatalf("%+v: a negative part %d", tc, part)
			}
			returned, taken = returned+r, taken+part
		}
		if taken != tc.n {
			t.Errorf("%+v: %d points taken back over the returns of the whole sale, want %d", tc, taken, tc.n)
		}
	}
}
