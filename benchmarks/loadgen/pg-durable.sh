#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the load generator's --store postgres with PostgreSQL's own defaults
# (fsync and synchronous_commit on), unlike the test clusters (.ci/start-postgres.sh and the test kit's embedded
# server run with fsync=off): the figure of a registry whose commits reach the disk. It is .ci/start-postgres.sh
# on another port and directory, with fsync kept and a role that may create databases (the load generator makes
# one per run and drops it).
#   bash benchmarks/loadgen/pg-durable.sh start   # prints the JDBC URL for --pg-url
#   bash benchmarks/loadgen/pg-durable.sh stop    # stops it and removes its files
# Needs the Debian package postgresql. Port CARDINAL_LOADGEN_PG_PORT (55433), files in /tmp/cardinal-loadgen-pg.
# Never run it under the Karaf lock (flock): the server would inherit the lock.
set -euo pipefail

PORT="${CARDINAL_LOADGEN_PG_PORT:-55433}"
DIR=/tmp/cardinal-loadgen-pg

case "${1:-}" in
  start)
    CARDINAL_PG_PORT="${PORT}" CARDINAL_PG_DIR="${DIR}" CARDINAL_PG_FSYNC=on CARDINAL_PG_CREATEDB=1 \
      bash "$(dirname "$0")/../../.ci/start-postgres.sh"
    ;;
  stop)
    bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
    if [ -n "${bindir}" ] && [ -f "${DIR}/data/PG_VERSION" ]; then
      if [ "$(id -un)" = postgres ]; then "${bindir}/pg_ctl" -D "${DIR}/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
      else su postgres -s /bin/sh -c "'${bindir}/pg_ctl' -D '${DIR}/data' -m fast -w -t 30 stop" >/dev/null 2>&1 || true; fi
    fi
    rm -rf "${DIR}"
    ;;
  *)
    echo "usage: pg-durable.sh start|stop" >&2
    exit 2
    ;;
esac
