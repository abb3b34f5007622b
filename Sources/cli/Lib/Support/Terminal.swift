import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Where a command writes: standard output and error of the process, or buffers (tests).
/// Colour is used only when standard output is a terminal and `NO_COLOR` is unset.
public final class Terminal: Sendable {
    private enum Sink { case process, buffer }
    private let sink: Sink
    private let buffers = Mutex<(out: String, err: String)>(("", ""))
    /// True when standard output is a terminal: tables get colour, follow mode keeps going.
    public let isTTY: Bool
    /// True when colour escape sequences may be written.
    public let colour: Bool

    /// The process's own standard output and error.
    public static func process(environment: [String: String]) -> Terminal {
        let tty = isatty(STDOUT_FILENO) == 1
        let colour = tty && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
        return Terminal(sink: .process, isTTY: tty, colour: colour)
    }

    /// Buffers read back with `output` and `errors`; `tty` pretends to be a terminal.
    public static func capture(tty: Bool = false) -> Terminal {
        Terminal(sink: .buffer, isTTY: tty, colour: tty)
    }

    private init(sink: Sink, isTTY: Bool, colour: Bool) {
        self.sink = sink
        self.isTTY = isTTY
        self.colour = colour
    }

    /// What was written to standard output (capture only).
    public var output: String { buffers.withLock { $0.out } }
    /// What was written to standard error (capture only).
    public var errors: String { buffers.withLock { $0.err } }

    /// Writes `text` to standard output as is.
    public func write(_ text: String) {
        switch sink {
        case .process: Self.writeAll(STDOUT_FILENO, text)
        case .buffer: buffers.withLock { $0.out += text }
        }
    }

    /// Writes one line to standard output.
    public func line(_ text: String = "") { write(text + "\n") }

    /// Writes one line to standard error.
    public func error(_ text: String) {
        switch sink {
        case .process: Self.writeAll(STDERR_FILENO, text + "\n")
        case .buffer: buffers.withLock { $0.err += text + "\n" }
        }
    }

    /// `text` in a colour when colour is on.
    public func paint(_ text: String, _ colour: Colour) -> String {
        self.colour ? "\u{1B}[\(colour.rawValue)m\(text)\u{1B}[0m" : text
    }

    /// ANSI colours used by the tables.
    public enum Colour: String, Sendable {
        case red = "31"
        case green = "32"
        case yellow = "33"
        case blue = "34"
        case dim = "2"
        case bold = "1"
    }

    private static func writeAll(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return  // a closed pipe (`| head`): nothing more to write to
            }
            bytes = bytes.dropFirst(written)
        }
    }
}
