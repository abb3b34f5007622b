/// Deterministic names for a run's pods and label values, always valid for the API server.
///
/// Names are the idempotency keys of pod creation (a retry or a duplicate command gets
/// `409 AlreadyExists`), so they depend only on the OMJob's name and the attempt number.
public enum PodNaming {
    /// Longest pod name used: 63, so the pod's hostname is its name (hostnames are DNS labels).
    static let maxPodName = 63
    /// Longest label value the API server accepts.
    static let maxLabelValue = 63

    /// `<omjob>-main`, shortened with a hash when too long.
    public static func mainPodName(omJob: String) -> String { fit(omJob, suffix: "-main") }

    /// `<omjob>-exit` for the first attempt, `<omjob>-exit-<n>` for retries.
    public static func exitPodName(omJob: String, attempt: Int) -> String {
        fit(omJob, suffix: attempt <= 1 ? "-exit" : "-exit-\(attempt)")
    }

    /// The `omjob.pipelines.openmetadata.org/name` label value: the name itself when it fits
    /// (what exit_handler.py selects by), else a prefix plus a hash.
    public static func labelValue(_ value: String) -> String {
        let cleaned = clean(value, allowed: isLabelByte)
        if !cleaned.isEmpty, cleaned.utf8.count <= maxLabelValue { return cleaned }
        let prefix = trimToAlphanumeric(String(cleaned.prefix(maxLabelValue - 9)))
        return (prefix.isEmpty ? "omjob" : prefix) + "-" + hash(value)
    }

    /// `base + suffix` as a DNS-1123 label-compatible subdomain of at most 63 characters:
    /// lower-cased, invalid characters replaced, and when too long the base is cut and an
    /// 8-hex-digit hash of the full base keeps distinct OMJobs apart.
    static func fit(_ base: String, suffix: String) -> String {
        let cleaned = dnsClean(base)
        if cleaned == base, cleaned.utf8.count + suffix.utf8.count <= maxPodName, !cleaned.isEmpty {
            return cleaned + suffix
        }
        let room = maxPodName - suffix.utf8.count - 9
        let prefix = trimToAlphanumeric(String(cleaned.prefix(room)))
        return (prefix.isEmpty ? "omjob" : prefix) + "-" + hash(base) + suffix
    }

    /// Lower-case; every character outside `[a-z0-9.-]` becomes `-`; no leading/trailing punctuation.
    static func dnsClean(_ value: String) -> String {
        let upper = value.utf8.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
        return clean(upper ? value.lowercased() : value, allowed: isDNSByte)
    }

    /// Works on UTF-8 bytes (a name is ASCII when valid): every byte not `allowed` becomes `-`, then
    /// leading and trailing non-alphanumerics go. Returns the input itself when nothing changes,
    /// which is the common case and allocates nothing.
    private static func clean(_ value: String, allowed: (UInt8) -> Bool) -> String {
        let bytes = value.utf8
        if let first = bytes.first, let last = bytes.last, isAlphanumeric(first), isAlphanumeric(last),
            bytes.allSatisfy(allowed)
        {
            return value
        }
        return trimToAlphanumeric(String(decoding: bytes.map { allowed($0) ? $0 : UInt8(ascii: "-") }, as: UTF8.self))
    }

    private static func isAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39)
    }

    private static func isDNSByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")
    }

    private static func isLabelByte(_ b: UInt8) -> Bool {
        isAlphanumeric(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: "_") || b == UInt8(ascii: ".")
    }

    private static func trimToAlphanumeric(_ value: String) -> String {
        let bytes = Array(value.utf8)
        guard let first = bytes.firstIndex(where: isAlphanumeric), let last = bytes.lastIndex(where: isAlphanumeric)
        else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }

    /// FNV-1a 64-bit, first 8 hex digits. Hand-written because it only has to be stable across
    /// processes and versions (Swift's `Hasher` is seeded per process) and needs no crypto library.
    static func hash(_ value: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in value.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        let hex = String(h, radix: 16)
        return String((String(repeating: "0", count: 16 - hex.count) + hex).prefix(8))
    }
}
