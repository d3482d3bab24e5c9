/*
 * See signals.h. The signal page is the only record of dispositions, mask
 * and pending signals; the runtime keeps just the alternate stack and the
 * mask a sigsuspend is to restore.
 */
#define _GNU_SOURCE
#include "signals.h"

#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <time.h>

#include "process.h"
#include "protocol/proc.h"
#include "protocol/signal_page.h"
#include "arg_decode.h"
#include "signal_frame.h"
#include "signal_logic.h"

/* Linux's values, which musl's headers may not all name. */
#define LINUX_SA_RESTORER 0x04000000ull
#define LINUX_SS_ONSTACK 1
#define LINUX_SS_DISABLE 2
#define FPU_BYTES 512
#define FLAGS_CLEARED_FOR_HANDLER 0x10500ull /* TF, DF, RF */
#define NS_PER_S 1000000000ull

#define page ((signal_page_t *)SIGNAL_PAGE_VADDR)

typedef struct {
    user_regs_t regs;
    const uint8_t *fpu; /* the FXSAVE image to load on leaving; NULL: the live one */
} context_t;

extern runtime_thread_t main_thread;
_Noreturn void runtime_resume(const user_regs_t *regs, const void *fpu);

static uint64_t alt_sp, alt_size; /* the alternate stack; size 0: none */
static bool restore_mask;         /* sigsuspend's: put saved_mask back after delivery */
static uint64_t saved_mask;
static uint8_t fpu_interrupted[FPU_BYTES] __attribute__((aligned(16)));
static uint8_t fpu_restored[FPU_BYTES] __attribute__((aligned(16)));
static uint8_t fpu_clean[FPU_BYTES] __attribute__((aligned(16)));

/* ---- FPU images (the only FPU instructions of the runtime) ---- */

RUNTIME static void fpu_save(uint8_t *image)
{
    __asm__ volatile("fxsave64 %0" : "=m"(*(uint8_t(*)[FPU_BYTES])image));
}

/* FXSAVE layout: FCW at 0, MXCSR at 24, MXCSR_MASK at 28. */
RUNTIME static void put_u32(uint8_t *at, uint32_t v)
{
    at[0] = (uint8_t)v, at[1] = (uint8_t)(v >> 8), at[2] = (uint8_t)(v >> 16),
    at[3] = (uint8_t)(v >> 24);
}

RUNTIME static uint32_t get_u32(const uint8_t *at)
{
    return (uint32_t)at[0] | (uint32_t)at[1] << 8 | (uint32_t)at[2] << 16 | (uint32_t)at[3] << 24;
}

/* What a handler starts with: FCW 0x37F, MXCSR 0x1F80, registers empty. */
RUNTIME static const uint8_t *clean_fpu(void)
{
    if (get_u32(fpu_clean + 24) == 0) {
        fpu_clean[0] = 0x7f, fpu_clean[1] = 0x03;
        put_u32(fpu_clean + 24, 0x1f80);
    }
    return fpu_clean;
}

/* MXCSR bits the CPU accepts; FXRSTOR faults on any other. */
RUNTIME static uint32_t mxcsr_mask(void)
{
    static uint32_t mask;
    if (mask == 0) {
        static uint8_t probe[FPU_BYTES] __attribute__((aligned(16)));
        fpu_save(probe);
        mask = get_u32(probe + 28);
        if (mask == 0) {
            mask = 0xffbf; /* the architectural default */
        }
    }
    return mask;
}

/* ---- the signal page ---- */

RUNTIME static uint64_t pending_now(void)
{
    return __atomic_load_n(&page->pending, __ATOMIC_ACQUIRE);
}

RUNTIME static void set_blocked(uint64_t mask)
{
    __atomic_store_n(&page->blocked, signal_mask_sanitize(mask), __ATOMIC_RELEASE);
}

RUNTIME static bool has_handler(int sig)
{
    uint64_t h = page->actions[sig - 1].handler;
    return h != SIGNAL_HANDLER_DEFAULT && h != SIGNAL_HANDLER_IGNORE;
}

/* Takes sig out of the pending set, with its info (read before the bit
 * clears: proc-server writes info only while the bit is clear). */
RUNTIME static void take(int sig, signal_info_t *info)
{
    *info = page->info[sig - 1];
    __atomic_fetch_and(&page->pending, ~SIGNAL_BIT(sig), __ATOMIC_ACQ_REL);
}

/* The default action of a signal the runtime unblocked: proc-server
 * carries it out, as for any signal it gets unblocked. */
