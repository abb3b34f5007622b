import Foundation
import KubeJSON
import Spawn
import TestSupport
import Testing

/// A real kube-apiserver v1.20.2 with kube-controller-manager (scripts/control-plane), for the
/// commands whose meaning depends on the real server: finalizers, namespace and CRD deletion.
/// Not built is a failure, never a skip (CI builds it first).
final class RealPlane: Sendable {
    let state: String
    let kubeconfig: String
    private let service: ScriptedService

    private init(service: ScriptedService) {
        self.state = service.state
        self.kubeconfig = service.state + "/kubeconfig"
        self.service = service
    }

    static var scripts: String { Repo.root.appendingPathComponent("scripts/control-plane").path }

    static func start() async throws -> RealPlane {
        let state = try Repo.temporaryDirectory()
        let present = try await HelperProgram.run(
            ["/bin/bash", "-c", ". '\(scripts)/lib.sh' && cp_binaries_present"], in: state)
        guard present.status == 0 else {
            throw TestFailure(
                "the real control plane is not built: run scripts/control-plane/build.sh once (CI's .ci/run does)")
        }
        return RealPlane(service: try await ScriptedService.start(scripts: scripts, arguments: [state], state: state))
    }

    /// Stops every process of the control plane by its pid (stop.sh) and removes its state.
    func stop() async {
        await service.stop()
        try? FileManager.default.removeItem(atPath: state)
    }
}

