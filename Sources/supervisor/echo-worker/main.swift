import KubeJSON
import Shared

/// `omjob-echo-worker`: a stand-in for any role in the supervisor's own process tests.
///
/// Those tests are about supervision and brokering, not Kubernetes: the real watcher and executor
/// need an API server, so the tests point `OMJOB_{WATCHER,EXECUTOR,GC}_COMMAND` here instead. As a
/// watcher it reports synced and the API reachable; as an executor it answers every command with
/// an echo of its payload, its instance and pid, after `delayMs` from the payload if present (so a
/// test can hold commands in flight). It performs no Kubernetes writes.
let role = ProcessEnvironment.current["OMJOB_ROLE"] ?? "executor"
WorkerMain.run(role: role) { session in
    switch role {
    case "executor": EchoExecutor.attach(to: session)
    default: session.report(WorkerConditions(synced: true, apiReachable: true))
    }
}

enum EchoExecutor {
    static func attach(to session: WorkerSession) {
        var timers: [String: LoopTimer] = [:]
        let instance = Int64(session.config.instance)
        session.onCommand = { command in
            let reply = ResultEnvelope(
                id: command.id,
                payload: [
                    "echo": command.payload, "instance": .int(instance), "echoWorker": true,
                ])
            let delay = command.payload["delayMs"]?.intValue ?? 0
            guard delay > 0, let timer = try? LoopTimer(loop: session.loop) else { return session.reply(reply) }
            timers[command.id] = timer
            timer.start(after: .milliseconds(delay)) {
                session.reply(reply)
                timers.removeValue(forKey: command.id)?.close()
            }
        }
    }
}
