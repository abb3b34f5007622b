import Foundation
import Runtime

/// Operator-wide settings of the gc's decisions; names, defaults and accepted values are in ``Settings``.
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
        defaultTTLSeconds: Int = Settings.gcDefaultTTL.defaultInteger, deleteOMJobAfterTTL: Bool = false,
        staleFinalizerSeconds: Int = Settings.gcStaleFinalizer.defaultInteger,
        defaultHistoryLimit: Int = Settings.gcDefaultHistoryLimit.defaultInteger
    ) {
        self.defaultTTLSeconds = defaultTTLSeconds
        self.deleteOMJobAfterTTL = deleteOMJobAfterTTL
        self.staleFinalizerSeconds = staleFinalizerSeconds
        self.defaultHistoryLimit = defaultHistoryLimit
    }
}
