import NIOConcurrencyHelpers

/// The order in which kubesim looks at a request before serving it: its own control endpoints
/// (never faulted), then fault injection, then a test's own interceptor.
enum BuiltInHooks {
    static func interceptor(control: ControlAPI, faults: FaultInjector, user: NIOLockedValueBox<InterceptorHolder?>)
        -> RequestInterceptor
    {
        { request in
            if let answer = control.handle(request) { return answer }
            if let fault = faults.action(for: request) { return fault }
            return user.withLockedValue { $0 }?.hook(request)
        }
    }
}

/// The test's interceptor in a struct, so the lock box holds a concrete type. A function type
/// stored directly in a generic box is reabstracted on every `inout` access, and the write-back
/// wraps it in two more thunks each time: after a few thousand requests each call went through
/// a chain of thousands of thunks (a quarter of the benchmark's kubesim CPU).
struct InterceptorHolder: Sendable {
    let hook: RequestInterceptor
}
