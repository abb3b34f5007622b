import Logging
import Shared

/// Turns the state machines' events into log lines: a constant message plus metadata.
extension SupervisorDriver {
    func log(_ event: TreeLogEvent) {
        switch event {
        case .spawned(let id, let pid):
            logger.info("child started", metadata: [LogKeys.child: "\(id)", LogKeys.childPID: "\(pid)"])
        case .willRestart(let id, let status, let delay):
            logger.warning(
                "child exited; restarting after backoff",
                metadata: [
                    LogKeys.child: "\(id)", LogKeys.exitReason: "\(status)", LogKeys.delayMS: "\(delay.milliseconds)",
                ])
        case .notRestarted(let id, let status):
            logger.notice(
                "child exited; not restarted", metadata: [LogKeys.child: "\(id)", LogKeys.exitReason: "\(status)"])
        case .permanentChildGaveUp(let id, let status):
            logger.critical(
                "child failed permanently; shutting down the tree",
                metadata: [
                    LogKeys.child: "\(id)", LogKeys.exitReason: "\(status)",
                ])
        case .intensityExceeded(let id, let status, let restarts, let period):
            logger.critical(
                "restart intensity exceeded; shutting down the tree",
                metadata: [
                    LogKeys.child: "\(id)", LogKeys.exitReason: "\(status)",
                    "restarts": "\(restarts)", "period.seconds": "\(period.components.seconds)",
                ])
        case .shutdownRequested(let reason):
            logger.notice("shutdown requested; draining", metadata: [LogKeys.reason: "\(reason)"])
        case .drainTimedOut:
            logger.warning("drain deadline passed with commands in flight; stopping children")
        case .exitedDuringShutdown(let id, let status):
            logger.info("child stopped", metadata: [LogKeys.child: "\(id)", LogKeys.exitReason: "\(status)"])
        case .finished(let code):
            logger.notice("supervisor exiting", metadata: ["exit.code": "\(code)"])
        }
    }

    func log(_ event: BrokerLogEvent) {
        switch event {
        case .peerJoined(let id, let hello):
            logger.info(
                "broker peer joined",
                metadata: [
                    LogKeys.connection: "\(id)", LogKeys.peerRole: "\(hello.role)", LogKeys.childPID: "\(hello.pid)",
                ])
        case .peerLeft(let id, let hello):
            logger.info(
                "broker peer left",
                metadata: [
                    LogKeys.connection: "\(id)", LogKeys.peerRole: "\(hello.role)", LogKeys.childPID: "\(hello.pid)",
                ])
        case .strayResult(let id, let commandID):
            logger.debug(
                "result for a command not held by this executor dropped",
                metadata: [LogKeys.connection: "\(id)", LogKeys.commandID: "\(commandID)"])
        case .redispatching(let id, let count):
            logger.warning(
                "executor gone; re-dispatching its commands",
                metadata: [LogKeys.connection: "\(id)", "commands": "\(count)"])
        }
    }
}
