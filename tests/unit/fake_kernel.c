/*
 * Fake TCB, VSpace and machine services for the capability and pool tests,
 * and the test environment declared in fake_kernel.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fake_kernel.h"
#include "fake_memory.h"
#include "arch/machine.h"
#include "kernel/frame_alloc.h"
#include "kernel/kalloc.h"
#include "kernel/log.h"
#include "object/device.h"
#include "object/endpoint.h"
#include "object/notification.h"

fk_env_t fk;

static size_t start_free;
static unsigned unmap_count;
static uintptr_t stack_low, stack_high;
static char log_buf[4096];
static size_t log_len;

/* ---- TCB ---- */

size_t tcb_size(unsigned size_bits)
{
    (void)size_bits;
    return sizeof(tcb_t);
}

kerr_t tcb_init(kobject_t *obj, unsigned size_bits)
{
    (void)size_bits;
    ((tcb_t *)obj)->state = TCB_STATE_INACTIVE;
    return KERR_OK;
}

static void note_stack(void)
{
    volatile char here;
    uintptr_t sp = (uintptr_t)&here;
    if (stack_low == 0 || sp < stack_low) {
        stack_low = sp;
    }
    if (sp > stack_high) {
        stack_high = sp;
    }
}

bool tcb_finalize(kobject_t *obj)
{
    tcb_t *t = (tcb_t *)obj;
    note_stack();
    cte_delete(&t->cspace);
    cte_delete(&t->vspace);
    cte_delete(&t->ipc_buffer);
    return true;
}

struct cnode *tcb_cspace(tcb_t *t)
{
    return (struct cnode *)t->cspace.cap.obj;
}

struct vspace *tcb_vspace(tcb_t *t)
{
    return (struct vspace *)t->vspace.cap.obj;
}

kerr_t tcb_invoke(invocation_t *inv)
{
    return inv_fail(inv, KERR_ARG_NONE, KERR_INVALID_LABEL);
}

/* ---- VSpace ---- */

size_t vspace_size(unsigned size_bits)
{
    (void)size_bits;
    return sizeof(vspace_t);
}

kerr_t vspace_init(kobject_t *obj, unsigned size_bits)
{
    (void)size_bits;
    paddr_t pml4 = frame_alloc(1);
    if (pml4 == 0) {
        return KERR_NO_MEMORY;
    }
    ((vspace_t *)obj)->pml4 = pml4;
    return KERR_OK;
}

bool vspace_finalize(kobject_t *obj)
{
    vspace_t *vs = (vspace_t *)obj;
    while (vs->mapped != NULL) {
        cte_t *slot = vs->mapped;
        vs->mapped = slot->map.next;
        slot->map = (cte_mapping_t){0};
    }
    frame_free(vs->pml4, 1);
    pool_uncharge(obj->pool, vs->table_pages * FRAME_SIZE);
    return true;
}

void vspace_unmap_cap(cte_t *slot)
{
    vspace_t *vs = slot->map.vspace;
    if (slot->map.prev != NULL) {
        slot->map.prev->map.next = slot->map.next;
    } else {
        vs->mapped = slot->map.next;
    }
    if (slot->map.next != NULL) {
        slot->map.next->map.prev = slot->map.prev;
    }
    slot->map = (cte_mapping_t){0};
    unmap_count++;
}

void vspace_mapping_moved(cte_t *slot)
{
    slot->map.vspace->mapped = slot;
}

kerr_t vspace_invoke(invocation_t *inv)
{
    return inv_fail(inv, KERR_ARG_NONE, KERR_INVALID_LABEL);
}

/* ---- IPC objects: only their memory matters to these tests ---- */

size_t endpoint_size(unsigned size_bits)
{
    (void)size_bits;
    return sizeof(endpoint_t);
}

bool endpoint_finalize(kobject_t *obj)
{
    (void)obj;
    return true;
}

size_t notification_size(unsigned size_bits)
{
    (void)size_bits;
    return sizeof(notification_t);
}

bool notification_finalize(kobject_t *obj)
{
    (void)obj;
    return true;
}

void reply_cap_deleted(kobject_t *caller)
{
    (void)caller;
}

kerr_t reply_invoke(invocation_t *inv)
{
    return inv_fail(inv, KERR_ARG_NONE, KERR_INVALID_LABEL);
}

/* ---- devices: never created in these tests ---- */

size_t device_size(unsigned size_bits)
{
    (void)size_bits;
    return 0;
}

bool device_finalize(kobject_t *obj)
{
    (void)obj;
    return false;
}

kerr_t irq_control_invoke(invocation_t *inv)
{
    return inv_fail(inv, KERR_ARG_NONE, KERR_INVALID_LABEL);
}

kerr_t irq_handler_invoke(invocation_t *inv)
{
    return inv_fail(inv, KERR_ARG_NONE, KERR_INVALID_LABEL);
}

kerr_t io_port_invoke(invocation_t *inv)
{
    return inv_fail(inv, KERR_ARG_NONE, KERR_INVALID_LABEL);
}

void fk_vspace_map(vspace_t *vs, cte_t *slot, vaddr_t vaddr)
{
    slot->map = (cte_mapping_t){.vspace = vs, .vaddr = vaddr, .next = vs->mapped};
    if (vs->mapped != NULL) {
        vs->mapped->map.prev = slot;
    }
    vs->mapped = slot;
}

unsigned fk_unmap_count(void)
{
    return unmap_count;
}

/* ---- machine and log ---- */

void machine_shutdown(uint32_t status)
{
    char msg[64];
    snprintf(msg, sizeof(msg), "machine_shutdown(%u)", status);
    /* Returns by longjmp under expect_assert_failure, else fails the test. */
    mock_assert(0, msg, __FILE__, __LINE__);
    abort();
}

