import CUV

#if canImport(Glibc)
    import Glibc
#endif

/// A TCP connection (`uv_tcp_t`) accepted by a ``TCPServer``.
public final class TCPStream: StreamHandle {
    init(loop: EventLoop) throws(UVError) {
        try super.init(loop: loop, type: UV_TCP, operation: "uv_tcp_init") { uv, raw in
            uv_tcp_init(uv, raw.assumingMemoryBound(to: uv_tcp_t.self))
        }
    }
}

/// A listening TCP socket: the health and metrics port.
public final class TCPServer: Handle {
    private var onAccept: ((TCPStream) -> Void)?

    /// Listens on `host:port` (port 0 picks a free one; read it back with `port`).
    public init(loop: EventLoop, host: String, port: Int, accept: @escaping (TCPStream) -> Void) throws(UVError) {
        onAccept = accept
        try super.init(loop: loop, type: UV_TCP, operation: "uv_tcp_init") { uv, raw in
            uv_tcp_init(uv, raw.assumingMemoryBound(to: uv_tcp_t.self))
        }
        do {
            var address = sockaddr_in()
            try UVError.check(uv_ip4_addr(host, Int32(port), &address), "uv_ip4_addr")
            _ = try withUnsafePointer(to: &address) { pointer throws(UVError) in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa throws(UVError) in
                    try UVError.check(uv_tcp_bind(self.pointer(as: uv_tcp_t.self), sa, 0), "uv_tcp_bind")
                }
            }
            try UVError.check(
                uv_listen(pointer(as: uv_stream_t.self), 64) { server, status in
                    Handle.owner(of: server, as: TCPServer.self).accept(status: status)
                }, "uv_listen")
        } catch {
            close()
            throw error
        }
    }

    /// The port actually bound.
    public var port: Int {
        var storage = sockaddr_storage()
        var length = Int32(MemoryLayout<sockaddr_storage>.size)
        let status = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                uv_tcp_getsockname(self.pointer(as: uv_tcp_t.self), $0, &length)
            }
        }
        guard status == 0 else { return 0 }
        return withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
        }
    }

    private func accept(status: Int32) {
        guard status >= 0, let client = try? TCPStream(loop: loop) else { return }
        guard uv_accept(pointer(as: uv_stream_t.self), client.pointer(as: uv_stream_t.self)) == 0 else {
            client.close()
            return
        }
        onAccept?(client)
    }

    public override func releaseCallbacks() { onAccept = nil }
}
