/*
 * VSpaces: Map and Unmap, the addresses Map refuses (misaligned, below
 * USER_MAP_MIN, the info page, the kernel half, non-canonical), double
 * maps, unmapping nothing, the rights a mapping needs and gets (a thread
 * writing a read-only page or running a page without MAP_EXEC faults),
 * sharing through a copied capability, the TLB forgetting every way a
 * mapping can go, what deleting a mapped frame or a VSpace leaves, and
 * page tables charged to the VSpace's pool.
 */
#include <stddef.h>

#include "check.h"
#include "helper.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define VEC_UD 6
#define VEC_PF 14
#define PF_PRESENT 0x1u
#define PF_WRITE 0x2u
#define PF_USER 0x4u
#define PF_FETCH 0x10u

void test_vspace_map_unmap(void)
{
    cptr_t frame;
    volatile uint64_t *mem;
    uint64_t other = va_alloc(1);
    CHECK_OK(frame_new_mapped(CAP_INIT_POOL, &frame, &mem));
    mem[0] = 0x1234;
    mem[511] = 0x5678;
    CHECK_OK(vspace_unmap(CAP_INIT_VSPACE, frame));
    CHECK_ERR_ARG(vspace_unmap(CAP_INIT_VSPACE, frame), KERR_NOT_MAPPED, 0);
    /* the same frame elsewhere, read-only this time */
    CHECK_OK(vspace_map(CAP_INIT_VSPACE, frame, other, MAP_READ));
    CHECK_EQ(((volatile uint64_t *)other)[0], 0x1234);
    CHECK_EQ(((volatile uint64_t *)other)[511], 0x5678);
    CHECK_OK(vspace_unmap(CAP_INIT_VSPACE, frame));
    /* and back at the first address */
    CHECK_OK(vspace_map(CAP_INIT_VSPACE, frame, (uint64_t)mem, MAP_READ | MAP_WRITE));
    CHECK_EQ(mem[0], 0x1234);
}

/* CNode_Identify tells where a Frame capability is mapped, and with what
 * rights; an unmapped one reports 0. */
void test_vspace_identify_mapping(void)
{
    cptr_t frame;
    volatile uint64_t *mem;
    CHECK_OK(frame_new_mapped(CAP_INIT_POOL, &frame, &mem));
    cnode_identity_t id;
    CHECK_OK(cnode_identify_full(CAP_INIT_CNODE, frame, &id));
    CHECK_EQ(id.type, OBJ_FRAME);
    CHECK_EQ(id.map_vaddr, (uint64_t)mem);
    CHECK_EQ(id.map_rights, MAP_READ | MAP_WRITE);
    CHECK_OK(vspace_unmap(CAP_INIT_VSPACE, frame));
    CHECK_OK(cnode_identify_full(CAP_INIT_CNODE, frame, &id));
    CHECK_EQ(id.map_vaddr, 0);
    CHECK_EQ(id.map_rights, 0);
    CHECK_OK(vspace_map(CAP_INIT_VSPACE, frame, (uint64_t)mem, MAP_READ | MAP_EXEC));
    CHECK_OK(cnode_identify_full(CAP_INIT_CNODE, frame, &id));
    CHECK_EQ(id.map_rights, MAP_READ | MAP_EXEC);
}

void test_vspace_map_range(void)
{
    static const uint64_t out_of_range[] = {
        0,
        PAGE_SIZE,
        USER_MAP_MIN - PAGE_SIZE,
        USER_INFO_PAGE,
        USER_LIMIT,
        0x0000800000000000ull,
        0x8000000000000000ull,
        0xffff800000000000ull,
        0xffffffff80000000ull,
        0xfffffffffffff000ull,
    };
    static const uint64_t misaligned[] = {1, 8, 0x800, PAGE_SIZE - 1};
    static const uint64_t bad_rights[] = {0, 8, MAP_READ | 0x10, (1ull << 32) | MAP_READ, ~0ull};
    cptr_t frame;
    uint64_t va = va_alloc(1);
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_FRAME, 0, &frame));
    for (size_t i = 0; i < ARRAY_LEN(out_of_range); i++) {
        CHECK_ERR_ARG(vspace_map(CAP_INIT_VSPACE, frame, out_of_range[i], MAP_READ), KERR_RANGE, 1);
    }
    for (size_t i = 0; i < ARRAY_LEN(misaligned); i++) {
        CHECK_ERR_ARG(vspace_map(CAP_INIT_VSPACE, frame, va + misaligned[i], MAP_READ),
                      KERR_ALIGNMENT, 1);
    }
    for (size_t i = 0; i < ARRAY_LEN(bad_rights); i++) {
        uint64_t args[3] = {frame, va, bad_rights[i]};
        CHECK_ERR_ARG(kernel_invoke(CAP_INIT_VSPACE, INV_VSPACE_MAP, args, 3, NULL, 0),
                      KERR_INVALID_ARGUMENT, 2);
    }
    CHECK_ERR_ARG(vspace_unmap(CAP_INIT_VSPACE, frame), KERR_NOT_MAPPED, 0);
    /* the first and the last page that may be mapped */
    CHECK_OK(vspace_map(CAP_INIT_VSPACE, frame, USER_MAP_MIN, MAP_READ));
    CHECK_OK(vspace_unmap(CAP_INIT_VSPACE, frame));
    CHECK_OK(vspace_map(CAP_INIT_VSPACE, frame, USER_MAP_LIMIT - PAGE_SIZE, MAP_READ));
    CHECK_OK(vspace_unmap(CAP_INIT_VSPACE, frame));
}

