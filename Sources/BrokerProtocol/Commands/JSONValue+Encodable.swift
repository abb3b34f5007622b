import Foundation
public import KubeJSON

extension JSONValue {
    /// Any `Encodable` as a JSON value, as it is sent (see ``JSONValueEncoder``).
    public static func encoded(from value: some Encodable) throws -> JSONValue {
        try JSONValueEncoder.encode(value)
    }
}

extension JSONValue {
    /// This value as a `Decodable` type (through Foundation's decoder, as if it had been received).
    public func decoded<T: Decodable>(as type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: JSONEncoder().encode(self))
    }
}
