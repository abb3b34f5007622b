#!/usr/bin/env bash
# Applies deploy/crds/ and the given custom resources to a real kubesim with kubectl, then
# reads them back and fails if a field was pruned (structural schema), rejected (validation)
# or changed: what a real API server would do to an OMJob our CRD does not describe.
# Starts its own kubesim on an ephemeral port and stops it on exit.
#   scripts/manifests/apply-to-kubesim.sh FILE...       (KUBESIM, KUBECTL override the tools)
set -euo pipefail
cd "$(dirname "$0")/../.."

KUBESIM="${KUBESIM:-.build/debug/kubesim}"
KUBECTL="${KUBECTL:-kubectl}"
work="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "apply-to-kubesim: FAILED: $*" >&2; [ -f "$work/kubesim.log" ] && tail -n 20 "$work/kubesim.log" >&2; exit 1; }

[ -x "$KUBESIM" ] || fail "$KUBESIM is not built (swift build)"
# No --token: kubectl sends no bearer token over plain HTTP, and this kubesim is on loopback
# for the few seconds of the check.
"$KUBESIM" --port 0 > "$work/kubesim.log" 2>&1 &
pid=$!
url=""
for _ in $(seq 300); do
  url="$(sed -n 's/^kubesim: serving //p' "$work/kubesim.log")"
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || fail "kubesim exited at start"
  sleep 0.1
done
[ -n "$url" ] || fail "kubesim did not say where it serves within 30 s"

cat > "$work/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters: [{name: kubesim, cluster: {server: "$url"}}]
users: [{name: kubesim, user: {}}]
contexts: [{name: kubesim, context: {cluster: kubesim, user: kubesim, namespace: default}}]
current-context: kubesim
EOF
k() { "$KUBECTL" --kubeconfig "$work/kubeconfig" --request-timeout=20s "$@"; }

k apply -f deploy/crds/ >/dev/null || fail "kubectl apply -f deploy/crds/"
for _ in $(seq 100); do
  k get omjobs,cronomjobs -A >/dev/null 2>&1 && break
  sleep 0.1
done
for ns in $(python3 -c '
import sys, yaml
names = {(d.get("metadata") or {}).get("namespace", "default") for f in sys.argv[1:] for d in yaml.safe_load_all(open(f)) if d}
print(" ".join(sorted(names)))' "$@"); do
  k get namespace "$ns" >/dev/null 2>&1 || k create namespace "$ns" >/dev/null || fail "create namespace $ns"
done
# --validate=false: no fieldValidation parameter, as OpenMetadata's Java client sends none, so
# an undeclared field is pruned silently (as a real API server does) and found missing below.
for file in "$@"; do
  k create --validate=false -f "$file" >/dev/null || fail "kubesim rejected $file"
done
k get omjobs,cronomjobs -A -o json > "$work/stored.json" || fail "read back"
cat "$@" | sed 's/^---$//; 1!s/^apiVersion:/---\napiVersion:/' > "$work/submitted.yaml"
python3 scripts/manifests/stored_matches.py "$work/submitted.yaml" "$work/stored.json" || fail "fields lost on the way through kubesim"
echo "apply-to-kubesim: $# files created on kubesim ($url) and read back whole"
