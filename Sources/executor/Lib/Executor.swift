/// The executor role's library: its logic lives here so tests can import it; `main` only wires it up.
public enum Executor {
    /// The role name used in logs, the IPC `hello`, and metrics.
    public static let role = "executor"
}
