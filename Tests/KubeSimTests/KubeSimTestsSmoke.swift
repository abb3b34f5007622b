import Testing
@testable import KubeSim

@Suite struct KubeSimTestsSmoke {
    @Test func moduleLinks() {
        #expect(!String(describing: KubeSim.self).isEmpty)
    }
}
