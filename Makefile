# The two commands of the README: `make sandbox` (the operator end to end on kubesim) and `make test`.
SWIFT ?= swift

.PHONY: build release test sandbox clean validate-manifests

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release

# Integration tests run the built executables, so build every product first.
test: build validate-manifests
	$(SWIFT) test

# deploy/ and examples/ rendered and checked offline (scripts/validate-manifests.sh, ~10 s).
validate-manifests:
	./scripts/validate-manifests.sh

sandbox: build
	./scripts/sandbox.sh

clean:
	rm -rf .build
