/*
 * Quotas: how many bytes of server memory a VFS root context (a container) may
 * make vfs-server hold. File pages, vnodes, directory entries and mount records
 * are charged to the quota of the file system or context they belong to, so a
 * container that fills its tmpfs gets ENOSPC itself and nobody else does.
 *
 * A quota is reference counted: every file system and context charging it holds
 * a reference. A NULL quota means "not accounted" and every function accepts it.
 */
#ifndef VFS_QUOTA_H
#define VFS_QUOTA_H

#include <stddef.h>
#include <stdint.h>

typedef struct quota {
    uint64_t limit;       /* bytes that may be charged; UINT64_MAX for no limit */
    uint64_t used;        /* bytes charged now */
    uint32_t refs;        /* file systems and contexts charging this quota */
    struct quota *within; /* held: also charged for everything charged here (NULL: none) */
} quota_t;

/* A new quota with one reference held by the caller, or NULL if out of memory. */
quota_t *quota_new(uint64_t limit);
/* A quota of its own inside `within` (held; may be NULL): a charge must fit
 * both, as a tmpfs with size= inside a container must fit its own size and
 * the container's quota. NULL if out of memory. */
quota_t *quota_new_within(uint64_t limit, quota_t *within);
void quota_get(quota_t *q);
void quota_put(quota_t *q);

/* Charges bytes here and in every quota this one is within; -ENOSPC (and
 * nothing charged anywhere) if that would pass any of their limits. */
int quota_charge(quota_t *q, uint64_t bytes);

/*
 * The quota of the context whose process asks now (NULL: the host's, or no
 * process), set by the request loop. What a file system without a quota of
 * its own allocates on a process's behalf is charged there, as Linux's memory
 * cgroups charge a tmpfs page to whoever first touched it: a container
 * writing into a directory of the host's file system pays for it itself.
 */
void quota_set_requester(quota_t *q);
/* q if not NULL, else the requester's quota. */
quota_t *quota_owner(quota_t *q);
void quota_uncharge(quota_t *q, uint64_t bytes);

/*
 * Allocates size zeroed bytes charged to q. Returns 0 and *out, -ENOSPC when the
 * quota is exhausted, -ENOMEM when malloc fails; nothing is charged on failure.
 * Free with quota_free(q, p, size) with the same size.
 */
int quota_zalloc(quota_t *q, size_t size, void **out);
void quota_free(quota_t *q, void *p, size_t size);

/*
 * Makes the array *arr of elem-sized items hold at least need items, growing
 * *cap (doubling) and charging the growth to q. Nothing changes on failure.
 */
int quota_reserve(quota_t *q, void **arr, size_t *cap, size_t elem, size_t need);
/* Frees an array grown by quota_reserve and uncharges its capacity. */
void quota_free_array(quota_t *q, void *arr, size_t cap, size_t elem);

#endif
