#ifndef CUV_PROCESS_H
#define CUV_PROCESS_H
// Process-level calls Swift cannot make directly: prctl is variadic (not imported by Swift),
// and struct ucred needs _GNU_SOURCE, so its (stable Linux ABI) layout is declared here.
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/types.h>

/// Asks the kernel to send `signal` to this process when its parent thread exits.
static inline int cuv_set_parent_death_signal(int signal) {
    return prctl(PR_SET_PDEATHSIG, (unsigned long)signal, 0UL, 0UL, 0UL);
}

/// The uid and pid of the process at the other end of a connected Unix-domain socket.
static inline int cuv_peer_credentials(int fd, uid_t *uid, pid_t *pid) {
    struct { pid_t pid; uid_t uid; gid_t gid; } cred;
    socklen_t len = sizeof(cred);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return -1;
    *uid = cred.uid;
    *pid = cred.pid;
    return 0;
}

#endif
