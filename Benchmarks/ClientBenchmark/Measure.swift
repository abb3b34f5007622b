import Foundation

/// Process CPU time, peak RSS and heap in use, from getrusage and mallinfo2.
enum Measure {
    /// User + system CPU seconds of this process so far.
    static var cpuSeconds: Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Peak resident set size in MB (ru_maxrss is in KiB on Linux).
    static var peakRSSMB: Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    /// Resident bytes now, after giving freed heap back to the OS (malloc_trim), so that a
    /// difference of two readings is what the objects alive in between really cost.
    /// (mallinfo2 would be exact but <malloc.h> is not in Swift's Glibc module; malloc_trim
    /// is looked up with dlsym for the same reason.)
    static var residentBytes: Int {
        if let trim = dlsym(dlopen(nil, RTLD_NOW), "malloc_trim") {  // the process image, where libc lives
            _ = unsafeBitCast(trim, to: (@convention(c) (Int) -> Int32).self)(0)
        }
        let statm = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8)) ?? ""
        let pages = statm.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    static func wall<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let start = ContinuousClock.now
        let result = try body()
        let elapsed = ContinuousClock.now - start
        return (result, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
}
