import Foundation
import KubeJSON
import Models
import Testing

@testable import OMJobCLI

/// The text people read, compared with golden text (fixed objects, a fixed clock, no colour).
@Suite struct ViewTests {
    static let now = ISO8601DateFormatter().date(from: "2026-03-01T12:00:00Z")!

    static func decode<T: Decodable>(_ type: T.Type, _ json: JSONValue) throws -> T {
        try JSONDecoder().decode(T.self, from: try JSONEncoder().encode(json))
    }

    static func run(_ name: String, created: String, status: JSONValue, exitHandler: Bool = true) -> JSONValue {
        var spec: [String: JSONValue] = ["mainPodSpec": ["image": "i"]]
        if exitHandler { spec["exitHandlerSpec"] = ["image": "i"] }
        return [
            "apiVersion": "pipelines.openmetadata.org/v1", "kind": "OMJob",
            "metadata": [
                "name": .string(name), "namespace": "pipelines", "uid": .string("uid-\(name)"),
                "creationTimestamp": .string(created),
                "labels": ["app.kubernetes.io/pipeline": "mysql", "app.kubernetes.io/run-id": .string("run-\(name)")],
            ],
            "spec": .object(spec), "status": status,
        ]
    }

    static let runs: [JSONValue] = [
        run(
            "nightly-ok", created: "2026-03-01T11:55:00Z",
            status: [
                "phase": "Succeeded", "mainPodName": "nightly-ok-main", "exitHandlerPodName": "nightly-ok-exit",
                "exitHandlerAttempts": 1,
                "exitHandlerExitCode": 0,
                "mainPodTermination": ["reason": "Completed", "exitCode": 0, "source": "ContainerTerminated"],
            ]),
        run(
            "killed", created: "2026-03-01T09:30:00Z",
            status: [
                "phase": "ExitHandlerRunning", "mainPodName": "killed-main", "exitHandlerPodName": "killed-exit",
                "exitHandlerAttempts": 1,
                "mainPodTermination": ["reason": "Killed", "exitCode": 143, "signal": 15, "source": "Killed"],
            ]),
        run(
            "retried", created: "2026-02-26T08:00:00Z",
            status: [
                "phase": "Failed", "exitHandlerAttempts": 4, "exitHandlerExitCode": 1,
                "mainPodTermination": ["reason": "OOMKilled", "exitCode": 137, "source": "ContainerTerminated"],
            ]),
        run("fresh", created: "2026-03-01T11:59:58Z", status: [:], exitHandler: false),
    ]

