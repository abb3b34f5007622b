import Foundation

/// An OpenMetadata pipeline run (`pipelines.openmetadata.org/v1`, kind OMJob).
///
/// Decoding never fails on a bad `spec` or `status`: a run with a malformed spec must still be
/// seen, so that it can be ended with a clear message (`specError`) instead of being ignored.
public struct OMJob: KubernetesObject, Hashable {
    /// Where OMJobs live in the API.
    public static let resourceType = ResourceType(
        group: "pipelines.openmetadata.org", version: "v1", kind: "OMJob", plural: "omjobs")

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    /// The decoded spec; nil when it is missing or malformed (see `specError`).
    public var spec: OMJobSpec?
    /// Why `spec` could not be decoded; never encoded.
    public var specError: String?
    /// True when a cache dropped the pod templates (`withoutPodTemplates()`); never encoded.
    public var podTemplatesDropped = false
    public var status: OMJobStatus?

    public init(metadata: ObjectMeta, spec: OMJobSpec?, status: OMJobStatus? = nil) {
        self.apiVersion = Self.resourceType.apiVersion
        self.kind = Self.resourceType.kind
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    private enum CodingKeys: String, CodingKey { case apiVersion, kind, metadata, spec, status }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try c.decodeIfPresent(String.self, forKey: .apiVersion)
        kind = try c.decodeIfPresent(String.self, forKey: .kind)
        metadata = try c.decode(ObjectMeta.self, forKey: .metadata)
        do {
            spec = try c.decodeIfPresent(OMJobSpec.self, forKey: .spec)
            if spec == nil { specError = "spec is missing" }
        } catch {
            spec = nil
            specError = SpecDecodingError.describe(error)
        }
        // The status is ours; if it is unreadable, starting over from the pods is the safe reading.
        status = try? c.decodeIfPresent(OMJobStatus.self, forKey: .status)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(apiVersion, forKey: .apiVersion)
        try c.encodeIfPresent(kind, forKey: .kind)
        try c.encode(metadata, forKey: .metadata)
        try c.encodeIfPresent(spec, forKey: .spec)
        try c.encodeIfPresent(status, forKey: .status)
    }
}

/// Turns a `DecodingError` into the sentence a user reads in `status.message`.
enum SpecDecodingError {
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "spec is invalid: \(error)" }
        switch error {
        case .typeMismatch(let type, let context):
            return "spec.\(path(context)) has the wrong type (expected \(typeName(type)))"
        case .valueNotFound(let type, let context):
            return "spec.\(path(context)) is null (expected \(typeName(type)))"
        case .keyNotFound(let key, let context):
            return "spec.\(path(context, appending: key.stringValue)) is missing"
        case .dataCorrupted(let context):
            return "spec.\(path(context)) is invalid: \(context.debugDescription)"
        @unknown default:
            return "spec is invalid"
        }
    }

    private static func path(_ context: DecodingError.Context, appending last: String? = nil) -> String {
        var parts: [String] = []
        // The path starts wherever the OMJob sits in the document (a list item, a watch event): keep
        // only what follows its `spec`.
        let specIndex = context.codingPath.firstIndex { $0.stringValue == "spec" } ?? -1
        for key in context.codingPath.dropFirst(specIndex + 1) {
            if let index = key.intValue { parts.append("[\(index)]") } else { parts.append("." + key.stringValue) }
        }
        if let last { parts.append("." + last) }
        let joined = parts.joined()
        return joined.hasPrefix(".") ? String(joined.dropFirst()) : joined
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "string"
        case is Int.Type, is Int64.Type, is Int32.Type: return "integer"
        case is Bool.Type: return "boolean"
        default:
            let name = String(describing: type)
            return name.hasPrefix("Array") ? "array" : (name.hasPrefix("Dictionary") ? "object" : name)
        }
    }
}
