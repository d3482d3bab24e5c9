/*
 * Building tasks out of kernel objects. Writing into a frame the task will
 * own goes through one scratch page of proc-server's address space.
 */
#include "task.h"

#include <errno.h>
#include <string.h>

#include "text_frames.h"
#include "uapi/objects.h"
#include "uapi/vm.h"

#define SCRATCH_VADDR 0x300000000000ull
#define IPC_BUFFER_SLOT CAP_INIT_IPC_BUFFER
#define BOOTINFO_SLOT CAP_INIT_BOOTINFO

int errno_from_kerr(kerr_t err)
{
    switch (err) {
    case KERR_OK:
        return 0;
    case KERR_NO_MEMORY:
        return -ENOMEM;
    case KERR_RANGE:
    case KERR_INVALID_ARGUMENT:
        return -EINVAL;
    default:
        return -EIO;
    }
}

/* Creates an object of `type` charged to the task's pool in a new slot of
 * proc-server's; CAP_NULL when out of memory or slots. */
static cptr_t create_object(cptr_t pool, obj_type_t type, unsigned size_bits, kerr_t *err)
{
    cptr_t slot = slot_alloc();
    if (slot == CAP_NULL) {
        *err = KERR_NO_MEMORY;
        return CAP_NULL;
    }
    *err = pool_create(pool, type, size_bits, CAP_INIT_CNODE, slot);
    if (*err != KERR_OK) {
        slot_free(slot);
        return CAP_NULL;
    }
    return slot;
}

static void drop_slot(cptr_t *slot)
{
    if (*slot != CAP_NULL) {
        cnode_delete(CAP_INIT_CNODE, *slot);
        slot_free(*slot);
        *slot = CAP_NULL;
    }
}

/* Doubles the task's CNode while it is being built: a CNode starts small
 * and grows to what the image needs. The boot-info page says the size the
 * task starts with. */
static int grow_cnode(task_t *t)
{
    if (t->cnode_bits >= CNODE_MAX_SIZE_BITS) {
        return -ENOMEM;
    }
    kerr_t err = cnode_grow(t->cnode, t->cnode_bits + 1);
    if (err != KERR_OK) {
        return errno_from_kerr(err);
    }
    t->cnode_bits++;
    if (t->info != NULL && !t->info_ready) {
        t->info->cnode_size_bits = t->cnode_bits;
    }
    return 0;
}

/* Grows the CNode until slot `slot` is below the reserved top. */
static int room_for(task_t *t, uint64_t slot)
{
    while (slot >= (1ull << t->cnode_bits) - t->reserved_top) {
        int grown = grow_cnode(t);
        if (grown != 0) {
            return grown;
        }
    }
    return 0;
}

int task_reserve_slots(task_t *t, uint64_t count, uint64_t *first)
{
    int err = room_for(t, t->next_slot + count - 1);
    if (err == 0) {
        *first = t->next_slot;
        t->next_slot += count;
    }
    return err;
}

/* Moves a frame from proc-server's slot into the task's next slot. */
static int hand_over(task_t *t, cptr_t *frame)
{
    int grown = room_for(t, t->next_slot);
    if (grown != 0) {
        return grown;
    }
    kerr_t err = cnode_move(t->cnode, t->next_slot, CAP_INIT_CNODE, *frame);
    if (err != KERR_OK) {
        return errno_from_kerr(err);
    }
    slot_free(*frame);
    *frame = CAP_NULL;
    t->next_slot++;
    return 0;
}

static int give_standard_caps(task_t *t)
{
    const struct {
        uint64_t slot;
        cptr_t cap;
    } caps[] = {
        {CAP_INIT_CNODE, t->cnode},
        {CAP_INIT_TCB, t->tcb},
        {CAP_INIT_VSPACE, t->vspace},
        {CAP_INIT_POOL, t->pool},
    };
    for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
        int err = task_give(t, caps[i].slot, caps[i].cap, RIGHTS_ALL, 0);
        if (err != 0) {
            return err;
        }
    }
    return 0;
}

