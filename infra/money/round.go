package money

import "fmt"

// Rounding is a tenant's rule for the amount a customer pays (抹零): what is
// done to a sale's total after every discount. Lines are never rounded one by
// one; the rule applies once, to the total.
type Rounding string

// The rounding rules. The floors drop toward zero (a refund of a rounded sale
// is rounded the same way, so it gives back what was taken); RoundJiao is half
// away from zero, as MulDiv.
const (
	RoundFen      Rounding = "fen"        // to the fen: nothing is changed
	RoundDownJiao Rounding = "floor_jiao" // 抹分: the fen are dropped (12.38 → 12.30)
	RoundDownYuan Rounding = "floor_yuan" // 抹角: jiao and fen are dropped (12.38 → 12.00)
	RoundJiao     Rounding = "round_jiao" // 四舍五入到角: 12.35 → 12.40, 12.34 → 12.30
)

// ParseRounding reads a tenant's rounding rule. The empty string is RoundFen,
// the default; any other unknown text is an error naming it.
func ParseRounding(s string) (Rounding, error) {
	switch r := Rounding(s); r {
	case "":
		return RoundFen, nil
	case RoundFen, RoundDownJiao, RoundDownYuan, RoundJiao:
		return r, nil
	}
	return "", fmt.Errorf("money: unknown rounding rule %q (want fen, floor_jiao, floor_yuan or round_jiao)", s)
}

// Valid reports whether r is one of the four rules (the empty string is not;
// ParseRounding maps it to RoundFen).
func (r Rounding) Valid() bool {
	switch r {
	case RoundFen, RoundDownJiao, RoundDownYuan, RoundJiao:
		return true
	}
	return false
}

// RoundTotal applies rule r to amount (fen). RoundFen, the empty rule and any
// unknown rule return amount unchanged (ParseRounding is where a bad rule is
// refused). The result is a multiple of the rule's step, differs from amount by
// less than one step, and is symmetric: RoundTotal(−a) = −RoundTotal(a). Near
// the ends of int64 a rounding that would overflow goes toward zero instead.
func RoundTotal(amount int64, r Rounding) int64 {
	var step int64
	switch r {
	case RoundDownJiao, RoundJiao:
		step = 10
	case RoundDownYuan:
		step = 100
	default:
		return amount
	}
	down := MulDivDown(amount, 1, step) * step
	if r != RoundJiao {
		return down
	}
	q := MulDiv(amount, 1, step)
	if q > (1<<63-1)/step || q < (-1<<63)/step {
		return down
	}
	return q * step
}
