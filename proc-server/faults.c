#include "faults.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "exit.h"
#include "lifecycle.h"
#include "process_image.h"
#include "uapi/fault.h"

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

bool faults_handle(process_t *proc, const request_t *fault, user_regs_t *regs)
{
    uint64_t rip = fault->mr[3];
    process_os_t *os = proc->server_data;
    uint64_t fixup;
    if (fault->label == FAULT_PAGE && process_image_user_access(rip, &fixup)) {
        tcb_registers_t now;
        if (tcb_read_registers(os->task.tcb, &now) == KERR_OK) {
            *regs = now.regs;
            regs->rip = fixup;
            return true;
        }
    }
    int sig = signal_for(fault->label);
    fprintf(stderr, "proc-server: pid %d (%s): fault %lu at rip %#lx, address %#lx: killed by %s\n",
            proc_global_pid(proc), proc->comm, fault->label, rip, fault->mr[2], strsignal(sig));
    lifecycle_terminate(proc, proc_wstatus_signaled(sig, false));
    return false;
}
