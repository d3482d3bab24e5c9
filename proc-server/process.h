/*
 * The process table: proc-server's model of processes, with no IPC and no
 * kernel calls (the IPC layer keeps its kernel objects behind server_data).
 *
 * One proc_table_t holds everything: the processes, the PID hash, the scope
 * tree (scope.h) and the hostname contexts (hostname.h). Nothing is global;
 * nothing here blocks. Every function that can fail returns a negative Linux
 * errno and then has changed nothing.
 *
 * PIDs: a process has a number in its own scope and in each ancestor scope
 * (pid_entry.h). Its number in the root scope is its global PID, the key the
 * IPC layer can use for it (proc_find_global); every number a caller sends or
 * receives is in the caller's own scope (proc_find, proc_pid_in).
 *
 * Family: parent and children are links between records; a parent is always a
 * live (non-zombie) process or NULL. NULL means proc-server itself: a process
 * it spawned (init, PPID 0), or an orphan of a dying scope, reaped at its exit.
 * A child is always in its parent's scope or below it, so always visible to it.
 *
 * Life: RUNNING ⇄ STOPPED (job control) → ZOMBIE (exit.h) → reaped (wait.h, or
 * at once when no one can wait for it). When a record is freed the table's
 * release callback sees it first, so the IPC layer can free server_data.
 *
 * Jail: a set-once flag, inherited by every process the jailed one forks or
 * spawns. A jailed process can never create or attach to a scope or hostname
 * context: the functions doing that check it first, and proc_check_unjailed()
 * lets a request decoder refuse with -EPERM before looking anything up.
 *
 * The structures are visible so the IPC layer can read them; change them only
 * through these functions.
 */
#ifndef PROC_PROCESS_H
#define PROC_PROCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "list.h"
#include "pid_entry.h"

struct scope;
struct hostname_ctx;
struct process;

#define PROC_COMM_LEN 16 /* comm: 15 bytes of the executable's basename + NUL */
#define PROC_PID_MAX_DEFAULT 32768
#define PROC_CMDLINE_MAX 65536 /* bytes of the NUL-separated argv kept for ps */

typedef enum proc_state {
    PROC_RUNNING,
    PROC_STOPPED,
    PROC_ZOMBIE,
} proc_state_t;

/* Called just before a process record is freed; the record is still readable. */
typedef void proc_release_fn(struct process *proc, void *arg);
/*
 * Called after a fact the process-table page shows (protocol/proc_table.h)
 * changed: family, group, session, state, names; gone when proc is being
 * reaped (called before the release callback, the record still readable).
 */
typedef void proc_change_fn(const struct process *proc, bool gone, void *arg);

typedef struct proc_table {
    pid_hash_t pids;
    list_node_t procs; /* every process, oldest first */
    struct scope *root_scope;
    struct hostname_ctx *root_hostname; /* the host's names, given to proc-server's spawns */
    list_node_t hostnames;              /* every hostname context, oldest first */
    int pid_max;                        /* numbers run from 1 to pid_max - 1 in each scope */
    uint64_t next_scope_id;
    uint64_t next_hostname_id;
    proc_release_fn *release;
    void *release_arg;
    proc_change_fn *change;
    void *change_arg;
} proc_table_t;

typedef struct process {
    list_node_t link;              /* in table->procs */
    pid_entry_t *pid;              /* its own numbers; pid->proc == this */
    pid_entry_t *pgrp;             /* process group, named by its first leader's entry */
    pid_entry_t *session;          /* session, likewise */
    struct scope *scope;           /* the scope it belongs to (pid's deepest) */
    struct scope *joined;          /* the joined container it is of (a reference), or NULL */
    struct process *parent;        /* NULL: proc-server's own, or an orphan of a dying scope */
    list_node_t children;          /* its children, oldest first */
    list_node_t sibling;           /* link in parent->children */
    struct hostname_ctx *hostname; /* attached context (a reference); NULL once exited */

    proc_state_t state;
    int exit_status;          /* wait status, valid in ZOMBIE */
    int stop_signal;          /* signal that stopped it, valid in STOPPED */
    bool stop_unreported;     /* a stop not yet reported to wait4(WUNTRACED) */
    bool continue_unreported; /* a continue not yet reported to wait4(WCONTINUED) */
    bool execed;              /* has called exec since fork or spawn (setpgid: EACCES) */
    bool jailed;              /* set once, never cleared */
    uint8_t dropped;          /* PROC_DROP_*: rights it lacks, for good, passed on */
    unsigned owned_scopes;    /* scopes it created that are still CREATING (scope->owner) */

    char *exe;                /* executable path, as given */
    char *cmdline;            /* argv, each NUL-terminated, back to back */
    size_t cmdline_len;       /* bytes in cmdline, the NULs included */
    char comm[PROC_COMM_LEN]; /* first 15 bytes of exe's basename */
    uint64_t start_time;      /* as given to spawn or fork */

    /* CPU time in nanoseconds, as the kernel samples it per thread: what
     * its threads that ended (by exit or exec) ran and had served, and the
     * totals of the children it waited for, theirs included (wait4.c) */
    uint64_t user_ns, sys_ns;
    uint64_t child_user_ns, child_sys_ns;

    proc_table_t *table; /* the table it is in, for the change callback */
    void *server_data;   /* the IPC layer's: TCB, VSpace, CSpace... */
} process_t;

