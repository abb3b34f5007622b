import CUV

/// Delivers a Unix signal (`uv_signal_t`) as a callback on the loop thread, where it is safe to
/// do anything, unlike in a raw signal handler.
public final class SignalWatcher: Handle {
    /// The signal number watched (`SIGTERM`, `SIGCHLD`, …).
    public let signal: Int32
    private var callback: ((Int32) -> Void)?

    /// Watches `signal` on `loop`, calling `callback` each time it arrives.
    public init(loop: EventLoop, signal: Int32, _ callback: @escaping (Int32) -> Void) throws(UVError) {
        self.signal = signal
        self.callback = callback
        try super.init(loop: loop, type: UV_SIGNAL, operation: "uv_signal_init") { uv, raw in
            uv_signal_init(uv, raw.assumingMemoryBound(to: uv_signal_t.self))
        }
        do {
            try UVError.check(
                uv_signal_start(
                    pointer(as: uv_signal_t.self),
                    { handle, signum in
                        Handle.owner(of: handle, as: SignalWatcher.self).callback?(signum)
                    }, signal), "uv_signal_start")
        } catch {
            close()
            throw error
        }
    }

    public override func releaseCallbacks() { callback = nil }
}
