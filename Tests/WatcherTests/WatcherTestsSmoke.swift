import Testing

@testable import Watcher

@Suite struct WatcherTestsSmoke {
    @Test func moduleLinks() {
        #expect(!String(describing: Watcher.self).isEmpty)
    }
}
