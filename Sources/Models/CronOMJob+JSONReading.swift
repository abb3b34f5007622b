public import KubeJSON

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
