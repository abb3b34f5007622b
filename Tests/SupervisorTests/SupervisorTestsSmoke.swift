import Testing
@testable import Supervisor

@Suite struct SupervisorTestsSmoke {
    @Test func moduleLinks() {
        #expect(!String(describing: Supervisor.self).isEmpty)
    }
}
