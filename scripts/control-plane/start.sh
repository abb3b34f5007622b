#!/usr/bin/env bash
# Starts a real control plane (etcd 3.4, kube-apiserver and kube-controller-manager v1.20.2)
# on free loopback ports, with its state in STATE_DIR (default: a new temporary folder).
# Writes STATE_DIR/env (source it: KUBE_API_URL, KUBE_API_TOKEN, KUBE_API_CA, KUBECONFIG) and
# STATE_DIR/kubeconfig (admin token), prints STATE_DIR on stdout, and returns once the server
# is ready AND the controller manager has garbage-collected a probe object (so tests can rely
# on GC and namespace deletion). Stop it with stop.sh STATE_DIR: each process by its own pid.
#
# Usage: start.sh [STATE_DIR]
# OMJOB_CP_OWNER_REFERENCES_ENFORCEMENT=0 leaves out the OwnerReferencesPermissionEnforcement admission
# plugin (on by default, as on OpenShift and hardened clusters).
#
# OMJOB_CP_NODE_MONITOR_GRACE_PERIOD (e.g. 12s; unset: upstream's 40 s): how long the
# controller manager waits for a node's heartbeat before marking it Unknown, checked every
# second when set, so that node-loss scenarios on a real node (scripts/node) take seconds.
#
# OMJOB_CP_POD_EVICTION_TIMEOUT (e.g. 20s; unset: upstream's 5 min): how long the pods of a
# node that is Unknown or NotReady stay before they are evicted. It is the controller manager's
# --pod-eviction-timeout, which v1.20 reads only with its taint manager off; with it on (the
# default, kept here) a lost node is tainted NoExecute and its pods are evicted when their
# node.kubernetes.io/unreachable or not-ready toleration runs out, which the API server's
# DefaultTolerationSeconds admission gives every pod that brings none (300 s). So the same
# value, in whole seconds, also becomes the API server's --default-unreachable-toleration-seconds
# and --default-not-ready-toleration-seconds. A Go duration of hours, minutes and seconds.
#
# OMJOB_CP_AUDIT_LOG=1 writes the server's audit log, one JSON event per request at level
# Metadata (verb, URI, user, source IP, timestamps; no bodies), to STATE_DIR/logs/audit.log:
# the server's own record of who wrote what and when (the leader-election tests read it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/lib.sh"

"$here/build.sh" >&2
command -v etcd >/dev/null || cp_die "etcd is missing: apt-get install etcd-server (Debian's etcd 3.4)"
command -v openssl >/dev/null || cp_die "openssl is missing: apt-get install openssl"
command -v curl >/dev/null || cp_die "curl is missing: apt-get install curl"

