public import KubeJSON
import Models

/// Commands are read straight from a frame's bytes: the executor's one reading path. Each
/// payload reads its members in any order and steps over others (`type` among them), as
/// `Codable` does; the pod a `createPod` carries is kept as its text (`PodBody`). An error
/// names the member it is in (`action.thenPatch.status: unknown phase at byte 812`).
extension Command: JSONReadable {
    public init(reading reader: inout JSONReader) throws(JSONReadError) {
        var id: String?
        var key: ObjectKey?
        var owner: CommandOwner?
        var action: CommandAction?
        try reader.readObject { reader, member throws(JSONReadError) in
            if member == "id" {
                id = try reader.string("id")
            } else if member == "key" {
                key = try reader.object("key", ObjectKey.self)
            } else if member == "owner" {
                owner = try reader.object("owner", CommandOwner.self)
            } else if member == "action" {
                action = try reader.object("action", CommandAction.self)
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            id: try id.required("id", reader), key: try key.required("key", reader),
            owner: try owner.required("owner", reader), action: try action.required("action", reader))
    }
}

extension CommandOwner: JSONReadable {
    public init(reading reader: inout JSONReader) throws(JSONReadError) {
        var kind: Kind?
        var uid: String?
        try reader.readObject { reader, member throws(JSONReadError) in
            if member == "kind" {
                kind = try reader.member("kind") { reader throws(JSONReadError) in try reader.readRawValue(Kind.self) }
            } else if member == "uid" {
                uid = try reader.string("uid")
            } else {
                try reader.skipValue()
            }
        }
        self.init(kind: try kind.required("kind", reader), uid: try uid.required("uid", reader))
    }
}

extension CommandAction: JSONReadable {
    /// `type` may follow the payload's members (frames are written with sorted keys, so it
    /// does): it is found first, then the object is read again as that payload.
    public init(reading reader: inout JSONReader) throws(JSONReadError) {
        var scan = reader
        var type: String?
        var typeOffset = reader.index
        try scan.readObject { reader, member throws(JSONReadError) in
            guard member == "type" else { return try reader.skipValue() }
            reader.skipWhitespace()
            typeOffset = reader.index
            type = try reader.string("type")
        }
        switch try type.required("type", scan) {
        case "createPod": self = .createPod(try CreatePod(reading: &reader))
        case "patchOMJobStatus": self = .patchOMJobStatus(try PatchOMJobStatus(reading: &reader))
        case "addFinalizer": self = .addFinalizer(try FinalizerChange(reading: &reader))
        case "removeFinalizer": self = .removeFinalizer(try FinalizerChange(reading: &reader))
        case "stopPod": self = .stopPod(try DeletePod(reading: &reader))
        case "deletePod": self = .deletePod(try DeletePod(reading: &reader))
        case "recordEvent": self = .recordEvent(try RecordEvent(reading: &reader))
        case "confirmPodAbsent": self = .confirmPodAbsent(try ConfirmPodAbsent(reading: &reader))
        case "confirmPodUnchanged": self = .confirmPodUnchanged(try ConfirmPodUnchanged(reading: &reader))
        case "createOMJob": self = .createOMJob(try CreateOMJob(reading: &reader))
        case "deleteOMJob": self = .deleteOMJob(try DeleteOMJob(reading: &reader))
        case "patchCronOMJobStatus": self = .patchCronOMJobStatus(try PatchCronOMJobStatus(reading: &reader))
        case let unknown:
            throw JSONReadError(offset: typeOffset, message: "unknown command type \"\(unknown)\"", path: ["type"])
        }
    }
}

extension CreatePod: JSONReadable {
    public init(reading reader: inout JSONReader) throws(JSONReadError) {
        var pod: PodBody?
        var podType: PodType?
        var attempt: Int?
        try reader.readObject { reader, member throws(JSONReadError) in
            if member == "pod" {
                pod = try reader.object("pod", PodBody.self)
            } else if member == "podType" {
                podType = try reader.member("podType") { reader throws(JSONReadError) in
                    try reader.readRawValue(PodType.self)
                }
            } else if member == "attempt" {
                attempt = try reader.int("attempt")
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            pod: try pod.required("pod", reader), podType: try podType.required("podType", reader),
            attempt: try attempt.required("attempt", reader))
    }
}

extension PatchOMJobStatus: JSONReadable {
    public init(reading reader: inout JSONReader) throws(JSONReadError) {
        var resourceVersion: String?
        var status: OMJobStatus?
        var record: [String: String]?
        try reader.readObject { reader, member throws(JSONReadError) in
            if member == "resourceVersion" {
                resourceVersion = try reader.string("resourceVersion")
            } else if member == "status" {
                status = try reader.object("status", OMJobStatus.self)
            } else if member == "record" {
                record = try reader.member("record") { reader throws(JSONReadError) in try reader.readStringMapOrNull()
                }
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            resourceVersion: try resourceVersion.required("resourceVersion", reader),
            status: try status.required("status", reader), record: record)
    }
}

/// As `Codable` writes an enumeration with associated values: `{"omJob": {}}` or
/// `{"pod": {"name": …, "uid": …}}`, exactly one of them.
extension CommandTarget: JSONReadable {
    public init(reading reader: inout JSONReader) throws(JSONReadError) {
        var targets: [CommandTarget] = []
        try reader.readObject { reader, member throws(JSONReadError) in
            if member == "omJob" {
                try reader.member("omJob") { reader throws(JSONReadError) in
                    try reader.readObject { reader, _ throws(JSONReadError) in try reader.skipValue() }
                }
                targets.append(.omJob)
            } else if member == "pod" {
                targets.append(try reader.member("pod") { reader throws(JSONReadError) in try Self.pod(&reader) })
            } else {
                try reader.skipValue()
            }
        }
        guard targets.count == 1 else { throw reader.error("expected exactly one of omJob, pod") }
        self = targets[0]
    }

