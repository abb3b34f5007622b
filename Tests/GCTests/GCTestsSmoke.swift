import Testing

@testable import GC

@Suite struct GCTestsSmoke {
    @Test func moduleLinks() {
        #expect(!String(describing: GC.self).isEmpty)
    }
}
