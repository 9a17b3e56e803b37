# What a BackupStorageLocationServer stands on, on the cluster of scripts/lib/cluster.sh, for
# scripts/e2e-cluster and bench/controller:
#   bsls_storage_start DIR  MinIO over TLS on the node's address (its certificate, data and log
#                           in DIR), with the bucket `velero`; again after bsls_storage_stop,
#                           same data and certificate
#   bsls_storage_stop       MinIO stopped (S3 unreachable)
#   bsls_velero_location    Velero's BSL CRD (from the velero module cluster/ builds against),
#                           the BSL `default` in openshift-adp on that bucket under the prefix
#                           cluster-a, and its credentials Secret, as Velero's install makes them
#   bsls_controller_install `kubectl apply -k config/default` and its rollout
#   bsls_leader, bsls_has_leader  the controller's leader Lease's holder, and whether there is one
#   bsls_hash_user USER@HOST      a users-file line for the password on stdin
#   source scripts/lib/cluster-bsls.sh   (after scripts/lib/cluster.sh)

BSLS_S3_PORT=19000
BSLS_S3_URL="https://$CLUSTER_NODE_IP:$BSLS_S3_PORT"
BSLS_S3_KEY=guestbackup-e2e
BSLS_S3_BUCKET=velero
BSLS_BSL_PREFIX=cluster-a
BSLS_LEADER_LEASE=bsls.oadp.openshift.io  # controller.LeaderElectionID
BSLS_S3_PID=""

bsls_storage_start() {
  BSLS_S3_DIR=$1
  if [ ! -s "$BSLS_S3_DIR/certs/public.crt" ]; then
    mkdir -p "$BSLS_S3_DIR/certs" "$BSLS_S3_DIR/data"
    (umask 077 && openssl rand -hex 16 >"$BSLS_S3_DIR/secret")
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=minio" \
      -addext "subjectAltName=IP:$CLUSTER_NODE_IP" -keyout "$BSLS_S3_DIR/certs/private.key" \
      -out "$BSLS_S3_DIR/certs/public.crt" 2>/dev/null
  fi
  MINIO_ROOT_USER=$BSLS_S3_KEY MINIO_ROOT_PASSWORD=$(cat "$BSLS_S3_DIR/secret") MINIO_BROWSER=off \
    setsid "$GUESTBACKUP_MINIO" server --quiet --address "$CLUSTER_NODE_IP:$BSLS_S3_PORT" \
    --certs-dir "$BSLS_S3_DIR/certs" "$BSLS_S3_DIR/data" >>"$BSLS_S3_DIR/log" 2>&1 </dev/null &
  BSLS_S3_PID=$!
  cluster_wait 60 MinIO curl -fsS --cacert "$BSLS_S3_DIR/certs/public.crt" \
    "$BSLS_S3_URL/minio/health/ready"
  [ -d "$BSLS_S3_DIR/data/$BSLS_S3_BUCKET" ] ||
    curl -fsS --cacert "$BSLS_S3_DIR/certs/public.crt" --aws-sigv4 "aws:amz:us-east-1:s3" \
      --user "$BSLS_S3_KEY:$(cat "$BSLS_S3_DIR/secret")" -X PUT "$BSLS_S3_URL/$BSLS_S3_BUCKET"
}

bsls_storage_stop() {
  [ -n "$BSLS_S3_PID" ] || return 0
  kill "$BSLS_S3_PID" 2>/dev/null || true
  wait "$BSLS_S3_PID" 2>/dev/null || true
  BSLS_S3_PID=""
}

bsls_velero_location() {
  local velero_dir
  velero_dir=$(cd "$GUESTBACKUP_ROOT/cluster" && go list -m -f '{{.Dir}}' github.com/vmware-tanzu/velero)
  cluster_kubectl apply -f "$velero_dir/config/crd/v1/bases/velero.io_backupstoragelocations.yaml" >/dev/null
  cluster_kubectl wait --for condition=Established crd/backupstoragelocations.velero.io --timeout=60s >/dev/null
  cluster_kubectl create namespace openshift-adp >/dev/null
  # The S3 secret goes to kubectl in a file (0600), never on its command line.
  (umask 077 && printf '[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n' \
    "$BSLS_S3_KEY" "$(cat "$BSLS_S3_DIR/secret")" >"$BSLS_S3_DIR/cloud")
  cluster_kubectl -n openshift-adp create secret generic cloud-credentials \
    --from-file=cloud="$BSLS_S3_DIR/cloud" >/dev/null
  cluster_kubectl apply -f - >/dev/null <<EOF
apiVersion: velero.io/v1
kind: BackupStorageLocation
metadata: {name: default, namespace: openshift-adp}
spec:
  provider: aws
  objectStorage:
    bucket: $BSLS_S3_BUCKET
    prefix: $BSLS_BSL_PREFIX
    caCert: $(base64 -w0 "$BSLS_S3_DIR/certs/public.crt")
  config: {region: us-east-1, s3Url: "$BSLS_S3_URL"}
EOF
}

bsls_controller_install() {
  cluster_kubectl apply -k "$GUESTBACKUP_ROOT/cluster/config/default" &&
    cluster_kubectl -n guestbackup-system rollout status deployment/bsls-controller --timeout=180s
}

# bsls_leader: the holder of the controller's leader Lease (pod name_uuid), empty when none.
bsls_leader() {
  cluster_kubectl -n guestbackup-system get lease "$BSLS_LEADER_LEASE" -o jsonpath='{.spec.holderIdentity}' 2>/dev/null
}

bsls_has_leader() { [ -n "$(bsls_leader)" ]; }

# bsls_hash_user USER@HOST: a users-file line for the password read from stdin, hashed by the
# installed controller's own bsls-controller (the password never on a command line).
bsls_hash_user() {
  cluster_kubectl -n guestbackup-system exec -i deployment/bsls-controller -- \
    bsls-controller hash-password --user "$1"
}
