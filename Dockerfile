# syntax=docker/dockerfile:1
# The operator's image: one executable (`omjob`, a link to it per role) on debian:bookworm-slim,
# nothing else but the C libraries it links, CA certificates, time zones and tini.
# scripts/check-image-build.sh checks this file without a Docker engine, against a local build
# (same build script, ldd of the binaries against the runtime package list).
ARG SWIFT_VERSION=6.3.1

# --- build: Swift toolchain plus the -dev packages of the C libraries ---
FROM swift:${SWIFT_VERSION}-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libuv1-dev libcurl4-openssl-dev libhttp-parser-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Package.swift first: the dependency fetch stays cached until the manifest changes.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
COPY Benchmarks ./Benchmarks
COPY scripts/build-release.sh ./scripts/
RUN scripts/build-release.sh /out /src/.build

# --- runtime ---
FROM debian:bookworm-slim
# libuv1, libcurl4, libhttp-parser2.9: what the binary links (the Swift runtime is static).
# ca-certificates: TLS to the API server when a kubeconfig points elsewhere than the pod's CA.
# tzdata: CronOMJob `timeZone` names. tini: PID 1 (forwards signals, reaps orphans).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libuv1 libcurl4 libhttp-parser2.9 ca-certificates tzdata tini \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 65532 --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin omjob \
 && install -d -m 1777 /run/omjob
# /run/omjob: like the emptyDir the Deployment mounts there (mode 1777), so any uid the pod
# runs as can create the broker's private socket in it. The supervisor starts its workers
# from its own directory.
# /out holds omjob and the relative links omjob-supervisor, omjob-watcher, omjob-executor, omjob-gc,
# kubectl-omjob. `kubectl exec deploy/omjob-operator -- omjob ctl status` talks to the broker
# without netcat (docs/cli.md).
COPY --from=build /out/ /usr/local/bin/
ENV OMJOB_RUN_DIR=/run/omjob \
    HEALTH_CHECK_PORT=8080
EXPOSE 8080
USER 65532:65532
LABEL org.opencontainers.image.title="omjob-operator" \
      org.opencontainers.image.description="OpenMetadata OMJob operator: an exit handler for every ending" \
      org.opencontainers.image.licenses="Apache-2.0"
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/omjob-supervisor"]
