import CUV

#if canImport(Glibc)
    import Glibc
#endif

/// Ties a worker's life to its supervisor: the kernel sends SIGTERM when the parent dies
/// (`PR_SET_PDEATHSIG`), so no worker outlives the tree even if the supervisor is SIGKILLed.
///
/// libuv has no hook to run code in the child between fork and exec, so each worker calls
/// ``install()`` first thing in `main`; the broker socket's EOF is the second, independent line.
public enum ParentDeath {
    /// The variable the supervisor sets to its own pid for its children.
    public static let supervisorPIDVariable = "OMJOB_SUPERVISOR_PID"

    /// Arms the signal; exits at once if the supervisor already died before this ran.
    public static func install(environment: [String: String]) {
        guard let expected = environment[supervisorPIDVariable].flatMap(Int32.init) else { return }
        _ = cuv_set_parent_death_signal(SIGTERM)
        // The parent may have died between our fork and the prctl: then we were re-parented.
        if getppid() != expected { exit(0) }
    }
}
