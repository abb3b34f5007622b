import CUV

/// A libuv call that returned a negative status: the code, its symbolic name and the call that failed.
public struct UVError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The negative libuv status (`UV_ECONNREFUSED`, …).
    public var code: Int32
    /// The libuv function that failed, e.g. `uv_poll_init_socket`.
    public var operation: String

    public init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
    }

    /// `ECONNREFUSED`-style name from libuv.
    public var name: String { String(cString: uv_err_name(code)) }

    public var description: String { "\(operation): \(name) (\(String(cString: uv_strerror(code))))" }

    /// Throws when `status` is a libuv error; returns it otherwise (some calls return counts).
    @discardableResult
    static func check(_ status: Int32, _ operation: String) throws(UVError) -> Int32 {
        if status < 0 { throw UVError(code: status, operation: operation) }
        return status
    }
}
