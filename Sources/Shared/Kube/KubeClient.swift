import Foundation

/// The Kubernetes API client: typed calls over `HTTPClient`, errors decoded into `KubeError`,
/// transient failures retried per `RetryPolicy`.
///
/// Threading: a `Sendable` value, callable from any task. libcurl runs on the event loop
/// behind `http` (an actor pinned to the loop thread); encoding and decoding JSON happen on the
/// caller's executor (the module's async functions are `nonisolated(nonsending)` by default):
/// the informers' (Swift's pool, so a large list never stalls the loop) or the executor's driver
/// (the loop itself, so a command's write takes no thread hop).
public struct KubeClient: Sendable {
    public let configuration: ClusterConfiguration
    public let http: HTTPClient
    /// Applied to every call that does not pass its own.
    public var retry: RetryPolicy
    let tokens: TokenSource

    /// A client for `configuration` whose transfers run on the loop behind `executor`.
    public init(configuration: ClusterConfiguration, executor: LoopExecutor, retry: RetryPolicy = .standard) {
        self.configuration = configuration
        self.http = HTTPClient(executor: executor, tls: configuration.tls)
        self.retry = retry
        self.tokens = TokenSource(configuration.credentials)
    }

    /// One API request before it becomes HTTP.
    struct Call: Sendable {
        var method = "GET"
        var path: String
        var query: [(String, String)] = []
        var body: Data?
        var contentType = "application/json"
        var accept = "application/json"
        var timeout: Duration? = .seconds(30)
    }

    func httpRequest(_ call: Call) throws(KubeError) -> HTTPRequest {
        var headers: [(name: String, value: String)] = [("Accept", call.accept)]
        if call.body != nil { headers.append(("Content-Type", call.contentType)) }
        if let token = try tokens.token() { headers.append(("Authorization", "Bearer \(token)")) }
        let query = call.query.map { "\(Self.escape($0.0))=\(Self.escape($0.1))" }.joined(separator: "&")
        let url = configuration.server + call.path + (query.isEmpty ? "" : "?" + query)
        return HTTPRequest(method: call.method, url: url, headers: headers, body: call.body, timeout: call.timeout)
    }

    /// One attempt: the response body on 2xx, a `KubeError` otherwise.
    func attempt(_ call: Call) async throws(KubeError) -> Data {
        let request = try httpRequest(call)
        let response: HTTPResponse
        do {
            response = try await http.send(request)
        } catch let error as TransportError {
            throw .transport(error)
        } catch {
            throw .transport(TransportError(kind: .cancelled, message: "\(error)"))
        }
        guard (200..<300).contains(response.status) else { throw Self.apiError(response.head, body: response.body) }
        return response.body
    }

    /// Sends `call`, retrying transient failures within the policy's deadline.
    /// `onRetry` sees each error that will be retried (a create uses it to know a 409 may be its own).
    func send(_ call: Call, retry: RetryPolicy? = nil, onRetry: (KubeError) -> Void = { _ in }) async throws(KubeError)
        -> Data
    {
        let policy = retry ?? self.retry
        let clock = ContinuousClock()
        let start = clock.now
        var failures = 0
        while true {
            do {
                return try await attempt(call)
            } catch {
                failures += 1
                let decision = policy.decide(
                    error, attempt: failures, elapsed: clock.now - start, jitter: Double.random(in: 0..<1))
                guard case .retry(let delay) = decision else { throw error }
                onRetry(error)
                do { try await Task.sleep(for: delay) } catch {
                    throw .transport(TransportError(kind: .cancelled, message: "cancelled while backing off"))
                }
            }
        }
    }

    /// The error of a non-2xx response: its Status body when there is one, else a Status
    /// synthesised from the HTTP code (proxies and load balancers answer in plain text).
    static func apiError(_ head: HTTPResponseHead, body: Data) -> KubeError {
        var status = (try? JSONDecoder().decode(Status.self, from: body)) ?? Status()
        if status.code == nil { status.code = head.status }
        if status.message == nil { status.message = String(decoding: body.prefix(512), as: UTF8.self) }
        if status.reason == nil { status.reason = HTTPReason.forCode(head.status) }
        let header = head.headers["retry-after"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let seconds = header ?? status.details?.retryAfterSeconds
        return .api(status, retryAfter: seconds.map { .seconds($0) })
    }

    /// Percent-encodes a query component (selectors contain `=`, `,`, `!`).
    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: queryAllowed) ?? text
    }

    private static let queryAllowed: CharacterSet = {
        var set = CharacterSet.alphanumerics
        set.insert(charactersIn: "-._~")
        return set
    }()
}

/// The API server's reason for a bare HTTP code, when the body carried no Status.
enum HTTPReason {
    static func forCode(_ code: Int) -> String {
        switch code {
        case 400: "BadRequest"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "NotFound"
        case 405: "MethodNotAllowed"
        case 409: "Conflict"
        case 410: "Gone"
        case 422: "Invalid"
        case 429: "TooManyRequests"
        case 500: "InternalError"
        case 503: "ServiceUnavailable"
        case 504: "Timeout"
        default: "Unknown"
        }
    }
}
