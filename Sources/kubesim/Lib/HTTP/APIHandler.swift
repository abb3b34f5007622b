import KubeJSON
import NIOCore

/// What a fault-injection hook may do with a request before kubesim serves it.
public enum InterceptAction: Sendable {
    /// Answer with this error (e.g. 429 with Retry-After, 500, 410).
    case respond(KubeAPIError)
    /// Drop the TCP connection without answering.
    case closeConnection
    /// Answer with this status and JSON body (kubesim's control endpoints).
    case reply(Int, JSONValue)
    /// Serve normally after a delay.
    case delay(milliseconds: Int)
    /// Reset the connection (TCP RST) without answering.
    case reset
    /// Serve normally; a watch is cut (connection dropped) after N events or seconds.
    case cutWatch(afterEvents: Int?, afterSeconds: Double?)
    /// Answer a watch with 200 and one ERROR event carrying this Status (forced 410 on resume).
    case watchGone(KubeAPIError)
    /// Serve normally, trickling the response out a few bytes at a time.
    case slowLoris(chunkBytes: Int, intervalMilliseconds: Int)
}

/// A hook run on every authenticated request; nil lets the request through.
public typealias RequestInterceptor = @Sendable (APIRequest) -> InterceptAction?

/// The API server's request logic, independent of the transport: authentication, routing,
/// body decoding, and the verbs of every route. Returns an `APIResponse` for the connection
/// handler to write.
struct APIHandler: Sendable {
    let store: ObjectStore
    let token: String?
    let serverAddress: String
    /// How often watches that allow bookmarks get one.
    let bookmarkInterval: TimeAmount

    func handle(_ request: APIRequest) -> APIResponse {
        if let token, request.headers["authorization"] != "Bearer \(token)" { return .error(.unauthorized) }
        do {
            let registry = store.registrySnapshot()
            switch APIRouter.route(request.segments, registry: registry) {
            case .resource(let route): return try handleResource(route, request)
            case .selfSubjectAccessReview:
                // kubesim has one identity, allowed everything (the real server answers from RBAC).
                guard request.method == "POST" else { return .error(.methodNotAllowed) }
                var review = try decodeBody(request, kind: "SelfSubjectAccessReview")
                review["status"] = ["allowed": true]
                return .json(201, review)
            case .notFound: return .error(.notFoundPath())
            case let other:
                guard request.method == "GET" else { return .error(.methodNotAllowed) }
                return Discovery.respond(
                    other, registry: registry, serverAddress: serverAddress, accept: request.headers["accept"] ?? "")
            }
        } catch let error as KubeAPIError {
            return .error(error)
        } catch {
            return .error(.internalError("\(error)"))
        }
    }

    /// Decodes a JSON (or YAML) request body; 415 for other media types, 400 for bad syntax.
    func decodeBody(
        _ request: APIRequest, accepting types: Set<String> = ["", "application/json", "*/*"], kind: String? = nil
    ) throws -> JSONValue {
        let contentType = request.contentType
        if contentType == "application/yaml" {
            do { return try YAMLConversion.decode(String(decoding: request.body, as: UTF8.self)) } catch {
                throw KubeAPIError.badRequest("error converting YAML to JSON: \(error)")
            }
        }
        if contentType == ProtobufBody.mediaType, let namespace = ProtobufBody.decodeNamespace(request.body) {
            return namespace
        }
        guard types.contains(contentType) else { throw KubeAPIError.unsupportedMediaType(contentType) }
        do {
            return try JSONValue(parsing: request.body, options: .goCompatible)
        } catch {
            let prefix = kind.map { "the object provided is unrecognized (must be of type \($0)): " } ?? ""
            throw KubeAPIError.badRequest(prefix + "couldn't get version/kind; json parse error: \(error.message)")
        }
    }
}
