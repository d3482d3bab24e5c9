/*
 * Processes as kernel objects: starting one from a file, and taking one
 * down (exit, a fatal signal, a fault) in the order notes/posix.md gives.
 * The process model (process.h) decides; this file carries it out.
 */
#ifndef PROC_SERVER_LIFECYCLE_H
#define PROC_SERVER_LIFECYCLE_H

#include "exec_args.h"
#include "handles.h"
#include "process.h"
#include "process_image.h"
#include "signal_map.h"
#include "task.h"

/* Most memory a process may hold: its pool's ceiling. Every page it maps
 * takes a slot of its CNode, which starts at 2^PROCESS_CNODE_BITS slots and
 * grows by doubling (CNode_Grow, by proc-server while loading the image and
 * by the runtime's slot allocator after) up to 2^CNODE_MAX_SIZE_BITS. */
#define PROCESS_BUDGET (16ull << 20)
#define PROCESS_CNODE_BITS 8
#define PROCESS_PRIORITY 100

/* The IPC layer's part of a process record (process_t.server_data). */
typedef struct {
    task_t task;          /* its kernel objects; task.pool == CAP_NULL once torn down */
    signal_map_t signals; /* its signal page and notification (view NULL once torn down) */
    cptr_t wait_reply;    /* the saved reply of a wait4 that blocked, or CAP_NULL */
    int wait_pid;         /* and that wait4's arguments */
    int wait_options;
    handle_table_t handles; /* the scopes and hostname contexts it holds (handles.h) */
    bool held;              /* built but not started: a container's PID 1 before start */
    user_regs_t held_regs;  /* where it starts when released */
} process_os_t;

/* proc-server's endpoint (requests and faults of every process) and
 * vfs-server's, from which each process's session is minted. */
void lifecycle_init(proc_table_t *table, cptr_t endpoint, cptr_t vfs);

/* Badges of the endpoint capabilities a process holds (object badges, with
 * bit 63 set, are handles.h's). */
#define BADGE_FAULT 1ull
static inline uint64_t session_badge(int global_pid, bool fault)
{
    return (uint64_t)global_pid << 1 | (fault ? BADGE_FAULT : 0);
}

/* Where a spawned process goes: NULL fields are the parent's (or the root's). */
typedef struct {
    process_t *parent;             /* NULL: proc-server's own, as init */
    struct scope *scope;           /* NULL: the parent's scope */
    struct hostname_ctx *hostname; /* NULL: the parent's context */
    int fds[3];                    /* parent's descriptors to give as 0-2, -1 none */
    bool held;                     /* built but not started (lifecycle_release) */
    bool jail;                     /* jailed before it runs */
    bool search;                   /* a name without '/' looked up through the child's PATH */
    unsigned dropped;              /* PROC_DROP_* rights it lacks, beyond its parent's */
    process_t *like;               /* NULL, or whose files context, root, cwd and jail it takes */
    process_t *mounts_of;          /* NULL, or whose files context, root and cwd it takes */
    const char *cwd;               /* with like or mounts_of: an absolute cwd there, or NULL */
    bool pty;                      /* PROC_SPAWN_PTY: 0-2 a new pty's slave (runc exec -t) */
    int *pty_master;               /* with pty: where the parent's fd of its master goes */
} spawn_opts_t;

/*
 * Starts the file args->path (resolved in the new process's context) as a
 * new process with `args` placed as `opts` says (NULL: proc-server's own
 * child, as init, its descriptors 0-2 on the console). Returns the new
 * process's global PID or -errno (-ENOEXEC with *why set); on an error
 * nothing is left behind.
 */
int lifecycle_spawn(const spawn_opts_t *opts, const exec_args_t *args, const char **why);

/* Kills every process of a stopped scope (scope.h: doomed) still alive. */
void lifecycle_kill_doomed(void);

/* Starts a process spawned held; -EINVAL if it is not held. */
int lifecycle_release(process_t *proc);

/* proc-server's endpoint, which object capabilities are minted from. */
cptr_t lifecycle_endpoint(void);

/* The kernel objects of a process the model has just created: a task with
 * its CAP_INIT_* capabilities, its sessions, and a signal page holding a
 * copy of `signals` (not yet in proc-server's view: lifecycle_start). */
int lifecycle_create_task(process_t *proc, unsigned cnode_bits, const signal_page_t *signals);

/* Starts its thread (FPU image `fpu`, NULL for a fresh one), with its fault
 * endpoint; its signal page comes into proc-server's view. */
int lifecycle_start(process_t *proc, const user_regs_t *regs, const uint8_t *fpu);

/* Undoes a process that never ran: its objects go and the model forgets it. */
void lifecycle_discard(process_t *proc);

/* Replaces the image of `proc` by `file` run with `args`: the new task is
 * built aside; only when it is complete does the old one go. On an error
 * (-ENOEXEC with *why, -ENOMEM...) the old image is untouched. */
int lifecycle_exec(process_t *proc, const program_file_t *file, const exec_args_t *args,
                   const char **why);

/* Ends `proc` with wait status `wstatus`: its threads stop, its objects go,
 * it becomes a zombie (or is reaped), and whoever waits is answered. */
void lifecycle_terminate(process_t *proc, int wstatus);

/* Answers a blocked wait4 of `proc` if it can now be answered. */
void lifecycle_retry_wait(process_t *proc);

/* The process a badge names, or NULL (gone, or never). */
process_t *lifecycle_find(uint64_t badge);

proc_table_t *lifecycle_table(void);

#endif
