import CUV

/// Base of every libuv handle wrapper: one Swift object per `uv_handle_t`, which owns the C memory
/// and frees it only in the close callback (libuv `handle.rst`: memory must outlive `uv_close`).
///
/// Ownership: the loop's registry holds the strong reference while the handle is open, so a
/// handle lives until `close()` completes even if its creator drops it; `data` points back here
/// unretained. Subclasses (Timer, Poll, SignalWatcher, and later Process and streams) only:
/// 1. call `super.init(loop:type:) { raw in uv_xxx_init(loop, raw, …) }`,
/// 2. recover themselves in C callbacks with `Handle.owner(of:)`,
/// 3. override `releaseCallbacks()` to drop closures (which breaks retain cycles) when closed.
/// Handles are not `Sendable`: they stay on the loop thread that created them.
open class Handle {
    /// The loop this handle belongs to; the loop outlives it (its registry keeps the handle alive).
    public unowned let loop: EventLoop
    /// The C handle; typed views come from `pointer(as:)`.
    public let raw: UnsafeMutableRawPointer
    /// True once `close()` was called; the memory is freed when the close callback runs.
    public private(set) var isClosing = false
    private var closeCallbacks: [() -> Void] = []

    /// Allocates the C handle and initialises it with `initialize` (a `uv_xxx_init` call).
    /// - Parameter closeOnFailure: true for calls that leave the handle initialised even when
    ///   they fail (`uv_spawn`), so the memory must still go through `uv_close`.
    public init(
        loop: EventLoop, type: uv_handle_type, operation: String, closeOnFailure: Bool = false,
        initialize: (UnsafeMutablePointer<uv_loop_t>, UnsafeMutableRawPointer) -> Int32
    ) throws(UVError) {
        loop.preconditionInLoop()
        let size = uv_handle_size(type)
        raw = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        self.loop = loop
        let status = initialize(loop.uv, raw)
        guard status >= 0 else {
            if closeOnFailure {
                uv_close(raw.assumingMemoryBound(to: uv_handle_t.self)) { $0?.deallocate() }
            } else {
                raw.deallocate()
            }
            throw UVError(code: status, operation: operation)
        }
        uvHandle.pointee.data = Unmanaged.passUnretained(self).toOpaque()
        loop.register(self)
    }

    /// The generic handle view.
    public var uvHandle: UnsafeMutablePointer<uv_handle_t> { raw.assumingMemoryBound(to: uv_handle_t.self) }

    /// A typed view (`uv_timer_t`, `uv_poll_t`, …) of the same memory.
    public func pointer<T>(as type: T.Type) -> UnsafeMutablePointer<T> { raw.assumingMemoryBound(to: type) }

    /// The Swift object behind a C handle pointer, for use inside C callbacks.
    public static func owner<T: Handle>(of handle: UnsafeMutableRawPointer?, as type: T.Type) -> T {
        let base = handle!.assumingMemoryBound(to: uv_handle_t.self)
        return Unmanaged<Handle>.fromOpaque(base.pointee.data).takeUnretainedValue() as! T
    }

    /// Starts closing; `then` runs once libuv has released the handle. Idempotent.
    public func close(then: (() -> Void)? = nil) {
        loop.preconditionInLoop()
        if let then { closeCallbacks.append(then) }
        guard !isClosing else { return }
        isClosing = true
        uv_close(uvHandle) { raw in
            Handle.owner(of: raw, as: Handle.self).didClose()
        }
    }

    /// Lets the loop exit while this handle is still open (`uv_unref`).
    public func unref() { uv_unref(uvHandle) }

    /// Makes this handle keep the loop alive again (`uv_ref`).
    public func ref() { uv_ref(uvHandle) }

    /// Subclasses drop their stored closures here; called once, after libuv let go of the handle.
    open func releaseCallbacks() {}

    private func didClose() {
        releaseCallbacks()
        let callbacks = closeCallbacks
        closeCallbacks = []
        raw.deallocate()
        loop.unregister(self)  // may release the last reference: touch nothing of self after this
        for callback in callbacks { callback() }
    }
}
