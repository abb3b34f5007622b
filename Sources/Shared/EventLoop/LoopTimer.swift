import CUV

/// A libuv timer (`uv_timer_t`): one-shot or repeating, restartable, cancellable with `stop()`.
public final class LoopTimer: Handle {
    private var callback: (() -> Void)?

    /// Creates a stopped timer on `loop`.
    public init(loop: EventLoop) throws(UVError) {
        try super.init(loop: loop, type: UV_TIMER, operation: "uv_timer_init") { uv, raw in
            uv_timer_init(uv, raw.assumingMemoryBound(to: uv_timer_t.self))
        }
    }

    /// Fires `callback` after `timeout`, then every `repeating` if given. Restarting replaces
    /// the previous schedule and callback.
    public func start(after timeout: Duration, repeating: Duration? = nil, _ callback: @escaping () -> Void) {
        loop.preconditionInLoop()
        precondition(!isClosing, "LoopTimer started after close()")
        self.callback = callback
        let status = uv_timer_start(
            pointer(as: uv_timer_t.self),
            { timer in
                Handle.owner(of: timer, as: LoopTimer.self).callback?()
            }, timeout.milliseconds, repeating?.milliseconds ?? 0)
        // uv_timer_start fails only on a closing handle, excluded above.
        assert(status == 0)
    }

    /// Cancels the pending firing (and repetition); the timer can be started again.
    public func stop() {
        loop.preconditionInLoop()
        uv_timer_stop(pointer(as: uv_timer_t.self))
    }

    /// True while a firing is scheduled.
    public var isActive: Bool { uv_is_active(uvHandle) != 0 }

    public override func releaseCallbacks() { callback = nil }
}

extension Duration {
    /// Whole milliseconds, rounded up so a non-zero delay never becomes "now"; negative is 0.
    public var milliseconds: UInt64 {
        let (seconds, attoseconds) = components
        if seconds < 0 { return 0 }
        let millis = UInt64(seconds) * 1000 + UInt64(attoseconds / 1_000_000_000_000_000)
        return attoseconds % 1_000_000_000_000_000 == 0 ? millis : millis + 1
    }
}
