#include "signal_map.h"

#include <errno.h>
#include <string.h>

#include "uapi/objects.h"
#include "uapi/vm.h"

/* proc-server's views of the signal pages, one page per global PID, and a
 * scratch page to fill a new one while the old one is still in view (exec). */
#define SIGNAL_VIEW_BASE 0x310000000000ull
#define SIGNAL_SCRATCH (SIGNAL_VIEW_BASE - PAGE_SIZE)

static void drop(cptr_t *slot)
{
    if (*slot != CAP_NULL) {
        cnode_delete(CAP_INIT_CNODE, *slot);
        slot_free(*slot);
        *slot = CAP_NULL;
    }
}

static kerr_t create(const task_t *t, obj_type_t type, cptr_t *slot)
{
    *slot = slot_alloc();
    if (*slot == CAP_NULL) {
        return KERR_NO_MEMORY;
    }
    kerr_t err = pool_create(t->pool, type, 0, CAP_INIT_CNODE, *slot);
    if (err != KERR_OK) {
        slot_free(*slot);
        *slot = CAP_NULL;
    }
    return err;
}

static kerr_t fill(cptr_t frame, const signal_page_t *initial)
{
    kerr_t err = vspace_map(CAP_INIT_VSPACE, frame, SIGNAL_SCRATCH, MAP_READ | MAP_WRITE);
    if (err == KERR_OK) {
        memcpy((void *)SIGNAL_SCRATCH, initial, sizeof(*initial));
        vspace_unmap(CAP_INIT_VSPACE, frame);
    }
    return err;
}

/* The task's own copy of the page, mapped at SIGNAL_PAGE_VADDR, moves into
 * its CAP_SIGNAL_PAGE slot; `frame` stays proc-server's. */
static kerr_t give_page(const task_t *t, cptr_t frame)
{
    cptr_t copy = slot_alloc();
    if (copy == CAP_NULL) {
        return KERR_NO_MEMORY;
    }
    kerr_t err = cnode_copy(CAP_INIT_CNODE, copy, CAP_INIT_CNODE, frame, RIGHTS_ALL);
    if (err == KERR_OK) {
        err = vspace_map(t->vspace, copy, SIGNAL_PAGE_VADDR, MAP_READ | MAP_WRITE);
    }
    if (err == KERR_OK) {
        err = cnode_move(t->cnode, CAP_SIGNAL_PAGE, CAP_INIT_CNODE, copy);
    }
    drop(&copy);
    return err;
}

int signal_map_create(task_t *t, const signal_page_t *initial, signal_map_t *out)
{
    *out = (signal_map_t){CAP_NULL, CAP_NULL, NULL};
    kerr_t err = create(t, OBJ_FRAME, &out->frame);
    if (err == KERR_OK) {
        err = fill(out->frame, initial);
    }
    if (err == KERR_OK) {
        err = give_page(t, out->frame);
    }
    if (err == KERR_OK) {
        err = create(t, OBJ_NOTIFICATION, &out->notify);
    }
    if (err == KERR_OK) {
        err = cnode_copy(t->cnode, CAP_SIGNAL_NOTIFY, CAP_INIT_CNODE, out->notify, RIGHTS_ALL);
    }
    if (err != KERR_OK) {
        signal_map_release(out);
    }
    return errno_from_kerr(err);
}

int signal_map_attach(signal_map_t *m, int global_pid)
{
    uint64_t vaddr = SIGNAL_VIEW_BASE + (uint64_t)global_pid * PAGE_SIZE;
    kerr_t err = vspace_map(CAP_INIT_VSPACE, m->frame, vaddr, MAP_READ | MAP_WRITE);
    if (err == KERR_OK) {
        m->view = (signal_page_t *)vaddr;
    }
    return errno_from_kerr(err);
}

void signal_map_release(signal_map_t *m)
{
    if (m->view != NULL) {
        vspace_unmap(CAP_INIT_VSPACE, m->frame);
        m->view = NULL;
    }
    drop(&m->frame);
    drop(&m->notify);
}