@Suite(.timeLimit(.minutes(6))) struct RealControlPlaneCLITests {
    static let namespace = "cli-real"
    static let finalizer = "omjob.pipelines.openmetadata.org/exit-handler"

    @Test(
        .enabled(
            if: Repo.which("kubectl") != nil || Repo.inCI,
            "kubectl is not installed here (scripts/install-deps.sh installs it; CI fails without it)"))
    func commandsOnTheRealServerAndNothingLeftTerminatingAfterAnUninstall() async throws {
        guard let kubectl = Repo.which("kubectl") else {
            throw TestFailure("kubectl is not installed: scripts/install-deps.sh installs it")
        }
        let plane = try await RealPlane.start()
        do {
            try await Self.exercise(plane, kubectl: kubectl)
        } catch {
            await plane.stop()
            throw error
        }
        await plane.stop()
    }

    /// Every command on the real server, then an uninstall that must leave nothing Terminating.
    private static func exercise(_ plane: RealPlane, kubectl: String) async throws {
        let plugins = try Repo.pluginDirectory()
        defer { try? FileManager.default.removeItem(atPath: plugins) }
        let environment = ["PATH": plugins + ":/usr/bin:/bin", "HOME": plane.state, "KUBECONFIG": plane.kubeconfig]
        @discardableResult
        func k(_ arguments: String..., check: Bool = true) throws -> Outcome {
            let outcome = try runProgram(kubectl, Array(arguments), environment: environment, timeout: 120)
            if check, outcome.code != 0 { throw TestFailure("kubectl \(arguments.joined(separator: " ")): \(outcome)") }
            return outcome
        }

        // Installed as a user installs it.
        // As docs/deploy.md installs on Kubernetes 1.20 (no policy/v1 PodDisruptionBudget there).
        let crds = Repo.root.appendingPathComponent("deploy/crds").path
        let overlay = Repo.root.appendingPathComponent("deploy/overlays/all-namespaces").path
        try k("apply", "-f", crds)
        try k("apply", "-k", overlay)
        try k(
            "wait", "--for", "condition=established", "--timeout", "60s", "crd/omjobs.pipelines.openmetadata.org",
            "crd/cronomjobs.pipelines.openmetadata.org")
        try k("create", "namespace", Self.namespace)
        let manifests = plane.state + "/objects.json"
        var omjob = Objects.omjob("om-job-real-3f2a9c1e", runID: "3f2a9c1e-5b7d-4e8a-9c0f-1a2b3c4d5e6f")
        omjob[at: ["metadata", "namespace"]] = .string(Self.namespace)
        var cron = Objects.cronomjob("nightly")
        cron[at: ["metadata", "namespace"]] = .string(Self.namespace)
        try JSONEncoder().encode(JSONValue.object(["apiVersion": "v1", "kind": "List", "items": [omjob, cron]])).write(
            to: URL(fileURLWithPath: manifests))

        // The operator, as a local process with the admin's kubeconfig, watching the test namespace.
        try FileManager.default.createDirectory(atPath: plane.state + "/run", withIntermediateDirectories: true)
        let supervisor = try SupervisorProcess(
            executable: try Repo.product("omjob-supervisor"),
            environment: [
                "PATH": "/usr/bin:/bin", "HOME": plane.state, "KUBECONFIG": plane.kubeconfig,
                "OMJOB_RUN_DIR": plane.state + "/run",
                "HEALTH_CHECK_PORT": "0", "WATCH_NAMESPACES": Self.namespace, "OPERATOR_NAMESPACE": "omjob-system",
                "SHUTDOWN_GRACE_SECONDS": "5",
            ])
        var operatorRunning = true
        defer { if operatorRunning { supervisor.stop() } }
        try k("apply", "-f", manifests)

        func object(_ kind: String, _ name: String) throws -> JSONValue? {
            let got = try k("get", kind, name, "-n", Self.namespace, "-o", "json", check: false)
            return got.code == 0 ? try JSONValue.parse(got.out) : nil
        }
        func holds(_ value: JSONValue?) -> Bool {
            value?[path: ["metadata", "finalizers"]]?.arrayValue?.contains(.string(Self.finalizer)) == true
        }
        do {
            _ = try await eventually("the operator's finalizer on the OMJob and its main pod", timeout: 180) {
                () -> Bool? in
                let job = try object("omjob", "om-job-real-3f2a9c1e")
                let pod = try object("pod", "om-job-real-3f2a9c1e-main")
                return holds(job) && holds(pod) ? true : nil
            }
        } catch {
            throw TestFailure("\(error); the operator's log ends:\n\(supervisor.text.suffix(4000))")
        }

        // The commands, through kubectl.
        let list = try k("omjob", "list", "-n", Self.namespace, "-o", "json")
        let items = try JSONValue.parse(list.out)["items"]?.arrayValue ?? []
        #expect(items.map(\.name) == ["om-job-real-3f2a9c1e"], "\(list)")
        let table = try k("omjob", "list", "-n", Self.namespace)
        #expect(table.out.hasPrefix("NAME                  PHASE"), "\(table)")
        let describe = try k("omjob", "describe", "om-job-real-3f2a9c1e", "-n", Self.namespace)
        #expect(describe.out.contains("├─ main pod om-job-real-3f2a9c1e-main  Pending"), "\(describe)")
        let waited = try k(
            "omjob", "wait", "om-job-real-3f2a9c1e", "-n", Self.namespace, "--timeout", "2s", check: false)
        #expect(waited.code == 4, "\(waited)")
        // No kubelet runs the pod: the server answers its log with 200 and nothing; the command says why.
        let logs = try k("omjob", "logs", "om-job-real-3f2a9c1e", "-n", Self.namespace, check: false)
        #expect(logs.code == 0 && logs.out.isEmpty, "\(logs)")
        #expect(
            logs.err == "note: pod \(Self.namespace)/om-job-real-3f2a9c1e-main has not started (Pending): no log yet\n",
            "\(logs)")
        let triggered = try JSONValue.parse(
            try k("omjob", "trigger", "nightly", "-n", Self.namespace, "-o", "json").out)
        #expect(triggered.name.range(of: #"^nightly-[0-9]{10}$"#, options: .regularExpression) != nil, "\(triggered)")
        #expect(
            triggered[path: ["metadata", "annotations", "omjob.pipelines.openmetadata.org/cronomjob"]] == "nightly")
        let rerun = try k("omjob", "rerun", "om-job-real-3f2a9c1e", "-n", Self.namespace, "-o", "name")
        #expect(rerun.out.hasPrefix("omjob.pipelines.openmetadata.org/om-job-real-"), "\(rerun)")
        let rerunName = String(rerun.out.dropFirst("omjob.pipelines.openmetadata.org/".count)).trimmingCharacters(
            in: .whitespacesAndNewlines)
        _ = try await eventually("the operator to take in the triggered and the rerun runs", timeout: 90) {
            () -> Bool? in
            let objects = try [triggered.name, rerunName].flatMap {
                [try object("omjob", $0), try object("pod", $0 + "-main")]
            }
            return objects.allSatisfy(holds) ? true : nil
        }

        // Kill: the OMJob is deleted and the operator's finalizer holds it for the exit handler
        // (which never runs here: no kubelet).
        let killed = try k("omjob", "kill", triggered.name, "-n", Self.namespace)
        #expect(
            killed.out
                == "omjob \(Self.namespace)/\(triggered.name) killed: the operator stops its main pod and runs its exit handler, then the OMJob goes\n",
            "\(killed)")
        let held = try object("omjob", triggered.name)
        #expect(held?[path: ["metadata", "deletionTimestamp"]] != nil && holds(held), "\(String(describing: held))")
        let ctl = try runProgram(
            try Repo.product("omjob"), ["ctl", "status", "-o", "json", "--socket", plane.state + "/run/broker.sock"],
            environment: environment)
        #expect(ctl.code == 0 && (try? JSONValue.parse(ctl.out))?["children"]?.arrayValue?.count == 4, "\(ctl)")

        // Uninstall: stop the operator, delete the namespace, the install and the CRDs. Its finalizers hold the runs.
        supervisor.stop()
        operatorRunning = false
        try k("delete", "namespace", Self.namespace, "--wait=false")
        try k("delete", "-k", overlay, "--wait=false")
        try k("delete", "-f", crds, "--wait=false")
        _ = try await eventually("the OMJobs and main pods to be Terminating", timeout: 60) { () -> Bool? in
            let terminating = try k("get", "omjobs,pods", "-n", Self.namespace, "-o", "json", check: false)
            guard terminating.code == 0 else { return nil }
            let objects = try JSONValue.parse(terminating.out)["items"]?.arrayValue ?? []
            let omjobs = objects.filter { $0["kind"] == "OMJob" }
            return omjobs.count == 3 && objects.allSatisfy({ $0[path: ["metadata", "deletionTimestamp"]] != nil })
                ? true : nil
        }
        try await Task.sleep(for: .seconds(3))
        #expect(try object("omjob", "om-job-real-3f2a9c1e") != nil, "held by the finalizer while nobody releases it")

        let dry = try k("omjob", "release-finalizers", "-A", "--dry-run")
        let dryRows = dry.out.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(
            dryRows.contains(["OMJob", Self.namespace, "om-job-real-3f2a9c1e", "yes", "would", "release"]), "\(dry)")
        #expect(
            dryRows.contains(["Pod", Self.namespace, "om-job-real-3f2a9c1e-main", "yes", "would", "release"]), "\(dry)")
        #expect(try object("omjob", "om-job-real-3f2a9c1e") != nil, "a dry run changes nothing")
        let released = try k("omjob", "release-finalizers", "-A", "-o", "json")
        let results = try JSONValue.parse(released.out)["objects"]?.arrayValue ?? []
        let releasedOMJobs = Set(results.filter { $0["kind"] == "OMJob" }.compactMap { $0["name"]?.stringValue })
        #expect(releasedOMJobs == ["om-job-real-3f2a9c1e", triggered.name, rerunName], "\(released)")
        // The main pods of the two runs nobody killed; the killed run's may already be released by the operator.
        #expect(results.filter { $0["kind"] == "Pod" }.count >= 2, "\(released)")
        #expect(results.allSatisfy { $0["result"] == "released" || $0["result"] == "already gone" }, "\(released)")

        _ = try await eventually("the namespace, the CRDs and everything in them to be gone", timeout: 120) {
            () -> Bool? in
            let namespaces = try k("get", "namespaces", "-o", "json")
            let names = try JSONValue.parse(namespaces.out)["items"]?.arrayValue?.map(\.name) ?? []
            let crds = try k("get", "crd", "-o", "name")
            return !names.contains(Self.namespace) && !names.contains("omjob-system")
                && !crds.out.contains("openmetadata") ? true : nil
        }
        let pods = try JSONValue.parse(try k("get", "pods", "-A", "-o", "json").out)["items"]?.arrayValue ?? []
        #expect(
            pods.filter { $0[path: ["metadata", "deletionTimestamp"]] != nil }.isEmpty,
            "nothing left Terminating: \(pods.map(\.name))")

        let after = try k("omjob", "release-finalizers", "-A")
        #expect(after.out == "nothing holds the finalizer \(Self.finalizer) in any namespace\n", "\(after)")
        #expect(after.err.contains("note: no omjobs on this server (the CRD is not installed)"), "\(after)")
    }
}
