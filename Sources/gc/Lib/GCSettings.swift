import Foundation

/// Operator-wide settings of the gc's decisions, validated by the gc's entry point.
public struct GCSettings: Hashable, Sendable {
    /// `ttlSecondsAfterFinished` when an OMJob has none (the CRD's default, for objects created
    /// before the CRD declared it).
    public var defaultTTLSeconds: Int
    /// Delete the OMJob itself once its pods are cleaned up. Off by default: OpenMetadata reads
    /// finished OMJobs to show run history.
    public var deleteOMJobAfterTTL: Bool
    /// An operator finalizer holding an object this long is reported (Warning event, metric).
    public var staleFinalizerSeconds: Int
    /// `successfulJobsHistoryLimit` / `failedJobsHistoryLimit` when unset.
    public var defaultHistoryLimit: Int

    public init(
        defaultTTLSeconds: Int = 86_400, deleteOMJobAfterTTL: Bool = false, staleFinalizerSeconds: Int = 3_600,
        defaultHistoryLimit: Int = 3
    ) {
        self.defaultTTLSeconds = defaultTTLSeconds
        self.deleteOMJobAfterTTL = deleteOMJobAfterTTL
        self.staleFinalizerSeconds = staleFinalizerSeconds
        self.defaultHistoryLimit = defaultHistoryLimit
    }
}
