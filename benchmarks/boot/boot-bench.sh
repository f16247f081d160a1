#!/bin/sh
# Boot benchmark: bare Apache Karaf 4.4.10, the all-in-one (distribution/) and the device distribution
# (distribution-device/), each from a fresh untar, alternately, N rounds (benchmarks/boot/README.md).
#
# For each distribution and round:
#   untar into a new folder;
#   first-start work (Cardinal only, reported apart, not in the boot time): bin/setenv sourced once, which
#     makes the key pair of bin/client (and, in the all-in-one, the TLS certificate: bin/first-start-tls);
#   boot = from `bin/start` to the first answer of bin/client in batch mode that contains what is
#     expected: bare Karaf `version` (answer "4.4.10", user karaf/karaf enabled in the copy's
#     etc/users.properties, since Karaf ships with none), Cardinal `dm:get ./DevInfo/DevId` (an answer
#     starting with "urn:"), bin/client logging in with the key of bin/setenv. bin/client is first run once
#     the ssh port listens (/proc/net/tcp polled every 50 ms), then again every 0.1 s until it answers;
#   RSS = VmRSS of the Karaf JVM (/proc/<pid>/status), read at the answer and again after
#     BENCH_IDLE_SECONDS (default 10) of idle time; the idle one is the figure;
#   then bin/stop, a bounded wait for the JVM to go, kill -9 if it did not, and the folder is removed.
#
# Usage: benchmarks/boot/boot-bench.sh [ROUNDS]      (default 5)
# Environment: BARE_TGZ, AIO_TGZ, DEVICE_TGZ (defaults: the apache-karaf tar.gz in ~/.m2, then
#   distribution/target/cardinal-*.tar.gz and distribution-device/target/cardinal-device-*.tar.gz);
#   BENCH_ONLY="bare device" to run a subset; BENCH_IDLE_SECONDS; BENCH_BOOT_TIMEOUT (default 180 s);
#   BENCH_OUT (default benchmarks/boot/results/boot-<UTC time>.txt); BENCH_LOCK (default
#   /tmp/cardinal-karaf.lock; empty: no lock).
# Locking: the script takes the machine's Karaf lock once per ROUND (the three boots of a round run under
# one lock, so other engineers' Karafs can run between rounds but never during a boot). Do not wrap the
# script itself in flock. All three use the standard ports (ssh 8101, HTTP 8181/8443 of the all-in-one).
# Needs: sh, tar, gzip, awk, sort, timeout, flock (util-linux), java 17. Linux only (/proc).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rounds=${1:-5}
m2=${MAVEN_REPO:-$HOME/.m2/repository}
BARE_TGZ=${BARE_TGZ:-$m2/org/apache/karaf/apache-karaf/4.4.10/apache-karaf-4.4.10.tar.gz}
AIO_TGZ=${AIO_TGZ:-$(ls "$root"/distribution/target/cardinal-[0-9]*.tar.gz 2>/dev/null | head -n 1)}
DEVICE_TGZ=${DEVICE_TGZ:-$(ls "$root"/distribution-device/target/cardinal-device-*.tar.gz 2>/dev/null | head -n 1)}
only=${BENCH_ONLY:-bare aio device}
idle=${BENCH_IDLE_SECONDS:-10}
boot_timeout=${BENCH_BOOT_TIMEOUT:-180}
lock=${BENCH_LOCK-/tmp/cardinal-karaf.lock}
mkdir -p "$here/results"
out=${BENCH_OUT:-$here/results/boot-$(date -u +%Y%m%dT%H%M%SZ).txt}
ssh_port=8101

fail() { echo "boot-bench: FAIL: $*" >&2; exit 1; }
now_ms() { date +%s%3N; }
log() { echo "$*" | tee -a "$out"; }

