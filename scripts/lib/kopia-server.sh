# Sourced by the scripts that test the agent against a real kopia server of their own
# (e2e-guest and the package tests in tests/packaging): a throwaway TLS kopia repository server on
# 127.0.0.1, set up as the cluster's is — a filesystem repository, ACLs on, users added by
# password hash so that no password is ever in an argv.
#
#   kopia_server_start DIR USER@HOST...
# Starts the server in the background with the kopia on PATH (KOPIA_BIN overrides). Sets
# KOPIA_SERVER_PID (the caller stops it), KOPIA_SERVER_PORT and KOPIA_SERVER_FINGERPRINT (the
# SHA-256 of its certificate, as a policy pins it), and writes each user's password to
# DIR/passwords/USER@HOST (mode 0600). Exits the script with a message on failure.

# wait_for_log_value LOGFILE SED_PATTERN WHAT: the first \1 of SED_PATTERN in LOGFILE, waiting up
# to a minute for it (a server in the background names its port there).
wait_for_log_value() {
  local logfile="$1" pattern="$2" what="$3" value="" _
  for _ in $(seq 1 600); do
    value=$(sed -n "s|.*$pattern.*|\1|p" "$logfile" 2>/dev/null | head -n 1)
    [ -n "$value" ] && break
    sleep 0.1
  done
  if [ -z "$value" ]; then
    echo "$what did not report its port: $(tail -n 5 "$logfile")" >&2
    exit 1
  fi
  echo "$value"
}

# kopia's user password hash (version 1: scrypt N=65536 r=8 p=1, 32-byte salt and key), from
# the password in $PW.
kopia_password_hash() {
  /usr/bin/python3 -c '
import base64, hashlib, json, os
salt = os.urandom(32)
key = hashlib.scrypt(os.environ["PW"].encode(), salt=salt, n=65536, r=8, p=1,
                     maxmem=128 * 1024 * 1024, dklen=32)
doc = {"passwordHashVersion": 1, "passwordHash": base64.b64encode(salt + key).decode()}
print(base64.b64encode(json.dumps(doc, separators=(",", ":")).encode()).decode())'
}

kopia_server_start() {
  local dir="$1" identity hash password
  shift
  local kopia="${KOPIA_BIN:-$(command -v kopia)}"
  mkdir -p -m 0700 "$dir" "$dir/passwords"
  local repo_password control_password
  repo_password=$(openssl rand -hex 24)
  control_password=$(openssl rand -hex 24)
  kopia_server_admin() {
    KOPIA_PASSWORD="$repo_password" "$kopia" --config-file="$dir/admin.config" \
      --log-dir="$dir/logs" "$@" >>"$dir/setup.log" 2>&1 || {
      echo "kopia $1 $2: $(tail -n 5 "$dir/setup.log")" >&2
      exit 1
    }
  }
  kopia_server_admin repository create filesystem --path="$dir/repository" \
    --cache-directory="$dir/cache" --override-username=guestbackup-admin \
    --override-hostname=test-server --no-persist-credentials --no-check-for-updates
  kopia_server_admin server acl enable
  for identity in "$@"; do
    password=$(openssl rand -hex 16)
    (umask 077 && printf '%s\n' "$password" >"$dir/passwords/$identity")
    hash=$(PW="$password" kopia_password_hash)
    kopia_server_admin server user add "$identity" --user-password-hash="$hash"
  done
  # A simple command, not a function: in the background a function runs in a subshell, and $!
  # would be that shell, leaving kopia running when the caller stops it.
  KOPIA_PASSWORD="$repo_password" KOPIA_SERVER_CONTROL_PASSWORD="$control_password" \
    "$kopia" --config-file="$dir/admin.config" --log-dir="$dir/logs" \
    server start --tls-generate-cert \
    --tls-cert-file="$dir/tls.crt" --tls-key-file="$dir/tls.key" --address=127.0.0.1:0 \
    --no-ui --server-control-username=test-control >"$dir/server.log" 2>&1 &
  KOPIA_SERVER_PID=$!
  KOPIA_SERVER_PORT=$(wait_for_log_value "$dir/server.log" \
    'SERVER ADDRESS: https://127.0.0.1:\([0-9]*\)' "kopia server start")
  KOPIA_SERVER_FINGERPRINT=$(openssl x509 -in "$dir/tls.crt" -outform DER | sha256sum | cut -d' ' -f1)
}
