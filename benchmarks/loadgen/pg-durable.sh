#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the load generator's --store postgres with PostgreSQL's own defaults
# (fsync and synchronous_commit on), unlike the test clusters (.ci/start-postgres.sh and the test kit's embedded
# server run with fsync=off): the figure of a registry whose commits reach the disk.
#   bash benchmarks/loadgen/pg-durable.sh start   # prints the JDBC URL for --pg-url
#   bash benchmarks/loadgen/pg-durable.sh stop    # stops it and removes its files
# Needs the Debian package postgresql. Port CARDINAL_LOADGEN_PG_PORT (55433), files in /tmp/cardinal-loadgen-pg.
# Never run it under the Karaf lock (flock): the server would inherit the lock.
set -euo pipefail

PORT="${CARDINAL_LOADGEN_PG_PORT:-55433}"
DIR=/tmp/cardinal-loadgen-pg
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "${bindir}" ] || [ ! -x "${bindir}/initdb" ]; then
  echo "pg-durable: PostgreSQL is not installed (apt-get install -y postgresql)" >&2
  exit 1
fi
as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"; else su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; fi
}

case "${1:-}" in
  start)
    mkdir -p "${DIR}"
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "${DIR}"; fi
    if [ ! -f "${DIR}/data/PG_VERSION" ]; then
      as_postgres "${bindir}/initdb" -D "${DIR}/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
        -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! as_postgres "${bindir}/pg_ctl" -D "${DIR}/data" status >/dev/null 2>&1; then
      as_postgres "${bindir}/pg_ctl" -D "${DIR}/data" -l "${DIR}/server.log" -w -t 30 \
        -o "-p ${PORT} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${DIR}" start >/dev/null
    fi
    psql_run() { as_postgres "${bindir}/psql" -h "${DIR}" -p "${PORT}" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
    if [ "$(psql_run -c "SELECT 1 FROM pg_roles WHERE rolname='loadgen'")" != 1 ]; then
      psql_run -c "CREATE ROLE loadgen LOGIN CREATEDB PASSWORD 'loadgen'"
    fi
    echo "jdbc:postgresql://127.0.0.1:${PORT}/postgres?user=loadgen&password=loadgen"
    ;;
  stop)
    if [ -f "${DIR}/data/PG_VERSION" ]; then
      as_postgres "${bindir}/pg_ctl" -D "${DIR}/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
    fi
    rm -rf "${DIR}"
    ;;
  *)
    echo "usage: pg-durable.sh start|stop" >&2
    exit 2
    ;;
esac