/* A new table with its root scope and root hostname context; NULL on ENOMEM. */
proc_table_t *proc_table_create(int pid_max);
/* Frees the table and every record in it, without calling the release callback. */
void proc_table_destroy(proc_table_t *tab);
void proc_table_set_release(proc_table_t *tab, proc_release_fn *release, void *arg);
void proc_table_set_change(proc_table_t *tab, proc_change_fn *change, void *arg);
/* Reports a change of proc to the change callback (exit.c and pgrp.c call it too). */
void proc_changed(const process_t *proc);

typedef struct proc_spawn_args {
    process_t *parent;             /* the spawner; NULL for proc-server's own (PPID 0) */
    struct scope *scope;           /* NULL: the parent's scope, or the root scope */
    struct hostname_ctx *hostname; /* NULL: the parent's, or the root context */
    const char *exe;               /* executable path; comm is taken from its basename */
    const char *const *argv;       /* NULL-terminated; NULL means empty */
    uint64_t start_time;
    void *server_data;
} proc_spawn_args_t;

/*
 * Creates a process from nothing (spawn, and proc-server's boot of init). It
 * is the new PID 1 if its scope had none, and inherits from the parent its
 * process group, session and jail (without a parent, or in another scope
 * than the parent's, it leads a new group and session). A scope that is a
 * joined container record (scope.h) puts it in the record's host, as the
 * record's first process (its init) if it has none; a process spawned into
 * its own parent's scope is of the parent's joined container, as a fork
 * child is. Checks, in order: parent jailed and scope
 * or hostname context not the parent's -EPERM; scope not visible to the parent -EPERM; scope (or an
 * ancestor) stopped, parent a zombie, or exe NULL -EINVAL; over a scope
 * limit or out of PIDs -EAGAIN; -ENOMEM. The command line kept is argv cut to
 * PROC_CMDLINE_MAX bytes.
 */
int proc_spawn(proc_table_t *tab, const proc_spawn_args_t *args, process_t **out);

/*
 * Creates a child of parent, a copy of it: same scope, hostname context,
 * group, session, jail, exe, cmdline and comm. -EINVAL if parent is a zombie
 * or its scope is dying; -EAGAIN over a scope limit or out of PIDs; -ENOMEM.
 */
int proc_fork(proc_table_t *tab, process_t *parent, uint64_t start_time, void *server_data,
              process_t **out);

/*
 * Records a successful exec: new exe, cmdline and comm, execed set. Call only
 * once the new image is committed. -EINVAL (exe NULL) or -ENOMEM leave the
 * old values.
 */
int proc_exec(process_t *proc, const char *exe, const char *const *argv);
/* The executable's path, once a spawn's PATH search found it: 0 or -ENOMEM. */
int proc_set_exe(process_t *proc, const char *exe);

/* Sets comm (prctl PR_SET_NAME): the first 15 bytes of name. */
void proc_set_comm(process_t *proc, const char *name);

/* The process whose PID is nr as seen from scope, zombies included; or NULL. */
process_t *proc_find(const proc_table_t *tab, const struct scope *scope, int nr);
process_t *proc_find_global(const proc_table_t *tab, int global_pid);
/* proc's PID as seen from scope, or 0 when scope cannot see it. */
int proc_pid_in(const process_t *proc, const struct scope *scope);
int proc_global_pid(const process_t *proc);
/* getpid(): proc's PID in its own scope. */
int proc_getpid(const process_t *proc);
/* getppid(): the parent's PID in proc's scope; 0 without a parent or when it is outside. */
int proc_getppid(const process_t *proc);
/* Whether viewer can see target: target's scope is viewer's or lies below it. */
bool proc_can_see(const process_t *viewer, const process_t *target);
/* Whether proc is PID 1 of its scope. */
bool proc_is_scope_init(const process_t *proc);

/* Sets the jail flag; it can never be cleared. */
void proc_jail(process_t *proc);
/* Rights a process may lack (a container's process.capabilities): admin is
 * mount, umount and sethostname; kill is signalling beyond its own group. */
#define PROC_DROP_ADMIN 0x1u
#define PROC_DROP_KILL 0x2u
#define PROC_DROP_CHROOT 0x4u
/* Drops rights (never gives any back). */
void proc_drop_rights(process_t *proc, unsigned rights);

/* 0, or -EPERM for a jailed process: the first check of every scope or hostname request. */
int proc_check_unjailed(const process_t *proc);

/*
 * Attaches proc to hostname context ctx (setns-like). -EPERM when jailed,
 * -EINVAL for a zombie. Moves proc's reference from its old context to ctx.
 */
int proc_attach_hostname(process_t *proc, struct hostname_ctx *ctx);

/* Job control. Stopping a stopped or continuing a running process does nothing. */
void proc_stop(process_t *proc, int sig);
void proc_continue(process_t *proc);

/* Frees a zombie: uncharges its scopes, drops its numbers, releases the record. */
void proc_reap(proc_table_t *tab, process_t *zombie);

const char *proc_state_name(proc_state_t state);

/*
 * A list of global PIDs (targets to signal, processes to kill), malloc'd.
 * Global PIDs rather than pointers, so a list stays safe to walk while the
 * processes in it exit and are reaped: look each one up with proc_find_global.
 */
typedef struct proc_pid_list {
    int *pids;
    size_t count;
    size_t capacity;
} proc_pid_list_t;

/* Appends pid; -ENOMEM leaves the list as it was. */
int proc_pid_list_add(proc_pid_list_t *list, int pid);
/* Frees the array and empties the list. */
void proc_pid_list_free(proc_pid_list_t *list);

#endif
