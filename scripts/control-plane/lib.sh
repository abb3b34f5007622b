# Shared settings of the control-plane scripts; sourced, never run.
#
# The binaries are built once per MACHINE, not per clone: CI runs in a fresh clone each time,
# and a per-clone cache would cost a full Kubernetes build (minutes on 2 cores) every run.
# So the build cache lives outside the repository, under the user's cache folder.

K8S_VERSION="v1.20.2"
# The commit of the upstream v1.20.2 tag, stamped into the binaries as upstream does.
K8S_GIT_COMMIT="faecb196815e248d3ecfb03c680a4507229c2a56"
# Debian bookworm's source package of Kubernetes carries the pristine upstream v1.20.2 tree.
K8S_DEB_SOURCE="kubernetes"
# Go 1.15 from Debian bullseye: newer Go cannot build a working v1.20 server (see build.sh).
GO_DEB_VERSION="1.15"

CP_CACHE="${OMJOB_CONTROL_PLANE_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/omjob-control-plane}"
CP_BIN="$CP_CACHE/bin-$K8S_VERSION"

cp_log() { printf 'control-plane: %s\n' "$*" >&2; }

# Loud failure: the real-server tests must never be skipped silently.
cp_die() {
  printf '\ncontrol-plane: ERROR: %s\n\n' "$*" >&2
  exit 1
}

# A free loopback TCP port chosen by the kernel (port 0). etcd and kube-apiserver cannot be
# handed an open socket, so the port is released before they bind it: if another process
# takes it in those milliseconds, start.sh fails loudly (the server's log says so).
cp_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

cp_binaries_present() {
  [ -x "$CP_BIN/kube-apiserver" ] && [ -x "$CP_BIN/kube-controller-manager" ] &&
    [ -f "$CP_BIN/BUILT" ]
}