/* The IPC buffer and the boot-info page: proc-server keeps the boot-info
 * page mapped at a scratch address until task_start. */
static int create_fixed_pages(task_t *t)
{
    kerr_t kerr;
    cptr_t ipc = create_object(t->pool, OBJ_FRAME, 0, &kerr);
    if (ipc == CAP_NULL) {
        return errno_from_kerr(kerr);
    }
    kerr = vspace_map(t->vspace, ipc, BOOTINFO_IPC_BUFFER_VADDR, MAP_READ | MAP_WRITE);
    if (kerr == KERR_OK) {
        kerr = tcb_configure(t->tcb, t->cnode, t->vspace, ipc, BOOTINFO_IPC_BUFFER_VADDR);
    }
    if (kerr == KERR_OK) {
        kerr = cnode_move(t->cnode, IPC_BUFFER_SLOT, CAP_INIT_CNODE, ipc);
    }
    if (kerr != KERR_OK) {
        drop_slot(&ipc);
        return errno_from_kerr(kerr);
    }
    slot_free(ipc);
    t->info_frame = create_object(t->pool, OBJ_FRAME, 0, &kerr);
    if (t->info_frame == CAP_NULL) {
        return errno_from_kerr(kerr);
    }
    kerr = vspace_map(CAP_INIT_VSPACE, t->info_frame, SCRATCH_VADDR, MAP_READ | MAP_WRITE);
    if (kerr != KERR_OK) {
        return errno_from_kerr(kerr);
    }
    t->info = (bootinfo_t *)SCRATCH_VADDR;
    return 0;
}

int task_create(task_t *t, uint64_t budget, unsigned cnode_bits)
{
    return task_create_in(t, CAP_INIT_POOL, budget, cnode_bits);
}

int task_create_in(task_t *t, cptr_t parent_pool, uint64_t budget, unsigned cnode_bits)
{
    memset(t, 0, sizeof(*t));
    t->cnode_bits = cnode_bits;
    t->next_slot = CAP_INIT_FIRST_FREE;
    t->pool = slot_alloc();
    if (t->pool == CAP_NULL) {
        return -ENOMEM;
    }
    kerr_t kerr = pool_split(parent_pool, budget, CAP_INIT_CNODE, t->pool);
    if (kerr != KERR_OK) {
        slot_free(t->pool);
        t->pool = CAP_NULL;
        return errno_from_kerr(kerr);
    }
    int err = 0;
    if ((t->cnode = create_object(t->pool, OBJ_CNODE, cnode_bits, &kerr)) == CAP_NULL ||
        (t->vspace = create_object(t->pool, OBJ_VSPACE, 0, &kerr)) == CAP_NULL ||
        (t->tcb = create_object(t->pool, OBJ_TCB, 0, &kerr)) == CAP_NULL) {
        err = errno_from_kerr(kerr);
    }
    if (err == 0) {
        err = give_standard_caps(t);
    }
    if (err == 0) {
        err = create_fixed_pages(t);
    }
    if (err != 0) {
        task_destroy(t);
        return err;
    }
    t->info->magic = BOOTINFO_MAGIC;
    t->info->cnode_size_bits = cnode_bits;
    t->info->ipc_buffer_vaddr = BOOTINFO_IPC_BUFFER_VADDR;
    t->info->pool_budget = budget;
    return 0;
}

/* The capability rights a task needs for a mapping with MAP_* `rights`. */
static unsigned cap_rights_for(unsigned rights)
{
    return RIGHT_READ | ((rights & MAP_WRITE) ? RIGHT_WRITE : 0);
}

int task_map_shared(task_t *t, cptr_t frame, uint64_t vaddr, unsigned rights)
{
    return task_map_shared_from(t, CAP_INIT_CNODE, frame, vaddr, rights);
}

