#!/usr/bin/env bash
# The packages the package tests install (ctest fixture "packages"), built with scripts/package
# into OUT (default: $GUESTBACKUP_BUILD/packages, emptied first):
#   OUT/new/          this version (n), x86_64 and aarch64: deb, rpm and tarball of each
#   OUT/old/          an older version (n-1: GUESTBACKUP_OLD_VERSION, default 0.0.1), x86_64, to
#                     upgrade from
#   OUT/with-kopia/   n for x86_64 with kopia bundled (scripts/package --with-kopia)
source "$(dirname "$0")/../../scripts/env.sh"

out=$(realpath -m "${1:-$GUESTBACKUP_BUILD/packages}")
rm -rf "$out"
mkdir -p "$out"
started=$(date +%s)
"$GUESTBACKUP_ROOT/scripts/package" --arch x86_64 --version "${GUESTBACKUP_OLD_VERSION:-0.0.1}" \
  --out "$out/old"
# The Linux architectures only: the msi has tests of its own (tests/windows), and scripts/test
# starts these before the Windows lane has built what the msi needs.
for arch in x86_64 aarch64; do
  "$GUESTBACKUP_ROOT/scripts/package" --arch "$arch" --out "$out/new"
done
"$GUESTBACKUP_ROOT/scripts/package" --arch x86_64 --with-kopia --out "$out/with-kopia"
echo "build_packages: built in $(($(date +%s) - started))s"
ls -l "$out"/*/
