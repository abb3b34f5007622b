#!/usr/bin/env bash
# Proves the controller manager's garbage collector is running: a ConfigMap owned by another
# ConfigMap disappears after its owner is deleted. Uses $KUBECONFIG. Exits 0 once proven.
#
# Usage: gc-probe.sh STATE_DIR [SECONDS]
set -euo pipefail
state=$1
seconds=${2:-90}
ns=kube-system
name="gc-probe-$$"
kubectl=(kubectl --request-timeout=10s -n "$ns")

"${kubectl[@]}" create configmap "$name-owner" >/dev/null
uid=$("${kubectl[@]}" get configmap "$name-owner" -o jsonpath='{.metadata.uid}')
"${kubectl[@]}" apply -f - >/dev/null <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: $name-dependent
  ownerReferences:
  - {apiVersion: v1, kind: ConfigMap, name: $name-owner, uid: $uid}
EOF
"${kubectl[@]}" delete configmap "$name-owner" --wait=false >/dev/null
deadline=$((SECONDS + seconds))
while [ $SECONDS -lt $deadline ]; do
  # Empty output with exit 0 means NotFound; a failed request is not taken as success.
  if out=$("${kubectl[@]}" get configmap "$name-dependent" --ignore-not-found -o name) && [ -z "$out" ]; then
    exit 0
  fi
  kill -0 "$(cat "$state/pids/kube-controller-manager")" 2>/dev/null || {
    tail -20 "$state/logs/kube-controller-manager.log" >&2
    exit 1
  }
  sleep 0.5
done
tail -20 "$state/logs/kube-controller-manager.log" >&2
exit 1
