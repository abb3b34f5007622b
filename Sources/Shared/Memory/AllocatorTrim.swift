#if canImport(Glibc)
import Glibc
#endif

/// Returns the allocator's free memory to the kernel after a burst of short-lived allocations.
///
/// glibc's malloc keeps freed memory for reuse; after an informer's first list (thousands of
/// whole objects decoded, projected, then freed) that is tens of MB the process holds and the
/// pod's memory accounting counts, though the store is a fraction of it. `malloc_trim` gives
/// back the free pages, also those between live allocations. Called rarely (after a list), so
/// its cost (a walk of the heap) does not matter.
///
/// Looked up with `dlsym` because the Glibc module does not export `<malloc.h>`; on a C
/// library without it (musl) this does nothing.
public enum AllocatorTrim {
    private typealias Trim = @convention(c) (Int) -> Int32

    public static func releaseFreeMemory() {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
        #endif
    }
}
