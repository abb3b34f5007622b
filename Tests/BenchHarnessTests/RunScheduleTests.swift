import BenchHarness
import Testing

/// The schedule that spreads main pods' endings in `omjob-bench`: the same on every run, within
/// its bounds, and even for any number of runs (the operator and the floor share it, so a
/// skewed or varying schedule would bias their ratio).
@Suite struct RunScheduleTests {
    static let sizes = [100, 1_000, 10_000]

    @Test func theBurstRunsEveryMainPodExactlyRunSecondsWithNoAnnotation() {
        let burst = RunSchedule(runSeconds: 0.5, spreadSeconds: 0, leadSeconds: 2)
        #expect(burst.mode == "burst")
        #expect(burst.leadSeconds == 0)
        for index in [0, 1, 17, 999, 123_456] {
            #expect(burst.mainSeconds(index) == 0.5)
            #expect(burst.mainAnnotations(index).isEmpty)
        }
    }

    @Test(arguments: sizes)
    func everyRunTimeIsWithinRunSecondsPlusLeadAndThatPlusSpread(runs: Int) {
        let schedule = RunSchedule(runSeconds: 0.5, spreadSeconds: 5, leadSeconds: 2.5)
        #expect(schedule.mode == "spread")
        for index in 0..<runs {
            let seconds = schedule.mainSeconds(index)
            #expect(seconds >= 3 && seconds < 8, "run \(index): \(seconds) s")
        }
        #expect(schedule.mainSeconds(0) == 3)
    }

    @Test func theScheduleIsTheSameOnEveryRunAndItsAnnotationReadsBackExactly() {
        let first = RunSchedule(runSeconds: 0.5, spreadSeconds: 5)
        let second = RunSchedule(runSeconds: 0.5, spreadSeconds: 5)
        #expect(first.mainSeconds(0) == 0.5)
        #expect((0..<1_000).map(first.mainSeconds) == (0..<1_000).map(second.mainSeconds))
        for index in [1, 2, 3, 500, 9_999] {
            let annotations = first.mainAnnotations(index)
            #expect(Array(annotations.keys) == ["kubesim.io/run-seconds"])
            #expect(annotations["kubesim.io/run-seconds"].flatMap(Double.init) == first.mainSeconds(index))
        }
        // Fixed values, so a change of sequence shows here and not only in changed figures.
        #expect(abs(first.mainSeconds(1) - (0.5 + 5 * 0.618_033_988_749_894_9)) < 1e-12)
        #expect(abs(first.mainSeconds(2) - (0.5 + 5 * 0.236_067_977_499_789_8)) < 1e-12)
    }

    /// A uniform random draw would put about √(runs/bins) runs more or fewer in some bin (±10
    /// for 1,000 runs in 10 bins); the golden-ratio sequence stays within 2 of the even share.
    @Test(arguments: sizes, [10, 100])
    func everyBinOfTheSpreadHoldsAnEvenShare(runs: Int, bins: Int) {
        var counts = [Int](repeating: 0, count: bins)
        for index in 0..<runs { counts[Int(RunSchedule.fraction(index) * Double(bins))] += 1 }
        let share = runs / bins
        #expect(
            counts.allSatisfy { abs($0 - share) <= 2 },
            "\(runs) runs in \(bins) bins: \(counts.min() ?? 0)...\(counts.max() ?? 0), share \(share)")
    }

    /// Runs are submitted in index order; neighbours must not end together, or submission
    /// would still make bursts.
    @Test func neighbouringRunsEndAtLeastAThirdOfTheSpreadApart() {
        let schedule = RunSchedule(runSeconds: 0, spreadSeconds: 1)
        for index in 0..<10_000 {
            let gap = abs(schedule.mainSeconds(index + 1) - schedule.mainSeconds(index))
            #expect(gap > 1.0 / 3, "runs \(index) and \(index + 1): \(gap)")
        }
    }
}
