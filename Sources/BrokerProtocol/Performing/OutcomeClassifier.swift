import KubeAPI

/// The one mapping from a Kubernetes client error to a command outcome. Retries of transient
/// failures already happened inside the client (`KubeClient.send` under its `RetryPolicy`), so a
/// transient error seen here outlasted the deadline and becomes `failed` (decide again later).
enum OutcomeClassifier {
    static func outcome(for error: KubeError) -> CommandOutcome {
        if error.isAlreadyExists { return .alreadyExists }
        if error.isConflict { return .conflict }
        if error.isNotFound { return .notFound }
        switch error.disposition {
        case .transient: return .failed(error.description)
        case .permanent:
            // A refused request (400, 403 incl. quota, 422) cannot succeed as sent; a TLS or
            // decoding failure is ours or the server's configuration: retrying later may help.
            if case .api = error { return .invalid(error.description) }
            return .failed(error.description)
        }
    }

    /// True for a refusal of a pod that retrying cannot fix: the run must end with CreateFailed.
    static func isRejection(_ error: KubeError) -> Bool {
        guard case .api = error, !error.isAlreadyExists, !error.isConflict, !error.isNotFound else { return false }
        return error.disposition == .permanent
    }
}
