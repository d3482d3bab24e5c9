/*
 * Handles: the server objects (scopes, hostname contexts) a process holds,
 * and the badges of the capabilities that name them.
 *
 * The kernel cannot tell proc-server that a capability it receives by
 * transfer points to its own endpoint (a process can make an endpoint of its
 * own and badge it as it likes), and a badge, once set, cannot be changed by
 * a holder. So the authority lives in proc-server: each process has a small
 * table of handles {kind, object, rights}, and the capability proc-server
 * gives for handle i of process P is its endpoint badged
 *
 *   bit 63       1: an object badge
 *   bit 62       0: minted by proc-server (1 is vfs-server's)
 *   bits 40..61  g, the generation of slot i when the handle was made
 *   bits 8..39   P, the holder's global PID
 *   bits 0..7    i, the handle's index in P's table (below HANDLES_MAX)
 *
 * (the layout is shared with vfs-server: protocol/obj_badge.h)
 *
 * A request on such a capability acts for P on handle i with that handle's
 * rights. Rights only shrink: PROC_OBJ_RESTRICT makes a new handle with
 * fewer. Closing a handle (PROC_OBJ_CLOSE) bumps its slot's generation, so a
 * capability left over from it never names the slot's next handle. A handle refers to the object (a
 * reference), not to a number a caller could guess; handles go when the process exits or execs (the
 * new image has a new CSpace), and fork copies them (the child's capabilities are minted with its
 * own PID).
 *
 * Pure code: no kernel calls, tested on the host.
 */
#ifndef PROC_SERVER_HANDLES_H
#define PROC_SERVER_HANDLES_H

#include <stdbool.h>
#include <stdint.h>

#include "protocol/obj_badge.h"

#define HANDLES_MAX 16

typedef enum {
    HANDLE_NONE,
    HANDLE_SCOPE,
    HANDLE_HOSTNAME,
} handle_kind_t;

typedef struct {
    handle_kind_t kind;
    unsigned rights;
    void *obj; /* scope_t or hostname_ctx_t, one reference held */
} handle_t;

typedef struct {
    handle_t h[HANDLES_MAX];
    unsigned gen[HANDLES_MAX]; /* of each slot: bumped when its handle goes */
} handle_table_t;

typedef struct {
    int holder_pid;
    unsigned index;
    unsigned gen;
} obj_badge_t;

uint64_t obj_badge_make(int holder_pid, unsigned index, unsigned gen);
/* Whether badge is a well-formed object badge of proc-server's; then *out. */
bool obj_badge_decode(uint64_t badge, obj_badge_t *out);
static inline bool obj_badge_is_object(uint64_t badge)
{
    return (badge & OBJ_BADGE_FLAG) != 0;
}

/* Whether `held` includes every right of `needed` (needed != 0). */
bool handle_rights_allow(unsigned held, unsigned needed);

/* Adds a handle (taking a new reference to obj): its index, or -EMFILE. */
int handle_add(handle_table_t *t, handle_kind_t kind, void *obj, unsigned rights);
/*
 * Handle `index` if it is of `kind` and holds `needed`: 0 with *out; -EBADF
 * when there is no such handle (or another kind), -EPERM when a right is
 * missing.
 */
int handle_get(const handle_table_t *t, uint64_t index, handle_kind_t kind, unsigned needed,
               handle_t *out);
/* Whether the handle a badge names is still in t (not closed since). */
bool handle_current(const handle_table_t *t, unsigned index, unsigned gen);
/* Drops handle `index` (its reference) if there is one; the slot's
 * generation moves on. */
void handle_remove(handle_table_t *t, unsigned index);
/* Drops every handle (their references). */
void handle_drop_all(handle_table_t *t);
/* dst gets a copy of src's handle `index` at the same index with the same
 * generation, if that slot of dst is free. */
void handle_copy(handle_table_t *dst, const handle_table_t *src, unsigned index);

#endif