# Whole seconds of a Go duration made of h, m and s parts (20s, 2m, 1m30s).
duration_seconds() {
  [[ "$1" =~ ^(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?$ ]] && [ -n "$1" ] ||
    cp_die "not a duration of hours, minutes and seconds (e.g. 20s, 1m30s): '$1'"
  echo $(( ${BASH_REMATCH[2]:-0} * 3600 + ${BASH_REMATCH[4]:-0} * 60 + ${BASH_REMATCH[6]:-0} ))
}
eviction_api=()
eviction_kcm=()
if [ -n "${OMJOB_CP_POD_EVICTION_TIMEOUT:-}" ]; then
  eviction_seconds=$(duration_seconds "$OMJOB_CP_POD_EVICTION_TIMEOUT")
  eviction_api=(--default-unreachable-toleration-seconds "$eviction_seconds"
    --default-not-ready-toleration-seconds "$eviction_seconds")
  eviction_kcm=(--pod-eviction-timeout "$OMJOB_CP_POD_EVICTION_TIMEOUT")
fi

state="${1:-$(mktemp -d "${TMPDIR:-/tmp}/omjob-control-plane.XXXXXX")}"
mkdir -p "$state"
state="$(cd "$state" && pwd)"
[ -e "$state/pids" ] && cp_die "$state already holds a control plane; stop it first: stop.sh $state"
mkdir -p "$state/pids" "$state/logs" "$state/pki"
started=$(date +%s.%N)
# If anything below fails, nothing may be left running.
ok=0
cleanup() {
  [ "$ok" = 1 ] && return
  "$here/stop.sh" "$state" >&2 || true
  printf '\ncontrol-plane: ERROR: start failed; logs in %s/logs\n\n' "$state" >&2
}
trap cleanup EXIT

"$here/pki.sh" "$state/pki"

spawn() { # name, then the command; logs to logs/NAME.log, pid to pids/NAME
  local name=$1; shift
  nohup "$@" >"$state/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$state/pids/$name"
}

# Waits for a command to succeed while the named process lives; 0 on success.
wait_for() { # name, seconds, command...
  local name=$1 seconds=$2; shift 2
  local deadline=$((SECONDS + seconds))
  while [ $SECONDS -lt $deadline ]; do
    kill -0 "$(cat "$state/pids/$name")" 2>/dev/null || { tail -20 "$state/logs/$name.log" >&2; return 1; }
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  tail -20 "$state/logs/$name.log" >&2
  return 1
}

# etcd keeps its data in memory-backed /dev/shm when there is one: fsync on a shared disk is
# the slowest part of every write, and the data is thrown away at stop.
etcd_data="$(mktemp -d "$( [ -d /dev/shm ] && echo /dev/shm || echo "$state")/omjob-etcd.XXXXXX")"
echo "$etcd_data" >"$state/etcd-data-dir"
etcd_port=$(cp_free_port); peer_port=$(cp_free_port)
spawn etcd etcd --name cp --data-dir "$etcd_data" \
  --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
  --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
  --initial-cluster "cp=http://127.0.0.1:$peer_port" --log-level warn
wait_for etcd 30 curl -fsS "http://127.0.0.1:$etcd_port/health" || cp_die "etcd did not become healthy"

api_port=$(cp_free_port)
pki="$state/pki"
admission=(--enable-admission-plugins OwnerReferencesPermissionEnforcement)
[ "${OMJOB_CP_OWNER_REFERENCES_ENFORCEMENT:-1}" = 0 ] && admission=()
audit=()
if [ "${OMJOB_CP_AUDIT_LOG:-0}" = 1 ]; then
  printf '%s\n' 'apiVersion: audit.k8s.io/v1' 'kind: Policy' 'omitStages: [RequestReceived]' 'rules:' '- level: Metadata' \
    >"$state/audit-policy.yaml"
  # Blocking mode: an event is in the file once its request is answered.
  audit=(--audit-policy-file "$state/audit-policy.yaml" --audit-log-path "$state/logs/audit.log"
    --audit-log-format json --audit-log-mode blocking --audit-log-maxsize 0)
fi
# --insecure-port=0: v1.20 still opens the fixed port 8080 otherwise.
# ServiceAccount admission is off: it would race the token controller right after a namespace
# is created (pods refused until the default account's token exists) and inject a token
# volume kubesim does not; tests that need a service account create and use it explicitly.
# OwnerReferencesPermissionEnforcement (off by default, on in OpenShift and hardened clusters):
# an ownerReference with blockOwnerDeletion needs `update` on the owner's finalizers
# subresource, so the operator's RBAC is checked as strictly as such clusters check it.
# A real node (scripts/node) is reached for logs at its InternalIP (127.0.0.1): its name does
# not resolve, and Hostname comes first in the default address types.
# The watch cache keeps its defaults; a too-old resourceVersion gets 410 Expired from it.
spawn kube-apiserver "$CP_BIN/kube-apiserver" \
  --etcd-servers "http://127.0.0.1:$etcd_port" \
  --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" --insecure-port 0 \
  --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
  --client-ca-file "$pki/ca.crt" --token-auth-file "$pki/tokens.csv" \
  --authorization-mode RBAC \
  --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
  --service-account-issuer https://kubernetes.default.svc.cluster.local \
  --api-audiences https://kubernetes.default.svc.cluster.local \
  --service-cluster-ip-range 10.96.0.0/24 --allow-privileged=true \
  --disable-admission-plugins ServiceAccount "${admission[@]}" \
  --kubelet-preferred-address-types InternalIP,Hostname "${audit[@]}" "${eviction_api[@]}" \
  --profiling=false --logtostderr -v 0
admin_token=$(cat "$pki/admin.token")
api_url="https://127.0.0.1:$api_port"
ready() { curl -fsS --cacert "$pki/ca.crt" -H "Authorization: Bearer $admin_token" "$api_url/readyz"; }
wait_for kube-apiserver 120 ready || cp_die "kube-apiserver did not become ready on $api_url"
api_ready=$(date +%s.%N)

kubeconfig() { # file, user name, token
  cat >"$1" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: omjob-real
  cluster: {server: "$api_url", certificate-authority: "$pki/ca.crt"}
users:
- name: $2
  user: {token: "$3"}
contexts:
- name: omjob-real
  context: {cluster: omjob-real, user: $2, namespace: default}
current-context: omjob-real
EOF
}
kubeconfig "$state/kubeconfig" admin "$admin_token"
kubeconfig "$pki/controller-manager.kubeconfig" system:kube-controller-manager "$(cat "$pki/kcm.token")"

# --port 0 / --secure-port 0: no fixed ports (10252/10257 by default); not needed here.
node_monitor=()
if [ -n "${OMJOB_CP_NODE_MONITOR_GRACE_PERIOD:-}" ]; then
  node_monitor=(--node-monitor-grace-period "$OMJOB_CP_NODE_MONITOR_GRACE_PERIOD" --node-monitor-period 1s)
fi
spawn kube-controller-manager "$CP_BIN/kube-controller-manager" \
  --kubeconfig "$pki/controller-manager.kubeconfig" --use-service-account-credentials \
  --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
  --port 0 --secure-port 0 --leader-elect=false "${node_monitor[@]}" "${eviction_kcm[@]}" --logtostderr -v 0

cat >"$state/env" <<EOF
# Written by scripts/control-plane/start.sh; source it.
export KUBE_API_URL="$api_url"
export KUBE_API_TOKEN="$admin_token"
export KUBE_API_CA="$pki/ca.crt"
export KUBECONFIG="$state/kubeconfig"
export OMJOB_CONTROL_PLANE_STATE="$state"
EOF

# Ready means GC works: a dependent of a deleted owner disappears. The first sync of the
# garbage collector's informers takes a few seconds after the controller manager starts.
export KUBECONFIG="$state/kubeconfig"
"$here/gc-probe.sh" "$state" || cp_die "kube-controller-manager did not garbage-collect the probe object"
ended=$(date +%s.%N)
python3 - "$started" "$api_ready" "$ended" >&2 <<'EOF'
import sys
s, a, e = map(float, sys.argv[1:])
print(f"control-plane: apiserver ready in {a - s:.1f}s, GC proven in {e - s:.1f}s")
EOF
ok=1
echo "$state"
