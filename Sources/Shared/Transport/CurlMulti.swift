import CCurl

/// libcurl's multi interface driven by libuv, after curl's `docs/examples/multi-uv.c`:
/// libcurl tells us which sockets to watch (socket callback → `Poll`) and when to call it back
/// (timer callback → `LoopTimer`); we report readiness with `curl_multi_socket_action` and
/// drain finished transfers after every action. Context travels through CURLMOPT_SOCKETDATA /
/// TIMERDATA (an unretained pointer to self), never globals. One connection cache per multi,
/// so connections are reused, and HTTP/2 streams are multiplexed on one connection.
/// Loop-thread only: created and used inside `HTTPClient`, an actor pinned to the loop.
final class CurlMulti {
    private let multi: UnsafeMutableRawPointer
    private let loop: EventLoop
    private let timer: LoopTimer
    private var polls: [curl_socket_t: Poll] = [:]
    private var transfers: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    /// True while `timerFired` drives libcurl (see `schedule`).
    private var firing = false

    init(loop: EventLoop) throws {
        _ = curlGlobalInit
        guard let multi = curl_multi_init() else {
            throw TransportError(kind: .other, message: "curl_multi_init failed")
        }
        self.multi = multi
        self.loop = loop
        self.timer = try LoopTimer(loop: loop)
        let me = Unmanaged.passUnretained(self).toOpaque()
        ccurl_multi_setopt_socketfunction(multi) { easy, socket, what, me, _ in
            Unmanaged<CurlMulti>.fromOpaque(me!).takeUnretainedValue().watch(socket: socket, what: what)
            return 0
        }
        ccurl_multi_setopt_ptr(multi, CURLMOPT_SOCKETDATA, me)
        ccurl_multi_setopt_timerfunction(multi) { _, timeout, me in
            Unmanaged<CurlMulti>.fromOpaque(me!).takeUnretainedValue().schedule(timeoutMs: timeout)
            return 0
        }
        ccurl_multi_setopt_ptr(multi, CURLMOPT_TIMERDATA, me)
    }

    /// Number of transfers in flight.
    var activeCount: Int { transfers.count }

    /// Starts `transfer`; its callbacks fire on the loop thread until `complete`.
    func add(_ transfer: CurlTransfer) throws {
        let code = curl_multi_add_handle(multi, transfer.easy)
        guard code == CURLM_OK else {
            throw TransportError(kind: .other, message: String(cString: curl_multi_strerror(code)))
        }
        transfers[transfer.easy] = transfer
    }

    /// Lifts the pause of `transfer` (its body callback refused bytes) and drives it at once.
    ///
    /// Why not wait for libcurl: unpausing only asks for a 0 ms timer, and a paused transfer's
    /// socket is no longer polled, so that timer is all that would ever move the transfer again;
    /// driving it here makes the resume independent of it (see `timerFired`). A transfer that
    /// finished or was cancelled meanwhile is left alone.
    func resume(_ transfer: CurlTransfer) {
        guard transfers[transfer.easy] === transfer else { return }
        transfer.resume()  // may deliver the held bytes right here, and pause again
        action(socket: CURL_SOCKET_TIMEOUT, flags: 0)
    }

    /// Stops `transfer` before libcurl finished it; it completes with `.cancelled`.
    func cancel(_ transfer: CurlTransfer) {
        guard transfers.removeValue(forKey: transfer.easy) != nil else { return }
        curl_multi_remove_handle(multi, transfer.easy)
        transfer.finish(CURLE_ABORTED_BY_CALLBACK)
    }

    /// Cancels everything, closes the handles, frees the multi. The object is unusable after.
    func shutdown() {
        for transfer in Array(transfers.values) { cancel(transfer) }
        for poll in polls.values { poll.close() }
        polls = [:]
        timer.close()
        curl_multi_cleanup(multi)
    }

    // MARK: libcurl → libuv

    private func watch(socket: curl_socket_t, what: Int32) {
        if what == CURL_POLL_REMOVE {
            // libcurl is about to close the socket: stop polling it first (uv_poll's rule).
            polls.removeValue(forKey: socket)?.close()
            return
        }
        var events: Poll.Events = []
        if what & CURL_POLL_IN != 0 { events.insert(.readable) }
        if what & CURL_POLL_OUT != 0 { events.insert(.writable) }
        do {
            let poll = try polls[socket] ?? Poll(loop: loop, socket: socket)
            polls[socket] = poll
            try poll.start(events) { [unowned self] result in self.ready(socket: socket, result) }
        } catch {
            // Without a watcher libcurl would wait forever: fail the transfers on this socket
            // by telling libcurl about an error on it.
            action(socket: socket, flags: CURL_CSELECT_ERR)
        }
    }

    private func schedule(timeoutMs: Int) {
        if timeoutMs < 0 {
            timer.stop()
            return
        }
        // 0 ms means "soon, but not from inside this callback". A 0 ms libuv timer fires right after
        // this loop iteration's I/O, which is that. (multi-uv.c rounds 0 up to 1 ms, and that cost
        // every request a millisecond: strace showed `epoll_wait(…, 1)` before each `sendto`.)
        // Inside the timer's own firing it stays 1 ms: libuv 1.44 runs a timer re-armed at 0 from
        // its callback again in the same pass, so a libcurl asking for 0 each time would keep the
        // loop from ever polling.
        let delay = timeoutMs == 0 && !firing ? 0 : max(timeoutMs, 1)
        timer.start(after: .milliseconds(delay)) { [unowned self] in self.timerFired() }
    }

    /// libuv's clock is coarse and cached per loop iteration, so a timer can fire before libcurl's
    /// own clock says its deadline has come. libcurl then runs nothing and, since the next
    /// deadline is the one it already announced, does not call the timer function again: a
    /// transfer waiting only on that deadline (a paused one: its socket is not polled) would
    /// stall for ever. So after every firing, re-arm from `curl_multi_timeout` unless libcurl
    /// already set or cleared the timer itself.
    private func timerFired() {
        firing = true
        action(socket: CURL_SOCKET_TIMEOUT, flags: 0)
        firing = false
        var remaining = -1
        guard curl_multi_timeout(multi, &remaining) == CURLM_OK, remaining >= 0, !timer.isActive else { return }
        timer.start(after: .milliseconds(max(remaining, 1))) { [unowned self] in self.timerFired() }
    }

    private func ready(socket: curl_socket_t, _ result: Result<Poll.Events, UVError>) {
        var flags: Int32 = 0
        switch result {
        case .failure: flags = CURL_CSELECT_ERR
        case .success(let events):
            if events.contains(.readable) { flags |= CURL_CSELECT_IN }
            if events.contains(.writable) { flags |= CURL_CSELECT_OUT }
        }
        action(socket: socket, flags: flags)
    }

    private func action(socket: curl_socket_t, flags: Int32) {
        var running: Int32 = 0
        curl_multi_socket_action(multi, socket, flags, &running)
        drainFinished()
    }

    private func drainFinished() {
        var queued: Int32 = 0
        while let message = curl_multi_info_read(multi, &queued) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let code = message.pointee.data.result
            curl_multi_remove_handle(multi, easy)
            transfers.removeValue(forKey: easy)?.finish(code)
        }
    }
}

/// `curl_global_init` exactly once per process, before the first multi (lazy globals are
/// initialised once, thread-safely).
private let curlGlobalInit: Void = {
    curl_global_init(Int(CURL_GLOBAL_DEFAULT))
}()
