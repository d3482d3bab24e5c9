/*
 * proc-server's protocol (see docs/protocols/proc.md). Requests come on a
 * process's session endpoint, whose badge names the process.
 */
#ifndef CAPSULE_PROTOCOL_PROC_H
#define CAPSULE_PROTOCOL_PROC_H

#include <stdint.h>

#include "protocol/server.h"

enum {
    /* MR0 = the wait(2) status word the process ends with. No reply. */
    PROC_EXIT = 0x100,
    /* Reply: the caller's PID (or parent's), in its own scope's numbering. */
    PROC_GETPID = 0x101,
    PROC_GETPPID = 0x102,
    /* MR0 = pid selector as wait4(2), MR1 = options (WNOHANG).
     * Reply: MR0 = the PID reaped (0 with WNOHANG and none ready) or -errno,
     * MR1 = its status, MR2 and MR3 = a reaped child's user and system CPU
     * time in nanoseconds, its waited-for children's included (0 for a
     * stop or continue report); as PROC_CPU_TIMES. */
    PROC_WAIT4 = 0x103,
    /* No fields: proc-server copies the caller's address space, capabilities
     * and registers while it waits. Reply: the child's PID; the child starts
     * at the runtime's fork_child entry. */
    PROC_FORK = 0x104,
    /* MR0 = bytes of the packed path, argv and envp (proc-server/exec_args.h)
     * lent as descriptor 0. No reply on success: the caller's image is
     * replaced. -errno to the old image otherwise. */
    PROC_EXEC = 0x105,
    /* desc 0 = a struct utsname (DESC_WRITE), filled from the caller's
     * hostname context. */
    PROC_UNAME = 0x106,
    /* MR0 = length; desc 0 = the name (DESC_READ). -EINVAL past 64 bytes. */
    PROC_SETHOSTNAME = 0x107,
    PROC_SETDOMAINNAME = 0x108,
    /* As setpgid(2), getpgid(2), setsid(2), getsid(2): MR0 pid, MR1 pgid. */
    PROC_SETPGID = 0x109,
    PROC_GETPGID = 0x10a,
    PROC_SETSID = 0x10b,
    PROC_GETSID = 0x10c,
    /* MR0 = pid selector as kill(2), MR1 = signal. */
    PROC_KILL = 0x10d,
    /* waitid(2): MR0 = idtype (P_ALL, P_PID, P_PGID), MR1 = id, MR2 =
     * options (WEXITED, WSTOPPED, WCONTINUED, WNOHANG, WNOWAIT). Reply as
     * PROC_WAIT4: MR0 = the child's PID (0 with WNOHANG and none ready) or
     * -errno, MR1 = its wait status, from which the caller fills siginfo. */
    PROC_WAITID = 0x10e,
    /* brk(2): MR0 = the break asked for (below the heap's start, as 0: none,
     * only asks). Reply: the break after it, moved or not. The heap's pages
     * are mapped on first touch (proc-server/heap.h). */
    PROC_BRK = 0x110,
    /* MR0 magic, MR1 magic2, MR2 command: reboot(2)'s arguments. Only an
     * unjailed process of the root scope; RB_POWER_OFF and RB_HALT_SYSTEM
     * end the machine (no reply), RB_AUTOBOOT restarts it. */
    PROC_REBOOT = 0x120,
    /* prctl(PR_SET_NAME): MR0 length (at most 15); desc 0 = its bytes
     * (DESC_READ). The process's comm becomes them. */
    PROC_SET_COMM = 0x130,
    /* prctl(PR_GET_NAME): desc 0 = 16 bytes (DESC_WRITE): comm, NUL-padded */
    PROC_GET_COMM = 0x131,
    /* MR0 = a system call number the caller's runtime answered -ENOSYS.
     * Logged (caller's PID and comm, the number) when the kernel command
     * line holds posix.log_enosys, at a limited rate; otherwise ignored.
     * Reply 0. The runtime sends each number once per process. */
    PROC_LOG_ENOSYS = 0x132,
    /* No fields. Reply: MR0 = 0, MR1 and MR2 = the caller's user and
     * system CPU time, MR3 and MR4 = those of the children it waited for
     * (theirs included), all in nanoseconds. User time is what the
     * process's threads ran, system time what servers ran serving its
     * calls; both are sampled by the kernel's 1 ms tick. */
    PROC_CPU_TIMES = 0x133,

