#!/usr/bin/env bash
# The release build of the operator's executables, exactly as the Dockerfile runs it (the
# Dockerfile calls this script, and scripts/check-image-build.sh --build runs it here), so
# the image and the local check cannot build differently.
#   scripts/build-release.sh OUT_DIR [SCRATCH_PATH]   build, strip, copy the binaries to OUT_DIR
#   scripts/build-release.sh --list                   print the executables' names
#   scripts/build-release.sh --links                  print the names OUT_DIR links to omjob
# The Swift runtime and Foundation are linked statically (--static-swift-stdlib): the image
# then needs only the C libraries of the Dockerfile's runtime stage.
set -euo pipefail
cd "$(dirname "$0")/.."

# One multi-call executable, `omjob`, and a link per role: the processes of the pod share one
# mapped copy of the static Swift runtime and Foundation, and the image holds it once.
PROGRAM=omjob
ROLES=(omjob-supervisor omjob-watcher omjob-executor omjob-gc)
# kubectl-omjob: the command line for people (`kubectl omjob …` finds it on PATH), the same
# program under another name; not a role, so not listed: a debug build has no such product.
LINKS=("${ROLES[@]}" kubectl-omjob)
if [ "${1:-}" = "--list" ]; then printf '%s\n' "$PROGRAM" "${ROLES[@]}"; exit 0; fi
if [ "${1:-}" = "--links" ]; then printf '%s\n' "${LINKS[@]}"; exit 0; fi
out="${1:?usage: scripts/build-release.sh OUT_DIR [SCRATCH_PATH] | --list | --links}"
scratch="${2:-.build}"

swift build -c release --static-swift-stdlib --scratch-path "$scratch" --product "$PROGRAM"
mkdir -p "$out"
install -m 0755 "$scratch/release/$PROGRAM" "$out/$PROGRAM"
# Symbols are for debugging a build, not for running one: about 40% of the binary.
strip --strip-unneeded "$out/$PROGRAM"
for link in "${LINKS[@]}"; do
  # Relative, so the links stay right wherever the folder is copied (the image's /usr/local/bin).
  ln -sf "$PROGRAM" "$out/$link"
done
