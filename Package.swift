// swift-tools-version:6.0
import PackageDescription

// Target graph (docs/architecture.md#layers):
//   CUV, CCurl, CHTTPParser   C shims over Debian's libuv, libcurl, http-parser
//   KubeJSON                  JSON values, shared by the operator and kubesim
//   Runtime                   settings, logs, metrics, clock, memory
//   UVLoop                    the libuv loop, processes, signals, sockets (the only importer of CUV)
//   HTTPTransport             HTTP over libcurl's multi interface on the loop (the only importer of CCurl)
//   Models                    the Kubernetes objects the operator reads, and the run's record
//   KubeAPI                   client, errors and their disposition, watches, informers
//   BrokerProtocol            frames, messages, routing, write commands and their performing
//   Watcher/Executor/GC/Supervisor  one library per role (testable) + a thin executable each
//   OMJobCLI, omjob           `kubectl omjob`; the image's one executable holding every role
//   KubeSim                   API-server simulator on SwiftNIO (tests, benchmarks, sandbox only)
//   Spawn                     posix_spawn for kubesim's local runtime and the tests' and benchmarks' children
// The operator's own processes never link SwiftNIO: their footprint matters (docs/architecture.md#invariants).

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

// The operator's own code: an async function without isolation runs on its caller's executor
// (SE-0461) instead of Swift's global pool. The executor's driver is an actor on its event loop,
// as libcurl is, so a command goes from the broker's frame to the API request without a thread
// hop, where running on the pool would wake a pool thread and then the loop again (see KubeClient).
let operatorStrict: [SwiftSetting] =
    strict + [
        .enableUpcomingFeature("NonisolatedNonsendingByDefault")
    ]

