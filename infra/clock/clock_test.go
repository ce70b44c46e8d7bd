package clock

import (
	"testing"
	"time"
)

func TestSetMovesEveryReader(t *testing.T) {
	c := New()
	if d := time.Since(c.Now()); d < 0 || d > time.Minute {
		t.Fatalf("system clock off by %s", d)
	}
	at := time.Date(2026, 12, 31, 23, 59, 59, 0, time.FixedZone("CST", 8*3600))
	c.Freeze(at)
	if got := c.Now(); !got.Equal(at) || got.Location() != time.UTC {
		t.Fatalf("frozen clock says %v, want %v in UTC", got, at)
	}
	c.Set(nil)
	if d := time.Since(c.Now()); d < 0 || d > time.Minute {
		t.Fatalf("back to the system clock, off by %s", d)
	}
	var none *Clock
	if d := time.Since(none.Now()); d < 0 || d > time.Minute {
		t.Fatalf("nil clock off by %s", d)
	}
}
