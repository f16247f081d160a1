#!/usr/bin/env bash
# The bare path (issue 11): the tests that talk to an outside daemon or tool (JUnit tag "outside", which
# @RequiresPcscd, @RequiresPostgres and @RequiresTool carry; the OSGi wiring ITs need nothing and are left to the
# full run), in every module that has them, run as on a
# Debian machine with only Java 17 and Maven. CI is unset (a missing resource must skip, not fail),
# CARDINAL_TEST_PG_URL is unset (the PostgreSQL tests must run on the test kit's embedded server), the
# test kit looks for programs in an empty directory and for pcscd on a socket where nothing listens.
# Fails on any failure or error, when a PostgreSQL test was skipped, or when a skipped test gives no
# reason. Prints the counts and the time taken. Run before .ci/run installs and starts anything.
set -euo pipefail
cd "$(dirname "$0")/.."

modules=testing,bundles/syncml,bundles/dm-server-jdbc,bundles/pkg-trust,stack-tests
nothing=$(mktemp -d)
trap 'rm -rf "$nothing"' EXIT
start=$(date +%s)

# what those modules need, built and installed without their tests (the full run tests everything later)
mvn -B -ntp -q install -DskipTests -pl "$modules" -am
# only this run's reports are counted below
for m in ${modules//,/ }; do rm -rf "$m/target/surefire-reports" "$m/target/failsafe-reports"; done
env -u CI -u CARDINAL_TEST_PG_URL CARDINAL_TEST_TOOLS_PATH="$nothing" CARDINAL_TEST_PCSCD_SOCKET="$nothing/pcscd.comm" \
    mvn -B -ntp verify -pl "$modules" -Dgroups=outside -DskipITs

python3 - "$modules" "$(( $(date +%s) - start ))" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
modules, seconds = sys.argv[1].split(','), int(sys.argv[2])
total = failed = skipped = 0
problems, reasons = [], {}
for m in modules:
    for f in glob.glob(f'{m}/target/*-reports/TEST-*.xml'):
        r = ET.parse(f).getroot()
        t = int(r.get('tests', 0)); fl = int(r.get('failures', 0)) + int(r.get('errors', 0)); s = int(r.get('skipped', 0))
        total += t; failed += fl; skipped += s
        suite = r.get('name', f)
        if 'Postgres' in suite or 'TwoNodes' in suite:
            if s:
                problems.append(f'{suite}: {s} PostgreSQL test(s) skipped; they must run on the embedded server')
        for case in r.iter('testcase'):
            sk = case.find('skipped')
            if sk is None:
                continue
            why = (sk.get('message') or sk.text or '').strip()
            for prefix in ('org.opentest4j.TestAbortedException:', 'Assumption failed:'):
                why = why[len(prefix):].strip() if why.startswith(prefix) else why
            if not why:
                problems.append(f"{suite}.{case.get('name')}: skipped without a reason")
            key = why.splitlines()[0].split(':')[0][:100] if why else ''
            reasons[key] = reasons.get(key, 0) + 1
print(f'bare path: {total} run, {total - failed - skipped} passed, {failed} failed or in error, '
      f'{skipped} skipped, in {seconds} s')
for why, n in sorted(reasons.items(), key=lambda x: -x[1]):
    print(f'bare path: skipped {n}x: {why}')
for p in problems:
    print(f'bare path: FAIL: {p}', file=sys.stderr)
if total == 0:
    print('bare path: FAIL: no test ran', file=sys.stderr)
sys.exit(1 if problems or failed or total == 0 else 0)
PY
