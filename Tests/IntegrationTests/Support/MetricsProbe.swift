import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Reads the supervisor's `/metrics` over a plain TCP socket (HTTP/1.0, one request).
enum MetricsProbe {
    /// The text of `/metrics`, or nil when the port does not answer.
    static func text(port: Int) -> String? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 else { return nil }
        let request = Array("GET /metrics HTTP/1.0\r\nHost: localhost\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while case let n = recv(fd, &buffer, buffer.count, 0), n > 0 { response += buffer[0..<n] }
        return String(decoding: response, as: UTF8.self)
    }

    /// The value of the sample `name` whose labels include every pair of `labels` (a series
    /// without labels matches empty `labels`).
    static func value(_ text: String, _ name: String, _ labels: [String: String]) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(name + "{") || (labels.isEmpty && line.hasPrefix(name + " ")) {
            guard labels.allSatisfy({ line.contains("\($0.key)=\"\($0.value)\"") }) else { continue }
            return line.split(separator: " ").last.flatMap { Double($0) }
        }
        return nil
    }
}

extension OperatorUnderTest {
    /// The health port from the supervisor's "supervisor listening" log line.
    func healthPort() -> Int? {
        for line in log.split(separator: "\n") where line.contains("\"supervisor listening\"") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { continue }
            return (object["health.port"] as? String).flatMap(Int.init)
        }
        return nil
    }
}
