/// Everything the tree has to say, as data: the driver turns each into one log line with a
/// constant message and key-value metadata, and tests compare them exactly.
public enum TreeLogEvent: Equatable, Sendable {
    case spawned(ChildID, pid: Int32)
    case willRestart(ChildID, ChildExitStatus, after: Duration)
    case notRestarted(ChildID, ChildExitStatus)
    case permanentChildGaveUp(ChildID, ChildExitStatus)
    case intensityExceeded(ChildID, ChildExitStatus, restarts: Int, period: Duration)
    case shutdownRequested(String)
    case drainTimedOut
    case exitedDuringShutdown(ChildID, ChildExitStatus)
    case finished(exitCode: Int32)
}
