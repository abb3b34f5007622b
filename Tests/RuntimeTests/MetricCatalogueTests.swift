import Foundation
import Testing

@testable import Runtime

/// The one metric catalogue: well-formed, and the only place a metric is named.
@Suite struct MetricCatalogueTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    @Test func namesAreUniqueAndPrometheusShaped() {
        let names = MetricCatalogue.all.map(\.name)
        #expect(names.count == Set(names).count)
        for name in names {
            #expect(
                name.hasPrefix("omjob_") && name.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" }, "\(name)")
        }
    }

    /// Prometheus' naming rules: a counter ends in `_total`, nothing else does; a histogram names its unit.
    @Test func suffixesMatchTheType() {
        for metric in MetricCatalogue.all {
            #expect((metric.kind == .counter) == metric.name.hasSuffix("_total"), "\(metric.name)")
            if metric.kind == .histogram { #expect(metric.name.hasSuffix("_seconds"), "\(metric.name)") }
        }
    }

    @Test func everyFamilySaysWhatItMeasures() {
        for metric in MetricCatalogue.all {
            #expect(metric.help.count > 20 && metric.help.hasSuffix("."), "\(metric.name): \(metric.help)")
            #expect(!metric.help.contains("Reported by"), "\(metric.name)")
        }
    }

    @Test func aNameOutsideTheCatalogueGetsAHelpSayingSo() {
        #expect(MetricCatalogue.help(for: MetricCatalogue.gcSweeps.name) == MetricCatalogue.gcSweeps.help)
        #expect(MetricCatalogue.help(for: "omjob_unknown_total").contains("not in the operator's metric catalogue"))
    }

    /// Every series a process can expose is named through the catalogue: no metric name is
    /// spelled anywhere else in the operator's sources.
    @Test func noSourceSpellsAMetricNameOutsideTheCatalogue() throws {
        let folders = [
            "Runtime/", "UVLoop/", "HTTPTransport/", "Models/", "KubeAPI/", "BrokerProtocol/", "supervisor/",
            "watcher/", "executor/", "gc/",
        ]
        let files =
            FileManager.default.enumerator(atPath: Self.sources.path)?.compactMap { $0 as? String }
            .filter { path in path.hasSuffix(".swift") && folders.contains { path.hasPrefix($0) } } ?? []
        #expect(files.count > 100, "the source tree was found")
        let literal = try NSRegularExpression(pattern: #""omjob_[a-z_]+""#)
        var offenders: [String] = []
        for path in files where !path.hasSuffix("/MetricCatalogue.swift") {
            let text = try String(contentsOf: Self.sources.appendingPathComponent(path), encoding: .utf8)
            if literal.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil {
                offenders.append(path)
            }
        }
        #expect(offenders.isEmpty, "metric names spelled outside MetricCatalogue: \(offenders)")
    }
}
