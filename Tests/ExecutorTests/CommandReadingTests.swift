import BrokerProtocol
import Foundation
import KubeJSON
import Models
import Testing

@testable import Executor

/// The executor reads each command straight from its frame's bytes: the same command as
/// `Codable` reads from the same JSON, the pod kept as the text the watcher wrote, and errors
/// that name the member and what was expected.
@Suite struct CommandReadingTests {
    static let key = ObjectKey(namespace: "ns", name: "run")
    /// Everything a JSON string may need escaped or may carry unescaped.
    static let odd = "q\" b\\ s/ t\t n\n r\r nul\u{0} bell\u{7} é ü 日本 🚀 \u{2028} \u{FEFF}"

    static func pod(_ name: String) -> Pod {
        var container = Container(name: "main", image: "registry/image:\(odd)")
        container.command = ["/bin/sh", "-c", odd]
        container.env = [
            EnvVar(name: "PLAIN", value: "v"), EnvVar(name: "ODD", value: odd),
            EnvVar(name: "FROM", valueFrom: EnvVarSource(secretKeyRef: KeySelector(name: "s", key: "k"))),
        ]
        container.resources = ResourceRequirements(limits: ["cpu": "500m", "memory": .int(1_073_741_824)])
        var spec = PodSpec(containers: [container])
        spec.restartPolicy = "Never"
        spec.tolerations = [["key": "k", "operator": "Exists", "tolerationSeconds": 30]]
        spec.affinity = ["nodeAffinity": ["weight": 1.5, "nothing": nil, "flag": true]]
        return Pod(
            metadata: ObjectMeta(
                name: name, namespace: "ns", labels: ["app": odd], annotations: ["note": odd],
                ownerReferences: [
                    OwnerReference(apiVersion: "v", kind: "OMJob", name: "run", uid: "uid", controller: true)
                ],
                finalizers: ["f/\(odd)"]),
            spec: spec)
    }

    static var status: OMJobStatus {
        var status = OMJobStatus(phase: .exitHandlerRunning)
        status.observedGeneration = 3
        status.mainPodName = "run-main"
        status.message = odd
        status.mainPodTermination = MainPodTermination(
            reason: "Error", message: odd, exitCode: 2, signal: nil, source: "containerTerminated")
        status.podCreateFailure = PodCreateFailure(podType: .exitHandler, podName: "p", attempt: 2, code: 422)
        status.conditions = [
            Condition(
                type: "Ready", status: "False", observedGeneration: 3, lastTransitionTime: "2026-01-01T00:00:00Z",
                reason: "R", message: odd)
        ]
        return status
    }

    static var event: Event {
        var event = Event(
            metadata: ObjectMeta(name: "run.1", namespace: "ns"),
            involvedObject: ObjectReference(kind: "OMJob", namespace: "ns", name: "run", uid: "uid"), reason: "Ended",
            message: odd, type: "Warning")
        event.source = EventSource(component: "omjob-operator")
        event.count = 1
        event.firstTimestamp = "2026-01-01T00:00:00Z"
        return event
    }

    static var cronStatus: CronOMJobStatus {
        var status = CronOMJobStatus()
        status.active = []
        status.lastScheduleTime = "2026-03-10T10:00:00Z"
        status.message = odd
        return status
    }

    static var omJob: OMJob {
        var spec = OMJobSpec(mainPodSpec: OMJobPodSpec(image: "i", command: ["c", odd]))
        spec.ttlSecondsAfterFinished = 60
        return OMJob(
            metadata: ObjectMeta(name: "nightly-1", namespace: "ns", annotations: ["slot": odd]), spec: spec)
    }

