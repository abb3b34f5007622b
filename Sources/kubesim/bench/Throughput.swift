import Foundation
import KubeJSON
import KubeSim
import NIOCore

/// Requests per second over `connections` keep-alive connections, each sending sequentially.
enum Throughput {
    struct Result {
        var label: String
        var count: Int
        var failures: Int
        var seconds: Double
        var line: String {
            let rate = Double(count) / seconds
            return String(
                format: "%@: %d requests in %.2f s = %.0f/s (%d failed)", label, count, seconds, rate, failures)
        }
    }

    static func pod(_ index: Int) -> JSONValue {
        [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": [
                "name": .string("bench-\(index)"),
                "labels": ["app": "bench", "omjob.pipelines.openmetadata.org/name": "bench"],
            ],
            "spec": [
                "restartPolicy": "Never",
                "containers": [
                    [
                        "name": "main", "image": "openmetadata/ingestion:1.5.0",
                        "command": ["python", "main.py"], "env": [["name": "A", "value": "1"]],
                    ]
                ],
            ],
        ]
    }

    static func run(
        label: String, sim: KubeSimServer, group: any EventLoopGroup, options: BenchOptions,
        request: @escaping @Sendable (Int) -> (String, String, JSONValue, String)
    ) async throws -> Result {
        let clients = try await withThrowingTaskGroup(of: SimHTTPClient.self) { tasks in
            for _ in 0..<options.connections {
                tasks.addTask { try await SimHTTPClient.connect(port: sim.port, group: group) }
            }
            return try await tasks.reduce(into: []) { $0.append($1) }
        }
        let start = monotonicNanos()
        let failures = try await withThrowingTaskGroup(of: Int.self) { tasks in
            for (offset, client) in clients.enumerated() {
                tasks.addTask {
                    var failed = 0
                    var index = offset
                    while index < options.requests {
                        let (method, path, body, contentType) = request(index)
                        let response = try await client.send(method, path, json: body, contentType: contentType)
                        if response.status >= 300 { failed += 1 }
                        index += options.connections
                    }
                    return failed
                }
            }
            return try await tasks.reduce(0, +)
        }
        let seconds = Double(monotonicNanos() - start) / 1e9
        for client in clients { await client.close() }
        return Result(label: label, count: options.requests, failures: failures, seconds: seconds)
    }
}
