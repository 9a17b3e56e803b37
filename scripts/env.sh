# Sourced by every script: strict mode, and where the build and the pinned kopia live.
# inherit_errexit keeps `set -e` inside $(…), so a failed build in a command substitution
# fails the script instead of printing a path to nothing.
set -euo pipefail
shopt -s inherit_errexit
GUESTBACKUP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KOPIA_VERSION="${KOPIA_VERSION:-v0.23.1}"
GUESTBACKUP_CACHE="${GUESTBACKUP_CACHE:-/var/tmp/guestbackup}"
GUESTBACKUP_BUILD="${GUESTBACKUP_BUILD:-$GUESTBACKUP_ROOT/build}"
GUESTBACKUP_KOPIA_DIR="$GUESTBACKUP_CACHE/kopia-$KOPIA_VERSION"
# The oldest glibc the shipped binaries run on (RHEL 8's): the portable build's zig targets name
# it, scripts/check-portable holds every binary to it, and the deb depends on it.
GUESTBACKUP_GLIBC_FLOOR=2.28
# The Windows build's zig target (mingw-w64 against the Universal C Runtime).
GUESTBACKUP_WINDOWS_TARGET=x86_64-windows-gnu
# scripts/lint's clang-tidy: LLVM's own build from PyPI, the release of the clang zig compiles
# with (so it parses zig's libc++ headers as the compiler does), installed by scripts/setup.
# Since LLVM 22 it leaves system headers' code unchecked, which makes it six times quicker
# than Debian 12's clang-tidy 14 on these sources.
GUESTBACKUP_CLANG_TIDY_VERSION=22.1.8
GUESTBACKUP_CLANG_TIDY="$GUESTBACKUP_CACHE/clang-tidy-$GUESTBACKUP_CLANG_TIDY_VERSION/clang_tidy/data/bin/clang-tidy"
# The Go builds (not the Go programs the tests run) at GOGC=400: Go's compiler then spends
# about 15 % less CPU collecting garbage (kopia's repo/... packages: 232 s user at the default
# GOGC=100, 193 s at 400) for a few hundred MB more per compile. On a new 2-core machine the
# Go builds (Kubernetes, etcd, MinIO, CoreDNS, kopia for three targets) are half an hour's CPU.
go_build_gc() { GOGC=400 "$@"; }
# children_cpu_seconds VAR: the CPU time (user and system, whole seconds) of the children this
# shell has waited for so far, into VAR: the 16th and 17th fields of its stat (bash's name has
# no space). Not through $(…), whose subshell would read its own.
children_cpu_seconds() {
  local stat
  read -r -a stat <"/proc/$BASHPID/stat"
  printf -v "$1" '%d' "$(((stat[15] + stat[16]) / $(getconf CLK_TCK)))"
}
case ":$PATH:" in
  *":$GUESTBACKUP_KOPIA_DIR/bin:"*) ;;
  *) export PATH="$GUESTBACKUP_KOPIA_DIR/bin:$PATH" ;;
esac
# On a signal, exit: the script's EXIT trap (its cleanup) then runs, where a signal's default
# action would end the script with its children and mounts left behind.
trap 'exit 130' INT TERM HUP

# Warnings are errors under CI=true: the -D option for scripts/configure.
werror_option() {
  if [ "${CI:-}" = "true" ]; then echo -DGUESTBACKUP_WERROR=ON; else echo -DGUESTBACKUP_WERROR=OFF; fi
}

# Configures $GUESTBACKUP_BUILD, the build directory scripts/test, scripts/demo and the
# benchmarks share, with scripts/configure: warnings are errors under CI=true, and the
# integration tests use the kopia on PATH (the pinned one, scripts/setup).
configure_shared_build() {
  "$GUESTBACKUP_ROOT/scripts/configure" "$GUESTBACKUP_BUILD" "$(werror_option)" \
    -DGUESTBACKUP_KOPIA="$(command -v kopia || true)" "$@"
}

# run_bench NAME ARGS...: builds the agent and bench/NAME in the build directory scripts/test
# uses, then runs it with ARGS (the scripts/bench-* wrappers).
run_bench() {
  local name=$1
  shift
  "$GUESTBACKUP_ROOT/scripts/setup" >/dev/null
  configure_shared_build >/dev/null
  cmake --build "$GUESTBACKUP_BUILD" --target guestbackup "guestbackup_bench_$name"
  exec "$GUESTBACKUP_BUILD/bench/guestbackup_bench_$name" "$@"
}

# The Windows build beside it ($GUESTBACKUP_BUILD-windows: at the same depth as the packages'
# build directories, so ccache finds its compiles under the same relative paths), whose unit
# tests run under wine.
configure_windows_build() {
  "$GUESTBACKUP_ROOT/scripts/configure" "$GUESTBACKUP_BUILD-windows" \
    --target "$GUESTBACKUP_WINDOWS_TARGET" "$(werror_option)" "$@"
}
