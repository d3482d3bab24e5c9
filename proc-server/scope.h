/*
 * Scopes: scoped process lists (PID namespaces), as a tree.
 *
 * Every process belongs to exactly one scope and has a PID in it and in every
 * ancestor scope (see pid_entry.h); the first process created in a scope is its
 * PID 1 (scope->init), while the parent scope sees it under its own number.
 * A process sees — can name, signal, wait for — the processes of its own scope
 * and of the scopes below it, and nothing else (callers answer ESRCH).
 *
 * Limit: count is every process of the scope and its sub-scopes, PID 1 and
 * unreaped zombies included; a new process is charged to its scope and every
 * ancestor, and fails with -EAGAIN (changing nothing) if any of them would go
 * over its limit (like cgroup pids.max). count drops when a process is reaped.
 *
 * Containers: a scope can be registered under a name (the container ID,
 * [A-Za-z0-9_.+-]{1,1024}, unique among its parent's registered children) and
 * a bundle path, in its parent's registry, so a later runc finds it by ID in
 * its own scope. State follows the OCI one:
 *   CREATING  made, not yet registered (it dies with its owner, see proc_exit);
 *   CREATED   registered, PID 1 not started yet;
 *   RUNNING   scope_start() was called;
 *   STOPPED   PID 1 exited (exit_status holds its wait status) or the scope was
 *             stopped: every process of it and its sub-scopes must be killed
 *             (proc_collect_doomed) and nothing new may enter it. A registered
 *             scope stays a STOPPED record until scope_unregister().
 *
 * Joined containers (linux.namespaces[].path of type pid): a record made by
 * scope_create_joined has a host, the scope of a container below its
 * creator's. Its processes live in the host (numbered, seen, limited and
 * doomed there); the record counts them (count, with no ancestor charged),
 * its init is its first process (not the host's PID 1), and it has neither
 * processes nor sub-scopes of its own. Each of them points back to it
 * (process_t.joined). Stopping the record dooms them; the host's end ends
 * them as every process of the host.
 *
 * Lifetime: reference counted. References are held by every PID entry
 * allocated in the scope, every child scope, the registry while registered,
 * and by whoever called scope_create()/scope_get() (the IPC layer, for the
 * capabilities it hands out). The root scope is never freed but with its table.
 */
#ifndef PROC_SCOPE_H
#define PROC_SCOPE_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "list.h"
#include "name_index.h"

struct process;
struct proc_table;

#define SCOPE_LEVELS_MAX 32 /* the root scope is level 0; deepest is 31 */
#define SCOPE_NAME_MAX 1024 /* bytes of a container ID */
#define SCOPE_NO_LIMIT UINT_MAX

typedef enum scope_state {
    SCOPE_CREATING,
    SCOPE_CREATED,
    SCOPE_RUNNING,
    SCOPE_STOPPED,
} scope_state_t;

typedef struct scope {
    uint64_t id; /* unique, never reused; 0 is the root */
    unsigned refs;
    unsigned level;       /* depth: root 0 */
    struct scope *parent; /* NULL for the root */
    list_node_t children; /* every sub-scope, registered or not */
    list_node_t sibling;  /* link in parent->children */

    bool registered;        /* in the parent's registry, under name */
    char *name;             /* container ID; NULL until registered */
    name_node_t name_link;  /* in parent->registry while registered */
    name_index_t registry;  /* the registered children, by name */
    char *bundle;           /* bundle path; NULL until registered */
    char *meta;             /* the runtime's own record (NUL-terminated); NULL: none */
    uint64_t registered_at; /* CLOCK_REALTIME nanoseconds at registration */
    bool debug;             /* its unjailed processes may hold the debug capability */
    scope_state_t state;
    uint64_t created_time; /* as given to scope_create */
    int exit_status;       /* wait status of PID 1, valid once STOPPED */

    struct process *init;  /* PID 1 from its creation to its reaping, else NULL */
    struct process *owner; /* creator while CREATING; NULL for proc-server's own */
    int next_nr;           /* where the search for a free PID number starts */
    unsigned limit;        /* SCOPE_NO_LIMIT or the most processes allowed */
    unsigned count;        /* processes of this scope and sub-scopes, zombies too */

    struct scope *host;    /* a joined container: its processes live in host (a reference) */
    uint64_t memory_pool;  /* proc-server's slot of its pool, 0: none (scope_memory.h) */
    uint64_t memory_limit; /* that pool's ceiling in bytes */
} scope_t;

