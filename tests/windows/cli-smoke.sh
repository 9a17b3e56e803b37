#!/usr/bin/env bash
# The Windows guestbackup.exe under wine, as a user runs it: its version, a policy with Windows
# paths checked, a UNC path refused at its line and column, the default policy under
# ProgramData, schedules, and the history database and status of a fresh state directory.
# Ends with "N passed, M failed".
#   tests/windows/cli-smoke.sh WINDOWS_BUILD
set -uo pipefail
build=$(realpath -m "${1:?usage: cli-smoke.sh WINDOWS_BUILD}")
exe="$build/agent/guestbackup.exe"
[ -f "$exe" ] || { echo "cli-smoke: $exe is missing (scripts/test builds it)" >&2; exit 1; }
export WINEPREFIX="$build/wineprefix" WINEDEBUG=-all
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
winwork="Z:${work//\//\\}"  # the same directory as wine's programs name it

passed=0 failed=0
# check NAME EXPECTED_RC EXPECTED_TEXT ARGS...: runs guestbackup.exe ARGS; its exit code and
# its output (stdout and stderr, wine's own chatter left out) must match exactly.
check() {
  local name=$1 want_rc=$2 want=$3 got rc
  shift 3
  # (wine-run drops the carriage returns of stdout only; those of stderr go here.)
  got=$("$(dirname "$0")/wine-run" --prefix "$WINEPREFIX" "$exe" "$@" 2>&1 | tr -d '\r' |
    grep -v '^wine: ' | if [ "${*: -1}" = --json ]; then grep '"time"'; else cat; fi)
  rc=${PIPESTATUS[0]}
  if [ "$rc" = "$want_rc" ] && [ "$got" = "$want" ]; then
    passed=$((passed + 1))
    echo "ok: $name"
  else
    failed=$((failed + 1))
    echo "FAILED: $name (exit $rc, expected $want_rc)"
    diff <(echo "$want") <(echo "$got") | sed 's/^/  /'
  fi
}

{
  echo "version: 1"
  echo "state_dir: '$winwork\\state'"
  cat <<'POLICY'
server:
  url: https://127.0.0.1:51515
  fingerprint: 3f9a1c0e5d7b2a4f6e8d0c1b3a5f7e9d2c4b6a8f0e1d3c5b7a9f2e4d6c8b0a1f
  username: web01
  hostname: prod-vms
jobs:
  documents:
    paths: ['C:\Users\Public\Documents', 'd:/data/']
    schedule: "Mon..Fri 02:00"
POLICY
} >"$work/policy.yaml"
printf 'version: 1\njobs:\n  share:\n    paths: [\\\\fileserver\\data]\n' >"$work/unc.yaml"

check "version" 0 "guestbackup 0.1.0" --version
check "a policy with Windows paths is clean" 0 "$winwork\\policy.yaml: ok (1 job, 2 paths)" \
  --policy "$winwork\\policy.yaml" policy check --no-local-files
check "a UNC path is refused at its line and column" 2 \
  "$winwork\\unc.yaml:4:13: jobs.share.paths[0]: \"\\\\fileserver\\data\" is a network (UNC) or device path; give a path on one of this machine's drives, such as C:\\Users
    4 |     paths: [\\\\fileserver\\data]
      |             ^
1 error in $winwork\\unc.yaml" \
  --policy "$winwork\\unc.yaml" policy check --no-local-files
check "the default policy is under ProgramData" 2 \
  "C:\\ProgramData\\guestbackup\\policy.yaml:0:0: cannot read: No such file or directory
1 error in C:\\ProgramData\\guestbackup\\policy.yaml" policy check
# The times only: the zone's name is what wine derives from this machine's own zone.
check "schedule next" 0 '      "time": "2026-12-08T02:00:00.000Z",
      "time": "2026-12-09T02:00:00.000Z",' \
  schedule next "Mon..Fri 02:00 UTC" --from 2026-12-07T10:00:00Z --count 2 --json
check "a new history" 0 "no runs recorded yet" --policy "$winwork\\policy.yaml" history

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
