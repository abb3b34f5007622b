/// The deterministic name of a CronOMJob's run for one slot: `<fitted cron name>-<slot epoch seconds>`.
///
/// Determinism is the idempotence guarantee: a watcher that restarts, or decides twice before
/// its cache shows the new OMJob, asks for the same name again and the API server's
/// `409 AlreadyExists` stops a second run. The result is a valid DNS-1123 label of at most 63
/// characters, so it also fits the `omjob.pipelines.openmetadata.org/name` pod label unchanged.
public enum CronRunName {
    /// Longest name a run may have (a DNS-1123 label, and a label value).
    public static let maxLength = 63
    /// Length of the hash that replaces the cut tail of a long cron name.
    static let hashLength = 8

    /// The run name for the CronOMJob `cronName` at `slot` (epoch seconds).
    public static func forSlot(cronName: String, slot: Int64) -> String {
        let suffix = "-\(slot)"
        return fitted(cronName, maxLength: maxLength - suffix.count) + suffix
    }

    /// `name` made a DNS-1123 label of at most `maxLength` characters. A name that has to be cut
    /// keeps its head plus a hash of the whole, so two long names that share a head stay apart.
    static func fitted(_ name: String, maxLength: Int) -> String {
        let clean = sanitised(name)
        guard clean.count > maxLength else { return clean }
        let hash = PodNaming.hash(name)
        var head = String(clean.prefix(maxLength - hashLength - 1))
        while head.hasSuffix("-") { head.removeLast() }
        return head.isEmpty ? hash : "\(head)-\(hash)"
    }

    /// Lower-case letters, digits and inner hyphens only; anything else becomes a hyphen.
    static func sanitised(_ name: String) -> String {
        let mapped = name.lowercased().map { c -> Character in
            c.isASCII && (c.isLetter || c.isNumber) ? c : "-"
        }
        let trimmed = String(mapped).trimmingHyphens()
        return trimmed.isEmpty ? "cronomjob" : trimmed
    }
}

extension String {
    /// Without leading and trailing hyphens.
    fileprivate func trimmingHyphens() -> String {
        var scalars = Substring(self)
        while scalars.first == "-" { scalars.removeFirst() }
        while scalars.last == "-" { scalars.removeLast() }
        return String(scalars)
    }
}
