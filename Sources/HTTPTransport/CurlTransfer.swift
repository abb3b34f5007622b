import CCurl
import Foundation

/// One libcurl easy handle and its request: configures it, collects the response head, and
/// forwards body bytes. Loop-thread only (not `Sendable`); owned by `CurlMulti` while running.
final class CurlTransfer {
    /// What the owner wants to hear; each is called on the loop thread.
    struct Callbacks {
        var head: (HTTPResponseHead) -> Void
        /// Returns false to refuse the bytes for now: libcurl pauses and delivers them again
        /// after `resume()` (back-pressure for streams).
        var body: (UnsafeRawBufferPointer) -> Bool
        /// nil on success; called exactly once, last.
        var complete: (TransportError?) -> Void
    }

    let easy: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
    private var callbacks: Callbacks?
    private var headers: [String: String] = [:]
    private var headDelivered = false

    init(request: HTTPRequest, tls: TLSOptions, connectTimeout: Duration, callbacks: Callbacks) throws(TransportError) {
        guard let easy = curl_easy_init() else { throw TransportError(kind: .other, message: "curl_easy_init failed") }
        self.easy = easy
        self.callbacks = callbacks
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        try configure(request: request, connectTimeout: connectTimeout)
        try configure(tls: tls)
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    private func configure(request: HTTPRequest, connectTimeout: Duration) throws(TransportError) {
        let me = Unmanaged.passUnretained(self).toOpaque()
        try set(CURLOPT_URL, request.url)
        try set(CURLOPT_NOSIGNAL, 1)  // signals belong to the loop's SignalWatcher, not to libcurl
        try set(CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer))
        try set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))
        try set(CURLOPT_PIPEWAIT, 1)  // prefer multiplexing on an HTTP/2 connection to opening another
        try set(CURLOPT_TCP_KEEPALIVE, 1)
        try set(CURLOPT_ACCEPT_ENCODING, "")
        try set(CURLOPT_CONNECTTIMEOUT_MS, Int(connectTimeout.milliseconds))
        try set(CURLOPT_TIMEOUT_MS, Int(request.timeout?.milliseconds ?? 0))
        try check(
            ccurl_easy_setopt_write(
                easy, CURLOPT_WRITEFUNCTION,
                { data, size, count, me in
                    Unmanaged<CurlTransfer>.fromOpaque(me!).takeUnretainedValue().received(body: data, size * count)
                }))
        try set(CURLOPT_WRITEDATA, me)
        try check(
            ccurl_easy_setopt_write(
                easy, CURLOPT_HEADERFUNCTION,
                { data, size, count, me in
                    Unmanaged<CurlTransfer>.fromOpaque(me!).takeUnretainedValue().received(header: data, size * count)
                }))
        try set(CURLOPT_HEADERDATA, me)
        try configureMethod(request)
        // An empty Expect stops libcurl waiting for `100 Continue` before sending a body.
        for line in request.headers.map({ "\($0.name): \($0.value)" }) + ["Expect:"] {
            headerList = curl_slist_append(headerList, line)
        }
        try set(CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headerList))
    }

    private func configureMethod(_ request: HTTPRequest) throws(TransportError) {
        if let body = request.body {
            try check(ccurl_easy_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
            // COPYPOSTFIELDS copies, so the Data need not outlive this call.
            let code = body.withUnsafeBytes { bytes in
                let base = bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
                return ccurl_easy_setopt_ptr(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: base))
            }
            try check(code)
        }
        if request.method == "GET" && request.body == nil {
            try set(CURLOPT_HTTPGET, 1)
        } else {
            try set(CURLOPT_CUSTOMREQUEST, request.method)
        }
    }

    private func configure(tls: TLSOptions) throws(TransportError) {
        try setPEM(tls.certificateAuthority, file: CURLOPT_CAINFO, blob: CURLOPT_CAINFO_BLOB)
        try setPEM(tls.clientCertificate, file: CURLOPT_SSLCERT, blob: CURLOPT_SSLCERT_BLOB)
        try setPEM(tls.clientKey, file: CURLOPT_SSLKEY, blob: CURLOPT_SSLKEY_BLOB)
        if tls.insecureSkipVerify {
            try set(CURLOPT_SSL_VERIFYPEER, 0)
            try set(CURLOPT_SSL_VERIFYHOST, 0)
        }
    }

    private func setPEM(_ source: TLSOptions.Source?, file: CURLoption, blob: CURLoption) throws(TransportError) {
        switch source {
        case nil: return
        case .file(let path): try set(file, path)
        case .data(let data):
            try check(data.withUnsafeBytes { ccurl_easy_setopt_blob(easy, blob, $0.baseAddress, $0.count) })
        }
    }

    // MARK: libcurl callbacks

    /// One header line. Read as bytes: the names and values are ASCII (RFC 9110), and `String`'s
    /// character-wise search, `lowercased()` and Foundation's trimming cost about 40,000
    /// instructions per response (callgrind), a tenth of an executor's work per write.
    private func received(header data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        guard let data else { return count }
        let line = UnsafeRawBufferPointer(start: data, count: count).bindMemory(to: UInt8.self)
        if line.starts(with: "HTTP/".utf8) {
            headers = [:]  // a new header block (after 100 Continue or a redirect) starts over
        } else if line.allSatisfy({ $0 == 0x0D || $0 == 0x0A }) {
            deliverHeadIfFinal()
        } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            let name = String(decoding: line[..<colon].map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }, as: UTF8.self)
            let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }
            var start = colon + 1
            var end = line.count
            while start < end, isSpace(line[start]) { start += 1 }
            while end > start, isSpace(line[end - 1]) { end -= 1 }
            headers[name] = String(decoding: UnsafeBufferPointer(rebasing: line[start..<end]), as: UTF8.self)
        }
        return count
    }

    private func received(body data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        deliverHeadIfFinal()
        guard let data, let callbacks else { return count }
        return callbacks.body(UnsafeRawBufferPointer(start: data, count: count)) ? count : Int(CURL_WRITEFUNC_PAUSE)
    }

    /// Lifts a pause requested by the body callback; libcurl then redelivers the refused bytes.
    /// Call through `CurlMulti.resume`, which also drives the transfer on.
    func resume() {
        curl_easy_pause(easy, CURLPAUSE_CONT)
    }

    private func deliverHeadIfFinal() {
        guard !headDelivered else { return }
        var status = 0
        ccurl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        guard status >= 200 else { return }  // informational responses are not the answer
        headDelivered = true
        var version = 0
        ccurl_easy_getinfo_long(easy, CURLINFO_HTTP_VERSION, &version)
        let httpVersion = version == Int(CURL_HTTP_VERSION_2_0) ? "2" : "1.1"
        callbacks?.head(HTTPResponseHead(status: status, headers: headers, httpVersion: httpVersion))
    }

    /// Called once by the multi when libcurl is done with this transfer (or it was cancelled).
    func finish(_ code: CURLcode) {
        guard let callbacks else { return }
        if code == CURLE_OK { deliverHeadIfFinal() }
        self.callbacks = nil
        let detail = String(cString: errorBuffer)
        callbacks.complete(code == CURLE_OK ? nil : TransportError(curlCode: code, detail: detail))
    }

    // MARK: setopt helpers

    private func set(_ option: CURLoption, _ value: Int) throws(TransportError) {
        try check(ccurl_easy_setopt_long(easy, option, value))
    }

    private func set(_ option: CURLoption, _ value: String) throws(TransportError) {
        // libcurl copies string options (since 7.17), so a temporary C string is enough.
        try check(value.withCString { ccurl_easy_setopt_ptr(easy, option, UnsafeMutableRawPointer(mutating: $0)) })
    }

    private func set(_ option: CURLoption, _ value: UnsafeMutableRawPointer?) throws(TransportError) {
        try check(ccurl_easy_setopt_ptr(easy, option, value))
    }

    private func check(_ code: CURLcode) throws(TransportError) {
        if code != CURLE_OK { throw TransportError(curlCode: code, detail: "") }
    }
}
