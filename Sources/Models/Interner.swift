/// Shares one storage among equal values kept by an informer's store.
///
/// Why: a cache of thousands of objects repeats the same label keys and values, finalizer
/// lists, condition lists, pod templates and timestamps in every object, and each decoded copy
/// of a string longer than 15 UTF-8 bytes, an array or a dictionary is its own heap
/// allocation. Returning the first instance of each equal value turns the copies into
/// reference-counted shares of one buffer (copy-on-write keeps that safe). With 30,000
/// objects this is the difference between missing and meeting the store's memory budget
/// (see client-bench).
public struct Interner: Sendable {
    private var pools: [ObjectIdentifier: any Sendable] = [:]
    /// Strings apart: most interned values are strings, and their own set spares each one the
    /// pools' look-up, boxing and casts (a third of what a watch event cost the informers to intern).
    private var strings: Set<String> = []
    /// Distinct values held, over all types.
    public private(set) var count = 0

    public init() {}

    /// The shared instance equal to `value`, stored on first sight.
    public mutating func intern<T: Hashable & Sendable>(_ value: T) -> T {
        if T.self == String.self {
            return unsafeBitCast(intern(string: unsafeBitCast(value, to: String.self)), to: T.self)
        }
        let id = ObjectIdentifier(T.self)
        // Taking the pool out of the dictionary leaves it uniquely referenced, so the insert
        // below does not copy it.
        var pool = pools.removeValue(forKey: id) as? Set<T> ?? []
        defer { pools[id] = pool }
        if let index = pool.firstIndex(of: value) { return pool[index] }
        pool.insert(value)
        count += 1
        return value
    }

    /// The shared instance equal to `string`.
    public mutating func intern(string: String) -> String {
        // Small strings live inline in the String value: nothing to share.
        guard string.utf8.count > 15 else { return string }
        if let index = strings.firstIndex(of: string) { return strings[index] }
        strings.insert(string)
        count += 1
        return string
    }

    public mutating func intern<T: Hashable & Sendable>(_ value: T?) -> T? {
        value.map { intern($0) }
    }

    /// A dictionary of strings with every key and value shared (the dictionary itself is
    /// usually unique per object, e.g. labels naming the object).
    public mutating func intern(labels: [String: String]?) -> [String: String]? {
        guard let labels else { return nil }
        var shared: [String: String] = [:]
        shared.reserveCapacity(labels.count)
        for (key, value) in labels { shared[intern(string: key)] = intern(string: value) }
        return shared
    }
}

extension ObjectMeta {
    /// This metadata with every value that repeats across objects shared through `interner`
    /// (name and uid are unique per object and left alone).
    public func interned(_ interner: inout Interner) -> ObjectMeta {
        var meta = self
        meta.namespace = interner.intern(namespace)
        meta.creationTimestamp = interner.intern(creationTimestamp)
        meta.deletionTimestamp = interner.intern(deletionTimestamp)
        meta.labels = interner.intern(labels: labels)
        meta.annotations = interner.intern(labels: annotations)
        meta.finalizers = interner.intern(finalizers)
        meta.ownerReferences = ownerReferences?.map { owner in
            var owner = owner
            owner.apiVersion = interner.intern(owner.apiVersion)
            owner.kind = interner.intern(owner.kind)
            return owner
        }
        return meta
    }
}
