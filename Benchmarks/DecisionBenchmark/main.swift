// Decisions per second of the pure decision function over 10,000 OMJobs, in the three states a
// watcher meets most: a running main pod (nothing to do), a main pod that just ended (build the exit
// pod and the status), and a finished run (release the finalizers). Prints numbers; asserts nothing.
//
//   swift build -c release --product DecisionBenchmark && .build/release/DecisionBenchmark [count] [rounds]
import Foundation
import Shared
import Watcher

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let count = arguments.first ?? 10_000
let rounds = arguments.dropFirst().first ?? 5
let now = KubeTime.parse("2025-01-09T16:00:00Z")!
let settings = RunSettings()

let template = try JSONDecoder().decode(OMJob.self, from: Data(BenchmarkData.omJobJSON.utf8))

/// One observation per OMJob in the given state.
func observations(_ state: String) -> [RunObservation] {
    (0..<count).map { index in
        var omJob = template
        omJob.metadata.name = "om-job-pipeline-\(index)-a1b2c3d4"
        omJob.metadata.uid = "00000000-0000-4000-8000-\(String(format: "%012d", index))"
        omJob.metadata.finalizers = [OperatorLabels.finalizer]
        let spec = omJob.spec!
        var main = PodBuilder.mainPod(omJob: omJob, spec: spec.mainPodSpec!)
        main.metadata.uid = "pod-\(index)"
        main.metadata.creationTimestamp = "2025-01-09T15:30:00Z"
        main.spec?.nodeName = "worker-1"
        var status = OMJobStatus(phase: .running)
        status.mainPodName = main.metadata.name
        status.startTime = "2025-01-09T15:30:00Z"
        status.observedGeneration = 1
        status.message = "main pod \(main.metadata.name!) is running"
        switch state {
        case "running":
            main.status = PodStatus(phase: "Running")
            main.status?.containerStatuses = [
                ContainerStatus(
                    name: "main",
                    state: ContainerState(running: ContainerStateRunning(startedAt: "2025-01-09T15:30:04Z")))
            ]
        case "ended":
            main.status = PodStatus(phase: "Failed")
            main.status?.containerStatuses = [
                ContainerStatus(
                    name: "main",
                    state: ContainerState(
                        terminated: ContainerStateTerminated(
                            exitCode: 137, reason: "OOMKilled", startedAt: "2025-01-09T15:30:04Z",
                            finishedAt: "2025-01-09T15:59:59Z")))
            ]
        default:
            main.status = PodStatus(phase: "Succeeded")
            status.phase = .succeeded
            status.mainPodTermination = MainPodTermination(reason: "Completed", exitCode: 0, source: "PodPhase")
        }
        omJob.status = status
        return RunObservation(omJob: omJob, pods: [PodView(main)], mainPodNode: .ready)
    }
}

func measure(_ state: String) {
    let inputs = observations(state)
    var perRound: [Double] = []
    var commands = 0
    for _ in 0..<rounds {
        commands = 0
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for observation in inputs {
                commands += RunDecider.decide(observation, now: now, settings: settings).commands.count
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        perRound.append(Double(inputs.count) / seconds)
    }
    perRound.sort()
    let median = perRound[perRound.count / 2]
    print(
        "state=\(state) omjobs=\(inputs.count) rounds=\(rounds) commands/round=\(commands) "
            + "decisions/s median=\(Int(median)) best=\(Int(perRound.last!)) "
            + "µs/decision median=\(String(format: "%.2f", 1e6 / median))")
}

print("decision benchmark: \(count) OMJobs, \(rounds) rounds per state")
for state in ["running", "ended", "finished"] { measure(state) }
