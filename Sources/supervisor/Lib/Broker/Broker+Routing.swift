import Shared

/// Accepting commands, choosing executors, completing and re-dispatching.
///
/// A command is routed once, when accepted: to the executor already holding its key, else to the
/// key's rendezvous winner, and waits in that executor's lane. An executor's room changes only
/// when it answers (or becomes ready), and then only its own lane is looked at, so the cost per
/// command stays constant however long the queue grows under overload.
extension Broker {
    mutating func accept(_ command: CommandEnvelope, frame: [UInt8], from connection: ConnectionID, now: Duration)
        -> [Action]
    {
        guard peers[connection]?.hello.role != "executor" else {
            return closing(connection, "executors do not send commands")
        }
        if !routing { return [reject(command.id, to: connection, "shutting-down")] }
        if ledger[command.id] != nil { return [reject(command.id, to: connection, "duplicate-id")] }
        if pendingCount >= limits.queueLimit { return [reject(command.id, to: connection, "busy")] }
        let entry = PendingQueue.Entry(id: command.id, ticket: nextTicket)
        nextTicket += 1
        ledger[command.id] = InFlight(
            requester: connection, key: command.key, frame: frame, acceptedAt: now, ticket: entry.ticket)
        pendingCount += 1
        guard let executor = assign(entry) else { return [] }
        return pump(executor)
    }

    mutating func complete(_ result: ResultEnvelope, frame: [UInt8], from connection: ConnectionID, now: Duration)
        -> [Action]
    {
        guard let entry = ledger[result.id], entry.executor == connection else {
            return [.log(.strayResult(connection, id: result.id))]
        }
        ledger[result.id] = nil
        peers[connection]?.inFlight -= 1
        releaseKey(entry.key)
        var actions: [Action] = [.completed(latency: now - entry.acceptedAt)]
        if peers[entry.requester] != nil { actions.append(.send(entry.requester, frame)) }
        return actions + pump(connection) + drainedIfEmpty()
    }

    /// Sends the oldest commands of `executor`'s lane while it has room.
    mutating func pump(_ executor: ConnectionID) -> [Action] {
        guard leading, let peer = peers[executor], peer.ready, peer.inFlight < limits.perExecutor,
            var lane = lanes.removeValue(forKey: executor)
        else { return [] }
        defer { lanes[executor] = lane }
        var actions: [Action] = []
        var inFlight = peer.inFlight
        while inFlight < limits.perExecutor, let entry = lane.popFirst(isLive: isWaiting) {
            ledger[entry.id]!.executor = executor
            pendingCount -= 1
            inFlight += 1
            actions.append(.send(executor, ledger[entry.id]!.frame))
        }
        peers[executor]!.inFlight = inFlight
        return actions
    }

    /// Puts one waiting command in its executor's lane; nil when no executor is ready.
    mutating func assign(_ entry: PendingQueue.Entry) -> ConnectionID? {
        let key = ledger[entry.id]!.key
        guard let executor = executor(for: key) else {
            unassigned.append(entry)
            return nil
        }
        ledger[entry.id]!.lane = executor
        keyOwners[key, default: (executor, 0)].count += 1
        lanes[executor, default: PendingQueue()].append(entry)
        return executor
    }

    /// Assigns waiting commands, oldest first; `atFront` puts them before what already waits
    /// (a dead executor's commands were accepted earlier). Returns the lanes that got some.
    mutating func assign(_ entries: [PendingQueue.Entry], atFront: Bool) -> Set<ConnectionID> {
        guard atFront else { return Set(entries.compactMap { assign($0) }) }
        var byLane: [ConnectionID: [PendingQueue.Entry]] = [:]
        var orphans: [PendingQueue.Entry] = []
        for entry in entries {
            let key = ledger[entry.id]!.key
            guard let executor = executor(for: key) else {
                orphans.append(entry)
                continue
            }
            ledger[entry.id]!.lane = executor
            keyOwners[key, default: (executor, 0)].count += 1
            byLane[executor, default: []].append(entry)
        }
        for (executor, front) in byLane { lanes[executor, default: PendingQueue()].prepend(front) }
        if !orphans.isEmpty { unassigned.prepend(orphans) }
        return Set(byLane.keys)
    }

    /// The executor holding the key's waiting or in-flight commands, else the rendezvous-hash
    /// winner among ready executors (by instance, so a restarted executor gets its keys back).
    func executor(for key: ObjectKey) -> ConnectionID? {
        if let owner = keyOwners[key] { return owner.executor }
        var best: (connection: ConnectionID, score: UInt64)?
        for (connection, peer) in peers where peer.hello.role == "executor" && peer.ready {
            let score = RendezvousHash.score(key: key, node: peer.hello.instance ?? Int(peer.hello.pid))
            if best == nil || score > best!.score || (score == best!.score && connection < best!.connection) {
                best = (connection, score)
            }
        }
        return best?.connection
    }

    /// One command of `key` left its executor (answered or forgotten).
    mutating func releaseKey(_ key: ObjectKey) {
        guard let owner = keyOwners[key] else { return }
        keyOwners[key] = owner.count > 1 ? (owner.executor, owner.count - 1) : nil
    }

    func reject(_ id: String, to connection: ConnectionID, _ reason: String) -> Action {
        .send(connection, IPCMessage.result(ResultEnvelope(id: id, error: reason)).frame())
    }

    mutating func drainedIfEmpty() -> [Action] {
        guard !routing, !drainedReported, ledger.isEmpty else { return [] }
        drainedReported = true
        return [.drained]
    }
}
