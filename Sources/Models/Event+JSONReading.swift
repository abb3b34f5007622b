public import KubeJSON

/// Events are read from the bytes of the commands that record them (the executor's path);
/// the same members as `Codable`, the required ones required.
extension Event: JSONReadable {
    public init(reading reader: inout JSONReader) throws(JSONReadError) {
        var apiVersion: String?
        var kind: String?
        var metadata: ObjectMeta?
        var involvedObject: ObjectReference?
        var reason: String?
        var message: String?
        var type: String?
        var source: EventSource?
        var firstTimestamp: String?
        var lastTimestamp: String?
        var count: Int?
        var reportingComponent: String?
        var reportingInstance: String?
        var action: String?
        try reader.readObject { reader, key throws(JSONReadError) in
            if key == "apiVersion" {
                apiVersion = try reader.member("apiVersion") { reader throws(JSONReadError) in
                    try reader.readStringOrNull()
                }
            } else if key == "kind" {
                kind = try reader.member("kind") { reader throws(JSONReadError) in try reader.readStringOrNull() }
            } else if key == "metadata" {
                metadata = try reader.member("metadata") { reader throws(JSONReadError) in
                    try ObjectMeta(reading: &reader)
                }
            } else if key == "involvedObject" {
                involvedObject = try reader.member("involvedObject") { reader throws(JSONReadError) in
                    try ObjectReference(reading: &reader)
                }
            } else if key == "reason" {
                reason = try reader.member("reason") { reader throws(JSONReadError) in try reader.readStringOrNull() }
            } else if key == "message" {
                message = try reader.member("message") { reader throws(JSONReadError) in try reader.readStringOrNull() }
            } else if key == "type" {
                type = try reader.member("type") { reader throws(JSONReadError) in try reader.readStringOrNull() }
            } else if key == "source" {
                source = try reader.member("source") { reader throws(JSONReadError) in
                    try reader.readObjectOrNull { reader throws(JSONReadError) in try EventSource(reading: &reader) }
                }
            } else if key == "firstTimestamp" {
                firstTimestamp = try reader.member("firstTimestamp") { reader throws(JSONReadError) in
                    try reader.readStringOrNull()
                }
            } else if key == "lastTimestamp" {
                lastTimestamp = try reader.member("lastTimestamp") { reader throws(JSONReadError) in
                    try reader.readStringOrNull()
                }
            } else if key == "count" {
                count = try reader.member("count") { reader throws(JSONReadError) in try reader.readIntOrNull() }
            } else if key == "reportingComponent" {
                reportingComponent = try reader.member("reportingComponent") { reader throws(JSONReadError) in
                    try reader.readStringOrNull()
                }
            } else if key == "reportingInstance" {
                reportingInstance = try reader.member("reportingInstance") { reader throws(JSONReadError) in
                    try reader.readStringOrNull()
                }
            } else if key == "action" {
                action = try reader.member("action") { reader throws(JSONReadError) in try reader.readStringOrNull() }
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            metadata: try metadata.required("metadata", reader),
            involvedObject: try involvedObject.required("involvedObject", reader), reason: "", message: "", type: "")
        self.apiVersion = apiVersion
        self.kind = kind
        self.reason = reason
        self.message = message
        self.type = type
        self.source = source
        self.firstTimestamp = firstTimestamp
        self.lastTimestamp = lastTimestamp
        self.count = count
        self.reportingComponent = reportingComponent
        self.reportingInstance = reportingInstance
        self.action = action
    }
}

extension EventSource {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var component: String?
        var host: String?
        try reader.readObject { reader, key throws(JSONReadError) in
            if key == "component" {
                component = try reader.member("component") { reader throws(JSONReadError) in
                    try reader.readStringOrNull()
                }
            } else if key == "host" {
                host = try reader.member("host") { reader throws(JSONReadError) in try reader.readStringOrNull() }
            } else {
                try reader.skipValue()
            }
        }
        self.init(component: component, host: host)
    }
}

extension ObjectReference {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        self.init()
        var reference = self
        try reader.readObject { reader, key throws(JSONReadError) in
            if key == "apiVersion" {
                reference.apiVersion = try reader.member("apiVersion") { reader throws(JSONReadError) in
                    try reader.readStringOrNull()
                }
            } else if key == "kind" {
                reference.kind = try reader.member("kind") { reader throws(JSONReadError) in
                    try reader.readStringOrNull()
                }
            } else if key == "namespace" {
                reference.namespace = try reader.member("namespace") { reader throws(JSONReadError) in
                    try reader.readStringOrNull()
                }
            } else if key == "name" {
                reference.name = try reader.member("name") { reader throws(JSONReadError) in
                    try reader.readStringOrNull()
                }
            } else if key == "uid" {
                reference.uid = try reader.member("uid") { reader throws(JSONReadError) in try reader.readStringOrNull()
                }
            } else if key == "resourceVersion" {
                reference.resourceVersion = try reader.member("resourceVersion") { reader throws(JSONReadError) in
                    try reader.readStringOrNull()
                }
            } else if key == "fieldPath" {
                reference.fieldPath = try reader.member("fieldPath") { reader throws(JSONReadError) in
                    try reader.readStringOrNull()
                }
            } else {
                try reader.skipValue()
            }
        }
        self = reference
    }
}
