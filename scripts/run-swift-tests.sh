#!/usr/bin/env bash
# The Swift half of `make test`: builds the test products, runs `swift test` with a time bound,
# and leaves no process of this checkout behind, whatever the tests did.
#
# Why a script and not a bare `swift test`: SwiftPM reads the test process's output through a
# pipe until EOF. If the test process dies while a process it started still holds that pipe,
# `swift test` waits for ever and CI only ends at the harness's limit. Tests give their
# children their own stdout/stderr, but the bound and the sweep below make sure a mistake there
# (or a crash) ends CI with a clear message in minutes instead.
#   SWIFT_TEST_TIME_LIMIT   seconds each `swift test` run may take (default 1200)
#   SWIFT_TEST_ARGS         arguments for one `swift test` run instead of the two below (for
#                           example `--filter KubeSimTests`)
# Three runs: everything but the ending scenarios (on kubesim, the real server, every install
# of `DropInMatrix`, the real node), then those alone, then the two electing trees on the real
# server with their 100 runs (`LeaderElectionOnRealServer`) alone.
# Beside each other their operator trees and API servers load two cores enough to make
# timing-bound tests fail; and the rest of the suite
# (many tests that block a thread while they wait) starved the scenarios, which play the kubelet
# against a deadline.
set -uo pipefail
cd "$(dirname "$0")/.."
swift_cmd="${SWIFT:-swift}"
limit="${SWIFT_TEST_TIME_LIMIT:-1200}"
case "$limit" in ''|*[!0-9]*) echo "run-swift-tests: SWIFT_TEST_TIME_LIMIT must be a number of seconds, got '$limit'" >&2; exit 2 ;; esac

# A crash prints the crashed thread first and alone: CI logs keep only the end of long output,
# and a backtrace of ~200 idle threads pushed the one that mattered out of it.
export SWIFT_BACKTRACE="${SWIFT_BACKTRACE:-enable=yes,interactive=no,threads=crashed,registers=none,images=none,limit=96}"

checkout="$(pwd -P)"
# Every process the tests left: what runs from this checkout's build folders (test binary,
# kubesim, the operator's roles) or carries this run's token in its environment (what the test
# process started and let inherit it: Python fixtures, the control plane, a backtracer), except
# this script and its ancestors. Not "everything whose cwd is the checkout": a developer's shells.
export OMJOB_TEST_SWEEP_TOKEN="run-swift-tests-$$-$(date +%s%N)"
sweep() {
  local keep=" " pid=$$ pids=() exe dir
  while [ "$pid" -gt 1 ] 2>/dev/null; do
    keep+="$pid "
    pid="$(awk '{print $4}' "/proc/$pid/stat" 2>/dev/null)" || break
  done
  for dir in /proc/[0-9]*; do
    pid="${dir#/proc/}"
    case "$keep" in *" $pid "*) continue ;; esac
    exe="$(readlink "$dir/exe" 2>/dev/null)" || continue
    if [[ "$exe" == "$checkout"/.build* ]] \
      || tr '\0' '\n' <"$dir/environ" 2>/dev/null | grep -qxF "OMJOB_TEST_SWEEP_TOKEN=$OMJOB_TEST_SWEEP_TOKEN"; then
      pids+=("$pid")
    fi
  done
  [ ${#pids[@]} -eq 0 ] && return 0
  echo "run-swift-tests: stopping ${#pids[@]} process(es) the tests left running:" >&2
  for pid in "${pids[@]}"; do echo "  $pid $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | cut -c1-160)" >&2; done
  # SIGTERM first: a control plane stops cleanly; SIGKILL for whatever is left after 5 s.
  kill -TERM "${pids[@]}" 2>/dev/null || true
  local alive
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    alive=()
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive+=("$pid"); done
    [ ${#alive[@]} -eq 0 ] && return 0
    sleep 0.5
  done
  kill -KILL "${alive[@]}" 2>/dev/null || true
}

"$swift_cmd" build --build-tests || exit $?

heavy="EndingsOnKubeSim|EndingsOnRealServer|DropInMatrix|EndingsOnRealNode"
alone="LeaderElectionOnRealServer"
run() {
  timeout --kill-after=30 "$limit" "$swift_cmd" test --skip-build "$@"
  local status=$?
  sweep
  if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    echo "run-swift-tests: swift test did not finish within ${limit}s (SWIFT_TEST_TIME_LIMIT) and was stopped" >&2
  fi
  return "$status"
}
if [ -n "${SWIFT_TEST_ARGS:-}" ]; then
  # shellcheck disable=SC2086 # SWIFT_TEST_ARGS is a list of words on purpose
  run ${SWIFT_TEST_ARGS}
  exit $?
fi
run --skip "$heavy|$alone"
first=$?
run --filter "$heavy"
second=$?
run --filter "$alone"
third=$?
[ "$first" -ne 0 ] && exit "$first"
[ "$second" -ne 0 ] && exit "$second"
exit "$third"
