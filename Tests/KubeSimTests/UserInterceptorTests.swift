import Foundation
import NIOConcurrencyHelpers
import Synchronization
import Testing

@testable import KubeSim

/// kubesim reads the test's interceptor on every request (`BuiltInHooks`). Held directly in the
/// lock box, a read re-wrapped the stored closure in more thunks, so a long soak overflowed an
/// event loop's stack (omjob-chaos, 2,000 runs). Here the depth of the hook's call is measured
/// after many reads made the way each request makes them.
@Suite struct UserInterceptorTests {
    @Test func readingTheHookDoesNotDeepenIt() throws {
        let depth = DepthProbe()
        let user = NIOLockedValueBox<InterceptorHolder?>(
            InterceptorHolder(hook: { _ in
                depth.record(Thread.callStackSymbols.count)
                return nil
            }))
        let request = APIRequest(method: "GET", uri: "/api/v1/pods", headers: [:], body: [])
        _ = user.withLockedValue { $0 }?.hook(request)
        let first = try #require(depth.last)
        for _ in 0..<2_000 { _ = user.withLockedValue { $0 } }
        _ = user.withLockedValue { $0 }?.hook(request)
        let later = try #require(depth.last)
        #expect(later <= first + 2, "the hook's call went from \(first) to \(later) frames deep after 2,000 reads")
    }
}

/// The stack depth the hook saw last (the hook is `@Sendable`).
private final class DepthProbe: Sendable {
    private let value = Mutex<Int?>(nil)
    func record(_ depth: Int) { value.withLock { $0 = depth } }
    var last: Int? { value.withLock { $0 } }
}
