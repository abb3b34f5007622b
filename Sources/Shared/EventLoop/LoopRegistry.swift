#if canImport(Glibc)
    import Glibc
#endif

/// Which `EventLoop` the calling thread owns, in thread-local storage (`pthread_key_t`), so code
/// running on the loop (an actor pinned to its executor) can find it without globals shared
/// across threads.
enum LoopRegistry {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key, nil)
        precondition(status == 0, "pthread_key_create failed: \(status)")
        return key
    }()

    static func setCurrent(_ loop: EventLoop) {
        precondition(pthread_getspecific(key) == nil, "this thread already owns an EventLoop")
        pthread_setspecific(key, Unmanaged.passUnretained(loop).toOpaque())
    }

    static func current() -> EventLoop? {
        guard let raw = pthread_getspecific(key) else { return nil }
        return Unmanaged<EventLoop>.fromOpaque(raw).takeUnretainedValue()
    }

    static func clearCurrent(ifEqualTo loop: EventLoop) {
        guard let raw = pthread_getspecific(key), raw == Unmanaged.passUnretained(loop).toOpaque() else { return }
        pthread_setspecific(key, nil)
    }
}
