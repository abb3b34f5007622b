import Foundation
import KubeJSON
import Shared

/// A scenario's namespace on the real node (`RealNode`): the same server and identities as
/// `RealCluster`, but pods really run, so nothing is written to pod status by hand. The
/// scenario's kubelet writes become what makes the real kubelet report that state:
/// - an OMJob's OpenMetadata image (not on this node) is played by the test image
///   (`omjob-test main` / `omjob-test exit-handler`, scripts/node/image), which waits for an
///   instruction; the main container gets a 64 MiB memory and a 16 MiB ephemeral-storage limit;
/// - "running" waits until the container really runs; binding waits for kube-scheduler's;
/// - "terminated with N" instructs the container (exit N; OOM past its memory limit for
///   OOMKilled; a real SIGTERM from the host for 143) and returns once the real kubelet reported
///   that ending, failing with what it reported instead when it differs;
/// - "evicted" fills the container's writable layer past its limit: the kubelet evicts it;
/// - before an exit handler is made to end well, its own log (`pods/log`) is checked: the line
///   it printed carries the same `pipelineStatus` and reason as its environment.
/// A pod already ending (deleted: the kubelet sent SIGTERM itself) is only waited for.
final class RealNodeCluster: Cluster {
    let node: RealNode
    let api: RealCluster
    let serverName = "kube-apiserver v1.20.2 + kubelet v1.20.2 (containerd, runc)"
    var namespace: String { api.namespace }
    var nodeName: String { node.name }
    /// A real kubelet reports a stopped container a second or two after the grace period ends:
    /// the scenarios' 1 s of slack would race it and record PodDeleted instead of the report.
    var operatorSettings: [String: String] {
        api.operatorSettings.merging(["OMJOB_DELETION_REPORT_SLACK_SECONDS": "15"]) { _, new in new }
    }

    /// The test image; the scenarios' pods never pull (`imagePullPolicy: Never`).
    static let testImage = "localhost/omjob-test:1"
    /// How long a real ending may take to be reported (a pod deleted with a 30 s grace period included).
    static let endingTimeout: Double = 90

    private init(node: RealNode, api: RealCluster) {
        self.node = node
        self.api = api
    }

    static func start(on node: RealNode) async throws -> RealNodeCluster {
        RealNodeCluster(node: node, api: try await RealCluster.start(on: node.plane))
    }

    func operatorKubeconfig(in directory: String) throws -> String { try api.operatorKubeconfig(in: directory) }

    func create(_ resource: ClusterResource, _ object: JSONValue) async throws -> JSONValue {
        switch resource {
        case .omjobs: try await api.create(resource, Self.playedByTestImage(object))
        case .pods: try await api.create(resource, Self.podPlayedByTestImage(object))
        case .events: try await api.create(resource, object)
        }
    }

    func get(_ resource: ClusterResource, _ name: String) async throws -> JSONValue? {
        try await api.get(resource, name)
    }

    func list(_ resource: ClusterResource, labelSelector: String) async throws -> [JSONValue] {
        try await api.list(resource, labelSelector: labelSelector)
    }

    func delete(_ resource: ClusterResource, _ name: String, gracePeriodSeconds: Int?) async throws {
        try await api.delete(resource, name, gracePeriodSeconds: gracePeriodSeconds)
    }

    func tearDown() async { await api.tearDown() }

    /// kube-scheduler binds; this waits until it has.
    func bind(pod: String) async throws {
        _ = try await until("kube-scheduler binds \(pod) to \(nodeName)", timeout: 60) {
            try await self.get(.pods, pod)?["spec"]?["nodeName"]?.stringValue == self.nodeName ? true : nil
        }
    }

