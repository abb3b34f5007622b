import Testing
@testable import Shared

@Suite struct IntegrationTestsSmoke {
    @Test func moduleLinks() {
        #expect(!String(describing: OperatorVersion.self).isEmpty)
    }
}
