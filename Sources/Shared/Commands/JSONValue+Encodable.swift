import Foundation
public import KubeJSON

extension JSONValue {
    /// Any `Encodable` as a JSON value (through Foundation's encoder, so it matches what is sent).
    public static func encoded(from value: some Encodable) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
    }
}
