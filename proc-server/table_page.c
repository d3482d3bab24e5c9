/*
 * The process-table page's frames and its writer. Records are indexed by
 * global PID, so writing one needs no allocation and cannot fail.
 */
#include "table_page.h"

#include <errno.h>
#include <time.h>

#include "capsule/server.h"
#include "proc_record.h"
#include "uapi/objects.h"
#include "uapi/vm.h"

#define TABLE_PAGES (PROC_TABLE_SIZE / PAGE_SIZE)

static cptr_t frames[TABLE_PAGES];
static bool table_mapped;

int table_page_create(void)
{
    for (uint64_t i = 0; i < TABLE_PAGES; i++) {
        frames[i] = slot_alloc();
        if (frames[i] == CAP_NULL) {
            return -ENOMEM;
        }
        kerr_t err = pool_create(CAP_INIT_POOL, OBJ_FRAME, 0, CAP_INIT_CNODE, frames[i]);
        if (err == KERR_OK) {
            err = vspace_map(CAP_INIT_VSPACE, frames[i], PROC_TABLE_VADDR + i * PAGE_SIZE,
                             MAP_READ | MAP_WRITE);
        }
        if (err != KERR_OK) {
            return errno_from_kerr(err);
        }
    }
    table_mapped = true;
    /* the header, before vfs-server (which reads it) exists */
    volatile proc_table_header_t *header = (volatile proc_table_header_t *)PROC_TABLE_VADDR;
    header->mem_total = server_bootinfo()->mem_total;
    return 0;
}

int table_page_share(task_t *t)
{
    if (!table_mapped) {
        return -ENXIO;
    }
    for (uint64_t i = 0; i < TABLE_PAGES; i++) {
        int err = task_map_shared(t, frames[i], PROC_TABLE_VADDR + i * PAGE_SIZE, MAP_READ);
        if (err != 0) {
            return err;
        }
    }
    return 0;
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void table_page_write(const process_t *proc, bool gone, void *arg)
{
    (void)arg;
    uint64_t now = proc->state == PROC_ZOMBIE && !gone ? now_ns() : 0;
    proc_record_update((volatile void *)PROC_TABLE_VADDR, proc, gone, now);
}

void table_page_attach(proc_table_t *tab)
{
    if (table_mapped) {
        proc_table_set_change(tab, table_page_write, NULL);
    }
}
