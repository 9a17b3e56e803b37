#!/usr/bin/env bash
# What the packages say and hold, for x86_64 and aarch64, read from the files themselves: the
# deb's architecture and dependencies (glibc alone, at the floor) and lintian; the rpm's
# requirements (glibc and /bin/sh alone: rpm -qpR), modes, config flags and scriptlets, and
# rpmlint; the tarball's file list; the shipped binaries checked by scripts/check-portable; and
# the --with-kopia variant's bundled kopia. Needs the "packages" fixture (build_packages.sh).
source "$(dirname "$0")/lib.sh"

floor=$GUESTBACKUP_GLIBC_FLOOR
new="$packages_dir/new"
version=$(sed -n 's/^guestbackup_\(.*\)-1_amd64\.deb$/\1/p' <<<"$(ls "$new")")
[ -n "$version" ] || {
  echo "$test_name: no guestbackup_*_amd64.deb in $new" >&2
  exit 1
}

# Every line of `rpm -qpR` must be one of these: glibc's sonames (with their symbol versions),
# the loader, the hash style glibc's loader provides, /bin/sh for the scriptlets, rpm's own
# feature markers, and the package's own config() capability (its %config policy).
rpm_requirement_allowed() {
  local line=$1 v
  if [[ $line =~ ^(libc\.so\.6|libm\.so\.6|libpthread\.so\.0|libdl\.so\.2|librt\.so\.1|libresolv\.so\.2|ld-linux-x86-64\.so\.2|ld-linux-aarch64\.so\.1)(\((GLIBC_([0-9.]+))?\))?\(64bit\)$ ]]; then
    v=${BASH_REMATCH[4]}
    [ -z "$v" ] || [ "$(printf '%s\n%s\n' "$v" "$floor" | sort -V | tail -n 1)" = "$floor" ]
  else
    [[ $line =~ ^(/bin/sh|rtld\(GNU_HASH\)|rpmlib\(.*|config\(guestbackup\)\ =\ .*)$ ]]
  fi
}
rpm_requirements_ok() {
  local line bad=0
  while read -r line; do
    rpm_requirement_allowed "$line" || {
      echo "      not glibc, /bin/sh or rpmlib: $line"
      bad=1
    }
  done < <(rpm -qpR "$1" | sed 's/ *$//')
  [ "$bad" -eq 0 ]
}

for arch in x86_64 aarch64; do
  case $arch in
    x86_64) deb_arch=amd64 machine="X86-64" ;;
    aarch64) deb_arch=arm64 machine="AArch64" ;;
  esac
  deb="$new/guestbackup_${version}-1_${deb_arch}.deb"
  rpm="$new/guestbackup-${version}-1.${arch}.rpm"
  tarball="$new/guestbackup-${version}-linux-${arch}.tar.gz"

  step "$arch: $(basename "$deb")"
  dpkg-deb -I "$deb" | sed -n '/Package:/,$p' | sed 's/^/  /'
  check "deb: Architecture $deb_arch" test "$(dpkg-deb -f "$deb" Architecture)" = "$deb_arch"
  check "deb: Depends only on libc6 (>= $floor)" \
    test "$(dpkg-deb -f "$deb" Depends)" = "libc6 (>= $floor)"
  check "deb: Recommends kopia" test "$(dpkg-deb -f "$deb" Recommends)" = "kopia"
  unpacked="$work/$arch-deb"
  dpkg-deb -x "$deb" "$unpacked"
  check "deb: the shipped binaries need only glibc >= $floor (scripts/check-portable)" \
    "$GUESTBACKUP_ROOT/scripts/check-portable" "$unpacked/usr/bin/guestbackup" \
    "$unpacked/usr/libexec/guestbackup/guestbackup-daemon"
  check "deb: the binaries are $machine code" bash -c '
    for f in "$1/usr/bin/guestbackup" "$1/usr/libexec/guestbackup/guestbackup-daemon"; do
      readelf -h "$f" | grep -q "Machine: *.*$2" || exit 1
    done' _ "$unpacked" "$machine"
  check "deb: the daemon's unit runs /usr/bin/guestbackup" \
    grep -q '^ExecStart=/usr/bin/guestbackup ' "$unpacked/usr/lib/systemd/system/guestbackup-daemon.service"
  # Shown with the overrides and their reasons; judged without them (--show-overrides would
  # make overridden tags count for --fail-on).
  lintian -I --show-overrides "$deb" 2>&1 | grep -v "running with root privileges" | sed 's/^/  /' || true
  check "deb: lintian reports no error or warning (overrides: packaging/deb/lintian-overrides)" \
    lintian --fail-on error,warning "$deb"

  step "$arch: $(basename "$rpm")"
  echo "  rpm -qpR:"
  rpm -qpR "$rpm" | sed 's/^/    /'
  check "rpm: architecture $arch" test "$(rpm -qp --qf '%{ARCH}' "$rpm")" = "$arch"
  check "rpm: requires glibc (symbol versions <= GLIBC_$floor) and /bin/sh, nothing else" \
    rpm_requirements_ok "$rpm"
  rpm_files=$(rpm -qp --qf '[%{FILEMODES:perms} %{FILEFLAGS:fflags} %{FILENAMES}\n]' "$rpm")
  check "rpm: the policy is %config(noreplace), mode 0600" \
    grep -qx -- '-rw------- cn /etc/guestbackup/policy.yaml' <<<"$rpm_files"
  check "rpm: /etc/guestbackup and /var/lib/guestbackup are 0700" \
    test "$(grep -cE '^drwx------ +(/etc/guestbackup|/var/lib/guestbackup)$' <<<"$rpm_files")" = 2
  check "rpm: the daemon is in /usr/libexec/guestbackup" \
    grep -q ' /usr/libexec/guestbackup/guestbackup-daemon$' <<<"$rpm_files"
  check "rpm: owns none of the system's directories" \
    bash -c '! grep -qE " (/etc|/usr|/var|/var/lib|/usr/lib/systemd|/usr/lib/systemd/system|/usr/libexec|/usr/share/man/man1)$" <<<"$1"' _ "$rpm_files"
  check "rpm: recommends kopia" bash -c 'rpm -qp --recommends "$1" | grep -qx kopia' _ "$rpm"
  scripts=$(rpm -qp --scripts "$rpm")
  check "rpm: %post applies the preset on a first install (%systemd_post)" \
    grep -q 'systemctl --no-reload preset guestbackup-daemon.service' <<<"$scripts"
  check "rpm: %preun removes the timers and disables the daemon on erase (%systemd_preun)" \
    bash -c 'grep -q "schedule remove" <<<"$1" && grep -q "disable guestbackup-daemon.service" <<<"$1"' _ "$scripts"
  check "rpm: %postun restarts a running daemon after an upgrade (%systemd_postun_with_restart)" \
    grep -q 'try-restart guestbackup-daemon.service' <<<"$scripts"
  echo "  rpmlint -c packaging/rpm/rpmlint.toml:"
  rpmlint_out=$(rpmlint -c "$GUESTBACKUP_ROOT/packaging/rpm/rpmlint.toml" "$rpm" 2>&1) || true
  sed 's/^/    /' <<<"$rpmlint_out"
  check "rpm: rpmlint has nothing left to say (filters: packaging/rpm/rpmlint.toml)" \
    grep -q ' 0 errors, 0 warnings' <<<"$rpmlint_out"

  step "$arch: $(basename "$tarball")"
  top="guestbackup-${version}-linux-${arch}"
  listing=$(tar -tzf "$tarball" | grep -v '/$' | sort)
  sed 's/^/  /' <<<"$listing"
  expected=$(printf '%s\n' install.sh usr/local/bin/guestbackup \
    usr/local/libexec/guestbackup/guestbackup-daemon \
    usr/local/lib/systemd/system/guestbackup-daemon.service \
    usr/local/share/man/man1/guestbackup.1.gz \
    usr/local/share/bash-completion/completions/guestbackup | sed "s|^|$top/|" | sort)
  check "tarball: exactly install.sh and the /usr/local tree of binaries, unit, man page, completion" \
    test "$listing" = "$expected"
  tar -xzf "$tarball" -C "$work"
  check "tarball: its unit runs /usr/local/bin/guestbackup" \
    grep -q '^ExecStart=/usr/local/bin/guestbackup ' \
    "$work/$top/usr/local/lib/systemd/system/guestbackup-daemon.service"
  check "tarball: the binaries are the deb's, byte for byte" bash -c '
    cmp -s "$1/usr/bin/guestbackup" "$2/usr/local/bin/guestbackup" &&
    cmp -s "$1/usr/libexec/guestbackup/guestbackup-daemon" "$2/usr/local/libexec/guestbackup/guestbackup-daemon"' \
    _ "$unpacked" "$work/$top"
