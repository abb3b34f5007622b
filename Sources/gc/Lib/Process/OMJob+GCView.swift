import Shared

extension OMJob {
    /// What the gc keeps of an OMJob: all but its pod templates, which no gc rule reads (TTL,
    /// history limits and the finalizer report read metadata, status, `ttlSecondsAfterFinished`).
    ///
    /// OpenMetadata gives each run's templates its own environment (`pipelineRunId`, `config`), so
    /// interning cannot share them: with 10,000 OMJobs they were most of the gc's memory.
    func withoutPodTemplates() -> OMJob {
        var omJob = self
        omJob.spec?.mainPodSpec = nil
        omJob.spec?.exitHandlerSpec = nil
        return omJob
    }
}
