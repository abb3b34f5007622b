#!/usr/bin/env bash
# Starts a real node joined to a control plane from scripts/control-plane/start.sh: its own
# containerd (config, root, state and socket in NODE_STATE), the local images imported, a CNI
# bridge, kube-scheduler and a kubelet v1.20.2 named NODE_NAME (default omjob-real-node).
# Returns once the node is Ready; prints NODE_STATE on stdout and writes NODE_STATE/env.
# stop.sh NODE_STATE stops every process by its pid and undoes every change to the machine.
#
# One real node per machine: kubelet v1.20 writes fixed host paths (/var/log/pods,
# /var/log/containers, /var/lib/kubelet/device-plugins) and sysctls, so a second start fails
# while one runs.
#
# Usage: start.sh CONTROL_PLANE_STATE [NODE_STATE]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/lib.sh"

plane=${1:?usage: start.sh CONTROL_PLANE_STATE [NODE_STATE]}
[ -f "$plane/env" ] || node_die "no control plane in $plane (scripts/control-plane/start.sh writes $plane/env)"
reason=$("$here/check.sh") || node_die "this host cannot run the real node: $reason"
"$here/build.sh" >&2
node_name=${NODE_NAME:-omjob-real-node}

owner=/run/omjob-real-node.owner
if [ -f "$owner" ]; then
  other=$(cat "$owner")
  for name in containerd kubelet; do
    pid=$(cat "$other/pids/$name" 2>/dev/null) || continue
    { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -q "$name" &&
      node_die "a real node already runs on this machine ($other); stop it first: $here/stop.sh $other"
  done
  # Its processes are gone: what it changed is undone before this one starts.
  [ -d "$other/pids" ] && "$here/stop.sh" "$other" >&2
  rm -f "$owner"
fi

state="${2:-$(mktemp -d "${TMPDIR:-/tmp}/omjob-real-node.XXXXXX")}"
mkdir -p "$state"
state="$(cd "$state" && pwd)"
[ -e "$state/pids" ] && node_die "$state already holds a node; stop it first: stop.sh $state"
mkdir -p "$state/pids" "$state/logs" "$state/cni/net.d" "$state/kubelet" "$state/containerd"
echo "$state" >"$owner"
started=$(date +%s.%N)
ok=0
cleanup() {
  [ "$ok" = 1 ] && return
  "$here/stop.sh" "$state" >&2 || true
  printf '\nreal-node: ERROR: start failed; logs in %s/logs\n\n' "$state" >&2
}
trap cleanup EXIT

# What the node changes on the machine, recorded so that stop.sh can put it back.
# The sysctls kubelet v1.20 sets where they differ from its values (setupKernelTunables).
for key in vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops \
  kernel.keys.root_maxkeys kernel.keys.root_maxbytes; do
  echo "$key=$(sysctl -n "$key")"
done >"$state/sysctls"
# The fixed host paths written whatever the configured folders say: the kubelet's device-plugin
# socket folder (/var/lib/kubelet/device-plugins in v1.20, whatever --root-dir says), the pod
# log folders, libcni's result cache (go-cni in containerd has no option for it), and
# containerd's shim sockets and runc state (/run/containerd/s, /run/containerd/runc). Each one
# absent now is created-paths, removed at stop; the node's entries in those that exist are
# removed at stop too (kubelet-folders: what the kubelet's folders held before it).
: >"$state/created-paths"
for path in /var/lib/kubelet /var/lib/kubelet/device-plugins /var/log/pods /var/log/containers \
  /var/lib/cni /var/lib/cni/results /run/containerd /run/containerd/s /run/containerd/runc /run/containerd/runc/k8s.io; do
  [ -e "$path" ] || echo "$path" >>"$state/created-paths"
done
: >"$state/kubelet-folders"
for folder in /var/lib/kubelet/device-plugins /var/log/pods /var/log/containers; do
  [ -d "$folder" ] || continue
  echo "$folder/"
  find "$folder" -mindepth 1 -maxdepth 1
done >"$state/kubelet-folders"

# shellcheck disable=SC1091
. "$plane/env"
cat >"$state/kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: omjob-real
  cluster: {server: "$KUBE_API_URL", certificate-authority: "$KUBE_API_CA"}
users:
- name: node
  user: {token: "$KUBE_API_TOKEN"}
contexts:
- name: omjob-real
  context: {cluster: omjob-real, user: node}
current-context: omjob-real
KUBECONFIG

spawn() { # name, then the command; logs to logs/NAME.log, pid to pids/NAME
  local name=$1; shift
  nohup "$@" >>"$state/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$state/pids/$name"
}
alive() { kill -0 "$(cat "$state/pids/$1")" 2>/dev/null; }
wait_for() { # name, seconds, command...
  local name=$1 seconds=$2; shift 2
  local deadline=$((SECONDS + seconds))
  while [ $SECONDS -lt $deadline ]; do
    alive "$name" || { tail -20 "$state/logs/$name.log" >&2; return 1; }
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  tail -20 "$state/logs/$name.log" >&2
  return 1
}

# containerd: everything private to this node. restrict_oom_score_adj: without
# CAP_SYS_RESOURCE (containers, VMs like CI's) runc cannot give the sandbox its -998 and every
# pod fails with "can't get final child's PID from pipe: EOF". The stream server takes a free
# port (its default, 10010, is fixed). Network namespaces live under the state folder, so
# stop.sh finds and removes every one.
sock="$state/containerd/containerd.sock"
cat >"$state/containerd/config.toml" <<TOML
version = 2
root = "$state/containerd/root"
state = "$state/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = "$sock"
[ttrpc]
  address = "$sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$state/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "localhost/omjob-pause:1"
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$state/cni/net.d"
TOML
# A bridge of its own, no gateway and no masquerade: pods need no network here, and
# isGateway/ipMasq would turn on ip_forward and add iptables rules on the machine. The bridge
# is made here and given the node's address: the kubelet refuses a loopback node IP (the node
# would have no address, and the API server could not reach it for pods/log), and this one
# exists only on this machine.
node_ip=10.250.77.1
ip link add omjob-cni0 type bridge
ip addr add "$node_ip/24" dev omjob-cni0
ip link set omjob-cni0 up
cat >"$state/cni/net.d/10-omjob.conflist" <<CNI
{"cniVersion": "0.4.0", "name": "omjob-node", "plugins": [{"type": "bridge", "bridge": "omjob-cni0",
 "isGateway": false, "ipMasq": false, "ipam": {"type": "host-local",
 "ranges": [[{"subnet": "10.250.77.0/24", "rangeStart": "10.250.77.10"}]], "dataDir": "$state/cni/ipam"}}]}
CNI
spawn containerd containerd --config "$state/containerd/config.toml"
wait_for containerd 30 ctr --address "$sock" version || node_die "containerd did not start"

python3 "$here/image/build.py" "$state/images.tar" >/dev/null
ctr --address "$sock" -n k8s.io images import "$state/images.tar" >"$state/logs/images.log" 2>&1 ||
  { cat "$state/logs/images.log" >&2; node_die "ctr could not import the local images"; }
rm -f "$state/images.tar"

spawn kube-scheduler "$NODE_BIN/kube-scheduler" --kubeconfig "$state/kubeconfig" \
  --port 0 --secure-port 0 --leader-elect=false --logtostderr -v 0

# The kubelet: API rate limits raised (the defaults, 5/10, made a 30-pod burst 3 times
# slower), no iptables chains, no image GC (the images cannot be pulled again), eviction
# thresholds low (a shared CI disk must not evict the scenarios' pods), its own cgroup root, a
# free port for logs and exec on the node's address, leases
# every 2 s so that a short --node-monitor-grace-period (control plane) sees it alive.
# The kubelet wants its cgroup root to exist in every hierarchy; stop.sh removes it.
for controller in /sys/fs/cgroup/*/; do
  [ -e "$controller/cgroup.procs" ] && [ "$controller" != /sys/fs/cgroup/unified/ ] && mkdir -p "$controller/omjob-node"
done
kubelet_port=$(python3 -c 'import socket,sys; s=socket.socket(); s.bind((sys.argv[1],0)); print(s.getsockname()[1])' "$node_ip")
cat >"$state/kubelet/config.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $node_ip
port: $kubelet_port
readOnlyPort: 0
healthzPort: 0
authentication: {anonymous: {enabled: true}, webhook: {enabled: false}}
authorization: {mode: AlwaysAllow}
cgroupDriver: cgroupfs
cgroupRoot: /omjob-node
failSwapOn: false
oomScoreAdj: 0
kubeAPIQPS: 50
kubeAPIBurst: 100
serializeImagePulls: false
makeIPTablesUtilChains: false
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: "1Mi", nodefs.available: "1%", imagefs.available: "1%", nodefs.inodesFree: "1%"}
nodeStatusUpdateFrequency: 2s
nodeStatusReportFrequency: 10s
nodeLeaseDurationSeconds: 8
volumeStatsAggPeriod: 2s
YAML
cat >"$state/kubelet/run" <<RUN
#!/bin/sh
exec "$NODE_BIN/kubelet" --config "$state/kubelet/config.yaml" --kubeconfig "$state/kubeconfig" \\
  --container-runtime remote --container-runtime-endpoint "unix://$sock" --containerd "$sock" \\
  --root-dir "$state/kubelet/root" --cert-dir "$state/kubelet/pki" \\
  --hostname-override "$node_name" --node-ip "$node_ip" --logtostderr -v 1
RUN
chmod +x "$state/kubelet/run"
# A Node left by an earlier run of this name would look Ready at once: registered afresh.
api() { curl -fsS --cacert "$KUBE_API_CA" -H "Authorization: Bearer $KUBE_API_TOKEN" "$@"; }
api -X DELETE "$KUBE_API_URL/api/v1/nodes/$node_name" >/dev/null 2>&1 || true
spawn kubelet "$state/kubelet/run"

node_ready() {
  api "$KUBE_API_URL/api/v1/nodes/$node_name" |
    python3 -c 'import json,sys; c=[x for x in json.load(sys.stdin)["status"].get("conditions",[]) if x["type"]=="Ready"]; sys.exit(0 if c and c[0]["status"]=="True" else 1)'
}
wait_for kubelet 90 node_ready || node_die "node $node_name did not become Ready (kubelet log: $state/logs/kubelet.log)"

cat >"$state/env" <<ENV
# Written by scripts/node/start.sh; source it.
export OMJOB_NODE_STATE="$state"
export OMJOB_NODE_NAME="$node_name"
export OMJOB_NODE_CONTAINERD="$sock"
ENV
ended=$(date +%s.%N)
python3 -c "import sys; print(f'real-node: {sys.argv[1]} Ready in {float(sys.argv[3]) - float(sys.argv[2]):.1f}s')" "$node_name" "$started" "$ended" >&2
ok=1
echo "$state"
