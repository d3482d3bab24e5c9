#include "handles.h"

#include <errno.h>

#include "hostname.h"
#include "scope.h"

uint64_t obj_badge_make(int holder_pid, unsigned index, unsigned gen)
{
    return obj_badge_encode(OBJ_SERVER_PROC, holder_pid, index, gen);
}

/* vfs-server's badges are refused here: fork leaves them out rather than
 * read them as proc-server's handles. */
bool obj_badge_decode(uint64_t badge, obj_badge_t *out)
{
    obj_badge_fields_t f;
    if (!obj_badge_parse(badge, HANDLES_MAX, &f) || f.server != OBJ_SERVER_PROC) {
        return false;
    }
    *out = (obj_badge_t){f.holder_pid, f.index, f.gen};
    return true;
}

bool handle_current(const handle_table_t *t, unsigned index, unsigned gen)
{
    return index < HANDLES_MAX && t->h[index].kind != HANDLE_NONE && t->gen[index] == gen;
}

bool handle_rights_allow(unsigned held, unsigned needed)
{
    return needed != 0 && (held & needed) == needed;
}

static void get_ref(handle_kind_t kind, void *obj)
{
    if (kind == HANDLE_SCOPE) {
        scope_get(obj);
    } else {
        hostname_get(obj);
    }
}

static void put_ref(handle_kind_t kind, void *obj)
{
    if (kind == HANDLE_SCOPE) {
        scope_put(obj);
    } else {
        hostname_put(obj);
    }
}

int handle_add(handle_table_t *t, handle_kind_t kind, void *obj, unsigned rights)
{
    for (unsigned i = 0; i < HANDLES_MAX; i++) {
        if (t->h[i].kind == HANDLE_NONE) {
            get_ref(kind, obj);
            t->h[i] = (handle_t){kind, rights, obj};
            return (int)i;
        }
    }
    return -EMFILE;
}

int handle_get(const handle_table_t *t, uint64_t index, handle_kind_t kind, unsigned needed,
               handle_t *out)
{
    if (index >= HANDLES_MAX || t->h[index].kind != kind) {
        return -EBADF;
    }
    if (!handle_rights_allow(t->h[index].rights, needed)) {
        return -EPERM;
    }
    *out = t->h[index];
    return 0;
}

void handle_remove(handle_table_t *t, unsigned index)
{
    if (index < HANDLES_MAX && t->h[index].kind != HANDLE_NONE) {
        handle_t h = t->h[index];
        t->h[index] = (handle_t){HANDLE_NONE, 0, NULL};
        t->gen[index] = (t->gen[index] + 1) & OBJ_BADGE_GEN_MASK;
        put_ref(h.kind, h.obj);
    }
}

void handle_drop_all(handle_table_t *t)
{
    for (unsigned i = 0; i < HANDLES_MAX; i++) {
        handle_remove(t, i);
    }
}

void handle_copy(handle_table_t *dst, const handle_table_t *src, unsigned index)
{
    if (index < HANDLES_MAX && src->h[index].kind != HANDLE_NONE &&
        dst->h[index].kind == HANDLE_NONE) {
        get_ref(src->h[index].kind, src->h[index].obj);
        dst->h[index] = src->h[index];
        dst->gen[index] = src->gen[index];
    }
}
