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
        let cleaned = trimToAlphanumeric(String(value.unicodeScalars.map { isLabelChar($0) ? Character($0) : "-" }))
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
        let mapped = value.lowercased().unicodeScalars.map { s -> Character in
            (s >= "a" && s <= "z") || (s >= "0" && s <= "9") || s == "-" || s == "." ? Character(s) : "-"
        }
        return trimToAlphanumeric(String(mapped))
    }

    private static func isLabelChar(_ s: Unicode.Scalar) -> Bool {
        (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || (s >= "0" && s <= "9") || s == "-" || s == "_" || s == "."
    }

    private static func trimToAlphanumeric(_ value: String) -> String {
        let isAlnum: (Character) -> Bool = { $0.isASCII && ($0.isLetter || $0.isNumber) }
        guard let first = value.firstIndex(where: isAlnum), let last = value.lastIndex(where: isAlnum) else { return "" }
        return String(value[first...last])
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
