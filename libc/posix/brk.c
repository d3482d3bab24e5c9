/* The program break (brk.h). */
#include "brk.h"

#include "capsule/kernel.h"
#include "protocol/posix_runtime.h"
#include "protocol/proc.h"
#include "runtime.h"
#include "uapi/vm.h"

/* A fork child starts with a copy of these, as proc-server gives it a copy
 * of the heap; an exec starts afresh. */
static uint64_t heap_start, heap_break;

void brk_init(uint64_t start)
{
    heap_start = start;
    heap_break = start;
}

RUNTIME int64_t brk_call(uint64_t addr)
{
    if (addr < heap_start || addr == heap_break) {
        return (int64_t)heap_break; /* brk(0): only asks */
    }
    sys_result_t r = sys_call(CAP_PROC_SESSION, msginfo_make(PROC_BRK, 1), addr, 0, 0, 0);
    if (r.err == KERR_OK && r.mr[0] >= heap_start && r.mr[0] < USER_LIMIT) {
        heap_break = r.mr[0];
    }
    return (int64_t)heap_break;
}
