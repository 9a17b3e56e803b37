# Sourced by the other scripts: where the build and the pinned kopia live.
GUESTBACKUP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KOPIA_VERSION="${KOPIA_VERSION:-v0.23.1}"
GUESTBACKUP_CACHE="${GUESTBACKUP_CACHE:-/var/tmp/guestbackup}"
GUESTBACKUP_BUILD="${GUESTBACKUP_BUILD:-$GUESTBACKUP_ROOT/build}"
export PATH="$GUESTBACKUP_CACHE/kopia-$KOPIA_VERSION/bin:$PATH"
