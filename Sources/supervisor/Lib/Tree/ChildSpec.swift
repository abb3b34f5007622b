/// Which child of the tree: a role and, for roles run more than once, an instance number.
public struct ChildID: Hashable, Sendable, CustomStringConvertible, Comparable {
    public var role: String
    public var instance: Int

    public init(role: String, instance: Int = 0) {
        self.role = role
        self.instance = instance
    }

    public var description: String { "\(role)-\(instance)" }

    public static func < (lhs: ChildID, rhs: ChildID) -> Bool { (lhs.role, lhs.instance) < (rhs.role, rhs.instance) }
}

/// When a child that exited is started again (OTP's restart types).
public enum RestartType: String, Sendable, CaseIterable {
    /// Always restarted (unless it exits 100 or 125, s6's "do not restart").
    case permanent
    /// Restarted only after an abnormal exit.
    case transient
    /// Never restarted.
    case temporary
}

/// How to run one role: OTP's child spec as data, validated before anything is spawned.
public struct ChildSpec: Sendable, Equatable {
    /// The role, also the `hello` role its processes announce.
    public var role: String
    /// Absolute path of the program.
    public var executable: String
    /// Arguments after the program name.
    public var arguments: [String]
    /// How many instances (executors: `EXECUTOR_WORKERS`).
    public var count: Int
    public var restart: RestartType
    /// How long a child gets between SIGTERM and SIGKILL at shutdown.
    public var shutdownTimeout: Duration

    public init(
        role: String, executable: String, arguments: [String] = [], count: Int = 1,
        restart: RestartType = .permanent, shutdownTimeout: Duration = .seconds(5)
    ) {
        self.role = role
        self.executable = executable
        self.arguments = arguments
        self.count = count
        self.restart = restart
        self.shutdownTimeout = shutdownTimeout
    }

    /// Every instance this spec describes, in start order.
    public var childIDs: [ChildID] { (0..<count).map { ChildID(role: role, instance: $0) } }

    /// The problems with this spec, each naming the bad field (empty when valid).
    public func problems() -> [String] {
        var problems: [String] = []
        if role.isEmpty { problems.append("child spec: role is empty") }
        if !executable.hasPrefix("/") {
            problems.append("child spec \(role): executable \"\(executable)\" is not an absolute path")
        }
        if count < 1 { problems.append("child spec \(role): count \(count) is below 1") }
        if shutdownTimeout < .zero { problems.append("child spec \(role): shutdownTimeout is negative") }
        return problems
    }
}
