import Logging
import Testing

@testable import Shared

/// JSON log lines: fixed fields first, metadata flattened, escaping, secrets never printed.
@Suite struct LogLineTests {
    @Test func rendersOneJSONObjectPerLine() {
        let line = LogLine.render(
            time: "2026-01-01T00:00:00.000Z", level: .info, role: "executor", pid: 42,
            message: "pod \"x\" created\n",
            metadata: [
                LogKeys.omjobNamespace: "ns", LogKeys.omjobName: "run-1", LogKeys.commandID: "c-9",
            ])
        #expect(
            line
                == #"{"time":"2026-01-01T00:00:00.000Z","level":"info","role":"executor","pid":42,"message":"pod \"x\" created\n","#
                + #""command.id":"c-9","omjob.name":"run-1","omjob.namespace":"ns"}"# + "\n")
    }

    @Test(arguments: ["token", "bearerToken", "config", "env.config", "Authorization", "db.password", "clientSecret"])
    func secretsAreRedacted(key: String) {
        let line = LogLine.render(time: "t", level: .error, role: "r", pid: 1, message: "m", metadata: [key: "s3cr3t"])
        #expect(!line.contains("s3cr3t"))
        #expect(line.contains("<redacted>"))
    }

    @Test func nestedMetadataAndControlCharacters() {
        let line = LogLine.render(
            time: "t", level: .debug, role: "r", pid: 1, message: "\u{1}",
            metadata: [
                "pod": ["name": "p", "token": "x"], "list": ["a", .stringConvertible(3)],
            ])
        #expect(line.contains(#""message":"\u0001""#))
        #expect(line.contains(#""pod":{"name":"p","token":"<redacted>"}"#))
        #expect(line.contains(#""list":["a","3"]"#))
    }

    @Test func handlerWritesThroughSinkAtTheSharedLevel() {
        final class Lines: @unchecked Sendable { var all: [String] = [] }
        let lines = Lines()
        var logger = Logger(label: "t") { _ in JSONLogHandler(role: "gc", sink: LogSink { lines.all.append($0) }) }
        LogLevelControl.level = .warning
        logger.info("hidden")
        logger.warning("shown", metadata: ["k": "v"])
        logger.logLevel = .info
        logger.info("now shown")
        #expect(lines.all.count == 2)
        #expect(lines.all[0].contains(#""role":"gc""#) && lines.all[0].contains(#""k":"v""#))
        LogLevelControl.level = .info
    }
}
