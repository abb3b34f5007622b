// swift-tools-version:6.0
import PackageDescription

// Target graph (see README "Architecture"):
//   CUV, CCurl, CHTTPParser   C shims over Debian's libuv, libcurl, http-parser
//   Shared                    loop wrapper, Kubernetes client, models, IPC, config, logging, metrics
//   Watcher/Executor/GC/Supervisor  one library per role (testable) + a thin executable each
//   KubeSim                   API-server simulator on SwiftNIO (tests, benchmarks, sandbox only)
//   Spawn                     posix_spawn for kubesim's local runtime and the tests' and benchmarks' children
// The operator's own processes never link SwiftNIO: their footprint matters (DESIGN.md §1).

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

// The operator's own code: an async function without isolation runs on its caller's executor
// (SE-0461) instead of Swift's global pool. The executor's driver is an actor on its event loop,
// as libcurl is, so a command goes from the broker's frame to the API request without a thread
// hop; before, each command woke a pool thread and then the loop again (see KubeClient).
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

        .target(
            name: "Shared",
            dependencies: [
                "CUV", "CCurl", "KubeJSON",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),  // kubeconfig is YAML
            ],
            path: "Sources/Shared",
            swiftSettings: operatorStrict
        ),

        // Roles: a library holding the logic, an executable holding only `main`.
        .target(
            name: "Watcher",
            dependencies: ["Shared", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/watcher/Lib", swiftSettings: operatorStrict),
        .executableTarget(
            name: "omjob-watcher",
            dependencies: ["Watcher", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/watcher/main", swiftSettings: operatorStrict),
        .target(
            name: "Executor",
            dependencies: [
                "Shared", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "DequeModule", package: "swift-collections"),
            ], path: "Sources/executor/Lib", swiftSettings: operatorStrict),
        .executableTarget(
            name: "omjob-executor",
            dependencies: ["Executor", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/executor/main", swiftSettings: operatorStrict),
        .target(
            name: "GC", dependencies: ["Shared", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/gc/Lib", swiftSettings: operatorStrict),
        .executableTarget(
            name: "omjob-gc", dependencies: ["GC", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/gc/main", swiftSettings: operatorStrict),
        .target(
            name: "Supervisor",
            dependencies: [
                "Shared", "CHTTPParser", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "DequeModule", package: "swift-collections"),
            ], path: "Sources/supervisor/Lib", swiftSettings: operatorStrict),
        .executableTarget(
            name: "omjob-supervisor",
            dependencies: ["Supervisor", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/supervisor/main", swiftSettings: operatorStrict),
        // Footprint and broker round-trip benchmark: prints numbers, never part of `swift test`.
        // A stand-in role for the supervisor's process tests (no API server needed); not shipped in the image.
        // The release image's one executable: every role, chosen by the name it runs as.
        .executableTarget(
            name: "omjob", dependencies: ["Supervisor", "Watcher", "Executor", "GC", "OMJobCLI"], path: "Sources/omjob",
            swiftSettings: operatorStrict),
        // `kubectl omjob` and `omjob ctl`: the command line for people (runs in `omjob`, personality `kubectl-omjob`).
        .target(
            name: "OMJobCLI",
            dependencies: [
                "Shared", "Watcher", "KubeJSON", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"), .product(name: "Logging", package: "swift-log"),
            ], path: "Sources/cli/Lib", swiftSettings: operatorStrict),
        .executableTarget(
            name: "omjob-echo-worker", dependencies: ["Shared", "KubeJSON"], path: "Sources/supervisor/echo-worker",
            swiftSettings: strict),
        .executableTarget(
            name: "supervisor-bench", dependencies: ["Shared", "Spawn"], path: "Sources/supervisor/bench",
            swiftSettings: strict),

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
            path: "Sources/kubesim/bench",
            swiftSettings: strict
        ),

        // Benchmarks: programs that print numbers (never timed tests).
        .executableTarget(
            name: "DecisionBenchmark", dependencies: ["Watcher", "Shared"], path: "Benchmarks/DecisionBenchmark",
            swiftSettings: strict),
        // Needs the built omjob-supervisor beside it (same build directory).
        .executableTarget(
            name: "ExitLatencyBenchmark", dependencies: ["KubeSim", "KubeJSON", "Spawn"],
            path: "Benchmarks/ExitLatencyBenchmark", swiftSettings: strict),
        .executableTarget(
            name: "CronBenchmark", dependencies: ["Watcher"], path: "Benchmarks/CronBenchmark", swiftSettings: strict),
        .executableTarget(
            name: "client-bench", dependencies: ["Shared", "KubeJSON", "Spawn"], path: "Benchmarks/ClientBenchmark",
            swiftSettings: strict),
        // End-to-end: kubesim in-process + the real operator tree (found beside the executable).
        .target(
            name: "BenchHarness", dependencies: ["KubeSim", "KubeJSON", "Spawn"], path: "Benchmarks/Harness",
            swiftSettings: strict),
        .executableTarget(
            name: "omjob-bench",
            dependencies: [
                "BenchHarness", "KubeSim", "KubeJSON",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ], path: "Benchmarks/OMJobBench", swiftSettings: strict),
        .executableTarget(
            name: "omjob-chaos",
            dependencies: [
                "BenchHarness", "KubeSim", "KubeJSON",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ], path: "Benchmarks/OMJobChaos", swiftSettings: strict),

        .testTarget(
            name: "SharedTests", dependencies: ["Shared", "KubeSim", "Spawn"], exclude: ["Fixtures"],
            swiftSettings: strict),
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
            name: "CLITests", dependencies: ["OMJobCLI", "Shared", "KubeSim", "KubeJSON", "Spawn", "TestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "IntegrationTests", dependencies: ["Shared", "KubeSim", "Spawn", "TestSupport"], swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
