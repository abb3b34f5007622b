import Foundation
public import KubeJSON

/// OMJobs are read straight from the watch's bytes. The Codable decoder stays the referee for
/// what the fast reader refuses: an unreadable spec is decoded again with it, so that
/// `specError` names the field exactly as it always has, and an unreadable status is tried with
/// it before being dropped. The fast reader is never more lenient than Codable on the members
/// it reads (a required member missing, a wrong type, an unknown phase all fail it).
extension OMJob: JSONReadable {
    public init(reading reader: inout JSONReader) throws(JSONReadError) {
        try self.init(reading: &reader, podTemplates: true)
    }

    /// Reads an OMJob; without `podTemplates`, `mainPodSpec` and `exitHandlerSpec` are stepped
    /// over unread (and unchecked) and the OMJob is marked `podTemplatesDropped`, as
    /// ``withoutPodTemplates()`` would leave it.
    init(reading reader: inout JSONReader, podTemplates: Bool) throws(JSONReadError) {
        var apiVersion: String?
        var kind: String?
        var metadata: ObjectMeta?
        var specRange: Range<Int>?
        var statusRange: Range<Int>?
        try reader.readObject { reader, key throws(JSONReadError) in
            if key == "apiVersion" {
                apiVersion = try reader.readStringOrNull()
            } else if key == "kind" {
                kind = try reader.readStringOrNull()
            } else if key == "metadata" {
                metadata = try ObjectMeta(reading: &reader)
            } else if key == "spec" {
                specRange = try reader.skipValueRange()
            } else if key == "status" {
                statusRange = try reader.skipValueRange()
            } else {
                try reader.skipValue()
            }
        }
        guard let metadata else { throw reader.error("OMJob without metadata") }
        self.init(metadata: metadata, spec: nil)
        self.apiVersion = apiVersion
        self.kind = kind
        let bytes = reader.bytes
        if let specRange {
            var inner = JSONReader(bytes, index: specRange.lowerBound)
            if (try? inner.takeNull()) == true {
                // null reads as missing, as Codable's decodeIfPresent reads it
            } else if let spec = try? OMJobSpec(reading: &inner, podTemplates: podTemplates) {
                self.spec = spec
            } else {
                do {
                    self.spec = try JSONDecoder().decode(
                        OMJobSpec.self, from: Data(UnsafeBufferPointer(rebasing: bytes[specRange])))
                } catch {
                    specError = SpecDecodingError.describe(error)
                }
            }
        }
        if !podTemplates {
            spec?.mainPodSpec = nil
            spec?.exitHandlerSpec = nil
            podTemplatesDropped = true
        }
        if spec == nil, specError == nil { specError = "spec is missing" }
        if let statusRange {
            var inner = JSONReader(bytes, index: statusRange.lowerBound)
            if (try? inner.takeNull()) == true {
                status = nil
            } else if let status = try? OMJobStatus(reading: &inner) {
                self.status = status
            } else {
                // The status is ours; if it is unreadable, starting over from the pods is the safe reading.
                status = try? JSONDecoder().decode(
                    OMJobStatus.self, from: Data(UnsafeBufferPointer(rebasing: bytes[statusRange])))
            }
        }
    }
}

