/// Accepted commands waiting for one executor (or, before any executor is ready, for any),
/// oldest first.
///
/// Removal is lazy: a command forgotten while it waits (its requester left) stays in the array
/// until it reaches the head, because removing from the middle would be linear. Each entry
/// carries the ticket its command was accepted under, so a later command that reuses the id is
/// never mistaken for the forgotten one.
struct PendingQueue: Sendable {
    /// One waiting command: its id and its acceptance ticket.
    struct Entry: Sendable, Equatable {
        var id: String
        var ticket: UInt64
    }

    private var entries: [Entry] = []
    private var head = 0

    mutating func append(_ entry: Entry) { entries.append(entry) }

    /// Puts `front` before everything still queued (commands re-dispatched after an executor died).
    mutating func prepend(_ front: [Entry]) {
        entries = front + entries[head...]
        head = 0
    }

    /// Removes and returns the oldest live entry, dropping dead ones on the way.
    mutating func popFirst(isLive: (Entry) -> Bool) -> Entry? {
        while head < entries.count {
            let entry = entries[head]
            head += 1
            if isLive(entry) {
                compact()
                return entry
            }
        }
        entries.removeAll(keepingCapacity: true)
        head = 0
        return nil
    }

    /// Removes and returns every live entry, oldest first.
    mutating func removeAll(isLive: (Entry) -> Bool) -> [Entry] {
        defer { entries = []; head = 0 }
        return entries[head...].filter(isLive)
    }

    /// The live entries in order (for `ctl`, `/info` and tests; linear in the queue).
    func live(isLive: (Entry) -> Bool) -> [Entry] { entries[head...].filter(isLive) }

    /// Drops the consumed prefix once it is most of the array, so popping stays amortised O(1).
    private mutating func compact() {
        if head > 1024, head * 2 > entries.count {
            entries.removeFirst(head)
            head = 0
        }
    }
}
