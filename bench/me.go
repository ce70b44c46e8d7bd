package bench

import (
	"context"
	"fmt"
	"io"

	"github.com/gofiber/fiber/v2"

	"chainstore/infra/load"
)

// benchMe: the spine's cost, authenticated GET /api/v1/me against a bare
// Fiber route on the same machine.
func benchMe(ctx context.Context, b *benchEnv, out io.Writer) error {
	bare := fiber.New(fiber.Config{Immutable: true, DisableStartupMessage: true})
	bare.Get("/bare", func(c *fiber.Ctx) error { return c.JSON(fiber.Map{"ok": true}) })
	bareAddr, stopBare, err := listen(bare)
	if err != nil {
		return err
	}
	defer stopBare()
	bareRes := b.run(ctx, load.Target{Name: "GET /bare (bare Fiber route)", URL: "http://" + bareAddr + "/bare", Expect: 200})
	fmt.Fprintln(out, bareRes)
	meRes := b.run(ctx, load.Target{Name: "GET /api/v1/me (auth + roles + tenant tx)", URL: b.api + "/api/v1/me",
		Headers: map[string]string{"Authorization": "Bearer " + b.token}, Expect: 200})
	fmt.Fprintln(out, meRes)
	fmt.Fprintf(out, "ratio bare / me: throughput %.1fx, p50 %.1fx, p99 %.1fx\n",
		bareRes.RPS()/meRes.RPS(), float64(meRes.P50)/float64(bareRes.P50), float64(meRes.P99)/float64(bareRes.P99))
	if meRes.Errors > 0 || bareRes.Errors > 0 {
		return fmt.Errorf("%d + %d requests failed", bareRes.Errors, meRes.Errors)
	}
	return nil
}
