import Testing

@testable import Models

/// The one Event builder: deterministic names, so a repeated decision is a `409`, never a duplicate.
@Suite struct RecordedEventTests {
    static let omJob = ObjectReference(
        apiVersion: "pipelines.openmetadata.org/v1", kind: "OMJob", namespace: "ns", name: "run-a", uid: "uid-1")

    func event(
        _ object: ObjectReference = omJob, reason: String = "MainPodFailed", about subject: String = "",
        message: String = "m"
    ) -> Event {
        .recorded(
            on: object, reason: reason, type: "Warning", about: subject, message: message,
            timestamp: "2026-03-10T10:00:00Z")
    }

    @Test func theNameIsTheObjectAndAHashOfWhatTheEventIsAbout() {
        let name = event().metadata.name ?? ""
        #expect(name == "run-a." + StableHash.hex16("uid-1/MainPodFailed/"))
        #expect(name.count == "run-a.".count + 16)
        #expect(event().metadata.name == name, "the same decision names the same Event")
        var other = Self.omJob
        other.uid = "uid-2"
        let names = [
            name, event(about: "2").metadata.name, event(reason: "OMJobFailed").metadata.name,
            event(other).metadata.name,
        ]
        #expect(Set(names).count == 4, "uid, reason and subject each tell Events apart")
    }

    @Test func everyFieldIsFilledTheSameWay() {
        let event = event(message: String(repeating: "x", count: 2000))
        #expect(event.metadata.namespace == "ns" && event.involvedObject == Self.omJob)
        #expect(event.reason == "MainPodFailed" && event.action == "MainPodFailed" && event.type == "Warning")
        #expect(event.message?.count == 1024)
        #expect(
            event.source?.component == OperatorLabels.component && event.reportingComponent == OperatorLabels.component)
        #expect(
            event.firstTimestamp == "2026-03-10T10:00:00Z" && event.lastTimestamp == event.firstTimestamp
                && event.count == 1)
    }

    @Test func aLongObjectNameIsCutSoTheNameStaysValid() {
        var long = Self.omJob
        long.name = String(repeating: "a", count: 250)
        #expect(event(long).metadata.name?.count == 200 + 1 + 16)
    }

    /// FNV-1a 64 of the empty string and of "a", as published with the algorithm.
    @Test func stableHashIsFNV1a() {
        #expect(StableHash.hex8("") == "cbf29ce4")
        #expect(StableHash.hex8("a") == "af63dc4c")
    }
}
