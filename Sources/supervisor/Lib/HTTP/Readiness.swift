import KubeAPI

/// `/ready`'s rule: every child running, connected and ready; the watcher synced; no worker
/// reporting the API server unreachable or a required permission missing; the broker still
/// routing. Each unmet condition is one line of the 503 body, so a failing probe says why; a
/// ready operator that lacks optional permissions says which, and what that costs, in its 200
/// body.
public enum Readiness {
    /// The 200 body: `ready`, then one line per missing optional permission (verbs that differ
    /// only in their verb together, as the watcher's ERROR line says them).
    public static func readyBody(missingPermissions: [Permission]) -> String {
        let optional = PermissionGroup.of(missingPermissions.filter { !$0.required })
        return (["ready"] + optional.map { "missing optional permission: \($0) (\($0.withoutIt))" })
            .joined(separator: "\n") + "\n"
    }

    public static func problems(children: [SupervisionTree.Child], peers: [Broker.Peer], routing: Bool) -> [String] {
        var problems: [String] = []
        if !routing { problems.append("shutting down") }
        for child in children {
            guard let pid = child.pid, case .running = child.phase else {
                problems.append("\(child.id) is not running")
                continue
            }
            guard let peer = peers.first(where: { $0.hello.pid == pid && $0.hello.role == child.id.role }) else {
                problems.append("\(child.id) has not connected to the broker")
                continue
            }
            if !peer.ready { problems.append("\(child.id) is not ready") }
            if child.id.role == "watcher", peer.conditions.synced != true {
                problems.append("\(child.id) has not finished its initial lists")
            }
        }
        for peer in peers where peer.conditions.apiReachable == false {
            problems.append("API server unreachable (reported by \(peer.hello.role) pid \(peer.hello.pid))")
        }
        for permission in missingPermissions(peers: peers) where permission.required {
            problems.append("missing permission: \(permission) (\(permission.withoutIt))")
        }
        return problems
    }

    /// Every permission a worker reported missing, once each, required ones first.
    public static func missingPermissions(peers: [Broker.Peer]) -> [Permission] {
        var seen = Set<Permission>()
        let all = peers.flatMap { $0.conditions.missingPermissions ?? [] }.filter { seen.insert($0).inserted }
        return all.filter(\.required) + all.filter { !$0.required }
    }
}
