package config

import (
	"errors"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaultsNeedNoVariables(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTPAddr != ":8080" || c.AppRole != "chainstore_app" || c.MigrationDatabaseURL == "" || c.MigrationDatabaseURL == c.DatabaseURL {
		t.Fatalf("defaults %+v", c)
	}
}

func TestBadVariableIsNamed(t *testing.T) {
	for name, vars := range map[string]map[string]string{
		"DATABASE_URL":            {"DATABASE_URL": "mysql://x"},
		"MIGRATION_DATABASE_URL":  {"MIGRATION_DATABASE_URL": "nope"},
		"REDIS_URL":               {"REDIS_URL": "http://localhost"},
		"HTTP_BODY_LIMIT":         {"HTTP_BODY_LIMIT": "lots"},
		"HTTP_READ_TIMEOUT":       {"HTTP_READ_TIMEOUT": "5"},
		"APP_ENV":                 {"APP_ENV": "staging"},
		"ACCESS_TOKEN_TTL":        {"ACCESS_TOKEN_TTL": "24h"},
		"JWT_SIGNING_KEYS":        {"APP_ENV": "production", "PII_KEYS": "x", "PII_INDEX_KEY": "y"},
		"LOGIN_LIMIT_PER_ACCOUNT": {"LOGIN_LIMIT_PER_ACCOUNT": "0"},
		"METRICS_TOKEN":           {"APP_ENV": "production", "JWT_SIGNING_KEYS": "k", "PII_KEYS": "x", "PII_INDEX_KEY": "y", "METRICS_TOKEN": "short"},
	} {
		_, err := Load(env(vars))
		var ce *Error
		if !errors.As(err, &ce) || ce.Var != name {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}
