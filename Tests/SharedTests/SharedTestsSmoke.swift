import Testing

@testable import Shared

@Suite struct SharedTestsSmoke {
    @Test func moduleLinks() {
        #expect(!String(describing: OperatorVersion.self).isEmpty)
    }
}
