import Shared

/// Accepting commands, choosing executors, completing and re-dispatching.
extension Broker {
    mutating func accept(_ command: CommandEnvelope, frame: [UInt8], from connection: ConnectionID, now: Duration) -> [Action] {
        guard peers[connection]?.hello.role != "executor" else { return closing(connection, "executors do not send commands") }
        if !routing { return [reject(command.id, to: connection, "shutting-down")] }
        if ledger[command.id] != nil { return [reject(command.id, to: connection, "duplicate-id")] }
        if queue.count >= limits.queueLimit { return [reject(command.id, to: connection, "busy")] }
        ledger[command.id] = InFlight(requester: connection, key: command.key, frame: frame, acceptedAt: now)
        queue.append(command.id)
        return dispatch()
    }

    mutating func complete(_ result: ResultEnvelope, frame: [UInt8], from connection: ConnectionID, now: Duration) -> [Action] {
        guard let entry = ledger[result.id], entry.executor == connection else {
            return [.log(.strayResult(connection, id: result.id))]
        }
        ledger[result.id] = nil
        release(key: entry.key, executor: connection)
        var actions: [Action] = [.completed(latency: now - entry.acceptedAt)]
        if peers[entry.requester] != nil { actions.append(.send(entry.requester, frame)) }
        return actions + dispatch() + drainedIfEmpty()
    }

    /// Sends every pending command whose executor has room, oldest first; a key whose executor
    /// is full blocks only that key, so one busy OMJob never delays the others. The scan stops
    /// as soon as no executor has room, so an overloaded broker does not rescan its whole queue
    /// on every result.
    mutating func dispatch() -> [Action] {
        guard queue.count > 0 else { return [] }
        var withRoom = Set(peers.filter { $0.value.hello.role == "executor" && $0.value.ready && $0.value.inFlight < limits.perExecutor }.keys)
        var actions: [Action] = []
        var blocked: Set<ObjectKey> = []
        // Under overload, look at the oldest entries only: the rest wait their turn in order.
        for id in queue.window(Self.dispatchWindow, isWaiting: isWaiting) where isWaiting(id) {
            if withRoom.isEmpty { break }
            let entry = ledger[id]!
            guard !blocked.contains(entry.key), let executor = executor(for: entry.key), withRoom.contains(executor) else {
                blocked.insert(entry.key)
                continue
            }
            ledger[id]!.executor = executor
            queue.removed()
            peers[executor]!.inFlight += 1
            if peers[executor]!.inFlight >= limits.perExecutor { withRoom.remove(executor) }
            keyOwners[entry.key, default: (executor, 0)].count += 1
            actions.append(.send(executor, entry.frame))
        }
        return actions
    }

    /// How many pending commands one dispatch pass examines at most.
    static let dispatchWindow = 1024

    /// The executor holding the key's in-flight commands, else the rendezvous-hash winner among
    /// ready executors (by instance, so a restarted executor gets its keys back).
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

    mutating func release(key: ObjectKey, executor: ConnectionID) {
        peers[executor]?.inFlight -= 1
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
