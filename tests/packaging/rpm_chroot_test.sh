#!/usr/bin/env bash
# The rpm as an administrator of an rpm-based system meets it, installed with `rpm --root` into
# a chroot whose only package is the C library and a shell: Debian 12's glibc files and busybox,
# packaged here as one rpm ("glibc-only-base") whose capabilities rpmbuild reads from those very
# files (libc.so.6(GLIBC_2.x)(64bit), …, /bin/sh), plus rtld(GNU_HASH), which every RHEL and
# Fedora glibc provides. rpm itself then decides whether the package's requirements are met —
# no --nodeps. Installs n-1, edits the policy, records a run and installs the timers; upgrades
# to n (the edited policy and the history stay); erases (the timers go, the history stays, the
# edited policy is saved as .rpmsave). The scriptlets run under busybox's sh, as rpm runs them.
#
# What this proves: the rpm needs nothing but glibc and /bin/sh, its binaries run where glibc is
# the only library, and its scriptlets do what they say with a minimal POSIX shell and no
# systemd. What it does not: a real RHEL or Fedora — their glibc (2.28 on RHEL 8; this one is
# 2.36), dnf, SELinux labels, and systemd running (the scriptlets' systemctl calls).
# Needs root and the "packages" fixture (build_packages.sh).
source "$(dirname "$0")/lib.sh"
require_root
test_name="rpm in a glibc-only root"

old_rpm=$(ls "$packages_dir"/old/guestbackup-*.x86_64.rpm)
new_rpm=$(ls "$packages_dir"/new/guestbackup-*.x86_64.rpm)
old_version=$(rpm -qp --qf '%{VERSION}' "$old_rpm")
new_version=$(rpm -qp --qf '%{VERSION}' "$new_rpm")
rpm_root() { rpm --root "$root" "$@"; }

step "glibc-only-base: Debian 12's glibc and busybox as the system's one rpm"
base="$work/base"
glibc_only_root "$base"
mkdir -p "$work/rpmbuild/SPECS" "$work/rpmbuild/RPMS"
(cd "$base" && find . ! -type d | sed 's|^\.||' | sort) >"$work/base.files"
cat >"$work/rpmbuild/SPECS/base.spec" <<SPEC
Name: glibc-only-base
Version: 1
Release: 1
Summary: The C library and a shell, nothing else (a test fixture of guestbackup)
License: LGPL-2.1-or-later AND GPL-2.0-only
# What RHEL's and Fedora's glibc provide besides what rpmbuild reads from the libraries.
Provides: rtld(GNU_HASH)
AutoReq: no
%description
Debian 12's libc6 files and a static busybox, as one package.
%install
cp -a "$base/." "%{buildroot}/"
%files -f $work/base.files
SPEC
rpmbuild -bb --quiet --define "_topdir $work/rpmbuild" --define "_build_id_links none" \
  --target x86_64 "$work/rpmbuild/SPECS/base.spec" >"$work/rpmbuild.log" 2>&1 || {
  cat "$work/rpmbuild.log"
  exit 1
}
base_rpm=$(find "$work/rpmbuild/RPMS" -name 'glibc-only-base-*.rpm')
echo "glibc-only-base provides $(rpm -qp --provides "$base_rpm" | wc -l) capabilities, e.g.:"
rpm -qp --provides "$base_rpm" | grep -E '^(libc\.so\.6\(GLIBC_2\.28\)|rtld|/bin/sh)' | sed 's/^/  /'
rpm_root --initdb
rpm_root -i "$base_rpm"
mount_proc
check "the chroot's packages: glibc-only-base alone" \
  test "$(rpm_root -qa --qf '%{NAME}\n')" = "glibc-only-base"

# --- install n-1 --------------------------------------------------------------------------------
step "install n-1: rpm -i $(basename "$old_rpm")"
rpm_root -i "$old_rpm" 2>&1 | sed 's/^/  /'
check "rpm: guestbackup $old_version installed, its requirements met by glibc-only-base" \
  test "$(rpm_root -q --qf '%{VERSION}' guestbackup)" = "$old_version"
check "guestbackup --version says $old_version" \
  test "$(in_root guestbackup --version)" = "guestbackup $old_version"
check "guestbackup-daemon runs (--help)" in_root /usr/libexec/guestbackup/guestbackup-daemon --help
check "/etc/guestbackup and /var/lib/guestbackup are 0700, the policy 0600" \
  test "$(mode_of /etc/guestbackup) $(mode_of /var/lib/guestbackup) $(mode_of /etc/guestbackup/policy.yaml)" = \
  "700 root:root 700 root:root 600 root:root"
check "the policy is 'guestbackup policy init' output" \
  bash -c 'cmp -s <(chroot "$1" /usr/bin/guestbackup policy init) "$1/etc/guestbackup/policy.yaml"' _ "$root"
check "rpm -V: every file as the package installed it" rpm_root -V guestbackup

step "n-1 in use: edit the policy, record a run, install the timers"
use_installed_version rpmroot tests/packaging/rpm_chroot_test.sh
check "schedule next works (the calendar, the time zone files absent)" \
  bash -c 'chroot "$1" /usr/bin/guestbackup schedule next --from "2026-12-04 10:00" "Mon..Fri *-*-* 02:00" |
    grep -q "Next elapse: Mon 2026-12-07 02:00:00 UTC"' _ "$root"

# --- upgrade ------------------------------------------------------------------------------------
step "upgrade to n: rpm -U $(basename "$new_rpm")"
rpm_root -U "$new_rpm" 2>&1 | sed 's/^/  /'
check "guestbackup --version says $new_version" \
  test "$(in_root guestbackup --version)" = "guestbackup $new_version"
check "rpm knows only n" test "$(rpm_root -q --qf '%{VERSION}\n' guestbackup)" = "$new_version"
check "the edited policy is kept, byte for byte (%config(noreplace))" \
  same_file "$work/edited-policy.yaml" "$root/etc/guestbackup/policy.yaml"
if present /etc/guestbackup/policy.yaml.rpmnew; then
  check "the new default landed as policy.yaml.rpmnew" \
    bash -c 'cmp -s <(chroot "$1" /usr/bin/guestbackup policy init) "$1/etc/guestbackup/policy.yaml.rpmnew"' _ "$root"
fi
check "the history is kept" \
  bash -c 'cmp -s "$1" <(chroot "$2" /usr/bin/guestbackup history --json)' _ \
  "$work/history-before.json" "$root"
check "the timers are kept" test -f "$root/etc/systemd/system/guestbackup-etc.timer"

# --- erase --------------------------------------------------------------------------------------
step "erase: rpm -e guestbackup"
rpm_root -e guestbackup 2>&1 | tee "$work/erase.log" | sed 's/^/  /'
check "%preun took the timers back with 'guestbackup schedule remove'" \
  grep -q "^removed /etc/systemd/system/guestbackup-etc.timer$" "$work/erase.log"
check_removed_keeping_state /etc/guestbackup/policy.yaml.rpmsave
check "rpm forgot the package" bash -c '! rpm --root "$1" -q guestbackup >/dev/null' _ "$root"
finish