    /// One of every action, with odd strings where they can be.
    static let actions: [(String, CommandAction)] = [
        ("createPod", .createPod(CreatePod(pod: pod("run-exit-\(odd)"), podType: .exitHandler, attempt: 2))),
        (
            "patchOMJobStatus",
            .patchOMJobStatus(PatchOMJobStatus(resourceVersion: "7", status: status, record: ["k": odd]))
        ),
        (
            "addFinalizer",
            .addFinalizer(
                FinalizerChange(
                    target: .pod(name: "run-main", uid: nil), finalizer: odd,
                    observed: ObservedFinalizers(resourceVersion: "5", finalizers: ["a", odd])))
        ),
        ("removeFinalizer", .removeFinalizer(FinalizerChange(target: .omJob, finalizer: "f"))),
        ("stopPod", .stopPod(DeletePod(name: odd, uid: "u", gracePeriodSeconds: 30))),
        ("deletePod", .deletePod(DeletePod(name: "p", uid: nil, resourceVersion: "9"))),
        ("recordEvent", .recordEvent(RecordEvent(event: event))),
        (
            "confirmPodAbsent",
            .confirmPodAbsent(
                ConfirmPodAbsent(
                    podName: "run-main", podUID: odd, thenPatch: PatchOMJobStatus(resourceVersion: "7", status: status))
            )
        ),
        (
            "confirmPodUnchanged",
            .confirmPodUnchanged(
                ConfirmPodUnchanged(
                    podName: "run-main", podUID: nil, resourceVersion: "8", notReadyNode: "node-\(odd)",
                    thenPatch: PatchOMJobStatus(resourceVersion: "7", status: OMJobStatus(phase: .failed)),
                    thenEvents: [RecordEvent(event: event), RecordEvent(event: event)]))
        ),
        ("createOMJob", .createOMJob(CreateOMJob(omJob: omJob))),
        ("deleteOMJob", .deleteOMJob(DeleteOMJob(name: "nightly-0", uid: "u", reason: odd))),
        (
            "patchCronOMJobStatus",
            .patchCronOMJobStatus(PatchCronOMJobStatus(resourceVersion: "500", status: cronStatus))
        ),
    ]

    static func command(_ action: CommandAction) -> Command {
        Command(id: "uid/\(odd)", key: key, owner: .omJob("uid-\(odd)"), action: action)
    }

    /// The frame's JSON as the session hands it over (without the length line and final newline).
    static func frameJSON(_ command: Command) throws -> [UInt8] {
        let framed = try CommandFrame.encode(id: command.id, key: command.key, payload: command)
        return Array(framed[(framed.firstIndex(of: UInt8(ascii: "\n"))! + 1)..<(framed.count - 1)])
    }

