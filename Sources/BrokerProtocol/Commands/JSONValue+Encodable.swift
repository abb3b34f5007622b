import Foundation
public import KubeJSON

extension JSONValue {
    /// Any `Encodable` as a JSON value (through Foundation's encoder, so it matches what is sent).
    public static func encoded(from value: some Encodable) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
    }
}

extension JSONValue {
    /// This value as a `Decodable` type (through Foundation's decoder, as if it had been received).
    public func decoded<T: Decodable>(as type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: JSONEncoder().encode(self))
    }
}
