#!/bin/sh
# Boot smoke test of the Cardinal device distribution, as an OEM would run it: untar the tar.gz, run
# bin/start, ask `dm:ls .` through `bin/client -b` until it answers, check the answers and what the
# device must not have (a web stack, a DM server, a database server, a password login, an ssh console
# beyond loopback), install and uninstall the software card as a feature, print the figures (tar.gz
# size, time to the first answered command, RSS), then bin/stop.
#
# Usage: distribution-device/src/test/boot-smoke.sh [path/to/cardinal-device-VERSION.tar.gz]
# The copy is kept apart from a Karaf that may already run on this machine: ssh on SMOKE_SSH_PORT
# (default 8112), the package-0 listener on UDP SMOKE_PUSH_PORT (default 12949); it refuses to start when
# one of them is taken. Run it under the machine's Karaf lock: flock /tmp/cardinal-karaf.lock sh <this>.
# Environment: SMOKE_SSH_PORT, SMOKE_PUSH_PORT, SMOKE_BOOT_TIMEOUT seconds (default 120),
#              SMOKE_IDLE_SECONDS before the idle RSS reading (default 10), SMOKE_KEEP=1 keeps the copy.
# Needs: sh, tar, gzip, awk, timeout (coreutils), java 17 on the PATH or JAVA_HOME. Linux only (/proc).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
tarball=${1:-$(ls "$here"/../../target/cardinal-device-*.tar.gz 2>/dev/null | head -n 1)}
port=${SMOKE_SSH_PORT:-8112}
push_port=${SMOKE_PUSH_PORT:-12949}
boot_timeout=${SMOKE_BOOT_TIMEOUT:-120}
idle_seconds=${SMOKE_IDLE_SECONDS:-10}

fail() { echo "device-boot-smoke: FAIL: $*" >&2; exit 1; }
now_ms() { date +%s%3N; }

[ -n "$tarball" ] && [ -f "$tarball" ] || fail "no device tar.gz (build it: mvn -B -ntp -f distribution-device/pom.xml install)"

# taken PROTO PORT: true when a socket is bound to PORT (state 0A is a listening TCP socket)
taken() {
    hex=$(printf '%04X' "$2")
    if [ "$1" = tcp ]; then
        awk -v p=":$hex" '$2 ~ p"$" && $4 == "0A" { f = 1 } END { exit !f }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
    else
        awk -v p=":$hex" '$2 ~ p"$" { f = 1 } END { exit !f }' /proc/net/udp /proc/net/udp6 2>/dev/null
    fi
}
taken tcp "$port" && fail "tcp port $port is already in use; choose another with SMOKE_SSH_PORT=<port>"
taken udp "$push_port" && fail "udp port $push_port is already in use; choose another with SMOKE_PUSH_PORT=<port>"

work=$(mktemp -d "${TMPDIR:-/tmp}/cardinal-device-smoke.XXXXXX")
home=""
cleanup() {
    if [ -n "$home" ] && [ -x "$home/bin/stop" ]; then
        "$home/bin/stop" >/dev/null 2>&1 || true
        pid=$(cat "$home/karaf.pid" 2>/dev/null || true)
        i=0; while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
        [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
    fi
    [ "${SMOKE_KEEP:-0}" = "1" ] && echo "device-boot-smoke: kept $work" || rm -rf "$work"
}
trap cleanup EXIT INT TERM

tar xzf "$tarball" -C "$work"
home=$(ls -d "$work"/cardinal-device-*/ | head -n 1)
home=${home%/}
sed -i "s/^sshPort=.*/sshPort=$port/" "$home/etc/org.apache.karaf.shell.cfg"
grep -q "^sshPort=$port\$" "$home/etc/org.apache.karaf.shell.cfg" || fail "could not move the ssh port"
printf 'port = %s\n' "$push_port" >> "$home/etc/org.cardinaldm.transport.push.udp.cfg"
unpacked_kb=$(du -sk "$home" | awk '{ print $1 }')

ask() { # ask COMMAND: its answer through bin/client in batch mode; never hangs
    echo "$1" | timeout 30 "$home/bin/client" -b 2>/dev/null
}

# first-start work (the key pair of bin/client), timed apart from the boot
f0=$(now_ms)
DIRNAME="$home/bin" sh -c '. "$DIRNAME/setenv"' >/dev/null 2>&1
f1=$(now_ms)
[ -f "$home/etc/client.key" ] || fail "bin/setenv made no key pair for bin/client"
[ "$(stat -c %a "$home/etc/client.key")" = 600 ] || fail "etc/client.key is not owner-only"

start=$(now_ms)
"$home/bin/start" 2>/dev/null
answer=""
deadline=$(( $(date +%s) + boot_timeout ))
polls=0
while [ "$(date +%s)" -lt "$deadline" ]; do
    polls=$((polls + 1))
    if answer=$(ask 'dm:ls .') && printf '%s\n' "$answer" | grep -q 'DevInfo/'; then
        break
    fi
    answer=""
    sleep 0.25
done
first=$(now_ms)
[ -n "$answer" ] || fail "no answer to 'dm:ls .' within ${boot_timeout}s (see $home/data/log/karaf.log; SMOKE_KEEP=1 keeps it)"
pid=$(cat "$home/karaf.pid")
rss_first=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")

# the device's tree and commands
for node in DevInfo/ DevDetail/ DMAcc/ SCOMO/ FUMO/ DiagMon/ SmartCard/; do
    printf '%s\n' "$answer" | grep -q "$node" || fail "dm:ls . has no $node: '$answer'"
done
devid=$(ask 'dm:get ./DevInfo/DevId')
case "$devid" in urn:uuid:*) ;; *) fail "./DevInfo/DevId is not the host's urn:uuid: '$devid'" ;; esac
missing=$(ask 'dm:get ./DevInfo/NoSuchLeaf' || true)
case "$missing" in "404 Not found"*) ;; *) fail "a missing node did not print a 404 line: '$missing'" ;; esac
ask 'dm:accounts' >/dev/null || fail "dm:accounts (the device agent's shell) did not answer"
ask 'card:list' >/dev/null || fail "card:list did not answer"

