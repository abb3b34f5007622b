#!/usr/bin/env bash
# Stops the control plane started by start.sh STATE_DIR: each process by its own pid (never by
# name: other control planes may run on the same host), controller manager first, etcd last;
# SIGTERM, then SIGKILL after 10 s. Removes etcd's data; keeps the logs in STATE_DIR/logs.
#
# Usage: stop.sh STATE_DIR
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/lib.sh"
state=${1:?usage: stop.sh STATE_DIR}
[ -d "$state/pids" ] || { cp_log "nothing to stop in $state"; exit 0; }

# The pid is ours only if that process still runs the program we started (pids are reused).
owned() { # pidfile, program name
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 1
  [ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$2"
}

for name in kube-controller-manager kube-apiserver etcd; do
  file="$state/pids/$name"
  [ -f "$file" ] || continue
  if owned "$file" "$name"; then
    pid=$(cat "$file")
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      cp_log "$name ($pid) ignored SIGTERM for 10s; SIGKILL"
      kill -KILL "$pid" 2>/dev/null
    fi
  fi
  rm -f "$file"
done
rmdir "$state/pids" 2>/dev/null
if [ -f "$state/etcd-data-dir" ]; then
  rm -rf "$(cat "$state/etcd-data-dir")"
  rm -f "$state/etcd-data-dir"
fi
cp_log "stopped ($state)"
