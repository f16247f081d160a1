#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the registry tests of bundles/dm-server-jdbc, and prints the
# JDBC URL the tests read from CARDINAL_TEST_PG_URL (its default is this very URL):
#   jdbc:postgresql://127.0.0.1:55432/cardinal_test?user=cardinal&password=cardinal
# Needs the Debian package `postgresql` (apt-get install -y postgresql). Idempotent: a running cluster is
# reused, a stale one is restarted. Runs as root (initdb and the server run as user postgres) or as postgres.
# CARDINAL_PG_PORT (55432) and CARDINAL_PG_DIR (/tmp/cardinal-pg) place it; CARDINAL_PG_FSYNC=on keeps
# PostgreSQL's fsync (the tests run with fsync=off); CARDINAL_PG_CREATEDB=1 lets the role create databases
# (benchmarks/loadgen/pg-durable.sh uses all four).
set -euo pipefail

PORT="${CARDINAL_PG_PORT:-55432}"
DIR="${CARDINAL_PG_DIR:-/tmp/cardinal-pg}"
DB=cardinal_test
ROLE=cardinal
PASSWORD=cardinal
FSYNC_OPT="-c fsync=off"
if [ "${CARDINAL_PG_FSYNC:-off}" = on ]; then FSYNC_OPT=""; fi

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "${bindir}" ] || [ ! -x "${bindir}/initdb" ]; then
  echo "start-postgres: PostgreSQL is not installed (apt-get install -y postgresql)" >&2
  exit 1
fi

as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"; else su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; fi
}

mkdir -p "${DIR}"
if [ "$(id -u)" = 0 ]; then chown postgres:postgres "${DIR}"; fi

if [ ! -f "${DIR}/data/PG_VERSION" ]; then
  as_postgres "${bindir}/initdb" -D "${DIR}/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >/dev/null
fi

if ! as_postgres "${bindir}/pg_ctl" -D "${DIR}/data" status >/dev/null 2>&1; then
  rm -f "${DIR}/data/postmaster.pid"
  as_postgres "${bindir}/pg_ctl" -D "${DIR}/data" -l "${DIR}/server.log" -w -t 30 \
    -o "-p ${PORT} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${DIR} ${FSYNC_OPT}" start >/dev/null
fi

# bounded wait until the server accepts connections
for _ in $(seq 1 60); do
  if as_postgres "${bindir}/pg_isready" -h 127.0.0.1 -p "${PORT}" -q; then break; fi
  sleep 0.5
done
as_postgres "${bindir}/pg_isready" -h 127.0.0.1 -p "${PORT}" -q || {
  echo "start-postgres: server did not start, see ${DIR}/server.log" >&2; exit 1; }

psql_run() { as_postgres "${bindir}/psql" -h "${DIR}" -p "${PORT}" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
if [ "$(psql_run -c "SELECT 1 FROM pg_roles WHERE rolname='${ROLE}'")" != 1 ]; then
  psql_run -c "CREATE ROLE ${ROLE} LOGIN PASSWORD '${PASSWORD}'"
fi
if [ "${CARDINAL_PG_CREATEDB:-0}" = 1 ]; then
  psql_run -c "ALTER ROLE ${ROLE} CREATEDB"
fi
if [ "$(psql_run -c "SELECT 1 FROM pg_database WHERE datname='${DB}'")" != 1 ]; then
  psql_run -c "CREATE DATABASE ${DB} OWNER ${ROLE}"
fi

echo "jdbc:postgresql://127.0.0.1:${PORT}/${DB}?user=${ROLE}&password=${PASSWORD}"
