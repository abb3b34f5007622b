import Testing

@testable import Shared

@Suite struct RetryPolicyTests {
    static func api(_ code: Int, reason: String, retryAfter: Duration? = nil) -> KubeError {
        .api(Status(reason: reason, code: code), retryAfter: retryAfter)
    }

    static let dispositions: [(KubeError, KubeError.Disposition)] = [
        (api(429, reason: "TooManyRequests", retryAfter: .seconds(2)), .transient(after: .seconds(2))),
        (api(500, reason: "InternalError"), .transient(after: nil)),
        (api(503, reason: "ServiceUnavailable", retryAfter: .seconds(1)), .transient(after: .seconds(1))),
        (api(504, reason: "Timeout"), .transient(after: nil)),
        (api(501, reason: "NotImplemented"), .permanent),
        (api(422, reason: "Invalid"), .permanent),
        (api(409, reason: "AlreadyExists"), .permanent),
        (api(409, reason: "Conflict"), .permanent),
        (api(404, reason: "NotFound"), .permanent),
        (api(410, reason: "Gone"), .permanent),
        (api(403, reason: "Forbidden"), .permanent),
        (.transport(TransportError(kind: .connection, message: "refused")), .transient(after: nil)),
        (.transport(TransportError(kind: .timeout, message: "slow")), .transient(after: nil)),
        (.transport(TransportError(kind: .tls, message: "bad CA")), .permanent),
        (.transport(TransportError(kind: .cancelled, message: "")), .permanent),
        (.decoding("x"), .permanent),
        (.configuration(setting: "s", message: "m"), .permanent),
    ]

    @Test(arguments: dispositions)
    func everyErrorHasOneDisposition(error: KubeError, expected: KubeError.Disposition) {
        #expect(error.disposition == expected)
    }

    static let policy = RetryPolicy(initialBackoff: .milliseconds(100), maxBackoff: .seconds(1), deadline: .seconds(10))

    static let decisions: [(KubeError, Int, Duration, Double, RetryPolicy.Decision)] = [
        // Exponential with equal jitter: step/2 + step*jitter/2.
        (api(500, reason: "InternalError"), 1, .zero, 0, .retry(after: .milliseconds(50))),
        (api(500, reason: "InternalError"), 1, .zero, 1, .retry(after: .milliseconds(100))),
        (api(500, reason: "InternalError"), 3, .zero, 0, .retry(after: .milliseconds(200))),
        // Capped at maxBackoff.
        (api(500, reason: "InternalError"), 10, .zero, 0, .retry(after: .milliseconds(500))),
        // Retry-After wins over a shorter backoff.
        (api(429, reason: "TooManyRequests", retryAfter: .seconds(3)), 1, .zero, 0.5, .retry(after: .seconds(3))),
        // Past the deadline: give up.
        (api(429, reason: "TooManyRequests", retryAfter: .seconds(3)), 1, .seconds(8), 0, .giveUp),
        (api(503, reason: "ServiceUnavailable"), 2, .milliseconds(9_950), 0, .giveUp),
        // Permanent: never retried.
        (api(422, reason: "Invalid"), 1, .zero, 0, .giveUp),
    ]

    @Test(arguments: decisions)
    func decide(error: KubeError, attempt: Int, elapsed: Duration, jitter: Double, expected: RetryPolicy.Decision) {
        #expect(Self.policy.decide(error, attempt: attempt, elapsed: elapsed, jitter: jitter) == expected)
    }
}
