import Testing

@testable import Runtime

@Suite struct SharedTestsSmoke {
    @Test func moduleLinks() {
        #expect(!String(describing: OperatorVersion.self).isEmpty)
    }
}
