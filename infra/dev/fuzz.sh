#!/usr/bin/env bash
# Runs every Fuzz test in the module for FUZZTIME each (`make fuzz`; `make test` ends with it).
#
# Go 1.26's fuzz coordinator can end a duration-bounded run (-fuzztime=10s) with a bare
# "context deadline exceeded" failure when a busy worker misses the deadline by a moment
# (go.dev/issue/75804, fixed in Go 1.27). That is not a finding: a real one prints
# "Failing input written to testdata/fuzz/...". So a failure carrying that line alone is replayed
# deterministically over the seed corpus and testdata/fuzz, and passes only if the replay does.
# Every other failure fails the run. Count budgets (FUZZTIME=50000x) have no deadline to race.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
exec </dev/null

fuzztime="${FUZZTIME:-10s}"
go="${GO:-go}"
skip_dirs=(.git .data bin node_modules)

excludes=()
for d in "${skip_dirs[@]}"; do excludes+=(--exclude-dir="$d"); done

# "dir FuzzName" per target, dir "." for the root package.
targets="$(grep -rH '^func Fuzz' --include='*_test.go' "${excludes[@]}" . \
	| sed -E 's#^\./##; s#^(.*)/[^/]+_test\.go:func (Fuzz[A-Za-z0-9_]*).*#\1 \2#; s#^[^/ ]+_test\.go:func (Fuzz[A-Za-z0-9_]*).*#. \1#' \
	| sort -u || true)"
# FUZZ_PACKAGES (an extended regexp on the package directory) narrows the run: `make test` fuzzes
# the infra parsers only, whose instrumented builds are small (the module targets reach about 690
# packages and took most of `make test` to build); `make fuzz` runs them all.
if [[ -n "${FUZZ_PACKAGES:-}" ]]; then
	targets="$(grep -E "^(${FUZZ_PACKAGES}) " <<<"$targets" || true)"
fi
if [[ -z "$targets" ]]; then
	echo "fuzz: no Fuzz tests found"
	exit 0
fi

# Targets run FUZZ_JOBS at a time (default 3): each is bound by its own FUZZTIME, so running a few
# side by side shortens `make test` several-fold on a 2-core machine, at the price of fewer
# executions per target; `make fuzz FUZZ_JOBS=1 FUZZTIME=5m` gives each the machine to itself.
jobs="${FUZZ_JOBS:-3}"
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT

# run_target DIR NAME: one target, its output in $logs/NAME.log, its verdict in $logs/NAME.ok or .failed.
run_target() {
	local dir="$1" name="$2" pkg log
	pkg="./$dir"
	[[ "$dir" == . ]] && pkg=.
	log="$logs/$name.log"
	echo "go test -run=^\$ -fuzz=^$name\$ -fuzztime=$fuzztime $pkg" >"$log"
	if "$go" test -run='^$' -fuzz="^$name\$" -fuzztime="$fuzztime" "$pkg" >>"$log" 2>&1; then
		touch "$logs/$name.ok"
		return
	fi
	# A finding writes its input, panics, or reports from a test file (" x_test.go:12: ...").
	if grep -q 'context deadline exceeded' "$log" \
		&& ! grep -qE 'Failing input written|panic:|^[[:space:]]+[A-Za-z0-9_]+\.go:[0-9]+: ' "$log"; then
		echo "fuzz: $name stopped on the coordinator's deadline race, not on an input; replaying its corpus" >>"$log"
		if "$go" test -count=1 -run="^$name\$" "$pkg" >>"$log" 2>&1; then
			touch "$logs/$name.ok"
			return
		fi
	fi
	echo "fuzz: $name FAILED" >>"$log"
	touch "$logs/$name.failed"
}

# -fuzz builds every non-standard package with coverage instrumentation, and parallel jobs that
# start together each compile the same instrumented dependencies (the modules' tests reach about
# 690 packages), three copies of the same work. The first module target therefore runs alone
# and fills the build cache; the others then compile only their own package.
first="$(grep -m 1 '^modules/' <<<"$targets" || head -n 1 <<<"$targets")"
run_target $first

running=0
while read -r dir name; do
	[[ "$dir $name" == "$first" ]] && continue
	run_target "$dir" "$name" &
	running=$((running + 1))
	if ((running >= jobs)); then
		wait -n || true
		running=$((running - 1))
	fi
done <<<"$targets"
wait || true

failed=0
while read -r dir name; do
	cat "$logs/$name.log"
	[[ -e "$logs/$name.failed" || ! -e "$logs/$name.ok" ]] && failed=1
done <<<"$targets"
exit "$failed"