done

step "x86_64 with kopia bundled (scripts/package --with-kopia)"
kdeb="$packages_dir/with-kopia/guestbackup_${version}-1_amd64.deb"
krpm="$packages_dir/with-kopia/guestbackup-${version}-1.x86_64.rpm"
ktarball="$packages_dir/with-kopia/guestbackup-${version}-linux-x86_64.tar.gz"
dpkg-deb -x "$kdeb" "$work/kopia-deb"
bundled="$work/kopia-deb/usr/libexec/guestbackup/kopia"
check "deb: /usr/libexec/guestbackup/kopia is kopia $KOPIA_VERSION" \
  bash -c '"$1" --version | grep -q "^v\?${2#v} "' _ "$bundled" "$KOPIA_VERSION"
check "deb: the bundled kopia is static (no program interpreter, no NEEDED library)" \
  bash -c '! readelf -l -d "$1" | grep -qE "INTERP|NEEDED"' _ "$bundled"
check "deb: recommends nothing (kopia is inside)" test -z "$(dpkg-deb -f "$kdeb" Recommends)"
check "deb: lintian reports no error or warning" lintian --fail-on error,warning "$kdeb"
check "rpm: holds /usr/libexec/guestbackup/kopia" \
  bash -c 'rpm -qpl "$1" | grep -qx /usr/libexec/guestbackup/kopia' _ "$krpm"
check "rpm: still requires only glibc and /bin/sh" rpm_requirements_ok "$krpm"
check "rpm: recommends nothing" test -z "$(rpm -qp --recommends "$krpm")"
check "tarball: holds usr/local/libexec/guestbackup/kopia" \
  bash -c 'tar -tzf "$1" | grep -q "/usr/local/libexec/guestbackup/kopia$"' _ "$ktarball"

step "sizes"
(cd "$packages_dir" && find . -type f -printf '%s\t%p\n' | sort -k2 | sed 's/^/  /')
finish
