#if canImport(Glibc)
    import Glibc
#endif

/// A process inherits its parent's blocked-signal mask across exec; a supervisor started by a
/// runtime or test harness that blocks SIGCHLD or SIGTERM would then never see its children exit
/// nor stop on SIGTERM. Like tini, every operator process starts by unblocking everything.
public enum SignalMask {
    public static func unblockAll() {
        var none = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, nil)
    }
}
