import KubeJSON

/// Decodes the one protobuf body kubectl sends to kubesim's resources: `kubectl create
/// namespace` posts a `v1.Namespace` as `application/vnd.kubernetes.protobuf`.
///
/// Why by hand: kubesim serves JSON; no listed library decodes Kubernetes' protobuf envelope
/// without generated types, and only ObjectMeta's name/generateName/labels/annotations of a
/// Namespace are needed. Any other protobuf body is answered 415, as before.
enum ProtobufBody {
    static let mediaType = "application/vnd.kubernetes.protobuf"
    private static let magic: [UInt8] = [0x6B, 0x38, 0x73, 0x00]

    /// The JSON form of a protobuf Namespace, or nil when the body is something else.
    static func decodeNamespace(_ bytes: [UInt8]) -> JSONValue? {
        guard bytes.count > 4, Array(bytes[0..<4]) == magic else { return nil }
        let unknown = fields(ArraySlice(bytes[4...]))
        guard let typeMeta = unknown[1]?.first, let raw = unknown[2]?.first else { return nil }
        let meta = fields(typeMeta)
        guard string(meta[2]?.first) == "Namespace" else { return nil }
        let namespace = fields(raw)
        var metadata: [String: JSONValue] = [:]
        if let objectMeta = namespace[1]?.first {
            let m = fields(objectMeta)
            if let name = string(m[1]?.first) { metadata["name"] = .string(name) }
            if let generateName = string(m[2]?.first) { metadata["generateName"] = .string(generateName) }
            if let labels = m[11] { metadata["labels"] = map(labels) }
            if let annotations = m[12] { metadata["annotations"] = map(annotations) }
        }
        return ["apiVersion": "v1", "kind": "Namespace", "metadata": .object(metadata)]
    }

    private static func map(_ entries: [ArraySlice<UInt8>]) -> JSONValue {
        var result: [String: JSONValue] = [:]
        for entry in entries {
            let kv = fields(entry)
            if let key = string(kv[1]?.first) { result[key] = .string(string(kv[2]?.first) ?? "") }
        }
        return .object(result)
    }

    private static func string(_ bytes: ArraySlice<UInt8>?) -> String? {
        bytes.map { String(decoding: $0, as: UTF8.self) }
    }

    /// Length-delimited fields by number (varint and fixed fields are skipped).
    private static func fields(_ bytes: ArraySlice<UInt8>) -> [Int: [ArraySlice<UInt8>]] {
        var result: [Int: [ArraySlice<UInt8>]] = [:]
        var index = bytes.startIndex
        while index < bytes.endIndex {
            guard let key = varint(bytes, &index) else { break }
            switch key & 7 {
            case 0: guard varint(bytes, &index) != nil else { return result }
            case 1: index += 8
            case 5: index += 4
            case 2:
                guard let length = varint(bytes, &index), index + Int(length) <= bytes.endIndex else { return result }
                result[Int(key >> 3), default: []].append(bytes[index..<index + Int(length)])
                index += Int(length)
            default: return result
            }
        }
        return result
    }

    private static func varint(_ bytes: ArraySlice<UInt8>, _ index: inout Int) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.endIndex, shift < 64 {
            let byte = bytes[index]
            index += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        return nil
    }
}
