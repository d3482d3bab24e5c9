/* Benchmark threads (see spawn.h). */
#include "spawn.h"

#include "capsule/print.h"

#define STACK_BYTES 16384

static const bootinfo_t *boot;
static uint64_t next_slot;
static uint8_t local_stacks[16][STACK_BYTES] __attribute__((aligned(16)));
static unsigned local_stacks_used;

void spawn_init(const bootinfo_t *bi)
{
    boot = bi;
    next_slot = bi->free_slots.first;
}

uint64_t spawn_slot(void)
{
    return next_slot++;
}

uint64_t spawn_object(obj_type_t type)
{
    uint64_t slot = spawn_slot();
    kerr_t err = pool_create(CAP_INIT_POOL, type, 0, CAP_INIT_CNODE, slot);
    if (err != KERR_OK) {
        print("kbench: cannot create an object: %s\n", kerr_name(err));
        debug_shutdown(CAP_INIT_DEBUG, 1);
    }
    return slot;
}

static void map_fresh(uint64_t vspace, uint64_t vaddr, unsigned pages)
{
    for (unsigned i = 0; i < pages; i++) {
        vspace_map(vspace, spawn_object(OBJ_FRAME), vaddr + i * 4096, MAP_READ | MAP_WRITE);
    }
}

/* Copies of the image frames, mapped where the image is, never writable. */
static void map_image(uint64_t vspace)
{
    uint64_t frame = boot->image_frames.first;
    for (uint64_t s = 0; s < boot->image_segment_count; s++) {
        const bootinfo_segment_t *seg = &boot->image_segments[s];
        for (uint64_t p = 0; p < seg->pages; p++, frame++) {
            uint64_t copy = spawn_slot();
            cnode_copy(CAP_INIT_CNODE, copy, CAP_INIT_CNODE, frame, RIGHT_READ);
            vspace_map(vspace, copy, seg->vaddr + p * 4096, seg->rights & ~MAP_WRITE);
        }
    }
}

spawned_t spawn(void (*entry)(uint64_t, uint64_t), uint64_t arg0, uint64_t arg1, unsigned priority,
                bool own_vspace)
{
    spawned_t s = {.tcb = spawn_object(OBJ_TCB)};
    uint64_t vspace = CAP_INIT_VSPACE, rsp;
    uint64_t ipc = spawn_object(OBJ_FRAME);
    if (own_vspace) {
        s.vspace = vspace = spawn_object(OBJ_VSPACE);
        map_image(vspace);
        map_fresh(vspace, SPAWN_STACK_TOP - SPAWN_STACK_PAGES * 4096, SPAWN_STACK_PAGES);
        map_fresh(vspace, SPAWN_DATA, SPAWN_DATA_PAGES);
        rsp = SPAWN_STACK_TOP - 8;
        s.ipc = (ipc_buffer_t *)SPAWN_IPC_BUFFER;
        vspace_map(vspace, ipc, SPAWN_IPC_BUFFER, MAP_READ | MAP_WRITE);
        tcb_configure(s.tcb, CAP_INIT_CNODE, vspace, ipc, SPAWN_IPC_BUFFER);
    } else {
        rsp = (uint64_t)&local_stacks[local_stacks_used++][STACK_BYTES - 8];
        uint64_t ipc_va = SPAWN_IPC_BUFFER + 4096 * (1 + local_stacks_used);
        s.ipc = (ipc_buffer_t *)ipc_va;
        vspace_map(vspace, ipc, ipc_va, MAP_READ | MAP_WRITE);
        tcb_configure(s.tcb, CAP_INIT_CNODE, vspace, ipc, ipc_va);
    }
    user_regs_t regs = {
        .rip = (uint64_t)entry, .rsp = rsp, .rflags = 0x202, .rdi = arg0, .rsi = arg1};
    tcb_set_priority(s.tcb, CAP_INIT_TCB, priority);
    /* like a server: no FPU, so IPC to it switches no FPU state */
    tcb_set_flags(s.tcb, TCB_FLAG_NO_FPU);
    tcb_write_registers(s.tcb, REGS_WRITE_RESUME, &regs, NULL);
    return s;
}

void spawn_stop(spawned_t *s)
{
    tcb_suspend(s->tcb);
}
