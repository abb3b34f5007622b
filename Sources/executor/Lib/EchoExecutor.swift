import KubeJSON
import Shared

/// The executor's test double (OMJOB_TEST_DOUBLE=1, for the broker's process tests): answers every command with
/// an echo of its payload, the executor's instance and pid, after `delayMs` from the payload if
/// present (so tests can hold commands in flight). It performs no Kubernetes writes.
public enum EchoExecutor {
    public static func attach(to session: WorkerSession) {
        var timers: [String: LoopTimer] = [:]
        let instance = Int64(session.config.instance)
        session.onCommand = { command in
            let reply = ResultEnvelope(id: command.id, payload: [
                "echo": command.payload, "instance": .int(instance), "placeholder": true,
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
