#!/usr/bin/env bash
# Checks the Dockerfile without a Docker engine (so that CI needs none):
#   scripts/check-image-build.sh           check the binaries already built:
#                                          .build-release/image (a release build) if present,
#                                          else .build/debug (Swift runtime shared there, so
#                                          only the C libraries are compared: fast, for CI)
#   scripts/check-image-build.sh --build   first run the Dockerfile's own build step,
#                                          scripts/build-release.sh (release,
#                                          --static-swift-stdlib; slow: minutes), then check
# What is checked: scripts/image/check_image.py (ldd and readelf of every binary against the
# runtime stage's package list, the build step, the entrypoint, the user).
set -euo pipefail
cd "$(dirname "$0")/.."

release_out=.build-release/image
if [ "${1:-}" = "--build" ]; then
  start=$(date +%s)
  scripts/build-release.sh "$release_out" .build-release
  echo "check-image-build: release build took $(( $(date +%s) - start )) s"
fi

if [ -x "$release_out/omjob-supervisor" ]; then
  echo "check-image-build: release binaries in $release_out ($(du -ch "$release_out"/omjob* | tail -n 1 | cut -f1) in all)"
  exec python3 scripts/image/check_image.py Dockerfile "$release_out"
elif [ -x .build/debug/omjob-supervisor ]; then
  echo "check-image-build: debug binaries (.build/debug): C libraries only; --build checks the static Swift runtime too"
  exec python3 scripts/image/check_image.py Dockerfile .build/debug --swift-runtime-shared
fi
echo "check-image-build: no binaries: run 'swift build' or '$0 --build'" >&2
exit 1
