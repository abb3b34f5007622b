import BenchHarness
import Testing

/// The pace of endings printed beside every latency figure: what tells a burst from a spread.
@Suite struct EndingPaceTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let endings: [Double]
        let count: Int
        let span: Double
        let perSecond: Double
        let peak: Int
        var firstWaveCreated: Double?
        var duringFirstWave = 0
        var testDescription: String { name }
    }

    static let cases = [
        Case(name: "none", endings: [], count: 0, span: 0, perSecond: 0, peak: 0),
        Case(name: "one", endings: [3], count: 1, span: 0, perSecond: 0, peak: 1),
        Case(name: "all in one instant", endings: [1, 1, 1, 1], count: 4, span: 0, perSecond: 0, peak: 4),
        Case(
            name: "burst within 50 ms", endings: [0.05, 0, 0.01, 0.02, 0.03], count: 5, span: 0.05, perSecond: 80,
            peak: 5),
        // Steps of 1/64 s add up exactly in binary: 7 of them fit in 100 ms (0 to 93.75 ms).
        Case(
            name: "one every 1/64 s", endings: (0..<65).map { Double($0) / 64 }, count: 65, span: 1, perSecond: 64,
            peak: 7),
        Case(
            name: "one a second, then three together", endings: [0, 1, 2, 2.01, 2.02], count: 5, span: 2.02,
            perSecond: 4 / 2.02, peak: 3),
        Case(
            name: "two end before the first wave is created", endings: [2, 0.5, 1, 3], count: 4, span: 2.5,
            perSecond: 1.2, peak: 1,
            firstWaveCreated: 1.5, duringFirstWave: 2),
        Case(
            name: "all end after the first wave", endings: [2, 3], count: 2, span: 1, perSecond: 1, peak: 1,
            firstWaveCreated: 1.5, duringFirstWave: 0),
    ]

    @Test(arguments: cases)
    func summarisesTheEndings(_ test: Case) {
        let pace = EndingPace(endings: test.endings, firstWaveCreated: test.firstWaveCreated)
        #expect(pace.count == test.count)
        #expect(abs(pace.spanSeconds - test.span) < 1e-9)
        #expect(abs(pace.perSecond - test.perSecond) < 1e-6)
        #expect(pace.peakInWindow == test.peak)
        #expect(pace.window == 0.1)
        #expect(pace.duringFirstWave == test.duringFirstWave)
    }

    @Test func theSpreadScheduleGivesAnEvenPaceAndTheBurstAPeakOfEverything() {
        let spread = RunSchedule(runSeconds: 0.5, spreadSeconds: 5)
        let paced = EndingPace(endings: (0..<1_000).map(spread.mainSeconds))
        #expect(abs(paced.perSecond - 200) < 1)
        #expect((19...21).contains(paced.peakInWindow), "peak \(paced.peakInWindow) in 100 ms")
        let burst = RunSchedule(runSeconds: 0.5, spreadSeconds: 0)
        #expect(EndingPace(endings: (0..<1_000).map(burst.mainSeconds)).peakInWindow == 1_000)
    }
}
