/// The gc role's library: its logic lives here so tests can import it; `main` only wires it up.
public enum GC {
    /// The role name used in logs, the IPC `hello`, and metrics.
    public static let role = "gc"
}
