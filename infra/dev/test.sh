#!/usr/bin/env bash
# `make test` after its checks: the Go tests, the short fuzz runs, the console's unit tests and
# build, then the end-to-end tests, with how long each stage took.
#
# The console's type check, build and Vitest run beside the Go tests: those spend much of their
# time waiting on PostgreSQL, so on a 2-core machine the two together finish well before the
# sum of each alone. The fuzz runs come after (they keep both cores busy by themselves), and the
# end-to-end tests last, on the fresh build. The console's output is held back and printed whole
# when it ends, so the two logs do not interleave.
#
# Expects the service environment (infra/dev/services.sh env) and these from make: GO,
# TEST_FLAGS, TEST_FUZZTIME, TEST_FUZZ_PACKAGES, MAKE.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
exec </dev/null

go="${GO:-go}"
make="${MAKE:-make}"
started=$SECONDS
timings=()
took() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

console_log="$(mktemp)"
trap 'rm -f "$console_log"' EXIT
console_started=$SECONDS
"$make" --no-print-directory console console-test >"$console_log" 2>&1 &
console_pid=$!

stage=$SECONDS
echo "go test ${TEST_FLAGS} ./..."
go_status=0
# shellcheck disable=SC2086 # TEST_FLAGS is a list of flags
"$go" test ${TEST_FLAGS} ./... || go_status=$?
timings+=("go test: $(took $((SECONDS - stage)))")

console_status=0
wait "$console_pid" || console_status=$?
timings+=("console build and unit tests (beside go test): $(took $((SECONDS - console_started)))")
echo
echo "── console build and unit tests ──"
cat "$console_log"
if ((go_status != 0 || console_status != 0)); then
	echo "make test: go test exited $go_status, the console's build and unit tests $console_status" >&2
	exit 1
fi

stage=$SECONDS
"$make" --no-print-directory fuzz FUZZTIME="${TEST_FUZZTIME:-5s}" FUZZ_PACKAGES="${TEST_FUZZ_PACKAGES:-infra/[a-z]+}"
timings+=("fuzz: $(took $((SECONDS - stage)))")

stage=$SECONDS
"$make" --no-print-directory e2e
timings+=("e2e: $(took $((SECONDS - stage)))")

echo
echo "make test: passed in $(took $((SECONDS - started)))"
printf '  %s\n' "${timings[@]}"
