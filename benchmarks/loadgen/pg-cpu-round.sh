#!/usr/bin/env bash
# One 40 s load-generator round against the durable PostgreSQL of pg-durable.sh, with PostgreSQL's own CPU time,
# which the load generator cannot see: the postmaster's utime+stime plus that of the backends it reaped (cutime,
# cstime in /proc/<pid>/stat; the registry's connections close at the end of the run, so every backend is reaped).
#   bash benchmarks/loadgen/pg-durable.sh start
#   bash benchmarks/loadgen/pg-cpu-round.sh JAR LABEL [OUTDIR]   # EXTRA="--pool 20" for more options
# Prints one line: PostgreSQL CPU seconds and microseconds per session, the ratio and CPU lines of the run.
# Compare two builds by running their jars alternately (docs/performance.md, "PostgreSQL: fewer statements").
set -euo pipefail
JAR=$1; LABEL=$2; OUT=${3:-/tmp}
DATA=/tmp/cardinal-loadgen-pg/data
PM=$(head -1 "${DATA}/postmaster.pid")
cpu() { awk '{print $14+$15+$16+$17}' "/proc/${PM}/stat"; }
HZ=$(getconf CLK_TCK)
B=$(cpu)
java -Xmx2g -jar "${JAR}" --devices 1000 --concurrency 64 --duration 40 --rounds 1 --hold 0 --store postgres ${EXTRA:-} \
  --pg-url "jdbc:postgresql://127.0.0.1:${CARDINAL_LOADGEN_PG_PORT:-55433}/cardinal_test?user=cardinal&password=cardinal" \
  > "${OUT}/${LABEL}.txt" 2>&1
sleep 2
A=$(cpu)
JOBS=$(sed -n 's/^jobs *\([0-9]*\) submitted.*/\1/p' "${OUT}/${LABEL}.txt")
echo "${LABEL} $(date -u +%H:%M:%S) pg_cpu_s=$(( (A-B)/HZ )) jobs=${JOBS} pg_us_per_session=$(( (A-B)*1000000/HZ/JOBS ))" \
  "| $(grep -E '^ratio' "${OUT}/${LABEL}.txt" | cut -c1-70) | $(grep -E '^CPU' "${OUT}/${LABEL}.txt" | cut -c1-80)" \
  "| $(grep '^server CPU' "${OUT}/${LABEL}.txt" | cut -c1-40) | load $(cut -d' ' -f1-3 /proc/loadavg)"
