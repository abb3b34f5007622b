/// Prometheus text exposition format 0.0.4.
extension MetricsRegistry {
    /// The `Content-Type` of ``render()``.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// Every family, sorted by name, with HELP and TYPE lines; histograms with cumulative
    /// `_bucket{le=…}` lines ending in `+Inf`, then `_sum` and `_count`.
    public func render() -> String {
        let snapshot = families.withLock { $0 }
        var out = ""
        for name in snapshot.keys.sorted() {
            let family = snapshot[name]!
            out += "# HELP \(name) \(Self.escapeHelp(family.help))\n# TYPE \(name) \(family.kind.rawValue)\n"
            for labels in family.series.keys.sorted() {
                switch family.series[labels]! {
                case .value(let v):
                    out += "\(name)\(Self.render(labels.pairs)) \(Self.format(v))\n"
                case .histogram(let counts, let sum, let count):
                    for (i, bound) in family.buckets.enumerated() {
                        out +=
                            "\(name)_bucket\(Self.render(labels.pairs + [["le", Self.format(bound)]])) \(counts[i])\n"
                    }
                    out += "\(name)_bucket\(Self.render(labels.pairs + [["le", "+Inf"]])) \(count)\n"
                    out += "\(name)_sum\(Self.render(labels.pairs)) \(Self.format(sum))\n"
                    out += "\(name)_count\(Self.render(labels.pairs)) \(count)\n"
                }
            }
        }
        return out
    }

    static func render(_ pairs: [[String]]) -> String {
        guard !pairs.isEmpty else { return "" }
        return "{" + pairs.map { "\($0[0])=\"\(escapeLabel($0[1]))\"" }.joined(separator: ",") + "}"
    }

    static func format(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }

    static func escapeLabel(_ s: String) -> String {
        s.replacingAll(["\\": "\\\\", "\"": "\\\"", "\n": "\\n"])
    }

    static func escapeHelp(_ s: String) -> String {
        s.replacingAll(["\\": "\\\\", "\n": "\\n"])
    }
}

extension String {
    fileprivate func replacingAll(_ map: [Character: String]) -> String {
        var out = ""
        for c in self { if let r = map[c] { out += r } else { out.append(c) } }
        return out
    }
}
