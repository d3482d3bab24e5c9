/*
 * proc-server's scope, hostname-context, jail and spawn requests for
 * ordinary musl programs (docs/protocols/proc.md). A program reaches
 * proc-server with native system calls on its session, CAP_PROC_SESSION;
 * the capabilities proc-server hands out land in the program's own slots
 * (CAP_PROGRAM_SLOTS, protocol/posix_runtime.h). Single-threaded use only:
 * the calls use the thread's IPC buffer.
 *
 * Every function returns a non-negative result or -errno.
 */
#ifndef CAPSULE_PROC_CLIENT_H
#define CAPSULE_PROC_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "protocol/proc.h"
#include "uapi/message.h"

/* A scope or hostname context held: the capability's slot and the handle
 * proc-server knows it by. */
typedef struct {
    uint64_t slot;
    uint32_t handle;
} capsule_obj_t;

/* The request as it travels, for callers that build their own (tests). */
typedef struct {
    uint64_t label;
    uint64_t length; /* message registers sent, at most 4 */
    uint64_t mr[4];
    const void *desc_addr; /* one buffer lent, or NULL */
    uint64_t desc_len;
    uint64_t desc_flags;
} capsule_raw_t;

/* Sends raw on cap (CAP_PROC_SESSION or an object's slot); the reply's MR0,
 * or -EIO when the call itself failed. A capability in the reply lands in
 * *recv (allocated) when recv is not NULL, else is refused. */
int64_t capsule_proc_raw(uint64_t cap, const capsule_raw_t *raw, uint64_t *recv);

/* One Call on cap, shared by proc_client and vfs_client: `label`,
 * `length` words of mr, the `count` (at most 4) buffers of `descs` lent; a
 * capability in the reply lands in *recv (allocated; 0 when none came)
 * when recv is not NULL, else is refused. The reply's MR0, -EIO when the
 * call itself failed, -EMFILE when no slot is free. */
int64_t capsule_call(uint64_t cap, uint64_t label, uint64_t length, const uint64_t mr[4],
                     const buffer_desc_t *descs, unsigned count, uint64_t *recv);

/* The program's capability slots (the last CAP_PROGRAM_SLOTS of its
 * CNode), shared by proc_client and vfs_client: a free one (0: none left),
 * a slot given back, a slot's capability deleted. */
uint64_t capsule_slot_alloc(void);
void capsule_slot_free(uint64_t slot);
int64_t capsule_slot_delete(uint64_t slot);

/* A reply that answers with a handle (MR0, result) and its capability
 * (received into slot, 0: none): 0 with *out; -EPROTO when the capability
 * is missing; else the error, the slot given back. */
int capsule_obj_from_reply(int64_t result, uint64_t slot, capsule_obj_t *out);

int capsule_scope_create(unsigned limit, capsule_obj_t *out);
int capsule_scope_subscope(const capsule_obj_t *scope, unsigned limit, capsule_obj_t *out);
int capsule_hostname_create(capsule_obj_t *out);
/* linux.namespaces[].path: a joined container record whose processes live
 * in pid's scope (PROC_SCOPE_JOIN), or pid's hostname context
 * (PROC_HOSTNAME_JOIN); pid in the caller's numbering, in a container below
 * the caller's scope (-EPERM otherwise; -ESRCH: no such live process). */
int capsule_scope_join(int pid, capsule_obj_t *out);
int capsule_hostname_join(int pid, capsule_obj_t *out);
/* A new capability for the same object with rights & `rights`. */
int capsule_obj_restrict(const capsule_obj_t *obj, unsigned rights, capsule_obj_t *out);
/* Closes the handle (proc-server drops it: every copy of the capability
 * then answers EBADF) and frees the slot. */
void capsule_obj_close(capsule_obj_t *obj);
int capsule_jail(void);

/* path run with argv and envp, a child of the caller; fds: the caller's
 * descriptors to give as 0-2 (-1: none); scope and hostname may be NULL
 * (the caller's). Returns the child's PID. */
int capsule_spawn(const char *path, char *const argv[], char *const envp[], const int fds[3],
                  const capsule_obj_t *scope, const capsule_obj_t *hostname);

long capsule_scope_list(const capsule_obj_t *scope, int *pids, size_t room);
long capsule_scope_kill(const capsule_obj_t *scope, int sig);
int capsule_scope_set_limit(const capsule_obj_t *scope, unsigned limit);
/* The scope's memory ceiling in bytes (0: none); only before it has a process. */
int capsule_scope_set_memory(const capsule_obj_t *scope, uint64_t bytes);
/* Bytes the scope's memory pool holds (its sub-scopes' included), -ENODATA
 * if it has none. */
int64_t capsule_scope_memory_usage(const capsule_obj_t *scope);
int capsule_hostname_set(const capsule_obj_t *ctx, const char *name, size_t len);
int capsule_hostname_set_domain(const capsule_obj_t *ctx, const char *name, size_t len);
/* which: 0 hostname, 1 domain name; buf holds at least 65 bytes. */
long capsule_hostname_get(const capsule_obj_t *ctx, int which, char *buf);

#endif