extension OMJobSpec {
    init(reading reader: inout JSONReader, podTemplates: Bool = true) throws(JSONReadError) {
        self.init(mainPodSpec: nil)
        var spec = self
        try reader.readObject { reader, key throws(JSONReadError) in
            if !podTemplates, key == "mainPodSpec" || key == "exitHandlerSpec" {
                try reader.skipValue()
            } else if key == "mainPodSpec" {
                spec.mainPodSpec = try reader.readObjectOrNull { reader throws(JSONReadError) in
                    try OMJobPodSpec(reading: &reader)
                }
            } else if key == "exitHandlerSpec" {
                spec.exitHandlerSpec = try reader.readObjectOrNull { reader throws(JSONReadError) in
                    try OMJobPodSpec(reading: &reader)
                }
            } else if key == "ttlSecondsAfterFinished" {
                spec.ttlSecondsAfterFinished = try reader.readIntOrNull()
            } else if key == "activeDeadlineSeconds" {
                spec.activeDeadlineSeconds = try reader.readIntOrNull()
            } else if key == "mainPodStartDeadlineSeconds" {
                spec.mainPodStartDeadlineSeconds = try reader.readIntOrNull()
            } else if key == "nodeLostThresholdSeconds" {
                spec.nodeLostThresholdSeconds = try reader.readIntOrNull()
            } else if key == "exitHandlerBackoffLimit" {
                spec.exitHandlerBackoffLimit = try reader.readIntOrNull()
            } else if key == "exitHandlerBackoffSeconds" {
                spec.exitHandlerBackoffSeconds = try reader.readIntOrNull()
            } else if key == "exitHandlerStartDeadlineSeconds" {
                spec.exitHandlerStartDeadlineSeconds = try reader.readIntOrNull()
            } else if key == "exitHandlerActiveDeadlineSeconds" {
                spec.exitHandlerActiveDeadlineSeconds = try reader.readIntOrNull()
            } else if key == "killDeadlineSeconds" {
                spec.killDeadlineSeconds = try reader.readIntOrNull()
            } else {
                try reader.skipValue()
            }
        }
        self = spec
    }
}

extension OMJobPodSpec {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        self.init(image: nil, command: nil)
        var spec = self
        try reader.readObject { reader, key throws(JSONReadError) in
            if key == "image" {
                spec.image = try reader.readStringOrNull()
            } else if key == "imagePullPolicy" {
                spec.imagePullPolicy = try reader.readStringOrNull()
            } else if key == "imagePullSecrets" {
                spec.imagePullSecrets = try reader.readArrayOrNull { reader throws(JSONReadError) in
                    var name: String?
                    try reader.readObject { reader, key throws(JSONReadError) in
                        if key == "name" { name = try reader.readStringOrNull() } else { try reader.skipValue() }
                    }
                    return LocalObjectReference(name: name)
                }
            } else if key == "serviceAccountName" {
                spec.serviceAccountName = try reader.readStringOrNull()
            } else if key == "command" {
                spec.command = try reader.readStringArrayOrNull()
            } else if key == "args" {
                spec.args = try reader.readStringArrayOrNull()
            } else if key == "env" {
                spec.env = try reader.readArrayOrNull { reader throws(JSONReadError) in try EnvVar(reading: &reader) }
            } else if key == "resources" {
                spec.resources = try reader.readObjectOrNull { reader throws(JSONReadError) in
                    var resources = ResourceRequirements()
                    try reader.readObject { reader, key throws(JSONReadError) in
                        if key == "limits" {
                            resources.limits = try reader.readValueMapOrNull()
                        } else if key == "requests" {
                            resources.requests = try reader.readValueMapOrNull()
                        } else {
                            try reader.skipValue()
                        }
                    }
                    return resources
                }
            } else if key == "nodeSelector" {
                spec.nodeSelector = try reader.readStringMapOrNull()
            } else if key == "tolerations" {
                spec.tolerations = try reader.readArrayOrNull { reader throws(JSONReadError) in try reader.readValue() }
            } else if key == "affinity" {
                spec.affinity = try reader.readValueOrNull()
            } else if key == "priorityClassName" {
                spec.priorityClassName = try reader.readStringOrNull()
            } else if key == "securityContext" {
                spec.securityContext = try reader.readValueOrNull()
            } else if key == "labels" {
                spec.labels = try reader.readStringMapOrNull()
            } else if key == "annotations" {
                spec.annotations = try reader.readStringMapOrNull()
            } else {
                try reader.skipValue()
            }
        }
        self = spec
    }
}

extension EnvVar {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var name: String?
        var value: String?
        var source: EnvVarSource?
        try reader.readObject { reader, key throws(JSONReadError) in
            if key == "name" {
                name = try reader.readString()
            } else if key == "value" {
                value = try reader.readStringOrNull()
            } else if key == "valueFrom" {
                source = try reader.readObjectOrNull { reader throws(JSONReadError) in
                    try EnvVarSource(reading: &reader)
                }
            } else {
                try reader.skipValue()
            }
        }
        guard let name else { throw reader.error("env var without name") }
        self.init(name: name, value: value, valueFrom: source)
    }
}