static const uint64_t image_word = 1; /* in the root's own image */

void test_vspace_double_map(void)
{
    cptr_t frame, other, copy, vspace;
    volatile uint64_t *mem;
    uint64_t va2 = va_alloc(1);
    CHECK_OK(frame_new_mapped(CAP_INIT_POOL, &frame, &mem));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_FRAME, 0, &other));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_VSPACE, 0, &vspace));
    /* a frame capability maps once, anywhere */
    CHECK_ERR_ARG(vspace_map(CAP_INIT_VSPACE, frame, va2, MAP_READ), KERR_ALREADY_MAPPED, 0);
    CHECK_ERR_ARG(vspace_map(vspace, frame, va2, MAP_READ), KERR_ALREADY_MAPPED, 0);
    /* an address holds one frame */
    CHECK_ERR_ARG(vspace_map(CAP_INIT_VSPACE, other, (uint64_t)mem, MAP_READ), KERR_ALREADY_MAPPED,
                  1);
    uint64_t image_page = (uint64_t)&image_word & ~(PAGE_SIZE - 1);
    CHECK_ERR_ARG(vspace_map(CAP_INIT_VSPACE, other, image_page, MAP_READ), KERR_ALREADY_MAPPED, 1);
    CHECK_ERR_ARG(vspace_map(CAP_INIT_VSPACE, other, selftest_bootinfo->ipc_buffer_vaddr, MAP_READ),
                  KERR_ALREADY_MAPPED, 1);
    /* a copy of the capability maps the same memory again */
    CHECK_OK(cap_derive(frame, RIGHT_READ, &copy));
    CHECK_OK(vspace_map(CAP_INIT_VSPACE, copy, va2, MAP_READ));
    mem[3] = 0xabcdef;
    CHECK_EQ(((volatile uint64_t *)va2)[3], 0xabcdef);
}

void test_vspace_unmap_errors(void)
{
    cptr_t frame, vspace, tcb, empty = slot_alloc();
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_FRAME, 0, &frame));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_VSPACE, 0, &vspace));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_TCB, 0, &tcb));
    CHECK_ERR_ARG(vspace_unmap(CAP_INIT_VSPACE, frame), KERR_NOT_MAPPED, 0);
    /* mapped, but in another VSpace */
    CHECK_OK(vspace_map(vspace, frame, 0x400000, MAP_READ));
    CHECK_ERR_ARG(vspace_unmap(CAP_INIT_VSPACE, frame), KERR_NOT_MAPPED, 0);
    CHECK_OK(vspace_unmap(vspace, frame));
    CHECK_ERR_ARG(vspace_unmap(vspace, frame), KERR_NOT_MAPPED, 0);
    CHECK_ERR_ARG(vspace_unmap(CAP_INIT_VSPACE, tcb), KERR_WRONG_TYPE, 0);
    CHECK_ERR_ARG(vspace_unmap(CAP_INIT_VSPACE, empty), KERR_INVALID_CAP, 0);
}

void test_vspace_rights(void)
{
    cptr_t frame, ro, wo, none, ro_vspace;
    uint64_t va = va_alloc(1);
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_FRAME, 0, &frame));
    CHECK_OK(cap_derive(frame, RIGHT_READ, &ro));
    CHECK_OK(cap_derive(frame, RIGHT_WRITE, &wo));
    CHECK_OK(cap_derive(frame, 0, &none));
    CHECK_OK(cap_derive(CAP_INIT_VSPACE, RIGHT_READ, &ro_vspace));
    /* MAP_WRITE needs the write right, MAP_READ and MAP_EXEC the read right */
    CHECK_ERR_ARG(vspace_map(CAP_INIT_VSPACE, ro, va, MAP_READ | MAP_WRITE), KERR_NO_RIGHTS, 2);
    CHECK_ERR_ARG(vspace_map(CAP_INIT_VSPACE, wo, va, MAP_READ), KERR_NO_RIGHTS, 2);
    CHECK_ERR_ARG(vspace_map(CAP_INIT_VSPACE, wo, va, MAP_EXEC), KERR_NO_RIGHTS, 2);
    CHECK_ERR_ARG(vspace_map(CAP_INIT_VSPACE, none, va, MAP_READ), KERR_NO_RIGHTS, 2);
    /* changing a VSpace needs the write right on it */
    CHECK_ERR_ARG(vspace_map(ro_vspace, frame, va, MAP_READ), KERR_NO_RIGHTS, KERR_ARG_NONE);
    CHECK_OK(vspace_map(CAP_INIT_VSPACE, ro, va, MAP_READ | MAP_EXEC));
    CHECK_ERR(vspace_unmap(ro_vspace, ro), KERR_NO_RIGHTS);
    CHECK_OK(vspace_unmap(CAP_INIT_VSPACE, ro));
}

