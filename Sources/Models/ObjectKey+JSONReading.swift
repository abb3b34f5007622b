public import KubeJSON

/// How a command's routing key is read from its frame.
extension ObjectKey: JSONReadable {
    public init(reading reader: inout JSONReader) throws(JSONReadError) {
        var namespace: String?
        var name: String?
        try reader.readObject { reader, key throws(JSONReadError) in
            if key == "namespace" {
                namespace = try reader.member("namespace") { reader throws(JSONReadError) in try reader.readString() }
            } else if key == "name" {
                name = try reader.member("name") { reader throws(JSONReadError) in try reader.readString() }
            } else {
                try reader.skipValue()
            }
        }
        self.init(namespace: try namespace.required("namespace", reader), name: try name.required("name", reader))
    }
}
