import KubeJSON

/// The set of served resource types, built-in plus one per established CRD.
/// Value type: the store swaps it whole when a CRD changes, so readers never see half an update.
struct ResourceRegistry: Sendable {
    private(set) var types: [GroupResource: ResourceType] = [:]

    init() {
        for type in ResourceType.builtins { types[type.groupResource] = type }
    }

    subscript(_ key: GroupResource) -> ResourceType? { types[key] }

    /// The type served at `/api(s)/<group>/<version>/<plural>`, if that version is served.
    func lookup(group: String, version: String, plural: String) -> ResourceType? {
        guard let type = types[GroupResource(group: group, resource: plural)], type.versions.contains(version) else {
            return nil
        }
        return type
    }

    mutating func register(_ type: ResourceType) { types[type.groupResource] = type }
    mutating func unregister(_ key: GroupResource) { types[key] = nil }

    /// Group name → served versions (preferred first), core group excluded, sorted by group name
    /// with built-in groups first as the real server orders them.
    var groups: [(name: String, versions: [String])] {
        var byGroup: [String: [String]] = [:]
        for type in types.values where !type.group.isEmpty {
            var versions = byGroup[type.group] ?? []
            for v in type.versions where !versions.contains(v) { versions.append(v) }
            byGroup[type.group] = versions
        }
        return byGroup.keys.sorted().map { ($0, byGroup[$0]!) }
    }

    /// Types served in one group version, sorted by plural.
    func types(group: String, version: String) -> [ResourceType] {
        types.values.filter { $0.group == group && $0.versions.contains(version) }.sorted { $0.plural < $1.plural }
    }
}
