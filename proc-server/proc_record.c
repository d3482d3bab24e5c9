/* Encoding a process into its record of the process-table page. */
#include "proc_record.h"

#include <string.h>

#include "pid_entry.h"
#include "scope.h"

static char proc_record_state(proc_state_t state)
{
    /* proc-server cannot tell running from blocked in a server: both are 'R'. */
    switch (state) {
    case PROC_STOPPED:
        return 'T';
    case PROC_ZOMBIE:
        return 'Z';
    default:
        return 'R';
    }
}

/* As many bytes of the command line as fit; the flag says when some were cut. */
static void proc_record_cmdline(const process_t *proc, proc_record_t *out)
{
    size_t len = proc->cmdline_len;
    if (len > PROC_RECORD_CMDLINE_LEN) {
        len = PROC_RECORD_CMDLINE_LEN;
        out->flags |= PROC_RECORD_CMDLINE_CUT;
    }
    if (len > 0) {
        memcpy(out->cmdline, proc->cmdline, len);
    }
    out->cmdline_len = (uint16_t)len;
}

/* Its place in the scope tree: level, own numbers, and the scopes and
 * numbers of the first levels below the root (protocol/proc_table.h). */
static void proc_record_scopes(const process_t *proc, proc_record_t *out)
{
    const scope_t *scope = proc->scope;
    out->level = (uint8_t)scope->level;
    out->own_nr = proc->pid->nrs[scope->level].nr;
    out->pgrp_own = pid_entry_nr_in(proc->pgrp, scope);
    out->sid_own = pid_entry_nr_in(proc->session, scope);
    for (const scope_t *s = scope; s != NULL && s->level > 0; s = s->parent) {
        if (s->level <= PROC_RECORD_LEVELS) {
            out->scope_at[s->level - 1] = s->id;
            out->nr_at[s->level - 1] = proc->pid->nrs[s->level].nr;
        }
    }
}

void proc_record_encode(const process_t *proc, uint64_t exit_ns, proc_record_t *out)
{
    memset(out, 0, sizeof(*out));
    out->pid = proc_global_pid(proc);
    out->ppid = proc->parent != NULL ? proc_global_pid(proc->parent) : 0;
    out->pgrp = proc->pgrp->nrs[0].nr;
    out->sid = proc->session->nrs[0].nr;
    out->state = proc_record_state(proc->state);
    out->flags = (proc->jailed ? PROC_RECORD_JAILED : 0) |
                 (proc->dropped & PROC_DROP_ADMIN ? PROC_RECORD_NO_ADMIN : 0) |
                 (proc->dropped & PROC_DROP_KILL ? PROC_RECORD_NO_KILL : 0) |
                 (proc->dropped & PROC_DROP_CHROOT ? PROC_RECORD_NO_CHROOT : 0);
    out->scope_id = proc->scope->id;
    proc_record_scopes(proc, out);
    out->start_ns = proc->start_time;
    out->exit_ns = proc->state == PROC_ZOMBIE ? exit_ns : 0;
    _Static_assert(sizeof(out->comm) == sizeof(proc->comm), "comm has Linux's length");
    memcpy(out->comm, proc->comm, sizeof(out->comm));
    out->comm[sizeof(out->comm) - 1] = '\0';
    proc_record_cmdline(proc, out);
}

void proc_record_update(volatile void *base, const process_t *proc, bool gone, uint64_t now_ns)
{
    int pid = proc_global_pid(proc);
    volatile proc_record_t *slot = proc_table_slot(base, pid);
    if (slot == NULL) {
        return;
    }
    proc_record_t rec = {0};
    if (!gone) {
        uint64_t exit_ns = 0;
        if (proc->state == PROC_ZOMBIE) {
            exit_ns = slot->pid == pid && slot->exit_ns != 0 ? slot->exit_ns : now_ns;
        }
        proc_record_encode(proc, exit_ns, &rec);
    }
    proc_record_publish(slot, &rec);
}
