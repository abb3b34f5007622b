#!/usr/bin/env bash
# The README's first command: the operator end to end on kubesim (filled in as the issues land).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "sandbox: kubesim and the operator are not wired up yet" >&2
exit 1
