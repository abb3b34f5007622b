import DequeModule
import Models
import Runtime

/// Which received command the executor performs next: one command per OMJob at a time, in
/// arrival order (`KeyedSerialQueue`); at most `limit` commands at once across OMJobs; and among
/// the commands whose turn it is, the urgent ones (those that start an exit handler) first.
///
/// Why a limit: with none, a burst of endings sends every write to the API server at once and the
/// server serves them in arrival order, so the exit pod of the 1,000th ending waits behind the
/// status, finalizer and new-run writes of the 999 before it. With a bounded number in flight the
/// waiting happens here, where an exit pod can overtake bookkeeping. The limit also keeps one
/// executor from opening a connection per command against a real API server.
struct CommandScheduler<Item> {
    /// How soon a command should reach the API server once its OMJob's turn comes.
    enum Urgency: Sendable {
        /// On the path to an exit handler: creating its pod, or the fresh read it waits for.
        case urgent
        case normal
    }

    private struct Entry {
        var item: Item
        var urgency: Urgency
    }

    /// Commands performed at once, at most.
    let limit: Int
    private var serial = KeyedSerialQueue<Entry>()
    private var urgent = Deque<Entry>()
    private var normal = Deque<Entry>()
    /// Commands started and not yet finished.
    private(set) var running = 0

    init(limit: Int) {
        precondition(limit > 0, "the scheduler's limit is checked by OperatorConfig")
        self.limit = limit
    }

    /// Takes a received command; returns the commands to start now (possibly none).
    mutating func add(_ item: Item, key: ObjectKey, urgency: Urgency) -> [Item] {
        if let turn = serial.enqueue(Entry(item: item, urgency: urgency), key: key) { makeReady(turn) }
        return dispatch()
    }

    /// Marks the running command of `key` finished; returns the commands to start now.
    mutating func finish(key: ObjectKey) -> [Item] {
        running -= 1
        if let turn = serial.finish(key: key) { makeReady(turn) }
        return dispatch()
    }

    /// Commands whose OMJob's turn has come, waiting for a free place.
    var waiting: Int { urgent.count + normal.count }

    private mutating func makeReady(_ entry: Entry) {
        switch entry.urgency {
        case .urgent: urgent.append(entry)
        case .normal: normal.append(entry)
        }
    }

    private mutating func dispatch() -> [Item] {
        var started: [Item] = []
        while running < limit, let next = urgent.popFirst() ?? normal.popFirst() {
            running += 1
            started.append(next.item)
        }
        return started
    }
}
