#!/usr/bin/env bash
# Stops the node started by start.sh NODE_STATE and undoes what it changed on the machine:
# kubelet and kube-scheduler (by pid), every container and sandbox (SIGKILL through ctr), the
# containerd shims of this containerd (by pid, found by its socket in their command line),
# containerd, every mount under NODE_STATE (network namespaces, rootfs, the kubelet's own bind
# mount), the cgroups under /omjob-node, the CNI bridge, the sysctls the kubelet set, the fixed
# host paths start.sh found absent (/var/lib/kubelet and its device-plugins folder,
# /var/log/pods, /var/log/containers, /var/lib/cni, /run/containerd and its s and runc), and,
# in those that existed, what the node put there (libcni's cached results of its pod sandboxes,
# the kubelet's new entries). Keeps NODE_STATE/logs.
#
# Usage: stop.sh NODE_STATE
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/lib.sh"
state=${1:?usage: stop.sh NODE_STATE}
[ -d "$state/pids" ] || { node_log "nothing to stop in $state"; exit 0; }
state="$(cd "$state" && pwd)"
sock="$state/containerd/containerd.sock"

# The pid is ours only if that process still runs the program we started (pids are reused).
owned() { # pidfile, program name
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 1
  [ -n "$pid" ] && { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -q -- "$2"
}
stop_pid() { # pid, name: SIGTERM, SIGKILL after 10 s
  local pid=$1 name=$2
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  node_log "$name ($pid) ignored SIGTERM for 10s; SIGKILL"
  kill -KILL "$pid" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
}
stop_named() { # name
  local file="$state/pids/$1"
  [ -f "$file" ] || return 0
  owned "$file" "$1" && stop_pid "$(cat "$file")" "$1"
  rm -f "$file"
}

stop_named kubelet
stop_named kube-scheduler

# This node's containers and pod sandboxes: libcni caches a result per sandbox in /var/lib/cni,
# and a sandbox killed here never gets the CNI DEL that removes it.
sandboxes=$(ls "$state/containerd/root/io.containerd.grpc.v1.cri/sandboxes" 2>/dev/null)
if [ -f "$state/pids/containerd" ] && owned "$state/pids/containerd" containerd; then
  ctr=(ctr --address "$sock" -n k8s.io --timeout 10s)
  sandboxes="$sandboxes $("${ctr[@]}" containers ls -q 2>/dev/null)"
  for id in $("${ctr[@]}" tasks ls -q 2>/dev/null); do
    "${ctr[@]}" tasks kill -a -s SIGKILL "$id" >/dev/null 2>&1
  done
  for id in $("${ctr[@]}" tasks ls -q 2>/dev/null); do
    for _ in $(seq 50); do "${ctr[@]}" tasks delete "$id" >/dev/null 2>&1 && break; sleep 0.1; done
  done
  for id in $("${ctr[@]}" containers ls -q 2>/dev/null); do
    "${ctr[@]}" containers delete "$id" >/dev/null 2>&1
  done
fi
stop_named containerd
# Shims outlive containerd by design; these are this node's (their -address is its socket).
for proc in /proc/[0-9]*; do
  cmd=$({ tr '\0' ' ' <"$proc/cmdline"; } 2>/dev/null) || continue
  case "$cmd" in
    *containerd-shim*"-address $sock "*) stop_pid "${proc#/proc/}" containerd-shim ;;
  esac
done

# Deepest first; lazily if still busy.
mounts() { awk -v p="$state/" 'index($2, p) == 1 { print $2 }' /proc/self/mounts | sort -r; }
for _ in 1 2 3; do
  for m in $(mounts); do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null; done
done
awk -v p="$state" '$2 == p { exit 1 }' /proc/self/mounts || umount "$state" 2>/dev/null || umount -l "$state" 2>/dev/null
[ -z "$(mounts)" ] || node_log "WARNING: still mounted: $(mounts | tr '\n' ' ')"

for controller in /sys/fs/cgroup/*/; do
  [ -d "$controller/omjob-node" ] || continue
  find "$controller/omjob-node" -depth -type d -exec rmdir {} + 2>/dev/null
  [ -d "$controller/omjob-node" ] && node_log "WARNING: cgroup $controller/omjob-node still holds processes"
done

ip link show omjob-cni0 >/dev/null 2>&1 && ip link delete omjob-cni0

if [ -f "$state/sysctls" ]; then
  while IFS== read -r key value; do sysctl -qw "$key=$value" || node_log "WARNING: could not restore $key=$value"; done <"$state/sysctls"
  rm -f "$state/sysctls"
fi
if [ -f "$state/created-paths" ]; then
  while read -r path; do rm -rf "$path"; done <"$state/created-paths"
  rm -f "$state/created-paths"
fi
for id in $sandboxes; do rm -f /var/lib/cni/results/*-"$id"-*; done
# The kubelet's folders that existed before it: whatever was not there then is this node's.
if [ -f "$state/kubelet-folders" ]; then
  grep '/$' "$state/kubelet-folders" | while read -r folder; do
    find "$folder" -mindepth 1 -maxdepth 1 2>/dev/null | while read -r entry; do
      grep -qxF -- "$entry" "$state/kubelet-folders" || rm -rf -- "$entry"
    done
  done
  rm -f "$state/kubelet-folders"
fi

rm -rf "$state/containerd" "$state/kubelet" "$state/cni"
rmdir "$state/pids" 2>/dev/null
[ "$(cat /run/omjob-real-node.owner 2>/dev/null)" = "$state" ] && rm -f /run/omjob-real-node.owner
node_log "stopped ($state)"
