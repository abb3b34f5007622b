#!/usr/bin/env bash
# The README's first command (`make sandbox`): the whole operator on a laptop, no cluster needed.
#  1. installs the Debian packages that are missing (scripts/install-deps.sh --sandbox), builds;
#  2. starts kubesim (the repository's API-server simulator) on a free loopback port with the CRDs
#     of deploy/crds and its local runtime (a pod's command really runs here; images are ignored);
#  3. writes a throwaway kubeconfig and starts omjob-supervisor (watcher, executors, gc) against it,
#     its health port on a free port;
#  4. scripts/sandbox/drive.py applies examples/, performs each example's action when its main pod
#     runs (delete the OMJob, delete the main pod, OOM-kill it through kubesim's control endpoint),
#     prints progress live and ends with a table: phase, reason, what each exit handler printed.
# Interactive: after the table everything keeps running for kubectl until Ctrl-C.
# --check (or SANDBOX_NONINTERACTIVE=1): exits 1 unless every run ended as its example's
# annotations expect and its exit handler ran exactly once. Ctrl-C stops every process it started.
# Settings: OMJOB_BIN_DIR (use built binaries, skip install and build), SANDBOX_TIMEOUT (240 s),
# SANDBOX_CRON_TIMEOUT (100 s: how long to wait for the CronOMJob's first run).
# --real-node: the same examples on the project's real kube-apiserver v1.20.2 and a real node
# (kubelet, containerd, runc: scripts/node; root, Linux with cgroup v1), the examples' shell
# commands run by a busybox test image (scripts/node/sandbox_examples.py says what changes).
set -euo pipefail
cd "$(dirname "$0")/.."

check="${SANDBOX_NONINTERACTIVE:-}"
real_node=""
for arg in "$@"; do
  case "$arg" in
    --check) check=1 ;;
    --real-node) real_node=1 ;;
    *) echo "usage: scripts/sandbox.sh [--check] [--real-node]" >&2; exit 2 ;;
  esac
done

if [ -z "${OMJOB_BIN_DIR:-}" ]; then
  scripts/install-deps.sh --sandbox
  # etcd, containerd, runc, CNI plugins, busybox-static: the test list has them.
  [ -z "$real_node" ] || scripts/install-deps.sh
  command -v swift >/dev/null || { echo "sandbox: swift (6.3) is not on PATH; install the Swift toolchain first" >&2; exit 1; }
  echo "sandbox: building (swift build; the first time takes a few minutes)"
  swift build >/dev/null
  OMJOB_BIN_DIR="$(swift build --show-bin-path)"
