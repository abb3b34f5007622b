#if canImport(Glibc)
    import Glibc
#endif

/// The driver's clock: monotonic time since the supervisor started, the `now` every state
/// machine input carries (nanosecond resolution, for the broker's round-trip histogram).
struct MonotonicClock {
    private let origin: Duration

    init() { origin = Self.raw() }

    func now() -> Duration { Self.raw() - origin }

    private static func raw() -> Duration {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return .seconds(Int64(ts.tv_sec)) + .nanoseconds(Int64(ts.tv_nsec))
    }
}
