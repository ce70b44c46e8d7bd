// Package load drives an HTTP endpoint from many goroutines for a fixed
// time and reports throughput and latency percentiles, for `make bench`.
package load

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/valyala/fasthttp"
)

// Result of one run.
type Result struct {
	Name     string
	Requests int
	Errors   int
	Elapsed  time.Duration
	P50, P99 time.Duration
}

// RPS is requests per second.
func (r Result) RPS() float64 { return float64(r.Requests) / r.Elapsed.Seconds() }

func (r Result) String() string {
	return fmt.Sprintf("%-44s %9.0f req/s   p50 %8s   p99 %8s   (%d requests, %d errors)",
		r.Name, r.RPS(), round(r.P50), round(r.P99), r.Requests, r.Errors)
}

func round(d time.Duration) string {
	return d.Round(time.Microsecond).String()
}

// Target is one request to repeat.
type Target struct {
	Name    string
	Method  string // GET when empty
	URL     string
	Headers map[string]string
	Body    []byte
	// Prepare, when set, finishes each request (a fresh Idempotency-Key, a
	// body with new ids); it runs on the worker's goroutine.
	Prepare func(req *fasthttp.Request)
	Expect  int // expected status
}

// Run sends target for duration from concurrency workers over
// keep-alive connections, after a short warm-up that is not counted.
func Run(ctx context.Context, t Target, concurrency int, warmup, duration time.Duration) Result {
	client := &fasthttp.Client{MaxConnsPerHost: concurrency * 2, ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second}
	one := func() (time.Duration, bool) {
		req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
		defer fasthttp.ReleaseRequest(req)
		defer fasthttp.ReleaseResponse(resp)
		req.SetRequestURI(t.URL)
		if t.Method != "" {
			req.Header.SetMethod(t.Method)
		}
		for k, v := range t.Headers {
			req.Header.Set(k, v)
		}
		if t.Body != nil {
			req.Header.SetContentType("application/json")
			req.SetBody(t.Body)
		}
		if t.Prepare != nil {
			t.Prepare(req)
		}
		start := time.Now()
		err := client.Do(req, resp)
		return time.Since(start), err == nil && resp.StatusCode() == t.Expect
	}
	phase := func(d time.Duration, record bool) ([]time.Duration, int, time.Duration) {
		var mu sync.Mutex
		var all []time.Duration
		errs := 0
		deadline := time.Now().Add(d)
		start := time.Now()
		var wg sync.WaitGroup
		for i := 0; i < concurrency; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				local := make([]time.Duration, 0, 4096)
				localErrs := 0
				for time.Now().Before(deadline) && ctx.Err() == nil {
					lat, ok := one()
					if !ok {
						localErrs++
					}
					local = append(local, lat)
				}
				if record {
					mu.Lock()
					all = append(all, local...)
					errs += localErrs
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		return all, errs, time.Since(start)
	}
	phase(warmup, false)
	lats, errs, elapsed := phase(duration, true)
	sort.Slice(lats, func(i, j int) bool { return lats[i] < lats[j] })
	res := Result{Name: t.Name, Requests: len(lats), Errors: errs, Elapsed: elapsed}
	if len(lats) > 0 {
		res.P50 = lats[len(lats)*50/100]
		res.P99 = lats[min(len(lats)-1, len(lats)*99/100)]
	}
	return res
}
