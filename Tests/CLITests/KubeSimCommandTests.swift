import Foundation
import KubeJSON
import KubeSim
import Synchronization
import Testing

@testable import OMJobCLI

/// Every `kubectl omjob` command against kubesim, run in-process (the code the executable runs).
@Suite(.timeLimit(.minutes(2))) struct KubeSimCommandTests {
    static let finalizer = "omjob.pipelines.openmetadata.org/exit-handler"

    @Test func listShowsRunsAndFiltersByPhase() async throws {
        try await SimHarness.with { h in
            try h.createOMJob(
                "run-ok",
                status: [
                    "phase": "Succeeded", "exitHandlerAttempts": 1, "exitHandlerExitCode": 0,
                    "mainPodTermination": ["reason": "Completed", "exitCode": 0, "source": "ContainerTerminated"],
                ])
            try h.createOMJob(
                "run-bad",
                status: [
                    "phase": "Failed", "exitHandlerAttempts": 2, "exitHandlerExitCode": 3,
                    "mainPodTermination": ["reason": "Error", "exitCode": 1, "source": "ContainerTerminated"],
                ])
            try h.createOMJob("elsewhere", namespace: "other")

            let table = await h.kubectl("list")
            #expect(table.code == 0, "\(table)")
            let lines = table.out.split(separator: "\n")
            #expect(lines.count == 3, "\(table)")
            #expect(lines[0].hasPrefix("NAME     PHASE      MAIN POD ENDING     EXIT HANDLER     ATTEMPTS  AGE"))
            #expect(lines[1].hasPrefix("run-bad  Failed     Error (exit 1)      failed (exit 3)  2         "))
            #expect(lines[2].hasPrefix("run-ok   Succeeded  Completed (exit 0)  succeeded        1         "))

            let failed = await h.kubectl("list", "--phase", "failed", "-o", "json")
            let items = try JSONValue.parse(failed.out)["items"]?.arrayValue ?? []
            #expect(items.map(\.name) == ["run-bad"])
            #expect(items.first?[path: ["status", "mainPodTermination", "source"]] == "ContainerTerminated")

            let all = await h.kubectl("list", "-A", "-o", "name")
            #expect(
                all.out
                    == "omjob.pipelines.openmetadata.org/elsewhere\nomjob.pipelines.openmetadata.org/run-bad\nomjob.pipelines.openmetadata.org/run-ok\n"
            )
            let other = await h.kubectl("list", "--context", "elsewhere", "-o", "name")
            #expect(other.out == "omjob.pipelines.openmetadata.org/elsewhere\n")
            // Connection flags before the command, as kubectl users write them.
            let before = await h.kubectl("-n", "other", "--context=sim", "list", "-o", "name")
            #expect(before.out == "omjob.pipelines.openmetadata.org/elsewhere\n", "\(before)")
            let selected = await h.kubectl("list", "-l", "app.kubernetes.io/pipeline=nope")
            #expect(
                selected.code == 0 && selected.out.isEmpty
                    && selected.err == "No OMJobs found in namespace pipelines.\n")
            let yaml = await h.kubectl("list", "-n", "other", "-o", "yaml")
            #expect(yaml.out.contains("kind: List") && yaml.out.contains("name: elsewhere"))

            let bad = await h.kubectl("list", "--phase", "Done")
            #expect(bad.code == 2 && bad.err.contains("unknown phase \"Done\""), "\(bad)")
        }
    }

    /// `-o wide` adds the run's pods, pipeline and run id to the table.
    @Test func listWideShowsPodsPipelineAndRunID() async throws {
        try await SimHarness.with { h in
            try h.createOMJob(
                "run-ok", runID: "run-1",
                status: [
                    "phase": "Succeeded", "mainPodName": "run-ok-main", "exitHandlerPodName": "run-ok-exit",
                    "exitHandlerAttempts": 1, "exitHandlerExitCode": 0,
                    "mainPodTermination": ["reason": "Completed", "exitCode": 0, "source": "ContainerTerminated"],
                ])
            let wide = await h.kubectl("list", "-o", "wide")
            #expect(wide.code == 0, "\(wide)")
            let lines = wide.out.split(separator: "\n")
            #expect(lines.count == 2, "\(wide)")
            let header = lines.first.map { $0.split(separator: " ", omittingEmptySubsequences: true) } ?? []
            #expect(
                header.joined(separator: " ")
                    == "NAME PHASE MAIN POD ENDING EXIT HANDLER ATTEMPTS AGE MAIN POD EXIT HANDLER POD PIPELINE RUN ID")
            let row = lines.dropFirst().first.map { $0.split(separator: " ", omittingEmptySubsequences: true) } ?? []
            #expect(
                row.suffix(4) == ["run-ok-main", "run-ok-exit", "mysql-prod-metadata", "run-1"], "\(wide)")
            #expect(row.prefix(2) == ["run-ok", "Succeeded"])
            let narrow = await h.kubectl("list")
            #expect(!narrow.out.contains("RUN ID") && !narrow.out.contains("run-ok-main"), "\(narrow)")
        }
    }

    /// `--kubeconfig PATH` names the kubeconfig as kubectl's flag does: with no `KUBECONFIG`, and
    /// over a `KUBECONFIG` that names another file.
    @Test func theKubeconfigFlagNamesTheFile() async throws {
        try await SimHarness.with { h in
            try h.createOMJob("run-ok")
            var bare = h.environment
            bare["KUBECONFIG"] = nil
            let nowhere = await h.kubectl(["list", "-o", "name"], environment: bare)
            #expect(nowhere.code == 1 && nowhere.err.contains("cannot reach a cluster"), "\(nowhere)")
            let flag = await h.kubectl(["list", "--kubeconfig", h.kubeconfig, "-o", "name"], environment: bare)
            #expect(flag.code == 0 && flag.out == "omjob.pipelines.openmetadata.org/run-ok\n", "\(flag)")
            var other = h.environment
            other["KUBECONFIG"] = h.directory + "/no-such-kubeconfig"
            let wrong = await h.kubectl(["list", "-o", "name"], environment: other)
            #expect(wrong.code == 1, "\(wrong)")
            let before = await h.kubectl(
                ["--kubeconfig=\(h.kubeconfig)", "describe", "run-ok"], environment: other)
            #expect(before.code == 0 && before.out.contains("run-ok"), "\(before)")
        }
    }

    @Test func errorsNameTheObjectAndTheAPIsReason() async throws {
        try await SimHarness.with { h in
            let missing = await h.kubectl("describe", "nope")
            #expect(missing.code == 1)
            #expect(missing.err.hasPrefix("error: cannot get omjob pipelines/nope: NotFound (404)"), "\(missing)")
            let kill = await h.kubectl("kill", "nope")
            #expect(kill.code == 1 && kill.err.contains("cannot kill omjob pipelines/nope: NotFound (404)"), "\(kill)")
            let noContext = await h.kubectl("list", "--context", "nowhere")
            #expect(noContext.code == 1 && noContext.err.contains("no context named nowhere"), "\(noContext)")
            let usage = await h.kubectl("frobnicate")
            #expect(usage.code == 2, "\(usage)")
            let help = await h.kubectl("--help")
            #expect(help.code == 0 && help.out.contains("release-finalizers"))
        }
    }

    @Test func describeShowsPodsAttemptsAndEvents() async throws {
        try await SimHarness.with { h in
            let job = try h.createOMJob(
                "tree",
                status: [
                    "phase": "Succeeded", "mainPodName": "tree-main", "exitHandlerAttempts": 2,
                    "exitHandlerExitCode": 0,
                    "mainPodTermination": [
                        "reason": "Error", "exitCode": 2, "source": "ContainerTerminated", "message": "boom",
                    ],
                ])
            try h.createPod("tree-main", of: job, type: "main")
            try h.setPod("tree-main", phase: "Failed", exitCode: 2, reason: "Error")
            try h.createPod("tree-exit", of: job, type: "exit-handler", attempt: 1)
            try h.setPod("tree-exit", phase: "Failed", exitCode: 1, reason: "Error")
            try h.createPod("tree-exit-2", of: job, type: "exit-handler", attempt: 2)
            try h.setPod("tree-exit-2", phase: "Succeeded", exitCode: 0)
            _ = try h.sim.store.create(
                .events, namespace: h.namespace,
                object: [
                    "apiVersion": "v1", "kind": "Event", "metadata": ["name": "tree.1"], "reason": "ExitHandlerRetry",
                    "type": "Warning",
                    "message": "attempt 1 failed",
                    "involvedObject": [
                        "kind": "OMJob", "name": "tree", "namespace": .string(h.namespace), "uid": .string(job.uid),
                    ],
                ])

            let text = await h.kubectl("describe", "tree")
            #expect(text.code == 0, "\(text)")
            #expect(text.out.contains("├─ main pod tree-main  Failed (Error, exit 2)"), "\(text)")
            #expect(text.out.contains("│  ├─ ending: Error (exit 2) (source ContainerTerminated)"))
            #expect(text.out.contains("│  └─ message: boom"))
            #expect(text.out.contains("│  ├─ attempt 1  tree-exit  Failed (Error, exit 1)"))
            #expect(text.out.contains("│  ├─ attempt 2  tree-exit-2  Succeeded (Completed, exit 0)"))
            #expect(text.out.contains("ExitHandlerRetry  OMJob tree: attempt 1 failed"))

            let json = try JSONValue.parse(await h.kubectl("describe", "tree", "-o", "json").out)
            #expect(json["omjob"]?.name == "tree")
            #expect(json["mainPod"]?.name == "tree-main")
            #expect(json["exitHandlerPods"]?.arrayValue?.map(\.name) == ["tree-exit", "tree-exit-2"])
            #expect(json["events"]?.arrayValue?.count == 1)
        }
    }

    @Test func logsOfTheMainPodAndOfAnAttempt() async throws {
        try await SimHarness.with { h in
            let job = try h.createOMJob(
                "logs",
                status: [
                    "phase": "Succeeded", "mainPodName": "logs-main", "exitHandlerPodName": "logs-exit-2",
                    "exitHandlerAttempts": 2,
                ])
            for (pod, type, attempt) in [
                ("logs-main", "main", nil), ("logs-exit", "exit-handler", 1), ("logs-exit-2", "exit-handler", 2),
            ]
                as [(String, String, Int?)]
            {
                try h.createPod(pod, of: job, type: type, attempt: attempt)
                try h.setPod(pod, phase: "Succeeded", exitCode: 0)
                try h.sim.store.appendLog(
                    namespace: h.namespace, pod: pod, container: "main", "line one of \(pod)\nline two of \(pod)\n")
            }
            #expect(await h.kubectl("logs", "logs").out == "line one of logs-main\nline two of logs-main\n")
            #expect(
                await h.kubectl("logs", "logs", "--exit-handler").out
                    == "line one of logs-exit-2\nline two of logs-exit-2\n")
            #expect(
                await h.kubectl("logs", "logs", "--exit-handler", "--attempt", "1", "--tail", "1").out
                    == "line two of logs-exit\n")
            let missing = await h.kubectl("logs", "logs", "--exit-handler", "--attempt", "7")
            #expect(missing.code == 1 && missing.err.contains("no exit-handler pod for attempt 7"), "\(missing)")
            let bad = await h.kubectl("logs", "logs", "--attempt", "1")
            #expect(bad.code == 2 && bad.err.contains("--attempt needs --exit-handler"))
        }
    }

    @Test func logsFollowGoesFromTheMainPodIntoTheExitHandler() async throws {
        try await SimHarness.with { h in
            let job = try h.createOMJob("follow", status: ["phase": "Running", "mainPodName": "follow-main"])
            try h.createPod("follow-main", of: job, type: "main")
            try h.setPod("follow-main", phase: "Running")
            try h.sim.store.appendLog(namespace: h.namespace, pod: "follow-main", container: "main", "main starts\n")
            let follower = Task { await h.kubectl("logs", "follow", "-f") }
            try await Task.sleep(for: .milliseconds(600))
            try h.sim.store.appendLog(namespace: h.namespace, pod: "follow-main", container: "main", "main ends\n")
            try await Task.sleep(for: .milliseconds(300))
            try h.setPod("follow-main", phase: "Failed", exitCode: 1, reason: "Error")
            try h.setStatus(
                "follow",
                [
                    "phase": "ExitHandlerRunning", "exitHandlerAttempts": 1,
                    "mainPodTermination": ["reason": "Error", "exitCode": 1, "source": "ContainerTerminated"],
                ])
            try h.createPod("follow-exit", of: job, type: "exit-handler", attempt: 1)
            try h.setPod("follow-exit", phase: "Running")
            try h.sim.store.appendLog(
                namespace: h.namespace, pod: "follow-exit", container: "main", "exit handler reports failed\n")
            try await Task.sleep(for: .milliseconds(600))
            try h.setPod("follow-exit", phase: "Succeeded", exitCode: 0)
            try h.setStatus("follow", ["phase": "Succeeded", "exitHandlerExitCode": 0])
            let outcome = await follower.value
            #expect(outcome.code == 0, "\(outcome)")
            #expect(outcome.out == "main starts\nmain ends\nexit handler reports failed\n", "\(outcome)")
            #expect(
                outcome.err == """
                    ==> follow-main (main) <==
                    ==> follow-exit (exit handler, attempt 1) <==
                    ==> omjob pipelines/follow Succeeded; exit handler succeeded <==

                    """, "\(outcome)")
        }
    }

    @Test func waitsExitCodeFollowsTheRun() async throws {
        try await SimHarness.with { h in
            try h.createOMJob("w-ok", status: ["phase": "Running"])
            try h.createOMJob("w-bad", status: ["phase": "Running"])
            let watchesBefore = h.sim.store.watchesStarted
            let ok = Task { await h.kubectl("wait", "w-ok", "--for", "succeeded", "--timeout", "30s") }
            let bad = Task { await h.kubectl("wait", "w-bad", "--for=succeeded") }
            let finished = Task { await h.kubectl("wait", "w-bad", "--for=finished", "--timeout", "30s") }
            try await h.waitForWatches(3, above: watchesBefore)
            try h.setStatus(
                "w-ok",
                [
                    "phase": "Succeeded", "exitHandlerAttempts": 1, "exitHandlerExitCode": 0,
                    "mainPodTermination": ["reason": "Completed", "exitCode": 0, "source": "PodPhase"],
                ])
            try h.setStatus("w-bad", ["phase": "Failed"])
            let okOutcome = await ok.value
            let badOutcome = await bad.value
            let finishedOutcome = await finished.value
            #expect(
                okOutcome.code == 0
                    && okOutcome.out
                        == "omjob pipelines/w-ok Succeeded: main pod Completed (exit 0), exit handler succeeded\n",
                "\(okOutcome)")
            #expect(badOutcome.code == 3 && badOutcome.err.contains("ended Failed"), "\(badOutcome)")
            #expect(finishedOutcome.code == 0, "\(finishedOutcome)")

            try h.createOMJob("w-slow", status: ["phase": "Running"])
            let slow = await h.kubectl("wait", "w-slow", "--timeout", "1s")
            #expect(
                slow.code == 4 && slow.err.contains("timed out waiting for omjob pipelines/w-slow to be finished"),
                "\(slow)")
            let watchesBeforeGone = h.sim.store.watchesStarted
            let gone = Task { await h.kubectl("wait", "w-slow", "--timeout", "30s") }
            try await h.waitForWatches(1, above: watchesBeforeGone)
            _ = try h.sim.store.delete(SimHarness.omjobs, namespace: h.namespace, name: "w-slow")
            let goneOutcome = await gone.value
            #expect(
                goneOutcome.code == 3 && goneOutcome.err.contains("was deleted before it finished"), "\(goneOutcome)")
            #expect(await h.kubectl("wait", "never-was").code == 1)
        }
    }

    @Test func killDeletesTheRunAndTheOperatorsFinalizerHoldsIt() async throws {
        try await SimHarness.with { h in
            try h.createOMJob("k-held", finalizer: true, status: ["phase": "Running"])
            try h.createOMJob("k-free")
            let held = await h.kubectl("kill", "k-held")
            #expect(
                held.code == 0
                    && held.out.contains("killed: the operator stops its main pod and runs its exit handler"), "\(held)"
            )
            #expect(
                try h.sim.store.get(SimHarness.omjobs, namespace: h.namespace, name: "k-held")[path: [
                    "metadata", "deletionTimestamp",
                ]] != nil)
            let free = await h.kubectl("kill", "k-free", "--wait", "--timeout", "10s")
            #expect(free.code == 0 && free.out.contains("is gone"), "\(free)")
            let waiting = await h.kubectl("kill", "k-held", "--wait", "--timeout", "1s")
            #expect(waiting.code == 4 && waiting.err.contains("waiting for omjob pipelines/k-held to go"), "\(waiting)")
        }
    }

    @Test func rerunCreatesTheSameSpecWithAFreshRunID() async throws {
        try await SimHarness.with { h in
            try h.createOMJob("om-job-mysql-3f2a9c1e", finalizer: true, status: ["phase": "Failed"])
            let outcome = await h.kubectl("rerun", "om-job-mysql-3f2a9c1e", "-o", "json")
            #expect(outcome.code == 0, "\(outcome)")
            let created = try JSONValue.parse(outcome.out)
            let runID = created[path: ["metadata", "labels", "app.kubernetes.io/run-id"]]?.stringValue ?? ""
            #expect(runID.count == 36 && runID != "3f2a9c1e-5b7d-4e8a-9c0f-1a2b3c4d5e6f")
            #expect(created.name == "om-job-mysql-" + runID.prefix(8))
            let stored = try h.sim.store.get(SimHarness.omjobs, namespace: h.namespace, name: created.name)
            #expect(stored["status"] == nil && stored[path: ["metadata", "finalizers"]] == nil)
            let env = stored[path: ["spec", "exitHandlerSpec", "env"]]?.arrayValue ?? []
            #expect(env.first { $0["name"] == "pipelineRunId" }?["value"]?.stringValue == runID)
            let again = await h.kubectl("rerun", "om-job-mysql-3f2a9c1e", "--name", created.name)
            #expect(again.code == 1 && again.err.contains("AlreadyExists (409)"), "\(again)")
        }
    }

    @Test func triggerNamesAndLabelsTheRunAsTheScheduleWould() async throws {
        try await SimHarness.with { h in
            let cron = try h.sim.store.create(
                SimHarness.cronomjobs, namespace: h.namespace, object: Objects.cronomjob("nightly"))
            let now = Date(timeIntervalSince1970: 1_790_000_000)
            let outcome = await h.kubectl(["trigger", "nightly", "-o", "json"], now: now)
            #expect(outcome.code == 0, "\(outcome)")
            let run = try JSONValue.parse(outcome.out)
            #expect(run.name == "nightly-1790000000")
            #expect(run[path: ["metadata", "labels", "app.kubernetes.io/pipeline"]] == "nightly")
            let runID = run[path: ["metadata", "labels", "app.kubernetes.io/run-id"]]?.stringValue ?? ""
            #expect(runID.count == 36)
            #expect(
                run[path: ["metadata", "annotations", "omjob.pipelines.openmetadata.org/scheduled-time"]]
                    == "2026-09-21T14:13:20Z")
            #expect(
                run[path: ["metadata", "annotations", "omjob.pipelines.openmetadata.org/triggered-by"]]
                    == "kubectl-omjob")
            #expect(run[path: ["metadata", "annotations", "omjob.pipelines.openmetadata.org/cronomjob"]] == "nightly")
            #expect(
                run[path: ["metadata", "ownerReferences"]] == nil,
                "a run outlives its CronOMJob, as a scheduled one does")
            #expect(!cron.uid.isEmpty)
            let env = run[path: ["spec", "mainPodSpec", "env"]]?.arrayValue ?? []
            #expect(env.first { $0["name"] == "pipelineRunId" }?["value"]?.stringValue == runID)
            #expect(env.first { $0["name"] == "jobName" }?["value"]?.stringValue == "nightly-1790000000")
            let twice = await h.kubectl(["trigger", "nightly"], now: now)
            #expect(twice.code == 1 && twice.err.contains("exists already (AlreadyExists)"), "\(twice)")
            let plain = await h.kubectl(["trigger", "nightly"], now: now.addingTimeInterval(1))
            #expect(
                plain.out.contains("omjob pipelines/nightly-1790000001 created from cronomjob nightly")
                    && plain.out.contains("(the schedule itself is suspended)"), "\(plain)")
        }
    }

    @Test func releaseFinalizersIsDryRunnableIdempotentAndLetsTerminatingObjectsGo() async throws {
        try await SimHarness.with { h in
            let job = try h.createOMJob("stuck", finalizer: true, status: ["phase": "Running"])
            try h.createPod("stuck-main", of: job, type: "main", finalizer: true)
            let other = try h.createOMJob("other-ns", finalizer: true, namespace: "other")
            _ = other
            try h.createOMJob("plain")
            _ = try h.sim.store.delete(SimHarness.omjobs, namespace: h.namespace, name: "stuck")
            _ = try h.sim.store.delete(.pods, namespace: h.namespace, name: "stuck-main")

            let dry = await h.kubectl("release-finalizers", "-A", "--dry-run")
            #expect(dry.code == 0, "\(dry)")
            #expect(
                dry.out == """
                    KIND   NAMESPACE  NAME        TERMINATING  RESULT
                    OMJob  other      other-ns    no           would release
                    OMJob  pipelines  stuck       yes          would release
                    Pod    pipelines  stuck-main  yes          would release
                    dry run: would release 3 object(s) in any namespace; 2 of them are being deleted and would then go

                    """, "\(dry)")
            #expect((try? h.sim.store.get(SimHarness.omjobs, namespace: h.namespace, name: "stuck")) != nil)

            let one = await h.kubectl("release-finalizers")
            #expect(
                one.out.contains(
                    "released 2 object(s) in namespace pipelines; 2 of them were being deleted and now go"), "\(one)")
            #expect((try? h.sim.store.get(SimHarness.omjobs, namespace: h.namespace, name: "stuck")) == nil)
            #expect((try? h.sim.store.get(.pods, namespace: h.namespace, name: "stuck-main")) == nil)

            let rest = await h.kubectl("release-finalizers", "--all-namespaces", "-o", "json")
            let document = try JSONValue.parse(rest.out)
            #expect(document["objects"]?.arrayValue?.map { $0["name"]?.stringValue ?? "" } == ["other-ns"])
            #expect(document["objects"]?.arrayValue?.first?["result"] == "released")
            #expect(
                try h.sim.store.get(SimHarness.omjobs, namespace: "other", name: "other-ns")[path: [
                    "metadata", "finalizers",
                ]] == nil)

            let again = await h.kubectl("release-finalizers", "-A")
            #expect(
                again.code == 0 && again.out == "nothing holds the finalizer \(Self.finalizer) in any namespace\n",
                "\(again)")
        }
    }

    @Test func aRefusedReleaseIsReportedPerObjectAndTheOthersStillGo() async throws {
        try await SimHarness.with { h in
            let job = try h.createOMJob("kept", finalizer: true)
            try h.createPod("kept-main", of: job, type: "main", finalizer: true)
            // The user may patch OMJobs but not pods, as a namespace-scoped role might allow.
            h.sim.interceptor = { request in
                guard request.method == "PATCH", request.path.contains("/pods/") else { return nil }
                return .respond(
                    KubeAPIError(
                        code: 403, reason: "Forbidden",
                        message: "pods \"kept-main\" is forbidden: user \"tester\" cannot patch resource \"pods\""))
            }
            let outcome = await h.kubectl("release-finalizers")
            #expect(outcome.code == 1, "\(outcome)")
            #expect(outcome.out.contains("OMJob  pipelines  kept       no           released"), "\(outcome)")
            #expect(
                outcome.out.contains(
                    "Pod    pipelines  kept-main  no           failed: cannot release pod pipelines/kept-main: Forbidden (403): pods \"kept-main\" is forbidden"
                ),
                "\(outcome)")
            #expect(
                outcome.out.contains(
                    "released 1 object(s) in namespace pipelines; 0 of them were being deleted and now go; 1 failed"),
                "\(outcome)")

            // Pods cannot even be listed: the OMJobs are still released and reported, then the error.
            try h.createOMJob("kept-too", finalizer: true)
            h.sim.interceptor = { request in
                guard request.method == "GET", request.path.hasSuffix("/pods") else { return nil }
                return .respond(
                    KubeAPIError(
                        code: 403, reason: "Forbidden",
                        message: "pods is forbidden: user \"tester\" cannot list resource \"pods\""))
            }
            let unlisted = await h.kubectl("release-finalizers")
            #expect(unlisted.code == 1, "\(unlisted)")
            #expect(unlisted.out.contains("kept-too") && unlisted.out.contains("released 1 object(s)"), "\(unlisted)")
            #expect(
                unlisted.err.contains(
                    "error: cannot list pods in namespace pipelines: Forbidden (403): pods is forbidden"), "\(unlisted)"
            )
        }
    }

    @Test func releaseFinalizersReadsAgainOnAConflictAndKeepsOtherFinalizers() async throws {
        try await SimHarness.with { h in
            var object = Objects.omjob("contended", runID: "r")
            object[at: ["metadata", "finalizers"]] = ["example.com/keep", .string(Self.finalizer)]
            _ = try h.sim.store.create(SimHarness.omjobs, namespace: h.namespace, object: object)
            // Someone else writes the object between our read and our patch, once.
            let interfered = Mutex(false)
            let store = h.sim.store
            let namespace = h.namespace
            h.sim.interceptor = { request in
                guard request.method == "PATCH",
                    interfered.withLock({ done in
                        defer { done = true }
                        return !done
                    })
                else { return nil }
                _ = try? store.patch(
                    SimHarness.omjobs, namespace: namespace, name: "contended", type: .merge,
                    patch: ["metadata": ["labels": ["touched": "yes"]]])
                return nil
            }
            let outcome = await h.kubectl("release-finalizers")
            #expect(outcome.code == 0 && outcome.out.contains("released 1 object(s)"), "\(outcome)")
            let stored = try h.sim.store.get(SimHarness.omjobs, namespace: h.namespace, name: "contended")
            #expect(stored[path: ["metadata", "finalizers"]] == ["example.com/keep"])
            #expect(stored[path: ["metadata", "labels", "touched"]] == "yes")
            #expect(interfered.withLock { $0 })
        }
    }
}