fi
command -v kubectl >/dev/null || { echo "sandbox: kubectl is required (scripts/install-deps.sh --sandbox installs one)" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/omjob-sandbox.XXXXXX")"
pids=()
cleanup() {
  local pid
  [ -n "$real_node" ] && stop_real_node
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do  # reverse start order: operator before its API server
    pid="${pids[$i]}"
    kill -0 "$pid" 2>/dev/null || continue
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'echo; echo "sandbox: stopping"; exit 130' INT TERM

# Waits for a line matching the sed expression in a log; prints the captured group.
await_line() {
  local log="$1" expr="$2" pid="$3" found=""
  for _ in $(seq 1 300); do
    found="$(sed -n "$expr" "$log" | head -1)"
    [ -n "$found" ] && { echo "$found"; return 0; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "sandbox: did not start; its log:" >&2; cat "$log" >&2; return 1
}

# The operator and kubectl proxy are stopped first, then the node, then the control plane.
stop_real_node() {
  local i
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM "${pids[$i]}" 2>/dev/null || true; done
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do wait "${pids[$i]}" 2>/dev/null || true; done
  [ -d "$work/node" ] && scripts/node/stop.sh "$work/node" >/dev/null 2>&1
  [ -d "$work/plane" ] && scripts/control-plane/stop.sh "$work/plane" >/dev/null 2>&1
  pids=()
}

examples=examples
if [ -n "$real_node" ]; then
  reason=$(scripts/node/check.sh) || { echo "sandbox: --real-node cannot run here: $reason" >&2; exit 1; }
  echo "sandbox: starting the real control plane and node (the first time builds Kubernetes: minutes)"
  scripts/control-plane/start.sh "$work/plane" >/dev/null
  scripts/node/start.sh "$work/plane" "$work/node" >/dev/null
  export KUBECONFIG="$work/plane/kubeconfig"
  kubectl apply -f deploy/crds >/dev/null
  kubectl wait --for condition=established --timeout 60s crd/omjobs.pipelines.openmetadata.org crd/cronomjobs.pipelines.openmetadata.org >/dev/null
  # The driver reads the API without credentials: kubectl proxy adds the admin's.
  kubectl proxy --port 0 >"$work/proxy.log" 2>&1 &
  pids+=($!)
  url="http://$(await_line "$work/proxy.log" 's/^Starting to serve on //p' "${pids[0]}")"
  python3 scripts/node/sandbox_examples.py examples "$work/examples"
  examples="$work/examples"
else
"$OMJOB_BIN_DIR/kubesim" --port 0 --crds deploy/crds --local-runtime >"$work/kubesim.log" 2>&1 &
pids+=($!)
url="$(await_line "$work/kubesim.log" 's/^kubesim: serving //p' "${pids[0]}")"

export KUBECONFIG="$work/kubeconfig"
cat >"$KUBECONFIG" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: kubesim
  cluster: {server: "$url"}
users:
- name: sandbox
  user: {}
contexts:
- name: kubesim
  context: {cluster: kubesim, user: sandbox, namespace: default}
current-context: kubesim
YAML
fi

# Short waits so that every ending shows within seconds (defaults suit a real cluster).
env OMJOB_RUN_DIR="$work/run" HEALTH_CHECK_PORT=0 EXECUTOR_WORKERS=2 WATCH_NAMESPACES=ALL \
  OMJOB_DELETION_REPORT_SLACK_SECONDS=1 OMJOB_EXIT_HANDLER_BACKOFF_SECONDS=1 \
  "$OMJOB_BIN_DIR/omjob-supervisor" >"$work/operator.log" 2>&1 &
pids+=($!)
health="$(await_line "$work/operator.log" 's/.*"health.port":"\([0-9]*\)".*/\1/p' "${pids[1]}")"
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$health/ready" >/dev/null && break
  kill -0 "${pids[1]}" 2>/dev/null || { cat "$work/operator.log" >&2; exit 1; }
  sleep 0.1
done

if [ -n "$real_node" ]; then
  echo "sandbox: kube-apiserver v1.20.2 + node $(. "$work/node/env"; echo "$OMJOB_NODE_NAME") (kubectl proxy $url); operator /ready /metrics /info on http://127.0.0.1:$health"
else
  echo "sandbox: kubesim $url; operator /ready /metrics /info on http://127.0.0.1:$health"
fi
echo "sandbox: pids $([ -n "$real_node" ] && echo kubectl-proxy || echo kubesim)=${pids[0]} operator=${pids[1]}"
echo "sandbox: export KUBECONFIG=$KUBECONFIG   # to look with kubectl; logs in $work"
echo

drive=(python3 scripts/sandbox/drive.py --server "$url" --examples "$examples"
       --timeout "${SANDBOX_TIMEOUT:-240}" --cron-timeout "${SANDBOX_CRON_TIMEOUT:-100}")
if [ -n "$check" ]; then
  status=0
  "${drive[@]}" --check || status=$?
  [ "$status" -eq 0 ] || { echo "sandbox: operator log tail:" >&2; tail -40 "$work/operator.log" >&2; }
  exit "$status"
fi
"${drive[@]}"
kubectl get omjobs -A
echo
echo "sandbox: still running; in another shell: export KUBECONFIG=$KUBECONFIG; kubectl get omjobs,pods -A"
echo "sandbox: press Ctrl-C to stop"
wait "${pids[0]}"
