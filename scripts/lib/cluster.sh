# A real single-node Kubernetes on this machine, for scripts/e2e-cluster and bench/controller:
# etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubelet with containerd and
# runc (cgroupfs), the CNI bridge of containernetworking-plugins, kube-proxy (iptables) and
# CoreDNS as a pod. Everything listens on the node's address, CLUSTER_NODE_IP: the bridge's own
# address, made before anything starts, so pods reach the apiserver and the host's services
# at it and nothing is exposed beyond this machine. Images are imported, never pulled.
#
#   source scripts/lib/cluster.sh
#   cluster_start DIR      start it all in DIR (state, certificates, logs); exports KUBECONFIG
#   cluster_import IMAGE…  copy images from the local container store (buildah's) into it
#   cluster_stop           stop it all and undo what it changed on this host
#
# The kubelet and kube-proxy change the host; cluster_stop undoes each change whatever state
# the cluster reached: the processes (also the containers' and the shims'), the pods' network
# namespaces and veths, the bridge, the iptables chains (KUBE-*, CNI-*), the sysctls the
# kubelet and the bridge plugin set, the /kubepods cgroups and every mount under DIR.
# Needs root and the binaries scripts/setup-cluster builds (GUESTBACKUP_KUBE_BIN,
# KUBEBUILDER_ASSETS for etcd, GUESTBACKUP_COREDNS).

source "$GUESTBACKUP_ROOT/scripts/lib/cluster-images.sh"

CLUSTER_NODE_NAME=guestbackup-node
CLUSTER_BRIDGE=gbcluster0
CLUSTER_NODE_IP=10.244.0.1
CLUSTER_POD_CIDR=10.244.0.0/24
CLUSTER_SERVICE_CIDR=10.96.0.0/24
CLUSTER_DNS_IP=10.96.0.10
CLUSTER_APISERVER_PORT=16443
CLUSTER_ETCD_PORT=12379
# What the kubelet and the CNI bridge plugin set, restored by cluster_stop.
CLUSTER_SYSCTLS=(vm/overcommit_memory kernel/panic kernel/panic_on_oops net/ipv4/ip_forward)

cluster_log() { echo "cluster: $*" >&2; }

# cluster_kubectl ARGS…: kubectl against this cluster.
cluster_kubectl() { "$GUESTBACKUP_KUBE_BIN/kubectl" --kubeconfig "$CLUSTER_DIR/admin.kubeconfig" "$@"; }

# cluster_wait SECONDS WHAT COMMAND…: runs COMMAND every half second until it succeeds.
cluster_wait() {
  local seconds=$1 what=$2 deadline
  shift 2
  deadline=$(($(date +%s) + seconds))
  until "$@" >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      cluster_log "timed out after ${seconds} s waiting for $what"
      return 1
    fi
    sleep 0.5
  done
}

# cluster_spawn NAME COMMAND…: starts a component in a session of its own, logging to logs/NAME.
cluster_spawn() {
  local name=$1
  shift
  setsid "$@" >"$CLUSTER_DIR/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$CLUSTER_DIR/pids/$name"
}

# cluster_cert NAME SUBJECT [SANS]: an EC key and a certificate signed by the cluster's CA.
cluster_cert() {
  local name=$1 subject=$2 sans=${3:-} pki="$CLUSTER_DIR/pki"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "$subject" \
    -keyout "$pki/$name.key" -out "$pki/$name.csr" 2>/dev/null
  printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\n%s\n' \
    "${sans:+subjectAltName=$sans}" >"$pki/$name.ext"
  openssl x509 -req -in "$pki/$name.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
    -days 2 -out "$pki/$name.crt" -extfile "$pki/$name.ext" 2>/dev/null
  chmod 0600 "$pki/$name.key"
}

