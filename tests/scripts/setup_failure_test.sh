#!/usr/bin/env bash
# scripts/test must fail, before configuring anything, when a setup step fails. Two cases, each
# in a cache directory of its own so nothing real is touched:
#   1. scripts/setup cannot build kopia (its `go` fails);
#   2. scripts/setup passes (kopia cached) but scripts/setup-cluster cannot download or build
#      kube-apiserver (`curl` and `go` fail) — once hidden by `eval "$(setup-cluster)"`.
# Usage: setup_failure_test.sh SOURCE_DIR
set -euo pipefail
root="$1"
work=$(mktemp -d /tmp/guestbackup-setup-failure.XXXXXX)
trap 'rm -rf "$work"' EXIT

fail() {
  echo "FAILED: $*" >&2
  exit 1
}

# Tools that fail as a broken network or toolchain would.
mkdir -p "$work/shims"
for tool in go curl; do
  printf '#!/bin/sh\necho "%s: failing on purpose (setup_failure_test)" >&2\nexit 1\n' "$tool" \
    >"$work/shims/$tool"
  chmod +x "$work/shims/$tool"
done

# run_test NAME: scripts/test with the shims first on PATH, its cache and build under $work.
run_test() {
  local name="$1" status=0
  env PATH="$work/shims:$PATH" GUESTBACKUP_CACHE="$work/$name/cache" TMPDIR="$work" \
    GUESTBACKUP_BUILD="$work/$name/build" CI=true \
    "$root/scripts/test" -L none >"$work/$name.log" 2>&1 </dev/null || status=$?
  [ "$status" -ne 0 ] || fail "$name: scripts/test exited 0; its output:
$(cat "$work/$name.log")"
  [ ! -e "$work/$name/build" ] || fail "$name: scripts/test configured a build after the failure"
  echo "$name: scripts/test exited $status: $(grep '^test: ' "$work/$name.log" | tail -n 1)"
}

mkdir -p "$work/kopia-fails/cache"
run_test kopia-fails
grep -q "^test: scripts/setup failed" "$work/kopia-fails.log" ||
  fail "kopia-fails: no 'scripts/setup failed' line: $(tail -n 5 "$work/kopia-fails.log")"

# The real kopia, through a cache of this test's own (a symlink: nothing is built or changed).
real_kopia=$(readlink -f "$(command -v kopia)")
version=$(sed -n 's/^KOPIA_VERSION="${KOPIA_VERSION:-\(v[^}]*\)}"$/\1/p' "$root/scripts/env.sh")
mkdir -p "$work/cluster-fails/cache/kopia-$version/bin"
ln -s "$real_kopia" "$work/cluster-fails/cache/kopia-$version/bin/kopia"
# How it was built (scripts/kopia-build), without which it would be built again.
ln -s "$real_kopia.version" "$work/cluster-fails/cache/kopia-$version/bin/kopia.version"
run_test cluster-fails
grep -q "^test: scripts/setup-cluster failed" "$work/cluster-fails.log" ||
  fail "cluster-fails: no 'scripts/setup-cluster failed' line: $(tail -n 5 "$work/cluster-fails.log")"
grep -q "^kopia-build: kopia .* cached" "$work/cluster-fails.log" ||
  fail "cluster-fails: scripts/setup did not pass: $(tail -n 5 "$work/cluster-fails.log")"
echo "PASS"
