package bench

import (
	"context"
	"fmt"
	"io"

	"chainstore/infra/load"
)

// benchMe: the spine's cost, authenticated GET /api/v1/me (token, session,
// policy, billing flags, one query for the user and chain) against the
// bare baselines of the same run.
func benchMe(ctx context.Context, b *benchEnv, out io.Writer) error {
	meRes := b.run(ctx, load.Target{Name: "GET /api/v1/me (auth + roles + tenant tx)", URL: b.api + "/api/v1/me",
		Headers: map[string]string{"Authorization": "Bearer " + b.token}, Expect: 200})
	fmt.Fprintln(out, meRes)
	ratio(out, meRes, b.base.Bare, 0)
	ratio(out, meRes, b.base.Postgres, 0.5)
	if meRes.Errors > 0 {
		return fmt.Errorf("%d requests failed", meRes.Errors)
	}
	return nil
}
