#!/bin/bash
# usage: ab.sh tag jar reps "delays..."
tag=$1; jar=$2; reps=$3; shift 3
for rep in $(seq 1 $reps); do for d in "$@"; do
  L=$(cut -d' ' -f1 /proc/loadavg)
  java -Xmx2g -Dcardinal.h2.group.micros=$d -jar $jar --devices 1000 --concurrency 64 --duration 30 --rounds 1 --hold 0 --echo-seconds 4 > $tag-$d-$rep.txt 2>&1
  echo "$tag delay $d rep $rep load $L ratio $(grep -E '^ratio' $tag-$d-$rep.txt | head -1 | grep -o '= [0-9.]*;' | tr -d '=; ') cpu $(grep -o '[0-9]* us per DM exchange' $tag-$d-$rep.txt | head -1 | cut -d' ' -f1) server $(grep -o 'about [0-9]* us' $tag-$d-$rep.txt | cut -d' ' -f2) kib $(grep -o '[0-9.]* KiB per DM' $tag-$d-$rep.txt | cut -d' ' -f1) $(grep -o 'p50 [0-9.]* ms' $tag-$d-$rep.txt)"
done; done
