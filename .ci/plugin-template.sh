#!/usr/bin/env bash
# A plugin author's first build, as docs/user-guide.md §3 tells it (issue 13, item 10): copy
# examples/mo-plugin-template to a folder outside the repository, build it there with `mvn package`
# against the local Maven repository, drop the jar into deploy/ of a fresh copy of the built
# distribution and check that `dm:get ./Example/Greeting` answers the plugin's value, that
# ./Example/Note can be set, and that the subtree goes when the jar leaves deploy/; then the same
# plugin through its Karaf feature (`mvn install`, feature:repo-add mvn:..., feature:install, with no
# other bundle refreshed), its configuration PID (config:property-set), and feature:uninstall.
#
# Usage: .ci/plugin-template.sh [path/to/cardinal-VERSION.tar.gz]   (default: distribution/target/)
# Needs: the reactor built (`mvn verify` or `install`): its plugins in ~/.m2, the distribution tar.gz.
# Installs cardinal-parent and dm-api from this tree into ~/.m2 (what the guide tells users to do) and
# the example plugin (com.example.cardinal:example-mo) for the feature step. The Maven builds run
# offline (-o): the template must need nothing the reactor's build did not fetch.
# The copy listens on ports of its own (ssh PLUGIN_SSH_PORT, default 8112; HTTP 18182; HTTPS 18444;
# UDP 12949) and keeps its demo card out of the reader, as boot-smoke.sh does. Runs a Karaf: on a
# shared machine run it under `flock /tmp/cardinal-karaf.lock`. PLUGIN_KEEP=1 keeps the temp folder.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
tarball=${1:-$(ls "$repo"/distribution/target/cardinal-*.tar.gz 2>/dev/null | head -n 1)}
ssh_port=${PLUGIN_SSH_PORT:-8112}
http_port=${PLUGIN_HTTP_PORT:-18182}
https_port=${PLUGIN_HTTPS_PORT:-18444}
push_port=${PLUGIN_PUSH_PORT:-12949}
patience=${PLUGIN_TIMEOUT:-120}
started=$(date +%s)

say() { echo "plugin-template: $*"; }
fail() { echo "plugin-template: FAIL: $*" >&2; exit 1; }

[ -n "$tarball" ] && [ -f "$tarball" ] || fail "no distribution tar.gz (build it: mvn -B -ntp -DskipTests install)"

# The template names the Cardinal version it builds against; it must be this tree's (else it rots).
reactor_version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -n 1)
template_version=$(sed -n 's:.*<cardinal.version>\(.*\)</cardinal.version>.*:\1:p' examples/mo-plugin-template/pom.xml)
[ "$reactor_version" = "$template_version" ] \
    || fail "examples/mo-plugin-template/pom.xml builds against Cardinal $template_version, this tree is $reactor_version"

