#!/usr/bin/env bash
# Prints one closing line 'tests: N passed, N failed, N skipped' summed over every Surefire and
# Failsafe XML report of the reactor, so the last line of a CI log states what ran.
set -u
cd "$(dirname "$0")/.."
python3 - <<'PY'
import glob, xml.etree.ElementTree as ET
total = failed = skipped = 0
for f in glob.glob('**/target/*-reports/TEST-*.xml', recursive=True):
    try:
        r = ET.parse(f).getroot()
    except ET.ParseError:
        continue
    t = int(r.get('tests', 0)); fl = int(r.get('failures', 0)) + int(r.get('errors', 0)); s = int(r.get('skipped', 0))
    total += t; failed += fl; skipped += s
print(f"tests: {total - failed - skipped} passed, {failed} failed, {skipped} skipped")
PY
