#!/usr/bin/env bash
# The tarball, for distributions that take neither the deb nor the rpm, on a system that has
# nothing but glibc and a shell (Debian 12's glibc files and busybox: lib.sh glibc_only_root):
# unpacked and installed with its install.sh under busybox's sh; then a real backup with the
# kopia the tarball bundles (scripts/package --with-kopia: no kopia exists in the chroot
# otherwise) through a TLS kopia server on the host's loopback (scripts/lib/kopia-server.sh),
# with the certificate pinned; a second backup after a change; the first version restored by
# path and time and compared byte for byte; install.sh again (an upgrade keeps the edited
# policy); install.sh --uninstall (the files go, the policy and the history stay).
# Needs root and the "packages" fixture (build_packages.sh).
source "$(dirname "$0")/lib.sh"
source "$GUESTBACKUP_ROOT/scripts/lib/kopia-server.sh"
require_root
test_name="tarball in a glibc-only root"

tarball=$(ls "$packages_dir"/with-kopia/guestbackup-*-linux-x86_64.tar.gz)
top=$(basename "$tarball" .tar.gz)
version=$(sed 's/^guestbackup-\(.*\)-linux-x86_64$/\1/' <<<"$top")

step "a root with glibc and busybox only; a kopia server on the host"
glibc_only_root "$root"
mount_proc
kopia_server_start "$work/server" tarball@glibc-only
pids+=("$KOPIA_SERVER_PID")
echo "kopia server https://127.0.0.1:$KOPIA_SERVER_PORT (certificate $KOPIA_SERVER_FINGERPRINT)"
check "no kopia in the chroot besides the tarball's" \
  bash -c '! chroot "$1" /bin/sh -c "command -v kopia"' _ "$root"

step "unpack and ./install.sh (busybox sh)"
cp "$tarball" "$root/tmp/"
in_root /bin/sh -c "cd /tmp && tar -xzf $top.tar.gz && cd $top && ./install.sh" 2>&1 |
  tee "$work/install.log" | sed 's/^/  /'
check "install.sh: installed $version into /usr/local" \
  grep -q "installed guestbackup $version into /usr/local" "$work/install.log"
check "guestbackup --version says $version" \
  test "$(in_root guestbackup --version)" = "guestbackup $version"
check "/usr/local/libexec/guestbackup holds the daemon and kopia" \
  test -x "$root/usr/local/libexec/guestbackup/guestbackup-daemon" -a \
  -x "$root/usr/local/libexec/guestbackup/kopia"
check "/etc/guestbackup and /var/lib/guestbackup are 0700, the sample policy 0600" \
  test "$(mode_of /etc/guestbackup) $(mode_of /var/lib/guestbackup) $(mode_of /etc/guestbackup/policy.yaml)" = \
  "700 root:root 700 root:root 600 root:root"
check "the unit in /usr/local/lib/systemd/system runs /usr/local/bin/guestbackup" \
  grep -q '^ExecStart=/usr/local/bin/guestbackup ' \
  "$root/usr/local/lib/systemd/system/guestbackup-daemon.service"

step "a real backup through the host's kopia server with the bundled kopia"
mkdir -m 0700 "$root/etc/guestbackup/credentials"
install -m 0600 "$work/server/passwords/tarball@glibc-only" "$root/etc/guestbackup/credentials/password"
cat >"$root/etc/guestbackup/policy.yaml" <<POLICY
# Edited by the administrator (tests/packaging/tarball_chroot_test.sh).
version: 1
server:
  url: https://127.0.0.1:$KOPIA_SERVER_PORT
  fingerprint: $KOPIA_SERVER_FINGERPRINT
  username: tarball
  hostname: glibc-only
  password_file: /etc/guestbackup/credentials/password
jobs:
  data:
    paths: [/srv/data]
POLICY
cp "$root/etc/guestbackup/policy.yaml" "$work/edited-policy.yaml"
mkdir -p "$root/srv/data/sub"
printf 'first version\n' >"$root/srv/data/notes.txt"
head -c 300000 /dev/urandom >"$root/srv/data/sub/blob.bin"
cp "$root/srv/data/notes.txt" "$work/notes-v1.txt"
check "policy check" in_root guestbackup policy check
check "first backup succeeds" in_root guestbackup run data
sleep 1.1
first_done=$(date -u +%Y-%m-%dT%H:%M:%SZ)
sleep 1.1
printf 'second version\n' >"$root/srv/data/notes.txt"
check "second backup succeeds" in_root guestbackup run data
in_root guestbackup history | sed 's/^/  /'
check "restore the first version by path and time" \
  in_root guestbackup restore /srv/data/notes.txt --at "$first_done" --to /tmp/restored
check "restored byte for byte" same_file "$work/notes-v1.txt" "$root/tmp/restored/notes.txt"
check "restore a directory by path: identical" bash -c '
  chroot "$1" /usr/local/bin/guestbackup restore /srv/data/sub --to /tmp/restored-dir >/dev/null &&
    cmp -s "$1/srv/data/sub/blob.bin" "$1/tmp/restored-dir/sub/blob.bin"' _ "$root"

step "./install.sh again (an upgrade in place), then ./install.sh --uninstall"
in_root /bin/sh -c "cd /tmp/$top && ./install.sh" 2>&1 | tee "$work/reinstall.log" | sed 's/^/  /'
check "install.sh kept the edited policy, byte for byte" \
  bash -c 'grep -q "kept /etc/guestbackup/policy.yaml" "$1" && cmp -s "$2" "$3"' _ \
  "$work/reinstall.log" "$work/edited-policy.yaml" "$root/etc/guestbackup/policy.yaml"
in_root /bin/sh -c "cd /tmp/$top && ./install.sh --uninstall" 2>&1 | sed 's/^/  /'
check "the files are gone" bash -c '[ ! -e "$1/usr/local/bin/guestbackup" ] &&
  [ ! -e "$1/usr/local/libexec/guestbackup" ] &&
  [ ! -e "$1/usr/local/lib/systemd/system/guestbackup-daemon.service" ]' _ "$root"
check "the policy and the history stay" \
  test -f "$root/etc/guestbackup/policy.yaml" -a -f "$root/var/lib/guestbackup/history.db"
finish
