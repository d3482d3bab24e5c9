/*
 * proc-server, the root task. For now it reports what the kernel handed it;
 * starting vfs-server, console-server and init arrives with those servers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capsule/server.h"

int main(void)
{
    const bootinfo_t *bi = server_bootinfo();
    if (bi->magic != BOOTINFO_MAGIC) {
        fprintf(stderr, "proc-server: boot-info page has a bad magic number\n");
        return 1;
    }
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
    fprintf(stderr, "proc-server: no servers to start yet; idle\n");
    return 0;
}
