import Foundation

/// Per-key exponential backoff for keys whose commands failed (client-go's
/// `ItemExponentialFailureRateLimiter`): 5 ms doubling per failure up to 1000 s, forgotten on success.
public struct KeyBackoff<Key: Hashable> {
    /// First retry: soon enough that one transient failure costs nothing visible.
    public var base: TimeInterval = 0.005
    /// Cap: a key failing for a long time is still tried every ~17 minutes.
    public var cap: TimeInterval = 1000
    private var failures: [Key: Int] = [:]

    public init() {}

    /// Records a failure and returns how long to wait before trying `key` again.
    public mutating func failed(_ key: Key) -> TimeInterval {
        let count = failures[key, default: 0]
        failures[key] = count + 1
        return min(base * pow(2, Double(min(count, 40))), cap)
    }

    /// Clears the key's failures.
    public mutating func forget(_ key: Key) { failures[key] = nil }
}
