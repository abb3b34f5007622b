import Models

/// Connections ending: an executor's commands go back to the queue, a requester's are forgotten.
extension Broker {
    /// The connection is gone (EOF, error, or closed by us).
    public mutating func disconnected(_ connection: ConnectionID, now: Duration) -> [Action] {
        let peer = peers.removeValue(forKey: connection)
        var actions: [Action] = peer.map { [.log(.peerLeft(connection, $0.hello))] } ?? []
        var requeued: [(id: String, command: InFlight)] = []
        for (id, entry) in ledger {
            if entry.executor == connection || entry.lane == connection {
                // Held or queued by the executor that left: waits again, for another one.
                if entry.executor != nil { pendingCount += 1 }
                ledger[id]!.executor = nil
                ledger[id]!.lane = nil
                requeued.append((id, entry))
            } else if entry.requester == connection && entry.executor == nil {
                // Nobody is left to answer; the requester recomputes its commands after a restart.
                ledger[id] = nil
                pendingCount -= 1
                if entry.lane != nil { releaseKey(entry.key) }
            }
        }
        lanes[connection] = nil
        keyOwners = keyOwners.filter { $0.value.executor != connection }
        guard !requeued.isEmpty else { return actions + drainedIfEmpty() }
        requeued.sort { ($0.command.acceptedAt, $0.command.ticket) < ($1.command.acceptedAt, $1.command.ticket) }
        actions.append(.log(.redispatching(connection, count: requeued.count)))
        let entries = requeued.map { PendingQueue.Entry(id: $0.id, ticket: $0.command.ticket) }
        return actions + assign(entries, atFront: true).sorted().flatMap { pump($0) } + drainedIfEmpty()
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
