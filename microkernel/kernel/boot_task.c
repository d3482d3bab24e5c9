/*
 * The root task. The kernel loads the first boot module as a static ELF into
 * a new VSpace and gives it, through its CNode and the boot-info page, every
 * capability there is: the root pool with all free memory, its own TCB,
 * CNode and VSpace, the Debug object and every other module as frames.
 * Everything is made with the same object code the invocations use.
 */
#include "kernel/boot_task.h"

#include "arch/layout.h"
#include "kernel/cap.h"
#include "kernel/elf.h"
#include "kernel/frame_alloc.h"
#include "kernel/kalloc.h"
#include "kernel/log.h"
#include "kernel/memory.h"
#include "kernel/panic.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "object/cnode.h"
#include "object/device.h"
#include "object/frame.h"
#include "object/pool.h"
#include "object/tcb.h"
#include "object/vspace.h"
#include "uapi/bootinfo.h"
#include "uapi/vm.h"

/* The root task (proc-server) keeps the capabilities of every process and
 * server it creates, and those of its own heap pages. */
#define SPARE_SLOTS 32768

_Static_assert(BOOTINFO_MAX_SEGMENTS >= ELF_MAX_SEGMENTS, "boot info lists every segment");
#define ROOT_PRIORITY PRIORITY_MAX

typedef struct {
    pool_t *pool;
    cnode_t *cnode;
    vspace_t *vspace;
    tcb_t *tcb;
    bootinfo_t *info;
    uint64_t next_slot;
} root_t;

static kobject_t *create(root_t *r, obj_type_t type, unsigned size_bits)
{
    kobject_t *obj;
    if (object_create(r->pool, type, size_bits, &obj) != KERR_OK) {
        panic("boot: out of memory creating the root task");
    }
    return obj;
}

static cte_t *place(root_t *r, uint64_t slot, kobject_t *obj)
{
    cte_t *cte = cnode_slot(r->cnode, slot);
    ASSERT(cte != NULL);
    cte_insert(cte, cap_for_object(obj), NULL);
    return cte;
}

static cte_t *place_next(root_t *r, kobject_t *obj)
{
    return place(r, r->next_slot++, obj);
}

static void map(root_t *r, cte_t *frame_cap, vaddr_t va, unsigned rights)
{
    unsigned bad_arg;
    if (vspace_map_frame(r->vspace, frame_cap, va, rights, &bad_arg) != KERR_OK) {
        panic("boot: cannot map the root task at %p", (void *)va);
    }
}

static unsigned segment_rights(uint32_t flags)
{
    unsigned rights = MAP_READ;
    if (flags & ELF_SEG_WRITE) {
        rights |= MAP_WRITE;
    }
    if (flags & ELF_SEG_EXEC) {
        rights |= MAP_EXEC;
    }
    return rights;
}

/* One fresh frame per page of the segment, filled from the file. */
static void load_segment(root_t *r, const uint8_t *file, const elf_segment_t *seg)
{
    vaddr_t first = ALIGN_DOWN(seg->vaddr, FRAME_SIZE);
    vaddr_t end = ALIGN_UP(seg->vaddr + seg->memsz, FRAME_SIZE);
    for (vaddr_t va = first; va < end; va += FRAME_SIZE) {
        frame_t *frame = (frame_t *)create(r, OBJ_FRAME, 0);
        uint8_t *page = phys_to_virt(frame->paddr);
        /* the part of [vaddr, vaddr + filesz) inside this page */
        uint64_t lo = va > seg->vaddr ? va : seg->vaddr;
        uint64_t hi =
            va + FRAME_SIZE < seg->vaddr + seg->filesz ? va + FRAME_SIZE : seg->vaddr + seg->filesz;
        if (lo < hi) {
            memcpy(page + (lo - va), file + seg->offset + (lo - seg->vaddr), hi - lo);
        }
        map(r, place_next(r, &frame->obj), va, segment_rights(seg->flags));
    }
}

