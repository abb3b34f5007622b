import Foundation
public import KubeJSON

/// CronOMJobs are read straight from the watch's bytes (a scheduled run changes its CronOMJob's
/// status twice, and each change reaches the watcher and the gc with the whole OMJob template).
/// What the fast reader refuses is decoded again with `Codable`, whose verdict stands: a
/// CronOMJob reads as it always has, or fails with the same error.
extension CronOMJob: JSONReadable {
    public init(reading reader: inout JSONReader) throws(JSONReadError) {
        var fast = reader
        if let cron = try? Self(readingFast: &fast) {
            reader = fast
            self = cron
            return
        }
        let range = try reader.skipValueRange()
        do {
            self = try JSONDecoder().decode(
                CronOMJob.self, from: Data(UnsafeBufferPointer(rebasing: reader.bytes[range])))
        } catch {
            throw JSONReadError(offset: range.lowerBound, message: "CronOMJob: \(error)")
        }
    }

    private init(readingFast reader: inout JSONReader) throws(JSONReadError) {
        var apiVersion: String?
        var kind: String?
        var metadata: ObjectMeta?
        var spec: CronOMJobSpec?
        var status: CronOMJobStatus?
        try reader.readObject { reader, key throws(JSONReadError) in
            if key == "apiVersion" {
                apiVersion = try reader.readStringOrNull()
            } else if key == "kind" {
                kind = try reader.readStringOrNull()
            } else if key == "metadata" {
                metadata = try ObjectMeta(reading: &reader)
            } else if key == "spec" {
                spec = try reader.readObjectOrNull { reader throws(JSONReadError) in
                    try CronOMJobSpec(reading: &reader)
                }
            } else if key == "status" {
                status = try reader.readObjectOrNull { reader throws(JSONReadError) in
                    try CronOMJobStatus(reading: &reader)
                }
            } else {
                try reader.skipValue()
            }
        }
        guard let metadata else { throw reader.error("CronOMJob without metadata") }
        self.init(metadata: metadata, spec: spec, status: status)
        self.apiVersion = apiVersion
        self.kind = kind
    }
}

extension CronOMJobSpec {
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var schedule: String?
        var omJobSpec: OMJobSpec?
        var timeZone: String?
        var suspend: Bool?
        var startingDeadlineSeconds: Int?
        var concurrencyPolicy: ConcurrencyPolicy?
        var successfulJobsHistoryLimit: Int?
        var failedJobsHistoryLimit: Int?
        try reader.readObject { reader, key throws(JSONReadError) in
            if key == "schedule" {
                schedule = try reader.readString()
            } else if key == "omJobSpec" {
                omJobSpec = try OMJobSpec(reading: &reader)
            } else if key == "timeZone" {
                timeZone = try reader.readStringOrNull()
            } else if key == "suspend" {
                suspend = try reader.readBoolOrNull()
            } else if key == "startingDeadlineSeconds" {
                startingDeadlineSeconds = try reader.readIntOrNull()
            } else if key == "concurrencyPolicy" {
                concurrencyPolicy = try reader.readObjectOrNull { reader throws(JSONReadError) in
                    try reader.readRawValue(ConcurrencyPolicy.self)
                }
            } else if key == "successfulJobsHistoryLimit" {
                successfulJobsHistoryLimit = try reader.readIntOrNull()
            } else if key == "failedJobsHistoryLimit" {
                failedJobsHistoryLimit = try reader.readIntOrNull()
            } else {
                try reader.skipValue()
            }
        }
        guard let schedule, let omJobSpec else { throw reader.error("CronOMJob spec without schedule or omJobSpec") }
        self.init(schedule: schedule, omJobSpec: omJobSpec)
        self.timeZone = timeZone
        self.suspend = suspend
        self.startingDeadlineSeconds = startingDeadlineSeconds
        self.concurrencyPolicy = concurrencyPolicy
        self.successfulJobsHistoryLimit = successfulJobsHistoryLimit
        self.failedJobsHistoryLimit = failedJobsHistoryLimit
    }
}

/// How an executor reads the status a command writes.
extension CronOMJobStatus: JSONReadable {
    public init(reading reader: inout JSONReader) throws(JSONReadError) {
        self.init()
        var status = self
        try reader.readObject { reader, key throws(JSONReadError) in
            if key == "active" {
                status.active = try reader.member("active") { reader throws(JSONReadError) in
                    try reader.readArrayOrNull { reader throws(JSONReadError) in try ObjectReference(reading: &reader) }
                }
            } else if key == "lastScheduleTime" {
                status.lastScheduleTime = try reader.member("lastScheduleTime") { reader throws(JSONReadError) in
                    try reader.readStringOrNull()
                }
            } else if key == "lastSuccessfulTime" {
                status.lastSuccessfulTime = try reader.member("lastSuccessfulTime") { reader throws(JSONReadError) in
                    try reader.readStringOrNull()
                }
            } else if key == "lastOMJobName" {
                status.lastOMJobName = try reader.member("lastOMJobName") { reader throws(JSONReadError) in
                    try reader.readStringOrNull()
                }
            } else if key == "message" {
                status.message = try reader.member("message") { reader throws(JSONReadError) in
                    try reader.readStringOrNull()
                }
            } else if key == "observedGeneration" {
                status.observedGeneration = try reader.member("observedGeneration") { reader throws(JSONReadError) in
                    try reader.readInt64OrNull()
                }
            } else if key == "conditions" {
                status.conditions = try reader.member("conditions") { reader throws(JSONReadError) in
                    try reader.readArrayOrNull { reader throws(JSONReadError) in try Condition(reading: &reader) }
                }
            } else {
                try reader.skipValue()
            }
        }
        self = status
    }
}
