import KubeJSON
import Testing

@testable import KubeSim

/// The kubelet's environment rules, as a table over the pure resolver.
@Suite struct EnvResolverTests {
    static let pod: JSONValue = [
        "metadata": ["name": "p", "namespace": "ns", "uid": "u-1", "labels": ["app": "x"]], "spec": ["nodeName": "n1"],
    ]
    static let objects: [String: JSONValue] = [
        "configmaps/cfg": ["data": ["level": "debug"]],
        "secrets/creds": ["data": ["token": "czNjcjN0"]],
    ]

    static func resolve(_ env: [JSONValue]) -> Result<[String], EnvResolver.Problem> {
        EnvResolver.resolve(pod, container: ["env": .array(env)]) { resource, name in
            objects["\(resource.resource)/\(name)"]
        }
        .map { $0.map { "\($0.0)=\($0.1)" } }
    }

    static func from(_ name: String, _ source: String, _ fields: [String: JSONValue]) -> JSONValue {
        ["name": .string(name), "valueFrom": .object([source: .object(fields)])]
    }

    static let resolvable: [(JSONValue, String)] = [
        (["name": "A", "value": "1"], "A=1"),
        (from("N", "fieldRef", ["fieldPath": "metadata.name"]), "N=p"),
        (from("NS", "fieldRef", ["fieldPath": "metadata.namespace"]), "NS=ns"),
        (from("U", "fieldRef", ["fieldPath": "metadata.uid"]), "U=u-1"),
        (from("L", "fieldRef", ["fieldPath": "metadata.labels['app']"]), "L=x"),
        (from("H", "fieldRef", ["fieldPath": "spec.nodeName"]), "H=n1"),
        (from("C", "configMapKeyRef", ["name": "cfg", "key": "level"]), "C=debug"),
        (from("S", "secretKeyRef", ["name": "creds", "key": "token"]), "S=s3cr3t"),
    ]

    @Test(arguments: resolvable)
    func resolves(_ entry: JSONValue, _ expected: String) throws {
        let values = try Self.resolve([entry]).get()
        #expect(values == [expected])
    }

    static let unresolvable: [(JSONValue, String)] = [
        (from("C", "configMapKeyRef", ["name": "nope", "key": "k"]), "configmap \"nope\" not found"),
        (from("C", "configMapKeyRef", ["name": "cfg", "key": "nokey"]), "couldn't find key nokey in ConfigMap ns/cfg"),
        (from("S", "secretKeyRef", ["name": "nope", "key": "k"]), "secret \"nope\" not found"),
    ]

    @Test(arguments: unresolvable)
    func missingReferencesAreConfigErrors(_ entry: JSONValue, _ message: String) {
        guard case .failure(let problem) = Self.resolve([entry]) else {
            Issue.record("expected a failure")
            return
        }
        #expect(problem.message == message)
    }

    @Test func optionalMissingReferencesAreSkipped() {
        let entry = Self.from("C", "configMapKeyRef", ["name": "nope", "key": "k", "optional": true])
        let values = try? Self.resolve([entry]).get()
        #expect(values == [])
    }
}
