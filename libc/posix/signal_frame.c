#include "signal_frame.h"

/* The selectors Linux reports for a 64-bit user thread. */
#define USER_CS 0x33
#define USER_SS 0x2b
/* The flags a frame may restore: CF PF AF ZF SF DF OF AC (never TF, IF, IOPL). */
#define RESTORABLE_FLAGS 0x40cd5ull
#define FLAGS_ALWAYS 0x202ull

void signal_frame_put_regs(linux_sigcontext_t *sc, const user_regs_t *r,
                           const signal_frame_extra_t *extra, uint64_t fpstate)
{
    *sc = (linux_sigcontext_t){
        .r8 = r->r8,
        .r9 = r->r9,
        .r10 = r->r10,
        .r11 = r->r11,
        .r12 = r->r12,
        .r13 = r->r13,
        .r14 = r->r14,
        .r15 = r->r15,
        .rdi = r->rdi,
        .rsi = r->rsi,
        .rbp = r->rbp,
        .rbx = r->rbx,
        .rdx = r->rdx,
        .rax = r->rax,
        .rcx = r->rcx,
        .rsp = r->rsp,
        .rip = r->rip,
        .eflags = r->rflags,
        .cs = USER_CS,
        .ss = USER_SS,
        .err = extra->err,
        .trapno = extra->trapno,
        .oldmask = extra->sigmask,
        .cr2 = extra->cr2,
        .fpstate = fpstate,
    };
}

void signal_frame_get_regs(const linux_sigcontext_t *sc, user_regs_t *r)
{
    r->r8 = sc->r8, r->r9 = sc->r9, r->r10 = sc->r10, r->r11 = sc->r11;
    r->r12 = sc->r12, r->r13 = sc->r13, r->r14 = sc->r14, r->r15 = sc->r15;
    r->rdi = sc->rdi, r->rsi = sc->rsi, r->rbp = sc->rbp, r->rbx = sc->rbx;
    r->rdx = sc->rdx, r->rax = sc->rax, r->rcx = sc->rcx, r->rsp = sc->rsp;
    r->rip = sc->rip;
    r->rflags = (sc->eflags & RESTORABLE_FLAGS) | FLAGS_ALWAYS;
}
