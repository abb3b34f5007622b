/// The operator's version, reported by `/info` and `--version`.
public enum OperatorVersion {
    /// Semantic version of this build.
    public static let current = "0.1.0-dev"
}