int task_map_shared_from(task_t *t, cptr_t cnode, uint64_t slot, uint64_t vaddr, unsigned rights)
{
    cptr_t copy = slot_alloc();
    if (copy == CAP_NULL) {
        return -ENOMEM;
    }
    kerr_t kerr = cnode_copy(CAP_INIT_CNODE, copy, cnode, slot, cap_rights_for(rights));
    if (kerr == KERR_OK) {
        kerr = vspace_map(t->vspace, copy, vaddr, rights);
    }
    if (kerr != KERR_OK) {
        drop_slot(&copy);
        return errno_from_kerr(kerr);
    }
    int err = hand_over(t, &copy);
    drop_slot(&copy);
    return err;
}

int task_place_shared(task_t *t, cptr_t cnode, uint64_t slot, uint64_t dest, uint64_t vaddr,
                      unsigned rights)
{
    cptr_t copy = slot_alloc();
    if (copy == CAP_NULL) {
        return -ENOMEM;
    }
    kerr_t kerr = cnode_copy(CAP_INIT_CNODE, copy, cnode, slot, RIGHT_READ);
    if (kerr == KERR_OK && vaddr != 0) {
        kerr = vspace_map(t->vspace, copy, vaddr, rights & ~MAP_WRITE);
    }
    if (kerr == KERR_OK) {
        kerr = cnode_move(t->cnode, dest, CAP_INIT_CNODE, copy);
    }
    drop_slot(&copy); /* empty after the move */
    return errno_from_kerr(kerr);
}

/* A new zeroed frame of the task's pool in a proc-server slot, mapped at
 * `vaddr`, with `len` bytes of `data` copied to `offset` within it. */
static int map_new_frame(task_t *t, uint64_t vaddr, unsigned rights, const void *data, size_t len,
                         size_t offset, cptr_t *out)
{
    if (offset > PAGE_SIZE || len > PAGE_SIZE - offset) {
        return -EINVAL;
    }
    kerr_t kerr;
    cptr_t frame = create_object(t->pool, OBJ_FRAME, 0, &kerr);
    if (frame == CAP_NULL) {
        return errno_from_kerr(kerr);
    }
    uint64_t scratch = SCRATCH_VADDR + PAGE_SIZE;
    if (len > 0) {
        kerr = vspace_map(CAP_INIT_VSPACE, frame, scratch, MAP_READ | MAP_WRITE);
        if (kerr == KERR_OK) {
            memcpy((uint8_t *)scratch + offset, data, len);
            vspace_unmap(CAP_INIT_VSPACE, frame);
        }
    }
    if (kerr == KERR_OK) {
        kerr = vspace_map(t->vspace, frame, vaddr, rights);
    }
    if (kerr != KERR_OK) {
        drop_slot(&frame);
        return errno_from_kerr(kerr);
    }
    *out = frame;
    return 0;
}

int task_map_new(task_t *t, uint64_t vaddr, unsigned rights, const void *data, size_t len,
                 size_t offset)
{
    cptr_t frame;
    int err = map_new_frame(t, vaddr, rights, data, len, offset, &frame);
    if (err != 0) {
        return err;
    }
    err = hand_over(t, &frame);
    drop_slot(&frame);
    return err;
}

int task_map_new_at(task_t *t, cptr_t cnode, uint64_t slot, uint64_t vaddr, unsigned rights,
                    const void *data, size_t len, size_t offset)
{
    cptr_t frame;
    int err = map_new_frame(t, vaddr, rights, data, len, offset, &frame);
    if (err != 0) {
        return err;
    }
    err = errno_from_kerr(cnode_move(cnode, slot, CAP_INIT_CNODE, frame));
    drop_slot(&frame); /* empty after the move; unmapped and freed otherwise */
    return err;
}

unsigned task_cnode_bits(const task_t *t)
{
    cnode_identity_t id;
    if (cnode_identify_full(CAP_INIT_CNODE, t->cnode, &id) != KERR_OK || id.type != OBJ_CNODE) {
        return t->cnode_bits;
    }
    return (unsigned)id.cnode_bits;
}

