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

    /// Bytes malloc has handed out and not taken back, across all arenas: the live heap,
    /// without the fragmentation that RSS also counts. Read from glibc's `malloc_stats()`
    /// report ("in use bytes" of the total), captured by pointing stderr at a temporary file:
    /// mallinfo2 would be direct but <malloc.h> is not part of Swift's Glibc module.
    static var heapInUseBytes: Int {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "malloc_stats") else { return -1 }
        let path = NSTemporaryDirectory() + "client-bench-mstats-\(getpid())"
        let fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0o600)
        let saved = dup(2)
        dup2(fd, 2)
        unsafeBitCast(symbol, to: (@convention(c) () -> Void).self)()
        dup2(saved, 2)
        close(saved)
        close(fd)
        defer { unlink(path) }
        let report = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        // The last "in use bytes" line is the total over every arena.
        let last = report.split(separator: "\n").last { $0.contains("in use bytes") }
        return last.flatMap { Int($0.split(separator: "=").last?.trimmingCharacters(in: .whitespaces) ?? "") } ?? -1
    }

    static func wall<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let start = ContinuousClock.now
        let result = try body()
        let elapsed = ContinuousClock.now - start
        return (result, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }
}
