#!/usr/bin/env bash
# The README's first command (interim version): start kubesim with the CRDs of deploy/crds and its
# local runtime (pods' commands really run here; images are ignored) on a free loopback port,
# point a throwaway kubeconfig at it, run a pod through kubectl and show its phase and log.
# Interactive: keeps kubesim running until Ctrl-C. Non-interactive (CI, pipes): stops at the end.
# The operator itself joins the sandbox when its roles land.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --product kubesim >/dev/null
bin="$(swift build --product kubesim --show-bin-path)/kubesim"

work="$(mktemp -d "${TMPDIR:-/tmp}/omjob-sandbox.XXXXXX")"
sim_pid=""
cleanup() {
  if [ -n "$sim_pid" ] && kill -0 "$sim_pid" 2>/dev/null; then
    kill -TERM "$sim_pid" 2>/dev/null || true
    wait "$sim_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$bin" --port 0 --crds deploy/crds --local-runtime >"$work/kubesim.log" 2>&1 &
sim_pid=$!

url=""
for _ in $(seq 1 100); do
  url="$(sed -n 's/^kubesim: serving //p' "$work/kubesim.log")"
  [ -n "$url" ] && break
  kill -0 "$sim_pid" 2>/dev/null || { cat "$work/kubesim.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "sandbox: kubesim did not start" >&2; cat "$work/kubesim.log" >&2; exit 1; }

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

if ! command -v kubectl >/dev/null; then
  echo "sandbox: kubectl not found; kubesim answers at $url (curl $url/version)"
  curl -s "$url/version"; echo
  exit 0
fi

run() { echo "\$ $*"; "$@"; echo; }
echo "sandbox: kubesim serving $url (KUBECONFIG=$KUBECONFIG)"
echo
run kubectl get --raw /version
run kubectl get nodes
cat >"$work/pod.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: hello
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox:1.36
    command: ["sh", "-c", "echo hello from pod $POD_NAME on $NODE; uname -s"]
    env:
    - name: POD_NAME
      valueFrom: {fieldRef: {fieldPath: metadata.name}}
    - name: NODE
      valueFrom: {fieldRef: {fieldPath: spec.nodeName}}
YAML
run kubectl apply -f "$work/pod.yaml"
phase=""
for _ in $(seq 1 100); do
  phase="$(kubectl get pod hello -o jsonpath='{.status.phase}')"
  case "$phase" in Succeeded|Failed) break ;; esac
  sleep 0.1
done
echo "\$ kubectl get pod hello -o jsonpath='{.status.phase}'"
echo "$phase"; echo
run kubectl get pod hello
run kubectl logs hello
[ "$phase" = Succeeded ] || { echo "sandbox: pod hello ended $phase" >&2; cat "$work/kubesim.log" >&2; exit 1; }
cat >"$work/omjob.yaml" <<'YAML'
apiVersion: pipelines.openmetadata.org/v1
kind: OMJob
metadata:
  name: sample-ingestion
  labels:
    app.kubernetes.io/pipeline: sample
spec:
  mainPodSpec:
    image: openmetadata/ingestion:1.5.0
    serviceAccountName: openmetadata-ingestion
    command: ["python", "-c", "print('ingesting')"]
  exitHandlerSpec:
    image: openmetadata/ingestion:1.5.0
    command: ["python", "exit_handler.py"]
YAML
run kubectl apply -f "$work/omjob.yaml"
run kubectl get omjobs

if [ -t 0 ]; then
  echo "sandbox: kubesim keeps running; in another shell: export KUBECONFIG=$KUBECONFIG"
  echo "sandbox: press Ctrl-C to stop"
  wait "$sim_pid"
fi
