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
case ":$PATH:" in
  *":$GUESTBACKUP_KOPIA_DIR/bin:"*) ;;
  *) export PATH="$GUESTBACKUP_KOPIA_DIR/bin:$PATH" ;;
esac
# On a signal, exit: the script's EXIT trap (its cleanup) then runs, where a signal's default
# action would end the script with its children and mounts left behind.
trap 'exit 130' INT TERM HUP
