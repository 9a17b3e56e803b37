# Sourced by the end-to-end scripts that count named checks (scripts/e2e-windows,
# tests/images/image-checks): each check prints `ok` or `FAILED` (with the end of what it
# printed), and checks_summary ends the run with a line `N passed, M failed`.

passed=0
failed=0

# check NAME COMMAND...: runs COMMAND (quiet); counts and prints the outcome. On failure the
# output of COMMAND is shown.
check() {
  local name=$1 output
  shift
  if output=$("$@" 2>&1); then
    passed=$((passed + 1))
    echo "ok      $name"
  else
    failed=$((failed + 1))
    echo "FAILED  $name"
    sed 's/^/        /' <<<"$output" | tail -n 15
  fi
}

# expect_output PATTERN COMMAND...: COMMAND succeeds and its output matches the grep PATTERN.
expect_output() {
  local pattern=$1 output status=0
  shift
  output=$("$@") || status=$?
  [ "$status" -eq 0 ] || { echo "$output"; echo "(exit status $status)"; return 1; }
  grep -qE -- "$pattern" <<<"$output" || { echo "$output"; echo "(no match for: $pattern)"; return 1; }
}

# expect_failure STATUS PATTERN COMMAND...: COMMAND exits with STATUS, its output matching PATTERN.
expect_failure() {
  local expected=$1 pattern=$2 output status=0
  shift 2
  output=$("$@") || status=$?
  [ "$status" -eq "$expected" ] || { echo "$output"; echo "(exit status $status, not $expected)"; return 1; }
  grep -qE -- "$pattern" <<<"$output" || { echo "$output"; echo "(no match for: $pattern)"; return 1; }
}

# at_least N PATTERN COMMAND...: at least N lines of COMMAND's output match PATTERN.
at_least() {
  local n=$1 pattern=$2 output
  shift 2
  output=$("$@") || return 1
  [ "$(grep -cE -- "$pattern" <<<"$output")" -ge "$n" ] || { echo "$output"; return 1; }
}

# checks_summary: the last line; fails when any check did.
checks_summary() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
