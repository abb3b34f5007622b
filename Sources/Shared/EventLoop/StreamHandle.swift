import CUV

#if canImport(Glibc)
    import Glibc
#endif

/// A connected byte stream (`uv_stream_t`: a Unix-domain or TCP connection) with reads delivered
/// as callbacks and writes queued by libuv.
///
/// `closeAfterFlush()` sends what is queued, half-closes (`uv_shutdown`) and then closes, so a
/// last error frame or HTTP response reaches the peer; `close()` drops pending writes.
public class StreamHandle: Handle {
    /// What a read produced.
    public enum ReadEvent {
        case data(UnsafeRawBufferPointer)
        case endOfFile
        case failed(UVError)
    }

    private var onRead: ((ReadEvent) -> Void)?
    private var readBuffer: UnsafeMutableRawPointer?
    static let readBufferSize = 64 * 1024

    var stream: UnsafeMutablePointer<uv_stream_t> { pointer(as: uv_stream_t.self) }

    /// Starts delivering reads to `callback` until EOF, an error, or close.
    public func startReading(_ callback: @escaping (ReadEvent) -> Void) throws(UVError) {
        loop.preconditionInLoop()
        onRead = callback
        if readBuffer == nil { readBuffer = .allocate(byteCount: Self.readBufferSize, alignment: 8) }
        try UVError.check(
            uv_read_start(
                stream,
                { handle, _, buf in
                    let me = Handle.owner(of: handle, as: StreamHandle.self)
                    buf!.pointee.base = me.readBuffer!.assumingMemoryBound(to: CChar.self)
                    buf!.pointee.len = StreamHandle.readBufferSize
                },
                { handle, nread, buf in
                    let me = Handle.owner(of: handle, as: StreamHandle.self)
                    if nread > 0 {
                        me.onRead?(.data(UnsafeRawBufferPointer(start: buf!.pointee.base, count: nread)))
                    } else if nread == Int(UV_EOF.rawValue) {
                        uv_read_stop(handle)
                        me.onRead?(.endOfFile)
                    } else if nread < 0 {
                        uv_read_stop(handle)
                        me.onRead?(.failed(UVError(code: Int32(nread), operation: "uv_read")))
                    }
                }), "uv_read_start")
    }

    /// Pauses reading (backpressure); `startReading` resumes.
    public func stopReading() {
        loop.preconditionInLoop()
        uv_read_stop(stream)
    }

    /// Queues `bytes` for writing; a failed write closes the stream.
    public func write(_ bytes: [UInt8]) {
        loop.preconditionInLoop()
        guard !isClosing, !bytes.isEmpty else { return }
        let request = WriteRequest(bytes)
        request.retainInRequest()
        let status = uv_write(request.request, stream, &request.buffer, 1) { req, status in
            let request = WriteRequest.take(req!)
            request.free()
            _ = status  // A failed write shows up as a read error or EOF on the same stream.
        }
        if status < 0 {
            WriteRequest.take(request.request).free()
            close()
        }
    }

    /// Bytes queued by libuv and not yet written: a slow reader shows here.
    public var queuedBytes: Int { uv_stream_get_write_queue_size(stream) }

    /// Flushes queued writes, half-closes, then closes.
    public func closeAfterFlush() {
        loop.preconditionInLoop()
        guard !isClosing else { return }
        let req = UnsafeMutablePointer<uv_shutdown_t>.allocate(capacity: 1)
        let status = uv_shutdown(req, stream) { req, _ in
            let handle = req!.pointee.handle!
            req!.deallocate()
            let me = Handle.owner(of: handle, as: StreamHandle.self)
            me.close()
        }
        if status < 0 {
            req.deallocate()
            close()
        }
    }

    /// The descriptor underneath, for `getsockopt`.
    var fileDescriptor: Int32? {
        var fd = uv_os_fd_t()
        return uv_fileno(uvHandle, &fd) == 0 ? fd : nil
    }

    open override func releaseCallbacks() {
        onRead = nil
        readBuffer?.deallocate()
        readBuffer = nil
    }
}

/// One `uv_write_t` with its own copy of the bytes, freed in the write callback.
private final class WriteRequest {
    let request: UnsafeMutablePointer<uv_write_t>
    var buffer: uv_buf_t
    private let storage: UnsafeMutableRawPointer

    init(_ bytes: [UInt8]) {
        let storage = UnsafeMutableRawPointer.allocate(byteCount: bytes.count, alignment: 1)
        bytes.withUnsafeBytes { storage.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
        self.storage = storage
        buffer = uv_buf_init(storage.assumingMemoryBound(to: CChar.self), UInt32(bytes.count))
        request = .allocate(capacity: 1)
    }

    /// Hands ownership to the C request until the write callback `take`s it back.
    func retainInRequest() {
        request.pointee.data = Unmanaged.passRetained(self).toOpaque()
    }

    static func take(_ req: UnsafeMutablePointer<uv_write_t>) -> WriteRequest {
        Unmanaged<WriteRequest>.fromOpaque(req.pointee.data).takeRetainedValue()
    }

    func free() {
        storage.deallocate()
        request.deallocate()
    }
}