static uint64_t load_image(root_t *r, const mb2_module_t *mod)
{
    elf_image_t elf;
    const uint8_t *file = phys_to_virt(mod->start);
    /* The root task is linked to run where it is (ET_EXEC), below the boot-info page. */
    const elf_policy_t policy = {USER_MAP_MIN, BOOTINFO_VADDR, 0, 0};
    const char *err = elf_check(file, mod->end - mod->start, &policy, &elf);
    if (err != NULL) {
        panic("boot: root task \"%s\": %s", mod->cmdline, err);
    }
    r->info->image_frames.first = r->next_slot;
    for (size_t i = 0; i < elf.segment_count; i++) {
        const elf_segment_t *seg = &elf.segments[i];
        vaddr_t first = ALIGN_DOWN(seg->vaddr, FRAME_SIZE);
        r->info->image_segments[i] = (bootinfo_segment_t){
            first, (ALIGN_UP(seg->vaddr + seg->memsz, FRAME_SIZE) - first) / FRAME_SIZE,
            segment_rights(seg->flags)};
        load_segment(r, file, seg);
    }
    r->info->image_segment_count = elf.segment_count;
    r->info->image_frames.count = r->next_slot - r->info->image_frames.first;
    return elf.entry;
}

static void create_stack(root_t *r)
{
    r->info->stack_frames.first = r->next_slot;
    r->info->stack_frames.count = BOOTINFO_STACK_PAGES;
    for (unsigned i = BOOTINFO_STACK_PAGES; i > 0; i--) {
        kobject_t *frame = create(r, OBJ_FRAME, 0);
        map(r, place_next(r, frame), BOOTINFO_STACK_TOP - i * FRAME_SIZE, MAP_READ | MAP_WRITE);
    }
}

/* Frames naming the module's own pages; they are not charged a data page. */
static void hand_over_module(root_t *r, const mb2_module_t *mod, bootinfo_module_t *out)
{
    size_t name_len = strlen(mod->cmdline);
    if (name_len >= BOOTINFO_NAME_MAX) {
        name_len = BOOTINFO_NAME_MAX - 1;
    }
    memcpy(out->name, mod->cmdline, name_len);
    out->size = mod->end - mod->start;
    out->frames.first = r->next_slot;
    for (paddr_t pa = mod->start; pa < mod->end; pa += FRAME_SIZE) {
        frame_t *frame = kalloc(sizeof(frame_t));
        size_t charge = kalloc_charge(sizeof(frame_t));
        if (frame == NULL || pool_charge(r->pool, charge) != KERR_OK) {
            panic("boot: out of memory handing over modules");
        }
        frame->paddr = pa;
        frame->boot_module = true;
        object_link(&frame->obj, OBJ_FRAME, r->pool, charge);
        place_next(r, &frame->obj);
    }
    out->frames.count = r->next_slot - out->frames.first;
}

static unsigned cnode_bits_for(const mb2_info_t *mb)
{
    uint64_t slots = CAP_INIT_FIRST_FREE + BOOTINFO_STACK_PAGES + SPARE_SLOTS;
    for (size_t i = 0; i < mb->module_count; i++) {
        /* the root task's image takes at most one slot per page, too */
        slots += ALIGN_UP(mb->modules[i].end - mb->modules[i].start, FRAME_SIZE) / FRAME_SIZE;
    }
    unsigned bits = 12;
    while ((1ull << bits) < slots) {
        bits++;
    }
    if (bits > CNODE_MAX_SIZE_BITS) {
        panic("boot: modules need %lu slots, more than one CNode holds", slots);
    }
    return bits;
}

