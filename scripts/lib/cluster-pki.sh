# The certificates and kubeconfigs of the cluster of scripts/lib/cluster.sh (sourced by it): a
# CA made for the run, the apiserver's serving certificate, a client certificate for each
# component and the admin, and the service accounts' signing key, all in CLUSTER_DIR/pki.

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
