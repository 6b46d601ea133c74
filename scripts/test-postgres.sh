#!/usr/bin/env bash
# A PostgreSQL server for the test suite: Debian's package, a throwaway cluster under
# /tmp, listening on localhost only with trust authentication. Installs the package
# when it is missing, starts the cluster when it is not running, creates the test
# database, and prints its URL (what DOUDI_TEST_DATABASE_URL takes).
# Idempotent: a second call finds the server up and prints the same URL.
set -euo pipefail
PORT="${DOUDI_PG_PORT:-54329}"
DATA="${DOUDI_PG_DIR:-/tmp/doudi-pg-$PORT}"
DB=doudi_test

pgbin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
as_owner() {
	# PostgreSQL refuses to run as root: run as the package's postgres user then.
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ -z "$(pgbin)" ]; then
	echo "installing PostgreSQL (Debian package)…" >&2
	if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
	$SUDO apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >&2
fi
BIN="$(pgbin)"

if ! "$BIN/pg_isready" -q -h localhost -p "$PORT"; then
	if [ ! -f "$DATA/PG_VERSION" ]; then
		mkdir -p "$DATA"
		[ "$(id -u)" = 0 ] && chown postgres: "$DATA"
		as_owner "$BIN/initdb" -D "$DATA" -U doudi --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
	fi
	as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
		-o "-p $PORT -c listen_addresses=localhost -k $DATA -c fsync=off" start >/dev/null
fi
if ! "$BIN/psql" -h localhost -p "$PORT" -U doudi -d postgres -tAc \
	"SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
	"$BIN/createdb" -h localhost -p "$PORT" -U doudi "$DB"
fi
echo "postgres://doudi@localhost:$PORT/$DB"
