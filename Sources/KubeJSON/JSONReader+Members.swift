/// Errors that name the member they are in, for readers of nested documents (a command frame:
/// `payload.action.thenPatch.status: unknown phase at byte 812`).
extension JSONReader {
    /// Reads the value of the member `name` with `body`; an error inside it gets `name` in
    /// front of its path.
    public mutating func member<T>(_ name: String, _ body: (inout JSONReader) throws(JSONReadError) -> T)
        throws(JSONReadError) -> T
    {
        do {
            return try body(&self)
        } catch {
            var error = error
            error.path.insert(name, at: 0)
            throw error
        }
    }

    /// The error for the required member `name`, missing from the object just read.
    public func missing(_ name: String) -> JSONReadError {
        JSONReadError(offset: index, message: "missing member", path: [name])
    }

    /// A string that must be one of `T`'s raw values (an enumeration's case).
    public mutating func readRawValue<T: RawRepresentable>(_ type: T.Type) throws(JSONReadError) -> T
    where T.RawValue == String {
        skipWhitespace()
        let start = index
        let text = try readString()
        guard let value = T(rawValue: text) else {
            throw JSONReadError(offset: start, message: "unknown value \"\(text)\"")
        }
        return value
    }

    /// An array of strings; null is an error (a member that is not optional).
    public mutating func readStringArray() throws(JSONReadError) -> [String] {
        var strings: [String] = []
        try readArray { reader throws(JSONReadError) in strings.append(try reader.readString()) }
        return strings
    }
}

extension Optional {
    /// The value of the required member `name`, or the error that it is missing from the
    /// object `reader` just read.
    public func required(_ name: String, _ reader: JSONReader) throws(JSONReadError) -> Wrapped {
        guard let self else { throw reader.missing(name) }
        return self
    }
}
