/*
 * VSpaces: address spaces. Page tables are allocated on demand and charged
 * to the VSpace's pool; each mapped Frame capability is linked into the
 * VSpace's list so either side can be destroyed first.
 */
#include "object/vspace.h"

#include "arch/cpu.h"
#include "arch/paging.h"
#include "arch/percpu.h"
#include "kernel/cap.h"
#include "kernel/frame_alloc.h"
#include "kernel/invocation.h"
#include "kernel/panic.h"
#include "kernel/timeout.h"
#include "object/frame.h"
#include "object/pool.h"
#include "uapi/vm.h"

#define BAD_ARG_NONE (~0u)

size_t vspace_size(unsigned size_bits)
{
    (void)size_bits;
    return sizeof(vspace_t);
}

kerr_t vspace_init(kobject_t *obj, unsigned size_bits)
{
    (void)size_bits;
    if (frame_alloc_free_count() < VSPACE_DATA_PAGES) {
        return KERR_NO_MEMORY;
    }
    paddr_t pml4 = pml4_create();
    bool mapped = pml4 != 0 && pml4_map(pml4, USER_INFO_PAGE, clock_info_page(), PTE_USER | PTE_NX);
    ASSERT(mapped);
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
    cpu_t *cpu = this_cpu();
    if (cpu->loaded_cr3 == vs->pml4) {
        /* The current thread loses its address space: run on the kernel's. */
        cpu->loaded_cr3 = paging_kernel_pml4();
        write_cr3(cpu->loaded_cr3);
    }
    pml4_destroy(vs->pml4);
    pool_uncharge(obj->pool, vs->table_pages * FRAME_SIZE);
    return true;
}

void vspace_unmap_cap(cte_t *slot)
{
    vspace_t *vs = slot->map.vspace;
    pml4_unmap(vs->pml4, slot->map.vaddr);
    if (slot->map.prev != NULL) {
        slot->map.prev->map.next = slot->map.next;
    } else {
        vs->mapped = slot->map.next;
    }
    if (slot->map.next != NULL) {
        slot->map.next->map.prev = slot->map.prev;
    }
    slot->map = (cte_mapping_t){0};
}

void vspace_mapping_moved(cte_t *slot)
{
    slot->map.vspace->mapped = slot;
}

static uint64_t pte_flags(unsigned rights)
{
    uint64_t flags = PTE_USER;
    if (rights & MAP_WRITE) {
        flags |= PTE_WRITE;
    }
    if (!(rights & MAP_EXEC)) {
        flags |= PTE_NX;
    }
    return flags;
}

static kerr_t check_map(vspace_t *vs, cte_t *frame_cap, vaddr_t vaddr, unsigned rights,
                        unsigned *bad_arg)
{
    *bad_arg = 0;
    if (frame_cap->map.vspace != NULL) {
        return KERR_ALREADY_MAPPED;
    }
    *bad_arg = 1;
    if (!IS_ALIGNED(vaddr, FRAME_SIZE)) {
        return KERR_ALIGNMENT;
    }
    if (vaddr < USER_MAP_MIN || vaddr >= USER_MAP_LIMIT) {
        return KERR_RANGE;
    }
    if (pml4_translate(vs->pml4, vaddr, 0) != 0) {
        return KERR_ALREADY_MAPPED;
    }
    *bad_arg = 2;
    if (rights == 0 || (rights & ~(MAP_READ | MAP_WRITE | MAP_EXEC)) != 0) {
        return KERR_INVALID_ARGUMENT;
    }
    if (((rights & MAP_WRITE) && !(frame_cap->cap.rights & RIGHT_WRITE)) ||
        ((rights & (MAP_READ | MAP_EXEC)) && !(frame_cap->cap.rights & RIGHT_READ))) {
        return KERR_NO_RIGHTS;
    }
    return KERR_OK;
}

kerr_t vspace_map_frame(vspace_t *vs, cte_t *frame_cap, vaddr_t vaddr, unsigned rights,
                        unsigned *bad_arg)
{
    kerr_t err = check_map(vs, frame_cap, vaddr, rights, bad_arg);
    if (err != KERR_OK) {
        return err;
    }
    /* Charge and find every table first, so a failure changes nothing. */
    *bad_arg = BAD_ARG_NONE;
    size_t tables = (size_t)pml4_tables_needed(vs->pml4, vaddr);
    if ((err = pool_charge(vs->obj.pool, tables * FRAME_SIZE)) != KERR_OK) {
        return err;
    }
    if (frame_alloc_free_count() < tables) {
        pool_uncharge(vs->obj.pool, tables * FRAME_SIZE);
        return KERR_NO_MEMORY;
    }
    frame_t *frame = (frame_t *)frame_cap->cap.obj;
    bool mapped = pml4_map(vs->pml4, vaddr, frame->paddr, pte_flags(rights));
    ASSERT(mapped);
    vs->table_pages += tables;
    frame_cap->map =
        (cte_mapping_t){.vspace = vs, .vaddr = vaddr, .rights = rights, .next = vs->mapped};
    if (vs->mapped != NULL) {
        vs->mapped->map.prev = frame_cap;
    }
    vs->mapped = frame_cap;
    return KERR_OK;
}

static kerr_t decode_map(invocation_t *inv, vspace_t *vs)
{
    kerr_t err = inv_need_args(inv, 3);
    if (err != KERR_OK) {
        return err;
    }
    vaddr_t vaddr = inv_arg(inv, 1);
    uint64_t rights = inv_arg(inv, 2);
    cte_t *frame_cap;
    if ((err = inv_lookup_arg(inv, 0, OBJ_FRAME, 0, &frame_cap)) != KERR_OK) {
        return err;
    }
    if (rights > 0xffffffffu) {
        return inv_fail(inv, 2, KERR_INVALID_ARGUMENT);
    }
    unsigned bad_arg;
    err = vspace_map_frame(vs, frame_cap, vaddr, (unsigned)rights, &bad_arg);
    if (err != KERR_OK) {
        return inv_fail(inv, bad_arg == BAD_ARG_NONE ? KERR_ARG_NONE : bad_arg, err);
    }
    return KERR_OK;
}

static kerr_t decode_unmap(invocation_t *inv, vspace_t *vs)
{
    kerr_t err = inv_need_args(inv, 1);
    if (err != KERR_OK) {
        return err;
    }
    cte_t *frame_cap;
    if ((err = inv_lookup_arg(inv, 0, OBJ_FRAME, 0, &frame_cap)) != KERR_OK) {
        return err;
    }
    if (frame_cap->map.vspace != vs) {
        return inv_fail(inv, 0, KERR_NOT_MAPPED);
    }
    vspace_unmap_cap(frame_cap);
    return KERR_OK;
}

kerr_t vspace_invoke(invocation_t *inv)
{
    kerr_t err = inv_need_rights(inv, RIGHT_WRITE);
    if (err != KERR_OK) {
        return err;
    }
    switch (inv->label) {
    case INV_VSPACE_MAP:
        return decode_map(inv, (vspace_t *)inv->slot->cap.obj);
    case INV_VSPACE_UNMAP:
        return decode_unmap(inv, (vspace_t *)inv->slot->cap.obj);
    default:
        return inv_fail(inv, KERR_ARG_NONE, KERR_INVALID_LABEL);
    }
}
