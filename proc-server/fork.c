/*
 * The child's CSpace mirrors its parent's slot for slot, because the
 * runtime's own records (its slot allocator, its page entries) are copied
 * with the memory and must stay true: frames are shared when mapped
 * read-only and copied otherwise, the sessions are the child's own, other
 * capabilities are copied where the kernel allows it (reply capabilities
 * never are).
 */
#include "fork.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "exit.h"
#include "lifecycle.h"
#include "process_image.h"
#include "protocol/posix_runtime.h"
#include "signal_rules.h"
#include "text_frames.h"
#include "heap.h"
#include "stack.h"
#include "vfs_client.h"
#include "zero_pages.h"
#include "uapi/objects.h"

/* Teardown is by pool: a frame of the parent's pool dies with the parent's
 * image (exec, exit) and every capability to it is nulled, so a child may
 * share only frames of another pool. The runtime's read-only pages are
 * frames of its boot module (the root pool); the program's read-only pages
 * are the text cache's (clone_text_page); everything else is copied. */
static bool outlives_parent(const cnode_identity_t *id)
{
    return id->map_vaddr >= POSIX_RUNTIME_BASE && id->map_vaddr < BOOTINFO_VADDR;
}

/* A slot where the loader put a text cache frame: the child gets the
 * entry's own frame, read-only, never the parent's capability, so nothing a
 * parent puts in that slot is shared by mistake. A capability there with
 * the Write right is not the cache's (a private page the parent made):
 * copied as any other. */
static bool clone_text_page(task_t *child, const task_t *parent, uint64_t slot,
                            const cnode_identity_t *id, int *err)
{
    uint64_t index;
    if ((id->rights & RIGHT_WRITE) || !text_use_page_at(parent->text, slot, &index)) {
        return false;
    }
    *err = text_use_clone_frame(parent->text, child, slot, index, id);
    return true;
}

/* An object capability (handles.h) of the parent's: the child gets the
 * handle and a capability badged with its own PID. A badge naming someone
 * else's handle (a process can badge endpoints of its own) gives nothing. */
static int clone_object_cap(process_t *child, const process_t *parent, uint64_t slot,
                            uint64_t badge)
{
    obj_badge_t b;
    process_os_t *cos = child->server_data;
    const process_os_t *pos = parent->server_data;
    if (!obj_badge_decode(badge, &b) || b.holder_pid != proc_global_pid(parent) ||
        !handle_current(&pos->handles, b.index, b.gen)) {
        return 0;
    }
    handle_copy(&cos->handles, &pos->handles, b.index);
    return errno_from_kerr(cnode_mint(cos->task.cnode, slot, CAP_INIT_CNODE, lifecycle_endpoint(),
                                      RIGHT_WRITE | RIGHT_GRANT_REPLY,
                                      obj_badge_make(proc_global_pid(child), b.index, b.gen)));
}

static int clone_slot(process_t *cproc, const process_t *pproc, uint64_t slot)
{
    task_t *child = &((process_os_t *)cproc->server_data)->task;
    const task_t *parent = &((const process_os_t *)pproc->server_data)->task;
    cnode_identity_t id;
    kerr_t err = cnode_identify_full(parent->cnode, slot, &id);
    if (err != KERR_OK) {
        return errno_from_kerr(err);
    }
    switch (id.type) {
    case OBJ_NULL:
    case OBJ_REPLY:
        return 0;
    case OBJ_FRAME: {
        int shared_err;
        if (clone_text_page(child, parent, slot, &id, &shared_err)) {
            return shared_err;
        }
        return task_clone_frame(child, parent->cnode, slot, &id, outlives_parent(&id));
    }
    case OBJ_ENDPOINT:
        if (obj_badge_is_object(id.badge)) {
            return clone_object_cap(cproc, pproc, slot, id.badge);
        }
        return errno_from_kerr(cnode_copy(child->cnode, slot, parent->cnode, slot, RIGHTS_ALL));
    default:
        return errno_from_kerr(cnode_copy(child->cnode, slot, parent->cnode, slot, RIGHTS_ALL));
    }
}

static int clone_cspace(process_t *cproc, const process_t *pproc)
{
    task_t *child = &((process_os_t *)cproc->server_data)->task;
    const task_t *parent = &((const process_os_t *)pproc->server_data)->task;
    int err = task_clone_info(child, parent->cnode);
    uint64_t size = 1ull << child->cnode_bits; /* the parent's now (fork_process) */
    for (uint64_t slot = CAP_PROCESS_FIRST_FREE; err == 0 && slot < size; slot++) {
        err = clone_slot(cproc, pproc, slot);
    }
    return err;
}

/* The child leaves the runtime where its parent entered it, through the
 * runtime's fork_child entry; its thread pointer, GS block and FPU state are
 * its parent's. */
static int start_child(process_t *child, const task_t *parent)
{
    process_os_t *os = child->server_data;
    tcb_registers_t *now = malloc(sizeof(*now));
    if (now == NULL) {
        return -ENOMEM;
    }
    int err = errno_from_kerr(tcb_read_registers(parent->tcb, now));
    if (err == 0) {
        err = process_image_install_runtime_entry(&os->task);
    }
    if (err == 0) {
        user_regs_t regs = {.rip = process_image_fork_entry(),
                            .rflags = RFLAGS_IF,
                            .fs_base = now->regs.fs_base,
                            .gs_base = now->regs.gs_base};
        err = lifecycle_start(child, &regs, now->fpu);
    }
    free(now);
    return err;
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int fork_process(process_t *parent)
{
    process_os_t *pos = parent->server_data;
    process_os_t *cos = calloc(1, sizeof(*cos));
    if (cos == NULL) {
        return -ENOMEM;
    }
    process_t *child;
    int err = proc_fork(lifecycle_table(), parent, now_ns(), cos, &child);
    if (err != 0) {
        free(cos);
        return err;
    }
    signal_page_t *signals = malloc(sizeof(*signals));
    if (signals == NULL) {
        lifecycle_discard(child);
        return -ENOMEM;
    }
    signal_page_for_fork(signals, pos->signals.view);
    /* the parent's CNode as it is now (its runtime may have grown it), so
     * every slot the copied runtime knows of exists */
    err = lifecycle_create_task(child, task_cnode_bits(&pos->task), signals);
    free(signals);
    if (err == 0) { /* the parent's text frames, one user more */
        cos->task.text = text_use_clone(pos->task.text, &err);
    }
    if (err == 0) {
        zero_pages_clone(&cos->task, &pos->task); /* before: its untouched slots stay empty */
        err = clone_cspace(child, parent);
    }
    if (err == 0) {
        err = stack_clone(&cos->task, &pos->task); /* only the pages it has mapped */
    }
    if (err == 0) {
        err = heap_clone(&cos->task, &pos->task); /* likewise */
    }
    int child_pid = proc_global_pid(child);
    if (err == 0) {
        err = vfs_client_create(child_pid, proc_global_pid(parent));
    }
    if (err == 0 && (err = start_child(child, &pos->task)) != 0) {
        vfs_client_exit(child_pid, false);
    }
    if (err != 0) {
        lifecycle_discard(child);
        return err;
    }
    return proc_pid_in(child, parent->scope);
}
