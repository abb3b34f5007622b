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

/// A write to a socket whose peer is gone (a worker just killed, a connection the server reset)
/// must be an error the writer handles (EPIPE), not SIGPIPE, whose default action ends the
/// process: a supervisor that stops its executors on losing the lead writes to their sockets
/// before it reads their end. Every operator process ignores it.
public enum BrokenPipe {
    public static func ignore() {
        signal(SIGPIPE, SIG_IGN)
    }
}
