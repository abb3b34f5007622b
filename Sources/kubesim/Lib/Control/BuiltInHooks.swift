/// The order in which kubesim looks at a request before serving it: its own control endpoints
/// (never faulted), then fault injection, then a test's own interceptor.
enum BuiltInHooks {
    static func interceptor(control: ControlAPI, faults: FaultInjector, user: UserInterceptor) -> RequestInterceptor {
        { request in
            if let answer = control.handle(request) { return answer }
            if let fault = faults.action(for: request) { return fault }
            return user.hook?(request)
        }
    }
}