void machine_reset(void)
{
    mock_assert(0, "machine_reset()", __FILE__, __LINE__);
    abort();
}

void klog_write(const char *s, unsigned long len)
{
    size_t room = sizeof(log_buf) - 1 - log_len;
    size_t n = len < room ? len : room;
    memcpy(log_buf + log_len, s, n);
    log_len += n;
    log_buf[log_len] = '\0';
}

const char *fk_log(void)
{
    return log_buf;
}

void fk_stack_reset(void)
{
    stack_low = 0;
    stack_high = 0;
}

uintptr_t fk_stack_span(void)
{
    return stack_high - stack_low;
}

/* ---- environment ---- */

size_t fk_frames_used(void)
{
    return start_free - frame_alloc_free_count();
}

cte_t *fk_slot(uint64_t index)
{
    cte_t *slot = cnode_slot(fk.cspace, index);
    assert_non_null(slot);
    return slot;
}

kobject_t *fk_create(pool_t *pool, obj_type_t type, unsigned size_bits, cte_t *slot)
{
    kobject_t *obj = NULL;
    assert_int_equal(object_create(pool, type, size_bits, &obj), KERR_OK);
    if (slot != NULL) {
        cte_insert(slot, cap_for_object(obj), NULL);
    }
    return obj;
}

kerr_t fk_call(uint64_t cptr, uint64_t label, unsigned length, const uint64_t *args)
{
    trap_frame_t *f = &fk.caller->ctx;
    uint64_t *cpu_regs[MSG_REGISTERS_IN_CPU] = {&f->rdx, &f->r8, &f->r9, &f->r10};
    invocation_t inv = {.caller = fk.caller, .label = label, .length = length, .ipc = &fk.ipc};

    memset(&fk.ipc, 0, sizeof(fk.ipc));
    for (unsigned i = 0; i < MSG_REGISTERS_IN_CPU; i++) {
        *cpu_regs[i] = i < length ? args[i] : 0;
    }
    for (unsigned i = MSG_REGISTERS_IN_CPU; i < length; i++) {
        fk.ipc.mr[i] = args[i];
    }
    /* as do_call: the invoked capability is a CPtr in the caller's CSpace */
    cnode_t *cspace = tcb_cspace(fk.caller);
    inv.slot = cspace != NULL ? cnode_slot(cspace, cptr) : NULL;
    if (inv.slot == NULL || cte_is_empty(inv.slot)) {
        fk.bad_arg = KERR_ARG_NONE;
        return KERR_INVALID_CAP;
    }
    kerr_t err = invoke(&inv);
    object_reap();
    fk.bad_arg = inv.bad_arg;
    return err;
}

uint64_t fk_reply(unsigned i)
{
    const trap_frame_t *f = &fk.caller->ctx;
    switch (i) {
    case 0:
        return f->rdx;
    case 1:
        return f->r8;
    case 2:
        return f->r9;
    case 3:
        return f->r10;
    default:
        return fk.ipc.mr[i];
    }
}

void fk_setup(void)
{
    const phys_range_t usable[] = {{0x100000, FK_RAM_BYTES - 0x100000}};

    memset(&fk, 0, sizeof(fk));
    fake_memory_reset(FK_RAM_BYTES);
    /* Boot RAM is garbage, so objects must come zeroed. Only the low frames,
     * where the tests' objects come from: filling it all is slow. */
    memset(phys_to_virt(0), 0xcc, FK_GARBAGE_BYTES);
    assert_null(frame_alloc_init(usable, 1, NULL, 0));
    start_free = frame_alloc_free_count();
    unmap_count = 0;
    log_len = 0;
    log_buf[0] = '\0';
    fk_stack_reset();

    fk.root = pool_create_root(FK_RAM_BYTES);
    assert_non_null(fk.root);
    fk.cspace = (cnode_t *)fk_create(fk.root, OBJ_CNODE, FK_CSPACE_BITS, NULL);
    cte_insert(fk_slot(FK_SLOT_CSPACE), cap_for_object(&fk.cspace->obj), NULL);
    fk.caller = (tcb_t *)fk_create(fk.root, OBJ_TCB, 0, NULL);
    /* as TCB_Configure: the thread holds a copy derived from a CSpace slot */
    cte_insert(&fk.caller->cspace, fk.cspace->slots[FK_SLOT_CSPACE].cap,
               &fk.cspace->slots[FK_SLOT_CSPACE]);
    cte_insert(fk_slot(FK_SLOT_ROOT), cap_for_object(&fk.root->obj), NULL);
    assert_int_equal(
        FK_CALL(FK_SLOT_ROOT, INV_POOL_SPLIT, FK_POOL_BUDGET, FK_SLOT_CSPACE, FK_SLOT_POOL),
        KERR_OK);
    fk.pool = (pool_t *)fk_slot(FK_SLOT_POOL)->cap.obj;
}

void fk_teardown(void)
{
    pool_t *root = fk.root;
    pool_destroy_objects(root);
    /* Deleting the CSpace deleted the root pool's capabilities: queued. */
    bool queued = (root->obj.flags & OBJ_FLAG_ZOMBIE) != 0;
    object_reap();
    if (!queued) {
        kfree(root, sizeof(pool_t));
    }
    assert_int_equal(frame_alloc_free_count(), start_free);
}

int fk_setup_test(void **state)
{
    (void)state;
    fk_setup();
    return 0;
}

int fk_teardown_test(void **state)
{
    (void)state;
    fk_teardown();
    return 0;
}
