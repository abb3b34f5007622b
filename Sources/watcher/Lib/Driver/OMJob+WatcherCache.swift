import Models

extension OMJob {
    /// The form the watcher caches: a finished run without its pod templates (it creates no
    /// more pods), any other run whole.
    func withoutPodTemplatesIfFinished() -> OMJob {
        status?.phase?.isFinished == true ? withoutPodTemplates() : self
    }
}
