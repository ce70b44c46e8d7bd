package main

import (
	"context"
	"errors"
	"io"

	"chainstore/infra/config"
)

func bench(ctx context.Context, cfg *config.Config, out io.Writer) error {
	return errors.New("bench: not built yet")
}
