import KubeJSON

/// The mapping between messages and their JSON envelopes, one case per message type.
extension IPCMessage {
    init(envelope value: JSONValue) throws(MessageError) {
        if let version = value["v"] {
            guard let v = version.intValue, v == Self.protocolVersion else {
                throw .unsupportedVersion(version.intValue ?? -1)
            }
        }
        guard let type = value["type"]?.stringValue else { throw .unknownType("") }
        let fields = EnvelopeFields(type: type, value: value)
        switch type {
        case "hello":
            self = .hello(
                Hello(
                    role: try fields.string("role"), pid: Int32(truncatingIfNeeded: try fields.int("pid")),
                    instance: value["instance"]?.intValue.map { Int($0) }))
        case "welcome": self = .welcome(version: try fields.string("version"))
        case "ready": self = .ready
        case "conditions":
            self = .conditions(
                WorkerConditions(
                    synced: value["synced"]?.boolValue, apiReachable: value["apiReachable"]?.boolValue,
                    missingPermissions: value["missingPermissions"]?.arrayValue?.compactMap(Permission.init(json:))))
        case "heartbeat": self = .heartbeat
        case "command":
            let key = ObjectKey(
                namespace: try fields.string("namespace", in: "key"), name: try fields.string("name", in: "key"))
            self = .command(CommandEnvelope(id: try fields.string("id"), key: key, payload: value["payload"] ?? .null))
        case "result":
            self = .result(
                ResultEnvelope(
                    id: try fields.string("id"), payload: value["payload"] ?? .null, error: value["error"]?.stringValue)
            )
        case "metrics":
            self = .metrics(
                MetricsReport(counters: try fields.samples("counters"), gauges: try fields.samples("gauges")))
        case "log-level": self = .logLevel(try fields.string("level"))
        case "shutdown": self = .shutdown
        case "leadership":
            guard let leading = value["leading"]?.boolValue else { throw .badField(type: type, field: "leading") }
            self = .leadership(leading: leading)
        case "ctl":
            guard let request = CtlRequest(rawValue: try fields.string("request")) else {
                throw .badField(type: type, field: "request")
            }
            self = .ctl(request)
        case "ctl-reply": self = .ctlReply(value["body"] ?? .null)
        case "error": self = .error(try fields.string("reason"))
        default: throw .unknownType(type)
        }
    }

    func envelope() -> JSONValue {
        var object: [String: JSONValue] = ["v": .int(Self.protocolVersion), "type": .string(typeName)]
        switch self {
        case .hello(let hello):
            object["role"] = .string(hello.role)
            object["pid"] = .int(Int64(hello.pid))
            if let instance = hello.instance { object["instance"] = .int(Int64(instance)) }
        case .welcome(let version): object["version"] = .string(version)
        case .ready, .heartbeat, .shutdown: break
        case .conditions(let c):
            if let synced = c.synced { object["synced"] = .bool(synced) }
            if let reachable = c.apiReachable { object["apiReachable"] = .bool(reachable) }
            if let missing = c.missingPermissions { object["missingPermissions"] = .array(missing.map(\.json)) }
        case .command(let command):
            object["id"] = .string(command.id)
            object["key"] = ["namespace": .string(command.key.namespace), "name": .string(command.key.name)]
            object["payload"] = command.payload
        case .result(let result):
            object["id"] = .string(result.id)
            object["payload"] = result.payload
            if let error = result.error { object["error"] = .string(error) }
        case .metrics(let report):
            object["counters"] = .array(report.counters.map(\.json))
            object["gauges"] = .array(report.gauges.map(\.json))
        case .logLevel(let level): object["level"] = .string(level)
        case .leadership(let leading): object["leading"] = .bool(leading)
        case .ctl(let request): object["request"] = .string(request.rawValue)
        case .ctlReply(let body): object["body"] = body
        case .error(let reason): object["reason"] = .string(reason)
        }
        return .object(object)
    }
}

/// Typed access to an envelope's fields that names the field when it is wrong.
private struct EnvelopeFields {
    let type: String
    let value: JSONValue

    func string(_ field: String, in parent: String? = nil) throws(MessageError) -> String {
        let holder = parent.map { value[$0] } ?? value
        guard let s = holder?[field]?.stringValue else {
            throw .badField(type: type, field: parent.map { "\($0).\(field)" } ?? field)
        }
        return s
    }

    func int(_ field: String) throws(MessageError) -> Int64 {
        guard let i = value[field]?.intValue else { throw .badField(type: type, field: field) }
        return i
    }

    func samples(_ field: String) throws(MessageError) -> [MetricSample] {
        guard let array = value[field]?.arrayValue ?? (value[field] == nil ? [] : nil) else {
            throw .badField(type: type, field: field)
        }
        var samples: [MetricSample] = []
        for element in array {
            guard let name = element["name"]?.stringValue, let number = element["value"], let v = number.doubleValue
            else {
                throw .badField(type: type, field: field)
            }
            let labels = (element["labels"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
            samples.append(MetricSample(name: name, labels: labels, value: v))
        }
        return samples
    }
}

extension MetricSample {
    var json: JSONValue {
        ["name": .string(name), "labels": .object(labels.mapValues { .string($0) }), "value": .double(value)]
    }
}

extension JSONValue {
    /// Any JSON number as a Double.
    var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }
}
