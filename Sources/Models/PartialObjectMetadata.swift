public import KubeJSON

/// metav1.PartialObjectMetadata: an object of `Kind` as the API server answers a metadata-only
/// list or watch (asked with ``MetadataOnly/listAccept``, ``MetadataOnly/watchAccept``):
/// `kind: PartialObjectMetadata`, `apiVersion: meta.k8s.io/v1` and the object's whole
/// ObjectMeta, without its spec or status. A cache that reads only labels, owners, finalizers
/// and timestamps asks for this and gets a fraction of the bytes to read.
public struct PartialObjectMetadata<Kind: KubernetesObject>: KubernetesObject, Hashable {
    /// Listed and watched where `Kind` is.
    public static var resourceType: ResourceType { Kind.resourceType }

    public var metadata: ObjectMeta

    public init(metadata: ObjectMeta) { self.metadata = metadata }
}

/// The media types of the API server's metadata-only answers (meta.k8s.io/v1 PartialObjectMetadata).
public enum MetadataOnly {
    /// A list answered as `PartialObjectMetadataList` (v1.15+).
    public static let listAccept = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"
    /// A watch whose events carry `PartialObjectMetadata` objects (a list's type here makes
    /// v1.20 send no event at all).
    public static let watchAccept = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1"
}

extension PartialObjectMetadata: JSONReadable {
    /// Reads the object's metadata; `kind`, `apiVersion` and anything else are stepped over.
    public init(reading reader: inout JSONReader) throws(JSONReadError) {
        var metadata: ObjectMeta?
        try reader.readObject { reader, key throws(JSONReadError) in
            if key == "metadata" {
                metadata = try ObjectMeta(reading: &reader)
            } else {
                try reader.skipValue()
            }
        }
        guard let metadata else { throw reader.error("PartialObjectMetadata without metadata") }
        self.metadata = metadata
    }
}
