/*
 * Context handles: the VFS root contexts a process holds, and the badges of
 * the capabilities that name them. The sibling of proc-server's handles.h,
 * with the same badge layout (protocol/obj_badge.h, server bit = vfs-server)
 * and the same rules: authority lives here, in the holder's table; the
 * capability for handle i of process P is vfs-server's endpoint badged with
 * (generation, P, i); closing a handle moves its slot's generation on, so a
 * leftover copy never names the slot's next handle. The table is not
 * proc-server's handles.c shared: that one holds scopes and hostname
 * contexts and takes their references by kind, this one holds contexts,
 * and each server links only its own object code.
 *
 * Pure code: no kernel calls, tested on the host.
 */
#ifndef VFS_CTX_HANDLES_H
#define VFS_CTX_HANDLES_H

#include <stdbool.h>
#include <stdint.h>

#include "mount.h"
#include "protocol/obj_badge.h"

#define CTX_HANDLES_MAX 16

typedef struct {
    rootctx_t *ctx[CTX_HANDLES_MAX]; /* one reference each; NULL: free */
    unsigned gen[CTX_HANDLES_MAX];   /* of each slot: moved on when its handle goes */
} ctx_handles_t;

uint64_t ctx_badge_make(int holder_pid, unsigned index, unsigned gen);
/* Whether badge is a well-formed context badge (vfs-server's); then *out. */
bool ctx_badge_decode(uint64_t badge, obj_badge_fields_t *out);

/* Adds a handle taking a new reference to ctx: its index, or -EMFILE. */
int ctx_handle_add(ctx_handles_t *t, rootctx_t *ctx);
/* The context of handle index if it is current (generation gen), else NULL. */
rootctx_t *ctx_handle_get(const ctx_handles_t *t, unsigned index, unsigned gen);
/* Drops handle index (its reference); its slot's generation moves on. */
void ctx_handle_remove(ctx_handles_t *t, unsigned index);
void ctx_handles_drop_all(ctx_handles_t *t);

#endif
