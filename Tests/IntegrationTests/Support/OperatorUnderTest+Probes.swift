import Foundation
import TestSupport

/// What the running operator says about itself on its health port.
extension OperatorUnderTest {
    /// The supervisor's `/metrics` as `name{labels} → value` (label text as printed).
    func metrics() async throws -> [String: Double] {
        let body = try LoopbackHTTP.get(port: try await healthPort(), path: "/metrics").body
        var out: [String: Double] = [:]
        for line in body.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                continue
            }
            out[String(line[..<space])] = value
        }
        return out
    }

    /// The gc's pid from `/info`.
    func gcPID() async throws -> Int32? {
        let body = try LoopbackHTTP.get(port: try await healthPort(), path: "/info").body
        let info = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        let children = info?["children"] as? [[String: Any]] ?? []
        return (children.first { $0["role"] as? String == "gc" }?["pid"] as? Int).map(Int32.init)
    }
}
