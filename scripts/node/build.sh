#!/usr/bin/env bash
# Builds kubelet and kube-scheduler v1.20.2 the way scripts/control-plane/build.sh builds the
# control plane (same Debian source package, same Go 1.15 from bullseye, same private apt
# configuration, same version stamp), once per machine, cached in $NODE_BIN beside the control
# plane's binaries. A second run with the binaries present returns at once.
#
# It takes the control plane's build lock, so the two Go builds never run at the same time on
# one machine. Neither binary needs zz_generated.openapi.go (only kube-apiserver imports it), so
# `make gen_openapi` is skipped. The kubelet is built static (KUBE_STATIC_OVERRIDES): no C
# toolchain is needed, as for the control plane.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/lib.sh"

if node_binaries_present; then
  node_log "cached: $NODE_BIN ($(cat "$NODE_BIN/BUILT"))"
  exit 0
fi

for tool in apt-get dpkg-deb tar make rsync flock; do
  command -v "$tool" >/dev/null ||
    node_die "cannot build the node: '$tool' is missing (apt-get install rsync make util-linux)"
done

mkdir -p "$CP_CACHE"
exec 9>"$CP_CACHE/build.lock"
flock 9
if node_binaries_present; then
  node_log "built meanwhile by another process: $NODE_BIN"
  exit 0
fi

work="$CP_CACHE/node-work"
rm -rf "$work"
mkdir -p "$work"
trap 'node_die "build failed (see the output above); work folder kept at $work"' ERR

started=$(date +%s)
apt_dir="$work/apt"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial" "$apt_dir/parts"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -f "$keyring" ] || node_die "cannot build the node: $keyring is missing (debian-archive-keyring)"
cat >"$apt_dir/sources.list" <<SOURCES
deb-src [signed-by=$keyring] http://deb.debian.org/debian bookworm main
deb-src [signed-by=$keyring] http://deb.debian.org/debian-security bookworm-security main
deb [signed-by=$keyring arch=amd64] http://deb.debian.org/debian bullseye main
SOURCES
apt_opts=(
  -o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=$apt_dir/parts"
  -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
  -o "Dir::Cache::Archives=$apt_dir/archives" -o "Dir::Etc::Preferences=/dev/null"
  -o "Dir::Etc::PreferencesParts=$apt_dir/parts" -o "Debug::NoLocking=1"
  -o "APT::Sandbox::User=root" -qq
)
node_log "fetching package lists (private apt configuration in $apt_dir)"
apt-get "${apt_opts[@]}" update
cd "$work"
node_log "downloading the $K8S_DEB_SOURCE source package and golang-$GO_DEB_VERSION (bullseye)"
apt-get "${apt_opts[@]}" source --download-only "$K8S_DEB_SOURCE"
apt-get "${apt_opts[@]}" download "golang-$GO_DEB_VERSION-go" "golang-$GO_DEB_VERSION-src"

mkdir -p go
for deb in golang-"$GO_DEB_VERSION"-*.deb; do dpkg-deb -x "$deb" go; done
export GOROOT="$work/go/usr/lib/go-$GO_DEB_VERSION"
export PATH="$GOROOT/bin:$PATH"
go version | grep -q "go$GO_DEB_VERSION" || node_die "unpacked Go is not $GO_DEB_VERSION: $(go version)"

tar -xzf "$K8S_DEB_SOURCE"_*.orig.tar.gz
src="$work/kubernetes-${K8S_VERSION#v}"
[ -f "$src/vendor/modules.txt" ] || node_die "the source package is not the expected $K8S_VERSION tree with vendor/"

cat >"$work/version.env" <<VERSION
KUBE_GIT_COMMIT='$K8S_GIT_COMMIT'
KUBE_GIT_TREE_STATE='clean'
KUBE_GIT_VERSION='$K8S_VERSION'
KUBE_GIT_MAJOR='1'
KUBE_GIT_MINOR='20'
VERSION
export KUBE_GIT_VERSION_FILE="$work/version.env"
export GOCACHE="$work/gocache" GOFLAGS="" GO111MODULE=off KUBE_STATIC_OVERRIDES=kubelet
cd "$src"
node_log "building kubelet and kube-scheduler (upstream hack/make-rules/build.sh)"
nice -n 10 hack/make-rules/build.sh cmd/kubelet cmd/kube-scheduler

out="$src/_output/local/go/bin"
tmp_bin="$NODE_BIN.partial"
rm -rf "$tmp_bin"
mkdir -p "$tmp_bin"
cp "$out/kubelet" "$out/kube-scheduler" "$tmp_bin/"
for binary in kubelet kube-scheduler; do
  version=$("$tmp_bin/$binary" --version)
  [ "$version" = "Kubernetes $K8S_VERSION" ] || node_die "built $binary reports '$version', not $K8S_VERSION"
done
elapsed=$(($(date +%s) - started))
echo "$K8S_VERSION built $(date -u +%FT%TZ) in ${elapsed}s with $(go version | cut -d' ' -f3)" >"$tmp_bin/BUILT"
rm -rf "$NODE_BIN"
mv "$tmp_bin" "$NODE_BIN"
trap - ERR
rm -rf "$work"
node_log "built in ${elapsed}s: $NODE_BIN"
