/* Processes as one process sees them (proc_view.h). */
#include "proc_view.h"

#include <limits.h>

proc_view_t proc_view_of(const proc_record_t *viewer)
{
    if (viewer == NULL || viewer->level == 0) {
        return (proc_view_t){.all = true, .level = 0, .scope = 0};
    }
    return (proc_view_t){.all = false, .level = viewer->level, .scope = viewer->scope_id};
}

proc_view_t proc_view_none(void)
{
    return (proc_view_t){.all = false, .level = UINT_MAX, .scope = 0};
}

int proc_view_nr(const proc_view_t *v, const proc_record_t *rec)
{
    if (rec->pid == 0) {
        return 0;
    }
    if (v->all) {
        return rec->pid;
    }
    if (rec->level < v->level) {
        return 0; /* above the viewer's scope */
    }
    if (rec->scope_id == v->scope) {
        return rec->own_nr;
    }
    if (v->level <= PROC_RECORD_LEVELS && rec->scope_at[v->level - 1] == v->scope) {
        return rec->nr_at[v->level - 1];
    }
    return 0; /* another scope, or below a viewer too deep to tell */
}

bool proc_view_find(const proc_view_t *v, int nr, proc_view_find_fn find, proc_view_next_fn next,
                    proc_record_t *out)
{
    if (nr <= 0) {
        return false;
    }
    if (v->all) {
        return find(nr, out);
    }
    for (int pid = 0; next(pid, out); pid = out->pid) {
        if (proc_view_nr(v, out) == nr) {
            return true;
        }
    }
    return false;
}

/* The number v gives the process (or leader) with global PID pid. */
static int nr_of_global(const proc_view_t *v, int pid, proc_view_find_fn find)
{
    proc_record_t r;
    if (pid <= 0 || !find(pid, &r)) {
        return 0;
    }
    return proc_view_nr(v, &r);
}

/* A group or session (global id, and its number in rec's own scope). */
static int leader_nr(const proc_view_t *v, const proc_record_t *rec, int global, int own,
                     proc_view_find_fn find)
{
    int nr = nr_of_global(v, global, find);
    if (nr != 0 || global <= 0) {
        return nr;
    }
    /* its leader is gone: the names left are the global one and the own scope's */
    if (v->all) {
        return global;
    }
    return rec->scope_id == v->scope ? own : 0;
}

void proc_view_translate(const proc_view_t *v, const proc_record_t *rec, proc_view_find_fn find,
                         proc_record_t *out)
{
    *out = *rec;
    out->pid = proc_view_nr(v, rec);
    out->ppid = nr_of_global(v, rec->ppid, find);
    out->pgrp = leader_nr(v, rec, rec->pgrp, rec->pgrp_own, find);
    out->sid = leader_nr(v, rec, rec->sid, rec->sid_own, find);
}
