import Shared

/// Connections ending: an executor's commands go back to the queue, a requester's are forgotten.
extension Broker {
    /// The connection is gone (EOF, error, or closed by us).
    public mutating func disconnected(_ connection: ConnectionID, now: Duration) -> [Action] {
        let peer = peers.removeValue(forKey: connection)
        var actions: [Action] = peer.map { [.log(.peerLeft(connection, $0.hello))] } ?? []
        var requeued: [(id: String, acceptedAt: Duration)] = []
        for (id, entry) in ledger {
            if entry.executor == connection {
                ledger[id]!.executor = nil
                requeued.append((id, entry.acceptedAt))
            } else if entry.requester == connection && entry.executor == nil {
                // Nobody is left to answer; the requester recomputes its commands after a restart.
                ledger[id] = nil
                queue.removed()
            }
        }
        keyOwners = keyOwners.filter { $0.value.executor != connection }
        requeued.sort { ($0.acceptedAt, $0.id) < ($1.acceptedAt, $1.id) }
        if !requeued.isEmpty { actions.append(.log(.redispatching(connection, count: requeued.count))) }
        if !requeued.isEmpty { queue.prepend(requeued.map(\.id), isWaiting: isWaiting) }
        return actions + dispatch() + drainedIfEmpty()
    }

    /// Closes `connection`; the driver reports `disconnected` once it is closed.
    mutating func closing(_ connection: ConnectionID, _ reason: String) -> [Action] {
        [.close(connection, reason: reason)]
    }

    /// Commands in flight, for `ctl inflight` and `/info`.
    public var inFlightSummary: [(id: String, key: ObjectKey, executor: ConnectionID?)] {
        ledger.map { ($0.key, $0.value.key, $0.value.executor) }.sorted { $0.id < $1.id }
    }
}
