#include "faults.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "exit.h"
#include "heap.h"
#include "lifecycle.h"
#include "process_image.h"
#include "signal_rules.h"
#include "stack.h"
#include "uapi/fault.h"
#include "zero_pages.h"

#define PF_PRESENT 0x1ull /* page-fault error code: a protection violation */

static int signal_for(uint64_t kind)
{
    switch (kind) {
    case FAULT_INVALID_OPCODE:
        return SIGILL;
    case FAULT_DIVIDE:
        return SIGFPE;
    case FAULT_UNKNOWN_SYSCALL:
        return SIGSYS;
    default:
        return SIGSEGV; /* page faults, #GP and anything else */
    }
}

/* si_code and si_addr as Linux gives them for each kind of fault. */
static void fault_info(const request_t *fault, signal_fault_t *out)
{
    out->addr = 0;
    switch (fault->label) {
    case FAULT_PAGE:
        out->code = (fault->mr[1] & PF_PRESENT) ? SEGV_ACCERR : SEGV_MAPERR;
        out->addr = fault->mr[2];
        break;
    case FAULT_INVALID_OPCODE:
        out->code = ILL_ILLOPN;
        out->addr = fault->mr[3];
        break;
    case FAULT_DIVIDE:
        out->code = FPE_INTDIV;
        out->addr = fault->mr[3];
        break;
    default:
        out->code = SI_KERNEL; /* #GP: Linux gives no address */
        break;
    }
}

/* A fault in the program whose signal has a handler and is not blocked
 * goes to it: the faulting context is written into the signal page and the
 * thread resumes at the runtime's fault entry, which builds the frame. */
static bool to_handler(process_t *proc, const request_t *fault, int sig, user_regs_t *regs)
{
    process_os_t *os = proc->server_data;
    signal_page_t *page = os->signals.view;
    if (sig == SIGSYS || !signal_has_handler(page, sig) || (page->blocked & SIGNAL_BIT(sig)) ||
        page->fault.valid || process_image_in_runtime(fault->mr[3])) {
        return false;
    }
    tcb_registers_t *now = &(tcb_registers_t){0};
    if (tcb_read_registers(os->task.tcb, now) != KERR_OK) {
        return false;
    }
    signal_fault_t *f = &page->fault;
    f->sig = sig;
    fault_info(fault, f);
    f->trapno = fault->mr[0];
    f->error = fault->mr[1];
    f->regs = now->regs;
    __atomic_store_n(&f->valid, 1, __ATOMIC_RELEASE);
    *regs = now->regs;
    regs->rip = process_image_fault_entry();
    return true;
}

bool faults_resolve(process_t *proc, const request_t *fault)
{
    process_os_t *os = proc->server_data;
    if (fault->label != FAULT_PAGE || (fault->mr[1] & PF_PRESENT)) {
        return false;
    }
    return stack_fault(&os->task, fault->mr[2]) || heap_fault(&os->task, fault->mr[2]) ||
           zero_pages_fault(&os->task, fault->mr[2]);
}

/* A page of the heap that faults_resolve could not map: the process's
 * pool is full. Linux's out-of-memory killer ends such a process with
 * SIGKILL, which no handler can catch (a handler would fault again). */
static bool out_of_memory(process_t *proc, const request_t *fault)
{
    process_os_t *os = proc->server_data;
    return fault->label == FAULT_PAGE && !(fault->mr[1] & PF_PRESENT) &&
           heap_contains(&os->task, fault->mr[2]);
}

bool faults_handle(process_t *proc, const request_t *fault, user_regs_t *regs)
{
    uint64_t rip = fault->mr[3];
    process_os_t *os = proc->server_data;
    uint64_t fixup;
    /* the runtime's copy of a bad pointer: a page fault, or #GP for an
     * address that is not canonical; either way the call returns EFAULT */
    if ((fault->label == FAULT_PAGE || fault->label == FAULT_GENERAL_PROTECTION) &&
        process_image_user_access(rip, &fixup)) {
        tcb_registers_t now;
        if (tcb_read_registers(os->task.tcb, &now) == KERR_OK) {
            *regs = now.regs;
            regs->rip = fixup;
            return true;
        }
    }
    if (out_of_memory(proc, fault)) {
        fprintf(stderr, "proc-server: pid %d (%s): out of memory for its heap at %#lx: killed\n",
                proc_global_pid(proc), proc->comm, fault->mr[2]);
        lifecycle_terminate(proc, proc_wstatus_signaled(SIGKILL, false));
        return false;
    }
    int sig = signal_for(fault->label);
    if (to_handler(proc, fault, sig, regs)) {
        return true;
    }
    fprintf(stderr, "proc-server: pid %d (%s): fault %lu at rip %#lx, address %#lx: killed by %s\n",
            proc_global_pid(proc), proc->comm, fault->label, rip, fault->mr[2], strsignal(sig));
    lifecycle_terminate(proc, proc_wstatus_signaled(sig, false));
    return false;
}
