import Testing

@testable import KubeSim

/// How fault rules see requests: verb, resource (with subresource), namespace, watch resume.
@Suite struct RequestTargetTests {
    struct Row: Sendable, CustomStringConvertible {
        var method: String
        var uri: String
        var verb: String
        var resource: String
        var namespace: String?
        var resumes = false
        var description: String { "\(method) \(uri)" }
    }

    static let rows: [Row] = [
        Row(
            method: "GET", uri: "/api/v1/namespaces/default/pods", verb: "list", resource: "pods", namespace: "default"),
        Row(method: "GET", uri: "/api/v1/pods?watch=1", verb: "watch", resource: "pods"),
        Row(
            method: "GET", uri: "/api/v1/namespaces/ns/pods?watch=true&resourceVersion=42", verb: "watch",
            resource: "pods", namespace: "ns", resumes: true),
        Row(
            method: "GET", uri: "/api/v1/namespaces/ns/pods?watch=1&resourceVersion=0", verb: "watch", resource: "pods",
            namespace: "ns"),
        Row(
            method: "GET", uri: "/api/v1/namespaces/default/pods/p/log", verb: "get", resource: "pods/log",
            namespace: "default"),
        Row(
            method: "PATCH", uri: "/apis/pipelines.openmetadata.org/v1/namespaces/x/omjobs/j/status", verb: "patch",
            resource: "omjobs/status", namespace: "x"),
        Row(
            method: "POST", uri: "/api/v1/namespaces/default/pods/p/eviction", verb: "create",
            resource: "pods/eviction", namespace: "default"),
        Row(
            method: "DELETE", uri: "/api/v1/namespaces/default/pods", verb: "deletecollection", resource: "pods",
            namespace: "default"),
        Row(method: "PUT", uri: "/api/v1/namespaces/gone/finalize", verb: "update", resource: "namespaces/finalize"),
        Row(method: "GET", uri: "/api/v1/namespaces/default", verb: "get", resource: "namespaces"),
        Row(method: "GET", uri: "/apis", verb: "list", resource: ""),
    ]

    @Test(arguments: rows)
    func parses(_ row: Row) {
        let target = RequestTarget(APIRequest(method: row.method, uri: row.uri, headers: [:], body: []))
        #expect(target.verb == row.verb)
        #expect(target.resourcePath == row.resource)
        #expect(target.namespace == row.namespace)
        #expect(target.resumesWatch == row.resumes)
    }
}
