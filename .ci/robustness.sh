#!/usr/bin/env bash
# The robustness suite (benchmarks/robustness) against a fresh copy of the built distribution:
# untar distribution/target/cardinal-*.tar.gz into a temporary directory, start it, install
# cardinal-server-rest through bin/client, wait until /dm answers, run every probe with every target
# (HTTP, HTTPS, UDP package 0, REST, the install directory), print the suite's output, stop Karaf and
# exit with the suite's status (0: every probe passed or was skipped; 1: a probe failed; other: set-up).
#
# Ports: the all-in-one needs its default ports, because the demo card's bootstrap account sends the
# device to https://127.0.0.1:8443/dm and the server pushes to udp:127.0.0.1:2948. So the script does NOT
# move ports: it refuses (exit 3, naming them) when TCP 8101 (ssh), 8181 (HTTP), 8443 (HTTPS) or UDP
# 2948 (package 0) is taken. ROBUSTNESS_PORT_WAIT=<seconds> waits that long for them to be free first.
#
# REST credentials: an admin password when etc/users.properties holds one in plain text (a fresh
# installation has none since 2026-12-07); otherwise (hashed, or bin/client on a key pair) a REST user "robustness" with role admin and a
# random password, created through bin/client (jaas:realm-manage, jaas:user-add, jaas:role-add,
# jaas:update). A viewer user "robustness-viewer<N>" (role viewer) is created the same way for the
# viewer probe.
#
# Environment: ROBUSTNESS_PORT_WAIT (0), ROBUSTNESS_BOOT_TIMEOUT seconds (180), ROBUSTNESS_KEEP=1 keeps
# the unpacked copy, ROBUSTNESS_ONLY=<id-prefix,...> runs some probes only, JAVA (java).
# Needs: bash, tar, curl, timeout, java 17, Linux (/proc/net for the port check); mvn when the suite's
# jar is not built yet.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
java=${JAVA:-java}
port_wait=${ROBUSTNESS_PORT_WAIT:-0}
boot_timeout=${ROBUSTNESS_BOOT_TIMEOUT:-180}
ssh_port=8101 http_port=8181 https_port=8443 push_port=2948

say() { echo "robustness.sh: $*" >&2; }
die() { say "$2"; exit "$1"; }

tarball=$(ls "$root"/distribution/target/cardinal-*.tar.gz 2>/dev/null | head -n 1 || true)
[ -n "$tarball" ] && [ -f "$tarball" ] || die 3 "no distribution/target/cardinal-*.tar.gz (mvn -B -ntp install -DskipTests -pl features,distribution)"

jar="$root/benchmarks/robustness/target/robustness.jar"
if [ ! -f "$jar" ]; then
    say "building the suite (benchmarks/robustness)"
    mvn -B -ntp -q -f "$root/benchmarks/robustness/pom.xml" package >&2 || die 3 "could not build benchmarks/robustness"
fi

# taken PROTO PORT: a socket is bound to PORT (state 0A = listening TCP; any UDP socket)
taken() {
    local hex
    hex=$(printf '%04X' "$2")
    if [ "$1" = tcp ]; then
        awk -v p=":$hex" '$2 ~ p"$" && $4 == "0A" { f = 1 } END { exit !f }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
    else
        awk -v p=":$hex" '$2 ~ p"$" { f = 1 } END { exit !f }' /proc/net/udp /proc/net/udp6 2>/dev/null
    fi
}
busy_ports() {
    local out=""
    for p in "tcp $ssh_port" "tcp $http_port" "tcp $https_port" "udp $push_port"; do
        set -- $p
        if taken "$1" "$2"; then out="$out $1/$2"; fi
    done
    echo "${out# }"
}
deadline=$(( $(date +%s) + port_wait ))
busy=$(busy_ports)
while [ -n "$busy" ] && [ "$(date +%s)" -lt "$deadline" ]; do
    sleep 5
    busy=$(busy_ports)
done
[ -z "$busy" ] || die 3 "refusing to start: port(s) $busy in use (another Cardinal/Karaf?). The all-in-one cannot move them (the demo card names 127.0.0.1:8181); stop it or set ROBUSTNESS_PORT_WAIT=<seconds>"

work=$(mktemp -d "${TMPDIR:-/tmp}/cardinal-robustness.XXXXXX")
home=""
karaf_pid=""
cleanup() {
    if [ -n "$home" ] && [ -x "$home/bin/stop" ]; then
        "$home/bin/stop" >/dev/null 2>&1 || true
        karaf_pid=${karaf_pid:-$(cat "$home/karaf.pid" 2>/dev/null || true)}
        local i=0
        while [ -n "$karaf_pid" ] && kill -0 "$karaf_pid" 2>/dev/null && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
        if [ -n "$karaf_pid" ] && kill -0 "$karaf_pid" 2>/dev/null; then
            say "Karaf (pid $karaf_pid) did not stop within 60 s; killing it"
            kill -9 "$karaf_pid" 2>/dev/null || true
        fi
    fi
    if [ "${ROBUSTNESS_KEEP:-0}" = "1" ]; then say "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT INT TERM

tar xzf "$tarball" -C "$work"
home=$(ls -d "$work"/cardinal-*/ | head -n 1)
home=${home%/}

client() { # client TIMEOUT: the commands on stdin through bin/client in batch mode, bounded
    timeout "$1" "$home/bin/client" -b 2>&1
}

say "starting $home"
"$home/bin/start" >/dev/null 2>&1 || die 3 "bin/start failed"
deadline=$(( $(date +%s) + boot_timeout ))
code=000
while [ "$(date +%s)" -lt "$deadline" ]; do
    code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "http://127.0.0.1:$http_port/dm" || true)
    case "$code" in 000|404|503) sleep 1 ;; *) break ;; esac
