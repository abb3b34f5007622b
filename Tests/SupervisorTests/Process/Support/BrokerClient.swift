import Foundation

@testable import Shared

/// A blocking client of the broker socket, as a test (or a human with netcat) would be.
final class BrokerClient {
    let fd: Int32
    private var decoder = MessageDecoder()
    private var ready: [IPCMessage] = []

    /// Throws before `fd` is stored when the connection fails, so the descriptor is closed once.
    /// (A class initializer that throws after every stored property is set runs `deinit`: closing
    /// in both places closed the number twice, and by the second `close` a parallel test may
    /// already own that number again; its socket or pipe vanished under it.)
    init(path: String) throws {
        fd = try Self.connect(path: path)
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// A connected Unix-domain socket to `path`; nothing is left open when it throws.
    private static func connect(path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in path.utf8.prefix(raw.count - 1).enumerated() { raw[i] = byte }
        }
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard status == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw TestFailure("connect \(path): \(reason)")
        }
        return fd
    }

    deinit { close(fd) }

    /// Connects and says hello as `role`.
    static func hello(path: String, role: String = "ctl") throws -> BrokerClient {
        let client = try BrokerClient(path: path)
        client.send(.hello(Hello(role: role, pid: getpid())))
        guard case .welcome = try client.next() else { throw TestFailure("no welcome") }
        return client
    }

    func send(_ message: IPCMessage) { sendRaw(message.frame()) }

    @discardableResult
    func sendRaw(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    /// The next message, waiting up to `timeout` seconds.
    func next(timeout: Double = 20) throws -> IPCMessage {
        let deadline = Date().addingTimeInterval(timeout)
        while ready.isEmpty {
            guard Date() < deadline else { throw TestFailure("no message within \(timeout) s") }
            switch readSome() {
            case .bytes(let bytes): ready += try decoder.feed(bytes).map(\.message)
            case .timeout: continue
            case .closed: throw TestFailure("connection closed")
            }
        }
        return ready.removeFirst()
    }

    /// Reads until the peer closes (true) or `timeout` passes (false); decodes what arrives.
    func closedByPeer(timeout: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            switch readSome() {
            case .bytes(let bytes): if let messages = try? decoder.feed(bytes) { ready += messages.map(\.message) }
            case .timeout: continue
            case .closed: return true
            }
        }
        return false
    }

    /// Messages decoded but not consumed yet.
    var buffered: [IPCMessage] { ready }

    private enum Read {
        case bytes([UInt8])
        case timeout, closed
    }

    private func readSome() -> Read {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = recv(fd, &buffer, buffer.count, 0)
        if n > 0 { return .bytes(Array(buffer[0..<n])) }
        if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) { return .timeout }
        return .closed
    }
}
