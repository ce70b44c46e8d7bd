// Package clock is the one source of the current time for the services.
// Every service takes the same *Clock from the wiring; production reads the
// system clock, and a test sets the time once on the shared clock so that
// every module (price effective times, QR expiry, business dates, billing
// grace periods) sees the same moment.
package clock

import (
	"sync/atomic"
	"time"
)

// Clock tells the time in UTC. A nil *Clock is the system clock.
type Clock struct {
	now atomic.Pointer[func() time.Time]
}

// New returns the system clock.
func New() *Clock { return &Clock{} }

// Now is the current time in UTC.
func (c *Clock) Now() time.Time {
	if c != nil {
		if f := c.now.Load(); f != nil {
			return (*f)().UTC()
		}
	}
	return time.Now().UTC()
}

// Set makes Now answer now() from here on (tests move time instead of
// sleeping); nil goes back to the system clock. Safe for concurrent use.
func (c *Clock) Set(now func() time.Time) {
	if now == nil {
		c.now.Store(nil)
		return
	}
	c.now.Store(&now)
}

// Freeze stops the clock at t (a shorthand for Set with a constant).
func (c *Clock) Freeze(t time.Time) { c.Set(func() time.Time { return t }) }
