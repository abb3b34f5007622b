import Foundation

/// How a container ended, as the container runtime reports it to the kubelet.
///
/// Real kubelets never fill `ContainerStateTerminated.signal`: a signal shows only as
/// exit code 128+n with reason `Error` (or `OOMKilled` when the kernel's OOM killer sent it).
public struct ContainerExit: Sendable, Equatable {
    public var exitCode: Int32
    /// `Completed`, `Error`, `OOMKilled`, `StartError` or `ContainerStatusUnknown`.
    public var reason: String
    /// The termination message (the container's terminationMessagePath), if any.
    public var message: String?

    public init(exitCode: Int32, reason: String? = nil, message: String? = nil) {
        self.exitCode = exitCode
        self.reason = reason ?? (exitCode == 0 ? "Completed" : "Error")
        self.message = message
    }

    /// The process exited by itself with `code`.
    public static func exited(_ code: Int32) -> ContainerExit { ContainerExit(exitCode: code) }

    /// The process was killed by signal `number` (exit code 128+n, reason Error).
    public static func signaled(_ number: Int32) -> ContainerExit { ContainerExit(exitCode: 128 + number) }

    /// The kernel's OOM killer ended it (SIGKILL: 137).
    public static let oomKilled = ContainerExit(exitCode: 137, reason: "OOMKilled")

    /// Stopped by the kubelet with SIGTERM during graceful termination.
    public static let terminatedBySIGTERM = ContainerExit.signaled(15)

    /// Killed with SIGKILL (grace period over, or none given).
    public static let killed = ContainerExit.signaled(9)

    /// What a kubelet reports for a container that never ran in a pod that became terminal.
    static let neverRan = ContainerExit(
        exitCode: 137, reason: "ContainerStatusUnknown",
        message: "The container could not be located when the pod was terminated")
}

/// Deterministic stand-ins for runtime identifiers (container IDs, image digests), so that two
/// runs of a test produce the same objects.
enum FakeIdentifier {
    /// 64 hex digits derived from `seed` (FNV-1a, four lanes).
    static func hex64(_ seed: String) -> String {
        (0..<4).map { lane -> String in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(lane)
            for byte in seed.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            let hex = String(hash, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }

    /// `busybox:1.36` → `docker.io/library/busybox:1.36`, as containerd reports image names.
    static func normalizedImage(_ image: String) -> String {
        var name = image
        let lastPart = name.split(separator: "/").last.map(String.init) ?? name
        if !lastPart.contains(":"), !name.contains("@") { name += ":latest" }
        let first = name.split(separator: "/").first.map(String.init) ?? ""
        let hasRegistry = name.contains("/") && (first.contains(".") || first.contains(":") || first == "localhost")
        if hasRegistry { return name }
        return name.contains("/") ? "docker.io/\(name)" : "docker.io/library/\(name)"
    }

    /// `docker.io/library/busybox@sha256:<digest>`.
    static func imageID(_ image: String) -> String {
        let normalized = normalizedImage(image)
        let repository = normalized.split(separator: "@").first.map(String.init) ?? normalized
        let withoutTag =
            repository.range(of: ":", options: .backwards).map { range in
                repository[range.lowerBound...].contains("/") ? repository : String(repository[..<range.lowerBound])
            } ?? repository
        return "\(withoutTag)@sha256:\(hex64(normalized))"
    }
}