work=$(mktemp -d "${TMPDIR:-/tmp}/cardinal-plugin.XXXXXX")
home=""
cleanup() {
    if [ -n "$home" ] && [ -x "$home/bin/stop" ]; then
        pid=$(cat "$home/karaf.pid" 2>/dev/null || true)
        "$home/bin/stop" >/dev/null 2>&1 || true
        i=0; while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
    fi
    if [ "${PLUGIN_KEEP:-0}" = "1" ]; then say "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT INT TERM

# 1. dm-api (and its parent pom) in the local repository, from this tree
mvn -B -ntp -q -o install -DskipTests -pl bundles/dm-api -am

# 2. the template, copied outside the repository and built there as a user would
plugin="$work/my-plugin"
cp -r examples/mo-plugin-template "$plugin"
rm -rf "$plugin/target"
build_start=$(date +%s)
(cd "$plugin" && mvn -B -ntp -q -o package) || fail "mvn package of the template failed in $plugin"
build_seconds=$(( $(date +%s) - build_start ))
jar=$(ls "$plugin"/target/example-mo-*.jar | head -n 1)
[ -f "$plugin/target/feature/feature.xml" ] || fail "mvn package made no target/feature/feature.xml"
mkdir "$work/manifest" && (cd "$work/manifest" && jar xf "$jar" META-INF/MANIFEST.MF)
grep -q '^Bundle-SymbolicName: com.example.cardinal.example-mo' "$work/manifest/META-INF/MANIFEST.MF" \
    || fail "the template's jar has no OSGi headers: $(cat "$work/manifest/META-INF/MANIFEST.MF")"
jar tf "$jar" | grep -q '^OSGI-INF/com.example.cardinal.mo.internal.ExamplePlugin.xml$' \
    || fail "the template's jar has no DS component XML"
say "template built outside the repository in ${build_seconds}s: $(basename "$jar")"

# 3. a fresh copy of the distribution on ports of its own
taken() { # taken tcp|udp PORT
    hex=$(printf '%04X' "$2")
    if [ "$1" = tcp ]; then
        awk -v p=":$hex" '$2 ~ p"$" && $4 == "0A" { f = 1 } END { exit !f }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
    else
        awk -v p=":$hex" '$2 ~ p"$" { f = 1 } END { exit !f }' /proc/net/udp /proc/net/udp6 2>/dev/null
    fi
}
for p in "tcp $ssh_port" "tcp $http_port" "tcp $https_port" "udp $push_port"; do
    set -- $p
    if taken "$1" "$2"; then fail "$1 port $2 is in use (PLUGIN_SSH_PORT, PLUGIN_HTTP_PORT, PLUGIN_HTTPS_PORT, PLUGIN_PUSH_PORT)"; fi
done
tar xzf "$tarball" -C "$work"
home=$(ls -d "$work"/cardinal-*/ | head -n 1)
home=${home%/}
sed -i "s/^sshPort=.*/sshPort=$ssh_port/" "$home/etc/org.apache.karaf.shell.cfg"
sed -i "s/^org\.osgi\.service\.http\.port=.*/org.osgi.service.http.port=$http_port/" "$home/etc/org.ops4j.pax.web.cfg"
sed -i "s/^org\.osgi\.service\.http\.port\.secure=.*/org.osgi.service.http.port.secure=$https_port/" "$home/etc/org.ops4j.pax.web.cfg"
printf 'port = %s\n' "$push_port" >> "$home/etc/org.cardinaldm.transport.push.udp.cfg"
sed -i "s/^devid = .*/devid = urn:x-cardinaldm:plugin-$$/" "$home/etc/org.cardinaldm.mo.devinfo.cfg"
sed -i "s/^inserted = .*/inserted = false/" "$home/etc/org.cardinaldm.smartcard.sim-demo.cfg"
grep -q "^sshPort=$ssh_port\$" "$home/etc/org.apache.karaf.shell.cfg" || fail "could not move the ssh port"
grep -q "^org.osgi.service.http.port.secure=$https_port\$" "$home/etc/org.ops4j.pax.web.cfg" || fail "could not move the HTTPS port"

ask() { # ask COMMAND: its answer through bin/client in batch mode; never hangs
    echo "$1" | timeout 30 "$home/bin/client" -b 2>/dev/null
}
# until COMMAND PATTERN WHAT: polls COMMAND until its answer matches the grep -E PATTERN
until_answer() {
    deadline=$(( $(date +%s) + patience ))
    while [ "$(date +%s)" -lt "$deadline" ]; do
        # bin/client exits non-zero for a refused command (404, 405): the answer counts all the same
        answer=$(ask "$1" || true)
        if printf '%s\n' "$answer" | grep -Eq "$2"; then
            return 0
        fi
        sleep 0.5
    done
    fail "$3: '$1' answered '${answer:-}' within ${patience}s (karaf.log: $home/data/log/karaf.log; PLUGIN_KEEP=1 keeps it)"
}

boot_start=$(date +%s)
"$home/bin/start" 2>/dev/null
until_answer 'dm:ls .' 'DevInfo/' "Cardinal did not start"
say "Cardinal answered $(( $(date +%s) - boot_start ))s after bin/start"

# 4. deploy/: the jar mvn package made
deploy_start=$(date +%s)
cp "$jar" "$home/deploy/"
until_answer 'dm:get ./Example/Greeting' '^Hello from a Cardinal plugin$' "the deployed plugin does not answer"
say "deploy/: dm:get ./Example/Greeting -> '$answer' $(( $(date +%s) - deploy_start ))s after the copy"
ask 'dm:set ./Example/Note "checked by CI"' >/dev/null || true
until_answer 'dm:get ./Example/Note' '^checked by CI$' "./Example/Note did not take dm:set"
answer=$(ask 'dm:set ./Example/Greeting nope' || true)
case "$answer" in 405*) ;; *) fail "dm:set on the read-only Greeting did not answer 405: '$answer'" ;; esac
rm "$home/deploy/$(basename "$jar")"
until_answer 'dm:get ./Example/Greeting' '^404 ' "the subtree stayed after the jar left deploy/"
say "deploy/: Note settable, Greeting read-only (405), subtree gone with the jar (404)"

# 5. the feature: mvn install publishes it, feature:repo-add + feature:install as the guide says
(cd "$plugin" && mvn -B -ntp -q -o install -DskipTests) || fail "mvn install of the template failed"
version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$plugin/pom.xml" | head -n 1)
repo_url="mvn:com.example.cardinal/example-mo/$version/xml/features"
answer=$(ask "feature:repo-add $repo_url") || fail "feature:repo-add $repo_url failed: '$answer'"
until_answer 'feature:list' '(^|[[:space:]])example-mo[[:space:]]' "feature:repo-add did not list example-mo"
answer=$(ask 'feature:install -t -v example-mo') || fail "feature:install -t example-mo failed: '$answer'"
if printf '%s\n' "$answer" | grep -q 'Bundles to refresh'; then fail "installing example-mo would refresh other bundles: $answer"; fi
answer=$(ask 'feature:install example-mo') || fail "feature:install example-mo failed: '$answer'"
until_answer 'dm:get ./Example/Greeting' '^Hello from a Cardinal plugin$' "the plugin's feature does not answer"
# its configuration PID, as the template's README shows it: applied in place (@Modified)
ask 'config:property-set -p com.example.cardinal.mo greeting "Hi from CI"' >/dev/null || fail "config:property-set failed"
until_answer 'dm:get ./Example/Greeting' '^Hi from CI$' "the plugin did not take its configuration"
ask 'feature:uninstall example-mo' >/dev/null || fail "feature:uninstall example-mo failed"
until_answer 'dm:get ./Example/Greeting' '^404 ' "the subtree stayed after feature:uninstall"
say "feature: $repo_url installed without refreshing other bundles, answered, configured, uninstalled (404)"

errors=$(grep -c '| ERROR ' "$home/data/log/karaf.log" || true)
[ "$errors" -eq 0 ] || fail "karaf.log has $errors ERROR lines: $(grep '| ERROR ' "$home/data/log/karaf.log" | head -n 5)"
say "OK in $(( $(date +%s) - started ))s"
