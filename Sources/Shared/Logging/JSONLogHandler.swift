import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// A swift-log handler that writes one JSON object per line to stderr:
/// `{"time":…,"level":…,"role":…,"pid":…,"message":…, <metadata>}`.
///
/// Each line goes out in a single `write(2)` so lines of concurrent processes sharing the
/// container's stderr never interleave. The level comes from ``LogLevelControl`` so SIGHUP or
/// a `log-level` message changes it for every logger of the process at once.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let role: String
    let sink: LogSink

    public init(role: String, sink: LogSink = .standardError) {
        self.role = role
        self.sink = sink
    }

    public var logLevel: Logger.Level {
        get { LogLevelControl.level }
        set { LogLevelControl.level = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        sink.write(
            LogLine.render(
                time: WallClock.now(), level: event.level, role: role, pid: getpid(),
                message: event.message.description, metadata: merged))
    }
}

/// Where log lines go: stderr in production, a closure in tests.
public struct LogSink: Sendable {
    let write: @Sendable (String) -> Void

    public init(_ write: @escaping @Sendable (String) -> Void) { self.write = write }

    /// File descriptor 2, one `write(2)` per line.
    public static let standardError = LogSink { line in
        var line = line
        line.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { return }
                offset += n
            }
        }
    }
}

extension LoggingSystem {
    /// Installs the JSON handler for `role` at `level`; call once at the top of `main`.
    public static func bootstrapJSON(role: String, level: Logger.Level) {
        LogLevelControl.level = level
        bootstrap { _ in JSONLogHandler(role: role) }
    }
}