RUNTIME static void act_default(int sig)
{
    int64_t self = process_getpid();
    if (self > 0) {
        process_simple(PROC_KILL, (uint64_t)self, (uint64_t)sig);
    }
}

/* Acts on the pending, unblocked signals that have no handler (ignored:
 * dropped; default: carried out); whether one with a handler is ready. */
RUNTIME static bool settle(void)
{
    uint64_t ready = pending_now() & ~page->blocked;
    bool handled = false;
    while (ready != 0) {
        int sig = signal_lowest(ready);
        ready &= ~SIGNAL_BIT(sig);
        if (has_handler(sig)) {
            handled = true;
            continue;
        }
        signal_info_t unused;
        take(sig, &unused);
        if (!signal_is_ignored(&page->actions[sig - 1], sig)) {
            act_default(sig);
        }
    }
    return handled;
}

RUNTIME static int next_handled(void)
{
    uint64_t ready = pending_now() & ~page->blocked;
    for (int sig = signal_lowest(ready); sig != 0; sig = signal_lowest(ready)) {
        if (has_handler(sig)) {
            return sig;
        }
        ready &= ~SIGNAL_BIT(sig);
    }
    return 0;
}

/* A frame that cannot be written (a bad stack, no restorer): the process
 * dies by SIGSEGV, as Linux's force_sigsegv. */
RUNTIME static _Noreturn void force_segv(void)
{
    page->actions[SIGSEGV - 1].handler = SIGNAL_HANDLER_DEFAULT;
    set_blocked(page->blocked & ~SIGNAL_BIT(SIGSEGV));
    act_default(SIGSEGV);
    process_exit(128 + SIGSEGV); /* a PID 1 that signals cannot kill */
}

/* ---- delivery ---- */

RUNTIME static void fill_info(linux_siginfo_t *si, int sig, const signal_info_t *info,
                              const signal_fault_t *fault)
{
    si->signo = sig;
    if (fault != NULL) {
        si->code = fault->code;
        si->u.addr = fault->addr;
    } else {
        si->code = info->code;
        si->u.proc.pid = info->pid;
        si->u.proc.status = info->status;
    }
}

/* Builds sig's frame for context c on the program's stack and turns c into
 * the handler's first context; false if the frame cannot be written. */
RUNTIME static bool deliver(context_t *c, int sig, const signal_info_t *info,
                            const signal_fault_t *fault)
{
    signal_action_t act = page->actions[sig - 1];
    if (!(act.flags & LINUX_SA_RESTORER)) {
        return false; /* x86_64 Linux has no default restorer either */
    }
    signal_placement_t p = signal_place_frame(c->regs.rsp, (act.flags & SA_ONSTACK) != 0, alt_sp,
                                              alt_size, sizeof(linux_rt_sigframe_t), FPU_BYTES);
    const uint8_t *fpu = c->fpu;
    if (fpu == NULL) {
        fpu_save(fpu_interrupted);
        fpu = fpu_interrupted;
    }
    if (user_put(p.fpstate, fpu, FPU_BYTES) != 0) {
        return false;
    }
    uint64_t mask = restore_mask ? saved_mask : page->blocked;
    restore_mask = false;
    linux_rt_sigframe_t frame = {0};
    frame.restorer = act.restorer;
    bool on_alt = signal_on_altstack(c->regs.rsp, alt_sp, alt_size);
    frame.uc.stack = (linux_stack_t){
        alt_sp, alt_size == 0 ? LINUX_SS_DISABLE : (on_alt ? LINUX_SS_ONSTACK : 0), 0, alt_size};
    signal_frame_extra_t extra = {mask, 0, 0, 0, frame.uc.stack};
    if (fault != NULL) {
        extra.trapno = fault->trapno, extra.err = fault->error, extra.cr2 = fault->addr;
    }
    signal_frame_put_regs(&frame.uc.mcontext, &c->regs, &extra, p.fpstate);
    frame.uc.sigmask = mask;
    fill_info(&frame.info, sig, info, fault);
    if (user_put(p.frame, &frame, sizeof(frame)) != 0) {
        return false;
    }
    set_blocked(page->blocked | act.mask | ((act.flags & SA_NODEFER) ? 0 : SIGNAL_BIT(sig)));
    if (act.flags & SA_RESETHAND) {
        page->actions[sig - 1].handler = SIGNAL_HANDLER_DEFAULT;
    }
    c->regs.rip = act.handler;
    c->regs.rsp = p.frame;
    c->regs.rdi = (uint64_t)sig;
    c->regs.rsi = p.frame + offsetof(linux_rt_sigframe_t, info);
    c->regs.rdx = p.frame + offsetof(linux_rt_sigframe_t, uc);
    c->regs.rax = 0;
    c->regs.rflags &= ~FLAGS_CLEARED_FOR_HANDLER;
    c->fpu = clean_fpu();
    return true;
}

