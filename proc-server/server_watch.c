#include "server_watch.h"

#include <errno.h>

#include "task.h"
#include "uapi/invocations.h"
#include "uapi/objects.h"
#include "uapi/registers.h"

/* The watcher's IPC buffer in proc-server's address space (a fault message
 * has five words: the fifth arrives there). Nothing else lies here. */
#define WATCH_IPC_VADDR 0x420000000000ull
#define WATCH_STACK_BYTES 8192

static cptr_t fault_endpoint = CAP_NULL, watcher = CAP_NULL, watch_ipc = CAP_NULL;
static cptr_t wake_cap = CAP_NULL;
static uint8_t watch_stack[WATCH_STACK_BYTES] __attribute__((aligned(16)));

/* Shared by the two threads; each field has one writer, noted. The single
 * CPU and the priorities order them (docs/restart.md): a server runs, and
 * so faults, only while the main thread is blocked. */
static struct {
    server_watch_fault_t fault; /* watcher */
    bool pending;               /* set by the watcher, cleared by the main thread */
    bool dead;                  /* set by the watcher, cleared by the main thread */
    cptr_t tcb;                 /* main thread: the server's thread */
    size_t callee;              /* main thread: index + 1 of the server it Calls, 0 none */
} watched[SERVER_WATCH_MAX];
static size_t calling; /* main thread: index + 1 of the server it Calls, 0 for none */

/* Whether thread `tcb` waits to send or for a Call's answer
 * (Debug_ThreadInfo's state is the first word, in a register). */
static bool waiting(cptr_t tcb)
{
    sys_result_t r = sys_call(CAP_INIT_DEBUG, msginfo_make(INV_DEBUG_THREAD_INFO, 1), tcb, 0, 0, 0);
    return r.err == KERR_OK &&
           (r.mr[0] == TCB_STATE_BLOCKED_SEND || r.mr[0] == TCB_STATE_BLOCKED_REPLY);
}

/* Server `index` died: a server that Calls only it and waits is freed
 * (KERR_CANCELLED, which it answers as EIO). */
static void release_callers(uint64_t index)
{
    for (size_t i = 0; i < SERVER_WATCH_MAX; i++) {
        if (watched[i].callee == index + 1 && watched[i].tcb != CAP_NULL &&
            waiting(watched[i].tcb)) {
            sys_call(watched[i].tcb, msginfo_make(INV_TCB_CANCEL, 0), 0, 0, 0, 0);
        }
    }
}

/* Whether an answer from server `callee` (index + 1, 0: none) may wait on
 * server `index`: it is that server, or a server that Calls it. The
 * second is cancelled even when that server has not Called the dead one
 * yet: it may do so later, and the dead one is rebuilt only once the main
 * thread is back in its receive loop (the request in progress fails). */
static bool depends_on(size_t callee, uint64_t index)
{
    return callee != 0 && (callee == index + 1 || watched[callee - 1].callee == index + 1);
}

/* The watcher's loop: only native system calls on registers and the state
 * above, so it shares no buffer (IPC buffer, errno, stdio) with the main
 * thread. The faulted server is never answered: the next receive drops
 * its reply capability and the kernel leaves it stopped. */
static _Noreturn void watch(void)
{
    for (;;) {
        sys_result_t m = sys_recv(fault_endpoint);
        uint64_t index = m.badge - 1;
        if (m.err != KERR_OK || m.badge == 0 || index >= SERVER_WATCH_MAX) {
            continue;
        }
        watched[index].fault = (server_watch_fault_t){msginfo_label(m.info), m.mr[3], m.mr[2]};
        __atomic_store_n(&watched[index].dead, true, __ATOMIC_SEQ_CST);
        __atomic_store_n(&watched[index].pending, true, __ATOMIC_SEQ_CST);
        if (depends_on(__atomic_load_n(&calling, __ATOMIC_SEQ_CST), index)) {
            /* the main thread waits for this server's answer, or for one
             * from a server that Calls it: end its Call with
             * KERR_CANCELLED (no buffer: the invocation has no words) */
            sys_call(CAP_INIT_TCB, msginfo_make(INV_TCB_CANCEL, 0), 0, 0, 0, 0);
        }
        release_callers(index);
        sys_signal(wake_cap); /* never blocks; ends the main thread's Recv */
    }
}