/* Called on every scope just before it is freed (scope_memory.c releases its
 * pool there); NULL: nothing. */
void scope_set_release(void (*release)(scope_t *scope));

/* The root scope of a new table (level 0, RUNNING, no limit); NULL on ENOMEM. */
scope_t *scope_alloc_root(void);
/* Frees the whole tree under root, references notwithstanding (table teardown). */
void scope_free_tree(scope_t *root);

/*
 * Creates an empty sub-scope of parent (NULL: the creator's own scope) in state
 * CREATING, owned by creator (NULL: proc-server itself, no owner), with no
 * limit. Checks, in order: creator jailed -EPERM (before anything else);
 * parent not visible to creator -EPERM; parent stopped or dying -EINVAL; too
 * deep -ENOSPC; -ENOMEM. Returns 0 with *out holding one reference (the caller's).
 */
int scope_create(struct proc_table *tab, struct process *creator, scope_t *parent, uint64_t now,
                 scope_t **out);

/*
 * Creates a joined container record (see above) under the creator's scope,
 * CREATING and owned by creator, for host. -EPERM when creator is jailed
 * (first), or host is the creator's own scope or not below it (a process of
 * the creator's own scope is in no container: joining it would hand the
 * container its creator's scope); -EINVAL when host is dying; as
 * scope_create otherwise.
 */
int scope_create_joined(struct proc_table *tab, struct process *creator, scope_t *host,
                        uint64_t now, scope_t **out);
/* Whether proc is one of scope's processes: of it or below it, or for a
 * joined record one that joined through it. */
bool scope_holds(const scope_t *scope, const struct process *proc);

void scope_get(scope_t *scope);
/* Drops a reference; the last one unlinks the scope from its parent and frees it. */
void scope_put(scope_t *scope);

/* Whether inner is outer or lies below it: what a process of outer can see. */
bool scope_contains(const scope_t *outer, const scope_t *inner);
/* Whether scope or one of its ancestors is STOPPED: its processes are doomed. */
bool scope_is_dying(const scope_t *scope);

/* Charges one new process to scope and its ancestors, or -EAGAIN changing nothing. */
int scope_charge(scope_t *scope);
/* Gives back what scope_charge took (a process was reaped, or a creation undone). */
void scope_uncharge(scope_t *scope);
/* Sets the limit; below the current count it only refuses new processes. */
void scope_set_limit(scope_t *scope, unsigned limit);

bool scope_name_valid(const char *name);
/*
 * Enters a CREATING scope in its parent's registry: -EINVAL for the root, a
 * scope not CREATING, a bad name or a NULL bundle; -EEXIST when the parent
 * already has a registered child of that name; -ENOMEM. On success the state
 * is CREATED, the owner is forgotten and the registry holds a reference.
 */
int scope_register(scope_t *scope, const char *name, const char *bundle);
/* Keeps a copy of the runtime's record text (replacing one): 0 or -ENOMEM. */
int scope_set_meta(scope_t *scope, const char *meta);
/*
 * Deletes a container record: unregisters scope and every registered scope
 * below it, dropping the registry's references. -EINVAL if not registered,
 * -EBUSY if the scope is not STOPPED and still has processes.
 */
int scope_unregister(scope_t *scope);
/* The registered child of parent called name, or NULL. */
scope_t *scope_find_child(const scope_t *parent, const char *name);

/* CREATING or CREATED → RUNNING; -EINVAL from any other state. */
int scope_start(scope_t *scope);
/*
 * Marks scope STOPPED with wstatus (unless it already is): from then on
 * nothing new enters it or its sub-scopes, and the processes left in them are
 * doomed. Returns whether the state changed.
 */
bool scope_stop(scope_t *scope, int wstatus);

const char *scope_state_name(scope_state_t state);

#endif
