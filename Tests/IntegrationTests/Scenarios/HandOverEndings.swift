import Foundation
import KubeJSON
import Testing

/// Endings across a change of operator: two trees at once (a rolling update of OpenMetadata's
/// chart, whose Deployment overlaps the old and the new pod), and runs the Java operator
/// started, taken over mid-way.
extension EndingScenario {
    static let handOverEndings: [EndingScenario] = [twoOperators, fromTheJavaOperator]

    /// Both trees decide every run and race for every write: deterministic pod names, version
    /// preconditions and the record keep it to one exit handler per attempt, none lost.
    static let twoOperators = EndingScenario(name: "two operators at once run each exit handler exactly once") { run in
        try run.startSecondOperator()
        let endings: [(name: String, code: Int, reason: String)] = [
            ("pair-ok", 0, "Completed"), ("pair-fail", 1, "Error"), ("pair-oom", 137, "OOMKilled"),
        ]
        for ending in endings { try await run.createOMJob(ending.name) }
        for ending in endings {
            try await run.guardedRunningMainPod(ending.name)
            try await run.terminate("\(ending.name)-main", exitCode: ending.code, reason: ending.reason)
        }
        for ending in endings {
            let exit = try await run.waitForExitPod(of: ending.name)
            try await run.finishExitHandler(exit)
            try await run.expectEnded(
                ending.name, phase: "Succeeded", reason: ending.reason,
                pipelineStatus: ending.code == 0 ? "success" : "failed")
            #expect(
                try await run.pods(of: ending.name, type: "exit-handler").count == 1, "one exit pod for \(ending.name)")
        }
    }

    /// A run the Java operator started: its pods (its labels, an owner reference, no finalizer),
    /// its status, and its `<name>-exit` already running. Ours takes it over and runs no second
    /// exit handler.
    static let fromTheJavaOperator = EndingScenario(
        name: "a run the Java operator started is finished without a second exit handler"
    ) { run in
        run.stopOperator()
        try await run.createOMJob("java")
        let uid = try #require(try await run.omJob("java")?["metadata"]?["uid"]?.stringValue)
        for (pod, type) in [("java-main", "main"), ("java-exit", "exit-handler")] {
            _ = try await run.cluster.create(.pods, run.javaOperatorPod(pod, type: type, omJob: "java", uid: uid))
            try await run.cluster.bind(pod: pod)
        }
        try await run.setRunning("java-main")
        try await run.terminate("java-main", exitCode: 0, reason: "Completed")
        try await run.setRunning("java-exit")
        try await run.cluster.patchStatus(
            .omjobs, "java",
            [
                "phase": "ExitHandlerRunning", "mainPodName": "java-main", "exitHandlerPodName": "java-exit",
                "mainPodExitCode": 0,
                "message": "Exit handler running",
            ])
        try run.startOperator()
        _ = try await until("the OMJob guarded by the operator") {
            try await run.omJob("java")?["metadata"]?["finalizers"]?.arrayValue?.isEmpty == false ? true : nil
        }
        try await run.terminate("java-exit", exitCode: 0, reason: "Completed")
        try await run.waitForPhase("java", "Succeeded")
        #expect(
            try await run.pods(of: "java", type: "exit-handler").count == 1,
            "the Java operator's exit pod is the only one")
        try await run.expectNoFinalizers("java")
    }
}

extension ScenarioRun {
    /// A pod as the Java operator builds it: its labels, a controller reference, no finalizer.
    func javaOperatorPod(_ name: String, type: String, omJob: String, uid: String) -> JSONValue {
        [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": [
                "name": .string(name), "namespace": .string(cluster.namespace),
                "labels": [
                    "app.kubernetes.io/name": "openmetadata", "app.kubernetes.io/component": "ingestion",
                    "app.kubernetes.io/managed-by": "omjob-operator",
                    "omjob.pipelines.openmetadata.org/name": .string(omJob),
                    "omjob.pipelines.openmetadata.org/pod-type": .string(type),
                ],
                "ownerReferences": [
                    [
                        "apiVersion": "pipelines.openmetadata.org/v1", "kind": "OMJob", "name": .string(omJob),
                        "uid": .string(uid),
                        "controller": true, "blockOwnerDeletion": true,
                    ]
                ],
            ],
            "spec": [
                "restartPolicy": "Never",
                "containers": [
                    ["name": "main", "image": "openmetadata/ingestion-base:1.5.0", "command": ["python", "main.py"]]
                ],
            ],
        ]
    }
}
