/* Hostname contexts: their names, their references, their table list. */
#include "hostname.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "process.h"

static hostname_ctx_t *hostname_alloc(proc_table_t *tab, const char *hostname,
                                      const char *domainname)
{
    hostname_ctx_t *ctx = calloc(1, sizeof(*ctx));
    if (ctx == NULL) {
        return NULL;
    }
    ctx->id = tab->next_hostname_id++;
    ctx->refs = 1;
    /* Both sources are at most HOSTNAME_MAX bytes: checked when they were set. */
    strncpy(ctx->hostname, hostname, HOSTNAME_MAX);
    strncpy(ctx->domainname, domainname, HOSTNAME_MAX);
    list_add_tail(&tab->hostnames, &ctx->link);
    return ctx;
}

hostname_ctx_t *hostname_alloc_root(proc_table_t *tab, const char *hostname, const char *domainname)
{
    return hostname_alloc(tab, hostname, domainname);
}

int hostname_create(proc_table_t *tab, const process_t *creator, hostname_ctx_t **out)
{
    if (creator != NULL && creator->jailed) {
        return -EPERM;
    }
    const hostname_ctx_t *from = tab->root_hostname;
    if (creator != NULL && creator->hostname != NULL) {
        from = creator->hostname;
    }
    hostname_ctx_t *ctx = hostname_alloc(tab, from->hostname, from->domainname);
    if (ctx == NULL) {
        return -ENOMEM;
    }
    *out = ctx;
    return 0;
}

void hostname_get(hostname_ctx_t *ctx)
{
    assert(ctx->refs > 0);
    ctx->refs++;
}

void hostname_put(hostname_ctx_t *ctx)
{
    assert(ctx->refs > 0);
    if (--ctx->refs > 0) {
        return;
    }
    list_remove(&ctx->link);
    free(ctx);
}

static int hostname_store(char *field, const char *name, size_t len)
{
    if (len > HOSTNAME_MAX || (name == NULL && len > 0)) {
        return -EINVAL;
    }
    if (len > 0) {
        memcpy(field, name, len);
    }
    memset(field + len, 0, HOSTNAME_MAX + 1 - len);
    return 0;
}

int hostname_set(hostname_ctx_t *ctx, const char *name, size_t len)
{
    return hostname_store(ctx->hostname, name, len);
}

int hostname_set_domain(hostname_ctx_t *ctx, const char *name, size_t len)
{
    return hostname_store(ctx->domainname, name, len);
}

void hostname_free_all(proc_table_t *tab)
{
    list_node_t *pos, *tmp;
    list_for_each_safe(pos, tmp, &tab->hostnames)
    {
        list_remove(pos);
        free(list_entry(pos, hostname_ctx_t, link));
    }
}
