import Foundation
import Synchronization

/// Samples an operator tree every `interval` until stopped, so that peak memory and the CPU
/// time of short-lived (killed, restarted) processes are seen.
public final class BackgroundSampler: Sendable {
    private let running = StopFlag()
    private let task: Task<Void, Never>

    public init(_ tree: OperatorTree, interval: Duration = .milliseconds(100)) {
        let running = self.running
        task = Task.detached {
            while running.isSet {
                tree.sample()
                try? await Task.sleep(for: interval)
            }
        }
    }

    public func stop() async {
        running.clear()
        await task.value
    }
}

/// A flag one task clears to stop another.
public final class StopFlag: Sendable {
    private let value = Atomic<Bool>(true)
    public init() {}
    public var isSet: Bool { value.load(ordering: .relaxed) }
    public func clear() { value.store(false, ordering: .relaxed) }
}

/// The machine's load, to print beside every figure (the machine is shared).
public enum MachineLoad {
    public static var loadAverage: String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "").split(separator: " ").prefix(3).joined(
            separator: " ")
    }
    public static var cores: Int { ProcessInfo.processInfo.activeProcessorCount }
}

/// Polls `condition` every 10 ms until it holds; throws after `timeout` seconds.
public func waitFor(_ what: String, timeout: Double, _ condition: () -> Bool) async throws {
    let deadline = Date().addingTimeInterval(timeout)
    while !condition() {
        if Date() > deadline { throw HarnessError("timed out after \(Int(timeout)) s waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(10))
    }
}