int task_give(task_t *t, uint64_t slot, cptr_t cap, unsigned rights, uint64_t badge)
{
    if (slot >= (1ull << t->cnode_bits)) {
        return -EINVAL;
    }
    kerr_t kerr = badge != 0 ? cnode_mint(t->cnode, slot, CAP_INIT_CNODE, cap, rights, badge)
                             : cnode_copy(t->cnode, slot, CAP_INIT_CNODE, cap, rights);
    return errno_from_kerr(kerr);
}

int task_create_stack(task_t *t, unsigned pages, const void *top, size_t len)
{
    if (len > (uint64_t)pages * PAGE_SIZE) {
        return -E2BIG;
    }
    t->info->stack_frames.first = t->next_slot;
    uint64_t base = BOOTINFO_STACK_TOP - (uint64_t)pages * PAGE_SIZE;
    uint64_t content = BOOTINFO_STACK_TOP - len;
    for (uint64_t page = base; page < BOOTINFO_STACK_TOP; page += PAGE_SIZE) {
        uint64_t from = content > page ? content : page;
        size_t n = from < page + PAGE_SIZE ? page + PAGE_SIZE - from : 0;
        const uint8_t *src = n > 0 ? (const uint8_t *)top + (from - content) : NULL;
        int err = task_map_new(t, page, MAP_READ | MAP_WRITE, src, n, n > 0 ? from - page : 0);
        if (err != 0) {
            return err;
        }
    }
    t->info->stack_frames.count = pages;
    return 0;
}

/* Moves the boot-info page from proc-server's scratch address to the task,
 * read-only. */
static int hand_over_info(task_t *t)
{
    vspace_unmap(CAP_INIT_VSPACE, t->info_frame);
    t->info = NULL;
    kerr_t kerr = vspace_map(t->vspace, t->info_frame, BOOTINFO_VADDR, MAP_READ);
    if (kerr == KERR_OK) {
        kerr = cnode_move(t->cnode, BOOTINFO_SLOT, CAP_INIT_CNODE, t->info_frame);
    }
    if (kerr != KERR_OK) {
        return errno_from_kerr(kerr);
    }
    slot_free(t->info_frame);
    t->info_frame = CAP_NULL;
    return 0;
}

int task_seal(task_t *t)
{
    if (t->info == NULL) {
        return 0; /* sealed already */
    }
    if (!t->info_ready) {
        t->info->free_slots.first = t->next_slot;
        t->info->free_slots.count = (1ull << t->cnode_bits) - t->next_slot - t->reserved_top;
    }
    return hand_over_info(t);
}

int task_start(task_t *t, const user_regs_t *regs, const uint8_t *fpu, unsigned priority,
               cptr_t fault_endpoint)
{
    int err = task_seal(t);
    if (err != 0) {
        return err;
    }
    kerr_t kerr = tcb_write_registers(t->tcb, fpu != NULL ? REGS_WRITE_FPU : 0, regs, fpu);
    if (kerr == KERR_OK) {
        kerr = tcb_set_priority(t->tcb, CAP_INIT_TCB, priority);
    }
    if (kerr == KERR_OK && fault_endpoint != CAP_NULL) {
        kerr = tcb_set_fault_handler(t->tcb, fault_endpoint);
    }
    if (kerr == KERR_OK) {
        kerr = tcb_resume(t->tcb);
    }
    return errno_from_kerr(kerr);
}

void task_destroy(task_t *t)
{
    text_use_release(t->text);
    t->text = NULL;
    if (t->info != NULL) {
        vspace_unmap(CAP_INIT_VSPACE, t->info_frame);
        t->info = NULL;
    }
    if (t->pool != CAP_NULL) {
        pool_destroy(t->pool);
    }
    drop_slot(&t->info_frame);
    drop_slot(&t->stack_cnode);
    drop_slot(&t->heap_cnode);
    drop_slot(&t->tcb);
    drop_slot(&t->vspace);
    drop_slot(&t->cnode);
    drop_slot(&t->pool);
}