    /// `payload` put back into a frame's envelope.
    static func envelope(_ payload: JSONValue, sortedKeys: Bool = true) -> [UInt8] {
        let envelope: JSONValue = ["v": 1, "type": "command", "id": "x", "key": ["namespace": "ns", "name": "run"]]
        var bytes = envelope.jsonBytes(sortedKeys: sortedKeys)
        bytes.removeLast()
        return bytes + Array(#","payload":"#.utf8) + payload.jsonBytes(sortedKeys: sortedKeys) + [UInt8(ascii: "}")]
    }

    static func payload(of frame: [UInt8]) throws -> JSONValue {
        try #require(try JSONValue(parsing: frame)["payload"])
    }

    static func foundation(_ payload: JSONValue) throws -> Command {
        try JSONDecoder().decode(Command.self, from: Data(payload.jsonBytes()))
    }

    @Test func everyActionIsCovered() {
        #expect(Set(Self.actions.map(\.0)).count == 12)
        for (name, action) in Self.actions { #expect(action.type == name) }
    }

    @Test(arguments: actions)
    func readsWhatCodableReads(name: String, action: CommandAction) throws {
        let command = Self.command(action)
        let frame = try Self.frameJSON(command)
        let read = try CommandFrame.decode(Command.self, from: frame)
        #expect(read == command)
        #expect(read == (try Self.foundation(try Self.payload(of: frame))))
        #expect(read.action.type == name)
        // Members in another order (`type` first or anywhere), and pretty-printed.
        let payload = try Self.payload(of: frame)
        #expect(try CommandFrame.decode(Command.self, from: Self.envelope(payload, sortedKeys: false)) == command)
        let pretty = try JSONSerialization.data(
            withJSONObject: try JSONSerialization.jsonObject(with: Data(frame), options: [.fragmentsAllowed]),
            options: [.prettyPrinted])
        #expect(try CommandFrame.decode(Command.self, from: Array(pretty)) == command)
    }

    @Test func thePodIsKeptAsTheTextTheWatcherWrote() throws {
        let pod = Self.pod("run-main")
        let frame = try Self.frameJSON(Self.command(.createPod(CreatePod(pod: pod, podType: .main, attempt: 1))))
        let read = try CommandFrame.decode(Command.self, from: frame)
        guard case .createPod(let create) = read.action, case .text(let text, let name) = create.pod else {
            Issue.record("read \(read.action)")
            return
        }
        #expect(name == "run-main")
        #expect(text.bytes == (try JSONStreamEncoder.encode(pod)), "the bytes of the frame, not written again")
        #expect(try create.pod.decoded() == pod)
        #expect(create.pod == .model(pod))
        #expect(create.pod != .model(Self.pod("run-other")))
    }

    @Test func escapesTheWriterNeverWritesReadTheSame() throws {
        let command = Self.command(Self.actions[0].1)
        var text = String(decoding: try Self.frameJSON(command), as: UTF8.self)
        text = text.replacingOccurrences(of: "é", with: #"\u00e9"#).replacingOccurrences(
            of: "🚀", with: #"\ud83d\ude80"#
        )
        .replacingOccurrences(of: "s/", with: #"s\/"#)
        #expect(text.contains(#"\ud83d\ude80"#))
        let read = try CommandFrame.decode(Command.self, from: Array(text.utf8))
        #expect(read == command)
        #expect(read == (try Self.foundation(try Self.payload(of: Array(text.utf8)))))
    }

    @Test func unknownMembersAreSteppedOverAsCodableDoes() throws {
        let extra: JSONValue = ["nested": [1, "x", ["deep": nil]], "n": 1.5]
        for (name, action) in Self.actions {
            let command = Self.command(action)
            var payload = try Self.payload(of: try Self.frameJSON(command))
            payload["extra"] = extra
            payload["key"]?["extra"] = extra
            payload["owner"]?["extra"] = extra
            payload["action"]?["extra"] = extra
            for member in ["status", "event", "target", "observed", "thenPatch"] where payload["action"]?[member] != nil
            {
                payload["action"]?[member]?["extra"] = extra
            }
            let read = try CommandFrame.decode(Command.self, from: Self.envelope(payload))
            #expect(read == command, "\(name)")
            #expect(read == (try Self.foundation(payload)), "\(name)")
        }
        // A member of the pod the executor does not model is sent on as the watcher wrote it.
        var payload = try Self.payload(of: try Self.frameJSON(Self.command(Self.actions[0].1)))
        payload["action"]?["pod"]?["spec"]?["hostNetwork"] = true
        guard case .createPod(let create) = try CommandFrame.decode(Command.self, from: Self.envelope(payload)).action,
            case .text(let text, _) = create.pod
        else {
            Issue.record("not a createPod")
            return
        }
        #expect(text.value["spec"]?["hostNetwork"] == true)
    }

    @Test func nullOptionalMembersReadAsMissing() throws {
        let command = Self.command(.deletePod(DeletePod(name: "p", uid: nil)))
        var payload = try Self.payload(of: try Self.frameJSON(command))
        payload["action"]?["uid"] = .null
        payload["action"]?["gracePeriodSeconds"] = .null
        #expect(try CommandFrame.decode(Command.self, from: Self.envelope(payload)) == command)
        #expect(try Self.foundation(payload) == command)
    }

    /// A required member taken out: both readers refuse the command; ours names the member.
    static let missing: [(String, [String], String)] = [
        ("createPod", ["id"], "payload.id: missing member"),
        ("createPod", ["key", "name"], "payload.key.name: missing member"),
        ("createPod", ["owner", "uid"], "payload.owner.uid: missing member"),
        ("createPod", ["action", "type"], "payload.action.type: missing member"),
        ("createPod", ["action", "pod"], "payload.action.pod: missing member"),
        ("createPod", ["action", "podType"], "payload.action.podType: missing member"),
        ("createPod", ["action", "attempt"], "payload.action.attempt: missing member"),
        ("createPod", ["action", "pod", "metadata"], "payload.action.pod.metadata: missing member"),
        ("patchOMJobStatus", ["action", "resourceVersion"], "payload.action.resourceVersion: missing member"),
        ("patchOMJobStatus", ["action", "status"], "payload.action.status: missing member"),
        ("patchOMJobStatus", ["action", "status", "conditions"], ""),  // optional: read
        ("addFinalizer", ["action", "target", "pod", "name"], "payload.action.target.pod.name: missing member"),
        ("addFinalizer", ["action", "observed", "finalizers"], "payload.action.observed.finalizers: missing member"),
        ("addFinalizer", ["action", "finalizer"], "payload.action.finalizer: missing member"),
        (
            "removeFinalizer", ["action", "target", "omJob"],
            "payload.action.target: expected exactly one of omJob, pod"
        ),
        ("stopPod", ["action", "name"], "payload.action.name: missing member"),
        ("recordEvent", ["action", "event", "involvedObject"], "payload.action.event.involvedObject: missing member"),
        ("recordEvent", ["action", "event", "metadata"], "payload.action.event.metadata: missing member"),
        ("confirmPodAbsent", ["action", "thenPatch"], "payload.action.thenPatch: missing member"),
        ("confirmPodUnchanged", ["action", "thenEvents"], "payload.action.thenEvents: missing member"),
        ("confirmPodUnchanged", ["action", "resourceVersion"], "payload.action.resourceVersion: missing member"),
        ("createOMJob", ["action", "omJob", "metadata"], "payload.action.omJob: OMJob without metadata"),
        ("deleteOMJob", ["action", "reason"], "payload.action.reason: missing member"),
        ("patchCronOMJobStatus", ["action", "status"], "payload.action.status: missing member"),
    ]

    @Test(arguments: missing)
    func aMissingRequiredMemberIsNamed(action name: String, removed: [String], expected: String) throws {
        let action = try #require(Self.actions.first { $0.0 == name }?.1)
        var payload = try Self.payload(of: try Self.frameJSON(Self.command(action)))
        payload = Self.removing(removed, from: payload)
        let frame = Self.envelope(payload)
        if expected.isEmpty {
            #expect(try CommandFrame.decode(Command.self, from: frame) == (try Self.foundation(payload)))
            return
        }
        #expect(throws: DecodingError.self) { try Self.foundation(payload) }
        #expect {
            try CommandFrame.decode(Command.self, from: frame)
        } throws: { error in
            "\(error)".hasPrefix(expected)
        }
    }

    static func removing(_ path: [String], from value: JSONValue) -> JSONValue {
        guard let first = path.first, case .object(var members) = value else { return value }
        if path.count == 1 {
            members[first] = nil
        } else if let member = members[first] {
            members[first] = removing(Array(path.dropFirst()), from: member)
        }
        return .object(members)
    }

    /// A member of the wrong kind or value: what was expected, where.
    static let wrong: [(String, [String], JSONValue, String)] = [
        ("createPod", ["action", "attempt"], "1", "payload.action.attempt: expected a number at byte "),
        ("createPod", ["action", "podType"], "sidecar", #"payload.action.podType: unknown value "sidecar" at byte "#),
        ("createPod", ["action", "pod"], [1], "payload.action.pod: expected the pod as an object at byte "),
        ("createPod", ["action", "pod", "metadata"], nil, "payload.action.pod.metadata: expected an object at byte "),
        ("createPod", ["owner", "kind"], "Deployment", #"payload.owner.kind: unknown value "Deployment""#),
        ("createPod", ["action", "type"], "format", #"payload.action.type: unknown command type "format""#),
        ("createPod", ["id"], 7, "payload.id: expected a string at byte "),
        ("patchOMJobStatus", ["action", "status", "phase"], "Bogus", "payload.action.status: unknown phase at byte "),
        (
            "addFinalizer", ["action", "observed", "finalizers"], nil,
            "payload.action.observed.finalizers: expected an array"
        ),
        (
            "confirmPodUnchanged", ["action", "thenEvents"], [["event": 1]],
            "payload.action.thenEvents.0.event: expected an object"
        ),
        ("deleteOMJob", ["action", "uid"], nil, "payload.action.uid: expected a string at byte "),
    ]

    @Test(arguments: wrong)
    func aWrongMemberIsNamedWithWhatWasExpected(action name: String, path: [String], value: JSONValue, expected: String)
        throws
    {
        let action = try #require(Self.actions.first { $0.0 == name }?.1)
        var payload = try Self.payload(of: try Self.frameJSON(Self.command(action)))
        payload = Self.setting(path, to: value, in: payload)
        #expect(throws: DecodingError.self) { try Self.foundation(payload) }
        #expect {
            try CommandFrame.decode(Command.self, from: Self.envelope(payload))
        } throws: { error in
            "\(error)".hasPrefix(expected)
        }
    }

    static func setting(_ path: [String], to new: JSONValue, in value: JSONValue) -> JSONValue {
        guard let first = path.first, case .object(var members) = value else { return value }
        members[first] = path.count == 1 ? new : setting(Array(path.dropFirst()), to: new, in: members[first] ?? [:])
        return .object(members)
    }

    @Test func aBrokenFrameSaysWhere() {
        #expect {
            try CommandFrame.decode(Command.self, from: Array(#"{"v":1,"payload":{"id":"x""#.utf8))
        } throws: { error in
            "\(error)".hasPrefix("payload: expected ',' or '}' at byte ")
        }
        #expect {
            try CommandFrame.decode(Command.self, from: Array(#"{"v":1}"#.utf8))
        } throws: { error in
            "\(error)".hasPrefix("payload: missing member")
        }
    }

    @Test func theExecutorAnswersAnUnreadableCommandWithItsReason() throws {
        var payload = try Self.payload(of: try Self.frameJSON(Self.command(Self.actions[0].1)))
        payload["action"]?["podType"] = "sidecar"
        let received = ReceivedCommandFrame(
            envelope: CommandEnvelope(id: "x", key: Self.key, payload: .null), frame: Self.envelope(payload))
        guard case .failure(let error) = received.command else {
            Issue.record("read a broken command")
            return
        }
        #expect(error.path == ["payload", "action", "podType"])
        #expect(error.message == #"unknown value "sidecar""#)
    }
}
