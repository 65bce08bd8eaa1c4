#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server for the persistence specs and prints the line that points them at it:
#   eval "$(bash scripts/test-postgres.sh)"   # sets LFR_TEST_POSTGRES
#   bash scripts/test-postgres.sh --stop      # stops the server this script started
# Idempotent: installs Debian's postgresql only if missing, reuses a server it already started.
# Everything but the export line goes to stderr so that eval sees only the export.
set -euo pipefail
state=${LFR_TEST_POSTGRES_DIR:-/tmp/lfr-test-postgres}
log() { echo "test-postgres: $*" >&2; }

find_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [[ -n "$dir" && -x "$dir/initdb" ]] && echo "$dir"
}

# initdb and postgres refuse to run as root, so the server runs as the postgres user when we are root
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

bin=$(find_bin || true)
if [[ "${1:-}" == "--stop" ]]; then
  if [[ -n "$bin" && -f "$state/data/postmaster.pid" ]]; then
    as_owner "$bin/pg_ctl" -D "$state/data" -m fast -w stop >&2
  fi
  exit 0
fi

if [[ -z "$bin" ]]; then
  log "installing postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  bin=$(find_bin)
fi

user=$(if [[ $(id -u) -eq 0 ]]; then echo postgres; else id -un; fi)
mkdir -p "$state"
if [[ $(id -u) -eq 0 ]]; then chown postgres "$state"; fi

if [[ ! -f "$state/data/PG_VERSION" ]]; then
  as_owner "$bin/initdb" -D "$state/data" -U "$user" --auth=trust -E UTF8 >/dev/null
fi

if as_owner "$bin/pg_ctl" -D "$state/data" status >/dev/null 2>&1; then
  port=$(cat "$state/port")
else
  # the port of an earlier start when it is free (a spec stops and starts the server under its clients), else
  # a random high port that nothing answers on
  port=$(cat "$state/port" 2>/dev/null || true)
  if [[ -n "$port" ]] && ! (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then :; else while :; do
    port=$((20000 + RANDOM % 40000))
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
  done; fi
  echo "$port" > "$state/port"
  as_owner "$bin/pg_ctl" -D "$state/data" -l "$state/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $state" start >&2
fi

if ! as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U "$user" -d postgres -tAc \
    "select 1 from pg_database where datname = 'lfr_test'" | grep -q 1; then
  as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U "$user" lfr_test
fi
log "PostgreSQL on 127.0.0.1:$port, database lfr_test"
echo "export LFR_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=$user;Database=lfr_test'"
