#!/usr/bin/env bash
# The aarch64 binaries as shipped (the aarch64 tarball of the "packages" fixture), run on this
# x86_64 machine under qemu-user (qemu-aarch64-static, no binfmt registration) against Debian's
# aarch64 glibc (package libc6-arm64-cross): --version, policy init and check, schedule next,
# the daemon's --help, and one real backup and restore through a TLS kopia server on the host
# (scripts/lib/kopia-server.sh), the agent running kopia's aarch64 build (scripts/kopia-build
# arm64), itself under qemu-user.
source "$(dirname "$0")/lib.sh"
source "$GUESTBACKUP_ROOT/scripts/lib/kopia-server.sh"

qemu=$(command -v qemu-aarch64-static) || {
  echo "$test_name: qemu-aarch64-static is missing (Debian package qemu-user-static; scripts/setup)" >&2
  exit 1
}
sysroot=/usr/aarch64-linux-gnu
[ -e "$sysroot/lib/ld-linux-aarch64.so.1" ] || {
  echo "$test_name: no aarch64 glibc in $sysroot (Debian package libc6-arm64-cross; scripts/setup)" >&2
  exit 1
}
tarball=$(ls "$packages_dir"/new/guestbackup-*-linux-aarch64.tar.gz)
top=$(basename "$tarball" .tar.gz)
version=$(sed 's/^guestbackup-\(.*\)-linux-aarch64$/\1/' <<<"$top")
tar -xzf "$tarball" -C "$work"
agent="$work/$top/usr/local/bin/guestbackup"
daemon="$work/$top/usr/local/libexec/guestbackup/guestbackup-daemon"
kopia_arm64=$("$GUESTBACKUP_ROOT/scripts/kopia-build" arm64)
# The agent starts kopia by path; this one hands the aarch64 kopia to qemu-user.
cat >"$work/kopia" <<WRAPPER
#!/bin/sh
exec "$qemu" "$kopia_arm64" "\$@"
WRAPPER
chmod 755 "$work/kopia"
export QEMU_LD_PREFIX=$sysroot
aarch64() { "$qemu" "$@"; }

step "the aarch64 binaries of $(basename "$tarball")"
file "$agent" "$daemon" "$kopia_arm64" | sed "s|$work/||; s|^|  |"
check "scripts/check-portable: only glibc >= $GUESTBACKUP_GLIBC_FLOOR" \
  "$GUESTBACKUP_ROOT/scripts/check-portable" "$agent" "$daemon"
check "guestbackup --version says $version" test "$(aarch64 "$agent" --version)" = "guestbackup $version"
check "policy init" aarch64 "$agent" policy init "$work/sample.yaml"
check "the sample is the x86_64 build's, byte for byte" \
  bash -c 'cmp -s "$1" <("$2" policy init)' _ "$work/sample.yaml" "$GUESTBACKUP_BUILD/agent/guestbackup"
check "policy check of the sample (--no-local-files: its password file is not here)" \
  aarch64 "$agent" policy check --no-local-files "$work/sample.yaml"
check "schedule next" bash -c '"$@" | grep -q "Next elapse: Mon 2026-12-07 02:00:00 UTC"' _ \
  env TZ=UTC "$qemu" "$agent" schedule next --from "2026-12-04 10:00" "Mon..Fri *-*-* 02:00"
check "guestbackup-daemon --help" bash -c '"$@" | grep -q -- "--policy"' _ "$qemu" "$daemon" --help
check "kopia (aarch64) --version says $KOPIA_VERSION" \
  bash -c '"$1" --version | grep -q "^v\?${2#v} "' _ "$work/kopia" "$KOPIA_VERSION"

step "a real backup and restore through the host's kopia server"
kopia_server_start "$work/server" arm64@qemu
pids+=("$KOPIA_SERVER_PID")
mkdir -p -m 0700 "$work/state" "$work/credentials"
install -m 0600 "$work/server/passwords/arm64@qemu" "$work/credentials/password"
cat >"$work/policy.yaml" <<POLICY
version: 1
kopia: $work/kopia
state_dir: $work/state
server:
  url: https://127.0.0.1:$KOPIA_SERVER_PORT
  fingerprint: $KOPIA_SERVER_FINGERPRINT
  username: arm64
  hostname: qemu
  password_file: $work/credentials/password
jobs:
  data:
    paths: [$work/data]
POLICY
chmod 0600 "$work/policy.yaml"
mkdir -p "$work/data"
printf 'first version on aarch64\n' >"$work/data/notes.txt"
cp "$work/data/notes.txt" "$work/notes-v1.txt"
run() { aarch64 "$agent" --policy "$work/policy.yaml" "$@"; }
check "first backup succeeds" run run data
sleep 1.1
first_done=$(date -u +%Y-%m-%dT%H:%M:%SZ)
sleep 1.1
printf 'second version\n' >"$work/data/notes.txt"
check "second backup succeeds" run run data
run history | sed 's/^/  /'
check "restore the first version by path and time" \
  run restore "$work/data/notes.txt" --at "$first_done" --to "$work/restored"
check "restored byte for byte" same_file "$work/notes-v1.txt" "$work/restored/notes.txt"
finish
