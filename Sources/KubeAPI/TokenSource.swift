import Foundation
import Synchronization

/// The bearer token for a request. A token file is re-read when its modification time, size
/// or inode changes (kubelet rotates projected tokens by swapping a symlink), so a rotated
/// token is used from the next request on, and an unchanged file costs one `stat`.
final class TokenSource: Sendable {
    private struct Cached {
        var token: String
        var stamp: [Int]
    }

    private let credentials: ClusterConfiguration.Credentials
    private let cache = Mutex<Cached?>(nil)

    init(_ credentials: ClusterConfiguration.Credentials) {
        self.credentials = credentials
    }

    /// The current token, or nil when the configuration has none.
    func token() throws(KubeError) -> String? {
        switch credentials {
        case .none: return nil
        case .token(let token): return token
        case .tokenFile(let path): return try read(path)
        }
    }

    private func read(_ path: String) throws(KubeError) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw .configuration(setting: "tokenFile", message: "\(path): \(String(cString: strerror(errno)))")
        }
        let stamp = [Int(info.st_ino), Int(info.st_size), Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec)]
        if let cached = cache.withLock({ $0 }), cached.stamp == stamp { return cached.token }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .configuration(setting: "tokenFile", message: "\(path) is not readable UTF-8")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        cache.withLock { $0 = Cached(token: token, stamp: stamp) }
        return token
    }
}
