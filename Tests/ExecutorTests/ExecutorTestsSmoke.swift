import Testing
@testable import Executor

@Suite struct ExecutorTestsSmoke {
    @Test func moduleLinks() {
        #expect(!String(describing: Executor.self).isEmpty)
    }
}
