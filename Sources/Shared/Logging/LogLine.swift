import Logging

/// Renders one log line. Written by hand rather than with JSONEncoder because it runs for
/// every log call and the shape is fixed: strings escaped per RFC 8259, metadata flattened.
enum LogLine {
    static func render(
        time: String, level: Logger.Level, role: String, pid: Int32, message: String,
        metadata: Logger.Metadata
    ) -> String {
        var out = "{\"time\":\"\(time)\",\"level\":\"\(level.rawValue)\",\"role\":"
        appendString(role, to: &out)
        out += ",\"pid\":\(pid),\"message\":"
        appendString(message, to: &out)
        for key in metadata.keys.sorted() where !fixedKeys.contains(key) {
            out += ","
            appendString(key, to: &out)
            out += ":"
            append(SecretRedaction.isSecret(key: key) ? .string("<redacted>") : metadata[key]!, to: &out)
        }
        out += "}\n"
        return out
    }

    static let fixedKeys: Set<String> = ["time", "level", "role", "pid", "message"]

    static func append(_ value: Logger.MetadataValue, to out: inout String) {
        switch value {
        case .string(let s): appendString(s, to: &out)
        case .stringConvertible(let c): appendString(c.description, to: &out)
        case .array(let values):
            out += "["
            for (i, v) in values.enumerated() {
                if i > 0 { out += "," }
                append(v, to: &out)
            }
            out += "]"
        case .dictionary(let dict):
            out += "{"
            for (i, key) in dict.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                appendString(key, to: &out)
                out += ":"
                append(SecretRedaction.isSecret(key: key) ? .string("<redacted>") : dict[key]!, to: &out)
            }
            out += "}"
        }
    }

    static func appendString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

/// Keys whose values are never logged: bearer tokens, passwords, and the `config` env value
/// OpenMetadata puts in pod specs (it holds the server's JWT).
public enum SecretRedaction {
    public static func isSecret(key: String) -> Bool {
        let lower = key.lowercased()
        let last = lower.split(separator: ".").last.map(String.init) ?? lower
        return last == "config"
            || ["token", "password", "secret", "authorization", "credential"].contains { lower.contains($0) }
    }
}
