# Shared settings of the real-node scripts; sourced, never run. The node's binaries sit in the
# control plane's per-machine cache (scripts/control-plane/lib.sh), beside its binaries.
node_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$node_here/../control-plane/lib.sh"

NODE_BIN="$CP_CACHE/node-bin-$K8S_VERSION"

node_log() { printf 'real-node: %s\n' "$*" >&2; }

node_die() {
  printf '\nreal-node: ERROR: %s\n\n' "$*" >&2
  exit 1
}

node_binaries_present() {
  [ -x "$NODE_BIN/kubelet" ] && [ -x "$NODE_BIN/kube-scheduler" ] && [ -f "$NODE_BIN/BUILT" ]
}
