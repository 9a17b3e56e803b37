#!/bin/sh
# guestbackup's installer for distributions that take neither the deb nor the rpm. Run it as
# root from the unpacked tarball:
#   ./install.sh              install, or upgrade an earlier tarball's installation
#   ./install.sh --uninstall  remove it again; the policy, credentials and history stay
# It does what the packages' maintainer scripts do (packaging/README.md in the source): the
# files go to /usr/local (the tarball's usr/local/ tree, as it is laid out), each replaced by a
# rename so a running daemon keeps its binary; /etc/guestbackup (0700) with the sample policy
# when there is none — an edited policy is never replaced; /var/lib/guestbackup (0700);
# systemd is told to reload its units, and a running daemon is restarted after an upgrade.
# Nothing is enabled: edit the policy, then `guestbackup schedule install` (timers) or
# `systemctl enable --now guestbackup-daemon` (the daemon). POSIX sh (busybox's will do).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
agent=/usr/local/bin/guestbackup
etc_dir=/etc/guestbackup
state_dir=/var/lib/guestbackup

say() { echo "install.sh: $*"; }
die() {
  echo "install.sh: $*" >&2
  exit 1
}
systemd_runs() { [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; }
# The files this tarball installs, as absolute paths (its usr/ tree).
files() { (cd "$here" && find usr \( -type f -o -type l \) | sed 's|^|/|' | sort); }

[ "$(id -u)" -eq 0 ] || die "run me as root (I write /usr/local, /etc/guestbackup and /var/lib/guestbackup)"
[ -x "$here$agent" ] || die "$here$agent is missing: run me from the unpacked tarball"

install_files() {
  upgrade=false
  [ -e "$agent" ] && upgrade=true
  for f in $(files); do
    mkdir -p "$(dirname "$f")"
    # A copy beside the target, then a rename: replacing a running executable in place fails
    # ("text file busy"), and a crash half-way must not leave half a binary.
    cp -p "$here$f" "$f.new-$$"
    mv -f "$f.new-$$" "$f"
  done
  [ -d "$etc_dir" ] || mkdir -p -m 0700 "$etc_dir"
  [ -d "$state_dir" ] || mkdir -p -m 0700 "$state_dir"
  if [ -e "$etc_dir/policy.yaml" ]; then
    say "kept $etc_dir/policy.yaml"
  else
    "$agent" policy init "$etc_dir/policy.yaml" >/dev/null
    say "wrote the sample policy $etc_dir/policy.yaml (mode 0600): edit it"
  fi
  if systemd_runs; then
    systemctl daemon-reload || :
    if $upgrade; then systemctl try-restart guestbackup-daemon.service || :; fi
  fi
  say "installed $("$agent" --version) into /usr/local"
}

uninstall() {
  [ -x "$agent" ] || die "$agent is not installed"
  say "removing the timers written by 'guestbackup schedule install'"
  "$agent" --log-level warn schedule remove ||
    echo "install.sh: 'guestbackup schedule remove' failed; remove /etc/systemd/system/guestbackup-*.timer by hand" >&2
  if systemd_runs; then
    systemctl stop 'guestbackup@*.service' guestbackup-daemon.service || :
    systemctl disable guestbackup-daemon.service || :
  fi
  for f in $(files); do rm -f "$f"; done
  rmdir /usr/local/libexec/guestbackup 2>/dev/null || :
  if systemd_runs; then systemctl daemon-reload || :; fi
  say "removed guestbackup; $etc_dir and $state_dir (policy, credentials, history) are kept"
}

case "${1:-}" in
  "") install_files ;;
  --uninstall) uninstall ;;
  *) die "usage: ./install.sh [--uninstall]" ;;
esac
