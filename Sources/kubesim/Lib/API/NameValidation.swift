/// DNS-1123 name rules, with the messages of apimachinery's `validation` package.
enum NameValidation {
    static let labelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    static let subdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"

    /// Problems with `name` as a DNS-1123 label (≤63).
    static func label(_ name: String) -> [String] {
        var problems: [String] = []
        if name.utf8.count > 63 { problems.append("must be no more than 63 characters") }
        if !isLabel(name) { problems.append(labelMessage) }
        return problems
    }

    /// Problems with `name` as a path segment (what legacy core/v1 Events require).
    static func pathSegment(_ name: String) -> [String] {
        if name == "." || name == ".." { return ["may not be '\(name)'"] }
        for bad in ["/", "%"] where name.contains(bad) { return ["may not contain '\(bad)'"] }
        return []
    }

    /// Problems with `name` as a DNS-1123 subdomain (≤253).
    static func subdomain(_ name: String) -> [String] {
        var problems: [String] = []
        if name.utf8.count > 253 { problems.append("must be no more than 253 characters") }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        if name.isEmpty || !parts.allSatisfy({ isLabel(String($0)) }) { problems.append(subdomainMessage) }
        return problems
    }

    private static func isAlnum(_ b: UInt8) -> Bool { (0x61...0x7A).contains(b) || (0x30...0x39).contains(b) }

    private static func isLabel(_ s: String) -> Bool {
        let bytes = Array(s.utf8)
        guard let first = bytes.first, let last = bytes.last, isAlnum(first), isAlnum(last) else { return false }
        return bytes.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    /// Label keys (`prefix/name`) and values, for metadata.labels validation.
    static func labelValue(_ value: String) -> Bool {
        if value.isEmpty { return true }
        let bytes = Array(value.utf8)
        guard bytes.count <= 63 else { return false }
        func ok(_ b: UInt8) -> Bool { isAlnum(b) || (0x41...0x5A).contains(b) }
        guard ok(bytes.first!), ok(bytes.last!) else { return false }
        return bytes.allSatisfy {
            ok($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
        }
    }
}
