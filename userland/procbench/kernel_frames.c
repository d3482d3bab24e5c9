/* Free frames through the debug protocol (kernel_frames.h). */
#include "kernel_frames.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "capsule/proc_client.h"
#include "protocol/debug.h"

int64_t kernel_free_frames(void)
{
    /* the first page of the JSON listing: {"uptime_ms":N,"frames":{"free":N,... */
    static char page[1024];
    uint64_t mr[4] = {0, sizeof(page) - 1, 0, DEBUG_FLAG_JSON};
    buffer_desc_t desc = {(uint64_t)page, sizeof(page) - 1, DESC_WRITE};
    int64_t total =
        capsule_call(CAP_DEBUG_SESSION, DEBUG_KERNEL, DEBUG_REQUEST_WORDS, mr, &desc, 1, NULL);
    if (total < 0) {
        return total;
    }
    page[(uint64_t)total < sizeof(page) - 1 ? (uint64_t)total : sizeof(page) - 1] = '\0';
    const char *free_field = strstr(page, "\"frames\":{\"free\":");
    unsigned long long frames;
    if (free_field == NULL || sscanf(free_field, "\"frames\":{\"free\":%llu", &frames) != 1) {
        return -EPROTO;
    }
    return (int64_t)frames;
}
