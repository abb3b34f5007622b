import Foundation

/// Submits `total` runs keeping at most `inFlight` unfinished, and waits for all to finish.
public enum Submitter {
    /// Returns the wall time from the first submission to the last finish; throws when nothing
    /// finished for `stallSeconds`.
    public static func run(
        total: Int, inFlight: Int, stallSeconds: Double = 60, submit: (Int) async throws -> Void,
        finished: () -> Int
    ) async throws -> Duration {
        let clock = ContinuousClock()
        let start = clock.now
        var submitted = 0
        var lastProgress = (count: 0, at: clock.now)
        while true {
            let done = finished()
            if done >= total { return clock.now - start }
            if done != lastProgress.count { lastProgress = (done, clock.now) }
            if (clock.now - lastProgress.at) > .seconds(stallSeconds) {
                throw HarnessError(
                    "stalled: \(done) of \(total) runs finished, none in the last \(Int(stallSeconds)) s")
            }
            var burst = 0
            while submitted < total, submitted - done < inFlight, burst < 200 {
                try await submit(submitted)
                submitted += 1
                burst += 1
            }
            try await Task.sleep(for: .milliseconds(2))
        }
    }
}
