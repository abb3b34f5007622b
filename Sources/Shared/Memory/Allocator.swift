#if canImport(Glibc)
    import Glibc
#endif

/// Keeps glibc's malloc from holding memory the process no longer uses.
///
/// The operator's pattern is large short-lived buffers (list pages, watch bodies, decoded whole
/// objects) beside a long-lived cache of small projections. By default glibc raises its mmap
/// threshold after each large free (up to 32 MB), so later large buffers come from the heap,
/// and the holes they leave between cache entries are never returned: with 10,000 OMJobs known
/// the tree held 168 MB (sum of PSS); with fixed thresholds, 107 MB (README, Performance).
///
/// The functions are looked up with `dlsym` because the Glibc module does not export
/// `<malloc.h>`; on a C library without them (musl) they do nothing.
public enum Allocator {
    private typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
    private typealias Trim = @convention(c) (Int) -> Int32
    /// `M_TRIM_THRESHOLD` and `M_MMAP_THRESHOLD` of `<malloc.h>`.
    private static let trimThreshold: Int32 = -1, mmapThreshold: Int32 = -3

    /// Fixes the mmap and trim thresholds at glibc's initial 128 KiB, which turns off their growth:
    /// a buffer of 128 KiB or more is mapped and unmapped on its own. Called first in each role.
    public static func useFixedThresholds() {
        guard let symbol = lookUp("mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: MallOpt.self)
        _ = mallopt(mmapThreshold, 128 * 1024)
        _ = mallopt(trimThreshold, 128 * 1024)
    }

    /// Returns the free pages of every arena to the kernel, also those between live allocations.
    /// Called rarely (after an informer's list), so the cost of walking the heap does not matter.
    public static func releaseFreeMemory() {
        guard let symbol = lookUp("malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
    }

    private static func lookUp(_ name: String) -> UnsafeMutableRawPointer? {
        #if canImport(Glibc)
            return dlsym(UnsafeMutableRawPointer(bitPattern: 0), name)
        #else
            return nil
        #endif
    }
}