/* Two more scratch pages: the source and the copy of a page being cloned. */
#define SCRATCH_SRC (SCRATCH_VADDR + 2 * PAGE_SIZE)
#define SCRATCH_DST (SCRATCH_VADDR + 3 * PAGE_SIZE)

/* Copies the contents of `src` (a proc-server slot) into `dst`. */
static kerr_t copy_frame_contents(cptr_t dst, cptr_t src)
{
    kerr_t err = vspace_map(CAP_INIT_VSPACE, src, SCRATCH_SRC, MAP_READ);
    if (err != KERR_OK) {
        return err;
    }
    err = vspace_map(CAP_INIT_VSPACE, dst, SCRATCH_DST, MAP_READ | MAP_WRITE);
    if (err == KERR_OK) {
        memcpy((void *)SCRATCH_DST, (const void *)SCRATCH_SRC, PAGE_SIZE);
        vspace_unmap(CAP_INIT_VSPACE, dst);
    }
    vspace_unmap(CAP_INIT_VSPACE, src);
    return err;
}

/* The frame the clone gets: the same one to share, else a copy. */
static kerr_t frame_for_clone(task_t *t, cptr_t source, bool share, cptr_t *out)
{
    if (share) {
        *out = source;
        return KERR_OK;
    }
    kerr_t err;
    cptr_t copy = create_object(t->pool, OBJ_FRAME, 0, &err);
    if (copy == CAP_NULL) {
        return err;
    }
    if ((err = copy_frame_contents(copy, source)) != KERR_OK) {
        drop_slot(&copy);
        return err;
    }
    *out = copy;
    return KERR_OK;
}

int task_clone_frame(task_t *t, cptr_t src_cnode, uint64_t slot, const cnode_identity_t *id,
                     bool may_share)
{
    return task_clone_frame_to(t, t->cnode, slot, src_cnode, slot, id, may_share);
}

int task_clone_frame_to(task_t *t, cptr_t dst_cnode, uint64_t dst_slot, cptr_t src_cnode,
                        uint64_t slot, const cnode_identity_t *id, bool may_share)
{
    cptr_t source = slot_alloc();
    if (source == CAP_NULL) {
        return -ENOMEM;
    }
    kerr_t err = cnode_copy(CAP_INIT_CNODE, source, src_cnode, slot, RIGHTS_ALL);
    bool share = may_share && id->map_vaddr != 0 && !(id->map_rights & MAP_WRITE);
    cptr_t frame = CAP_NULL;
    if (err == KERR_OK) {
        err = frame_for_clone(t, source, share, &frame);
    }
    if (err == KERR_OK && id->map_vaddr != 0) {
        err = vspace_map(t->vspace, frame, id->map_vaddr, (unsigned)id->map_rights);
    }
    if (err == KERR_OK) {
        err = cnode_move(dst_cnode, dst_slot, CAP_INIT_CNODE, frame);
    }
    if (frame != source) {
        drop_slot(&frame); /* empty after the move; the copy when anything failed */
    }
    drop_slot(&source);
    return errno_from_kerr(err);
}

int task_clone_info(task_t *t, cptr_t src_cnode)
{
    cptr_t source = slot_alloc();
    if (source == CAP_NULL) {
        return -ENOMEM;
    }
    kerr_t err = cnode_copy(CAP_INIT_CNODE, source, src_cnode, BOOTINFO_SLOT, RIGHTS_ALL);
    if (err == KERR_OK) {
        err = vspace_map(CAP_INIT_VSPACE, source, SCRATCH_SRC, MAP_READ);
    }
    if (err == KERR_OK) {
        memcpy(t->info, (const void *)SCRATCH_SRC, sizeof(*t->info));
        vspace_unmap(CAP_INIT_VSPACE, source);
        t->info_ready = true;
    }
    drop_slot(&source);
    return errno_from_kerr(err);
}
