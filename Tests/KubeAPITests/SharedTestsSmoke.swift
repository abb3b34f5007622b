@testable import Runtime
import Testing

@Suite struct SharedTestsSmoke {
    @Test func moduleLinks() {
        #expect(!String(describing: OperatorVersion.self).isEmpty)
    }
}
