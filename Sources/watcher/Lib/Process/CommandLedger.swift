import Foundation

/// The watcher's memory of commands it sent, so it never sends a second command for something
/// in flight, nor repeats one whose answer it has and whose effect the watch has not shown yet.
///
/// Not needed for correctness (every command is idempotent and every decision is recomputed
/// from the API): it keeps the API writes per run low. Ids are deterministic, so a repeat of the
/// same decision yields the same ids; a status patch's id carries the resourceVersion it was
/// decided from, so a fresh object always yields fresh ids.
public struct CommandLedger<Key: Hashable> {
    /// How long an answered id is not sent again: longer than the watch normally lags behind a
    /// write, short enough that a lost effect is redone soon (the write is idempotent anyway).
    public var settleTime: TimeInterval = 15
    private var inFlight: [String: Key] = [:]
    private var answered: [String: Date] = [:]

    public init() {}

    /// True when `id` may be sent now.
    public func mayStart(_ id: String, now: Date) -> Bool {
        guard inFlight[id] == nil else { return false }
        guard let until = answered[id] else { return true }
        return until <= now
    }

    public mutating func started(_ id: String, key: Key) { inFlight[id] = key }

    /// Records the answer; returns the key it was for (nil for an unknown id).
    /// `settled`: the answer means the state the command aimed at holds or can no longer be
    /// reached with the same id, so it is not repeated until `settleTime` passes.
    public mutating func answered(_ id: String, settled: Bool, now: Date) -> Key? {
        guard let key = inFlight.removeValue(forKey: id) else { return nil }
        if settled { answered[id] = now.addingTimeInterval(settleTime) }
        return key
    }

    /// Drops expired answers (memory stays bounded by the answers of the last `settleTime`).
    public mutating func prune(now: Date) {
        answered = answered.filter { $0.value > now }
    }

    public func inFlightCount(for key: Key) -> Int { inFlight.values.filter { $0 == key }.count }
    public var inFlightCount: Int { inFlight.count }
}
