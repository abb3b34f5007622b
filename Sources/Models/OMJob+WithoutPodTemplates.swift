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
