#!/usr/bin/env bash
# The deb as an administrator meets it, in a fresh copy of a Debian chroot (scripts/debian-rootfs
# SUITE: bookworm = Debian 12, glibc 2.36; bullseye = Debian 11, glibc 2.31): installs n-1 with
# apt, edits the policy, records a run in the history and installs the timers; upgrades to n;
# removes; purges — checking at each step what must stay and what must go. No systemd runs in a
# chroot, so the maintainer scripts' own output and the unit files show what they did.
#   tests/packaging/deb_chroot_test.sh bookworm|bullseye
# Needs root and the "packages" fixture (build_packages.sh).
source "$(dirname "$0")/lib.sh"
require_root

suite=${1:?usage: deb_chroot_test.sh bookworm|bullseye}
test_name="deb on $suite"
old_deb=$(ls "$packages_dir"/old/guestbackup_*_amd64.deb)
new_deb=$(ls "$packages_dir"/new/guestbackup_*_amd64.deb)
old_deb_version=$(dpkg-deb -f "$old_deb" Version)
new_deb_version=$(dpkg-deb -f "$new_deb" Version)
old_version=${old_deb_version%-*}
new_version=${new_deb_version%-*}
check "n-1 ($old_deb_version) sorts before n ($new_deb_version)" \
  dpkg --compare-versions "$old_deb_version" lt "$new_deb_version"

# apt-get in the chroot, no stdin (a conffile prompt would fail it). The package lists come
# from the cached tarball; when they are too old for the mirror, one update and a retry.
apt_get() {
  local log="$work/apt.log" attempt
  for attempt in 1 2; do
    if in_root apt-get -y -q --no-install-recommends -o Dpkg::Use-Pty=0 \
      -o Dpkg::Options::=--force-confold "$@" </dev/null >"$log" 2>&1; then
      cat "$log"
      return 0
    fi
    [ "$attempt" = 1 ] && grep -q "Failed to fetch\|Unable to fetch\|404" "$log" || break
    in_root apt-get update -q </dev/null >>"$log" 2>&1
  done
  cat "$log"
  return 1
}

step "fresh $suite chroot"
rootfs=$("$GUESTBACKUP_ROOT/scripts/debian-rootfs" "$suite")
archives="$(dirname "$rootfs")/apt-archives" # downloaded .debs, kept for the next run
mkdir -p "$archives/partial"
zstd -q -dc "$rootfs" | tar -x -C "$root" --numeric-owner
mount_proc
mount_sys
mount --bind "$archives" "$root/var/cache/apt/archives"
mounted+=("$root/var/cache/apt/archives")
cp /etc/resolv.conf "$root/etc/resolv.conf"
mkdir -p "$root/tmp/packages"
cp "$old_deb" "$new_deb" "$root/tmp/packages/"
echo "from $rootfs: $(in_root ldd --version | head -n 1)"
check "no systemd runs in the chroot" absent /run/systemd/system

# --- install n-1 --------------------------------------------------------------------------------
step "install n-1: apt-get install ./$(basename "$old_deb")"
apt_get install "/tmp/packages/$(basename "$old_deb")" | tail -n 12
check "guestbackup --version says $old_version" \
  test "$(in_root guestbackup --version)" = "guestbackup $old_version"
check "/usr/bin/guestbackup and /usr/libexec/guestbackup/guestbackup-daemon" \
  test -x "$root/usr/bin/guestbackup" -a -x "$root/usr/libexec/guestbackup/guestbackup-daemon"
check "/etc/guestbackup is 0700 root:root" test "$(mode_of /etc/guestbackup)" = "700 root:root"
check "/var/lib/guestbackup is 0700 root:root" test "$(mode_of /var/lib/guestbackup)" = "700 root:root"
check "/etc/guestbackup/policy.yaml is 0600 root:root" \
  test "$(mode_of /etc/guestbackup/policy.yaml)" = "600 root:root"
check "the policy is 'guestbackup policy init' output" \
  bash -c 'cmp -s <(chroot "$1" guestbackup policy init) "$1/etc/guestbackup/policy.yaml"' _ "$root"
check "dpkg knows the policy as a conffile" \
  bash -c 'chroot "$1" dpkg-query -W -f="\${Conffiles}" guestbackup | grep -q " /etc/guestbackup/policy.yaml "' _ "$root"
check "man page, bash completion and daemon unit installed" \
  bash -c '[ -f "$1/usr/share/man/man1/guestbackup.1.gz" ] &&
    [ -f "$1/usr/share/bash-completion/completions/guestbackup" ] &&
    [ -f "$1/usr/lib/systemd/system/guestbackup-daemon.service" ]' _ "$root"
