# The images scripts/e2e-cluster's cluster runs besides the server image (scripts/images), each
# built here from scratch by buildah, nothing pulled:
#   pause    the pod sandbox: tests/cluster/pause.c, static
#   coredns  the cluster's DNS: the static CoreDNS scripts/setup-cluster builds
#   guest    a VM's userland for the agent on the cluster network: Debian 12 (scripts/debian-rootfs)
#            with the guestbackup deb installed by dpkg, as an administrator installs it
# Each function prints the image's name; an image already in the store is not built again (the
# tag is a digest of its inputs).
#   source scripts/lib/cluster-images.sh

# cluster_image_digest FILE…: a short digest of the files' contents, for a tag.
cluster_image_digest() { cat "$@" | sha256sum | cut -c1-12; }

# cluster_image_commit NAME ROOTFS ENTRYPOINT_JSON: an image of the directory ROOTFS, run as
# 65532 unless the entrypoint needs otherwise (the guest runs as root, as a VM's agent does).
cluster_image_commit() {
  local name=$1 rootfs=$2 entrypoint=$3 user=${4:-65532:65532} container
  container=$(buildah from --quiet scratch)
  buildah copy --quiet "$container" "$rootfs" / >/dev/null
  buildah config --entrypoint "$entrypoint" --user "$user" \
    --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$container"
  buildah commit --quiet --timestamp 0 "$container" "$name" >/dev/null
  buildah rm "$container" >/dev/null
  cluster_image_prune "$name"
}

# cluster_image_prune NAME: the store's other tags of NAME's repository, earlier builds from
# other inputs, removed (each would stay behind otherwise: a guest image is some 200 MB).
cluster_image_prune() {
  local name=$1 old
  for old in $(buildah images --format '{{.Name}}:{{.Tag}}' 2>/dev/null); do
    [ "${old%:*}" = "${name%:*}" ] && [ "$old" != "$name" ] || continue
    buildah rmi "$old" >/dev/null 2>&1 || true
  done
}

cluster_image_exists() { buildah inspect --type image "$1" >/dev/null 2>&1; }

# cluster_program_image NAME PROGRAM: the image NAME holding the static PROGRAM alone, at
# /<its name>, as its entrypoint.
cluster_program_image() {
  local name=$1 program=$2 base work
  base=$(basename "$program")
  work=$(mktemp -d)
  mkdir -p "$work/rootfs"
  install -m 0755 "$program" "$work/rootfs/$base"
  cluster_image_commit "$name" "$work/rootfs" "[\"/$base\"]"
  rm -rf "$work"
}

cluster_pause_image() {
  local source="$GUESTBACKUP_ROOT/tests/cluster/pause.c" name work
  name="localhost/guestbackup-e2e/pause:$(cluster_image_digest "$source")"
  if ! cluster_image_exists "$name"; then
    work=$(mktemp -d)
    cc -static -Os -s -o "$work/pause" "$source"
    cluster_program_image "$name" "$work/pause"
    rm -rf "$work"
  fi
  echo "$name"
}

cluster_coredns_image() {
  local name
  name="localhost/guestbackup-e2e/coredns:$(cluster_image_digest "$GUESTBACKUP_COREDNS")"
  cluster_image_exists "$name" || cluster_program_image "$name" "$GUESTBACKUP_COREDNS"
  echo "$name"
}

# cluster_guest_image DEB
cluster_guest_image() {
  local deb=$1 rootfs name work
  rootfs=$("$GUESTBACKUP_ROOT/scripts/debian-rootfs" bookworm)
  name="localhost/guestbackup-e2e/guest:$(cluster_image_digest "$deb" "$rootfs")"
  if ! cluster_image_exists "$name"; then
    work=$(mktemp -d)
    mkdir -p "$work/rootfs"
    zstd -q -dc "$rootfs" | tar -x -C "$work/rootfs" --numeric-owner
    cp "$deb" "$work/rootfs/tmp/guestbackup.deb"
    chroot "$work/rootfs" dpkg -i /tmp/guestbackup.deb >"$work/dpkg.log" 2>&1 ||
      { cat "$work/dpkg.log" >&2; rm -rf "$work"; return 1; }
    rm -f "$work/rootfs/tmp/guestbackup.deb"
    cluster_image_commit "$name" "$work/rootfs" '["sleep", "infinity"]' 0:0
    rm -rf "$work"
  fi
  echo "$name"
}
