/*
 * Hostname contexts (UTS namespaces): a hostname and a domain name shared by
 * the processes attached to one; uname() reports the caller's.
 *
 * Every process is attached to exactly one context until it exits (each
 * attachment is a reference). Whoever else keeps a context — the IPC layer
 * for a capability it handed out — takes a reference with hostname_get. The
 * last reference frees the context. The table's root context holds the host's
 * names and one reference of its own, so it is never freed before the table.
 *
 * Names are byte strings of at most HOSTNAME_MAX bytes (Linux's limit for
 * both; a longer one is -EINVAL), kept NUL-terminated.
 */
#ifndef PROC_HOSTNAME_H
#define PROC_HOSTNAME_H

#include <stddef.h>
#include <stdint.h>

#include "list.h"

struct proc_table;
struct process;

#define HOSTNAME_MAX 64

typedef struct hostname_ctx {
    list_node_t link; /* in table->hostnames */
    uint64_t id;      /* unique, never reused; the root context is 0 */
    unsigned refs;    /* attached processes plus other holders */
    char hostname[HOSTNAME_MAX + 1];
    char domainname[HOSTNAME_MAX + 1];
} hostname_ctx_t;

/* The table's root context, with the given names; NULL on ENOMEM. */
hostname_ctx_t *hostname_alloc_root(struct proc_table *tab, const char *hostname,
                                    const char *domainname);

/*
 * A new context holding a copy of creator's names (as unshare(CLONE_NEWUTS)),
 * or of the root context's when creator is NULL (proc-server itself).
 * -EPERM when creator is jailed (checked first), -ENOMEM. *out holds one
 * reference, the caller's; nobody is attached yet.
 */
int hostname_create(struct proc_table *tab, const struct process *creator, hostname_ctx_t **out);

void hostname_get(hostname_ctx_t *ctx);
/* Drops a reference; the last one frees the context. */
void hostname_put(hostname_ctx_t *ctx);

/* sethostname/setdomainname: len bytes of name (no NUL needed); -EINVAL if len > 64. */
int hostname_set(hostname_ctx_t *ctx, const char *name, size_t len);
int hostname_set_domain(hostname_ctx_t *ctx, const char *name, size_t len);

/* Frees every context of the table, references notwithstanding (table teardown). */
void hostname_free_all(struct proc_table *tab);

#endif
