/// OTP's restart intensity: more than `maxRestarts` restarts within `period` means the tree is
/// failing as a whole, so it shuts down and lets Kubernetes restart the pod (visible in events).
///
/// A sliding window of restart times, as in `supervisor.erl`'s `add_restart/3`.
public struct RestartIntensity: Sendable, Equatable {
    public var maxRestarts: Int
    public var period: Duration
    private var restarts: [Duration] = []

    public init(maxRestarts: Int, period: Duration) {
        self.maxRestarts = maxRestarts
        self.period = period
    }

    /// Records a restart at `now`; false when that restart exceeds the limit.
    public mutating func recordRestart(at now: Duration) -> Bool {
        restarts.append(now)
        restarts.removeAll { now - $0 > period }
        return restarts.count <= maxRestarts
    }

    /// Restarts currently inside the window.
    public var recentRestarts: Int { restarts.count }
}
