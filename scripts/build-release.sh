#!/usr/bin/env bash
# The release build of the operator's executables, exactly as the Dockerfile runs it (the
# Dockerfile calls this script, and scripts/check-image-build.sh --build runs it here), so
# the image and the local check cannot build differently.
#   scripts/build-release.sh OUT_DIR [SCRATCH_PATH]   build, strip, copy the binaries to OUT_DIR
#   scripts/build-release.sh --list                   print the executables' names
# The Swift runtime and Foundation are linked statically (--static-swift-stdlib): the image
# then needs only the C libraries of the Dockerfile's runtime stage.
set -euo pipefail
cd "$(dirname "$0")/.."

PRODUCTS=(omjob-supervisor omjob-watcher omjob-executor omjob-gc)
if [ "${1:-}" = "--list" ]; then printf '%s\n' "${PRODUCTS[@]}"; exit 0; fi
out="${1:?usage: scripts/build-release.sh OUT_DIR [SCRATCH_PATH] | --list}"
scratch="${2:-.build}"

for product in "${PRODUCTS[@]}"; do
  swift build -c release --static-swift-stdlib --scratch-path "$scratch" --product "$product"
done
mkdir -p "$out"
for product in "${PRODUCTS[@]}"; do
  install -m 0755 "$scratch/release/$product" "$out/$product"
  # Symbols are for debugging a build, not for running one: about 40% of each binary.
  strip --strip-unneeded "$out/$product"
done
