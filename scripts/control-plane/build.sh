#!/usr/bin/env bash
# Builds kube-apiserver and kube-controller-manager v1.20.2 from Debian packages alone, once
# per machine (cached in $CP_BIN, see lib.sh). A second run with the binaries present returns
# at once. On any failure it says so loudly and exits non-zero: no silent skip.
#
# Why this recipe (each point was checked on these machines):
# - Debian bookworm's `kubernetes` source package is the pristine upstream v1.20.2 tree with
#   vendor/; its Debian patches concern kubectl only, so the orig tarball is used as is.
# - Bookworm's Go 1.19 cannot build a working v1.20 server (module mode refuses the vendored
#   go.mod; in GOPATH mode the vendored modern-go/reflect2 crashes on Go >= 1.18), so Go 1.15
#   is taken from Debian bullseye's golang-1.15-go/-src, unpacked with dpkg-deb -x, never
#   installed system-wide.
# - Both downloads go through a PRIVATE apt configuration under the cache: /etc/apt is not
#   touched.
# - The build is upstream's own: `make gen_openapi` (zz_generated.openapi.go is not in the
#   tarball), then hack/make-rules/build.sh, which builds in GOPATH mode, CGO_ENABLED=0 for
#   these binaries, -tags selinux,notest, and stamps the version into component-base and
#   client-go (else kubectl sees v0.0.0).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/lib.sh"

if cp_binaries_present; then
  cp_log "cached: $CP_BIN ($(cat "$CP_BIN/BUILT"))"
  exit 0
fi

for tool in apt-get dpkg-deb tar make rsync python3 flock; do
  command -v "$tool" >/dev/null ||
    cp_die "cannot build the control plane: '$tool' is missing (apt-get install rsync make python3 util-linux)"
done

mkdir -p "$CP_CACHE"
# Two concurrent builds on one machine would race for the same folders: the second waits.
exec 9>"$CP_CACHE/build.lock"
flock 9
if cp_binaries_present; then
  cp_log "built meanwhile by another process: $CP_BIN"
  exit 0
fi

work="$CP_CACHE/work"
rm -rf "$work"
mkdir -p "$work"
trap 'cp_die "build failed (see the output above); work folder kept at $work"' ERR

started=$(date +%s)
apt_dir="$work/apt"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial" "$apt_dir/parts"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -f "$keyring" ] || cp_die "cannot build the control plane: $keyring is missing (debian-archive-keyring)"
cat >"$apt_dir/sources.list" <<EOF
deb-src [signed-by=$keyring] http://deb.debian.org/debian bookworm main
deb-src [signed-by=$keyring] http://deb.debian.org/debian-security bookworm-security main
deb [signed-by=$keyring arch=amd64] http://deb.debian.org/debian bullseye main
EOF
apt_opts=(
  -o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=$apt_dir/parts"
  -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
  -o "Dir::Cache::Archives=$apt_dir/archives" -o "Dir::Etc::Preferences=/dev/null"
  -o "Dir::Etc::PreferencesParts=$apt_dir/parts" -o "Debug::NoLocking=1"
  -o "APT::Sandbox::User=root" -qq
)
cp_log "fetching package lists (private apt configuration in $apt_dir)"
apt-get "${apt_opts[@]}" update
cd "$work"
cp_log "downloading the $K8S_DEB_SOURCE source package and golang-$GO_DEB_VERSION (bullseye)"
apt-get "${apt_opts[@]}" source --download-only "$K8S_DEB_SOURCE"
apt-get "${apt_opts[@]}" download "golang-$GO_DEB_VERSION-go" "golang-$GO_DEB_VERSION-src"

mkdir -p go
for deb in golang-"$GO_DEB_VERSION"-*.deb; do dpkg-deb -x "$deb" go; done
export GOROOT="$work/go/usr/lib/go-$GO_DEB_VERSION"
export PATH="$GOROOT/bin:$PATH"
go version | grep -q "go$GO_DEB_VERSION" || cp_die "unpacked Go is not $GO_DEB_VERSION: $(go version)"

tar -xzf "$K8S_DEB_SOURCE"_*.orig.tar.gz
src="$work/kubernetes-${K8S_VERSION#v}"
[ -f "$src/vendor/modules.txt" ] || cp_die "the source package is not the expected $K8S_VERSION tree with vendor/"

# Stamp the version explicitly, so a cache folder that happens to sit inside some git
# repository never makes hack/lib/version.sh describe that repository instead.
cat >"$work/version.env" <<EOF
KUBE_GIT_COMMIT='$K8S_GIT_COMMIT'
KUBE_GIT_TREE_STATE='clean'
KUBE_GIT_VERSION='$K8S_VERSION'
KUBE_GIT_MAJOR='1'
KUBE_GIT_MINOR='20'
EOF
export KUBE_GIT_VERSION_FILE="$work/version.env"
export GOCACHE="$work/gocache" GOFLAGS="" GO111MODULE=off
# Be a good neighbour on a shared 2-core machine.
cd "$src"
cp_log "generating zz_generated.openapi.go (make gen_openapi)"
nice -n 10 make gen_openapi
cp_log "building kube-apiserver and kube-controller-manager (upstream hack/make-rules/build.sh)"
nice -n 10 hack/make-rules/build.sh cmd/kube-apiserver cmd/kube-controller-manager

out="$src/_output/local/go/bin"
tmp_bin="$CP_BIN.partial"
rm -rf "$tmp_bin"
mkdir -p "$tmp_bin"
cp "$out/kube-apiserver" "$out/kube-controller-manager" "$tmp_bin/"
version=$("$tmp_bin/kube-apiserver" --version)
[ "$version" = "Kubernetes $K8S_VERSION" ] || cp_die "built kube-apiserver reports '$version', not $K8S_VERSION"
elapsed=$(($(date +%s) - started))
echo "$K8S_VERSION built $(date -u +%FT%TZ) in ${elapsed}s with $(go version | cut -d' ' -f3)" >"$tmp_bin/BUILT"
rm -rf "$CP_BIN"
mv "$tmp_bin" "$CP_BIN"
trap - ERR
# The tree, Go and its build cache take ~2 GB; the binaries are all that is needed again.
rm -rf "$work"
cp_log "built in ${elapsed}s: $CP_BIN"
