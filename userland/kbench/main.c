/*
 * The kernel benchmark root task: null system call, thread switch, map +
 * unmap of a 4 KiB frame and IPC, timed with the TSC inside the guest.
 * tools/run-bench.py turns its output into build/bench.json.
 */
#include <stddef.h>

#include "capsule/kernel.h"
#include "capsule/print.h"
#include "ipc_bench.h"
#include "measure.h"
#include "personality_bench.h"
#include "spawn.h"
#include "uapi/bootinfo.h"

#define SYSCALL_ITERATIONS 2000
#define SWITCH_ITERATIONS 1000
#define MAP_ITERATIONS 500
#define MAP_VADDR 0x20000000ull
#define STACK_BYTES 16384

static uint8_t partner_stack[STACK_BYTES] __attribute__((aligned(16)));

static uint64_t create(obj_type_t type)
{
    return spawn_object(type);
}

/* A native call on the null capability: kernel entry, CSpace lookup and
 * an error reply, the shortest round trip there is. */
static void bench_null_syscall(void)
{
    measurement_t m = {"null_syscall", SYSCALL_ITERATIONS, {0}};
    for (int b = 0; b < BATCHES; b++) {
        uint64_t t0 = tsc_now();
        for (int i = 0; i < SYSCALL_ITERATIONS; i++) {
            sys_call(CAP_NULL, 0, 0, 0, 0, 0);
        }
        m.per_iteration[b] = (tsc_now() - t0) / SYSCALL_ITERATIONS;
    }
    measurement_report(&m);
}

static void partner(void)
{
    for (;;) {
        sys_yield();
    }
}

/* Two threads of equal priority yielding to each other: each round trip
 * is two switches. */
static void bench_thread_switch(void)
{
    uint64_t tcb = create(OBJ_TCB);
    user_regs_t regs = {.rip = (uint64_t)partner,
                        .rsp = (uint64_t)&partner_stack[STACK_BYTES - 8],
                        .rflags = 0x202};
    tcb_configure(tcb, CAP_INIT_CNODE, CAP_INIT_VSPACE, 0, 0);
    tcb_set_priority(tcb, CAP_INIT_TCB, BENCH_PRIORITY);
    tcb_set_priority(CAP_INIT_TCB, CAP_INIT_TCB, BENCH_PRIORITY);
    tcb_write_registers(tcb, REGS_WRITE_RESUME, &regs, NULL);

    measurement_t m = {"thread_switch", SWITCH_ITERATIONS, {0}};
    for (int b = 0; b < BATCHES; b++) {
        uint64_t t0 = tsc_now();
        for (int i = 0; i < SWITCH_ITERATIONS; i++) {
            sys_yield();
        }
        m.per_iteration[b] = (tsc_now() - t0) / (2 * SWITCH_ITERATIONS);
    }
    tcb_suspend(tcb);
    tcb_set_priority(CAP_INIT_TCB, CAP_INIT_TCB, PRIORITY_MAX);
    cnode_delete(CAP_INIT_CNODE, tcb);
    measurement_report(&m);
}

static void bench_map_unmap(void)
{
    uint64_t frame = create(OBJ_FRAME);
    /* the first map allocates the page tables; later ones reuse them */
    vspace_map(CAP_INIT_VSPACE, frame, MAP_VADDR, MAP_READ | MAP_WRITE);
    vspace_unmap(CAP_INIT_VSPACE, frame);
    measurement_t m = {"map_unmap_4k", MAP_ITERATIONS, {0}};
    for (int b = 0; b < BATCHES; b++) {
        uint64_t t0 = tsc_now();
        for (int i = 0; i < MAP_ITERATIONS; i++) {
            vspace_map(CAP_INIT_VSPACE, frame, MAP_VADDR, MAP_READ | MAP_WRITE);
            vspace_unmap(CAP_INIT_VSPACE, frame);
        }
        m.per_iteration[b] = (tsc_now() - t0) / MAP_ITERATIONS;
    }
    measurement_report(&m);
}

int main(const bootinfo_t *bi)
{
    spawn_init(bi);
    print("kbench: starting\n");
    bench_null_syscall();
    bench_thread_switch();
    bench_map_unmap();
    ipc_benchmarks();
    personality_benchmark();
    print("kbench: done\n");
    debug_shutdown(CAP_INIT_DEBUG, 0);
    return 0;
}