    private static func pod(_ reader: inout JSONReader) throws(JSONReadError) -> CommandTarget {
        var name: String?
        var uid: String?
        try reader.readObject { reader, member throws(JSONReadError) in
            if member == "name" {
                name = try reader.string("name")
            } else if member == "uid" {
                uid = try reader.stringOrNull("uid")
            } else {
                try reader.skipValue()
            }
        }
        return .pod(name: try name.required("name", reader), uid: uid)
    }
}

extension FinalizerChange: JSONReadable {
    public init(reading reader: inout JSONReader) throws(JSONReadError) {
        var target: CommandTarget?
        var finalizer: String?
        var observed: ObservedFinalizers?
        try reader.readObject { reader, member throws(JSONReadError) in
            if member == "target" {
                target = try reader.object("target", CommandTarget.self)
            } else if member == "finalizer" {
                finalizer = try reader.string("finalizer")
            } else if member == "observed" {
                observed = try reader.objectOrNull("observed", ObservedFinalizers.self)
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            target: try target.required("target", reader), finalizer: try finalizer.required("finalizer", reader),
            observed: observed)
    }
}

extension ObservedFinalizers: JSONReadable {
    public init(reading reader: inout JSONReader) throws(JSONReadError) {
        var resourceVersion: String?
        var finalizers: [String]?
        try reader.readObject { reader, member throws(JSONReadError) in
            if member == "resourceVersion" {
                resourceVersion = try reader.string("resourceVersion")
            } else if member == "finalizers" {
                finalizers = try reader.member("finalizers") { reader throws(JSONReadError) in
                    try reader.readStringArray()
                }
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            resourceVersion: try resourceVersion.required("resourceVersion", reader),
            finalizers: try finalizers.required("finalizers", reader))
    }
}

extension DeletePod: JSONReadable {
    public init(reading reader: inout JSONReader) throws(JSONReadError) {
        var name: String?
        var uid: String?
        var gracePeriodSeconds: Int?
        var resourceVersion: String?
        try reader.readObject { reader, member throws(JSONReadError) in
            if member == "name" {
                name = try reader.string("name")
            } else if member == "uid" {
                uid = try reader.stringOrNull("uid")
            } else if member == "gracePeriodSeconds" {
                gracePeriodSeconds = try reader.member("gracePeriodSeconds") { reader throws(JSONReadError) in
                    try reader.readIntOrNull()
                }
            } else if member == "resourceVersion" {
                resourceVersion = try reader.stringOrNull("resourceVersion")
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            name: try name.required("name", reader), uid: uid, gracePeriodSeconds: gracePeriodSeconds,
            resourceVersion: resourceVersion)
    }
}

extension RecordEvent: JSONReadable {
    public init(reading reader: inout JSONReader) throws(JSONReadError) {
        var event: Event?
        try reader.readObject { reader, member throws(JSONReadError) in
            if member == "event" { event = try reader.object("event", Event.self) } else { try reader.skipValue() }
        }
        self.init(event: try event.required("event", reader))
    }
}

extension ConfirmPodAbsent: JSONReadable {
    public init(reading reader: inout JSONReader) throws(JSONReadError) {
        var podName: String?
        var podUID: String?
        var thenPatch: PatchOMJobStatus?
        try reader.readObject { reader, member throws(JSONReadError) in
            if member == "podName" {
                podName = try reader.string("podName")
            } else if member == "podUID" {
                podUID = try reader.stringOrNull("podUID")
            } else if member == "thenPatch" {
                thenPatch = try reader.object("thenPatch", PatchOMJobStatus.self)
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            podName: try podName.required("podName", reader), podUID: podUID,
            thenPatch: try thenPatch.required("thenPatch", reader))
    }
}

extension ConfirmPodUnchanged: JSONReadable {
    public init(reading reader: inout JSONReader) throws(JSONReadError) {
        var podName: String?
        var podUID: String?
        var resourceVersion: String?
        var notReadyNode: String?
        var thenPatch: PatchOMJobStatus?
        var thenEvents: [RecordEvent]?
        try reader.readObject { reader, member throws(JSONReadError) in
            if member == "podName" {
                podName = try reader.string("podName")
            } else if member == "podUID" {
                podUID = try reader.stringOrNull("podUID")
            } else if member == "resourceVersion" {
                resourceVersion = try reader.string("resourceVersion")
            } else if member == "notReadyNode" {
                notReadyNode = try reader.stringOrNull("notReadyNode")
            } else if member == "thenPatch" {
                thenPatch = try reader.object("thenPatch", PatchOMJobStatus.self)
            } else if member == "thenEvents" {
                thenEvents = try reader.member("thenEvents") { reader throws(JSONReadError) in
                    var events: [RecordEvent] = []
                    try reader.readArray { reader throws(JSONReadError) in
                        events.append(
                            try reader.member(String(events.count)) { reader throws(JSONReadError) in
                                try RecordEvent(reading: &reader)
                            })
                    }
                    return events
                }
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            podName: try podName.required("podName", reader), podUID: podUID,
            resourceVersion: try resourceVersion.required("resourceVersion", reader), notReadyNode: notReadyNode,
            thenPatch: try thenPatch.required("thenPatch", reader),
            thenEvents: try thenEvents.required("thenEvents", reader))
    }
}

extension CreateOMJob: JSONReadable {
    public init(reading reader: inout JSONReader) throws(JSONReadError) {
        var omJob: OMJob?
        try reader.readObject { reader, member throws(JSONReadError) in
            if member == "omJob" { omJob = try reader.object("omJob", OMJob.self) } else { try reader.skipValue() }
        }
        self.init(omJob: try omJob.required("omJob", reader))
    }
}

extension DeleteOMJob: JSONReadable {
    public init(reading reader: inout JSONReader) throws(JSONReadError) {
        var name: String?
        var uid: String?
        var reason: String?
        try reader.readObject { reader, member throws(JSONReadError) in
            if member == "name" {
                name = try reader.string("name")
            } else if member == "uid" {
                uid = try reader.string("uid")
            } else if member == "reason" {
                reason = try reader.string("reason")
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            name: try name.required("name", reader), uid: try uid.required("uid", reader),
            reason: try reason.required("reason", reader))
    }
}

extension PatchCronOMJobStatus: JSONReadable {
    public init(reading reader: inout JSONReader) throws(JSONReadError) {
        var resourceVersion: String?
        var status: CronOMJobStatus?
        try reader.readObject { reader, member throws(JSONReadError) in
            if member == "resourceVersion" {
                resourceVersion = try reader.string("resourceVersion")
            } else if member == "status" {
                status = try reader.object("status", CronOMJobStatus.self)
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            resourceVersion: try resourceVersion.required("resourceVersion", reader),
            status: try status.required("status", reader))
    }
}

/// A command's members, each read so that an error names it.
extension JSONReader {
    fileprivate mutating func string(_ name: String) throws(JSONReadError) -> String {
        try member(name) { reader throws(JSONReadError) in try reader.readString() }
    }

    fileprivate mutating func stringOrNull(_ name: String) throws(JSONReadError) -> String? {
        try member(name) { reader throws(JSONReadError) in try reader.readStringOrNull() }
    }

    fileprivate mutating func int(_ name: String) throws(JSONReadError) -> Int {
        try member(name) { reader throws(JSONReadError) in Int(try reader.readInt64()) }
    }

    fileprivate mutating func object<T: JSONReadable>(_ name: String, _ type: T.Type) throws(JSONReadError) -> T {
        try member(name) { reader throws(JSONReadError) in try T(reading: &reader) }
    }

    fileprivate mutating func objectOrNull<T: JSONReadable>(_ name: String, _ type: T.Type) throws(JSONReadError)
        -> T?
    {
        try member(name) { reader throws(JSONReadError) in
            try reader.readObjectOrNull { reader throws(JSONReadError) in try T(reading: &reader) }
        }
    }
}