# cluster_kubeconfig NAME: a kubeconfig for the client certificate NAME.
cluster_kubeconfig() {
  local name=$1 pki="$CLUSTER_DIR/pki"
  cat >"$CLUSTER_DIR/$name.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: guestbackup
  cluster:
    certificate-authority: $pki/ca.crt
    server: https://$CLUSTER_NODE_IP:$CLUSTER_APISERVER_PORT
users:
- name: $name
  user:
    client-certificate: $pki/$name.crt
    client-key: $pki/$name.key
contexts:
- name: guestbackup
  context: {cluster: guestbackup, user: $name}
current-context: guestbackup
EOF
}

cluster_pki() {
  local pki="$CLUSTER_DIR/pki"
  mkdir -p -m 0700 "$pki"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj "/CN=guestbackup-e2e-cluster-ca" -keyout "$pki/ca.key" -out "$pki/ca.crt" 2>/dev/null
  cluster_cert apiserver "/CN=kube-apiserver" \
    "IP:$CLUSTER_NODE_IP,IP:${CLUSTER_SERVICE_CIDR%.0/24}.1,IP:127.0.0.1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  cluster_cert admin "/O=system:masters/CN=guestbackup-e2e-admin"
  cluster_cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client"
  cluster_cert kubelet "/O=system:nodes/CN=system:node:$CLUSTER_NODE_NAME"
  cluster_cert kube-proxy "/CN=system:kube-proxy"
  cluster_cert kube-scheduler "/CN=system:kube-scheduler"
  cluster_cert kube-controller-manager "/CN=system:kube-controller-manager"
  openssl ecparam -name prime256v1 -genkey -noout -out "$pki/service-accounts.key" 2>/dev/null
  openssl ec -in "$pki/service-accounts.key" -pubout -out "$pki/service-accounts.pub" 2>/dev/null
  for name in admin kubelet kube-proxy kube-scheduler kube-controller-manager; do
    cluster_kubeconfig "$name"
  done
}

cluster_network() {
  ip link add "$CLUSTER_BRIDGE" type bridge
  ip addr add "$CLUSTER_NODE_IP/${CLUSTER_POD_CIDR#*/}" dev "$CLUSTER_BRIDGE"
  ip link set "$CLUSTER_BRIDGE" up
  mkdir -p "$CLUSTER_DIR/cni/net.d"
  # ipMasq: pods reach beyond this machine as in any cluster (CoreDNS forwards to the host's
  # resolver); hairpin: a pod reaches itself through its Service.
  cat >"$CLUSTER_DIR/cni/net.d/10-guestbackup.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "guestbackup-e2e",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$CLUSTER_BRIDGE",
      "isGateway": true,
      "ipMasq": true,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{"subnet": "$CLUSTER_POD_CIDR", "gateway": "$CLUSTER_NODE_IP"}]],
        "routes": [{"dst": "0.0.0.0/0"}],
        "dataDir": "$CLUSTER_DIR/cni/ipam"
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
}

cluster_start_etcd() {
  cluster_spawn etcd "$KUBEBUILDER_ASSETS/etcd" --name node --data-dir "$CLUSTER_DIR/etcd" \
    --listen-client-urls "http://127.0.0.1:$CLUSTER_ETCD_PORT" \
    --advertise-client-urls "http://127.0.0.1:$CLUSTER_ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$((CLUSTER_ETCD_PORT + 1))" \
    --initial-advertise-peer-urls "http://127.0.0.1:$((CLUSTER_ETCD_PORT + 1))" \
    --initial-cluster "node=http://127.0.0.1:$((CLUSTER_ETCD_PORT + 1))" \
    --unsafe-no-fsync --quota-backend-bytes 1073741824
  cluster_wait 60 etcd curl -fsS "http://127.0.0.1:$CLUSTER_ETCD_PORT/health"
}

