import KubeJSON
import Logging
import Shared

/// The views of the tree: HTTP health routes, `ctl` answers and the metrics they render.
extension SupervisorDriver {
    func servedHTTP(_ stream: TCPStream) {
        let parser = HTTPRequestParser()
        do {
            try stream.startReading { [unowned self] event in
                switch event {
                case .data(let bytes):
                    do throws(HTTPParseError) {
                        guard let head = try parser.feed(Array(bytes)) else { return }
                        stream.stopReading()
                        stream.write(
                            HealthRoutes.respond(to: head, with: snapshot(includeMetrics: head.path == "/metrics"))
                                .serialized())
                        stream.closeAfterFlush()
                    } catch {
                        stream.write(HTTPResponse(status: 400, body: "bad request: \(error.name)\n").serialized())
                        stream.closeAfterFlush()
                    }
                case .endOfFile, .failed:
                    stream.close()
                }
            }
        } catch {
            stream.close()
        }
    }

    func snapshot(includeMetrics: Bool) -> HealthSnapshot {
        let now = clock.now()
        let children = tree.children.map { child in
            HealthSnapshot.ChildStatus(
                id: child.id, pid: child.pid, restarts: child.restarts,
                uptimeSeconds: child.startedAt.map { (now - $0).seconds }, lastExit: child.lastExit?.description)
        }
        return HealthSnapshot(
            version: OperatorVersion.current, configuration: Settings.redacted(environment), children: children,
            readinessProblems: readinessProblems(),
            missingPermissions: Readiness.missingPermissions(peers: Array(broker.peers.values)),
            leader: leaderJSON, metricsText: { [unowned self] in renderMetrics() })
    }

    func readinessProblems() -> [String] {
        Readiness.problems(children: tree.children, peers: Array(broker.peers.values), routing: broker.routing)
    }

    func renderMetrics() -> String {
        SupervisorMetrics.update(metrics, tree: tree, broker: broker, workerTotals: workerTotals, leader: leaderStatus)
        return metrics.render()
    }

    func ctlAnswer(_ request: CtlRequest) -> JSONValue {
        switch request {
        case .status:
            let children: [JSONValue] = tree.children.map { child in
                [
                    "child": .string(child.id.description), "pid": child.pid.map { .int(Int64($0)) } ?? .null,
                    "restarts": .int(Int64(child.restarts)),
                    "lastExit": child.lastExit.map { .string($0.description) } ?? .null,
                ]
            }
            return [
                "children": .array(children), "problems": .array(readinessProblems().map { .string($0) }),
                "routing": .bool(broker.routing), "leader": leaderJSON,
            ]
        case .inflight:
            return .array(
                broker.inFlightSummary.map { entry in
                    [
                        "id": .string(entry.id), "key": .string(entry.key.description),
                        "executor": entry.executor.flatMap { broker.peers[$0] }.map { .int(Int64($0.hello.pid)) }
                            ?? .null,
                    ]
                })
        case .metrics:
            return .string(renderMetrics())
        }
    }
}
