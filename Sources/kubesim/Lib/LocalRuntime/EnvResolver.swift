import Foundation
import KubeJSON

/// Builds a container's environment the way the kubelet does: literal values, and `valueFrom`
/// of `fieldRef` (metadata.name/namespace/uid, labels['k'], annotations['k'], spec.nodeName,
/// spec.serviceAccountName, status.hostIP/podIP), `configMapKeyRef` and `secretKeyRef`. A
/// missing ConfigMap, Secret or key that is not `optional` is the kubelet's
/// CreateContainerConfigError message. `resourceFieldRef` has no local meaning and is skipped.
enum EnvResolver {
    /// Why the environment cannot be built (the CreateContainerConfigError message).
    struct Problem: Error, Equatable {
        var message: String
    }

    static func resolve(_ pod: JSONValue, container: JSONValue, store: ObjectStore) -> Result<
        [(String, String)], Problem
    > {
        resolve(pod, container: container) { resource, name in
            try? store.get(resource, namespace: pod.namespace, name: name)
        }
    }

    /// The pure form: `lookup` finds a ConfigMap or Secret of the pod's namespace by name.
    static func resolve(
        _ pod: JSONValue, container: JSONValue,
        lookup: (GroupResource, String) -> JSONValue?
    ) -> Result<[(String, String)], Problem> {
        var result: [(String, String)] = []
        for entry in container["env"]?.arrayValue ?? [] {
            guard let name = entry["name"]?.stringValue else { continue }
            if let value = entry["value"]?.stringValue {
                result.append((name, value))
                continue
            }
            guard let source = entry["valueFrom"] else {
                result.append((name, ""))
                continue
            }
            do {
                if let value = try value(of: source, pod: pod, lookup: lookup) { result.append((name, value)) }
            } catch let problem as Problem {
                return .failure(problem)
            } catch {
                return .failure(Problem(message: "\(error)"))
            }
        }
        return .success(result)
    }

    private static func value(of source: JSONValue, pod: JSONValue, lookup: (GroupResource, String) -> JSONValue?)
        throws -> String?
    {
        if let path = source[path: ["fieldRef", "fieldPath"]]?.stringValue { return fieldValue(path, pod) }
        if let ref = source["configMapKeyRef"] {
            return try keyValue(ref, kind: "ConfigMap", resource: .configMaps, pod: pod, lookup: lookup)
        }
        if let ref = source["secretKeyRef"] {
            return try keyValue(ref, kind: "Secret", resource: .secrets, pod: pod, lookup: lookup)
        }
        return nil
    }

    static func fieldValue(_ path: String, _ pod: JSONValue) -> String? {
        for (prefix, map) in [("metadata.labels['", pod.labels), ("metadata.annotations['", pod.annotations)]
        where path.hasPrefix(prefix) {
            return map[String(path.dropFirst(prefix.count).dropLast(2))] ?? ""
        }
        let known = [
            "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName",
            "status.hostIP", "status.podIP",
        ]
        guard known.contains(path) else { return nil }
        return pod.fieldString(path)
    }

    private static func keyValue(
        _ ref: JSONValue, kind: String, resource: GroupResource, pod: JSONValue,
        lookup: (GroupResource, String) -> JSONValue?
    ) throws -> String? {
        let name = ref["name"]?.stringValue ?? ""
        let key = ref["key"]?.stringValue ?? ""
        let optional = ref["optional"]?.boolValue ?? false
        guard let object = lookup(resource, name) else {
            if optional { return nil }
            throw Problem(message: "\(kind.lowercased()) \"\(name)\" not found")
        }
        if let text = object[path: ["data", key]]?.stringValue {
            guard resource == .secrets else { return text }
            return Data(base64Encoded: text).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
        if let text = object[path: ["stringData", key]]?.stringValue { return text }
        if optional { return nil }
        throw Problem(message: "couldn't find key \(key) in \(kind) \(pod.namespace)/\(name)")
    }
}