/* Delivers every ready handled signal, each frame on top of the last as
 * Linux nests them, then leaves into the context that results. */
RUNTIME static _Noreturn void deliver_all(context_t *c)
{
    for (;;) {
        settle();
        int sig = next_handled();
        if (sig == 0) {
            if (!restore_mask) {
                break;
            }
            set_blocked(saved_mask);
            restore_mask = false;
            continue;
        }
        signal_info_t info;
        take(sig, &info);
        if (!deliver(c, sig, &info, NULL)) {
            force_segv();
        }
    }
    runtime_resume(&c->regs, c->fpu);
}

RUNTIME bool signals_restart_quietly(int64_t result)
{
    if (result != -RUNTIME_ERESTART) {
        return false;
    }
    settle();
    return next_handled() == 0;
}

/* The program's registers after its `syscall` returns `result` (rcx and
 * r11 as the instruction leaves them). */
RUNTIME static void context_of(const syscall_frame_t *f, int64_t result, context_t *c)
{
    user_regs_t *r = &c->regs;
    *r = (user_regs_t){0};
    r->rip = f->rip, r->rsp = main_thread.program_rsp, r->rflags = f->rflags;
    r->rax = (uint64_t)result, r->rbx = f->rbx, r->rcx = f->rip, r->rdx = f->a3;
    r->rsi = f->a2, r->rdi = f->a1, r->rbp = f->rbp;
    r->r8 = f->a5, r->r9 = f->a6, r->r10 = f->a4, r->r11 = f->rflags;
    r->r12 = f->r12, r->r13 = f->r13, r->r14 = f->r14, r->r15 = f->r15;
    c->fpu = NULL;
}

RUNTIME int64_t signals_on_return(const syscall_frame_t *f, int64_t result)
{
    settle();
    int sig = next_handled();
    if (sig == 0 && !restore_mask) {
        return result;
    }
    context_t c;
    context_of(f, result, &c);
    if (result == -RUNTIME_ERESTART) {
        if (sig != 0 && (page->actions[sig - 1].flags & SA_RESTART) &&
            signal_call_restarts(f->nr)) {
            c.regs.rip -= 2; /* the `syscall` again, after the handler */
            c.regs.rax = f->nr;
        } else {
            c.regs.rax = (uint64_t)-EINTR;
        }
    }
    deliver_all(&c);
}

/* ---- entries from outside a system call ---- */

RUNTIME _Noreturn void signal_upcall(void)
{
    runtime_ensure_init();
    upcall_area_t *area = (upcall_area_t *)(BOOTINFO_IPC_BUFFER_VADDR + UPCALL_AREA_OFFSET);
    context_t c;
    __builtin_memcpy(&c.regs, area->context, sizeof(c.regs));
    c.fpu = NULL;
    __atomic_store_n(&area->pending, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&area->interrupted, 0, __ATOMIC_RELEASE); /* may divert again */
    deliver_all(&c);
}

RUNTIME _Noreturn void signal_fault_upcall(void)
{
    runtime_ensure_init();
    signal_fault_t fault = page->fault;
    __atomic_store_n(&page->fault.valid, 0, __ATOMIC_RELEASE);
    context_t c = {fault.regs, NULL};
    signal_info_t none = {0};
    if (!deliver(&c, fault.sig, &none, &fault)) {
        force_segv();
    }
    deliver_all(&c);
}

/* ---- the calls ---- */

RUNTIME static int64_t do_sigaction(int sig, uint64_t act_addr, uint64_t old_addr, uint64_t size)
{
    int err = signal_check_action(sig, act_addr != 0, size);
    if (err != 0) {
        return err;
    }
    signal_action_t next;
    if (act_addr != 0 && user_copy_in(&next, act_addr, sizeof(next)) != 0) {
        return -EFAULT;
    }
    signal_action_t *a = &page->actions[sig - 1];
    signal_action_t old = *a;
    if (old_addr != 0 && user_put(old_addr, &old, sizeof(old)) != 0) {
        return -EFAULT;
    }
    if (act_addr != 0) {
        a->flags = next.flags;
        a->restorer = next.restorer;
        a->mask = signal_mask_sanitize(next.mask);
        __atomic_store_n(&a->handler, next.handler, __ATOMIC_RELEASE);
        if (signal_is_ignored(a, sig)) {
            signal_info_t unused;
            take(sig, &unused); /* POSIX: a pending signal now ignored is discarded */
        }
    }
    return 0;
}

