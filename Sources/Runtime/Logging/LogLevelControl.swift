import Logging
import Synchronization

/// The process-wide log level, changed at run time by SIGHUP or a `log-level` message.
public enum LogLevelControl {
    private static let storage = Mutex<Logger.Level>(.info)

    public static var level: Logger.Level {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }

    /// SIGHUP cycles between the configured level and debug, the usual "more detail now" switch.
    public static func toggleDebug(configured: Logger.Level) -> Logger.Level {
        storage.withLock { current in
            current = current == .debug ? (configured == .debug ? .info : configured) : .debug
            return current
        }
    }
}
