#!/usr/bin/env bash
# Checks the documentation against the repository (links, anchors cited in code, the layers
# table against Package.swift, the generated settings table): scripts/docs/check-docs.py.
# Run by `make test` after the build.
#   scripts/check-docs.sh [--no-settings] [BIN_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 scripts/docs/check-docs.py "$@"
