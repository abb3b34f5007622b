import Models

/// Highest-random-weight hashing: each key goes to the node with the highest score, so when a
/// node leaves only its keys move, and they come back when it returns.
///
/// FNV-1a, not Swift's `Hasher`: Hasher is seeded per process, and tests want a fixed mapping.
enum RendezvousHash {
    static func score(key: ObjectKey, node: Int) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        key.namespace.utf8.forEach(mix)
        mix(0x2f)
        key.name.utf8.forEach(mix)
        mix(0)
        withUnsafeBytes(of: Int64(node).littleEndian) { $0.forEach(mix) }
        // A final avalanche (splitmix64) so nearby node numbers do not give correlated scores.
        hash ^= hash >> 30
        hash &*= 0xbf58_476d_1ce4_e5b9
        hash ^= hash >> 27
        hash &*= 0x94d0_49bb_1331_11eb
        return hash ^ (hash >> 31)
    }
}
