import Foundation
import KubeJSON

/// What the operator must remember about a run between decisions: the main pod's recorded
/// ending, the exit-handler attempts started, a pod creation the API server rejected, and the
/// gc's cleanup.
///
/// Kept in the OMJob's annotations (`RecordAnnotations`), where no CRD schema prunes it, and
/// mirrored into the status fields of the same names for users whose CRD declares them. Read
/// back by `OMJob.effectiveStatus`: an annotation wins over the status field, and a status
/// field with no annotation beside it (under a CRD that keeps it) still counts.
public struct RunRecord: Hashable, Sendable {
    public var mainPodTermination: MainPodTermination?
    public var exitHandlerAttempts: Int?
    public var podCreateFailure: PodCreateFailure?
    public var cleanupTime: String?

    public init(
        mainPodTermination: MainPodTermination? = nil, exitHandlerAttempts: Int? = nil,
        podCreateFailure: PodCreateFailure? = nil,
        cleanupTime: String? = nil
    ) {
        self.mainPodTermination = mainPodTermination
        self.exitHandlerAttempts = exitHandlerAttempts
        self.podCreateFailure = podCreateFailure
        self.cleanupTime = cleanupTime
    }

    /// The memory fields of `status`.
    public init(status: OMJobStatus) {
        self.init(
            mainPodTermination: status.mainPodTermination, exitHandlerAttempts: status.exitHandlerAttempts,
            podCreateFailure: status.podCreateFailure, cleanupTime: status.cleanupTime)
    }

    /// Read from annotations; a value that does not parse counts as absent (the status field, or
    /// the pods, then decide), so a hand-edited annotation can never wedge a run.
    public init(annotations: [String: String]?) {
        let annotations = annotations ?? [:]
        self.init(
            mainPodTermination: annotations[RecordAnnotations.mainPodTermination].flatMap {
                Self.read($0) { reader throws(JSONReadError) in try MainPodTermination(reading: &reader) }
            },
            exitHandlerAttempts: annotations[RecordAnnotations.exitHandlerAttempts].flatMap { Int($0) }.flatMap {
                $0 >= 0 ? $0 : nil
            },
            podCreateFailure: annotations[RecordAnnotations.podCreateFailure].flatMap {
                Self.read($0) { reader throws(JSONReadError) in try PodCreateFailure(reading: &reader) }
            },
            cleanupTime: annotations[RecordAnnotations.cleanupTime].flatMap { KubeTime.parse($0) == nil ? nil : $0 })
    }

    /// The annotations that hold this record; absent members are not written (a merge patch
    /// leaves those keys as they are: a record only grows).
    public var annotations: [String: String] {
        var result: [String: String] = [:]
        if let mainPodTermination, let json = Self.encode(mainPodTermination) {
            result[RecordAnnotations.mainPodTermination] = json
        }
        if let exitHandlerAttempts { result[RecordAnnotations.exitHandlerAttempts] = String(exitHandlerAttempts) }
        if let podCreateFailure, let json = Self.encode(podCreateFailure) {
            result[RecordAnnotations.podCreateFailure] = json
        }
        if let cleanupTime { result[RecordAnnotations.cleanupTime] = cleanupTime }
        return result
    }

    /// `status` with every member of this record that is set.
    public func applied(to status: OMJobStatus) -> OMJobStatus {
        var status = status
        if let mainPodTermination { status.mainPodTermination = mainPodTermination }
        if let exitHandlerAttempts { status.exitHandlerAttempts = exitHandlerAttempts }
        if let podCreateFailure { status.podCreateFailure = podCreateFailure }
        if let cleanupTime { status.cleanupTime = cleanupTime }
        return status
    }

    /// Read on every decision (`effectiveStatus`): straight from the annotation's bytes.
    private static func read<T>(_ text: String, _ body: (inout JSONReader) throws(JSONReadError) -> T) -> T? {
        try? JSONReader.read(text.utf8, body)
    }

    private static func encode<T: Encodable>(_ value: T) -> String? {
        (try? JSONValueEncoder.encodeBytes(value, sortedKeys: true)).map { String(decoding: $0, as: UTF8.self) }
    }
}

extension RunRecord {
    /// The annotations to write with a status that records `self` for `omJob`, or nil when none
    /// are needed: when they already hold it, or when the OMJob's CRD is known to keep the status
    /// fields (the status this operator last wrote still has `observedGeneration`, which
    /// OpenMetadata's chart's CRD prunes) and no annotation was started for this run (once
    /// started, the annotations stay the record: they win over the status when read back).
    /// Saves one write per run under a CRD that keeps the status; costs nothing otherwise.
    public func annotationsToWrite(for omJob: OMJob) -> [String: String]? {
        let annotated = RunRecord(annotations: omJob.metadata.annotations)
        guard self != annotated else { return nil }
        if annotated == RunRecord(), omJob.status?.observedGeneration != nil { return nil }
        return annotations
    }
}

extension OMJob {
    /// The status as the decision must see it: the observed status with the record of the
    /// OMJob's annotations applied over it (see `RunRecord`).
    public var effectiveStatus: OMJobStatus {
        RunRecord(annotations: metadata.annotations).applied(to: status ?? OMJobStatus())
    }
}