static void create_core_objects(root_t *r, const mb2_info_t *mb)
{
    r->cnode = (cnode_t *)create(r, OBJ_CNODE, cnode_bits_for(mb));
    r->vspace = (vspace_t *)create(r, OBJ_VSPACE, 0);
    r->tcb = (tcb_t *)create(r, OBJ_TCB, 0);
    place(r, CAP_INIT_CNODE, &r->cnode->obj);
    place(r, CAP_INIT_TCB, &r->tcb->obj);
    place(r, CAP_INIT_VSPACE, &r->vspace->obj);
    place(r, CAP_INIT_POOL, &r->pool->obj);
    place(r, CAP_INIT_DEBUG, create(r, OBJ_DEBUG, 0));
    place(r, CAP_INIT_IRQ_CONTROL, device_irq_control());
    cte_t *ports = place(r, CAP_INIT_IO_PORT, device_io_ports());
    ports->cap.badge = io_port_range(0, 0xffff);

    kobject_t *ipc = create(r, OBJ_FRAME, 0);
    kobject_t *info = create(r, OBJ_FRAME, 0);
    map(r, place(r, CAP_INIT_IPC_BUFFER, ipc), BOOTINFO_IPC_BUFFER_VADDR, MAP_READ | MAP_WRITE);
    map(r, place(r, CAP_INIT_BOOTINFO, info), BOOTINFO_VADDR, MAP_READ);
    r->info = phys_to_virt(((frame_t *)info)->paddr);
    r->next_slot = CAP_INIT_FIRST_FREE;
}

static void start_thread(root_t *r, uint64_t entry)
{
    tcb_t *t = r->tcb;
    cte_insert(&t->cspace, cnode_slot(r->cnode, CAP_INIT_CNODE)->cap,
               cnode_slot(r->cnode, CAP_INIT_CNODE));
    cte_insert(&t->vspace, cnode_slot(r->cnode, CAP_INIT_VSPACE)->cap,
               cnode_slot(r->cnode, CAP_INIT_VSPACE));
    cte_insert(&t->ipc_buffer, cnode_slot(r->cnode, CAP_INIT_IPC_BUFFER)->cap,
               cnode_slot(r->cnode, CAP_INIT_IPC_BUFFER));
    tcb_cache_slots(t);
    t->ipc_buffer_vaddr = BOOTINFO_IPC_BUFFER_VADDR;
    t->priority = ROOT_PRIORITY;
    t->mcp = ROOT_PRIORITY;
    t->ctx.rip = entry;
    t->ctx.rsp = BOOTINFO_STACK_TOP;
    t->ctx.rdi = BOOTINFO_VADDR;
    tcb_resume(t);
}

static void fill_bootinfo(root_t *r, const mb2_info_t *mb, uint64_t mem_total)
{
    bootinfo_t *bi = r->info;
    bi->magic = BOOTINFO_MAGIC;
    bi->cnode_size_bits = r->cnode->size_bits;
    bi->ipc_buffer_vaddr = BOOTINFO_IPC_BUFFER_VADDR;
    bi->mem_total = mem_total;
    size_t len = strlen(mb->cmdline);
    memcpy(bi->cmdline, mb->cmdline, len < BOOTINFO_CMDLINE_MAX ? len : BOOTINFO_CMDLINE_MAX - 1);
}

void boot_task_create(const mb2_info_t *mb, uint64_t mem_total)
{
    if (mb->module_count == 0) {
        panic("boot: no modules: GRUB must load the root task as the first module");
    }
    if (mb->module_count - 1 > BOOTINFO_MAX_MODULES) {
        panic("boot: %zu modules, the boot-info page lists at most %d", mb->module_count - 1,
              BOOTINFO_MAX_MODULES);
    }
    root_t r = {.pool = pool_create_root(frame_alloc_free_count() * FRAME_SIZE)};
    if (r.pool == NULL) {
        panic("boot: no memory for the root pool");
    }
    create_core_objects(&r, mb);
    fill_bootinfo(&r, mb, mem_total);
    uint64_t entry = load_image(&r, &mb->modules[0]);
    create_stack(&r);
    for (size_t i = 1; i < mb->module_count; i++) {
        hand_over_module(&r, &mb->modules[i], &r.info->modules[i - 1]);
    }
    r.info->module_count = mb->module_count - 1;
    r.info->free_slots.first = r.next_slot;
    r.info->free_slots.count = cnode_slot_count(r.cnode) - r.next_slot;
    r.info->pool_budget = r.pool->budget;
    start_thread(&r, entry);
    kprintf("boot: root task \"%s\": entry %p, %lu KiB in its pool (%lu KiB used)\n",
            mb->modules[0].cmdline, (void *)entry, r.pool->budget / 1024, r.pool->used / 1024);
}
