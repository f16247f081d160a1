#!/bin/sh
# Boot smoke test of the Cardinal distribution, as an operator would run it: untar the tar.gz, run
# bin/start, ask `dm:ls .` through `bin/client -b` until it answers, check a few answers, print
# the figures (tar.gz size, time to the first answered command, idle RSS), then bin/stop.
#
# Usage: distribution/src/test/boot-smoke.sh [path/to/cardinal-VERSION.tar.gz]
# The copy is kept apart from a Cardinal that may already run on this machine: it listens on ports of
# its own (ssh SMOKE_SSH_PORT, default 8111; HTTP SMOKE_HTTP_PORT, default 18181; HTTPS
# SMOKE_HTTPS_PORT, default 18443; package-0 UDP SMOKE_PUSH_PORT, default 12948), it refuses to start when one of them is taken, its device has an
# identity of its own (urn:x-cardinaldm:smoke-<pid>) and its demo card stays out of the reader, so its
# device never opens a session with any server (the card's account would send it to 127.0.0.1:8443).
# Environment: SMOKE_SSH_PORT, SMOKE_HTTP_PORT, SMOKE_HTTPS_PORT, SMOKE_PUSH_PORT (above), SMOKE_BOOT_TIMEOUT seconds
#              (default 120), SMOKE_IDLE_SECONDS before the idle RSS reading (default 10),
#              SMOKE_KEEP=1 keeps the unpacked copy.
# Needs: sh, tar, gzip, awk, timeout (coreutils), java 17 on the PATH or JAVA_HOME. Linux only
# (/proc for the RSS and the listening address).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
tarball=${1:-$(ls "$here"/../../target/cardinal-*.tar.gz 2>/dev/null | head -n 1)}
port=${SMOKE_SSH_PORT:-8111}
http_port=${SMOKE_HTTP_PORT:-18181}
https_port=${SMOKE_HTTPS_PORT:-18443}
push_port=${SMOKE_PUSH_PORT:-12948}
boot_timeout=${SMOKE_BOOT_TIMEOUT:-120}
idle_seconds=${SMOKE_IDLE_SECONDS:-10}

fail() { echo "boot-smoke: FAIL: $*" >&2; exit 1; }
now_ms() { date +%s%3N; }

[ -n "$tarball" ] && [ -f "$tarball" ] || fail "no distribution tar.gz (build it: mvn -B -ntp -f distribution/pom.xml install)"

# taken PROTO PORT: true when a socket is bound to PORT (/proc/net lists them with the port in hex;
# state 0A is a listening TCP socket, 07 an unconnected UDP one)
taken() {
    hex=$(printf '%04X' "$2")
    if [ "$1" = tcp ]; then
        awk -v p=":$hex" '$2 ~ p"$" && $4 == "0A" { f = 1 } END { exit !f }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
    else
        awk -v p=":$hex" '$2 ~ p"$" { f = 1 } END { exit !f }' /proc/net/udp /proc/net/udp6 2>/dev/null
    fi
}
for p in "tcp $port SMOKE_SSH_PORT" "tcp $http_port SMOKE_HTTP_PORT" "tcp $https_port SMOKE_HTTPS_PORT" "udp $push_port SMOKE_PUSH_PORT"; do
    set -- $p
    if taken "$1" "$2"; then
        fail "$1 port $2 is already in use; choose another with $3=<port>"
    fi
done
work=$(mktemp -d "${TMPDIR:-/tmp}/cardinal-smoke.XXXXXX")
home=""
cleanup() {
    if [ -n "$home" ] && [ -x "$home/bin/stop" ]; then
        "$home/bin/stop" >/dev/null 2>&1 || true
        pid=$(cat "$home/karaf.pid" 2>/dev/null || true)
        # bounded wait for the JVM to go, then make sure it is gone
        i=0; while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
        [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
    fi
    [ "${SMOKE_KEEP:-0}" = "1" ] && echo "boot-smoke: kept $work" || rm -rf "$work"
}
trap cleanup EXIT INT TERM

tar xzf "$tarball" -C "$work"
home=$(ls -d "$work"/cardinal-*/ | head -n 1)
home=${home%/}
sed -i "s/^sshPort=.*/sshPort=$port/" "$home/etc/org.apache.karaf.shell.cfg"
sed -i "s/^org\.osgi\.service\.http\.port=.*/org.osgi.service.http.port=$http_port/" "$home/etc/org.ops4j.pax.web.cfg"
sed -i "s/^org\.osgi\.service\.http\.port\.secure=.*/org.osgi.service.http.port.secure=$https_port/" "$home/etc/org.ops4j.pax.web.cfg"
printf 'port = %s\n' "$push_port" >> "$home/etc/org.cardinaldm.transport.push.udp.cfg"
sed -i "s/^devid = .*/devid = urn:x-cardinaldm:smoke-$$/" "$home/etc/org.cardinaldm.mo.devinfo.cfg"
sed -i "s/^inserted = .*/inserted = false/" "$home/etc/org.cardinaldm.smartcard.sim-demo.cfg"
grep -q "^org.osgi.service.http.port=$http_port\$" "$home/etc/org.ops4j.pax.web.cfg" || fail "could not move the HTTP port"
grep -q "^org.osgi.service.http.port.secure=$https_port\$" "$home/etc/org.ops4j.pax.web.cfg" || fail "could not move the HTTPS port"
grep -q "^inserted = false\$" "$home/etc/org.cardinaldm.smartcard.sim-demo.cfg" || fail "could not keep the demo card out"
unpacked_kb=$(du -sk "$home" | awk '{ print $1 }')

ask() { # ask COMMAND: its answer through bin/client in batch mode; never hangs
    echo "$1" | timeout 20 "$home/bin/client" -b 2>/dev/null
}

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

# answers an operator relies on
man=$(ask 'dm:get ./DevInfo/Man')
[ -n "$man" ] && [ "$(printf '%s\n' "$man" | wc -l)" -eq 1 ] || fail "dm:get ./DevInfo/Man did not print one value line: '$man'"
devid=$(ask 'dm:get ./DevInfo/DevId')
[ "$devid" = "urn:x-cardinaldm:smoke-$$" ] || fail "the copy's device is not the smoke device: '$devid'"
taken tcp "$http_port" || fail "nothing listens on the copy's HTTP port $http_port"
taken tcp "$https_port" || fail "nothing listens on the copy's HTTPS port $https_port (bin/first-start-tls)"
missing=$(ask 'dm:get ./DevInfo/NoSuchLeaf' || true)
case "$missing" in "404 Not found"*) ;; *) fail "a missing node did not print a 404 line: '$missing'" ;; esac
# credentials policy: sshd listens on loopback only. /proc/net/tcp{,6} list listening sockets (state
# 0A) with the address in hex: 0100007F is 127.0.0.1, ...FFFF00000100007F the same as IPv4-mapped IPv6.
hexport=$(printf '%04X' "$port")
listen=$(awk -v p=":$hexport" '$2 ~ p"$" && $4 == "0A" { print $2 }' /proc/net/tcp /proc/net/tcp6 2>/dev/null | sort -u)
[ -n "$listen" ] || fail "nothing listens on the ssh port $port"
for address in $listen; do
    case "$address" in
        0100007F:*|0000000000000000FFFF00000100007F:*) ;;
        *) fail "ssh console listens beyond loopback: $address" ;;
    esac
