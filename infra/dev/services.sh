#!/usr/bin/env bash
# Bring up the PostgreSQL and Redis that ChainStore needs for development and tests.
#
#   eval "$(infra/dev/services.sh env)"   ensure both answer; print `export ...` lines (stdout)
#   infra/dev/services.sh up               ensure both answer; print the URLs on stderr
#   infra/dev/services.sh status           say what answers where
#   infra/dev/services.sh stop             stop the private servers this script started
#
# For each service, in order:
#   1. the server named by DATABASE_URL / REDIS_URL (default 127.0.0.1:5432 / 127.0.0.1:6379), if it answers;
#   2. a private server started from the installed binaries, with its data under $DATA_DIR
#      (.data/pg, .data/redis), on 127.0.0.1:55432 / 127.0.0.1:56379 (reused on re-runs);
#   3. `docker compose up -d <service>` when a Docker engine answers;
#   4. otherwise exit non-zero, naming the packages to install.
# Only `export` lines go to stdout; every message goes to stderr.
#
# Knobs: DATA_DIR (default .data), CHAINSTORE_PG_PORT (55432), CHAINSTORE_REDIS_PORT (56379).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

DEFAULT_DATABASE_URL='postgres://chainstore_app:chainstore_app@127.0.0.1:5432/chainstore?sslmode=disable'
DEFAULT_REDIS_URL='redis://127.0.0.1:6379/0'
PG_PORT="${CHAINSTORE_PG_PORT:-55432}"
REDIS_PORT="${CHAINSTORE_REDIS_PORT:-56379}"

