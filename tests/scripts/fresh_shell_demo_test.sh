#!/usr/bin/env bash
# The README's promise after its first command: `guestbackup demo` works in a new shell, whose
# PATH is the system's default and does not hold the cache scripts/env.sh puts in front — so
# scripts/setup must have linked the pinned kopia onto that PATH (or the machine has its own).
# Usage: fresh_shell_demo_test.sh GUESTBACKUP_BINARY
set -euo pipefail
binary="$1"
default_path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
out=$(env -i HOME="${HOME:-/root}" PATH="$default_path" GUESTBACKUP_TEST_RUN="${GUESTBACKUP_TEST_RUN:-}" bash -c 'command -v kopia && kopia --version') ||
  { echo "FAILED: no kopia on the default PATH ($default_path): $out" >&2; exit 1; }
echo "$out"
env -i HOME="${HOME:-/root}" PATH="$default_path" GUESTBACKUP_TEST_RUN="${GUESTBACKUP_TEST_RUN:-}" TMPDIR=/tmp "$binary" demo </dev/null ||
  { echo "FAILED: guestbackup demo in a fresh shell" >&2; exit 1; }
