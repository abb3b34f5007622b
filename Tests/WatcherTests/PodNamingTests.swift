import Foundation
import Testing

@testable import Watcher

/// Pod names and label values: deterministic, and always accepted by the API server.
@Suite struct PodNamingTests {
    static func isDNSSubdomain(_ name: String) -> Bool {
        name.range(
            of: #"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"#, options: .regularExpression)
            != nil
            && name.count <= 253
    }

    static func isLabelValue(_ value: String) -> Bool {
        value.range(of: #"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$"#, options: .regularExpression) != nil
            && value.count <= 63
    }

    static let names = [
        "om-job-mysql-pipeline-a1b2c3d4",
        String(repeating: "a", count: 58),
        String(repeating: "a", count: 59),
        String(repeating: "b", count: 253),
        "dotted.name.with-" + String(repeating: "x", count: 60),
        "ends-with-dash-after-cut" + String(repeating: "-", count: 40) + "tail",
        "UPPER_case name",
        "---",
    ]

    @Test(arguments: names)
    func namesAreValidAndShortEnough(omJob: String) {
        for name in [
            PodNaming.mainPodName(omJob: omJob), PodNaming.exitPodName(omJob: omJob, attempt: 1),
            PodNaming.exitPodName(omJob: omJob, attempt: 12),
        ] {
            #expect(Self.isDNSSubdomain(name), "\(name)")
            #expect(name.count <= 63, "\(name)")
        }
        #expect(Self.isLabelValue(PodNaming.labelValue(omJob)))
    }

    @Test func shortNamesAreKeptAsTheyAre() {
        #expect(PodNaming.mainPodName(omJob: "run-1") == "run-1-main")
        #expect(PodNaming.exitPodName(omJob: "run-1", attempt: 1) == "run-1-exit")
        #expect(PodNaming.exitPodName(omJob: "run-1", attempt: 3) == "run-1-exit-3")
        #expect(PodNaming.labelValue("run-1") == "run-1")
        #expect(
            PodNaming.mainPodName(omJob: String(repeating: "a", count: 58)) == String(repeating: "a", count: 58)
                + "-main")
    }

    @Test func longNamesThatShareAPrefixStayApart() {
        let a = String(repeating: "p", count: 70) + "-a"
        let b = String(repeating: "p", count: 70) + "-b"
        #expect(PodNaming.mainPodName(omJob: a) != PodNaming.mainPodName(omJob: b))
        #expect(PodNaming.labelValue(a) != PodNaming.labelValue(b))
        #expect(PodNaming.mainPodName(omJob: a) == PodNaming.mainPodName(omJob: a))
    }

    @Test func theHashIsStableAcrossProcessesAndVersions() {
        // FNV-1a 64 of "abc" is e71fa2190541574b: a constant, not Swift's per-process seeded Hasher.
        #expect(PodNaming.hash("abc") == "e71fa219")
    }
}
