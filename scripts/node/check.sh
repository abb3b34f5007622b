#!/usr/bin/env bash
# Says whether this host can run the real node, in one line. Exit 0 and "ok", or exit 1 and
# the exact reason (the integration suite prints it as its skip reason off CI, and fails with
# it on CI). Checks only what start.sh needs from the host; it builds nothing.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/lib.sh"

why() { echo "$*"; exit 1; }
[ "$(id -u)" = 0 ] || why "the real node needs root (containerd, runc, cgroups, mounts); this user is $(id -un)"
[ "$(uname -s)" = Linux ] || why "the real node needs Linux"
for tool in containerd ctr runc; do
  command -v "$tool" >/dev/null || why "$tool is missing: apt-get install containerd runc (scripts/install-deps.sh)"
done
[ -x /usr/lib/cni/bridge ] && [ -x /usr/lib/cni/host-local ] && [ -x /usr/lib/cni/loopback ] ||
  why "the CNI plugins are missing from /usr/lib/cni: apt-get install containernetworking-plugins"
[ -x /bin/busybox ] || why "/bin/busybox is missing (the test image is made from it): apt-get install busybox-static"
for tool in ip mount umount python3 curl; do
  command -v "$tool" >/dev/null || why "$tool is missing"
done
# kubelet v1.20 supports cgroup v2 only as alpha: the recipe is checked on cgroup v1 alone.
[ -d /sys/fs/cgroup/memory ] && [ -d /sys/fs/cgroup/cpu ] && [ -d /sys/fs/cgroup/pids ] ||
  why "no cgroup v1 memory/cpu/pids hierarchy under /sys/fs/cgroup (cgroup v2 only?): kubelet v1.20 needs cgroup v1"
grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null ||
  why "the kernel has no overlay filesystem (containerd's overlayfs snapshotter needs it)"
# One real node per machine (start.sh says why): another one running is a reason too.
if [ -f /run/omjob-real-node.owner ]; then
  other=$(cat /run/omjob-real-node.owner)
  for name in containerd kubelet; do
    pid=$(cat "$other/pids/$name" 2>/dev/null) || continue
    { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -q "$name" &&
      why "another real node runs on this machine ($other); one at a time"
  done
fi
echo ok