    /* Scopes, hostname contexts, jail and spawn (docs/protocols/proc.md).
     * On the session: */
    /* Creates a sub-scope of the caller's scope. MR0 = process limit (0:
     * none). Reply: MR0 = handle (an index into the caller's own handle
     * table), one capability (to the caller's recv_slot) naming the scope
     * with every PROC_SCOPE_RIGHT_*. -EPERM when jailed. */
    PROC_SCOPE_CREATE = 0x140,
    /* Creates a hostname context with a copy of the caller's names. Reply as
     * PROC_SCOPE_CREATE, rights PROC_HOSTNAME_RIGHT_*. -EPERM when jailed. */
    PROC_HOSTNAME_CREATE = 0x141,
    /* Sets the caller's jail flag (set once, inherited over fork and exec). */
    PROC_JAIL = 0x142,
    /* MR0 = bytes of the packed path, argv and envp (as PROC_EXEC) lent as
     * descriptor 0; MR1 = the caller's descriptors to give the child as its
     * 0, 1, 2: 16 bits each (PROC_SPAWN_FDS), PROC_SPAWN_NO_FD for none;
     * MR2 = scope handle or PROC_NO_HANDLE (the caller's scope); MR3 =
     * hostname handle or PROC_NO_HANDLE (the caller's context). Reply: the
     * child's PID in the caller's numbering; the child is the caller's. */
    PROC_SPAWN = 0x143,
    /* linux.namespaces[].path (docs/runc.md): MR0 = a PID in the caller's
     * numbering, of a process in a container below the caller's scope (not
     * in the caller's own scope: -EPERM; not visible or a zombie: -ESRCH).
     * SCOPE_JOIN: a new joined container record (owned by the caller,
     * being created) whose processes live in that process's scope; reply as
     * PROC_SCOPE_CREATE. HOSTNAME_JOIN: a handle on that process's hostname
     * context, rights PROC_HOSTNAME_RIGHTS_ALL. -EPERM when jailed, first. */
    PROC_SCOPE_JOIN = 0x144,
    PROC_HOSTNAME_JOIN = 0x145,

    /* On an object capability (its badge names the holder and a handle): */
    /* MR0 = rights to keep. Reply: MR0 = a new handle, a new capability
     * with rights & MR0. */
    PROC_OBJ_RESTRICT = 0x148,
    /* Drops the handle: this capability (and any copy of it) names nothing
     * any more. Reply 0. */
    PROC_OBJ_CLOSE = 0x14d,
    /* Scope: a sub-scope (PROC_SCOPE_RIGHT_CREATE); MR0 limit, reply as
     * PROC_SCOPE_CREATE. */
    PROC_SCOPE_SUBSCOPE = 0x149,
    /* Scope: MR0 = room (ints), desc 0 = an int array (DESC_WRITE). Reply:
     * how many PIDs (the holder's numbering) the scope and its sub-scopes
     * hold; as many as fit are copied (PROC_SCOPE_RIGHT_LIST). */
    PROC_SCOPE_LIST = 0x14a,
    /* Scope: MR0 = signal, sent to every live process of the scope and its
     * sub-scopes (PROC_SCOPE_RIGHT_KILL). Reply: how many got it. */
    PROC_SCOPE_KILL = 0x14b,
    /* Scope: MR0 = limit (0: none) (PROC_SCOPE_RIGHT_LIMIT). */
    PROC_SCOPE_SET_LIMIT = 0x14c,
    /* Scope: MR0 = memory ceiling in bytes (0: none), from which its
     * processes' memory comes (PROC_SCOPE_RIGHT_LIMIT). Only while the scope
     * has no process: -EBUSY; -EINVAL below 1 MiB or above the ceiling of
     * the pool it is split from. */
    PROC_SCOPE_SET_MEMORY = 0x14e,
    /* Scope: the bytes its memory pool holds now, its processes' and its
     * sub-scopes' included (PROC_SCOPE_RIGHT_LIST); -ENODATA without one. */
    PROC_SCOPE_MEMORY_USAGE = 0x14f,
    /* Hostname context: MR0 = length, desc 0 = the name (DESC_READ);
     * PROC_HOSTNAME_RIGHT_SET. */
    PROC_HOSTNAME_SET = 0x150,
    PROC_HOSTNAME_SET_DOMAIN = 0x151,
    /* Hostname context: MR0 = 0 hostname, 1 domain name; desc 0 = a buffer
     * of at least 65 bytes (DESC_WRITE). Reply: the length (the copy is
     * NUL-terminated). PROC_HOSTNAME_RIGHT_GET. */
    PROC_HOSTNAME_GET = 0x152,

