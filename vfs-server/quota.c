/* Byte quotas charged by file systems and contexts (see quota.h). */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>

#include "quota.h"

quota_t *quota_new(uint64_t limit)
{
    quota_t *q = calloc(1, sizeof(*q));
    if (q == NULL) {
        return NULL;
    }
    q->limit = limit;
    q->refs = 1;
    return q;
}

quota_t *quota_new_within(uint64_t limit, quota_t *within)
{
    quota_t *q = quota_new(limit);
    if (q != NULL) {
        quota_get(within);
        q->within = within;
    }
    return q;
}

void quota_get(quota_t *q)
{
    if (q != NULL) {
        q->refs++;
    }
}

void quota_put(quota_t *q)
{
    if (q == NULL) {
        return;
    }
    assert(q->refs > 0);
    if (--q->refs == 0) {
        quota_put(q->within);
        free(q);
    }
}

static quota_t *requester;

void quota_set_requester(quota_t *q)
{
    requester = q;
}

quota_t *quota_owner(quota_t *q)
{
    return q != NULL ? q : requester;
}

int quota_charge(quota_t *q, uint64_t bytes)
{
    if (q == NULL) {
        return 0;
    }
    if (bytes > q->limit || q->used > q->limit - bytes) {
        return -ENOSPC;
    }
    int err = quota_charge(q->within, bytes);
    if (err == 0) {
        q->used += bytes;
    }
    return err;
}

void quota_uncharge(quota_t *q, uint64_t bytes)
{
    if (q == NULL) {
        return;
    }
    assert(q->used >= bytes);
    q->used -= bytes;
    quota_uncharge(q->within, bytes);
}

int quota_zalloc(quota_t *q, size_t size, void **out)
{
    int err = quota_charge(q, size);
    if (err < 0) {
        return err;
    }
    void *p = calloc(1, size);
    if (p == NULL) {
        quota_uncharge(q, size);
        return -ENOMEM;
    }
    *out = p;
    return 0;
}

void quota_free(quota_t *q, void *p, size_t size)
{
    if (p == NULL) {
        return;
    }
    free(p);
    quota_uncharge(q, size);
}

int quota_reserve(quota_t *q, void **arr, size_t *cap, size_t elem, size_t need)
{
    if (need <= *cap) {
        return 0;
    }
    size_t new_cap = *cap < 4 ? 8 : *cap * 2;
    if (new_cap < need) {
        new_cap = need;
    }
    if (new_cap > SIZE_MAX / elem) {
        return -ENOMEM;
    }
    int err = quota_charge(q, (uint64_t)(new_cap - *cap) * elem);
    if (err < 0) {
        return err;
    }
    void *grown = realloc(*arr, new_cap * elem);
    if (grown == NULL) {
        quota_uncharge(q, (uint64_t)(new_cap - *cap) * elem);
        return -ENOMEM;
    }
    *arr = grown;
    *cap = new_cap;
    return 0;
}

void quota_free_array(quota_t *q, void *arr, size_t cap, size_t elem)
{
    free(arr);
    quota_uncharge(q, (uint64_t)cap * elem);
}