/* Writes 1 to *rdi, then stops on ud2: copied into frames to be run. */
__asm__("    .text\n"
        "    .global store_program, store_program_end\n"
        "store_program:\n"
        "    movq $1, (%rdi)\n"
        "    ud2\n"
        "store_program_end:\n");

extern const char store_program[], store_program_end[];

static volatile uint64_t store_flag;

/* Runs the code at `rip` in a thread with rdi = `target`. */
static uint64_t run_at(uint64_t rip, uint64_t target, tcb_registers_t *r)
{
    cptr_t tcb;
    if (thread_new(CAP_INIT_POOL, rip, target, THREAD_PRIORITY, &tcb) != KERR_OK ||
        tcb_resume(tcb) != KERR_OK) {
        return ~0ull;
    }
    return thread_wait(tcb, r);
}

void test_vspace_rights_enforced(void)
{
    cptr_t code, data, nx_code;
    volatile uint64_t *data_va;
    uint64_t code_va = va_alloc(1), nx_va = va_alloc(1);
    tcb_registers_t r;
    size_t len = (size_t)(store_program_end - store_program);
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_FRAME, 0, &code));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_FRAME, 0, &nx_code));
    CHECK_OK(frame_write(code, store_program, len));
    CHECK_OK(frame_write(nx_code, store_program, len));
    CHECK_OK(vspace_map(CAP_INIT_VSPACE, code, code_va, MAP_READ | MAP_EXEC));
    CHECK_OK(vspace_map(CAP_INIT_VSPACE, nx_code, nx_va, MAP_READ));
    CHECK_OK(frame_new_mapped(CAP_INIT_POOL, &data, &data_va));
    CHECK_OK(vspace_unmap(CAP_INIT_VSPACE, data));
    CHECK_OK(vspace_map(CAP_INIT_VSPACE, data, (uint64_t)data_va, MAP_READ));
    /* executable page, writable target: runs to its ud2 */
    CHECK_EQ(run_at(code_va, (uint64_t)&store_flag, &r), TCB_STATE_FAULTED);
    CHECK_EQ(r.fault_vector, VEC_UD);
    CHECK_EQ(store_flag, 1);
    /* read-only target: a write fault on a present page */
    CHECK_EQ(run_at(code_va, (uint64_t)data_va, &r), TCB_STATE_FAULTED);
    CHECK_EQ(r.fault_vector, VEC_PF);
    CHECK_EQ(r.fault_addr, (uint64_t)data_va);
    CHECK_EQ(r.fault_error & (PF_PRESENT | PF_WRITE | PF_USER), PF_PRESENT | PF_WRITE | PF_USER);
    CHECK_EQ(r.regs.rip, code_va);
    CHECK_EQ(*data_va, 0);
    /* page without MAP_EXEC: an instruction fetch fault */
    CHECK_EQ(run_at(nx_va, (uint64_t)&store_flag, &r), TCB_STATE_FAULTED);
    CHECK_EQ(r.fault_vector, VEC_PF);
    CHECK_EQ(r.fault_addr, nx_va);
    CHECK_EQ(r.fault_error & (PF_FETCH | PF_USER), PF_FETCH | PF_USER);
}

/* Loads *rdi, then stops on ud2. */
__asm__("    .text\n"
        "    .global load_program\n"
        "load_program:\n"
        "    mov (%rdi), %rax\n"
        "    ud2\n");

extern const char load_program[];

/* A thread reading `va` must take a page fault there: nothing is mapped,
 * whatever the TLB held a moment ago. */
static void expect_unmapped(int line, uint64_t va)
{
    tcb_registers_t r;
    uint64_t state = run_at((uint64_t)load_program, va, &r);
    if (state != TCB_STATE_FAULTED || r.fault_vector != VEC_PF || r.fault_addr != va ||
        (r.fault_error & PF_PRESENT) != 0) {
        check_fail(__FILE__, line, "reading 0x%lx: state %lu vector %lu error 0x%lx addr 0x%lx", va,
                   state, r.fault_vector, r.fault_error, r.fault_addr);
    }
}

