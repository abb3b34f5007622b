import CUV

#if canImport(Glibc)
    import Glibc
#endif

/// A Unix-domain stream connection (`uv_pipe_t`): the broker's sockets, both ends.
public final class UnixStream: StreamHandle {
    private var onConnect: ((UVError?) -> Void)?

    /// An unconnected pipe handle on `loop` (for `connect` or `accept`).
    public init(loop: EventLoop) throws(UVError) {
        try super.init(loop: loop, type: UV_NAMED_PIPE, operation: "uv_pipe_init") { uv, raw in
            uv_pipe_init(uv, raw.assumingMemoryBound(to: uv_pipe_t.self), 0)
        }
    }

    /// Connects to the socket at `path`; `callback` gets nil on success.
    public func connect(path: String, _ callback: @escaping (UVError?) -> Void) {
        loop.preconditionInLoop()
        onConnect = callback
        let req = UnsafeMutablePointer<uv_connect_t>.allocate(capacity: 1)
        uv_pipe_connect(req, pointer(as: uv_pipe_t.self), path) { req, status in
            let handle = req!.pointee.handle!
            req!.deallocate()
            let me = Handle.owner(of: handle, as: UnixStream.self)
            let callback = me.onConnect
            me.onConnect = nil
            callback?(status < 0 ? UVError(code: status, operation: "uv_pipe_connect") : nil)
        }
    }

    /// The peer's uid and pid (`SO_PEERCRED`), taken by the kernel at connect time.
    public func peerCredentials() -> (uid: UInt32, pid: Int32)? {
        guard let fd = fileDescriptor else { return nil }
        var uid = uid_t()
        var pid = pid_t()
        return cuv_peer_credentials(fd, &uid, &pid) == 0 ? (uid, pid) : nil
    }

    public override func releaseCallbacks() {
        onConnect = nil
        super.releaseCallbacks()
    }
}

/// A listening Unix-domain socket whose file is mode 0600 inside a 0700 directory, and which
/// accepts only peers with the server's own uid (checked with `SO_PEERCRED`).
public final class UnixServer: Handle {
    /// The socket's path.
    public let path: String
    private var onAccept: ((UnixStream) -> Void)?
    private var onRefuse: ((String) -> Void)?

    /// Binds and listens at `path`; `accept` gets each connection from our uid, `refuse` a
    /// description of each one turned away.
    public init(
        loop: EventLoop, path: String, accept: @escaping (UnixStream) -> Void,
        refuse: @escaping (String) -> Void
    ) throws(UVError) {
        self.path = path
        self.onAccept = accept
        self.onRefuse = refuse
        try super.init(loop: loop, type: UV_NAMED_PIPE, operation: "uv_pipe_init") { uv, raw in
            uv_pipe_init(uv, raw.assumingMemoryBound(to: uv_pipe_t.self), 0)
        }
        do {
            unlink(path)
            try UVError.check(uv_pipe_bind(pointer(as: uv_pipe_t.self), path), "uv_pipe_bind")
            // Nobody else can reach the socket while the directory is 0700; 0600 also covers
            // a directory created by someone less careful.
            try UVError.check(chmod(path, 0o600) == 0 ? 0 : -errno, "chmod")
            try UVError.check(
                uv_listen(pointer(as: uv_stream_t.self), 128) { server, status in
                    Handle.owner(of: server, as: UnixServer.self).accept(status: status)
                }, "uv_listen")
        } catch {
            close()
            throw error
        }
    }

    private func accept(status: Int32) {
        guard status >= 0, let client = try? UnixStream(loop: loop) else { return }
        guard uv_accept(pointer(as: uv_stream_t.self), client.pointer(as: uv_stream_t.self)) == 0 else {
            client.close()
            return
        }
        let ownUID = getuid()
        guard let peer = client.peerCredentials(), peer.uid == ownUID else {
            let who = client.peerCredentials().map { "uid \($0.uid) pid \($0.pid)" } ?? "unknown peer"
            client.close()
            onRefuse?("connection from \(who) refused: only uid \(ownUID) may connect")
            return
        }
        onAccept?(client)
    }

    public override func releaseCallbacks() {
        onAccept = nil
        onRefuse = nil
        unlink(path)
    }
}
