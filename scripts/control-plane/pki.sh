#!/usr/bin/env bash
# Makes the throwaway credentials of one control plane in DIR: a CA, the API server's serving
# certificate for 127.0.0.1/localhost, the service-account signing key pair, and a static token
# file with an admin token (system:masters) and the controller manager's own token (its user
# name is the one the RBAC bootstrap policy grants the controller manager's rights to).
#
# Usage: pki.sh DIR
set -euo pipefail
dir=$1
mkdir -p "$dir"
cd "$dir"
umask 077

quiet() { "$@" 2>/dev/null; }
quiet openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=omjob-throwaway-ca" \
  -keyout ca.key -out ca.crt
quiet openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" \
  -keyout apiserver.key -out apiserver.csr
cat >apiserver.ext <<'EOF'
subjectAltName = IP:127.0.0.1, DNS:localhost, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, IP:10.96.0.1
extendedKeyUsage = serverAuth
keyUsage = digitalSignature, keyEncipherment
EOF
quiet openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
  -extfile apiserver.ext -out apiserver.crt
quiet openssl genrsa -out sa.key 2048
quiet openssl rsa -in sa.key -pubout -out sa.pub

token() { python3 -c 'import secrets; print(secrets.token_hex(16))'; }
token >admin.token
token >kcm.token
cat >tokens.csv <<EOF
$(cat admin.token),admin,uid-admin,system:masters
$(cat kcm.token),system:kube-controller-manager,uid-kcm
EOF
