import Testing

@testable import GC

@Suite struct GCSettingsTests {
    @Test func defaultsMatchTheDesign() throws {
        let settings = try GCSettings(environment: [:])
        #expect(
            settings
                == GCSettings(
                    defaultTTLSeconds: 86_400, deleteOMJobAfterTTL: false, staleFinalizerSeconds: 3_600,
                    defaultHistoryLimit: 3))
    }

    @Test func overridesAreRead() throws {
        let settings = try GCSettings(environment: [
            "OMJOB_GC_DELETE_OMJOB_AFTER_TTL": "true", "OMJOB_GC_STALE_FINALIZER_SECONDS": "600",
            "OMJOB_GC_DEFAULT_TTL_SECONDS": "0", "OMJOB_GC_DEFAULT_HISTORY_LIMIT": "10",
        ])
        #expect(
            settings
                == GCSettings(
                    defaultTTLSeconds: 0, deleteOMJobAfterTTL: true, staleFinalizerSeconds: 600, defaultHistoryLimit: 10
                ))
    }

    @Test(arguments: [
        (
            "OMJOB_GC_DELETE_OMJOB_AFTER_TTL", "maybe",
            "OMJOB_GC_DELETE_OMJOB_AFTER_TTL=maybe is invalid: expected true or false"
        ),
        (
            "OMJOB_GC_STALE_FINALIZER_SECONDS", "0",
            "OMJOB_GC_STALE_FINALIZER_SECONDS=0 is invalid: expected a whole number ≥ 1"
        ),
        (
            "OMJOB_GC_DEFAULT_TTL_SECONDS", "1d",
            "OMJOB_GC_DEFAULT_TTL_SECONDS=1d is invalid: expected a whole number ≥ 0"
        ),
        (
            "OMJOB_GC_DEFAULT_HISTORY_LIMIT", "-1",
            "OMJOB_GC_DEFAULT_HISTORY_LIMIT=-1 is invalid: expected a whole number ≥ 0"
        ),
    ])
    func badValuesNameTheSetting(name: String, value: String, message: String) {
        #expect {
            try GCSettings(environment: [name: value])
        } throws: { error in
            "\(error)" == message
        }
    }
}
