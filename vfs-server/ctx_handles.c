#include "ctx_handles.h"

#include <errno.h>
#include <stddef.h>

uint64_t ctx_badge_make(int holder_pid, unsigned index, unsigned gen)
{
    return obj_badge_encode(OBJ_SERVER_VFS, holder_pid, index, gen);
}

bool ctx_badge_decode(uint64_t badge, obj_badge_fields_t *out)
{
    return obj_badge_parse(badge, CTX_HANDLES_MAX, out) && out->server == OBJ_SERVER_VFS;
}

int ctx_handle_add(ctx_handles_t *t, rootctx_t *ctx)
{
    for (unsigned i = 0; i < CTX_HANDLES_MAX; i++) {
        if (t->ctx[i] == NULL) {
            rootctx_get(ctx);
            t->ctx[i] = ctx;
            return (int)i;
        }
    }
    return -EMFILE;
}

rootctx_t *ctx_handle_get(const ctx_handles_t *t, unsigned index, unsigned gen)
{
    return index < CTX_HANDLES_MAX && t->gen[index] == gen ? t->ctx[index] : NULL;
}

void ctx_handle_remove(ctx_handles_t *t, unsigned index)
{
    if (index < CTX_HANDLES_MAX && t->ctx[index] != NULL) {
        rootctx_t *ctx = t->ctx[index];
        t->ctx[index] = NULL;
        t->gen[index] = (t->gen[index] + 1) & OBJ_BADGE_GEN_MASK;
        rootctx_put(ctx);
    }
}

void ctx_handles_drop_all(ctx_handles_t *t)
{
    for (unsigned i = 0; i < CTX_HANDLES_MAX; i++) {
        ctx_handle_remove(t, i);
    }
}
