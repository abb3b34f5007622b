import Runtime

extension GCSettings {
    /// Reads overrides from the environment (names, defaults and accepted values are in
    /// ``Settings``); a bad value names the variable.
    public init(environment: [String: String]) throws(ConfigError) {
        let reader = SettingReader(environment: environment)
        self.init(
            defaultTTLSeconds: try reader.int(Settings.gcDefaultTTL),
            deleteOMJobAfterTTL: try reader.bool(Settings.gcDeleteOMJobAfterTTL),
            staleFinalizerSeconds: try reader.int(Settings.gcStaleFinalizer),
            defaultHistoryLimit: try reader.int(Settings.gcDefaultHistoryLimit))
    }
}
