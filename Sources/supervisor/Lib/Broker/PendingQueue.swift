/// Accepted command ids waiting for an executor, oldest first.
///
/// Dispatch takes entries from anywhere in the first window, so removal is lazy: an entry is
/// live while `isWaiting` says so, and dead entries are dropped when they reach the head. This
/// keeps a pass over an overloaded queue from copying the whole queue for every result.
struct PendingQueue: Sendable {
    private var ids: [String] = []
    private var head = 0
    /// Live entries.
    private(set) var count = 0

    mutating func append(_ id: String) {
        ids.append(id)
        count += 1
    }

    /// Marks one live entry as gone (dispatched or forgotten); the caller knows it was live.
    mutating func removed() { count -= 1 }

    /// Live entries of the first `window` slots, oldest first, after dropping dead ones at the head.
    mutating func window(_ window: Int, isWaiting: (String) -> Bool) -> ArraySlice<String> {
        while head < ids.count, !isWaiting(ids[head]) { head += 1 }
        if head > 4096, head * 2 > ids.count {
            ids.removeFirst(head)
            head = 0
        }
        return ids[head..<min(ids.count, head + window)]
    }

    /// Puts `front` before everything still waiting (re-dispatch after an executor died);
    /// rebuilds the queue so that every id appears once.
    mutating func prepend(_ front: [String], isWaiting: (String) -> Bool) {
        let moved = Set(front)
        ids = front + ids[head...].filter { isWaiting($0) && !moved.contains($0) }
        head = 0
        count = ids.count
    }

    /// The live ids in order (for tests and `ctl`; linear in the queue).
    func live(isWaiting: (String) -> Bool) -> [String] { ids[head...].filter(isWaiting) }
}