let package = Package(
    name: "omjob-operator",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "omjob-supervisor", targets: ["omjob-supervisor"]),
        .executable(name: "omjob-watcher", targets: ["omjob-watcher"]),
        .executable(name: "omjob-executor", targets: ["omjob-executor"]),
        .executable(name: "omjob-gc", targets: ["omjob-gc"]),
        .executable(name: "omjob", targets: ["omjob"]),
        .executable(name: "kubesim", targets: ["kubesim"]),
        .library(name: "KubeSim", targets: ["KubeSim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", exact: "2.37.6"),
        // kubesim only: HTTP/2 over TLS (ALPN h2), so the client's h2 path is tested. Never linked by the operator.
        .package(url: "https://github.com/apple/swift-nio-http2.git", exact: "1.46.0"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", exact: "6.2.2"),
        // Deque for the broker's and the executor's queues (already in the graph through swift-nio; this pins it).
        .package(url: "https://github.com/apple/swift-collections.git", exact: "1.6.0"),
    ],
    targets: [
        // C shims: the only places that include the C headers.
        .target(name: "CUV", path: "Sources/CUV", linkerSettings: [.linkedLibrary("uv")]),
        .target(name: "CCurl", path: "Sources/CCurl", linkerSettings: [.linkedLibrary("curl")]),
        .target(name: "CHTTPParser", path: "Sources/CHTTPParser", linkerSettings: [.linkedLibrary("http_parser")]),

        // JSON as a value, shared by the operator and kubesim (which must not depend on each other).
        .target(name: "KubeJSON", path: "Sources/KubeJSON", swiftSettings: strict),
        // posix_spawn for kubesim's local runtime and the tests' and benchmarks' child processes (no dependencies).
        .target(name: "Spawn", path: "Sources/Spawn", swiftSettings: strict),

        // The operator's layers, each a target so that the compiler checks who depends on whom
        // (docs/architecture.md, "Layers"): the runtime at the bottom, the broker protocol on top.
        // Settings, logs, metrics, clock, memory.
        .target(
            name: "Runtime", dependencies: [.product(name: "Logging", package: "swift-log")], path: "Sources/Runtime",
            swiftSettings: operatorStrict),
        // The libuv event loop, processes, signals and sockets: the only Swift code that includes libuv.
        .target(name: "UVLoop", dependencies: ["CUV"], path: "Sources/UVLoop", swiftSettings: operatorStrict),
        // HTTP/1.1 and HTTP/2 over libcurl's multi interface, driven by the loop.
        .target(
            name: "HTTPTransport", dependencies: ["CCurl", "UVLoop"], path: "Sources/HTTPTransport",
            swiftSettings: operatorStrict),
        // Kubernetes objects as the operator reads them (OMJob, CronOMJob, Pod, Node, Event, the run's record).
        .target(name: "Models", dependencies: ["KubeJSON"], path: "Sources/Models", swiftSettings: operatorStrict),
        // The Kubernetes client: configuration, requests, errors and their disposition, watches, informers.
        .target(
            name: "KubeAPI",
            dependencies: [
                "HTTPTransport", "UVLoop", "Models", "Runtime", "KubeJSON",
                .product(name: "Yams", package: "Yams"),
            ],  // kubeconfig is YAML
            path: "Sources/KubeAPI", swiftSettings: operatorStrict),
        // What the processes say to each other: frames, messages, routing, the write commands and their performing.
        .target(
            name: "BrokerProtocol",
            dependencies: [
                "UVLoop", "KubeAPI", "Models", "Runtime", "KubeJSON",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/BrokerProtocol", swiftSettings: operatorStrict),

        // Roles: a library holding the logic, an executable holding only `main`.
        .target(
            name: "Watcher",
            dependencies: [
                "BrokerProtocol", "KubeAPI", "Models", "Runtime", "UVLoop",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ], path: "Sources/watcher/Lib", swiftSettings: operatorStrict),
        .executableTarget(
            name: "omjob-watcher",
            dependencies: ["Watcher", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/watcher/main", swiftSettings: operatorStrict),
        .target(
            name: "Executor",
            dependencies: [
                "BrokerProtocol", "KubeAPI", "Models", "Runtime", "UVLoop",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "DequeModule", package: "swift-collections"),
            ], path: "Sources/executor/Lib", swiftSettings: operatorStrict),
        .executableTarget(
            name: "omjob-executor",
            dependencies: ["Executor", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/executor/main", swiftSettings: operatorStrict),
        .target(
            name: "GC",
            dependencies: [
                "BrokerProtocol", "KubeAPI", "Models", "Runtime", "UVLoop",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ], path: "Sources/gc/Lib", swiftSettings: operatorStrict),
        .executableTarget(
            name: "omjob-gc", dependencies: ["GC", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/gc/main", swiftSettings: operatorStrict),
        .target(
            name: "Supervisor",
            dependencies: [
                "BrokerProtocol", "HTTPTransport", "KubeAPI", "Models", "Runtime", "UVLoop", "CHTTPParser",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "DequeModule", package: "swift-collections"),
            ], path: "Sources/supervisor/Lib", swiftSettings: operatorStrict),
        .executableTarget(
            name: "omjob-supervisor",
            dependencies: ["Supervisor", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/supervisor/main", swiftSettings: operatorStrict),
        // The release image's one executable: every role, chosen by the name it runs as.
        .executableTarget(
            name: "omjob", dependencies: ["Supervisor", "Watcher", "Executor", "GC", "OMJobCLI"], path: "Sources/omjob",
            swiftSettings: operatorStrict),
        // `kubectl omjob` and `omjob ctl`: the command line for people (runs in `omjob`, personality `kubectl-omjob`).
        .target(
            name: "OMJobCLI",
            dependencies: [
                "BrokerProtocol", "KubeAPI", "Models", "Runtime", "UVLoop", "Watcher", "KubeJSON",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"), .product(name: "Logging", package: "swift-log"),
            ], path: "Sources/cli/Lib", swiftSettings: operatorStrict),
        // A stand-in role for the supervisor's process tests (no API server needed); not shipped in the image.
        .executableTarget(
            name: "omjob-echo-worker", dependencies: ["BrokerProtocol", "UVLoop", "KubeJSON"], path: "Tests/EchoWorker",
            swiftSettings: strict),
        // Footprint and broker round-trip benchmark: prints numbers, never part of `swift test`.
        .executableTarget(
            name: "supervisor-bench", dependencies: ["BrokerProtocol", "Models", "Spawn"],
            path: "Benchmarks/SupervisorBenchmark", swiftSettings: strict),

        .target(
            name: "KubeSim",
            dependencies: [
                "KubeJSON",
                "Spawn",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            path: "Sources/kubesim/Lib",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "kubesim",
            dependencies: ["KubeSim", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/kubesim/main",
            swiftSettings: strict
        ),
        // Prints throughput and watch-latency numbers; never run as a test.
        .executableTarget(
            name: "kubesim-bench",
            dependencies: [
                "KubeSim", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Benchmarks/KubeSimBenchmark",
            swiftSettings: strict
        ),

        // Benchmarks: programs that print numbers (never timed tests).
        .executableTarget(
            name: "DecisionBenchmark", dependencies: ["Watcher", "Models"], path: "Benchmarks/DecisionBenchmark",
            swiftSettings: strict),
        // Needs the built omjob-supervisor beside it (same build directory).
        .executableTarget(
            name: "ExitLatencyBenchmark", dependencies: ["KubeSim", "KubeJSON", "Spawn"],
            path: "Benchmarks/ExitLatencyBenchmark", swiftSettings: strict),
        .executableTarget(
            name: "CronBenchmark", dependencies: ["Watcher"], path: "Benchmarks/CronBenchmark", swiftSettings: strict),
        .executableTarget(
            name: "client-bench", dependencies: ["KubeAPI", "Models", "UVLoop", "KubeJSON", "Spawn"],
            path: "Benchmarks/ClientBenchmark", swiftSettings: strict),
        // End-to-end: kubesim in-process + the real operator tree (found beside the executable).
        .target(
            name: "BenchHarness",
            dependencies: [
                "KubeSim", "KubeAPI", "HTTPTransport", "Models", "UVLoop", "KubeJSON", "Spawn", "TestSupport",
            ],
            path: "Benchmarks/Harness",
            swiftSettings: strict),
        .executableTarget(
            name: "omjob-bench",
            dependencies: [
                "BenchHarness", "KubeSim", "KubeJSON", "KubeAPI", "Models",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ], path: "Benchmarks/OMJobBench", swiftSettings: strict),
        .executableTarget(
            name: "omjob-chaos",
            dependencies: [
                "BenchHarness", "KubeSim", "KubeJSON",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ], path: "Benchmarks/OMJobChaos", swiftSettings: strict),

        .testTarget(name: "RuntimeTests", dependencies: ["Runtime"], swiftSettings: strict),
        .testTarget(name: "UVLoopTests", dependencies: ["UVLoop"], swiftSettings: strict),
        .testTarget(name: "ModelsTests", dependencies: ["Models"], swiftSettings: strict),
        // The client from the HTTP transport up to the informers, against scripted servers and kubesim.
        .testTarget(
            name: "KubeAPITests",
            dependencies: ["HTTPTransport", "KubeAPI", "Models", "Runtime", "UVLoop", "KubeSim", "Spawn"],
            exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "KubeSimTests", dependencies: ["KubeSim", "Spawn"], resources: [.copy("Fixtures")],
            swiftSettings: strict),
        .testTarget(
            name: "WatcherTests", dependencies: ["Watcher"], resources: [.copy("Fixtures")], swiftSettings: strict),
        .testTarget(name: "ExecutorTests", dependencies: ["Executor", "KubeSim"], swiftSettings: strict),
        .testTarget(name: "GCTests", dependencies: ["GC"], swiftSettings: strict),
        .target(name: "TestSupport", dependencies: ["Spawn"], path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(
            name: "SupervisorTests", dependencies: ["Supervisor", "Spawn", "TestSupport"], swiftSettings: strict),
        // The benchmark harness's pure parts (the spread schedule, the pace of endings).
        .testTarget(name: "BenchHarnessTests", dependencies: ["BenchHarness"], swiftSettings: strict),
        .testTarget(
            name: "CLITests", dependencies: ["OMJobCLI", "Models", "KubeSim", "KubeJSON", "Spawn", "TestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "BrokerProtocol", "HTTPTransport", "KubeAPI", "Models", "Runtime", "UVLoop", "KubeSim", "Spawn",
                "TestSupport",
            ], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
