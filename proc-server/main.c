/*
 * proc-server, the root task: it maps the boot modules, starts the servers
 * from them, and (in later steps) runs processes.
 */
#include <stdio.h>
#include <string.h>

#include "boot_modules.h"
#include "capsule/server.h"
#include "servers.h"

static void report_boot(const bootinfo_t *bi)
{
    uint64_t budget, used, objects;
    pool_info(CAP_INIT_POOL, &budget, &used, &objects);
    fprintf(stderr,
            "proc-server: root task running: %lu MiB in the root pool (%lu KiB used by %lu "
            "objects), %lu boot modules, CNode of %lu slots\n",
            budget >> 20, used >> 10, objects, bi->module_count, 1ul << bi->cnode_size_bits);
    for (uint64_t i = 0; i < bi->module_count; i++) {
        fprintf(stderr, "proc-server: module %lu: %s (%lu bytes, %lu frames)\n", i,
                bi->modules[i].name, bi->modules[i].size, bi->modules[i].frames.count);
    }
}

int main(void)
{
    const bootinfo_t *bi = server_bootinfo();
    if (bi->magic != BOOTINFO_MAGIC) {
        fprintf(stderr, "proc-server: boot-info page has a bad magic number\n");
        return 1;
    }
    report_boot(bi);
    int err = boot_modules_map(bi);
    if (err != 0) {
        fprintf(stderr, "proc-server: cannot map the boot modules: %s\n", strerror(-err));
        return 1;
    }
    server_endpoints_t servers;
    if (servers_start(&servers) != 0) {
        return 1;
    }
    if (servers_print_summary(servers.vfs) != 0) {
        fprintf(stderr, "proc-server: vfs-server does not answer\n");
        return 1;
    }
    fprintf(stderr, "proc-server: no processes to start yet; idle\n");
    for (;;) {
        tcb_suspend(CAP_INIT_TCB);
    }
}
