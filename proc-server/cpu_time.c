#include "cpu_time.h"

#include "lifecycle.h"
#include "protocol/proc.h"

void cpu_time_collect(process_t *proc, cptr_t tcb)
{
    uint64_t run, served;
    if (tcb_read_times(tcb, &run, &served) == KERR_OK) {
        proc->user_ns += run;
        proc->sys_ns += served;
    }
}

int64_t cpu_time_request(process_t *caller, request_t *req)
{
    const process_os_t *os = caller->server_data;
    uint64_t run = 0, served = 0;
    tcb_read_times(os->task.tcb, &run, &served); /* the caller's thread is alive */
    req->reply_mr1 = caller->user_ns + run;
    req->reply_mr2 = caller->sys_ns + served;
    req->reply_mr3 = caller->child_user_ns;
    req->reply_mr4 = caller->child_sys_ns;
    req->reply_length = 5;
    return 0;
}
