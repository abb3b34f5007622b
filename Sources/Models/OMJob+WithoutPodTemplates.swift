public import KubeJSON

extension OMJob {
    /// This OMJob without its pod templates, marked `podTemplatesDropped`, for caches that never
    /// read them: the gc's (no gc rule reads them) and the watcher's for finished runs (a finished
    /// run creates no pod). OpenMetadata gives each run's templates its own environment
    /// (`pipelineRunId`, `config`), so interning cannot share them across runs.
    public func withoutPodTemplates() -> OMJob {
        var omJob = self
        omJob.spec?.mainPodSpec = nil
        omJob.spec?.exitHandlerSpec = nil
        omJob.podTemplatesDropped = true
        return omJob
    }
}

/// An OMJob read without its pod templates, for caches that never read them (the gc's): the
/// templates, most of an OMJob's bytes (OpenMetadata gives each run's its own environment), are
/// stepped over while reading instead of being read and then dropped. The OMJob is
/// ``OMJob/withoutPodTemplates()``'s.
public struct OMJobWithoutPodTemplates: KubernetesObject, Hashable {
    public static var resourceType: ResourceType { OMJob.resourceType }

    public var omJob: OMJob

    public init(_ omJob: OMJob) { self.omJob = omJob.withoutPodTemplates() }

    public var metadata: ObjectMeta {
        get { omJob.metadata }
        set { omJob.metadata = newValue }
    }

    public init(from decoder: any Decoder) throws { self.init(try OMJob(from: decoder)) }

    public func encode(to encoder: any Encoder) throws { try omJob.encode(to: encoder) }

    /// This OMJob with its repeated values shared through `interner` (``OMJob/interned(_:)``).
    public func interned(_ interner: inout Interner) -> OMJobWithoutPodTemplates {
        var kept = self
        kept.omJob = omJob.interned(&interner)
        return kept
    }
}

extension OMJobWithoutPodTemplates: JSONReadable {
    public init(reading reader: inout JSONReader) throws(JSONReadError) {
        omJob = try OMJob(reading: &reader, podTemplates: false)
    }
}
