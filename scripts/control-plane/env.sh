#!/usr/bin/env bash
# Prints the environment of a running control plane (for `eval "$(env.sh STATE_DIR)"`).
#
# Usage: env.sh STATE_DIR
set -euo pipefail
state=${1:?usage: env.sh STATE_DIR}
[ -f "$state/env" ] || { echo "control-plane: no control plane in $state" >&2; exit 1; }
cat "$state/env"
