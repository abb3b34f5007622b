import BrokerProtocol
import Foundation
import KubeJSON
import Models
import Testing

@testable import Watcher

/// Commands cross the broker as JSON: the encoding is flat (`type` plus the payload's members),
/// round-trips exactly, and the status patch body carries the resourceVersion precondition.
@Suite struct CommandCodingTests {
    @Test func everyCommandOfALifecycleRoundTrips() throws {
        var run = try RunScenario(guarded: false)
        var commands = run.decide().commands
        run.omJob.metadata.finalizers = [OperatorLabels.finalizer]
        commands += run.decide().commands
        run.pods = [try run.mainPod("running")]
        commands += run.decide().commands
        run.pods = [try run.mainPod("image-pull-backoff-past-deadline")]
        let neverStarted = run.decide()
        commands += neverStarted.commands
        let recorded = run.omJob
        run.write(neverStarted.confirmation?.thenPatch.status)
        commands += run.decide().commands
        run.omJob = recorded
        run.omJob.metadata.deletionTimestamp = "2025-01-09T15:00:00Z"
        commands += run.decide().commands
        var status = OMJobStatus(phase: .running)
        status.mainPodName = "gone"
        run.omJob.status = status
        run.omJob.metadata.deletionTimestamp = nil
        run.pods = []
        commands += run.decide().commands

        let types = Set(commands.map(\.action.type))
        #expect(
            types.isSuperset(of: [
                "addFinalizer", "removeFinalizer", "createPod", "deletePod", "patchOMJobStatus", "recordEvent",
                "confirmPodAbsent",
                "confirmPodUnchanged",
            ]))
        for command in commands {
            let data = try JSONEncoder().encode(command)
            #expect(try JSONDecoder().decode(Command.self, from: data) == command)
            #expect(try Command(jsonBytes: data) == command, "as the executor reads it")
            let json = try JSONDecoder().decode(JSONValue.self, from: data)
            #expect(json["action"]?["type"]?.stringValue == command.action.type)
            #expect(json["key"]?["name"]?.stringValue == run.name)
        }
    }

    @Test func theStatusPatchBodyCarriesItsPrecondition() throws {
        let patch = PatchOMJobStatus(resourceVersion: "42", status: OMJobStatus(phase: .running))
        let body = try JSONValue(parsing: JSONStreamEncoder.encode(patch.mergePatchBody()))
        #expect(body["metadata"]?["resourceVersion"] == "42")
        #expect(body["status"]?["phase"] == "Running")
        #expect(body["status"]?["mainPodName"] == nil, "unset members are left alone by a merge patch")
    }

    @Test func anUnknownCommandTypeIsAnError() {
        let data = Data(
            #"{"id":"x","key":{"namespace":"n","name":"o"},"owner":{"kind":"OMJob","uid":"u"},"action":{"type":"format"}}"#
                .utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Command.self, from: data) }
        #expect(throws: JSONReadError.self) { try Command(jsonBytes: data) }
    }
}