    /// The scenario's kubelet write, made real (see the type's comment).
    func patchStatus(_ resource: ClusterResource, _ name: String, _ status: JSONValue) async throws {
        guard resource == .pods else { return try await api.patchStatus(resource, name, status) }
        let state = status["containerStatuses"]?.arrayValue?.first?["state"]
        if state?["running"] != nil {
            _ = try await waitForStarted(name)
        } else if let terminated = state?["terminated"] {
            try await end(
                name, exitCode: Int(terminated["exitCode"]?.intValue ?? 0),
                reason: terminated["reason"]?.stringValue ?? "")
        } else if status["reason"]?.stringValue == "Evicted" {
            try await evictForStorage(name)
        } else {
            throw IntegrationFailure(
                "the real node cannot play the status \(status) for \(name): no container action makes it")
        }
    }

    // MARK: - The test image

    /// OpenMetadata's ingestion image replaced by the test image, waiting for instructions.
    static func playedByTestImage(_ omJob: JSONValue) -> JSONValue {
        var omJob = omJob
        for (key, role) in [("mainPodSpec", "main"), ("exitHandlerSpec", "exit-handler")] {
            guard var spec = omJob["spec"]?[key], spec["image"]?.stringValue?.hasPrefix("openmetadata/") == true else {
                continue
            }
            spec["image"] = .string(testImage)
            spec["imagePullPolicy"] = "Never"
            spec["command"] = ["/bin/omjob-test", .string(role)]
            spec["env"] = .array((spec["env"]?.arrayValue ?? []) + [["name": "OMJOB_TEST_CONTROLLED", "value": "1"]])
            if role == "main" { spec["resources"] = ["limits": ["memory": "64Mi", "ephemeral-storage": "16Mi"]] }
            omJob["spec"]?[key] = spec
        }
        return omJob
    }

    /// A pod a scenario creates itself (as another operator would), its container played by the
    /// test image in the role its `pod-type` label says.
    static func podPlayedByTestImage(_ pod: JSONValue) -> JSONValue {
        var pod = pod
        guard var container = pod["spec"]?["containers"]?.arrayValue?.first,
            container["image"]?.stringValue?.hasPrefix("openmetadata/") == true
        else { return pod }
        let role = pod["metadata"]?["labels"]?["omjob.pipelines.openmetadata.org/pod-type"]?.stringValue ?? "main"
        container["image"] = .string(testImage)
        container["imagePullPolicy"] = "Never"
        container["command"] = ["/bin/omjob-test", .string(role)]
        container["env"] = .array(
            (container["env"]?.arrayValue ?? []) + [["name": "OMJOB_TEST_CONTROLLED", "value": "1"]])
        pod["spec"]?["containers"] = [container]
        return pod
    }

    // MARK: - Waiting for the real kubelet

    /// The pod's only container status.
    static func container(_ pod: JSONValue?) -> JSONValue? { pod?["status"]?["containerStatuses"]?.arrayValue?.first }

    /// Waits until the container has started (running, or already ended); returns its status.
    func waitForStarted(_ pod: String) async throws -> JSONValue {
        try await untilOnNode("\(pod)'s container started on \(nodeName)", pod: pod, timeout: 90) {
            // Spelled out: in `cond ? container : nil` the nil would be JSONValue.null, a value.
            guard let container = Self.container(try await self.get(.pods, pod)) else {
                return Optional<JSONValue>.none
            }
            guard container["state"]?["running"] != nil || container["state"]?["terminated"] != nil else {
                return Optional<JSONValue>.none
            }
            return container
        }
    }

