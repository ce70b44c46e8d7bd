// Package redisx wraps go-redis for a cache that must never slow a request
// down: short timeouts, no retries, and a circuit breaker that skips Redis
// for a few seconds after failures so callers fall through to PostgreSQL.
package redisx

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sony/gobreaker"
)

// ErrDown is returned instead of calling Redis while the breaker is open.
var ErrDown = errors.New("redis: unavailable (circuit open)")

// Client is a Redis client guarded by a circuit breaker. Use Do for every
// call whose failure the caller can survive.
type Client struct {
	rdb redis.UniversalClient
	cb  *gobreaker.CircuitBreaker
}

// Options tune timeouts and the breaker; zero values take safe defaults.
type Options struct {
	Timeout     time.Duration // dial, read, write and pool wait (default 150ms)
	OpenFor     time.Duration // how long the breaker skips Redis (default 3s)
	TripAfter   uint32        // consecutive failures that open the breaker (default 3)
	ClusterAddr []string      // when set, a Cluster client over these seeds
}

// New builds a client from a redis:// URL. It does not connect; Redis being
// down at start is a degraded mode, not a fatal error.
func New(rawURL string, opt Options) (*Client, error) {
	if opt.Timeout <= 0 {
		opt.Timeout = 150 * time.Millisecond
	}
	if opt.OpenFor <= 0 {
		opt.OpenFor = 3 * time.Second
	}
	if opt.TripAfter == 0 {
		opt.TripAfter = 3
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("redis: parse url: %w", err)
	}
	uo := &redis.UniversalOptions{
		Addrs:        []string{u.Host},
		DialTimeout:  opt.Timeout,
		ReadTimeout:  opt.Timeout,
		WriteTimeout: opt.Timeout,
		PoolTimeout:  opt.Timeout,
		MaxRetries:   -1, // a retry doubles the wait when Redis is down
		// go-redis dials five times by default: 500ms+ per request when down.
		DialerRetries:      1,
		DialerRetryTimeout: time.Millisecond,
		DisableIdentity:    true,
	}
	if len(opt.ClusterAddr) > 0 {
		uo.Addrs = opt.ClusterAddr
		uo.IsClusterMode = true
	}
	if u.User != nil {
		uo.Username = u.User.Username()
		uo.Password, _ = u.User.Password()
	}
	if db := strings.TrimPrefix(u.Path, "/"); db != "" && len(opt.ClusterAddr) == 0 {
		n, err := strconv.Atoi(db)
		if err != nil {
			return nil, fmt.Errorf("redis: database %q is not a number", db)
		}
		uo.DB = n
	}
	if _, _, err := net.SplitHostPort(u.Host); err != nil {
		uo.Addrs = []string{net.JoinHostPort(u.Host, "6379")}
	}
	c := &Client{rdb: redis.NewUniversalClient(uo)}
	c.cb = gobreaker.NewCircuitBreaker(gobreaker.Settings{
		Name:        "redis",
		MaxRequests: 1,
		Timeout:     opt.OpenFor,
		ReadyToTrip: func(counts gobreaker.Counts) bool { return counts.ConsecutiveFailures >= opt.TripAfter },
		IsSuccessful: func(err error) bool {
			// A miss or a caller's own cancellation says nothing about Redis.
			return err == nil || errors.Is(err, redis.Nil) || errors.Is(err, context.Canceled)
		},
		OnStateChange: func(_ string, from, to gobreaker.State) {
			slog.Warn("redis circuit breaker", "from", from.String(), "to", to.String())
		},
	})
	return c, nil
}

// QuietDriverLogs sends go-redis's own log lines to slog at debug level.
// go-redis logs every failed dial itself; the breaker's state changes are
// the signal worth logging. Its logger is process-wide, so the process sets
// this once where it sets up logging (main, the test harness), not a
// package init.
func QuietDriverLogs() { redis.SetLogger(quietLogger{}) }

type quietLogger struct{}

func (quietLogger) Printf(ctx context.Context, format string, v ...any) {
	slog.DebugContext(ctx, "go-redis: "+fmt.Sprintf(format, v...))
}

// Do runs fn against Redis unless the breaker is open, in which case it
// returns ErrDown at once.
func (c *Client) Do(ctx context.Context, fn func(ctx context.Context, rdb redis.UniversalClient) error) error {
	_, err := c.cb.Execute(func() (any, error) { return nil, fn(ctx, c.rdb) })
	if errors.Is(err, gobreaker.ErrOpenState) || errors.Is(err, gobreaker.ErrTooManyRequests) {
		return ErrDown
	}
	return err
}

// Raw returns the underlying client for long-lived uses that manage their
// own failures (pub/sub subscriptions).
func (c *Client) Raw() redis.UniversalClient { return c.rdb }

// Ping reports Redis health through the breaker.
func (c *Client) Ping(ctx context.Context) error {
	return c.Do(ctx, func(ctx context.Context, rdb redis.UniversalClient) error { return rdb.Ping(ctx).Err() })
}

// Available reports whether the breaker currently lets calls through.
func (c *Client) Available() bool { return c.cb.State() != gobreaker.StateOpen }

// Close closes the connections.
func (c *Client) Close() error { return c.rdb.Close() }

// TenantKey builds a key hash-tagged by tenant, so every key of a tenant
// lands on one Redis Cluster slot: t:{<tenant>}:<parts...>.
func TenantKey(tenantID string, parts ...string) string {
	return "t:{" + tenantID + "}:" + strings.Join(parts, ":")
}
