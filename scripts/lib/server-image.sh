# Sourced by scripts/images and its test: the server image's name, read from the one place it is
# written, the controller's default for server pods (cluster/internal/render/pod_layout.go).
#
#   server_image_name     prints e.g. ghcr.io/guestbackup/bsls-server:v0.1.0

server_image_name() {
  local file="$GUESTBACKUP_ROOT/cluster/internal/render/pod_layout.go" name
  name=$(sed -n 's/^const DefaultImage = "\(.*\)"$/\1/p' "$file")
  if [ -z "$name" ]; then
    echo "no line 'const DefaultImage = \"...\"' in $file" >&2
    return 1
  fi
  echo "$name"
}
