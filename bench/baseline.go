package bench

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	"github.com/redis/go-redis/v9"
	"gorm.io/gorm"

	"chainstore/infra/load"
	"chainstore/infra/redisx"
)

// baselines are what the machine does with no ChainStore code in the way,
// measured in the same run as our routes so the ratios mean something on a
// busy or quiet machine alike: a bare Fiber route; a bare Fiber handler
// doing one Redis GET; a bare Fiber handler doing BEGIN + SET LOCAL + one
// indexed SELECT + COMMIT through the server's own pool, statement by
// statement, as a naive handler would.
type baselines struct {
	Bare, Redis, Postgres load.Result
}

func measureBaselines(ctx context.Context, b *benchEnv, out io.Writer) (*baselines, error) {
	rc := b.srv.Redis
	key := redisx.TenantKey(b.tenantID.String(), "bench", "baseline")
	if err := rc.Do(ctx, func(ctx context.Context, rdb redis.UniversalClient) error {
		return rdb.Set(ctx, key, `{"id":"`+b.tenantID.String()+`","name":"baseline"}`, 0).Err()
	}); err != nil {
		return nil, fmt.Errorf("baseline: redis: %w", err)
	}
	db := b.srv.Pool.Raw()
	var admin struct{ ID uuid.UUID }
	if err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("SET LOCAL app.tenant_id = '" + b.tenantID.String() + "'").Error; err != nil {
			return err
		}
		return tx.Raw(`SELECT id FROM users WHERE tenant_id = ? LIMIT 1`, b.tenantID).Scan(&admin).Error
	}); err != nil || admin.ID == uuid.Nil {
		return nil, fmt.Errorf("baseline: find a user: %v", err)
	}
	adminID := admin.ID

	app := fiber.New(fiber.Config{Immutable: true, DisableStartupMessage: true})
	app.Get("/bare", func(c *fiber.Ctx) error { return c.JSON(fiber.Map{"ok": true}) })
	app.Get("/redis", func(c *fiber.Ctx) error {
		var raw string
		err := rc.Do(c.Context(), func(ctx context.Context, rdb redis.UniversalClient) error {
			var err error
			raw, err = rdb.Get(ctx, key).Result()
			return err
		})
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
		return c.SendString(raw)
	})
	app.Get("/postgres", func(c *fiber.Ctx) error {
		var row struct {
			ID   uuid.UUID `json:"id"`
			Name string    `json:"name"`
		}
		err := db.WithContext(c.Context()).Transaction(func(tx *gorm.DB) error {
			if err := tx.Exec("SET LOCAL app.tenant_id = '" + b.tenantID.String() + "'").Error; err != nil {
				return err
			}
			return tx.Raw(`SELECT id, name FROM users WHERE tenant_id = ? AND id = ?`, b.tenantID, adminID).Scan(&row).Error
		})
		if err != nil {
			return err
		}
		return c.JSON(row)
	})
	addr, stop, err := listen(app)
	if err != nil {
		return nil, err
	}
	defer stop()
	base := "http://" + addr
	bl := &baselines{
		Bare:     b.run(ctx, load.Target{Name: "baseline: bare Fiber route", URL: base + "/bare", Expect: 200}),
		Redis:    b.run(ctx, load.Target{Name: "baseline: Fiber + one Redis GET", URL: base + "/redis", Expect: 200}),
		Postgres: b.run(ctx, load.Target{Name: "baseline: Fiber + BEGIN, SET LOCAL, SELECT, COMMIT", URL: base + "/postgres", Expect: 200}),
	}
	for _, r := range []load.Result{bl.Bare, bl.Redis, bl.Postgres} {
		fmt.Fprintln(out, r)
		if r.Errors > 0 {
			return nil, fmt.Errorf("%s: %d requests failed", r.Name, r.Errors)
		}
	}
	return bl, nil
}

// ratio prints ours against a baseline of the same run: the throughput
// ratio, the goal when there is one (goal ≤ 0 prints none), and both
// latencies side by side.
func ratio(out io.Writer, ours, base load.Result, goal float64) {
	x := ours.RPS() / base.RPS()
	verdict := ""
	if goal > 0 {
		verdict = fmt.Sprintf(" (goal ≥ %.1fx: %s)", goal, map[bool]string{true: "met", false: "NOT met"}[x >= goal])
	}
	fmt.Fprintf(out, "  vs %s: throughput %.2fx%s; p50 %s vs %s; p99 %s vs %s\n", base.Name, x, verdict,
		ours.P50.Round(time.Microsecond), base.P50.Round(time.Microsecond), ours.P99.Round(time.Microsecond), base.P99.Round(time.Microsecond))
}
