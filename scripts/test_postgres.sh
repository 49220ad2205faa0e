#!/usr/bin/env bash
# Sourced by test.sh: start a throwaway PostgreSQL server on loopback for this test run, export
# COMMANDCENTER_TEST_PG_URL for the tests, and stop the server and delete its files on exit.
# Without Debian's server binaries it says so, and the suite runs on SQLite alone.

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  echo "No PostgreSQL server found: the tests run on SQLite only." >&2
  return 0
fi

pg_dir=$(mktemp -d /tmp/commandcenter-pg.XXXXXX)
pg_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_owner=()
if [ "$(id -u)" -eq 0 ]; then  # initdb refuses root: the server runs as Debian's postgres user
  chown postgres "$pg_dir"
  as_owner=(runuser -u postgres --)
fi

stop_test_postgres() {
  "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap stop_test_postgres EXIT

"${as_owner[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 \
  >"$pg_dir/initdb.log" 2>&1 || { cat "$pg_dir/initdb.log" >&2; exit 1; }
"${as_owner[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c fsync=off" start >/dev/null ||
  { cat "$pg_dir/server.log" >&2; exit 1; }
export COMMANDCENTER_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$pg_port/postgres"
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') for the tests on 127.0.0.1:$pg_port"
