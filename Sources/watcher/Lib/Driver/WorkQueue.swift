/// client-go's work queue as a value: keys waiting in order, a dirty set so a key is queued at
/// most once however many changes arrive, and a processing set so one key never runs twice at
/// once (a key changed while processing runs again after `done`).
public struct WorkQueue<Key: Hashable> {
    private var order: [Key] = []
    private var head = 0
    private var dirty: Set<Key> = []
    private var processing: Set<Key> = []

    public init() {}

    /// Marks `key` as needing work.
    public mutating func add(_ key: Key) {
        guard dirty.insert(key).inserted, !processing.contains(key) else { return }
        order.append(key)
    }

    /// The next key to work on (now processing), or nil when none is waiting.
    public mutating func next() -> Key? {
        guard head < order.count else { return nil }
        let key = order[head]
        head += 1
        if head > 1024, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
        dirty.remove(key)
        processing.insert(key)
        return key
    }

    /// Ends work on `key`; if it changed meanwhile it is queued again.
    public mutating func done(_ key: Key) {
        processing.remove(key)
        if dirty.contains(key) { order.append(key) }
    }

    /// Keys waiting (not counting those being processed).
    public var count: Int { order.count - head }
}