static uint64_t thread_pointer(void)
{
    uint64_t tp;
    __asm__("mov %%fs:0, %0" : "=r"(tp));
    return tp;
}

static int make(obj_type_t type, cptr_t *slot)
{
    *slot = slot_alloc();
    if (*slot == CAP_NULL) {
        return -ENOMEM;
    }
    return errno_from_kerr(pool_create(CAP_INIT_POOL, type, 0, CAP_INIT_CNODE, *slot));
}

int server_watch_start(cptr_t wake)
{
    wake_cap = wake;
    int err = make(OBJ_ENDPOINT, &fault_endpoint);
    if (err == 0) {
        err = make(OBJ_TCB, &watcher);
    }
    if (err == 0) {
        err = make(OBJ_FRAME, &watch_ipc);
    }
    if (err != 0) {
        return err;
    }
    kerr_t kerr = vspace_map(CAP_INIT_VSPACE, watch_ipc, WATCH_IPC_VADDR, MAP_READ | MAP_WRITE);
    if (kerr == KERR_OK) {
        kerr = tcb_configure(watcher, CAP_INIT_CNODE, CAP_INIT_VSPACE, watch_ipc, WATCH_IPC_VADDR);
    }
    /* proc-server's own priority: above every server, so a fault is seen
     * before any server or process runs again */
    if (kerr == KERR_OK) {
        kerr = tcb_set_priority(watcher, CAP_INIT_TCB, PRIORITY_MAX);
    }
    /* entered as if called: the stack 16-byte aligned before a return
     * address; the main thread's TLS, for the stack protector's canary */
    user_regs_t regs = {.rip = (uint64_t)watch,
                        .rsp = (uint64_t)(watch_stack + sizeof(watch_stack)) - 8,
                        .rflags = RFLAGS_IF,
                        .fs_base = thread_pointer()};
    if (kerr == KERR_OK) {
        kerr = tcb_write_registers(watcher, 0, &regs, NULL);
    }
    if (kerr == KERR_OK) {
        kerr = tcb_resume(watcher);
    }
    return errno_from_kerr(kerr);
}

cptr_t server_watch_endpoint(void)
{
    return fault_endpoint;
}

cptr_t server_watch_tcb(void)
{
    return watcher;
}

int server_watch_mint(size_t index, cptr_t slot)
{
    if (index >= SERVER_WATCH_MAX || fault_endpoint == CAP_NULL) {
        return -EINVAL;
    }
    return errno_from_kerr(cnode_mint(CAP_INIT_CNODE, slot, CAP_INIT_CNODE, fault_endpoint,
                                      RIGHT_WRITE, (uint64_t)index + 1));
}

sys_result_t server_watch_ipc(size_t index, int64_t number, cptr_t cap, uint64_t info, uint64_t mr0,
                              uint64_t mr1, uint64_t mr2, uint64_t mr3)
{
    if (index >= SERVER_WATCH_MAX) {
        return (sys_result_t){.err = KERR_INVALID_ARGUMENT};
    }
    __atomic_store_n(&calling, index + 1, __ATOMIC_SEQ_CST);
    sys_result_t r = {.err = KERR_DELETED};
    if (!__atomic_load_n(&watched[index].dead, __ATOMIC_SEQ_CST)) {
        r = sys_ipc(number, cap, info, mr0, mr1, mr2, mr3);
    }
    __atomic_store_n(&calling, 0, __ATOMIC_SEQ_CST);
    return r;
}

bool server_watch_take_fault(size_t index, server_watch_fault_t *out)
{
    if (index >= SERVER_WATCH_MAX || !__atomic_load_n(&watched[index].pending, __ATOMIC_SEQ_CST)) {
        return false;
    }
    *out = watched[index].fault;
    __atomic_store_n(&watched[index].pending, false, __ATOMIC_SEQ_CST);
    return true;
}

void server_watch_thread(size_t index, cptr_t tcb, size_t callee)
{
    if (index < SERVER_WATCH_MAX) {
        watched[index].tcb = tcb;
        watched[index].callee = callee < SERVER_WATCH_MAX ? callee + 1 : 0;
    }
}

void server_watch_revived(size_t index)
{
    if (index < SERVER_WATCH_MAX) {
        __atomic_store_n(&watched[index].dead, false, __ATOMIC_SEQ_CST);
    }
}
