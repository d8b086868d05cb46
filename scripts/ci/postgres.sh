#!/usr/bin/env bash
# A throw-away PostgreSQL server for the history-store tests, on the loopback address.
#
#   eval "$(scripts/ci/postgres.sh start)"   # prints export lines: ECOMPERF_TEST_PG_URL, ECOMPERF_TEST_PG_DIR
#   make test                                  # the PostgreSQL half of tests/history now runs
#   scripts/ci/postgres.sh stop                # stops it and removes its data folder
#
# Installs PostgreSQL from the Debian packages when it is missing (needs root, as CI runs). The cluster
# lives in a new temporary folder, listens on 127.0.0.1 only, on a free port, with a random password;
# the tests create and drop their own database in it. Run as root, the server runs as the `postgres` user
# (PostgreSQL refuses to run as root); otherwise as the current user.
set -euo pipefail

log() { echo "postgres.sh: $*" >&2; }

find_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  return 1
}

install() {
  if find_bin >/dev/null; then return 0; fi
  if [ "$(id -u)" != 0 ]; then
    log "PostgreSQL is not installed and this is not root; install the Debian package 'postgresql'"; exit 1
  fi
  log "installing PostgreSQL from the Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  find_bin >/dev/null || { log "installed, but no initdb under /usr/lib/postgresql/*/bin"; exit 1; }
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  install
  local bin dir port password
  bin="$(find_bin)"
  dir="$(mktemp -d "${TMPDIR:-/tmp}/ecomperf-pg.XXXXXX")"
  password="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
  printf '%s\n' "$password" > "$dir/password"
  mkdir "$dir/data" "$dir/socket"
  if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$dir"; fi
  chmod 700 "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$dir/password" --auth=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  rm -f "$dir/password"
  port="$(free_port)"
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/socket -c fsync=off" start >&2 \
    || { cat "$dir/server.log" >&2; exit 1; }
  log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $dir)"
  echo "export ECOMPERF_TEST_PG_URL='postgresql+psycopg://postgres:$password@127.0.0.1:$port/postgres'"
  echo "export ECOMPERF_TEST_PG_DIR='$dir'"
}

stop() {
  local dir="${1:-${ECOMPERF_TEST_PG_DIR:-}}"
  if [ -z "$dir" ] || [ ! -d "$dir/data" ]; then log "nothing to stop"; return 0; fi
  as_owner "$(find_bin)/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop [DIR]" >&2; exit 2 ;;
esac