    @Test func listTableIsAligned() throws {
        let raws = try Self.runs.map { try Self.decode(Raw<OMJob>.self, $0) }
        let text = ListView.table(raws, allNamespaces: false, wide: false, now: Self.now).render(on: .capture())
        #expect(
            text == """
                NAME        PHASE               MAIN POD ENDING             EXIT HANDLER     ATTEMPTS  AGE
                nightly-ok  Succeeded           Completed (exit 0)          succeeded        1         5m
                killed      ExitHandlerRunning  Killed (exit 143, SIGTERM)  running          1         150m
                retried     Failed              OOMKilled (exit 137)        failed (exit 1)  4         3d4h
                fresh       -                   -                           none             0         2s

                """)
    }

    /// Under a CRD that prunes the status (OpenMetadata's chart keeps only phase, pod names,
    /// times, message and exit code), the run's record is in the OMJob's annotations: the views
    /// read it there, as the operator does.
    @Test func underAPruningCRDTheViewsReadTheRunsRecord() throws {
        var pruned = Self.run(
            "chart-run", created: "2026-03-01T11:55:00Z",
            status: ["phase": "ExitHandlerRunning", "mainPodName": "chart-run-main"])
        pruned[at: ["metadata", "annotations"]] = [
            RecordAnnotations.exitHandlerAttempts: "2",
            RecordAnnotations.mainPodTermination:
                #"{"reason":"OOMKilled","exitCode":137,"source":"ContainerTerminated"}"#,
        ]
        let raws = [try Self.decode(Raw<OMJob>.self, pruned)]
        let text = ListView.table(raws, allNamespaces: false, wide: false, now: Self.now).render(on: .capture())
        #expect(
            text == """
                NAME       PHASE               MAIN POD ENDING       EXIT HANDLER  ATTEMPTS  AGE
                chart-run  ExitHandlerRunning  OOMKilled (exit 137)  running       2         5m

                """)
    }

    @Test func wideAndAllNamespacesAddColumns() throws {
        let raws = try Self.runs.prefix(1).map { try Self.decode(Raw<OMJob>.self, $0) }
        let text = ListView.table(raws, allNamespaces: true, wide: true, now: Self.now).render(on: .capture())
        #expect(
            text == """
                NAMESPACE  NAME        PHASE      MAIN POD ENDING     EXIT HANDLER  ATTEMPTS  AGE  MAIN POD         EXIT HANDLER POD  PIPELINE  RUN ID
                pipelines  nightly-ok  Succeeded  Completed (exit 0)  succeeded     1         5m   nightly-ok-main  nightly-ok-exit   mysql     run-nightly-ok

                """)
    }

    @Test func colourOnlyOnATerminal() throws {
        let raws = try Self.runs.prefix(1).map { try Self.decode(Raw<OMJob>.self, $0) }
        let plain = ListView.table(raws, allNamespaces: false, wide: false, now: Self.now).render(
            on: .capture(tty: false))
        let coloured = ListView.table(raws, allNamespaces: false, wide: false, now: Self.now).render(
            on: .capture(tty: true))
        #expect(!plain.contains("\u{1B}["))
        #expect(coloured.contains("\u{1B}[32mSucceeded"))
        // Escapes do not count towards the widths: stripped, both print the same columns.
        #expect(coloured.replacingOccurrences(of: "\u{1B}\\[[0-9]+m", with: "", options: .regularExpression) == plain)
    }

    @Test func describeIsATreeWithTheEvidence() throws {
        var omjob = Self.runs[2]
        omjob["status"]?["message"] = "every exit-handler attempt failed"
        omjob["status"]?["mainPodTermination"]?["finishedAt"] = "2026-02-26T08:10:00Z"
        let main = Self.pod("retried-main", type: "main", attempt: nil, phase: "Failed", exit: 137, reason: "OOMKilled")
        let exits = (1...2).map {
            Self.pod(Self.exitName($0), type: "exit-handler", attempt: $0, phase: "Failed", exit: 1, reason: "Error")
        }
        let foreign = Self.pod(
            "retried-main", type: "main", attempt: nil, phase: "Succeeded", exit: 0, reason: "Completed",
            uid: "uid-older-run")
        let events: [JSONValue] = [
            [
                "apiVersion": "v1", "kind": "Event", "metadata": ["name": "e2", "namespace": "pipelines"],
                "reason": "OMJobFailed", "type": "Warning",
                "message": "exit handler failed 4 times", "lastTimestamp": "2026-02-26T09:00:00Z",
                "involvedObject": ["kind": "OMJob", "name": "retried"],
            ],
            [
                "apiVersion": "v1", "kind": "Event", "metadata": ["name": "e1", "namespace": "pipelines"],
                "reason": "MainPodFailed", "type": "Warning",
                "message": "main pod OOMKilled", "lastTimestamp": "2026-02-26T08:10:01Z", "count": 2,
                "involvedObject": ["kind": "OMJob", "name": "retried"],
            ],
        ]
        let tree = RunTree(
            omjob: try Self.decode(Raw<OMJob>.self, omjob),
            pods: try ([foreign, main] + exits.reversed()).map { try Self.decode(Raw<Pod>.self, $0) },
            events: try events.map { try Self.decode(Raw<Event>.self, $0) })
        #expect(
            tree.render(on: .capture(), now: Self.now) == """
                OMJob pipelines/retried  Failed  age 3d4h
                ├─ pipeline mysql, run id run-retried
                ├─ message: every exit-handler attempt failed
                ├─ main pod retried-main  Failed (OOMKilled, exit 137)
                │  ├─ ending: OOMKilled (exit 137) (source ContainerTerminated)
                │  └─ finished 2026-02-26T08:10:00Z
                ├─ exit handler: failed (exit 1)  (4 attempts)
                │  ├─ attempt 1  retried-exit  Failed (Error, exit 1)
                │  ├─ attempt 2  retried-exit-2  Failed (Error, exit 1)
                │  ├─ 2 earlier attempt(s) no longer have a pod
                │  └─ last exit code 1
                └─ events
                   ├─ 3d3h  Warning  MainPodFailed  OMJob retried (x2): main pod OOMKilled
                   └─ 3d3h  Warning  OMJobFailed    OMJob retried: exit handler failed 4 times

                """)
        #expect(tree.document["exitHandlerPods"]?.arrayValue?.count == 2)
    }

    static func exitName(_ attempt: Int) -> String { attempt == 1 ? "retried-exit" : "retried-exit-\(attempt)" }

    static func pod(
        _ name: String, type: String, attempt: Int?, phase: String, exit: Int, reason: String,
        uid: String = "uid-retried"
    ) -> JSONValue {
        var labels: [String: JSONValue] = [
            "omjob.pipelines.openmetadata.org/pod-type": .string(type),
            "omjob.pipelines.openmetadata.org/uid": .string(uid),
        ]
        if let attempt { labels["omjob.pipelines.openmetadata.org/attempt"] = .string(String(attempt)) }
        return [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": .string(name), "namespace": "pipelines", "labels": .object(labels)],
            "spec": ["containers": [["name": "main", "image": "i"]]],
            "status": [
                "phase": .string(phase),
                "containerStatuses": [
                    [
                        "name": "main",
                        "state": ["terminated": ["exitCode": .int(Int64(exit)), "reason": .string(reason)]],
                    ]
                ],
            ],
        ]
    }

    @Test(
        arguments: [
            (0.0, "0s"), (59, "59s"), (119, "119s"), (120, "2m"), (200, "3m20s"), (599, "9m59s"), (600, "10m"),
            (9000, "150m"),
            (3 * 3600, "3h"), (3 * 3600 + 600, "3h10m"), (30 * 3600, "30h"), (50 * 3600, "2d2h"), (8 * 86400, "8d"),
            (800 * 86400, "2y70d"),
        ] as [(Double, String)])
    func ageReadsLikeKubectl(seconds: Double, text: String) {
        #expect(HumanAge.duration(seconds) == text)
    }

    @Test func durationsOnTheCommandLine() {
        #expect(DurationArgument(argument: "90")?.seconds == 90)
        #expect(DurationArgument(argument: "1h30m")?.seconds == 5400)
        #expect(DurationArgument(argument: "2.5s")?.seconds == 2.5)
        #expect(DurationArgument(argument: "5x") == nil)
        #expect(DurationArgument(argument: "m") == nil)
    }
}
