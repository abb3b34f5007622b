#!/usr/bin/env bash
# The Debian packages the project needs, installed only when missing (apt-get update first).
# Shared by CI (.ci/run) and the sandbox (scripts/sandbox.sh) so that the list lives in one place.
#   scripts/install-deps.sh            build + test packages (what CI needs)
#   scripts/install-deps.sh --sandbox  build packages + kubectl + python3 (what `make sandbox` needs)
#   scripts/install-deps.sh --bench    build packages + valgrind (scripts/bench-instructions.sh)
set -euo pipefail

# libuv1-dev, libcurl4-openssl-dev, libhttp-parser-dev, pkg-config: the build.
build=(libuv1-dev libcurl4-openssl-dev libhttp-parser-dev pkg-config make)
# python3-pip, etcd-server, rsync, curl, openssl: the tests and the real control plane (scripts/control-plane).
# prometheus: prometheus and promtool for the alert rules and dashboard (tests/monitoring).
# tmux: CLITests drive `kubectl omjob logs -f` on a terminal. netcat-openbsd: `nc -U` for the
# broker socket, as docs/supervisor.md and docs/cli.md show it (scripts/omjob-frame).
# containerd, runc, containernetworking-plugins, busybox-static, iproute2: the real node (scripts/node).
test=(python3-pip etcd-server rsync curl openssl prometheus tmux netcat-openbsd containerd runc containernetworking-plugins busybox-static iproute2)

case "${1:-}" in
  "")
    wanted=("${build[@]}" "${test[@]}")
    # CLITests run `kubectl omjob …` through a real kubectl; Debian's kubernetes-client when none is installed.
    command -v kubectl >/dev/null || wanted+=(kubernetes-client)
    ;;
  --sandbox)
    wanted=("${build[@]}" python3 curl netcat-openbsd)
    # Any kubectl will do; Debian's kubernetes-client provides one when none is installed.
    command -v kubectl >/dev/null || wanted+=(kubernetes-client)
    ;;
  --bench)
    # valgrind: callgrind counts the instructions of the operator tree (scripts/bench-instructions.sh).
    wanted=("${build[@]}" valgrind)
    ;;
  *) echo "install-deps: unknown option $1 (use --sandbox, --bench or nothing)" >&2; exit 2 ;;
esac

need=()
for pkg in "${wanted[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
[ ${#need[@]} -eq 0 ] && exit 0

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: missing ${need[*]}; run as root: apt-get install ${need[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
echo "install-deps: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq "${need[@]}" >/dev/null
