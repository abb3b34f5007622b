import Foundation
import KubeJSON
import Models
import Testing

/// A CronOMJob read from the watch's bytes is the CronOMJob `Codable` decodes, and what
/// `Codable` refuses is refused.
@Suite struct CronOMJobReadingTests {
    /// OpenMetadata's CronOMJob as the API server stores it, with a status the operator wrote.
    static func apiCron() throws -> JSONValue {
        guard
            let url = Bundle.module.url(
                forResource: "cronomjob-openmetadata", withExtension: "json", subdirectory: "Fixtures/cron")
        else { throw CocoaError(.fileNoSuchFile) }
        var cron = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: url))["cronomjob"] ?? .null
        cron["status"] = [
            "active": [
                [
                    "apiVersion": "pipelines.openmetadata.org/v1", "kind": "OMJob",
                    "name": "om-cronjob-mysql-pipeline-1", "namespace": "openmetadata-pipelines", "uid": "run-uid",
                ]
            ],
            "lastScheduleTime": "2026-03-10T10:00:00Z", "lastSuccessfulTime": "2026-03-10T09:00:00Z",
            "observedGeneration": 1,
            "conditions": [
                [
                    "type": "Scheduled", "status": "True", "reason": "RunCreated", "message": "",
                    "lastTransitionTime": "2026-03-10T10:00:00Z",
                ]
            ],
        ]
        cron["metadata"]?["managedFields"] = [["manager": "omjob-operator", "fieldsV1": ["f:status": [:]]]]
        return cron
    }

    static func bytes(_ value: JSONValue) throws -> Data { try JSONEncoder().encode(value) }

    @Test func readingFromTheBytesIsDecoding() throws {
        var variants = [try Self.apiCron()]
        var bare = try Self.apiCron()
        bare["status"] = .null
        bare["spec"]?["timeZone"] = .null
        bare["spec"]?["concurrencyPolicy"] = "Forbid"
        bare["spec"]?["startingDeadlineSeconds"] = 200
        variants.append(bare)
        var specless = try Self.apiCron()
        specless["spec"] = .null
        variants.append(specless)
        for value in variants {
            let data = try Self.bytes(value)
            let read = try CronOMJob(jsonBytes: data)
            #expect(read == (try JSONDecoder().decode(CronOMJob.self, from: data)))
        }
        let read = try CronOMJob(jsonBytes: try Self.bytes(variants[0]))
        #expect(read.spec?.schedule == "0 * * * *" && read.spec?.omJobSpec.mainPodSpec != nil)
        #expect(read.status?.active?.first?.name == "om-cronjob-mysql-pipeline-1")
        #expect(try CronOMJob(jsonBytes: try Self.bytes(variants[1])).spec?.concurrencyPolicy == .forbid)
    }

    @Test func whatDecodingRefusesReadingRefuses() throws {
        let edits: [(String, (inout JSONValue) -> Void)] = [
            ("no schedule", { $0["spec"]?["schedule"] = nil }),
            ("no omJobSpec", { $0["spec"]?["omJobSpec"] = nil }),
            ("an unknown concurrency policy", { $0["spec"]?["concurrencyPolicy"] = "Sometimes" }),
            ("suspend as a string", { $0["spec"]?["suspend"] = "yes" }),
            ("a fractional deadline", { $0["spec"]?["startingDeadlineSeconds"] = 1.5 }),
            ("no metadata", { $0["metadata"] = nil }),
            ("active not a list", { $0["status"]?["active"] = "run-1" }),
        ]
        for (what, edit) in edits {
            var value = try Self.apiCron()
            edit(&value)
            let data = try Self.bytes(value)
            #expect(throws: (any Error).self, "Codable: \(what)") {
                try JSONDecoder().decode(CronOMJob.self, from: data)
            }
            #expect(throws: JSONReadError.self, "reader: \(what)") { try CronOMJob(jsonBytes: data) }
        }
    }

    /// A null optional member reads as absent, as `Codable`'s `decodeIfPresent` reads it.
    @Test func nullOptionalMembersReadAsAbsent() throws {
        var value = try Self.apiCron()
        value["spec"]?["concurrencyPolicy"] = .null
        value["spec"]?["suspend"] = .null
        let data = try Self.bytes(value)
        let read = try CronOMJob(jsonBytes: data)
        #expect(read == (try JSONDecoder().decode(CronOMJob.self, from: data)))
        #expect(read.spec?.concurrencyPolicy == nil && read.spec?.suspend == nil)
    }

    /// A CronOMJob the fast reader refuses is decoded again by `Codable`, whose error is the one
    /// reported: it names the member, as it always has.
    @Test func aRefusedCronOMJobFailsWithCodablesError() throws {
        var value = try Self.apiCron()
        value["spec"]?["schedule"] = nil
        let data = try Self.bytes(value)
        do {
            _ = try CronOMJob(jsonBytes: data)
            Issue.record("a CronOMJob without a schedule was read")
        } catch {
            #expect(error.message.hasPrefix("CronOMJob: ") && error.message.contains("schedule"), "\(error.message)")
        }
    }
}
