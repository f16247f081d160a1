#!/bin/bash
# the standard run of issue 17 on the three registries, one after the other
cd /work/main/benchmarks/loadgen/results/2026-12-07/issue17
J=/work/main/benchmarks/loadgen/target/loadgen.jar
PG=$(bash /work/main/benchmarks/loadgen/pg-durable.sh start)
for store in h2 postgres memory; do
  extra=""; [ $store = postgres ] && extra="--pg-url $PG"
  echo "$(date -u +%H:%M:%S) start $store load $(cut -d' ' -f1-3 /proc/loadavg)"
  java -Xmx2g -jar $J --devices 1000 --concurrency 64 --duration 60 --rounds 3 --store $store $extra > standard-$store.txt 2>&1
  echo "$(date -u +%H:%M:%S) end $store rc $?"
done
