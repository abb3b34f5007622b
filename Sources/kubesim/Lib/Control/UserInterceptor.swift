import NIOConcurrencyHelpers

/// The test's own request interceptor (`KubeSimServer.interceptor`), read on every request.
///
/// Why the closure sits in a struct: stored directly as a lock box's generic value, a closure is
/// re-abstracted by every `withLockedValue` (the inout write-back wraps it in one more thunk), so
/// each request left the stored hook one call deeper. A soak of ~20,000 requests overflowed an
/// event loop's stack (omjob-chaos, 2,000 runs), and every request cost time linear in the ones
/// before it. A struct's stored closure keeps its own representation.
final class UserInterceptor: Sendable {
    private struct Slot {
        var hook: RequestInterceptor?
    }

    private let slot = NIOLockedValueBox(Slot())

    var hook: RequestInterceptor? {
        get { slot.withLockedValue { $0.hook } }
        set { slot.withLockedValue { $0.hook = newValue } }
    }
}
