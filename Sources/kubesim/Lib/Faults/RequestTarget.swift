/// What a request addresses, in the terms fault rules use: verb, resource (with subresource),
/// namespace. Parsed from the path alone so that rules also match resources that do not exist.
struct RequestTarget: Equatable {
    var verb: String
    /// `pods`, `pods/status`, … ("" for discovery paths).
    var resourcePath: String
    var namespace: String?
    /// A watch with a resourceVersion other than "" and "0" (a resume).
    var resumesWatch: Bool

    init(_ request: APIRequest) {
        var rest = request.segments
        switch rest.first {
        case "api": rest.removeFirst(min(2, rest.count))
        case "apis": rest.removeFirst(min(3, rest.count))
        default: rest = []
        }
        let namespaceSubresource = rest.count == 3 && ["status", "finalize"].contains(rest[2])
        if rest.first == "namespaces", rest.count >= 3, !namespaceSubresource {
            namespace = rest[1]
            rest.removeFirst(2)
        }
        let name = rest.count > 1 ? rest[1] : nil
        resourcePath = rest.isEmpty ? "" : (rest.count > 2 ? "\(rest[0])/\(rest[2])" : rest[0])
        let watch = request.flag("watch")
        switch request.method {
        case "GET": verb = watch ? "watch" : (name == nil ? "list" : "get")
        case "POST": verb = "create"
        case "PUT": verb = "update"
        case "PATCH": verb = "patch"
        case "DELETE": verb = name == nil ? "deletecollection" : "delete"
        default: verb = request.method.lowercased()
        }
        let rv = request.query["resourceVersion"] ?? ""
        resumesWatch = watch && !rv.isEmpty && rv != "0"
    }
}