cluster_start_apiserver() {
  local pki="$CLUSTER_DIR/pki"
  cluster_spawn kube-apiserver "$GUESTBACKUP_KUBE_BIN/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$CLUSTER_ETCD_PORT" \
    --bind-address "$CLUSTER_NODE_IP" --advertise-address "$CLUSTER_NODE_IP" \
    --secure-port "$CLUSTER_APISERVER_PORT" \
    --service-cluster-ip-range "$CLUSTER_SERVICE_CIDR" \
    --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
    --client-ca-file "$pki/ca.crt" \
    --kubelet-client-certificate "$pki/apiserver-kubelet-client.crt" \
    --kubelet-client-key "$pki/apiserver-kubelet-client.key" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$pki/service-accounts.pub" \
    --service-account-signing-key-file "$pki/service-accounts.key" \
    --kubelet-preferred-address-types InternalIP \
    --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction
  cluster_wait 120 kube-apiserver cluster_kubectl get --raw /readyz
}

cluster_start_control_plane() {
  local pki="$CLUSTER_DIR/pki"
  cluster_spawn kube-controller-manager "$GUESTBACKUP_KUBE_BIN/kube-controller-manager" \
    --kubeconfig "$CLUSTER_DIR/kube-controller-manager.kubeconfig" \
    --authentication-kubeconfig "$CLUSTER_DIR/kube-controller-manager.kubeconfig" \
    --authorization-kubeconfig "$CLUSTER_DIR/kube-controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port 10257 --leader-elect=false \
    --service-account-private-key-file "$pki/service-accounts.key" \
    --root-ca-file "$pki/ca.crt" --use-service-account-credentials \
    --service-cluster-ip-range "$CLUSTER_SERVICE_CIDR"
  cluster_spawn kube-scheduler "$GUESTBACKUP_KUBE_BIN/kube-scheduler" \
    --kubeconfig "$CLUSTER_DIR/kube-scheduler.kubeconfig" \
    --authentication-kubeconfig "$CLUSTER_DIR/kube-scheduler.kubeconfig" \
    --authorization-kubeconfig "$CLUSTER_DIR/kube-scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port 10259 --leader-elect=false
}

cluster_start_containerd() {
  local c="$CLUSTER_DIR/containerd"
  mkdir -p "$c"
  cat >"$c/config.toml" <<EOF
version = 2
root = "$c/root"
state = "$c/state"
[grpc]
  address = "$c/containerd.sock"
[plugins."io.containerd.internal.v1.opt"]
  path = "$c/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$CLUSTER_PAUSE_IMAGE"
  restrict_oom_score_adj = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "$(command -v runc)"
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$CLUSTER_DIR/cni/net.d"
EOF
  cluster_spawn containerd containerd --config "$c/config.toml"
  cluster_wait 60 containerd ctr --address "$c/containerd.sock" version
}

# cluster_ctr ARGS…: ctr in the kubelet's namespace of this cluster's containerd.
cluster_ctr() { ctr --address "$CLUSTER_DIR/containerd/containerd.sock" -n k8s.io "$@"; }

cluster_start_kubelet() {
  local k="$CLUSTER_DIR/kubelet"
  mkdir -p "$k"
  # failCgroupV1: this host's cgroups are v1. Eviction thresholds low: the disk is shared
  # with everything else on the machine, and a DiskPressure taint would keep pods away.
  cat >"$k/config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $CLUSTER_NODE_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $CLUSTER_DIR/pki/ca.crt}
authorization: {mode: Webhook}
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
containerRuntimeEndpoint: unix://$CLUSTER_DIR/containerd/containerd.sock
clusterDNS: [$CLUSTER_DNS_IP]
clusterDomain: cluster.local
resolvConf: /etc/resolv.conf
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1%}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
serializeImagePulls: false
EOF
  cluster_spawn kubelet "$GUESTBACKUP_KUBE_BIN/kubelet" --config "$k/config.yaml" \
    --kubeconfig "$CLUSTER_DIR/kubelet.kubeconfig" --root-dir "$k/root" --cert-dir "$k/pki" \
    --hostname-override "$CLUSTER_NODE_NAME" --node-ip "$CLUSTER_NODE_IP"
  cluster_wait 120 "the node to be Ready" cluster_kubectl wait --for=condition=Ready \
    "node/$CLUSTER_NODE_NAME" --timeout=1s
}

