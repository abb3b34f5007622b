import Foundation
import Testing

@testable import KubeSim

/// The cluster's timers fire in due order, once, and not after being replaced or cancelled.
@Suite struct TimerQueueTests {
    final class Fired: @unchecked Sendable { var names: [String] = [] }

    @Test func firesInDueOrderThenInsertionOrder() {
        var queue = TimerQueue()
        let fired = Fired()
        let start = Date(timeIntervalSince1970: 0)
        for (name, seconds) in [("c", 3.0), ("a", 1.0), ("b1", 2.0), ("b2", 2.0), ("late", 10.0)] {
            queue.schedule(name, at: start.addingTimeInterval(seconds)) { fired.names.append(name) }
        }
        queue.schedule("a", at: start.addingTimeInterval(2.5)) { fired.names.append("a-replaced") }
        queue.cancel("c")
        queue.schedule("pod-1/run", at: start.addingTimeInterval(1)) { fired.names.append("pod-1/run") }
        queue.schedule("pod-1/deadline", at: start.addingTimeInterval(1)) { fired.names.append("pod-1/deadline") }
        queue.cancel(prefix: "pod-1/")
        #expect(queue.nextDue == start.addingTimeInterval(2))
        while let entry = queue.popDue(start.addingTimeInterval(5)) { entry.action() }
        #expect(fired.names == ["b1", "b2", "a-replaced"])
        #expect(queue.nextDue == start.addingTimeInterval(10))
        #expect(queue.popDue(start.addingTimeInterval(9)) == nil)
    }
}