RUNTIME static int64_t do_sigprocmask(int how, uint64_t set_addr, uint64_t old_addr, uint64_t size)
{
    if (size != 8) {
        return -EINVAL;
    }
    uint64_t old = page->blocked, next = old;
    if (set_addr != 0) {
        uint64_t set;
        if (user_copy_in(&set, set_addr, sizeof(set)) != 0) {
            return -EFAULT;
        }
        int err = signal_apply_how(how, old, set, &next);
        if (err != 0) {
            return err;
        }
    }
    if (old_addr != 0 && user_put(old_addr, &old, sizeof(old)) != 0) {
        return -EFAULT;
    }
    set_blocked(next);
    return 0;
}

RUNTIME static int64_t do_sigpending(uint64_t set_addr, uint64_t size)
{
    if (size > 8) {
        return -EINVAL;
    }
    uint64_t set = pending_now() & page->blocked;
    return user_put(set_addr, &set, size);
}

/* Waits until proc-server signals the notification (a signal was made
 * pending), TCB_Interrupt cancels the wait, or timeout_ns (0: none) ends. */
RUNTIME static kerr_t wait_for_signal(uint64_t timeout_ns)
{
    ipc_buffer->timeout_ns = timeout_ns;
    sys_result_t r = sys_recv(CAP_SIGNAL_NOTIFY);
    ipc_buffer->timeout_ns = 0;
    return r.err;
}

/* pause and sigsuspend: until a handler is ready to run. */
RUNTIME static int64_t wait_for_handler(void)
{
    while (!settle()) {
        wait_for_signal(0);
    }
    return -EINTR;
}

RUNTIME static int64_t do_sigsuspend(uint64_t mask_addr, uint64_t size)
{
    uint64_t mask;
    if (size != 8) {
        return -EINVAL;
    }
    if (user_copy_in(&mask, mask_addr, sizeof(mask)) != 0) {
        return -EFAULT;
    }
    saved_mask = page->blocked;
    restore_mask = true; /* the handler's frame records saved_mask */
    set_blocked(mask);
    return wait_for_handler();
}

/* A timespec from the program, in nanoseconds; -EINVAL if malformed. The
 * product of a huge tv_sec once wrapped round to a short sleep. */
RUNTIME static int64_t read_timespec(uint64_t addr, uint64_t *ns)
{
    int64_t ts[2];
    if (user_copy_in(ts, addr, sizeof(ts)) != 0) {
        return -EFAULT;
    }
    int64_t n;
    int err = arg_timespec_ns(ts, &n);
    if (err != 0) {
        return err;
    }
    /* for ever as some 292 years: a deadline of now plus that cannot wrap */
    *ns = n == ARG_NO_TIMEOUT ? (uint64_t)INT64_MAX : (uint64_t)n;
    return 0;
}

RUNTIME static uint64_t now_on(uint64_t clock)
{
    uint64_t ns = 0;
    runtime_clock_ns(clock, &ns);
    return ns;
}

RUNTIME static int64_t do_sigtimedwait(uint64_t set_addr, uint64_t info_addr, uint64_t ts_addr,
                                       uint64_t size)
{
    uint64_t set, timeout = 0;
    if (size != 8) {
        return -EINVAL;
    }
    if (user_copy_in(&set, set_addr, sizeof(set)) != 0) {
        return -EFAULT;
    }
    int64_t err = ts_addr != 0 ? read_timespec(ts_addr, &timeout) : 0;
    if (err != 0) {
        return err;
    }
    set = signal_mask_sanitize(set);
    uint64_t deadline = now_on(CLOCK_MONOTONIC) + timeout;
    for (;;) {
        int sig = signal_lowest(pending_now() & set);
        if (sig != 0) {
            signal_info_t info;
            take(sig, &info);
            linux_siginfo_t si = {0};
            fill_info(&si, sig, &info, NULL);
            return info_addr != 0 && user_put(info_addr, &si, sizeof(si)) != 0 ? -EFAULT : sig;
        }
        if (settle()) {
            return -EINTR;
        }
        uint64_t now = now_on(CLOCK_MONOTONIC);
        if (ts_addr != 0 && now >= deadline) {
            return -EAGAIN;
        }
        wait_for_signal(ts_addr != 0 ? deadline - now : 0);
    }
}