# what a device must not have: no web stack, no DM server, no database server, no server commands
bundles=$(ask 'bundle:list -t 0 -s')
printf '%s\n' "$bundles" | grep -qE '[|] org[.]cardinaldm[.]client *$' || fail "the DM client bundle is not in bundle:list"
bad=$(printf '%s\n' "$bundles" | grep -Ei 'jetty|pax-web|pax\.web|cxf|jaxrs|org\.cardinaldm\.server|transport\.http\.server|transport\.push\.server|fumo\.server|com\.h2database[^.]|postgresql' || true)
[ -z "$bad" ] || fail "server, web or database bundles in the device: $bad"
server_cmds=$(ask 'dms:devices' 2>&1 || true)
case "$server_cmds" in *"Command not found"*|"") ;; *) fail "dms:devices answered on a device: '$server_cmds'" ;; esac
# the JVM's listening TCP sockets (its socket inodes matched in /proc/net/tcp{,6}): the ssh console and
# Karaf's shutdown port (random, on loopback, written to data/port) only
shutdown_port=$(cat "$home/data/port" 2>/dev/null || echo 0)
inodes=$(ls -l "/proc/$pid/fd" 2>/dev/null | sed -n 's/.*socket:\[\([0-9]*\)\].*/\1/p' | tr '\n' ' ')
ports=$(awk -v inodes=" $inodes " '$4 == "0A" && index(inodes, " " $10 " ") { split($2, a, ":"); print a[2] }' /proc/net/tcp /proc/net/tcp6 | sort -u)
for p in $ports; do
    [ "$p" = "$(printf '%04X' "$port")" ] || [ "$p" = "$(printf '%04X' "$shutdown_port")" ] || fail "the device listens on TCP port $(printf '%d' "0x$p") besides its ssh console"
done

# credentials: key login only (a password login is refused), ssh console on loopback only
if echo 'dm:ls .' | timeout 30 "$home/bin/client" -u admin -p admin -b >/dev/null 2>&1; then
    fail "a password login as admin/admin was accepted"
fi
hexport=$(printf '%04X' "$port")
listen=$(awk -v p=":$hexport" '$2 ~ p"$" && $4 == "0A" { print $2 }' /proc/net/tcp /proc/net/tcp6 2>/dev/null | sort -u)
[ -n "$listen" ] || fail "nothing listens on the ssh port $port"
for address in $listen; do
    case "$address" in
        0100007F:*|0000000000000000FFFF00000100007F:*) ;;
        *) fail "ssh console listens beyond loopback: $address" ;;
    esac
done

# hot swap: the software card is a feature in system/, installed and removed at run time; the boot
# bundles are not refreshed by it
install_out=$(ask 'feature:install -v cardinal-smartcard-sim') || fail "feature:install cardinal-smartcard-sim failed: $install_out"
case "$install_out" in *"Bundles to refresh"*) fail "installing the software card refreshed bundles: $install_out" ;; esac
ask 'bundle:list -s' | grep -qE '[|] org[.]cardinaldm[.]smartcard[.]sim *$' || fail "the software card's bundle is not installed"
ask 'feature:uninstall cardinal-smartcard-sim' >/dev/null || fail "feature:uninstall cardinal-smartcard-sim failed"
if ask 'bundle:list -s' | grep -qE '[|] org[.]cardinaldm[.]smartcard[.]sim *$'; then fail "the software card's bundle stayed after feature:uninstall"; fi
ask 'dm:get ./DevInfo/DevId' | grep -q '^urn:uuid:' || fail "the tree stopped answering after the card swap"

errors=$(grep -c '| ERROR ' "$home/data/log/karaf.log" || true)
sleep "$idle_seconds"
rss_idle=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")

stop_start=$(now_ms)
"$home/bin/stop" 2>/dev/null
i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
kill -0 "$pid" 2>/dev/null && fail "Karaf did not stop within 30 s"
stopped=$(now_ms)

size_bytes=$(wc -c < "$tarball")
echo "device-boot-smoke: distribution    $(basename "$tarball"): $size_bytes bytes tar.gz ($((size_bytes / 1048576)) MiB), $((unpacked_kb / 1024)) MiB unpacked"
echo "device-boot-smoke: first start     $(( (f1 - f0) / 1000 )).$(( (f1 - f0) % 1000 / 100 )) s of one-time work (key pair of bin/client), before bin/start"
echo "device-boot-smoke: first answer    $(( (first - start) / 1000 )).$(( (first - start) % 1000 / 100 )) s after bin/start ($polls polls of 'dm:ls .')"
echo "device-boot-smoke: DevInfo/DevId   $devid"
echo "device-boot-smoke: RSS             $((rss_first / 1024)) MiB at first answer, $((rss_idle / 1024)) MiB after the checks and ${idle_seconds} s idle"
echo "device-boot-smoke: stop            $(( (stopped - stop_start) / 1000 )).$(( (stopped - stop_start) % 1000 / 100 )) s"
echo "device-boot-smoke: ERROR log lines $errors"
[ "$errors" -eq 0 ] || fail "karaf.log has ERROR lines"
echo "device-boot-smoke: load average    $(cut -d' ' -f1-3 /proc/loadavg) (figures above are wall-clock on a shared machine)"
echo "device-boot-smoke: OK"
