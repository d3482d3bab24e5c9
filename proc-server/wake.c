#include "wake.h"

#include "task.h"
#include "uapi/objects.h"

static cptr_t notification = CAP_NULL;

int wake_create(void)
{
    cptr_t slot = slot_alloc();
    if (slot == CAP_NULL) {
        return errno_from_kerr(KERR_NO_MEMORY);
    }
    kerr_t err = pool_create(CAP_INIT_POOL, OBJ_NOTIFICATION, 0, CAP_INIT_CNODE, slot);
    if (err == KERR_OK) {
        err = tcb_bind_notification(CAP_INIT_TCB, slot);
    }
    if (err != KERR_OK) {
        slot_free(slot);
        return errno_from_kerr(err);
    }
    notification = slot;
    return 0;
}

cptr_t wake_signal_cap(void)
{
    cptr_t slot = notification != CAP_NULL ? slot_alloc() : CAP_NULL;
    if (slot != CAP_NULL &&
        cnode_copy(CAP_INIT_CNODE, slot, CAP_INIT_CNODE, notification, RIGHT_WRITE) != KERR_OK) {
        slot_free(slot);
        slot = CAP_NULL;
    }
    return slot;
}