extension EnvVarSource {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        self.init()
        var source = self
        try reader.readObject { reader, key throws(JSONReadError) in
            if key == "configMapKeyRef" {
                source.configMapKeyRef = try reader.readObjectOrNull { reader throws(JSONReadError) in
                    try KeySelector(reading: &reader)
                }
            } else if key == "secretKeyRef" {
                source.secretKeyRef = try reader.readObjectOrNull { reader throws(JSONReadError) in
                    try KeySelector(reading: &reader)
                }
            } else if key == "fieldRef" {
                source.fieldRef = try reader.readObjectOrNull { reader throws(JSONReadError) in
                    var apiVersion: String?
                    var fieldPath: String?
                    try reader.readObject { reader, key throws(JSONReadError) in
                        if key == "apiVersion" {
                            apiVersion = try reader.readStringOrNull()
                        } else if key == "fieldPath" {
                            fieldPath = try reader.readString()
                        } else {
                            try reader.skipValue()
                        }
                    }
                    guard let fieldPath else { throw reader.error("fieldRef without fieldPath") }
                    return ObjectFieldSelector(apiVersion: apiVersion, fieldPath: fieldPath)
                }
            } else if key == "resourceFieldRef" {
                source.resourceFieldRef = try reader.readObjectOrNull { reader throws(JSONReadError) in
                    var containerName: String?
                    var resource: String?
                    var divisor: JSONValue?
                    try reader.readObject { reader, key throws(JSONReadError) in
                        if key == "containerName" {
                            containerName = try reader.readStringOrNull()
                        } else if key == "resource" {
                            resource = try reader.readString()
                        } else if key == "divisor" {
                            divisor = try reader.readValueOrNull()
                        } else {
                            try reader.skipValue()
                        }
                    }
                    guard let resource else { throw reader.error("resourceFieldRef without resource") }
                    return ResourceFieldSelector(containerName: containerName, resource: resource, divisor: divisor)
                }
            } else {
                try reader.skipValue()
            }
        }
        self = source
    }
}

extension KeySelector {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var name: String?
        var key: String?
        var optional: Bool?
        try reader.readObject { reader, member throws(JSONReadError) in
            if member == "name" {
                name = try reader.readStringOrNull()
            } else if member == "key" {
                key = try reader.readString()
            } else if member == "optional" {
                optional = try reader.readBoolOrNull()
            } else {
                try reader.skipValue()
            }
        }
        guard let key else { throw reader.error("key selector without key") }
        self.init(name: name, key: key, optional: optional)
    }
}

/// Also how an executor reads the status a command writes.
extension OMJobStatus: JSONReadable {
    public init(reading reader: inout JSONReader) throws(JSONReadError) {
        self.init()
        var status = self
        try reader.readObject { reader, key throws(JSONReadError) in
            if key == "phase" {
                if let name = try reader.readStringOrNull() {
                    guard let phase = OMJobPhase(rawValue: name) else { throw reader.error("unknown phase") }
                    status.phase = phase
                }
            } else if key == "observedGeneration" {
                status.observedGeneration = try reader.readInt64OrNull()
            } else if key == "mainPodName" {
                status.mainPodName = try reader.readStringOrNull()
            } else if key == "exitHandlerPodName" {
                status.exitHandlerPodName = try reader.readStringOrNull()
            } else if key == "startTime" {
                status.startTime = try reader.readStringOrNull()
            } else if key == "completionTime" {
                status.completionTime = try reader.readStringOrNull()
            } else if key == "message" {
                status.message = try reader.readStringOrNull()
            } else if key == "mainPodExitCode" {
                status.mainPodExitCode = try reader.readIntOrNull()
            } else if key == "mainPodTermination" {
                status.mainPodTermination = try reader.readObjectOrNull { reader throws(JSONReadError) in
                    try MainPodTermination(reading: &reader)
                }
            } else if key == "exitHandlerAttempts" {
                status.exitHandlerAttempts = try reader.readIntOrNull()
            } else if key == "exitHandlerExitCode" {
                status.exitHandlerExitCode = try reader.readIntOrNull()
            } else if key == "exitHandlerReason" {
                status.exitHandlerReason = try reader.readStringOrNull()
            } else if key == "exitHandlerLastFailureTime" {
                status.exitHandlerLastFailureTime = try reader.readStringOrNull()
            } else if key == "podCreateFailure" {
                status.podCreateFailure = try reader.readObjectOrNull { reader throws(JSONReadError) in
                    try PodCreateFailure(reading: &reader)
                }
            } else if key == "cleanupTime" {
                status.cleanupTime = try reader.readStringOrNull()
            } else if key == "conditions" {
                status.conditions = try reader.readArrayOrNull { reader throws(JSONReadError) in
                    try Condition(reading: &reader)
                }
            } else {
                try reader.skipValue()
            }
        }
        self = status
    }
}