    /* Containers: a scope entered in its parent's registry under an ID
     * (docs/protocols/proc.md "Containers"). On a scope capability
     * (PROC_SCOPE_RIGHT_MANAGE): */
    /* MR0, MR1, MR2 = bytes of the ID (desc 0), the bundle path (desc 1)
     * and the runtime's own record (desc 2, at most PROC_CONTAINER_META_MAX;
     * 0: none). The scope must be the holder's own creation, still being
     * created; it leaves its creator's hands and lives on in the registry
     * of its parent scope, state "created". */
    PROC_CONTAINER_REGISTER = 0x158,
    /* The container's processes get the debug capability (annotation
     * org.capsule.debug), unless jailed: only while the scope is being
     * created, and only by a holder that may debug itself. */
    PROC_CONTAINER_ALLOW_DEBUG = 0x157,
    /* created -> running: the PID 1 spawned suspended starts. */
    PROC_CONTAINER_START = 0x159,
    /* MR0 = room (bytes), desc 0 (DESC_WRITE): a proc_container_info_t
     * then the ID, the bundle and the record, each NUL-terminated. Reply:
     * the bytes of the whole answer (copied only when it fits). */
    PROC_CONTAINER_INFO = 0x15a,
    /* MR0 = signal (1-64), MR1 = 1 to every process of the container, 0
     * to its PID 1 only. -ESRCH once stopped. */
    PROC_CONTAINER_KILL = 0x15b,
    /* MR0 = 1 (force): a container not stopped is killed first. The record
     * goes from the registry; the handle names a deleted scope after. */
    PROC_CONTAINER_DELETE = 0x15c,
    /* On the session: */
    /* MR0 = bytes of an ID (desc 0). Reply: a handle and capability (every
     * right) for the container of that ID in the caller's scope's registry. */
    PROC_CONTAINER_OPEN = 0x15d,
    /* MR0 = room (bytes), desc 0 (DESC_WRITE): the IDs of the caller's
     * scope's registry, each NUL-terminated, in creation order. Reply: the
     * bytes of the whole list (copied only when it fits). */
    PROC_CONTAINER_LIST = 0x15e,
};

/* PROC_CONTAINER_INFO's fixed part. */
typedef struct {
    uint32_t state;      /* PROC_CONTAINER_CREATED ... */
    int32_t pid;         /* its PID 1 in the holder's numbering; 0: none (stopped) */
    int32_t exit_status; /* PID 1's wait status once stopped */
    uint32_t processes;  /* processes of the scope and below, zombies too */
    uint64_t created_ns; /* CLOCK_REALTIME at registration */
    uint32_t id_len;     /* the strings that follow, NUL excluded */
    uint32_t bundle_len;
    uint32_t meta_len;
    uint32_t reserved;
} proc_container_info_t;

