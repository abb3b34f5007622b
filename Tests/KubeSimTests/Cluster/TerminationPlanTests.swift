import KubeJSON
import Testing

@testable import KubeSim

/// The kubelet's choice when a pod gets a deletionTimestamp, over real-shaped pods.
@Suite struct TerminationPlanTests {
    static func pod(phase: String, running: Bool, grace: Int64, ignoreSIGTERM: Bool = false) -> JSONValue {
        let state: JSONValue =
            running ? ["running": ["startedAt": "2024-05-02T10:00:00Z"]] : ["waiting": ["reason": "ImagePullBackOff"]]
        var pod: JSONValue = [
            "metadata": [
                "name": "p", "deletionTimestamp": "2024-05-02T10:01:00Z", "deletionGracePeriodSeconds": .int(grace),
            ],
            "status": ["phase": .string(phase), "containerStatuses": [["name": "main", "state": state]]],
        ]
        if ignoreSIGTERM { pod.set(["metadata", "annotations"], ["kubesim.io/ignore-sigterm": "true"]) }
        return pod
    }

    struct Row: Sendable, CustomStringConvertible {
        var description: String
        var pod: JSONValue
        var hasLocalProcess = false
        var plan: TerminationPlan
    }

    static let rows: [Row] = [
        Row(description: "terminal pod", pod: pod(phase: "Succeeded", running: false, grace: 0), plan: .deleteNow),
        Row(
            description: "running, default grace", pod: pod(phase: "Running", running: true, grace: 30),
            plan: .exit(.terminatedBySIGTERM)),
        Row(description: "running, forced", pod: pod(phase: "Running", running: true, grace: 0), plan: .exit(.killed)),
        Row(description: "never started", pod: pod(phase: "Pending", running: false, grace: 30), plan: .exit(.killed)),
        Row(
            description: "ignores SIGTERM", pod: pod(phase: "Running", running: true, grace: 20, ignoreSIGTERM: true),
            plan: .exitAfter(seconds: 20, .killed)),
        Row(
            description: "local process", pod: pod(phase: "Running", running: true, grace: 5), hasLocalProcess: true,
            plan: .stopProcess(graceSeconds: 5)),
    ]

    @Test(arguments: rows)
    func plan(_ row: Row) {
        #expect(TerminationPlan.make(row.pod, hasLocalProcess: row.hasLocalProcess) == row.plan)
    }

    @Test func exitCodesOfTheEndings() {
        #expect(ContainerExit.terminatedBySIGTERM == ContainerExit(exitCode: 143, reason: "Error"))
        #expect(ContainerExit.killed.exitCode == 137 && ContainerExit.killed.reason == "Error")
        #expect(ContainerExit.oomKilled.reason == "OOMKilled")
        #expect(ContainerExit.exited(0).reason == "Completed")
    }

    @Test(arguments: [
        ("busybox:1.36", "docker.io/library/busybox:1.36"), ("busybox", "docker.io/library/busybox:latest"),
        ("openmetadata/ingestion:1.5.0", "docker.io/openmetadata/ingestion:1.5.0"),
        ("ghcr.io/org/tool:2", "ghcr.io/org/tool:2"), ("localhost:5000/x:1", "localhost:5000/x:1"),
    ])
    func imageNamesAreNormalisedAsContainerdReportsThem(_ written: String, _ reported: String) {
        #expect(FakeIdentifier.normalizedImage(written) == reported)
    }
}
