#!/usr/bin/env bash
# Runs the Windows build's tests (ctest in WINDOWS_BUILD, each case under wine through
# wine-run) with one wineserver kept up for all of them: without it every case would start
# and stop its own (seconds each). The server is stopped at the end, whatever the result.
#   tests/windows/run-tests.sh WINDOWS_BUILD [ctest arguments...]
set -euo pipefail
build=$(realpath -m "${1:?usage: run-tests.sh WINDOWS_BUILD [ctest arguments...]}")
shift
[ -f "$build/CTestTestfile.cmake" ] ||
  { echo "run-tests: $build is not a configured Windows build (scripts/test makes it)" >&2; exit 1; }
export WINEPREFIX="$build/wineprefix" WINEDEBUG=-all
# The prefix is made by the first wine-run (wineboot); the lasting server replaces the one
# that made it. wine's own background processes (services.exe, winedevice.exe) start with the
# first program and live as long as the server: started here with /dev/null as their output,
# or they would hold a test's output pipe open, and that test would never end.
"$(dirname "$0")/wine-run" --prefix "$WINEPREFIX" cmd /c exit 0
/usr/lib/wine/wineserver64 -k 2>/dev/null || true
/usr/lib/wine/wineserver64 -p
/usr/lib/wine/wine64 cmd /c exit 0 </dev/null >/dev/null 2>&1
trap '/usr/lib/wine/wineserver64 -k 2>/dev/null || true' EXIT
# Now and then wine itself fails to start a program under load (the case ends within
# milliseconds with no output at all), so a failed case runs once more; the same cases run
# on Linux without that allowance.
ctest --test-dir "$build" --output-on-failure --no-tests=error --repeat until-pass:2 "$@"
