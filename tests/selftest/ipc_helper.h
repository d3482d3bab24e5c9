/*
 * What the IPC self-tests share: threads with IPC buffers of their own, an
 * echo server, message patterns, the root's side of a receive or a reply,
 * and threads in address spaces of their own (copies of the root image's
 * frames, read-only, so such a thread must not write globals).
 *
 * A thread sharing the root's VSpace must not use the runtime's invocation
 * stubs with more than four arguments: they write the root's IPC buffer.
 */
#ifndef SELFTEST_IPC_HELPER_H
#define SELFTEST_IPC_HELPER_H

#include "helper.h"
#include "uapi/fault.h"
#include "uapi/kinfo.h"

/* A thread with an IPC buffer: rdi = arg, rsi = its TCB, rdx = its buffer. */
typedef void (*buffered_fn_t)(uint64_t arg, cptr_t self, ipc_buffer_t *buf);

/* thread_new() at THREAD_PRIORITY with an IPC buffer of its own, mapped in
 * the root's VSpace (buf NULL: no IPC buffer); not resumed. */
kerr_t buffered_thread_new(buffered_fn_t fn, uint64_t arg, bool with_buffer, cptr_t *tcb,
                           ipc_buffer_t **buf);

/* buffered_thread_new() with a buffer, then resumed. */
kerr_t buffered_thread_spawn(buffered_fn_t fn, uint64_t arg, cptr_t *tcb, ipc_buffer_t **buf);

/* Yields until `tcb` is in `state`; false on the timeout. */
bool wait_state(cptr_t tcb, uint64_t state);

/* The state TCB_ReadRegisters reports (~0 if it fails). */
uint64_t thread_state(cptr_t tcb);

/*
 * The echo server: receives on `ep` and answers every Call with the same
 * label and length, the message registers XORed with `reply_xor`, and
 * `reply_caps` capabilities from its buffer's caps[]. It records what it
 * received.
 */
typedef struct {
    cptr_t ep;
    uint64_t reply_caps, reply_xor;
    volatile uint64_t received; /* messages taken */
    volatile uint64_t err, info, badge;
    volatile uint64_t mr[MSG_MAX_REGISTERS];
} echo_t;

/* Starts an echo server on `e->ep` (with an IPC buffer or without) and
 * waits until it blocks in Recv. */
kerr_t echo_start(echo_t *e, bool with_buffer, cptr_t *tcb, ipc_buffer_t **buf);

/* Yields until the echo server has taken a message after `seen`. */
bool echo_wait(echo_t *e, uint64_t seen);

/* A client: calls `ep` once with `label` and `mr0` (after `delay` TSC
 * cycles of spinning), records the reply and suspends itself. */
typedef struct {
    cptr_t ep;
    uint64_t label, mr0, delay;
    volatile uint64_t done, err, info, badge, reply0;
} caller_t;

/* Starts a client (with an IPC buffer) for `c`. */
kerr_t caller_start(caller_t *c, cptr_t *tcb);

/* Yields until the client is done; false on the timeout. */
bool caller_wait(caller_t *c);

/* The i-th word of the message pattern of `seed`. */
static inline uint64_t mr_pattern(uint64_t seed, unsigned i)
{
    return (seed << 32) ^ (0x9e3779b97f4a7c15ull * (i + 1));
}

/* Fills message registers 0..len-1 (4.. in `buf`, 0..3 in `cpu`). */
void mr_fill(ipc_buffer_t *buf, uint64_t cpu[4], uint64_t seed, unsigned len);

/* A message of the root: `number` on `cap`, registers 4.. already in the
 * root's IPC buffer. */
static inline sys_result_t root_ipc(int64_t number, cptr_t cap, uint64_t info, const uint64_t *cpu)
{
    return sys_ipc(number, cap, info, cpu[0], cpu[1], cpu[2], cpu[3]);
}

/* Sets the root's blocking-call timeout (0: wait for ever). */
void root_timeout(uint64_t ns);

/* The kernel info page and the clock. */
static inline const volatile kinfo_t *kinfo(void)
{
    return (const volatile kinfo_t *)USER_INFO_PAGE;
}

/* TSC cycles in `ns` nanoseconds, at the kernel's measured frequency. */
uint64_t ns_to_cycles(uint64_t ns);

/* Nanoseconds in `cycles` TSC cycles. */
uint64_t cycles_to_ns(uint64_t cycles);

/* Answers the root's pending fault or call with `label` and the
 * registers in `regs` (FAULT_REPLY_SET_REGISTERS) or nothing. */
kerr_t root_reply_regs(uint64_t label, const user_regs_t *regs);

/*
 * A thread in a VSpace of its own, from `pool`: copies of the root image's
 * frames mapped read-only at their addresses, a fresh stack, an IPC
 * buffer at OWN_IPC_VA and OWN_DATA_PAGES data pages at OWN_DATA_VA that
 * the root also maps (at `data`). The thread runs fn(arg, self, buffer)
 * from its registers; not resumed.
 */
#define OWN_STACK_TOP 0x50000000ull
#define OWN_IPC_VA 0x50100000ull
#define OWN_DATA_VA 0x50200000ull
#define OWN_DATA_PAGES 3

typedef struct {
    cptr_t tcb, vspace;
    volatile uint8_t *data; /* the data pages, mapped in the root's VSpace */
    ipc_buffer_t *ipc;      /* its IPC buffer, mapped in the root's VSpace */
} own_thread_t;

kerr_t own_thread_new(cptr_t pool, buffered_fn_t fn, uint64_t arg, own_thread_t *out);

#endif
