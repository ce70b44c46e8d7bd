package apitest

import "github.com/jackc/pgx/v5"

type pgxConfig = pgx.ConnConfig

func pgxParse(dsn string) (*pgx.ConnConfig, error) { return pgx.ParseConfig(dsn) }
