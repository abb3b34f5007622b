import CUV

/// Readiness of a socket or file descriptor (`uv_poll_t`), the primitive libcurl's multi
/// socket API needs: libcurl owns the fd, libuv only reports when it is readable or writable.
public final class Poll: Handle {
    /// Which readiness to wait for, and which was seen.
    public struct Events: OptionSet, Sendable {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }
        public static let readable = Events(rawValue: Int32(UV_READABLE.rawValue))
        public static let writable = Events(rawValue: Int32(UV_WRITABLE.rawValue))
    }

    /// The descriptor watched; never closed by this handle.
    public let fd: Int32
    private var callback: ((Result<Events, UVError>) -> Void)?

    /// Watches `fd` (a socket) on `loop`.
    public init(loop: EventLoop, socket fd: Int32) throws(UVError) {
        self.fd = fd
        try super.init(loop: loop, type: UV_POLL, operation: "uv_poll_init_socket") { uv, raw in
            uv_poll_init_socket(uv, raw.assumingMemoryBound(to: uv_poll_t.self), fd)
        }
    }

    /// Calls `callback` each time `fd` becomes ready for any of `events` (or errors); replaces
    /// any previous watch.
    public func start(_ events: Events, _ callback: @escaping (Result<Events, UVError>) -> Void) throws(UVError) {
        loop.preconditionInLoop()
        self.callback = callback
        try UVError.check(
            uv_poll_start(pointer(as: uv_poll_t.self), events.rawValue) { poll, status, events in
                let owner = Handle.owner(of: poll, as: Poll.self)
                owner.callback?(
                    status < 0
                        ? .failure(UVError(code: status, operation: "uv_poll")) : .success(Events(rawValue: events)))
            }, "uv_poll_start")
    }

    /// Stops watching; `start` may be called again.
    public func stop() {
        loop.preconditionInLoop()
        uv_poll_stop(pointer(as: uv_poll_t.self))
    }

    public override func releaseCallbacks() { callback = nil }
}