enum {
    PROC_CONTAINER_CREATING,
    PROC_CONTAINER_CREATED,
    PROC_CONTAINER_RUNNING,
    PROC_CONTAINER_STOPPED,
};

#define PROC_CONTAINER_META_MAX 4096u
#define PROC_CONTAINER_LIST_MAX (1u << 20)

/* Rights of a scope handle. */
#define PROC_SCOPE_RIGHT_CREATE 0x1u
#define PROC_SCOPE_RIGHT_SPAWN 0x2u
#define PROC_SCOPE_RIGHT_LIST 0x4u
#define PROC_SCOPE_RIGHT_KILL 0x8u
#define PROC_SCOPE_RIGHT_LIMIT 0x10u
#define PROC_SCOPE_RIGHT_MANAGE 0x20u /* PROC_CONTAINER_* on the scope */
#define PROC_SCOPE_RIGHTS_ALL 0x3fu
/* Rights of a hostname-context handle (attaching a spawned child needs SET). */
#define PROC_HOSTNAME_RIGHT_SET 0x1u
#define PROC_HOSTNAME_RIGHT_GET 0x2u
#define PROC_HOSTNAME_RIGHTS_ALL 0x3u

#define PROC_NO_HANDLE 0xffffffffull
#define PROC_SPAWN_NO_FD 0xffffu
/* With PROC_SPAWN_JOIN, MR3 is the bytes of a cwd (desc 1: an absolute
 * path inside the container) or PROC_NO_HANDLE (PID 1's cwd). */
/* MR1 flags of PROC_SPAWN, above the three descriptors. SUSPENDED: the
 * child is the first process of a scope being created and runs only at
 * PROC_CONTAINER_START. JOIN: the child joins the running container of the
 * scope handle — its PID 1's hostname context, file context, root, cwd
 * and jail bit (MR3: the cwd, see above). */
#define PROC_SPAWN_FD_BITS 0xffffffffffffull
#define PROC_SPAWN_SUSPENDED (1ull << 48)
#define PROC_SPAWN_JOIN (1ull << 49)
/* JAIL: the child is jailed from its first instruction (noNewPrivileges). */
#define PROC_SPAWN_JAIL (1ull << 50)
/* SEARCH: a path without '/' is looked up through the PATH of the child's
 * own environment, inside the child's own file context. */
#define PROC_SPAWN_SEARCH (1ull << 51)
/* Rights the child lacks, for good (fork, exec and spawn pass them on), as
 * a container's process.capabilities asks: NO_ADMIN (no CAP_SYS_ADMIN):
 * no mount, umount or sethostname; NO_KILL (no CAP_KILL): signals only to
 * its own process group. */
#define PROC_SPAWN_NO_ADMIN (1ull << 52)
#define PROC_SPAWN_NO_KILL (1ull << 53)
/* NO_CHROOT (no CAP_SYS_CHROOT): chroot is EPERM. */
#define PROC_SPAWN_NO_CHROOT (1ull << 54)
/* PTY (with JOIN only, and no descriptors given: runc exec -t): the child's
 * 0-2 are the slave of a new pseudo-terminal pair of the container's own
 * devfs, its controlling terminal; the reply's MR1 is the caller's new
 * descriptor of the master. */
#define PROC_SPAWN_PTY (1ull << 55)
/* MOUNTS_OF: the child takes the VFS context, root, cwd and umask of the
 * process whose PID (the caller's numbering, checked as PROC_SCOPE_JOIN
 * checks it) is MR4 — a joined mount namespace; MR5 = bytes of a cwd
 * (desc 1, absolute, resolved there) or 0 for that process's cwd. Not with
 * JOIN. */
#define PROC_SPAWN_MOUNTS_OF (1ull << 56)
#define PROC_SPAWN_FDS(a, b, c)                                                                    \
    ((uint64_t)(uint16_t)(a) | (uint64_t)(uint16_t)(b) << 16 | (uint64_t)(uint16_t)(c) << 32)

#endif