#define EXPECT_UNMAPPED(va) CHECK_STEP(expect_unmapped(__LINE__, va))

void test_vspace_unmap_flushes(void)
{
    cptr_t frame, copy, pool;
    volatile uint64_t *mem;
    /* the root reads each page first, so the TLB holds it */
    CHECK_OK(frame_new_mapped(CAP_INIT_POOL, &frame, &mem));
    CHECK_EQ(*mem, 0);
    CHECK_OK(vspace_unmap(CAP_INIT_VSPACE, frame));
    EXPECT_UNMAPPED((uint64_t)mem);
    CHECK_OK(frame_new_mapped(CAP_INIT_POOL, &frame, &mem));
    CHECK_EQ(*mem, 0);
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, frame));
    EXPECT_UNMAPPED((uint64_t)mem);
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_FRAME, 0, &frame));
    CHECK_OK(cap_derive(frame, RIGHT_READ, &copy));
    mem = (volatile uint64_t *)va_alloc(1);
    CHECK_OK(vspace_map(CAP_INIT_VSPACE, copy, (uint64_t)mem, MAP_READ));
    CHECK_EQ(*mem, 0);
    CHECK_OK(cnode_revoke(CAP_INIT_CNODE, frame));
    EXPECT_UNMAPPED((uint64_t)mem);
    CHECK_OK(pool_new(64 * 1024, &pool));
    CHECK_OK(frame_new_mapped(pool, &frame, &mem));
    CHECK_EQ(*mem, 0);
    CHECK_OK(pool_destroy(pool));
    EXPECT_UNMAPPED((uint64_t)mem);
}

void test_vspace_delete_mapped(void)
{
    cptr_t frame, fresh, vspace, held;
    volatile uint64_t *mem;
    CHECK_OK(frame_new_mapped(CAP_INIT_POOL, &frame, &mem));
    *mem = 0xfeed;
    /* deleting a mapped frame capability unmaps it */
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, frame));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_FRAME, 0, &fresh));
    CHECK_OK(vspace_map(CAP_INIT_VSPACE, fresh, (uint64_t)mem, MAP_READ | MAP_WRITE));
    CHECK_EQ(*mem, 0);
    /* deleting a VSpace unmaps what it held: the frames map again */
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_VSPACE, 0, &vspace));
    CHECK_OK(object_new(CAP_INIT_POOL, OBJ_FRAME, 0, &held));
    CHECK_OK(vspace_map(vspace, held, 0x400000, MAP_READ | MAP_WRITE));
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, vspace));
    CHECK_ERR_ARG(vspace_unmap(CAP_INIT_VSPACE, held), KERR_NOT_MAPPED, 0);
    CHECK_OK(vspace_map(CAP_INIT_VSPACE, held, va_alloc(1), MAP_READ));
}

void test_vspace_table_charge(void)
{
    const uint64_t tables = 3; /* PDPT, page directory, page table */
    cptr_t pool, vspace, frame, fillers[48];
    unsigned count = 0;
    CHECK_OK(pool_new(128 * 1024, &pool));
    CHECK_OK(object_new(pool, OBJ_VSPACE, 0, &vspace));
    CHECK_OK(object_new(pool, OBJ_FRAME, 0, &frame));
    while (count < ARRAY_LEN(fillers) &&
           object_new(pool, OBJ_FRAME, 0, &fillers[count]) == KERR_OK) {
        count++;
    }
    CHECK(count > tables && count < ARRAY_LEN(fillers));
    /* no room for the page tables: the map fails and changes nothing */
    pool_stats_t full = pool_stats(pool);
    CHECK_ERR(vspace_map(vspace, frame, 0x400000, MAP_READ), KERR_NO_MEMORY);
    CHECK_EQ(pool_stats(pool).used, full.used);
    CHECK_ERR(vspace_unmap(vspace, frame), KERR_NOT_MAPPED);
    /* room for them: the VSpace's pool pays exactly three pages */
    for (unsigned i = 0; i < tables; i++) {
        CHECK_OK(cnode_delete(CAP_INIT_CNODE, fillers[i]));
    }
    pool_stats_t room = pool_stats(pool);
    CHECK_OK(vspace_map(vspace, frame, 0x400000, MAP_READ));
    CHECK_EQ(pool_stats(pool).used, room.used + tables * PAGE_SIZE);
    /* tables stay until the VSpace goes; then all of it comes back */
    CHECK_OK(vspace_unmap(vspace, frame));
    CHECK_EQ(pool_stats(pool).used, room.used + tables * PAGE_SIZE);
    CHECK_OK(cnode_delete(CAP_INIT_CNODE, vspace));
    CHECK(pool_stats(pool).used < room.used);
}
