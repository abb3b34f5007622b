extension KubeClient {
    /// Follows a pod's log (`follow=true`): batches of lines as the container writes them, without
    /// their `\n`. The sequence ends when the server ends the stream (the container ended, or the
    /// pod went); an error answer (no such pod, container not started) is thrown as `KubeError`.
    public func followLogs(
        namespace: String, pod: String, container: String? = nil,
        podResource: ResourceType = ResourceType(group: "", version: "v1", kind: "Pod", plural: "pods")
    ) async throws(KubeError) -> LineBatches {
        var query: [(String, String)] = [("follow", "true")]
        if let container { query.append(("container", container)) }
        let call = Call(
            path: podResource.objectPath(namespace: namespace, name: pod, subresource: "log"), query: query,
            accept: "*/*", timeout: nil)
        return try await openLineStream(call)
    }
}