check "bash completion offers the commands in the installed system" \
  bash -c 'chroot "$1" bash -c "source /usr/share/bash-completion/completions/guestbackup;
    COMP_WORDS=(guestbackup sch); COMP_CWORD=1; _guestbackup; echo \${COMPREPLY[*]}" | grep -qx schedule' _ "$root"
verify=$(in_root systemd-analyze verify --man=no /usr/lib/systemd/system/guestbackup-daemon.service 2>&1) || true
echo "systemd $(in_root systemctl --version | awk 'NR == 1 { print $2 }'): verify guestbackup-daemon.service: ${verify:-nothing to say}"
check "systemd-analyze verify guestbackup-daemon.service: nothing to say" test -z "$verify"
daemon_out=$(in_root guestbackup --policy /nonexistent.yaml daemon 2>&1) && daemon_rc=0 || daemon_rc=$?
check "guestbackup daemon execs the installed guestbackup-daemon (which reports the missing policy)" \
  bash -c '[ "$1" -eq 2 ] && ! grep -q "cannot start" <<<"$2" && grep -q /nonexistent.yaml <<<"$2"' _ \
  "$daemon_rc" "$daemon_out"

step "n-1 in use: edit the policy, record a run, install the timers"
use_installed_version chroot tests/packaging/deb_chroot_test.sh
verify=$(in_root systemd-analyze verify --man=no /etc/systemd/system/guestbackup-etc.timer \
  /etc/systemd/system/guestbackup@etc.service 2>&1) || true
echo "verify the generated timer and service: ${verify:-nothing to say}"
check "systemd-analyze verify the generated timer and service: nothing to say" test -z "$verify"

# --- upgrade ------------------------------------------------------------------------------------
step "upgrade to n: apt-get install ./$(basename "$new_deb") (--force-confold, no stdin)"
apt_get install "/tmp/packages/$(basename "$new_deb")" | tee "$work/upgrade.log" | tail -n 8
check "guestbackup --version says $new_version" \
  test "$(in_root guestbackup --version)" = "guestbackup $new_version"
check "the edited policy is kept, byte for byte" same_file "$work/edited-policy.yaml" \
  "$root/etc/guestbackup/policy.yaml"
check "the policy is still 0600 and its directory 0700" \
  test "$(mode_of /etc/guestbackup/policy.yaml) $(mode_of /etc/guestbackup)" = "600 root:root 700 root:root"
check "no .dpkg-new left behind" absent /etc/guestbackup/policy.yaml.dpkg-new
if present /etc/guestbackup/policy.yaml.dpkg-dist; then
  check "the new default landed as policy.yaml.dpkg-dist" \
    bash -c 'cmp -s <(chroot "$1" guestbackup policy init) "$1/etc/guestbackup/policy.yaml.dpkg-dist"' _ "$root"
else
  check "the default did not change between n-1 and n: dpkg kept the edited file without asking" \
    bash -c '! grep -q "Configuration file .*policy.yaml" "$1"' _ "$work/upgrade.log"
fi
check "the history is kept" \
  bash -c 'cmp -s "$1" <(chroot "$2" env -i PATH=/usr/bin:/bin guestbackup history --json)' _ \
  "$work/history-before.json" "$root"
check "the timers are kept" test -f "$root/etc/systemd/system/guestbackup-etc.timer"
# The maintainer scripts on their own (no dpkg conffile logic around them): configure again.
in_root DPKG_MAINTSCRIPT_PACKAGE=guestbackup DPKG_MAINTSCRIPT_NAME=postinst \
  /var/lib/dpkg/info/guestbackup.postinst configure "$old_deb_version"
check "postinst run again leaves the edited policy alone" same_file "$work/edited-policy.yaml" \
  "$root/etc/guestbackup/policy.yaml"

# --- remove -------------------------------------------------------------------------------------
step "remove: apt-get remove guestbackup"
apt_get remove guestbackup | tee "$work/remove.log" | grep -v '^Reading\|^Building' | tail -n 12
check "prerm took the timers back with 'guestbackup schedule remove'" \
  grep -q "^removed /etc/systemd/system/guestbackup-etc.timer$" "$work/remove.log"
check_removed_keeping_state /etc/guestbackup/policy.yaml
check "dpkg: removed, configuration files remain" \
  test "$(in_root dpkg-query -W -f='${Status}' guestbackup)" = "deinstall ok config-files"

# --- purge --------------------------------------------------------------------------------------
step "purge: dpkg --purge guestbackup"
in_root dpkg --purge guestbackup 2>&1 | sed 's/^/  /'
check "/var/lib/guestbackup (the history) is gone" absent /var/lib/guestbackup
check "/etc/guestbackup (policy and credentials) is gone" absent /etc/guestbackup
check "dpkg forgot the package" \
  bash -c '! chroot "$1" dpkg-query -W guestbackup >/dev/null 2>&1' _ "$root"
finish
