#!/usr/bin/env bash
# scripts/stop-leftovers finds a process left with the run's marker, names it, stops it and
# exits 1; with none left it exits 0; it never counts itself or the shell that called it.
# Usage: stop_leftovers_test.sh SOURCE_DIR
set -euo pipefail
root="$1"
marker="leftover-test-$$-$RANDOM"
fail() {
  echo "FAILED: $*" >&2
  exit 1
}

# The caller carries the marker too (as scripts/test does): it must not count.
export GUESTBACKUP_TEST_RUN="$marker"
"$root/scripts/stop-leftovers" "$marker" || fail "the calling shell was counted as a leftover"

# A sleeper detached from us, as a server a test forgot to stop would be.
setsid sleep 300 </dev/null >/dev/null 2>&1 &
sleeper=$!
sleep 0.2
status=0
out=$("$root/scripts/stop-leftovers" "$marker" 2>&1) || status=$?
[ "$status" -eq 1 ] || fail "exit $status with a leftover running: $out"
grep -q "sleep 300" <<<"$out" || fail "the leftover is not named: $out"
sleep 0.3
! kill -0 "$sleeper" 2>/dev/null || fail "the leftover $sleeper is still running"
"$root/scripts/stop-leftovers" "$marker" || fail "exit 1 after the leftover was stopped"
echo "PASS: $out"
