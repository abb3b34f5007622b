# The two commands of the README: `make sandbox` (the operator end to end on kubesim) and `make test`.
SWIFT ?= swift

.PHONY: build release test sandbox clean

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release

# Integration tests run the built executables, so build every product first.
test: build
	$(SWIFT) test

sandbox: build
	./scripts/sandbox.sh

clean:
	rm -rf .build
