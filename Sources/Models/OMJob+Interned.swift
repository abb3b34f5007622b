extension OMJob {
    /// This OMJob with the values that repeat across runs shared through `interner`: metadata
    /// strings, and the pod templates, which are equal across the runs of one pipeline (the
    /// spec is kept whole: the decision builds the run's pods from it).
    ///
    /// The watcher's and the gc's OMJob informers apply it to every object they store; with
    /// 10,000 OMJobs it is most of the difference between a store over and under its memory
    /// budget (see client-bench).
    public func interned(_ interner: inout Interner) -> OMJob {
        var omJob = self
        omJob.metadata = metadata.interned(&interner)
        if var spec {
            // Parts first: the exit handler is often the same even when main pods' env differ.
            spec.mainPodSpec = interner.intern(spec.mainPodSpec)
            spec.exitHandlerSpec = interner.intern(spec.exitHandlerSpec)
            omJob.spec = interner.intern(spec)
        }
        // A status is unique to its run (pod names, times): interning it whole would only add a
        // large pool entry per OMJob; its timestamps do repeat (runs of one schedule slot).
        omJob.status?.startTime = interner.intern(status?.startTime)
        omJob.status?.completionTime = interner.intern(status?.completionTime)
        return omJob
    }
}