RUNTIME static int64_t do_sigaltstack(uint64_t ss_addr, uint64_t old_addr)
{
    bool on = signal_on_altstack(main_thread.program_rsp, alt_sp, alt_size);
    linux_stack_t old = {alt_sp, alt_size == 0 ? LINUX_SS_DISABLE : (on ? LINUX_SS_ONSTACK : 0), 0,
                         alt_size};
    if (ss_addr != 0) {
        linux_stack_t ss;
        if (user_copy_in(&ss, ss_addr, sizeof(ss)) != 0) {
            return -EFAULT;
        }
        if (on) {
            return -EPERM;
        }
        int how = arg_sigaltstack((uint32_t)ss.flags, ss.size);
        if (how < 0) {
            return how;
        }
        alt_sp = how == 1 ? 0 : ss.sp, alt_size = how == 1 ? 0 : ss.size;
    }
    return old_addr != 0 ? user_put(old_addr, &old, sizeof(old)) : 0;
}

/* Sleeps until `deadline` on `clock`; a handler ready first ends it with
 * -EINTR and, for a relative sleep, the time left in rem_addr. */
RUNTIME static int64_t sleep_until(uint64_t clock, uint64_t deadline, uint64_t rem_addr)
{
    for (;;) {
        uint64_t now = now_on(clock);
        if (now >= deadline) {
            return 0;
        }
        if (settle()) {
            uint64_t left = deadline - now;
            int64_t rem[2] = {(int64_t)(left / NS_PER_S), (int64_t)(left % NS_PER_S)};
            if (rem_addr != 0 && user_put(rem_addr, rem, sizeof(rem)) != 0) {
                return -EFAULT;
            }
            return -EINTR;
        }
        wait_for_signal(deadline - now);
    }
}

RUNTIME static int64_t do_clock_nanosleep(uint64_t clock, uint64_t flags, uint64_t req,
                                          uint64_t rem_addr)
{
    uint64_t ns, now;
    int64_t err = runtime_clock_ns(clock, &now);
    if (err == 0) {
        err = read_timespec(req, &ns);
    }
    if (err != 0) {
        return err;
    }
    if (flags & TIMER_ABSTIME) {
        return sleep_until(clock, ns, 0);
    }
    return sleep_until(clock, now + ns, rem_addr);
}

RUNTIME int64_t signals_dispatch(const syscall_frame_t *f)
{
    switch (f->nr) {
    case SYS_rt_sigaction:
        return do_sigaction((int)f->a1, f->a2, f->a3, f->a4);
    case SYS_rt_sigprocmask:
        return do_sigprocmask((int)f->a1, f->a2, f->a3, f->a4);
    case SYS_rt_sigpending:
        return do_sigpending(f->a1, f->a2);
    case SYS_rt_sigsuspend:
        return do_sigsuspend(f->a1, f->a2);
    case SYS_pause:
        return wait_for_handler();
    case SYS_rt_sigtimedwait:
        return do_sigtimedwait(f->a1, f->a2, f->a3, f->a4);
    case SYS_sigaltstack:
        return do_sigaltstack(f->a1, f->a2);
    case SYS_nanosleep:
        return do_clock_nanosleep(CLOCK_MONOTONIC, 0, f->a1, f->a2);
    case SYS_clock_nanosleep:
        return do_clock_nanosleep(f->a1, f->a2, f->a3, f->a4);
    default:
        return -ENOSYS;
    }
}

RUNTIME _Noreturn void signals_sigreturn(void)
{
    linux_ucontext_t uc;
    /* the handler's `ret` popped the restorer: rsp is the frame's ucontext */
    if (user_copy_in(&uc, main_thread.program_rsp, sizeof(uc)) != 0) {
        force_segv();
    }
    context_t c = {{0}, clean_fpu()};
    signal_frame_get_regs(&uc.mcontext, &c.regs);
    if (uc.mcontext.fpstate != 0) {
        if (user_copy_in(fpu_restored, uc.mcontext.fpstate, FPU_BYTES) != 0) {
            force_segv();
        }
        put_u32(fpu_restored + 24, get_u32(fpu_restored + 24) & mxcsr_mask());
        c.fpu = fpu_restored;
    }
    set_blocked(uc.sigmask);
    restore_mask = false;
    deliver_all(&c);
}