# --one KIND TGZ: one measurement; prints one "raw" line. Runs under the lock (see below).
if [ "${1:-}" = "--one" ]; then
    kind=$2; tgz=$3
    work=$(mktemp -d "${TMPDIR:-/tmp}/boot-bench.XXXXXX")
    home=""; pid=""
    cleanup() {
        if [ -n "$home" ] && [ -x "$home/bin/stop" ]; then
            "$home/bin/stop" >/dev/null 2>&1 || true
        fi
        i=0; while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
        [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
        rm -rf "$work"
    }
    trap cleanup EXIT INT TERM
    listening() { # the ssh port has a listening socket (state 0A)
        awk -v p=":$(printf '%04X' $ssh_port)" '$2 ~ p"$" && $4 == "0A" { f = 1 } END { exit !f }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
    }
    listening && fail "port $ssh_port is taken before the start of $kind (another Karaf outside the lock?)"
    tar xzf "$tgz" -C "$work"
    home=$(ls -d "$work"/*/ | head -n 1); home=${home%/}
    case "$kind" in
        bare)
            sed -i 's/^#karaf = karaf,_g_:admingroup/karaf = karaf,_g_:admingroup/; s/^#_g_\\:admingroup/_g_\\:admingroup/' "$home/etc/users.properties"
            grep -q '^karaf = karaf' "$home/etc/users.properties" || fail "could not enable the karaf user of the bare Karaf"
            command="version"; expect="^4\.4\.10"; login="-u karaf -p karaf"
            first_ms=0 ;;
        *)
            command="dm:get ./DevInfo/DevId"; expect="^urn:"; login=""
            f0=$(now_ms); DIRNAME="$home/bin" sh -c '. "$DIRNAME/setenv"' >/dev/null 2>&1 || true; f1=$(now_ms)
            first_ms=$((f1 - f0))
            [ -f "$home/etc/client.key" ] || fail "$kind: bin/setenv made no client key" ;;
    esac
    ask() { echo "$command" | timeout 20 "$home/bin/client" $login -b 2>/dev/null; }
    t0=$(now_ms)
    "$home/bin/start" >/dev/null 2>&1
    deadline=$(( $(date +%s) + boot_timeout ))
    while ! listening; do
        [ "$(date +%s)" -lt "$deadline" ] || fail "$kind: ssh port not listening after ${boot_timeout}s"
        sleep 0.05
    done
    t_port=$(now_ms)
    polls=0; answer=""
    while [ "$(date +%s)" -lt "$deadline" ]; do
        polls=$((polls + 1))
        if answer=$(ask) && printf '%s\n' "$answer" | grep -q "$expect"; then break; fi
        answer=""; sleep 0.1
    done
    t1=$(now_ms)
    [ -n "$answer" ] || fail "$kind: no answer to '$command' within ${boot_timeout}s"
    pid=$(cat "$home/karaf.pid")
    rss_answer=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
    sleep "$idle"
    rss_idle=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
    errors=$(grep -c '| ERROR ' "$home/data/log/karaf.log" 2>/dev/null || true)
    bundles=$(ls "$home/data/cache" 2>/dev/null | grep -c '^bundle' || true)
    s0=$(now_ms)
    "$home/bin/stop" >/dev/null 2>&1 || true
    i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
    s1=$(now_ms)
    # kind boot_ms port_ms polls rss_answer_kib rss_idle_kib first_start_ms stop_ms error_lines bundle_dirs
    echo "raw $kind $((t1 - t0)) $((t_port - t0)) $polls $rss_answer $rss_idle $first_ms $((s1 - s0)) $errors $bundles"
    exit 0
fi

for k in $only; do
    case "$k" in
        bare) [ -f "$BARE_TGZ" ] || fail "no bare Karaf at $BARE_TGZ (mvn dependency:get -Dartifact=org.apache.karaf:apache-karaf:4.4.10:tar.gz)" ;;
        aio) [ -n "$AIO_TGZ" ] && [ -f "$AIO_TGZ" ] || fail "no all-in-one tar.gz (mvn -B -ntp -f distribution/pom.xml install)" ;;
        device) [ -n "$DEVICE_TGZ" ] && [ -f "$DEVICE_TGZ" ] || fail "no device tar.gz (mvn -B -ntp -f distribution-device/pom.xml install)" ;;
        *) fail "unknown distribution '$k' in BENCH_ONLY (bare, aio, device)" ;;
    esac
done
tgz_of() { case "$1" in bare) echo "$BARE_TGZ" ;; aio) echo "$AIO_TGZ" ;; device) echo "$DEVICE_TGZ" ;; esac; }

: > "$out"
log "boot-bench: $(date -u '+%Y-%m-%d %H:%M:%S UTC'), $rounds rounds of: $only; idle ${idle}s before the RSS reading"
log "boot-bench: $(java -version 2>&1 | head -n 1); $(nproc) cores; $(awk '/MemTotal/ { printf "%d MiB RAM", $2 / 1024 }' /proc/meminfo)"
log "boot-bench: load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for k in $only; do
    log "boot-bench: size $k $(wc -c < "$(tgz_of "$k")") bytes  $(tgz_of "$k")"
done
log "# raw KIND BOOT_MS PORT_MS POLLS RSS_AT_ANSWER_KIB RSS_IDLE_KIB FIRST_START_MS STOP_MS ERROR_LINES BUNDLES  (round, load)"
r=1
while [ $r -le "$rounds" ]; do
    # one lock per round: the three boots of a round follow each other with nobody else's Karaf between them
    set --
    for k in $only; do set -- "$@" "$k"; done
    round_script="for k in $*; do \"$0\" --one \"\$k\" \"\$(case \$k in bare) echo '$BARE_TGZ';; aio) echo '$AIO_TGZ';; device) echo '$DEVICE_TGZ';; esac)\" || exit 1; done"
    if [ -n "$lock" ]; then
        lines=$(BENCH_IDLE_SECONDS=$idle BENCH_BOOT_TIMEOUT=$boot_timeout flock "$lock" sh -c "$round_script") || fail "round $r failed"
    else
        lines=$(BENCH_IDLE_SECONDS=$idle BENCH_BOOT_TIMEOUT=$boot_timeout sh -c "$round_script") || fail "round $r failed"
    fi
    load=$(cut -d' ' -f1 /proc/loadavg)
    printf '%s\n' "$lines" | while read -r line; do log "$line  round=$r load=$load"; done
    r=$((r + 1))
done
log "boot-bench: load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
bare_boot=$(awk '$1 == "raw" && $2 == "bare" { print $3 }' "$out" | median)
log "# medians: KIND boot s (x bare) | RSS idle MiB | RSS at answer MiB | first-start work s | stop s | tar.gz bytes"
for k in $only; do
    b=$(awk -v k="$k" '$1 == "raw" && $2 == k { print $3 }' "$out" | median)
    ri=$(awk -v k="$k" '$1 == "raw" && $2 == k { print $7 }' "$out" | median)
    ra=$(awk -v k="$k" '$1 == "raw" && $2 == k { print $6 }' "$out" | median)
    fs=$(awk -v k="$k" '$1 == "raw" && $2 == k { print $8 }' "$out" | median)
    st=$(awk -v k="$k" '$1 == "raw" && $2 == k { print $9 }' "$out" | median)
    ratio=$(awk -v b="$b" -v o="${bare_boot:-}" 'BEGIN { if (o > 0) printf "%.2fx", b / o; else print "-" }')
    log "median $k boot $(awk -v v="$b" 'BEGIN { printf "%.2f", v / 1000 }') s ($ratio) | RSS idle $(awk -v v="$ri" 'BEGIN { printf "%.0f", v / 1024 }') MiB | at answer $(awk -v v="$ra" 'BEGIN { printf "%.0f", v / 1024 }') MiB | first start $(awk -v v="$fs" 'BEGIN { printf "%.2f", v / 1000 }') s | stop $(awk -v v="$st" 'BEGIN { printf "%.1f", v / 1000 }') s | $(wc -c < "$(tgz_of "$k")") bytes"
done
echo "boot-bench: results in $out"