done
errors=$(grep -c '| ERROR ' "$home/data/log/karaf.log" || true)

rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
rss_first=$(rss_kb "$pid")
sleep "$idle_seconds"
rss_idle=$(rss_kb "$pid")

stop_start=$(now_ms)
"$home/bin/stop" 2>/dev/null
i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
kill -0 "$pid" 2>/dev/null && fail "Karaf did not stop within 30 s"
stopped=$(now_ms)

size_bytes=$(wc -c < "$tarball")
echo "boot-smoke: distribution        $(basename "$tarball"): $((size_bytes / 1048576)) MiB tar.gz, $((unpacked_kb / 1024)) MiB unpacked"
echo "boot-smoke: first answer        $(( (first - start) / 1000 )).$(( (first - start) % 1000 / 100 )) s after bin/start ($polls polls of 'dm:ls .')"
echo "boot-smoke: DevInfo/Man         $man"
echo "boot-smoke: RSS                 $((rss_first / 1024)) MiB at first answer, $((rss_idle / 1024)) MiB after ${idle_seconds} s idle"
echo "boot-smoke: stop                $(( (stopped - stop_start) / 1000 )).$(( (stopped - stop_start) % 1000 / 100 )) s"
echo "boot-smoke: ERROR log lines     $errors"
[ "$errors" -eq 0 ] || fail "karaf.log has ERROR lines"

# the operators' signing tool (bin/pkgtrust): a firmware package signed with a PKCS#12 key made by the JDK's
# keytool (the password only in the environment), then verified against that key's hash
sig="$work/pkgtrust"; mkdir -p "$sig"
if [ -n "${JAVA_HOME:-}" ]; then keytool="$JAVA_HOME/bin/keytool"; else keytool=keytool; fi
printf 'smoke firmware image\n' > "$sig/fw.img"
SMOKE_P12_PASSWORD=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n') && export SMOKE_P12_PASSWORD
"$keytool" -genkeypair -keyalg EC -groupname secp256r1 -alias release -dname CN=smoke -validity 2 \
    -storetype PKCS12 -keystore "$sig/release.p12" -storepass:env SMOKE_P12_PASSWORD >/dev/null 2>&1 \
    || fail "keytool could not make a PKCS#12 key"
"$home/bin/pkgtrust" sign --pkcs12 "$sig/release.p12" --alias release --password-env SMOKE_P12_PASSWORD \
    --kind firmware --name smoke --version 1.0.0 --device-class Smoke/Gateway --counter 1 "$sig/fw.img" >/dev/null \
    || fail "bin/pkgtrust sign failed"
spki=$("$home/bin/pkgtrust" spki "$sig/release.p12" --password-env SMOKE_P12_PASSWORD) || fail "bin/pkgtrust spki failed"
"$home/bin/pkgtrust" verify --manifest "$sig/fw.img.manifest.p7" --trust "$spki" --kind firmware \
    --device-class Smoke/Gateway "$sig/fw.img" >/dev/null || fail "bin/pkgtrust verify refused its own signature"
printf 'tampered\n' >> "$sig/fw.img"
if "$home/bin/pkgtrust" verify --manifest "$sig/fw.img.manifest.p7" --trust "$spki" --kind firmware \
    --device-class Smoke/Gateway "$sig/fw.img" >/dev/null 2>&1; then fail "bin/pkgtrust verify accepted a changed payload"; fi
unset SMOKE_P12_PASSWORD
echo "boot-smoke: bin/pkgtrust        signed and verified a firmware package with a PKCS#12 key; a changed payload refused"
echo "boot-smoke: load average      $(cut -d' ' -f1-3 /proc/loadavg) (figures above are wall-clock on a shared machine)"
echo "boot-smoke: OK"
