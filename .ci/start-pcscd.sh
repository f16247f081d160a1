#!/usr/bin/env bash
# Starts the PC/SC daemon in the background if it is not running, then waits (bounded) until its
# socket /run/pcscd/pcscd.comm exists. Idempotent; installs nothing.
# Needs (Debian): pcscd, and vsmartcard-vpcd for the virtual readers on TCP 35963/35964.
# Usage: .ci/start-pcscd.sh [timeout-seconds]   (default 15). Exit 0 when pcscd is ready, 1 otherwise.
# PCSCD_ARGS overrides the daemon's options (default "-f"; "-a" would log APDUs, PIN data included).
set -u
timeout_s=${1:-15}
sock=/run/pcscd/pcscd.comm
log=${PCSCD_LOG:-/tmp/pcscd.log}

pcscd_bin=$(command -v pcscd 2>/dev/null || echo /usr/sbin/pcscd)
if [ ! -x "$pcscd_bin" ]; then
  echo "start-pcscd: pcscd is not installed (apt-get install -y pcscd vsmartcard-vpcd pcsc-tools)" >&2
  exit 1
fi

running() { pgrep -x pcscd >/dev/null 2>&1; }

start() {
  # A stale socket left by a killed daemon makes the new one refuse to start.
  rm -f "$sock"
  mkdir -p /run/pcscd
  # -f keeps it in the foreground (no systemd here); we put it in the background ourselves.
  # shellcheck disable=SC2086
  nohup "$pcscd_bin" ${PCSCD_ARGS:--f} >>"$log" 2>&1 </dev/null &
  echo "start-pcscd: started pcscd (pid $!), log $log"
}

started=0   # 1 once this script has started a daemon
attempts=0  # starts tried; a daemon that dies at once is retried at most 3 times
deadline=$((SECONDS + timeout_s))
while [ $SECONDS -lt $deadline ]; do
  if running; then
    if [ -S "$sock" ]; then
      [ $started -eq 1 ] && echo "start-pcscd: pcscd ready ($sock)" || echo "start-pcscd: pcscd already running"
      exit 0
    fi
  elif [ $attempts -lt 3 ]; then
    # not running (or a previous one was just exiting and has gone now): start it
    start
    started=1
    attempts=$((attempts + 1))
  fi
  sleep 0.2
done
echo "start-pcscd: pcscd did not create $sock within ${timeout_s}s; see $log" >&2
exit 1
