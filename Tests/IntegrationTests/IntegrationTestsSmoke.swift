import Testing
@testable import Shared

@Suite struct IntegrationTestsSmoke {
    @Test func moduleLinks() {
        #expect(!OperatorVersion.current.isEmpty)
    }
}
