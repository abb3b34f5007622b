import Foundation
import Shared

/// A CronOMJob's runs sorted out: which it controls, which still run, which finished how.
public struct CronRunHistory: Sendable {
    /// The CronOMJob's runs (`CronOwnership`), by name.
    public let owned: [OMJob]
    /// Owned runs not yet Succeeded or Failed (including ones being deleted: their exit
    /// handler may still be running, so they still count for Forbid).
    public let active: [OMJob]
    /// Finished runs, oldest first (by completionTime, then name).
    public let succeeded: [OMJob]
    public let failed: [OMJob]

    public init(runs: [OMJob], cron: CronOMJob) {
        owned = runs.filter { CronOwnership.isRun($0, of: cron) }.sorted {
            ($0.metadata.name ?? "") < ($1.metadata.name ?? "")
        }
        active = owned.filter { !($0.status?.phase?.isFinished ?? false) }
        succeeded = Self.oldestFirst(owned.filter { $0.status?.phase == .succeeded })
        failed = Self.oldestFirst(owned.filter { $0.status?.phase == .failed })
    }

    /// Whether a run with this name exists (created earlier, maybe before a restart).
    public func contains(name: String) -> Bool { owned.contains { $0.metadata.name == name } }

    /// The latest completion among succeeded runs.
    public var lastSuccessfulCompletion: Date? {
        succeeded.compactMap { $0.status?.completionTime.flatMap(KubeTime.parse) }.max()
    }

    /// `status.active`: references to the active runs, by name.
    public var activeReferences: [ObjectReference] {
        active.map { run in
            ObjectReference(
                apiVersion: OMJob.resourceType.apiVersion, kind: OMJob.resourceType.kind,
                namespace: run.metadata.namespace, name: run.metadata.name, uid: run.metadata.uid)
        }
    }

    private static func oldestFirst(_ runs: [OMJob]) -> [OMJob] {
        runs.sorted { a, b in
            let ta = a.status?.completionTime.flatMap(KubeTime.parse) ?? .distantPast
            let tb = b.status?.completionTime.flatMap(KubeTime.parse) ?? .distantPast
            return ta != tb ? ta < tb : (a.metadata.name ?? "") < (b.metadata.name ?? "")
        }
    }
}
