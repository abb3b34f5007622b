import KubeJSON

/// One pod instance: namespace, name and uid (a re-created pod of the same name is another).
struct PodKey: Hashable, Sendable, CustomStringConvertible {
    var namespace: String
    var name: String
    var uid: String

    init(_ pod: JSONValue) {
        namespace = pod.namespace
        name = pod.name
        uid = pod.uid
    }

    var description: String { "\(namespace)/\(name)" }
    /// Prefix of every cluster timer that belongs to this pod.
    var timerPrefix: String { "\(uid)/" }
}

extension JSONValue {
    var nodeName: String { self[path: ["spec", "nodeName"]]?.stringValue ?? "" }
    var phase: String { self[path: ["status", "phase"]]?.stringValue ?? "" }
    var isTerminal: Bool { phase == "Succeeded" || phase == "Failed" }
    var annotations: [String: String] {
        (self[path: ["metadata", "annotations"]]?.objectValue ?? [:]).compactMapValues(\.stringValue)
    }

    /// True once the kubelet has reported on the pod (container statuses exist).
    var isAccepted: Bool { !(self[path: ["status", "containerStatuses"]]?.arrayValue ?? []).isEmpty }

    /// True while at least one container is running.
    var hasRunningContainer: Bool {
        (self[path: ["status", "containerStatuses"]]?.arrayValue ?? []).contains {
            $0[path: ["state", "running"]] != nil
        }
    }
}
