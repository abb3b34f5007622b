import BrokerProtocol
import Foundation
import KubeJSON
import Models
import Testing

@testable import Watcher

@Suite struct CronCommandCodingTests {
    /// Every command the scheduler emits survives the broker's JSON framing unchanged, with the
    /// `type` member executors switch on.
    @Test func commandsRoundTripThroughJSON() throws {
        var cron = try CronFixtures.cron()
        cron.spec!.concurrencyPolicy = .replace
        var status = CronOMJobStatus()
        status.lastScheduleTime = "2026-03-10T10:00:00Z"
        cron.status = status
        let active = CronFixtures.run(of: cron, slot: "2026-03-10T10:00:00Z", phase: .running)
        let decision = CronScheduler.decide(
            CronObservation(
                cron: cron, runs: [active],
                now: Date(timeIntervalSince1970: TimeInterval(epoch("2026-03-10T11:00:01Z"))), newRunID: "run-id"))
        #expect(
            Set(decision.commands.map(\.action.type)) == [
                "deleteOMJob", "createOMJob", "patchCronOMJobStatus", "recordEvent",
            ])
        for command in decision.commands {
            let data = try JSONEncoder().encode(command)
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            #expect((object?["action"] as? [String: Any])?["type"] as? String == command.action.type)
            #expect(try JSONDecoder().decode(Command.self, from: data) == command)
            #expect(try Command(jsonBytes: data) == command, "as the executor reads it")
            #expect(command.owner == .cronOMJob(cron.metadata.uid ?? ""))
        }
    }

    @Test func unknownTypeIsRejected() {
        let json =
            #"{"id":"x","key":{"namespace":"n","name":"c"},"owner":{"kind":"CronOMJob","uid":"u"},"action":{"type":"launchRocket"}}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Command.self, from: Data(json.utf8)) }
        #expect(throws: JSONReadError.self) { try Command(jsonBytes: Array(json.utf8)) }
    }
}

@Suite struct CronCommandPayloadTests {
    /// The same CronOMJob's run for the same slot, whichever incarnation of the CronOMJob made it
    /// (OpenMetadata re-creates its CronOMJobs on every redeploy).
    @Test func sameRunIsRecognisedByCronOMJobAndSlot() throws {
        let cron = try CronFixtures.cron()
        let create = CreateOMJob(omJob: CronRunBuilder.run(of: cron, spec: cron.spec!, slot: 1_773_136_800, runID: "a"))
        var existing = CronRunBuilder.run(of: cron, spec: cron.spec!, slot: 1_773_136_800, runID: "b")
        #expect(create.isSameRun(as: existing))
        existing.metadata.annotations?[CronOwnership.slotAnnotation] = "2026-03-10T11:00:00Z"
        #expect(!create.isSameRun(as: existing), "another slot's run")
        existing = CronRunBuilder.run(of: cron, spec: cron.spec!, slot: 1_773_136_800, runID: "b")
        existing.metadata.annotations?[CronOwnership.annotation] = "another-cronomjob"
        #expect(!create.isSameRun(as: existing), "another CronOMJob's run")
        existing.metadata.annotations = nil
        #expect(!create.isSameRun(as: existing), "a run made by hand")
    }

    @Test func statusPatchBodyCarriesThePreconditionAndClearsEmptiedFields() throws {
        var status = CronOMJobStatus()
        status.active = []
        status.message = ""
        status.lastScheduleTime = "2026-03-10T10:00:00Z"
        let body = try JSONValue(
            parsing: JSONStreamEncoder.encode(
                PatchCronOMJobStatus(resourceVersion: "500", status: status).mergePatchBody()))
        let json = String(decoding: try JSONEncoder().encode(body), as: UTF8.self)
        #expect(json.contains(#""resourceVersion":"500""#))
        #expect(json.contains(#""active":[]"#), "an empty list must be sent to clear the old one")
        #expect(json.contains(#""lastScheduleTime":"2026-03-10T10:00:00Z""#))
        #expect(!json.contains("lastSuccessfulTime"), "unset members are left alone")
    }
}
