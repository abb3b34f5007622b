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
    private var inFlight: [String: (key: Key, versionBound: Bool, awaits: AwaitedChange?)] = [:]
    private var answered: [String: (key: Key, versionBound: Bool, until: Date)] = [:]
    /// The answered ids that are not version-bound, by key, with the object whose change shows
    /// their effect: a change to one key must not cost a scan of every answer (with a thousand
    /// runs in flight that scan dominated each event).
    private var releasableByKey: [Key: [String: AwaitedChange?]] = [:]
    /// Pruning scans every answer, so it runs at most once per `pruneInterval`.
    private var nextPrune = Date.distantPast
    private let pruneInterval: TimeInterval = 1

    public init() {}

    /// True when `id` may be sent now.
    public func mayStart(_ id: String, now: Date) -> Bool {
        guard inFlight[id] == nil else { return false }
        guard let settled = answered[id] else { return true }
        return settled.until <= now
    }

    /// `versionBound`: the command carries a resourceVersion precondition, so repeating it can
    /// only conflict until a newer version of the object has been seen. `awaits`: the change
    /// that may undo the command's effect; nil means any change of the key.
    public mutating func started(_ id: String, key: Key, versionBound: Bool, awaits: AwaitedChange? = nil) {
        inFlight[id] = (key, versionBound, awaits)
    }

    /// Records the answer; returns the key it was for (nil for an unknown id).
    /// `settled`: the answer means the state the command aimed at holds or can no longer be
    /// reached with the same id, so it is not repeated until `settleTime` passes.
    public mutating func answered(_ id: String, settled: Bool, now: Date) -> Key? {
        guard let entry = inFlight.removeValue(forKey: id) else { return nil }
        if settled {
            answered[id] = (entry.key, entry.versionBound, now.addingTimeInterval(settleTime))
            if !entry.versionBound { releasableByKey[entry.key, default: [:]][id] = .some(entry.awaits) }
        }
        return entry.key
    }

    /// The informers reported a change of `object` (nil: unknown) for `key`: answers awaiting it
    /// may be sent again if the decision still asks for them (a pod deleted after it was created
    /// must be created again). Other answers stay held: the OMJob's status often shows a write
    /// later than the pod it records, and a decision between the two asked for the same create
    /// again (half the runs sent their exit pod twice). Version-bound ids stay held too: the same
    /// id means the same stale version, which can only conflict.
    public mutating func keyChanged(_ key: Key, object: String? = nil, deleted: Bool = false) {
        guard let ids = releasableByKey[key] else { return }
        let released = ids.filter { entry in
            guard let object, let awaited = entry.value else { return true }
            return awaited.object == object && (deleted || !awaited.deletionOnly)
        }
        for id in released.keys { answered[id] = nil }
        releasableByKey[key] = released.count == ids.count ? nil : ids.filter { released[$0.key] == nil }
    }

    /// Drops expired answers (memory stays bounded by the answers of the last `settleTime`).
    public mutating func prune(now: Date) {
        guard now >= nextPrune else { return }
        nextPrune = now.addingTimeInterval(pruneInterval)
        let expired = answered.filter { $0.value.until <= now }
        for (id, entry) in expired {
            answered[id] = nil
            if !entry.versionBound { releasableByKey[entry.key]?[id] = nil }
            if releasableByKey[entry.key]?.isEmpty == true { releasableByKey[entry.key] = nil }
        }
    }

    public func inFlightCount(for key: Key) -> Int { inFlight.values.filter { $0.key == key }.count }
    public var inFlightCount: Int { inFlight.count }
}

/// The change that may undo a command's effect, so that the command may be needed again.
public struct AwaitedChange: Hashable, Sendable {
    /// The object as the watcher's driver names changes (`omjob`, `pod/<name>`).
    public var object: String
    /// Only the object's deletion counts: a create's effect holds while the object exists.
    public var deletionOnly: Bool

    public init(_ object: String, deletionOnly: Bool = false) {
        self.object = object
        self.deletionOnly = deletionOnly
    }
}
