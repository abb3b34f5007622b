import Testing
@testable import Shared

@Suite struct SharedTestsSmoke {
    @Test func moduleLinks() {
        #expect(!OperatorVersion.current.isEmpty)
    }
}
