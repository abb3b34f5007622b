import DequeModule

/// Accepted commands waiting for one executor (or, before any executor is ready, for any),
/// oldest first.
///
/// Removal is lazy: a command forgotten while it waits (its requester left) stays queued until
/// it reaches the head, because removing from the middle would be linear. Each entry carries
/// the ticket its command was accepted under, so a later command that reuses the id is never
/// mistaken for the forgotten one.
struct PendingQueue: Sendable {
    /// One waiting command: its id and its acceptance ticket.
    struct Entry: Sendable, Equatable {
        var id: String
        var ticket: UInt64
    }

    private var entries = Deque<Entry>()

    mutating func append(_ entry: Entry) { entries.append(entry) }

    /// Puts `front` before everything still queued (commands re-dispatched after an executor died).
    mutating func prepend(_ front: [Entry]) { entries.prepend(contentsOf: front) }

    /// Removes and returns the oldest live entry, dropping dead ones on the way.
    mutating func popFirst(isLive: (Entry) -> Bool) -> Entry? {
        while let entry = entries.popFirst() {
            if isLive(entry) { return entry }
        }
        return nil
    }

    /// Removes and returns every live entry, oldest first.
    mutating func removeAll(isLive: (Entry) -> Bool) -> [Entry] {
        defer { entries.removeAll() }
        return entries.filter(isLive)
    }

    /// The live entries in order (for `ctl`, `/info` and tests; linear in the queue).
    func live(isLive: (Entry) -> Bool) -> [Entry] { entries.filter(isLive) }
}