done
case "$code" in 000|404|503) die 3 "/dm did not answer within ${boot_timeout}s (last: $code; see $home/data/log/karaf.log, ROBUSTNESS_KEEP=1)";; esac
karaf_pid=$(cat "$home/karaf.pid" 2>/dev/null || true)
say "/dm answers (GET: HTTP $code)"
# the ports must be this copy's: another Karaf started at the same moment would answer instead
owner() { ss -ltnpH "sport = :$1" 2>/dev/null | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -n 1; }
if command -v ss >/dev/null 2>&1; then
    for p in $http_port $ssh_port; do
        o=$(owner "$p")
        [ -z "$o" ] || [ "$o" = "$karaf_pid" ] || die 3 "TCP $p belongs to process $o, not to this copy (pid $karaf_pid): another Karaf started at the same time; try again"
    done
fi

# the REST API: install it through the console (retried while the console is still starting)
installed=""
while [ "$(date +%s)" -lt "$deadline" ]; do
    if out=$(echo 'feature:install cardinal-server-rest' | client 90); then installed=yes; break; fi
    sleep 2
done
[ -n "$installed" ] || die 3 "feature:install cardinal-server-rest through bin/client failed: $out"
code=000
while [ "$(date +%s)" -lt "$deadline" ]; do
    code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "http://127.0.0.1:$http_port/cardinal/api/v1/devices" || true)
    [ "$code" = 401 ] && break
    sleep 1
done
say "REST API without credentials: HTTP $code"

# REST credentials
rest_user="" rest_password=""
admin_value=$(sed -n 's/^admin[[:space:]]*=[[:space:]]*\([^,]*\),.*/\1/p' "$home/etc/users.properties" 2>/dev/null | head -n 1)
case "$admin_value" in
    ""|"{CRYPT}"*) ;;
    *) rest_user=admin; rest_password=$admin_value; say "REST as 'admin' (its password is in etc/users.properties in plain text)" ;;
esac
viewer_password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
if [ -z "$rest_user" ]; then
    rest_user=robustness
    rest_password=$(od -An -N18 -tx1 /dev/urandom | tr -d ' \n')
    say "REST as '$rest_user', created through jaas: commands (no plain-text admin password to read)"
fi
# the users must really log in before the suite starts: Karaf rewrites users.properties (hashing) around
# first logins, and a user written by jaas:update was lost in that race once; so each try creates users
# of new names and checks one login (at most three wrong passwords in all: the REST API throttles from
# the sixth)
make_admin=""
[ "$rest_user" = robustness ] && make_admin=yes
created=""
for try in 1 2 3; do
    viewer_user=robustness-viewer$try
    jaas_cmds="jaas:realm-manage --realm karaf
jaas:user-add $viewer_user $viewer_password
jaas:role-add $viewer_user viewer"
    if [ -n "$make_admin" ]; then
        rest_user=robustness$try
        jaas_cmds="$jaas_cmds
jaas:user-add $rest_user $rest_password
jaas:role-add $rest_user admin"
    fi
    jaas_cmds="$jaas_cmds
jaas:update"
    if ! out=$(printf '%s\n' "$jaas_cmds" | client 60); then
        break
    fi
    sleep 2
    code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' -u "$viewer_user:$viewer_password" \
        "http://127.0.0.1:$http_port/cardinal/api/v1/devices" || true)
    if [ "$code" = 200 ]; then created=yes; break; fi
    say "the REST user '$viewer_user' does not log in (HTTP $code, try $try); creating users of new names"
done
viewer_arg=(--rest-viewer "$viewer_user:$viewer_password")
if [ -z "$created" ]; then
    # go on without them: the probes that need them are SKIP, with the reason
    say "creating the REST test users through bin/client failed: $(printf '%s' "$out" | tail -n 2 | sed 's/\x1b\[[0-9;]*m//g' | tr '\n' ' ')"
    viewer_arg=()
    if [ -n "$make_admin" ]; then rest_user="" rest_password=""; fi
fi

# the demo device's first session (so that the package-0 probes see a change, not the boot session)
i=0
[ -n "$rest_user" ] || i=60
while [ $i -lt 60 ]; do
    body=$(curl -s -m 5 -w ' HTTP %{http_code}' -u "$rest_user:$rest_password" "http://127.0.0.1:$http_port/cardinal/api/v1/devices/urn%3Ax-cardinaldm%3Ademo-gateway" || true)
    case "$body" in *'"lastContact":"'*|*'"lastContact": "'*) break ;; esac
    sleep 1; i=$((i + 1))
done
[ $i -lt 60 ] || say "the demo device's first contact not seen (no REST credentials, or not yet: '$(printf '%s' "${body:-}" | tail -c 120)'); going on"

secure_port=$(sed -n 's/^org\.osgi\.service\.http\.port\.secure[[:space:]]*=[[:space:]]*//p' "$home/etc/org.ops4j.pax.web.cfg" | head -n 1)
secure_port=${secure_port:-$https_port}

say "running the suite"
set +e
ROBUSTNESS_REST_PASSWORD="$rest_password" "$java" -jar "$jar" \
    --http "http://127.0.0.1:$http_port" \
    --https "https://127.0.0.1:$secure_port" \
    --push "udp:127.0.0.1:$push_port" \
    ${rest_user:+--rest-user "$rest_user"} \
    ${viewer_arg[@]+"${viewer_arg[@]}"} \
    --home "$home" \
    ${ROBUSTNESS_ONLY:+--only "$ROBUSTNESS_ONLY"}
status=$?
set -e
errors=$(grep -c '| ERROR ' "$home/data/log/karaf.log" 2>/dev/null || true)
say "karaf.log has ${errors:-0} ERROR line(s)"
exit $status
