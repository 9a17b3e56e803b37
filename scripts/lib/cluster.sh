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
source "$GUESTBACKUP_ROOT/scripts/lib/cluster-pki.sh"
source "$GUESTBACKUP_ROOT/scripts/lib/cluster-stop.sh"

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
  busy=$(ls -d /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/kubepods 2>/dev/null | paste -sd' ' || true)
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
