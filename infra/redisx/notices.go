package redisx

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"
)

// Publish sends a notice to every instance subscribed to channel (a policy
// changed, a session was revoked). Notices are best effort: whoever relies
// on one also bounds how long a missed notice can matter (a poll, a TTL).
func (c *Client) Publish(ctx context.Context, channel, payload string) error {
	return c.Do(ctx, func(ctx context.Context, rdb redis.UniversalClient) error {
		return rdb.Publish(ctx, channel, payload).Err()
	})
}

// Subscribe calls handle with every notice on channel until ctx ends,
// subscribing again (with back-off up to 5 s) whenever Redis goes away.
// It returns at once; handle runs on one goroutine, in order.
func (c *Client) Subscribe(ctx context.Context, channel string, handle func(payload string)) {
	go func() {
		backoff := 200 * time.Millisecond
		for ctx.Err() == nil {
			sub := c.rdb.Subscribe(ctx, channel)
			if _, err := sub.Receive(ctx); err != nil {
				_ = sub.Close()
				select {
				case <-ctx.Done():
					return
				case <-time.After(backoff):
				}
				backoff = min(backoff*2, 5*time.Second)
				continue
			}
			backoff = 200 * time.Millisecond
			for msg := range sub.Channel() {
				handle(msg.Payload)
			}
			_ = sub.Close()
		}
	}()
}