extension MainPodTermination {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var reason: String?
        var message: String?
        var source: String?
        var exitCode: Int?
        var signal: Int?
        var mayRun: Bool?
        var stopRequestedAt: String?
        var startedAt: String?
        var finishedAt: String?
        var recordedAt: String?
        try reader.readObject { reader, key throws(JSONReadError) in
            if key == "reason" {
                reason = try reader.readString()
            } else if key == "message" {
                message = try reader.readStringOrNull()
            } else if key == "exitCode" {
                exitCode = try reader.readIntOrNull()
            } else if key == "signal" {
                signal = try reader.readIntOrNull()
            } else if key == "source" {
                source = try reader.readString()
            } else if key == "containerMayStillRun" {
                mayRun = try reader.readBoolOrNull()
            } else if key == "stopRequestedAt" {
                stopRequestedAt = try reader.readStringOrNull()
            } else if key == "startedAt" {
                startedAt = try reader.readStringOrNull()
            } else if key == "finishedAt" {
                finishedAt = try reader.readStringOrNull()
            } else if key == "recordedAt" {
                recordedAt = try reader.readStringOrNull()
            } else {
                try reader.skipValue()
            }
        }
        guard let reason, let source else { throw reader.error("mainPodTermination without reason or source") }
        self.init(
            reason: reason, message: message, exitCode: exitCode, signal: signal, source: source,
            containerMayStillRun: mayRun, stopRequestedAt: stopRequestedAt,
            startedAt: startedAt, finishedAt: finishedAt, recordedAt: recordedAt)
    }
}

extension PodCreateFailure {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var podType: PodType?
        var podName: String?
        var attempt: Int?
        var reason: String?
        var code: Int?
        var message: String?
        var time: String?
        try reader.readObject { reader, key throws(JSONReadError) in
            if key == "podType" {
                guard let type = PodType(rawValue: try reader.readString()) else {
                    throw reader.error("unknown podType")
                }
                podType = type
            } else if key == "podName" {
                podName = try reader.readString()
            } else if key == "attempt" {
                attempt = Int(try reader.readInt64())
            } else if key == "reason" {
                reason = try reader.readStringOrNull()
            } else if key == "code" {
                code = try reader.readIntOrNull()
            } else if key == "message" {
                message = try reader.readStringOrNull()
            } else if key == "time" {
                time = try reader.readStringOrNull()
            } else {
                try reader.skipValue()
            }
        }
        guard let podType, let podName, let attempt else {
            throw reader.error("podCreateFailure without podType, podName or attempt")
        }
        self.init(
            podType: podType, podName: podName, attempt: attempt, reason: reason, code: code, message: message,
            time: time)
    }
}

extension Condition {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var type: String?
        var status: String?
        var observedGeneration: Int64?
        var lastTransitionTime: String?
        var reason: String?
        var message: String?
        try reader.readObject { reader, key throws(JSONReadError) in
            if key == "type" {
                type = try reader.readString()
            } else if key == "status" {
                status = try reader.readString()
            } else if key == "observedGeneration" {
                observedGeneration = try reader.readInt64OrNull()
            } else if key == "lastTransitionTime" {
                lastTransitionTime = try reader.readString()
            } else if key == "reason" {
                reason = try reader.readString()
            } else if key == "message" {
                message = try reader.readString()
            } else {
                try reader.skipValue()
            }
        }
        guard let type, let status, let lastTransitionTime, let reason, let message else {
            throw reader.error("condition without type, status, lastTransitionTime, reason or message")
        }
        self.init(
            type: type, status: status, observedGeneration: observedGeneration, lastTransitionTime: lastTransitionTime,
            reason: reason, message: message)
    }
}
