import Models

/// Per-key FIFO: one command per OMJob at a time, in arrival order, many OMJobs at once.
/// The broker sends one run's commands to one executor in decision order; running them one after
/// another keeps that order (a status patch never overtakes the pod creation it records).
struct KeyedSerialQueue<Item> {
    private var waiting: [ObjectKey: [Item]] = [:]
    private var busy: Set<ObjectKey> = []

    /// Queues `item`; returns it when its key is idle (the caller starts it now).
    mutating func enqueue(_ item: Item, key: ObjectKey) -> Item? {
        guard busy.contains(key) else {
            busy.insert(key)
            return item
        }
        waiting[key, default: []].append(item)
        return nil
    }

    /// Marks the key's running item finished; returns the key's next item to start, if any.
    mutating func finish(key: ObjectKey) -> Item? {
        guard var queue = waiting[key], !queue.isEmpty else {
            waiting[key] = nil
            busy.remove(key)
            return nil
        }
        let next = queue.removeFirst()
        waiting[key] = queue.isEmpty ? nil : queue
        return next
    }
}
