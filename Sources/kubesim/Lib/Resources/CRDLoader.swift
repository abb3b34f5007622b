import Foundation
import KubeJSON

/// Loads CustomResourceDefinitions from a directory of YAML files (`deploy/crds`), as
/// `kubectl apply -f` would: every document of kind CustomResourceDefinition is created.
public enum CRDLoader {
    /// Creates every CRD found in `*.yaml`/`*.yml` files of `directory` (sorted by file name).
    public static func load(directory: String, into store: ObjectStore) throws {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        } catch {
            throw KubeSimSetupError.invalidSetting(
                "--crds (crdDirectory)", "cannot read \(directory): \(error.localizedDescription)")
        }
        for file in files { try load(file: (directory as NSString).appendingPathComponent(file), into: store) }
    }

    /// Creates the CRDs of one YAML file; other kinds are ignored.
    public static func load(file path: String, into store: ObjectStore) throws {
        let documents: [JSONValue]
        do {
            documents = try YAMLConversion.decodeAll(try String(contentsOfFile: path, encoding: .utf8))
        } catch {
            throw KubeSimSetupError.crdFile(path, "\(error)")
        }
        for document in documents where document["kind"]?.stringValue == "CustomResourceDefinition" {
            do {
                try store.create(.customResourceDefinitions, namespace: nil, object: document)
            } catch let error as KubeAPIError {
                throw KubeSimSetupError.crdFile(path, error.message)
            }
        }
    }
}
