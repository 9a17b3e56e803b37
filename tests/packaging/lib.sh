# Sourced by the package tests (tests/packaging/*_test.sh): strict mode and the project's paths
# (scripts/env.sh), counted checks, timed steps, and a throwaway root to chroot into, whose
# mounts and processes are undone on exit — also on failure or a signal.
#   packages_dir   where tests/packaging/build_packages.sh put the packages
#                  ($GUESTBACKUP_PACKAGES, which ctest sets)
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/scripts/env.sh"

test_name=$(basename "$0" .sh)
started=$(date +%s)
failures=0
checks=0
packages_dir=${GUESTBACKUP_PACKAGES:-$GUESTBACKUP_BUILD/packages}

# Needs root (chroot, mount): exits 77, which ctest counts as skipped and CI=true as a failure.
require_root() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "$test_name: needs root (chroot, mount): skipped"
    exit 77
  fi
}

work=$(mktemp -d /var/tmp/guestbackup-packages.XXXXXX)
root="$work/root"
mkdir -p "$root"
mounted=()
pids=()
packages_cleanup() {
  local i pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount -R "${mounted[i]}" 2>/dev/null || umount -R -l "${mounted[i]}"
  done
  rm -rf "$work"
}
trap packages_cleanup EXIT

step() { printf '\n== [%ss] %s\n' "$(($(date +%s) - started))" "$*"; }
# check DESCRIPTION COMMAND...: runs COMMAND, counts and prints the result.
check() {
  local what=$1
  shift
  checks=$((checks + 1))
  if "$@"; then
    echo "ok    $what"
  else
    echo "FAIL  $what"
    failures=$((failures + 1))
  fi
}
# The last line, and the exit status: every check passed.
finish() {
  step "done"
  echo "$test_name: $((checks - failures)) of $checks checks passed in $(($(date +%s) - started))s"
  [ "$failures" -eq 0 ]
}

# A clean environment inside the chroot, as an administrator's root shell would have.
in_root() {
  chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}
mount_proc() {
  mkdir -p "$root/proc"
  mount -t proc proc "$root/proc"
  mounted+=("$root/proc")
}
# /sys as the host has it, read by systemd-analyze (systemd 247 asks for its cgroup). A slave
# of the host's mounts: unmounting the copy never reaches the host's own.
mount_sys() {
  mkdir -p "$root/sys"
  mount --rbind /sys "$root/sys"
  mount --make-rslave "$root/sys"
  mounted+=("$root/sys")
}
mode_of() { stat -c '%a %U:%G' "$root$1"; }
same_file() { cmp -s "$1" "$2"; }
absent() { [ ! -e "$root$1" ]; }
present() { [ -e "$root$1" ]; }

# The root of a system that has nothing but the C library and a shell: Debian 12's libc6
# unpacked (the files glibc's package holds on any distribution: the loader, libc, libm,
# libresolv, …), busybox (static) as /bin/sh and the usual tools, and /dev's four basic
# nodes. No other library exists in it, so a binary that needed one could not even start.
glibc_only_root() {
  local debs="$GUESTBACKUP_CACHE/glibc-only-debs"
  mkdir -p "$debs"
  if ! ls "$debs"/libc6_*.deb >/dev/null 2>&1; then
    (cd "$debs" && apt-get download -q libc6 >/dev/null)
  fi
  dpkg-deb -x "$(ls "$debs"/libc6_*.deb | tail -n 1)" "$1"
  mkdir -p "$1/bin" "$1/usr/bin" "$1/sbin" "$1/usr/sbin" "$1/tmp" "$1/etc" "$1/root" "$1/run"
  chmod 1777 "$1/tmp"
  cp /bin/busybox "$1/bin/busybox"
  chroot "$1" /bin/busybox --install -s
  # The device nodes every system has (scriptlets write to /dev/null).
  mkdir -p "$1/dev"
  mknod -m 666 "$1/dev/null" c 1 3
  mknod -m 666 "$1/dev/zero" c 1 5
  mknod -m 666 "$1/dev/random" c 1 8
  mknod -m 666 "$1/dev/urandom" c 1 9
  printf 'root:x:0:0:root:/root:/bin/sh\n' >"$1/etc/passwd"
  printf 'root:x:0:\n' >"$1/etc/group"
}

# What an administrator does with an installed n-1 before upgrading: writes the password file
# and edits the policy in place (the file keeps its 0600; a copy goes to
# $work/edited-policy.yaml), checks it, records a run (it fails: no server answers at
# 127.0.0.1:9; the history goes to $work/history-before.json) and installs the timers.
#   use_installed_version HOSTNAME TEST_FILE
use_installed_version() {
  local hostname=$1 by=$2
  mkdir -p -m 0700 "$root/etc/guestbackup/credentials"
  (umask 077 && printf 'not-a-real-password\n' >"$root/etc/guestbackup/credentials/password")
  cat >"$root/etc/guestbackup/policy.yaml" <<POLICY
# Edited by the administrator ($by).
version: 1
server:
  url: https://127.0.0.1:9
  fingerprint: 3f9a1c0e5d7b2a4f6e8d0c1b3a5f7e9d2c4b6a8f0e1d3c5b7a9f2e4d6c8b0a1f
  username: pkgtest
  hostname: $hostname
  password_file: /etc/guestbackup/credentials/password
jobs:
  etc:
    paths: [/etc]
    schedule: "*-*-* 02:00:00"
POLICY
  cp "$root/etc/guestbackup/policy.yaml" "$work/edited-policy.yaml"
  check "the edited policy passes policy check" in_root guestbackup policy check
  in_root guestbackup run etc 2>&1 | sed 's/^/  /' || true
  in_root guestbackup history --json >"$work/history-before.json"
  check "the run is in the history (failed: no server here)" \
    grep -q '"status": "failed"' "$work/history-before.json"
  in_root guestbackup schedule install 2>&1 | sed 's/^/  /'
  check "schedule install wrote guestbackup@.service and guestbackup-etc.timer" \
    test -f "$root/etc/systemd/system/guestbackup@.service" -a \
    -f "$root/etc/systemd/system/guestbackup-etc.timer"
}

# After the package is removed: the timers and units, the binaries and the daemon's unit are
# gone; the history, the credentials and the edited policy (under the name POLICY: the package
# manager may have saved it aside) stay.
#   check_removed_keeping_state POLICY
check_removed_keeping_state() {
  local policy=$1
  check "the timer and service files are gone" \
    bash -c '[ ! -e "$1/etc/systemd/system/guestbackup-etc.timer" ] &&
      [ ! -e "$1/etc/systemd/system/guestbackup@.service" ]' _ "$root"
  check "the binaries and the daemon unit are gone" \
    bash -c '[ ! -e "$1/usr/bin/guestbackup" ] && [ ! -e "$1/usr/libexec/guestbackup" ] &&
      [ ! -e "$1/usr/lib/systemd/system/guestbackup-daemon.service" ]' _ "$root"
  check "the history is kept" present /var/lib/guestbackup/history.db
  check "the edited policy is kept as $policy, the credentials too" \
    bash -c 'cmp -s "$1" "$2$3" && [ -f "$2/etc/guestbackup/credentials/password" ]' _ \
    "$work/edited-policy.yaml" "$root" "$policy"
}