DATA_DIR="${DATA_DIR:-.data}"
case "$DATA_DIR" in /*) ;; *) DATA_DIR="$ROOT/$DATA_DIR" ;; esac
PG_DIR="$DATA_DIR/pg"
REDIS_DIR="$DATA_DIR/redis"

log() { printf 'services: %s\n' "$*" >&2; }
die() { printf 'services: error: %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }

# ---------------------------------------------------------------- URL helpers
# url_part URL part  -> scheme|userinfo|host|port|path|query
url_part() {
	local url="$1" re='^([a-z]+)://(([^@/]*)@)?(\[[^]]*\]|[^:/?]*)(:([0-9]+))?(/[^?]*)?(\?.*)?$'
	[[ "$url" =~ $re ]] || die "cannot parse URL: $url"
	case "$2" in
	scheme) printf '%s' "${BASH_REMATCH[1]}" ;;
	userinfo) printf '%s' "${BASH_REMATCH[3]}" ;;
	host) local h="${BASH_REMATCH[4]}"; h="${h#[}"; h="${h%]}"; printf '%s' "${h:-127.0.0.1}" ;;
	port) printf '%s' "${BASH_REMATCH[6]}" ;;
	path) printf '%s' "${BASH_REMATCH[7]}" ;;
	query) printf '%s' "${BASH_REMATCH[8]}" ;;
	esac
}

# url_with URL [user=U] [path=P]: the same URL with its user info and/or path replaced.
url_with() {
	local url="$1"; shift
	local scheme userinfo host port path query kv
	scheme="$(url_part "$url" scheme)"; userinfo="$(url_part "$url" userinfo)"
	host="$(url_part "$url" host)"; port="$(url_part "$url" port)"
	path="$(url_part "$url" path)"; query="$(url_part "$url" query)"
	for kv in "$@"; do
		case "$kv" in
		user=*) userinfo="${kv#user=}" ;;
		path=*) path="${kv#path=}" ;;
		esac
	done
	[[ "$host" == *:* ]] && host="[$host]"
	printf '%s://%s%s%s%s%s' "$scheme" "${userinfo:+$userinfo@}" "$host" "${port:+:$port}" "$path" "$query"
}

# ---------------------------------------------------------------- probes
tcp_open() { # host port
	timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
}

pg_answers() { # host port
	if have pg_isready; then
		pg_isready -q -h "$1" -p "$2" -t 3 >/dev/null 2>&1
	else
		tcp_open "$1" "$2"
	fi
}

redis_answers() { # host port
	if have redis-cli; then
		[[ "$(timeout 3 redis-cli -h "$1" -p "$2" ping 2>/dev/null)" == PONG ]]
	else
		timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1"; printf "PING\r\n" >&3; IFS= read -r l <&3; [[ "$l" == "+PONG"* || "$l" == "-NOAUTH"* ]]' "$1" "$2" 2>/dev/null
	fi
}

wait_for() { # seconds cmd...
	local n="$1" i; shift
	for ((i = 0; i < n * 5; i++)); do "$@" && return 0; sleep 0.2; done
	return 1
}

docker_ok() { have docker && docker info >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; }

# ---------------------------------------------------------------- private PostgreSQL
pg_bindir() {
	local d
	if have pg_ctl && have initdb; then dirname "$(command -v pg_ctl)"; return; fi
	d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
	if [[ -n "$d" && -x "$d/initdb" && -x "$d/pg_ctl" && -x "$d/postgres" ]]; then echo "$d"; fi
}

# initdb and postgres refuse to run as root: as root, they run as the `postgres` OS user
# (created as a system user when missing).
PG_OS_USER=""
pg_os_user() {
	[[ $EUID -ne 0 ]] && return 0
	if ! id -u postgres >/dev/null 2>&1; then
		log "creating system user 'postgres' to run the private PostgreSQL"
		useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin postgres ||
			die "cannot create the 'postgres' user; run as a non-root user or create it"
	fi
	PG_OS_USER=postgres
}

as_pg() {
	if [[ -z "$PG_OS_USER" ]]; then
		"$@"
	elif have runuser; then
		runuser -u "$PG_OS_USER" -- "$@"
	elif have setpriv; then
		setpriv --reuid="$PG_OS_USER" --regid="$PG_OS_USER" --init-groups -- "$@"
	else
		su -s /bin/sh "$PG_OS_USER" -c "$(printf '%q ' "$@")"
	fi
}

# As root, the postgres user must be able to reach $PG_DIR. When the checkout sits somewhere it
# cannot traverse (say under /root), keep the cluster under /var/tmp instead, at a stable path
# derived from the checkout, and leave a symlink at .data/pg.
pg_resolve_dir() {
	[[ -z "$PG_OS_USER" ]] && return 0
	mkdir -p "$DATA_DIR"
	if [[ -L "$PG_DIR" ]]; then PG_DIR="$(readlink -f "$PG_DIR")"; return 0; fi
	if as_pg test -x "$DATA_DIR"; then return 0; fi
	local alt
	alt="/var/tmp/chainstore-pg-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
	log "user $PG_OS_USER cannot reach $DATA_DIR; keeping the private cluster in $alt"
	mkdir -p "$alt"
	[[ -e "$PG_DIR" ]] || ln -s "$alt" "$PG_DIR"
	PG_DIR="$alt"
}

pg_private_running() { # pg_ctl status of our cluster
	local bin="$1"
	[[ -f "$PG_DIR/data/PG_VERSION" ]] && as_pg "$bin/pg_ctl" status -D "$PG_DIR/data" >/dev/null 2>&1
}

pg_private_start() {
	local bin
	bin="$(pg_bindir)"
	[[ -n "$bin" ]] || return 1
	pg_os_user
	pg_resolve_dir

	if pg_private_running "$bin" && pg_answers 127.0.0.1 "$PG_PORT"; then
		log "reusing private PostgreSQL on 127.0.0.1:$PG_PORT ($PG_DIR)"
		return 0
	fi
	if pg_answers 127.0.0.1 "$PG_PORT"; then
		die "another PostgreSQL already listens on 127.0.0.1:$PG_PORT; set CHAINSTORE_PG_PORT to a free port"
	fi

	mkdir -p "$PG_DIR"
	[[ -n "$PG_OS_USER" ]] && chown "$PG_OS_USER:" "$PG_DIR"
	chmod 700 "$PG_DIR"
	if [[ ! -f "$PG_DIR/data/PG_VERSION" ]]; then
		local locale=C
		locale -a 2>/dev/null | grep -qix 'c.utf-\?8' && locale=C.UTF-8
		log "initialising private PostgreSQL cluster in $PG_DIR/data ($("$bin/postgres" --version))"
		rm -rf "$PG_DIR/data"
		as_pg "$bin/initdb" -D "$PG_DIR/data" -U postgres --auth=trust --encoding=UTF8 \
			--locale="$locale" >"$PG_DIR/initdb.log" 2>&1 ||
			{ cat "$PG_DIR/initdb.log" >&2; die "initdb failed (log: $PG_DIR/initdb.log)"; }
		as_pg tee -a "$PG_DIR/data/postgresql.conf" >/dev/null <<-EOF

		# --- chainstore private dev/test server (infra/dev/services.sh) ---
		listen_addresses = '127.0.0.1'
		port = $PG_PORT
		unix_socket_directories = ''
		max_connections = 300
		fsync = off
		synchronous_commit = off
		full_page_writes = off
		log_min_messages = warning
		EOF
	fi
	# The port may have been changed since initdb: the command line wins over the file.
	log "starting private PostgreSQL on 127.0.0.1:$PG_PORT"
	as_pg "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 \
		-o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=''" start >&2 ||
		{ tail -n 30 "$PG_DIR/postgres.log" >&2 || true; die "private PostgreSQL did not start (log: $PG_DIR/postgres.log)"; }
	wait_for 30 pg_answers 127.0.0.1 "$PG_PORT" || die "private PostgreSQL does not answer on 127.0.0.1:$PG_PORT"
}

pg_private_stop() {
	local bin
	bin="$(pg_bindir)"
	[[ -n "$bin" ]] || return 0
	pg_os_user
	[[ -L "$PG_DIR" ]] && PG_DIR="$(readlink -f "$PG_DIR")"
	if pg_private_running "$bin"; then
		log "stopping private PostgreSQL ($PG_DIR)"
		as_pg "$bin/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >&2
	else
		log "private PostgreSQL is not running"
	fi
}

# ---------------------------------------------------------------- private Redis
redis_private_pid() {
	local pid
	[[ -f "$REDIS_DIR/redis.pid" ]] || return 1
	pid="$(cat "$REDIS_DIR/redis.pid")"
	[[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

redis_private_start() {
	have redis-server || return 1
	if redis_private_pid >/dev/null && redis_answers 127.0.0.1 "$REDIS_PORT"; then
		log "reusing private Redis on 127.0.0.1:$REDIS_PORT ($REDIS_DIR)"
		return 0
	fi
	if redis_answers 127.0.0.1 "$REDIS_PORT"; then
		die "another Redis already listens on 127.0.0.1:$REDIS_PORT; set CHAINSTORE_REDIS_PORT to a free port"
	fi
	mkdir -p "$REDIS_DIR"
	log "starting private Redis on 127.0.0.1:$REDIS_PORT ($(redis-server --version | awk '{print $3}'))"
	redis-server --daemonize yes --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
		--dir "$REDIS_DIR" --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" >&2 ||
		die "redis-server failed to start (log: $REDIS_DIR/redis.log)"
	wait_for 15 redis_answers 127.0.0.1 "$REDIS_PORT" ||
		{ tail -n 20 "$REDIS_DIR/redis.log" >&2 || true; die "private Redis does not answer on 127.0.0.1:$REDIS_PORT"; }
}

redis_private_stop() {
	local pid
	if pid="$(redis_private_pid)"; then
		log "stopping private Redis (pid $pid)"
		kill "$pid"
		local i
		for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		rm -f "$REDIS_DIR/redis.pid"
	else
		log "private Redis is not running"
	fi
}

# ---------------------------------------------------------------- docker compose fallback
compose_up() { # service host port probe
	local svc="$1" port="$2" probe="$3"
	log "starting '$svc' with docker compose"
	docker compose up -d "$svc" >&2 || return 1
	wait_for 60 "$probe" 127.0.0.1 "$port"
}

# ---------------------------------------------------------------- resolution
MISSING=()

ensure_pg() {
	local url="${DATABASE_URL:-$DEFAULT_DATABASE_URL}" host port
	host="$(url_part "$url" host)"; port="$(url_part "$url" port)"; port="${port:-5432}"
	if pg_answers "$host" "$port"; then
		log "PostgreSQL answers on $host:$port"
		DATABASE_URL="$url"
		MIGRATION_DATABASE_URL="${MIGRATION_DATABASE_URL:-$(url_with "$url" user=postgres)}"
		TEST_DATABASE_URL="${TEST_DATABASE_URL:-$(url_with "$MIGRATION_DATABASE_URL" path=/postgres)}"
		return 0
	fi
	log "no PostgreSQL on $host:$port"
	local at=""
	if pg_private_start; then
		at="127.0.0.1:$PG_PORT"
	elif docker_ok && compose_up postgres 5432 pg_answers; then
		at="127.0.0.1:5432"
	else
		MISSING+=(postgresql)
		return 0
	fi
	DATABASE_URL="postgres://chainstore_app:chainstore_app@$at/chainstore?sslmode=disable"
	MIGRATION_DATABASE_URL="postgres://postgres@$at/chainstore?sslmode=disable"
	TEST_DATABASE_URL="postgres://postgres@$at/postgres?sslmode=disable"
}

ensure_redis() {
	local url="${REDIS_URL:-$DEFAULT_REDIS_URL}" host port
	host="$(url_part "$url" host)"; port="$(url_part "$url" port)"; port="${port:-6379}"
	if redis_answers "$host" "$port"; then
		log "Redis answers on $host:$port"
		REDIS_URL="$url"
		TEST_REDIS_URL="${TEST_REDIS_URL:-$(url_with "$url" path=/15)}"
		return 0
	fi
	log "no Redis on $host:$port"
	local at=""
	if redis_private_start; then
		at="127.0.0.1:$REDIS_PORT"
	elif docker_ok && compose_up redis 6379 redis_answers; then
		at="127.0.0.1:6379"
	else
		MISSING+=(redis-server)
		return 0
	fi
	REDIS_URL="redis://$at/0"
	TEST_REDIS_URL="redis://$at/15"
}

ensure_all() {
	ensure_pg
	ensure_redis
	if ((${#MISSING[@]})); then
		die "cannot reach or start: ${MISSING[*]} (no running server, no server binaries, no Docker engine).
  Install the servers:  apt-get update && apt-get install -y ${MISSING[*]}
  (install first, then run this script again: it starts private servers under $DATA_DIR)"
	fi
}

print_env() {
	local v
	for v in DATABASE_URL MIGRATION_DATABASE_URL REDIS_URL TEST_DATABASE_URL TEST_REDIS_URL; do
		local val="${!v}"
		printf "export %s='%s'\n" "$v" "${val//\'/\'\\\'\'}"
	done
}

case "${1:-env}" in
env) ensure_all; print_env ;;
up) ensure_all; print_env >&2 ;;
stop) pg_private_stop; redis_private_stop ;;
status)
	url="${DATABASE_URL:-$DEFAULT_DATABASE_URL}"
	h="$(url_part "$url" host)"; p="$(url_part "$url" port)"
	pg_answers "$h" "${p:-5432}" && log "PostgreSQL $h:${p:-5432}: up" || log "PostgreSQL $h:${p:-5432}: down"
	pg_answers 127.0.0.1 "$PG_PORT" && log "private PostgreSQL 127.0.0.1:$PG_PORT: up" || log "private PostgreSQL 127.0.0.1:$PG_PORT: down"
	url="${REDIS_URL:-$DEFAULT_REDIS_URL}"
	h="$(url_part "$url" host)"; p="$(url_part "$url" port)"
	redis_answers "$h" "${p:-6379}" && log "Redis $h:${p:-6379}: up" || log "Redis $h:${p:-6379}: down"
	redis_answers 127.0.0.1 "$REDIS_PORT" && log "private Redis 127.0.0.1:$REDIS_PORT: up" || log "private Redis 127.0.0.1:$REDIS_PORT: down"
	;;
-h | --help | help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2 ;;
*) die "unknown command '$1' (env | up | stop | status)" ;;
esac