cluster_start_kube_proxy() {
  cat >"$CLUSTER_DIR/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $CLUSTER_DIR/kube-proxy.kubeconfig}
mode: iptables
clusterCIDR: $CLUSTER_POD_CIDR
hostnameOverride: $CLUSTER_NODE_NAME
bindAddress: $CLUSTER_NODE_IP
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
nodePortAddresses: [$CLUSTER_NODE_IP/32]
iptables: {localhostNodePorts: false}
conntrack: {maxPerCore: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
EOF
  cluster_spawn kube-proxy "$GUESTBACKUP_KUBE_BIN/kube-proxy" --config "$CLUSTER_DIR/kube-proxy.yaml"
  cluster_wait 60 kube-proxy curl -fsS http://127.0.0.1:10256/healthz
}

# cluster_import IMAGE…: each image of the local store, as a docker archive, into containerd.
cluster_import() {
  local image archive="$CLUSTER_DIR/import.tar"
  for image in "$@"; do
    rm -f "$archive"
    buildah push --quiet "$image" "docker-archive:$archive:$image" >/dev/null
    cluster_ctr images import "$archive" >/dev/null
    rm -f "$archive"
  done
}

cluster_start_dns() {
  cluster_import "$CLUSTER_COREDNS_IMAGE"
  sed -e "s|@IMAGE@|$CLUSTER_COREDNS_IMAGE|" -e "s|@DNS_IP@|$CLUSTER_DNS_IP|" \
    "$GUESTBACKUP_ROOT/tests/cluster/manifests/coredns.yaml" | cluster_kubectl apply -f - >/dev/null
  cluster_kubectl -n kube-system rollout status deployment/coredns --timeout=120s >/dev/null
}

# cluster_refuse_if_busy: a kubelet's cgroups or this cluster's bridge already on this host mean
# another cluster runs here (or one was not cleaned up): cluster_stop would kill its pods.
cluster_refuse_if_busy() {
  local busy
  busy=$(ls -d /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/kubepods 2>/dev/null || true)
  if ip link show "$CLUSTER_BRIDGE" >/dev/null 2>&1; then busy+=" bridge $CLUSTER_BRIDGE"; fi
  if [ -n "$busy" ]; then
    cluster_log "another cluster seems to run on this machine (found: $busy); stop it first"
    return 1
  fi
}

cluster_start() {
  cluster_refuse_if_busy || return 1
  CLUSTER_DIR=$1
  mkdir -p "$CLUSTER_DIR/logs" "$CLUSTER_DIR/pids" "$CLUSTER_DIR/host"
  local s
  for s in "${CLUSTER_SYSCTLS[@]}"; do cat "/proc/sys/$s" >"$CLUSTER_DIR/host/${s//\//.}"; done
  ls /var/run/netns 2>/dev/null >"$CLUSTER_DIR/host/netns" || true
  export KUBECONFIG="$CLUSTER_DIR/admin.kubeconfig"
  local began
  began=$(date +%s)
  CLUSTER_PAUSE_IMAGE=$(cluster_pause_image)
  CLUSTER_COREDNS_IMAGE=$(cluster_coredns_image)
  cluster_pki
  cluster_network
  cluster_start_etcd
  cluster_start_apiserver
  cluster_start_control_plane
  cluster_start_containerd
  cluster_import "$CLUSTER_PAUSE_IMAGE"
  cluster_start_kubelet
  cluster_start_kube_proxy
  cluster_start_dns
  CLUSTER_START_SECONDS=$(($(date +%s) - began))
  cluster_log "up in $CLUSTER_START_SECONDS s (node $CLUSTER_NODE_NAME at $CLUSTER_NODE_IP)"
}

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
