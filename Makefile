# The two commands of the README: `make sandbox` (installs what is missing, builds, runs the operator end to end on kubesim) and `make test`.
SWIFT ?= swift

.PHONY: build release test sandbox clean format check-format validate-manifests check-docs test-differential test-helm test-monitoring test-real-node

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release

# Integration tests run the built executables, so build every product first. The script bounds
# `swift test` in time and stops anything the tests left running (see its header).
test: check-format build validate-manifests check-docs
	SWIFT=$(SWIFT) ./scripts/run-swift-tests.sh
	$(MAKE) test-differential
	$(MAKE) test-helm
	$(MAKE) test-monitoring

# `swift format` (the toolchain's) with .swift-format: `make format` rewrites the sources,
# `make check-format` (run first by `make test`) fails on any file it would change.
FORMAT_PATHS = Package.swift Sources Tests Benchmarks
format:
	$(SWIFT) format format --in-place --recursive --parallel $(FORMAT_PATHS)

check-format:
	$(SWIFT) format lint --strict --recursive --parallel $(FORMAT_PATHS)

# tests/differential against a real kube-apiserver v1.20.2 (started and stopped by the suite,
# built by scripts/control-plane/build.sh); DIFF_SERVER=kubesim runs the same cases on kubesim.
DIFF_SERVER ?= real
test-differential:
	python3 -m pytest -q -p no:cacheprovider tests/differential --server=$(DIFF_SERVER)

# charts/omjob-operator with Helm v4's SDK (helm-python-sdk): lint, render and check every
# variant, then install/upgrade/rollback/uninstall on the real kube-apiserver v1.20.2 with the
# built operator running as the chart's ServiceAccount (docs/helm.md).
test-helm:
	python3 -m pytest -q -p no:cacheprovider tests/helm

# deploy/monitoring with Debian's prometheus: promtool check/test rules, then a Prometheus on
# loopback scraping the built operator on kubesim (docs/monitoring.md).
test-monitoring:
	python3 -m pytest -q -p no:cacheprovider tests/monitoring

# Only the ending scenarios on a real node (docs/real-node.md): kubelet, containerd, runc; root.
test-real-node: build
	$(SWIFT) test --filter EndingsOnRealNode

# deploy/ and examples/ rendered and checked offline (scripts/validate-manifests.sh, ~10 s).
validate-manifests:
	./scripts/validate-manifests.sh

# Links and cited anchors in docs/, the layers of docs/architecture.md against Package.swift, and
# the settings table of docs/reference.md against the built omjob-supervisor (scripts/check-docs.sh, a second).
check-docs: build
	./scripts/check-docs.sh

sandbox:
	./scripts/sandbox.sh

clean:
	rm -rf .build
