import Logging

/// A worker's end of the broker socket: connects, says `hello`, heartbeats, decodes what the
/// broker sends, and reports why it ended. Lives on the worker's loop thread.
///
/// Any protocol error from the broker, EOF or write failure ends the connection; a worker then
/// exits, because the supervisor (which owns the socket) is gone or sick, and restarts it.
public final class WorkerConnection {
    private let loop: EventLoop
    private let socketPath: String
    private let hello: Hello
    private let heartbeatInterval: Duration
    private var stream: UnixStream?
    private var heartbeat: LoopTimer?
    private var decoder = MessageDecoder()
    private var onMessage: ((DecodedMessage) -> Void)?
    private var onClose: ((String) -> Void)?
    /// Frames sent before the connection completed, written right after `hello`.
    private var early: [[UInt8]] = []
    private var isConnected = false

    public init(loop: EventLoop, socketPath: String, hello: Hello, heartbeatInterval: Duration) {
        self.loop = loop
        self.socketPath = socketPath
        self.hello = hello
        self.heartbeatInterval = heartbeatInterval
    }

    /// Connects and starts the conversation; `message` gets every message, `closed` the reason it ended (once).
    /// With `opaquePayloads`, commands and results arrive with their payload left in the frame's bytes.
    public func start(
        opaquePayloads: Bool = false, message: @escaping (DecodedMessage) -> Void,
        closed: @escaping (String) -> Void
    ) throws(UVError) {
        decoder = MessageDecoder(opaquePayloads: opaquePayloads)
        onMessage = message
        onClose = closed
        let stream = try UnixStream(loop: loop)
        self.stream = stream
        stream.connect(path: socketPath) { [weak self] error in
            guard let self else { return }
            if let error { return self.end("cannot connect to \(self.socketPath): \(error)") }
            self.connected()
        }
    }

    /// Sends one message (dropped once the connection ended).
    public func send(_ message: IPCMessage) { send(frame: message.frame()) }

    /// Sends one frame built elsewhere (``CommandFrame``).
    public func send(frame: [UInt8]) {
        // A pipe has no socket until uv_pipe_connect completes, so earlier writes wait here.
        guard isConnected else { return early.append(frame) }
        stream?.write(frame)
    }

    /// Closes the connection after flushing what was sent; the `closed` callback does not run.
    public func close() {
        onClose = nil
        heartbeat?.close()
        heartbeat = nil
        stream?.closeAfterFlush()
        stream = nil
    }

    private func connected() {
        isConnected = true
        send(.hello(hello))
        for frame in early { send(frame: frame) }
        early = []
        do {
            try stream?.startReading { [weak self] event in self?.read(event) }
            let timer = try LoopTimer(loop: loop)
            timer.start(after: heartbeatInterval, repeating: heartbeatInterval) { [weak self] in self?.send(.heartbeat)
            }
            heartbeat = timer
        } catch {
            end("cannot start reading: \(error)")
        }
    }

    private func read(_ event: StreamHandle.ReadEvent) {
        switch event {
        case .data(let bytes):
            do {
                for decoded in try decoder.feed(bytes) { onMessage?(decoded) }
            } catch {
                end("protocol error from broker: \(error)")
            }
        case .endOfFile:
            end("broker closed the connection")
        case .failed(let error):
            end("read failed: \(error)")
        }
    }

    private func end(_ reason: String) {
        let callback = onClose
        onMessage = nil
        close()
        callback?(reason)
    }
}
