#!/usr/bin/env bash
# The operator tree's CPU as a count that does not depend on the machine's load: instructions
# executed (valgrind's callgrind, Ir) by the supervisor and every worker it spawns while
# omjob-bench runs a fixed workload on kubesim. Wall-clock CPU figures on a shared 2-core
# machine move by tens of percent between runs; this count moves by about a percent, so a
# change to a per-event path can be judged with it.
#
#   scripts/bench-instructions.sh [--bin DIR] [--runs N] [--keep DIR]
#     --bin DIR        the operator's executables (default .build/release; .build-release/image
#                      for the image's layout); omjob-bench is .build/release's, or $OMJOB_BENCH
#     --runs N         OMJobs run (default 200, all in flight at once, burst schedule)
#     --keep DIR       keep the callgrind files there (callgrind_annotate them for a profile)
#
# Two workloads run, each in a fresh tree: 1 OMJob (start, ready, idle, one run, stop) and N;
# instructions per run = (instructions with N − instructions with 1) / (N − 1), so the start-up
# and the fixed idle time are not counted as work. Prints one line per role and the figure.
# Needs valgrind (scripts/install-deps.sh --bench installs it). Slow: the tree runs ~50× slower.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=.build/release
runs=200
keep=""
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) bin="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "bench-instructions: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
bench="${OMJOB_BENCH:-.build/release/omjob-bench}"
command -v valgrind >/dev/null || { echo "bench-instructions: valgrind is not installed (scripts/install-deps.sh --bench)" >&2; exit 1; }
[ -x "$bench" ] || { echo "bench-instructions: no $bench (swift build -c release makes it)" >&2; exit 1; }
[ -x "$bin/omjob-supervisor" ] || { echo "bench-instructions: no $bin/omjob-supervisor" >&2; exit 1; }
bin="$(cd "$bin" && pwd)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# valgrind 3.19 (Debian bookworm's) cannot read the DWARF 5 that Swift writes: it runs copies
# without debug information (the symbol table, which names the functions, stays).
mkdir -p "$work/bin"
cp -a "$bin"/omjob* "$work/bin/"
for file in "$work/bin"/omjob*; do
  if [ -f "$file" ] && [ ! -L "$file" ]; then strip --strip-debug "$file"; fi
done
bin="$work/bin"

# omjob-bench starts "$OMJOB_BIN_DIR/omjob-supervisor": here a wrapper that runs the real one
# under callgrind. The supervisor finds its workers beside its own executable (/proc/self/exe,
# which valgrind reports as the real binary's), and --trace-children puts them under callgrind too.
# The tree's environment is omjob-bench's own, so the wrapper finds its output directory by
# its own place: <measure>/wrap/omjob-supervisor writes into <measure>.
wrapper() {  # wrapper MEASURE_DIR
  mkdir -p "$1/wrap"
  {
    echo '#!/bin/sh'
    echo 'out="$(dirname "$0")/.."'
    echo 'exec valgrind --tool=callgrind --trace-children=yes --dump-instr=no --dump-line=no \'
    echo '  --callgrind-out-file="$out/callgrind.out.%p" --log-file="$out/valgrind.%p.log" \'
    echo "  \"$bin/omjob-supervisor\" \"\$@\""
  } >"$1/wrap/omjob-supervisor"
  chmod +x "$1/wrap/omjob-supervisor"
}

# measure NAME RUNS: runs the workload, prints "role instructions" per process, then "total N".
measure() {
  local out="$work/$1"
  mkdir -p "$out"
  # The burst only (all runs in flight, started together); no ready phase with many OMJobs.
  # Workers under callgrind take seconds to stop (the counts are written at exit): the grace
  # stays below the 15 s after which omjob-bench kills the tree.
  wrapper "$out"
  # callgrind writes a process's counts when it exits, and a worker still stopping when
  # omjob-bench's 15 s are up is killed: so every process's counts are also dumped every few
  # seconds (callgrind_control; each dump holds the counts since the previous one), and at
  # worst the last seconds of a killed process's shutdown are missing.
  (
    while [ ! -e "$out/done" ]; do
      for file in "$out"/valgrind.*.log; do
        [ -e "$file" ] || continue
        pid="${file##*/valgrind.}"; pid="${pid%.log}"
        kill -0 "$pid" 2>/dev/null && { callgrind_control -d "$pid" >/dev/null 2>&1 & }
      done
      wait
      sleep 3
    done
  ) &
  local dumper=$!
  local workload=(--runs "$2" --in-flight "$2" --run-spread 0 --ready-om-jobs 0)
  OMJOB_BIN_DIR="$out/wrap" "$bench" "${workload[@]}" \
    --setting SHUTDOWN_GRACE_SECONDS=12 --output "$out/bench.json" >"$out/bench.log" 2>&1 \
    || { touch "$out/done"; echo "bench-instructions: omjob-bench failed ($1), its output:" >&2; tail -n 40 "$out/bench.log" >&2; exit 1; }
  local file pid role ir
  for _ in $(seq 300); do
    local alive=0
    for file in "$out"/valgrind.*.log; do
      pid="${file##*/valgrind.}"; pid="${pid%.log}"
      kill -0 "$pid" 2>/dev/null && alive=1
    done
    [ "$alive" = 0 ] && break
    sleep 0.2
  done
  touch "$out/done"
  wait "$dumper" || true
  for file in "$out"/callgrind.out.*; do
    role="$(sed -n 's/^cmd: *\([^ ]*\).*/\1/p' "$file" | head -n 1)"
    ir="$(sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$file" | head -n 1)"
    [ -n "$ir" ] || ir="$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$file" | head -n 1)"
    if [ -n "$role" ]; then echo "$(basename "$role") ${ir:-0}"; fi
  done | sort | awk '{ sum[$1] += $2; n[$1]++ } END { for (r in sum) printf "%s %d %.0f\n", r, n[r], sum[r] }' | sort >"$out/roles"
  [ -s "$out/roles" ] || { echo "bench-instructions: no callgrind output ($1)" >&2; exit 1; }
  [ -z "$keep" ] || { mkdir -p "$keep/$1"; cp "$out"/callgrind.out.* "$out"/valgrind.*.log "$out/bench.log" "$keep/$1/"; }
}

# omjob-bench refuses --runs 0: the baseline workload is one run, hence runs − 1 below.
measure idle 1
measure work "$runs"

echo "bench-instructions: $bin, $runs runs in flight at once (burst), instructions (callgrind Ir)"
printf '%-20s %16s %16s %14s\n' role idle+1run "with $runs runs" "per run"
join -a 2 -e 0 -o 0,1.3,2.3 "$work/idle/roles" "$work/work/roles" | while read -r role idle work; do
  printf '%-20s %16d %16d %14d\n' "$role" "$idle" "$work" $(( (work - idle) / (runs - 1) ))
done
idle_total=$(awk '{ s += $3 } END { printf "%.0f", s }' "$work/idle/roles")
work_total=$(awk '{ s += $3 } END { printf "%.0f", s }' "$work/work/roles")
printf '%-20s %16d %16d %14d\n' tree "$idle_total" "$work_total" $(( (work_total - idle_total) / (runs - 1) ))
echo "instructions per run: $(( (work_total - idle_total) / (runs - 1) ))"
