#!/usr/bin/env bash
# Stops or starts only the kubelet of a running node (containers keep running under
# containerd's shims), as when a node's kubelet dies and comes back: the node-loss scenarios.
#
# Usage: kubelet.sh NODE_STATE stop|start
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/lib.sh"
state=${1:?usage: kubelet.sh NODE_STATE stop|start}
[ -x "$state/kubelet/run" ] || node_die "no node in $state"
pidfile="$state/pids/kubelet"
running() { [ -f "$pidfile" ] && { tr '\0' ' ' <"/proc/$(cat "$pidfile")/cmdline"; } 2>/dev/null | grep -q kubelet; }
case "${2:-}" in
  stop)
    running || exit 0
    pid=$(cat "$pidfile")
    kill -TERM "$pid"
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$pidfile"
    ;;
  start)
    running && exit 0
    nohup "$state/kubelet/run" >>"$state/logs/kubelet.log" 2>&1 </dev/null &
    echo $! >"$pidfile"
    ;;
  *) node_die "usage: kubelet.sh NODE_STATE stop|start" ;;
esac
