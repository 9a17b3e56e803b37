# Stopping the cluster of scripts/lib/cluster.sh (sourced by it): cluster_stop stops every
# process and undoes what the kubelet, kube-proxy and the CNI plugins changed on this host;
# cluster_leftovers names what is still there.

# cluster_kill NAME [SIGNAL]: signals a component's session and waits for its process to end.
cluster_kill() {
  local pidfile="$CLUSTER_DIR/pids/$1" pid i
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  kill -"${2:-TERM}" -- "-$pid" 2>/dev/null || true
  for i in $(seq 1 40); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

# Every process in a cgroup under /kubepods, in every hierarchy: the pods' containers.
cluster_kill_pods() {
  local procs
  for procs in $(find /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/kubepods -name cgroup.procs 2>/dev/null); do
    { xargs -r kill -KILL <"$procs"; } 2>/dev/null || true  # (a cgroup may go meanwhile)
  done
}

# The chains named KUBE-* (kubelet, kube-proxy) and CNI-* (bridge and portmap plugins), and
# every rule that jumps to one, in each table of iptables and ip6tables.
cluster_iptables_cleanup() {
  local tool table rule chain
  for tool in iptables ip6tables; do
    for table in filter nat mangle; do
      "$tool-save" -t "$table" 2>/dev/null | grep -E '^-A [^ ]+ .*-j (KUBE|CNI)-' |
        grep -Ev '^-A (KUBE|CNI)-' | sed 's/^-A //' | while read -r rule; do
        eval "$tool -t $table -D $rule" 2>/dev/null || true
      done
      for chain in $("$tool-save" -t "$table" 2>/dev/null | sed -n 's/^:\(\(KUBE\|CNI\)-[^ ]*\) .*/\1/p'); do
        "$tool" -t "$table" -F "$chain" 2>/dev/null || true
      done
      for chain in $("$tool-save" -t "$table" 2>/dev/null | sed -n 's/^:\(\(KUBE\|CNI\)-[^ ]*\) .*/\1/p'); do
        "$tool" -t "$table" -X "$chain" 2>/dev/null || true
      done
    done
  done
}

# Every step is tried whatever the one before did (errexit off here, restored at the end).
cluster_stop() {
  [ -n "${CLUSTER_DIR:-}" ] && [ -d "$CLUSTER_DIR" ] || return 0
  local name s ns dir errexit=$-
  set +e
  for name in kube-proxy kubelet kube-scheduler kube-controller-manager; do cluster_kill "$name"; done
  cluster_kill_pods
  cluster_kill containerd
  pkill -KILL -f "containerd-shim-runc-v2 .*-address $CLUSTER_DIR/containerd/containerd.sock" 2>/dev/null || true
  cluster_kill_pods
  for name in kube-apiserver etcd; do cluster_kill "$name"; done
  # The pods' network namespaces (containerd's cni-* under /var/run/netns) and their veths.
  for ns in $(ls /var/run/netns 2>/dev/null); do
    if ! grep -qx "$ns" "$CLUSTER_DIR/host/netns" 2>/dev/null && [[ $ns == cni-* ]]; then
      umount "/var/run/netns/$ns" 2>/dev/null || true
      rm -f "/var/run/netns/$ns"
    fi
  done
  for name in $(ip -o link show master "$CLUSTER_BRIDGE" 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1); do
    ip link del "$name" 2>/dev/null || true
  done
  ip link del "$CLUSTER_BRIDGE" 2>/dev/null || true
  [ -x "$GUESTBACKUP_KUBE_BIN/kube-proxy" ] && "$GUESTBACKUP_KUBE_BIN/kube-proxy" --cleanup >/dev/null 2>&1 || true
  cluster_iptables_cleanup
  for s in "${CLUSTER_SYSCTLS[@]}"; do
    [ ! -s "$CLUSTER_DIR/host/${s//\//.}" ] || cat "$CLUSTER_DIR/host/${s//\//.}" >"/proc/sys/$s"
  done
  for dir in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/kubepods; do
    [ -d "$dir" ] && find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
  findmnt -rn -o TARGET | grep -F "$CLUSTER_DIR/" | sort -r | while read -r mount; do
    umount -l "$mount" 2>/dev/null || true
  done
  [[ $errexit != *e* ]] || set -e
}

# cluster_leftovers: what cluster_stop should have undone and did not, one line each; nothing
# when the host is as it was.
cluster_leftovers() {
  local s
  pgrep -af -- "$CLUSTER_DIR/" | sed 's/^/process: /' || true
  pgrep -af "containerd-shim-runc-v2 .*$CLUSTER_DIR" | sed 's/^/shim: /' || true
  ip link show "$CLUSTER_BRIDGE" >/dev/null 2>&1 && echo "bridge: $CLUSTER_BRIDGE"
  { iptables-save; ip6tables-save; } 2>/dev/null | grep -E '^:(KUBE|CNI)-' | sed 's/^/iptables chain: /'
  for s in "${CLUSTER_SYSCTLS[@]}"; do
    [ "$(cat "/proc/sys/$s")" = "$(cat "$CLUSTER_DIR/host/${s//\//.}")" ] ||
      echo "sysctl: $s is $(cat "/proc/sys/$s"), was $(cat "$CLUSTER_DIR/host/${s//\//.}")"
  done
  ls -d /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/kubepods 2>/dev/null | sed 's/^/cgroup: /'
  findmnt -rn -o TARGET | grep -F "$CLUSTER_DIR/" | sed 's/^/mount: /'
  comm -13 "$CLUSTER_DIR/host/netns" <(ls /var/run/netns 2>/dev/null) | sed 's/^/netns: /'
  return 0
}
