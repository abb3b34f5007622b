#!/usr/bin/env bash
# The memory of the idle operator tree (supervisor, watcher, 2 executors, gc) as the pod's
# accounting sees it: the sum of each process's PSS (/proc/PID/smaps_rollup), RSS beside it.
# Runs the real roles against a debug kubesim with no objects, waits for /ready, then 5 s.
#   scripts/tree-footprint.sh [BIN_DIR]   BIN_DIR holds omjob-supervisor and its workers:
#                                         .build-release/image (scripts/check-image-build.sh --build,
#                                         the image's layout) by default
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-.build-release/image}"
kubesim=.build/debug/kubesim
[ -x "$bin/omjob-supervisor" ] || { echo "tree-footprint: no $bin/omjob-supervisor (scripts/check-image-build.sh --build makes it)" >&2; exit 1; }
[ -x "$kubesim" ] || { echo "tree-footprint: no $kubesim (swift build makes it)" >&2; exit 1; }
work="$(mktemp -d)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; sleep 1; rm -rf "$work"; }
trap cleanup EXIT

await() {  # await FILE SED_EXPRESSION: the first match, within 10 s
  for _ in $(seq 100); do value="$(sed -n "$2" "$1" | head -n 1)"; [ -n "$value" ] && { echo "$value"; return; }; sleep 0.1; done
  echo "tree-footprint: nothing matched in $1:" >&2; cat "$1" >&2; exit 1
}

"$kubesim" --port 0 --crds deploy/crds >"$work/kubesim.log" 2>&1 & pids+=($!)
url="$(await "$work/kubesim.log" 's/^kubesim: serving //p')"
printf 'apiVersion: v1\nkind: Config\nclusters: [{name: k, cluster: {server: "%s"}}]\nusers: [{name: u, user: {}}]\ncontexts: [{name: k, context: {cluster: k, user: u}}]\ncurrent-context: k\n' "$url" >"$work/kubeconfig"
env -i PATH=/usr/bin:/bin KUBECONFIG="$work/kubeconfig" OMJOB_RUN_DIR="$work/run" HEALTH_CHECK_PORT=0 \
  EXECUTOR_WORKERS=2 WATCH_NAMESPACES=ALL "$bin/omjob-supervisor" >"$work/operator.log" 2>&1 & supervisor=$!
pids=("$supervisor" "${pids[@]}")
port="$(await "$work/operator.log" 's/.*"health.port":"\([0-9]*\)".*/\1/p')"
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/ready" >/dev/null && break; sleep 0.1; done
sleep 5

total_pss=0 total_rss=0 count=0
for pid in "$supervisor" $(pgrep -P "$supervisor"); do
  pss=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup"); rss=$(awk '/^Rss:/ {print $2}' "/proc/$pid/smaps_rollup")
  awk -v name="$(cat "/proc/$pid/comm")" -v pid="$pid" -v pss="$pss" -v rss="$rss" \
    'BEGIN { printf "  %-18s pid %-7s PSS %6.1f MB  RSS %6.1f MB\n", name, pid, pss / 1024, rss / 1024 }'
  total_pss=$((total_pss + pss)) total_rss=$((total_rss + rss)) count=$((count + 1))
done
awk -v count="$count" -v bin="$bin" -v pss="$total_pss" -v rss="$total_rss" \
  'BEGIN { printf "idle tree of %d processes from %s: PSS %.1f MB (goal <= 48), RSS %.1f MB\n", count, bin, pss / 1024, rss / 1024 }'