    /// Makes the container end with `exitCode`/`reason` and waits for the kubelet's report of it.
    func end(_ pod: String, exitCode: Int, reason: String) async throws {
        let container = try await waitForStarted(pod)
        let current = try await get(.pods, pod)
        if exitCode == 0 { try await checkExitHandlerLog(pod) }
        if container["state"]?["running"] != nil, current?["metadata"]?["deletionTimestamp"] == nil,
            let id = container["containerID"]?.stringValue
        {
            switch (exitCode, reason) {
            case (137, "OOMKilled"): try await node.instruct(container: id, "oom")
            case (143, _): try await node.signal(container: id, SIGTERM)
            default: try await node.instruct(container: id, "exit \(exitCode)")
            }
        }
        let exitPod = current?["metadata"]?["labels"]?[OperatorUnderTest.podType]?.stringValue == "exit-handler"
        let seen = try await untilOnNode("\(pod)'s container ended", pod: pod, timeout: Self.endingTimeout) {
            () -> Seen? in
            guard let object = try await self.get(.pods, pod) else { return .gone }
            return Self.container(object)?["state"]?["terminated"].map(Seen.terminated)
        }
        guard case .terminated(let terminated) = seen else {
            // A killed run's exit pod is deleted as soon as it has ended well: its end cannot be read.
            if exitPod, exitCode == 0 { return }
            throw IntegrationFailure("\(pod) was deleted before the kubelet's report of its end was seen")
        }
        let reported = (Int(terminated["exitCode"]?.intValue ?? -1), terminated["reason"]?.stringValue ?? "")
        guard reported == (exitCode, reason) else {
            throw IntegrationFailure(
                "the kubelet reported \(pod) ended with \(reported.0) \(reported.1); the scenario plays \(exitCode) \(reason)"
            )
        }
    }

    /// What waiting for a container's end found.
    enum Seen {
        case terminated(JSONValue)
        case gone
    }

    /// Writes past the main container's ephemeral-storage limit; the kubelet's eviction manager
    /// fails the pod with reason Evicted.
    func evictForStorage(_ pod: String) async throws {
        let container = try await waitForStarted(pod)
        guard let id = container["containerID"]?.stringValue else {
            throw IntegrationFailure("\(pod) has no container id")
        }
        try await node.instruct(container: id, "fill")
        _ = try await untilOnNode("the kubelet evicts \(pod)", pod: pod, timeout: Self.endingTimeout) {
            try await self.get(.pods, pod)?["status"]?["reason"]?.stringValue == "Evicted" ? true : nil
        }
    }

    /// An exit handler about to end well printed, as it started, `pipelineStatus=… reason=…` as
    /// its environment says. Read before it ends: a killed run's exit pod is deleted as soon as it has.
    func checkExitHandlerLog(_ pod: String) async throws {
        guard let object = try await get(.pods, pod),
            object["metadata"]?["labels"]?[OperatorUnderTest.podType]?.stringValue == "exit-handler"
        else { return }
        var env: [String: String] = [:]
        for variable in object["spec"]?["containers"]?.arrayValue?.first?["env"]?.arrayValue ?? [] {
            if let key = variable["name"]?.stringValue { env[key] = variable["value"]?.stringValue ?? "" }
        }
        let expected =
            "exit-handler: pipelineStatus=\(env["pipelineStatus"] ?? "") reason=\(env["OMJOB_MAIN_REASON"] ?? "")"
        var log = ""
        do {
            _ = try await until("the exit handler's line in \(pod)'s log", timeout: 30) {
                log = try await self.node.plane.admin.logs(namespace: self.namespace, pod: pod)
                return log.contains(expected) ? true : nil
            }
        } catch {
            throw IntegrationFailure("exit handler \(pod)'s log lacks `\(expected)`: \(log)")
        }
    }

    /// `until`, whose timeout says where the pod was.
    func untilOnNode<T>(_ what: String, pod: String, timeout: Double, _ condition: () async throws -> T?) async throws
        -> T
    {
        do {
            return try await until(what, timeout: timeout, condition)
        } catch {
            throw IntegrationFailure("\(error); \(pod): \(await describe(pod))")
        }
    }

    /// The pod's phase and container state, for failure messages.
    func describe(_ pod: String) async -> String {
        guard let object = try? await get(.pods, pod) else { return "pod gone" }
        let container = Self.container(object)
        return
            "phase \(object["status"]?["phase"]?.stringValue ?? "none"), node \(object["spec"]?["nodeName"]?.stringValue ?? "none"), "
            + "container \(container?["state"].map { "\($0)" } ?? "none")"
    }
}
