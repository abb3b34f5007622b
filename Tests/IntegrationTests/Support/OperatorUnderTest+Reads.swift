import Foundation
import KubeJSON
import Testing

/// Reading the run back (on any server); the checks every ending shares are in EndedRunChecks.swift.
extension OperatorUnderTest {
    func omJob(_ name: String) async throws -> JSONValue? { try await cluster.get(.omjobs, name) }
    func pod(_ name: String) async throws -> JSONValue? { try await cluster.get(.pods, name) }

    /// The run's pods of one type, oldest attempt first.
    func pods(of omJob: String, type: String) async throws -> [JSONValue] {
        let selector = "\(OperatorUnderTest.nameLabel)=\(omJob),\(OperatorUnderTest.podType)=\(type)"
        return try await cluster.list(.pods, labelSelector: selector)
            .sorted { ($0["metadata"]?["name"]?.stringValue ?? "") < ($1["metadata"]?["name"]?.stringValue ?? "") }
    }

    func phase(_ name: String) async throws -> String? { try await omJob(name)?["status"]?["phase"]?.stringValue }

    func waitForPhase(_ name: String, _ phase: String, timeout: Double = 60) async throws {
        _ = try await until("\(name) phase \(phase)", timeout: timeout) {
            try await self.phase(name) == phase ? true : nil
        }
    }

    func waitForPod(_ name: String) async throws -> JSONValue {
        try await until("pod \(name)") { try await self.pod(name) }
    }

    /// Waits for exit-handler attempt `count` (1-based) and returns its name.
    func waitForExitPod(of omJob: String, count: Int = 1, timeout: Double = 60) async throws -> String {
        try await until("\(count) exit pod(s) of \(omJob)", timeout: timeout) {
            let pods = try await self.pods(of: omJob, type: "exit-handler")
            return pods.count >= count ? pods[count - 1]["metadata"]?["name"]?.stringValue : nil
        }
    }
}
