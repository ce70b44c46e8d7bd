# ChainStore — developer entry points. `make` (or `make help`) lists them.
#
# Every target that needs PostgreSQL/Redis first runs infra/dev/services.sh, which uses the
# servers named by DATABASE_URL/REDIS_URL (default 127.0.0.1:5432 / :6379) when they answer,
# and otherwise starts private ones under .data/ (see infra/dev/README.md).

SHELL       := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

GO          ?= go
BIN         ?= bin/chainstore
FUZZTIME    ?= 10s
# make test's short fuzz runs: the infra parsers for TEST_FUZZTIME (the module targets' seed
# corpora run with go test); `make fuzz` runs every target for FUZZTIME.
TEST_FUZZTIME ?= 5s
TEST_FUZZ_PACKAGES ?= infra/[a-z]+
FUZZ_JOBS   ?= 3
# An extended regexp on package directories narrowing `make fuzz` (empty: every target).
FUZZ_PACKAGES ?=
TEST_FLAGS  ?= -count=1 -p 2 -timeout 15m
# Directories never scanned for Go sources (private server data, front-end packages).
SKIP_DIRS   := .git .data bin frontend/node_modules

# Runs the rest of the recipe line with the service environment exported. The assignment keeps
# services.sh's exit status (`eval "$(...)"` alone would swallow a failure).
WITH_SERVICES = svc_env="$$(infra/dev/services.sh env)" && eval "$$svc_env" &&

GO_FILES = find . \( $(foreach d,$(SKIP_DIRS),-path ./$(d) -o) -false \) -prune -o -name '*.go' -type f -print

.PHONY: help run test stripe-mock bench lint fmt fmt-check vet fuzz migrate seed build clean services services-stop services-status \
	console console-if-node console-test e2e openapi-client openapi-client-check

# ── The web console (frontend/) ──
# Built into frontend/dist, which `serve` reads from CONSOLE_DIR. npm ci runs when node_modules
# is missing or older than package-lock.json; the build runs when dist is missing or older than
# any source file.
NPM              ?= npm
CONSOLE_DEPS     := frontend/node_modules/.package-lock.json
CONSOLE_BUILD    := frontend/dist/index.html
CONSOLE_SOURCES  := $(shell find frontend/src frontend/public frontend/scripts -type f -not -name '*.test.*' 2>/dev/null) \
	frontend/index.html frontend/vite.config.ts frontend/tsconfig.json frontend/package.json

help: ## List the targets
	@echo "ChainStore make targets:"
	@grep -hE '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  %-21s %s\n", $$1, $$2}'
	@echo "Variables: FUZZTIME=$(FUZZTIME)  TEST_FLAGS='$(TEST_FLAGS)'  BIN=$(BIN)"

run: console-if-node ## Build the console if stale, start services, migrate, seed demo data, serve API and console (HTTP_ADDR, default :8080)
	@$(WITH_SERVICES) $(GO) run . migrate up && $(GO) run . seed-demo && exec $(GO) run . serve

test: fmt-check vet stripe-mock openapi-client-check ## gofmt, go vet, the console client's freshness, all Go tests (the console's build and unit tests beside them), short fuzz runs, then the e2e tests
	@$(WITH_SERVICES) GO=$(GO) MAKE=$(MAKE) TEST_FLAGS='$(TEST_FLAGS)' TEST_FUZZTIME=$(TEST_FUZZTIME) TEST_FUZZ_PACKAGES='$(TEST_FUZZ_PACKAGES)' infra/dev/test.sh

fuzz: ## Run each Fuzz test for FUZZTIME (default 10s, or a count: 50000x), FUZZ_JOBS at a time (default 3), FUZZ_PACKAGES to narrow; failing inputs land in testdata/fuzz
	@$(WITH_SERVICES) GO=$(GO) FUZZTIME=$(FUZZTIME) FUZZ_JOBS=$(FUZZ_JOBS) FUZZ_PACKAGES='$(FUZZ_PACKAGES)' infra/dev/fuzz.sh

STRIPE_MOCK_VERSION ?= v0.203.0
STRIPE_MOCK := $(shell $(GO) env GOPATH)/bin/stripe-mock

stripe-mock: ## Install the pinned stripe-mock (billing tests start it) unless present
	@test -x "$(STRIPE_MOCK)" || $(GO) install github.com/stripe/stripe-mock@$(STRIPE_MOCK_VERSION)

$(CONSOLE_DEPS): frontend/package-lock.json
	cd frontend && $(NPM) ci --no-audit --no-fund
	@touch $@

$(CONSOLE_BUILD): $(CONSOLE_DEPS) $(CONSOLE_SOURCES)
	cd frontend && $(NPM) run build

console: $(CONSOLE_BUILD) ## Build the web console into frontend/dist (npm ci and build only when stale)

console-if-node:
	@if command -v $(NPM) >/dev/null 2>&1; then $(MAKE) --no-print-directory console; \
	else echo "make run: Node.js/npm not found; serving the API without the console (install Node 20.19+, then make console)"; fi

console-test: $(CONSOLE_DEPS) ## Console unit and component tests (Vitest)
	cd frontend && $(NPM) test

e2e: console ## Console end-to-end tests: Playwright in Debian's Chromium (CHROMIUM_PATH) against a real server on a fresh database
	@$(WITH_SERVICES) cd frontend && $(NPM) run e2e

openapi-client: $(CONSOLE_DEPS) ## Regenerate the console's typed API client (frontend/src/api/schema.gen.ts) from api/openapi.yaml
	cd frontend && $(NPM) run openapi-client

openapi-client-check: $(CONSOLE_DEPS) ## Fail if frontend/src/api/schema.gen.ts is stale against api/openapi.yaml
	@cd frontend && $(NPM) run --silent openapi-client:check

bench: ## Start services and print the benchmark figures (go run . bench)
	@$(WITH_SERVICES) $(GO) run . bench

lint: fmt-check vet ## gofmt check and go vet

fmt: ## Rewrite Go files with gofmt
	@$(GO_FILES) | xargs -r gofmt -w

fmt-check: ## Fail if any Go file is not gofmt-formatted
	@unformatted="$$($(GO_FILES) | xargs -r gofmt -l)"; \
	if [ -n "$$unformatted" ]; then \
		echo "These files are not gofmt-formatted (run 'make fmt'):"; echo "$$unformatted"; exit 1; \
	fi; echo "gofmt: ok"

vet: ## go vet ./...
	$(GO) vet ./...

migrate: ## Start services and apply database migrations (go run . migrate up)
	@$(WITH_SERVICES) $(GO) run . migrate up

seed: migrate ## Load the demo tenant and data (go run . seed-demo; idempotent)
	@$(WITH_SERVICES) $(GO) run . seed-demo

build: ## Build a static binary into bin/
	@mkdir -p $(dir $(BIN))
	CGO_ENABLED=0 $(GO) build -trimpath -o $(BIN) .

clean: ## Remove build output and coverage files (keeps .data/; see services-stop)
	rm -rf bin/ frontend/dist/ frontend/e2e/artifacts/ coverage.out coverage.html cover.out *.coverprofile

services: ## Make sure PostgreSQL and Redis answer; print their URLs
	@infra/dev/services.sh up

services-stop: ## Stop the private PostgreSQL/Redis started under .data/
	@infra/dev/services.sh stop

services-status: ## Say which PostgreSQL/Redis answer
	@infra/dev/services.sh status
